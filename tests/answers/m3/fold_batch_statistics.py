# verdict: wrong
# mistake: not those of a batch
def fold_batchnorm(layers):
    # uses the mean and variance of the last batch the Linear saw (its .out), as in training mode
    out = []
    for i, layer in enumerate(layers):
        if isinstance(layer, BatchNorm1d):
            continue
        new = copy.copy(layer)
        if isinstance(layer, Linear):
            bn = layers[i + 1]
            xmean, xvar = layer.out.mean(0), layer.out.var(0)
            s = bn.gamma.detach() / torch.sqrt(xvar + bn.eps)
            new.weight = layer.weight.detach() * s
            new.bias = (bn.beta.detach() - xmean * s).view(-1)
        out.append(new)
    return out
