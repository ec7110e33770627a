# verdict: correct
# form: W3 of zeros appended, the direct term added last
def direct_init(block_size, n_embd, n_hidden, g):
    return lecture_init(block_size, n_embd, n_hidden, g) + [torch.zeros(block_size * n_embd, vocab_size)]


def direct_forward(X, C, W1, b1, W2, b2, W3):
    x = C[X].view(X.shape[0], -1)
    return b2 + x @ W3 + torch.tanh(b1 + x @ W1) @ W2
