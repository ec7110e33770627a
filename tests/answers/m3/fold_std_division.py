# verdict: correct
# form: divides by the running standard deviation, b' = beta - gamma * mean / std
def fold_batchnorm(layers):
    folded = []
    for lin, nxt in zip(layers, layers[1:] + [None]):
        if isinstance(lin, BatchNorm1d):
            continue
        if isinstance(lin, Linear) and isinstance(nxt, BatchNorm1d):
            std = (nxt.running_var + nxt.eps).sqrt()
            f = copy.copy(lin)
            f.weight = lin.weight.detach() / std * nxt.gamma.detach()
            bias = 0 if lin.bias is None else lin.bias.detach()
            f.bias = (nxt.gamma.detach() * (bias - nxt.running_mean) / std + nxt.beta.detach()).squeeze(0)
            folded.append(f)
        else:
            folded.append(lin)
    return folded
