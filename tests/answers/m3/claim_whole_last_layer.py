# verdict: wrong
# mistake: 15 Linear.bias does not train
trains = ["15 Linear.bias", "16 BatchNorm1d.gamma", "16 BatchNorm1d.beta"]
