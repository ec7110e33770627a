# verdict: correct
# form: W2 and b2 exactly zero (first loss exactly ln 27; the check notes the missing first-step gradient)
def better_init(block_size, n_embd, n_hidden, g):
    C, W1, b1, W2, b2 = lecture_init(block_size, n_embd, n_hidden, g)
    return [C, W1, b1, torch.zeros_like(W2), torch.zeros_like(b2)]
