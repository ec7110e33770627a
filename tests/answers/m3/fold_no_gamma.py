# verdict: wrong
# mistake: gamma is missing
def fold_batchnorm(layers):
    out = []
    for i, layer in enumerate(layers):
        if isinstance(layer, BatchNorm1d):
            continue
        new = copy.copy(layer)
        if isinstance(layer, Linear):
            bn = layers[i + 1]
            inv_std = 1 / torch.sqrt(bn.running_var + bn.eps)
            new.weight = layer.weight.detach() * inv_std
            new.bias = (-bn.running_mean * inv_std + bn.beta.detach()).view(-1)
        out.append(new)
    return out
