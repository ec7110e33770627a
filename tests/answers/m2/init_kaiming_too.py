# verdict: correct
# form: own draws, Kaiming-scaled hidden layer, small output layer, biases kept (1, n)
def better_init(block_size, n_embd, n_hidden, g):
    fan_in = block_size * n_embd
    C = torch.randn((vocab_size, n_embd), generator=g)
    W1 = torch.randn((fan_in, n_hidden), generator=g) * (5 / 3) / fan_in**0.5
    b1 = torch.randn((1, n_hidden), generator=g) * 0.01
    W2 = torch.randn((n_hidden, vocab_size), generator=g) * 0.01
    b2 = torch.zeros((1, vocab_size))
    return [C, W1, b1, W2, b2]
