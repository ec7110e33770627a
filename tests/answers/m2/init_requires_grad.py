# verdict: wrong
# mistake: leaf tensors
def better_init(block_size, n_embd, n_hidden, g):
    C, W1, b1, W2, b2 = [p.requires_grad_() for p in lecture_init(block_size, n_embd, n_hidden, g)]
    return [C, W1, b1, W2 * 0.01, b2 * 0]
