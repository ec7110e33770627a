# verdict: correct
# form: copy.copy of each layer, new tensors W * s and (b - mean) * s + beta; bias None as zeros
def fold_batchnorm(layers):
    out = []
    for i, layer in enumerate(layers):
        if isinstance(layer, BatchNorm1d):
            continue
        new = copy.copy(layer)
        if isinstance(layer, Linear) and i + 1 < len(layers) and isinstance(layers[i + 1], BatchNorm1d):
            bn = layers[i + 1]
            s = bn.gamma / torch.sqrt(bn.running_var + bn.eps)
            b = layer.bias if layer.bias is not None else torch.zeros(layer.weight.shape[1])
            new.weight = (layer.weight * s).detach()
            new.bias = ((b - bn.running_mean) * s + bn.beta).detach().view(-1)
        out.append(new)
    return out
