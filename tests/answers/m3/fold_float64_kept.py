# verdict: wrong
# mistake: float32
def fold_batchnorm(layers):
    out = []
    for i, layer in enumerate(layers):
        if isinstance(layer, BatchNorm1d):
            continue
        new = copy.copy(layer)
        if isinstance(layer, Linear):
            bn = layers[i + 1]
            s = bn.gamma.detach().double() / torch.sqrt(bn.running_var.double() + bn.eps)
            new.weight = layer.weight.detach().double() * s
            new.bias = (bn.beta.detach().double() - bn.running_mean.double() * s).view(-1)
        out.append(new)
    return out
