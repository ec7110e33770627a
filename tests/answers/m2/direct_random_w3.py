# verdict: correct
# form: a small random W3, reusing the given forward
def direct_init(block_size, n_embd, n_hidden, g):
    params = lecture_init(block_size, n_embd, n_hidden, g)
    return params + [torch.randn((block_size * n_embd, vocab_size), generator=g) * 0.01]


def direct_forward(X, C, W1, b1, W2, b2, W3):
    return forward(X, C, W1, b1, W2, b2) + C[X].flatten(1) @ W3
