# verdict: wrong
# mistake: in place
def fold_batchnorm(layers):
    # new tensors, but assigned to the original layer objects: the trained net changes all the same
    for i, layer in enumerate(layers):
        if isinstance(layer, Linear):
            bn = layers[i + 1]
            s = bn.gamma.detach() / torch.sqrt(bn.running_var + bn.eps)
            layer.weight = layer.weight.detach() * s
            layer.bias = (bn.beta.detach() - bn.running_mean * s).view(-1)
    return [layer for layer in layers if not isinstance(layer, BatchNorm1d)]
