# verdict: wrong
# mistake: below ln 27
def better_init(block_size, n_embd, n_hidden, g):
    C, W1, b1, W2, b2 = lecture_init(block_size, n_embd, n_hidden, g)
    counts = torch.bincount(Ytr, minlength=vocab_size).float() + 1
    return [C, W1, b1, W2 * 0, counts.log()]   # starts at the unigram loss, not uniform
