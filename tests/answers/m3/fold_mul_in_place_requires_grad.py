# verdict: wrong
# mistake: writes into a trained weight in place|did not touch your net
# form: mul_ on the trained weight outside torch.no_grad(): PyTorch refuses the in-place write on a leaf
def fold_batchnorm(layers):
    out = []
    for i, layer in enumerate(layers):
        if isinstance(layer, Linear):
            bn = layers[i + 1]
            s = bn.gamma / torch.sqrt(bn.running_var + bn.eps)
            layer.weight.mul_(s)
            layer.bias = (bn.beta - bn.running_mean * s).view(-1)
            out.append(layer)
        elif isinstance(layer, Tanh):
            out.append(layer)
    return out
