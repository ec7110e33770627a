# verdict: wrong
# mistake: square root is missing
def fold_batchnorm(layers):
    out = []
    for i, layer in enumerate(layers):
        if isinstance(layer, BatchNorm1d):
            continue
        new = copy.copy(layer)
        if isinstance(layer, Linear):
            bn = layers[i + 1]
            s = bn.gamma.detach() / (bn.running_var + bn.eps)
            new.weight = layer.weight.detach() * s
            new.bias = (bn.beta.detach() - bn.running_mean * s).view(-1)
        out.append(new)
    return out
