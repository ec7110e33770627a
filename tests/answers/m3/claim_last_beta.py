# verdict: correct
# form: the table's name of the one parameter that trains
trains = ["16 BatchNorm1d.beta"]
