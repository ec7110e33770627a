# verdict: wrong
# mistake: running_mean is not subtracted
def fold_batchnorm(layers):
    out = []
    for i, layer in enumerate(layers):
        if isinstance(layer, BatchNorm1d):
            continue
        new = copy.copy(layer)
        if isinstance(layer, Linear):
            bn = layers[i + 1]
            s = bn.gamma.detach() / torch.sqrt(bn.running_var + bn.eps)
            new.weight = layer.weight.detach() * s
            new.bias = bn.beta.detach().clone()
        out.append(new)
    return out
