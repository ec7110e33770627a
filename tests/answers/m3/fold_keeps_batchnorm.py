# verdict: wrong
# mistake: still has BatchNorm1d
def fold_batchnorm(layers):
    return [copy.copy(layer) for layer in layers]
