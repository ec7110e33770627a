# verdict: wrong
# mistake: more than 0.02
# W2 * 0.05 starts about 0.3 above ln 27; the old check, judging against a uniform_loss of ln 28
# or a rounded 3.33 typed in by hand, let such starts through.
def better_init(block_size, n_embd, n_hidden, g):
    C, W1, b1, W2, b2 = lecture_init(block_size, n_embd, n_hidden, g)
    return [C, W1, b1, W2 * 0.05, b2 * 0]
