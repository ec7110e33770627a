# verdict: wrong
# mistake: works on 32 rows but not on 300
batch_size = 32  # the minibatch of the training loop, set at the top of the notebook


def direct_init(block_size, n_embd, n_hidden, g):
    return lecture_init(block_size, n_embd, n_hidden, g) + [torch.zeros(block_size * n_embd, vocab_size)]


def direct_forward(X, C, W1, b1, W2, b2, W3):
    embcat = C[X].view(batch_size, -1)
    return torch.tanh(embcat @ W1 + b1) @ W2 + b2 + embcat @ W3
