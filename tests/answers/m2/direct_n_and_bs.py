# verdict: correct
# form: the lecture's n for the rows (len(X)), bs for the embeddings' first dimension, the direct term first
def direct_init(block_size, n_embd, n_hidden, g):
    return lecture_init(block_size, n_embd, n_hidden, g) + [torch.randn((block_size * n_embd, vocab_size), generator=g) * 0.01]


def direct_forward(X, C, W1, b1, W2, b2, W3):
    n = len(X)
    emb = C[X]
    bs = emb.shape[0]
    assert bs == n
    x = emb.view(n, W1.shape[0])
    return x @ W3 + (torch.tanh(x @ W1 + b1) @ W2 + b2)
