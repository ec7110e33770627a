# verdict: correct
# form: a single string, spacing not as the table prints it
trains = "16  BatchNorm1d.beta"
