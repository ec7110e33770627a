# verdict: wrong
# mistake: in place
def fold_batchnorm(layers):
    with torch.no_grad():
        for i, layer in enumerate(layers):
            if isinstance(layer, Linear):
                bn = layers[i + 1]
                s = bn.gamma / torch.sqrt(bn.running_var + bn.eps)
                layer.weight *= s                      # writes into the trained net's tensor
                layer.bias = (bn.beta - bn.running_mean * s).view(-1)
    return [layer for layer in layers if not isinstance(layer, BatchNorm1d)]
