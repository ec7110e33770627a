# verdict: wrong
# mistake: 16 BatchNorm1d.beta train(s) too
trains = []
