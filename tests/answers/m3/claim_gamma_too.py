# verdict: wrong
# mistake: 16 BatchNorm1d.gamma does not train
trains = ["16 BatchNorm1d.beta", "16 BatchNorm1d.gamma"]
