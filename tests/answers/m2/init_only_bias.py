# verdict: wrong
# mistake: logits are still large
def better_init(block_size, n_embd, n_hidden, g):
    C, W1, b1, W2, b2 = lecture_init(block_size, n_embd, n_hidden, g)
    return [C, W1, b1, W2, b2 * 0]
