# verdict: correct
# form: emb.view(-1, 30) as in the lecture (the rows left to view), the bias added last
def direct_init(block_size, n_embd, n_hidden, g):
    return lecture_init(block_size, n_embd, n_hidden, g) + [torch.zeros(block_size * n_embd, vocab_size)]


def direct_forward(X, C, W1, b1, W2, b2, W3):
    embcat = C[X].view(-1, 30)
    return torch.tanh(embcat @ W1 + b1) @ W2 + embcat @ W3 + b2
