# verdict: correct
# form: the number of rows named batch_size, taken from the input inside the function (as public answers write it)
def direct_init(block_size, n_embd, n_hidden, g):
    C, W1, b1, W2, b2 = lecture_init(block_size, n_embd, n_hidden, g)
    W3 = torch.zeros((block_size * n_embd, vocab_size))
    return [C, W1, b1, W2, b2, W3]


def direct_forward(X, C, W1, b1, W2, b2, W3):
    batch_size = X.shape[0]
    emb = C[X]
    embcat = emb.view(batch_size, -1)
    h = torch.tanh(embcat @ W1 + b1)
    return h @ W2 + b2 + embcat @ W3
