# verdict: correct
# form: every parameter in float64
def better_init(block_size, n_embd, n_hidden, g):
    return [p.double() * k for p, k in zip(lecture_init(block_size, n_embd, n_hidden, g), (1, 1, 1, 0.01, 0))]
