# verdict: wrong
# mistake: eps is added outside the square root
# form: the standard deviation first, then eps added to it, as in gamma / (std + eps)
def fold_batchnorm(layers):
    out = []
    for i, layer in enumerate(layers):
        if isinstance(layer, BatchNorm1d):
            continue
        new = copy.copy(layer)
        if isinstance(layer, Linear):
            bn = layers[i + 1]
            std = bn.running_var.sqrt()
            s = bn.gamma.detach() / (std + bn.eps)
            new.weight = layer.weight.detach() * s
            new.bias = (bn.beta.detach() - bn.running_mean * s).view(-1)
        out.append(new)
    return out
