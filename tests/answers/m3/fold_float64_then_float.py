# verdict: correct
# form: computes in float64 with rsqrt, converts back to float32
def fold_batchnorm(layers):
    result = []
    for k, layer in enumerate(layers):
        if isinstance(layer, Linear):
            W = layer.weight.detach().double()
            b = torch.zeros(W.shape[1], dtype=torch.float64) if layer.bias is None else layer.bias.detach().double()
            nxt = layers[k + 1] if k + 1 < len(layers) else None
            if isinstance(nxt, BatchNorm1d):
                s = nxt.gamma.detach().double() * torch.rsqrt(nxt.running_var.double() + nxt.eps)
                W = W * s
                b = (b - nxt.running_mean.double()) * s + nxt.beta.detach().double()
            new = copy.copy(layer)
            new.weight, new.bias = W.float(), b.float().flatten()
            result.append(new)
        elif not isinstance(layer, BatchNorm1d):
            result.append(layer)
    return result
