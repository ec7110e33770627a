# verdict: wrong
# mistake: returned None
def fold_batchnorm(layers):
    folded = []
    for i, layer in enumerate(layers):
        if isinstance(layer, Linear):
            bn = layers[i + 1]
            s = bn.gamma.detach() / torch.sqrt(bn.running_var + bn.eps)
            new = copy.copy(layer)
            new.weight = layer.weight.detach() * s
            new.bias = (bn.beta.detach() - bn.running_mean * s).view(-1)
            folded.append(new)
        elif isinstance(layer, Tanh):
            folded.append(layer)
