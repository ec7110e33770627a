# verdict: wrong
# mistake: a name from outside the function
def direct_init(block_size, n_embd, n_hidden, g):
    return lecture_init(block_size, n_embd, n_hidden, g) + [torch.zeros(block_size * n_embd, vocab_size)]


def direct_forward(X, C, W1, b1, W2, b2, W3):
    embcat = C[X].view(-1, block_size * n_embd)  # block_size and n_embd are train()'s arguments, not globals
    return torch.tanh(embcat @ W1 + b1) @ W2 + b2 + embcat @ W3
