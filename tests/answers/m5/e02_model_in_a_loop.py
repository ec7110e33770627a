# verdict: correct
# %% FlattenConsecutive
class FlattenConsecutive:
    def __init__(self, n):
        self.n = n
    def __call__(self, x):
        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n)
        if x.shape[1] == 1:
            x = x.squeeze(1)
        self.out = x
        return self.out
    def parameters(self):
        return []
# %% Sequential
class Sequential:
    def __init__(self, layers):
        self.layers = layers
    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        self.out = x
        return self.out
    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]
# %% the model
layers = [Embedding(vocab_size, 24)]
fan_in = 24 * 2
for _ in range(3):
    layers += [FlattenConsecutive(2), Linear(fan_in, 128, bias=False), BatchNorm1d(128), Tanh()]
    fan_in = 128 * 2
layers.append(Linear(128, vocab_size))
model = Sequential(layers)
