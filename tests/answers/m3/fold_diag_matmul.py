# verdict: correct
# form: W @ diag(s), deepcopy of the whole list first, then BatchNorm dropped
def fold_batchnorm(layers):
    layers = [copy.copy(l) for l in layers]
    keep = []
    for i, layer in enumerate(layers):
        if isinstance(layer, BatchNorm1d):
            lin = keep[-1]
            s = layer.gamma.detach() / torch.sqrt(layer.running_var.view(-1) + layer.eps)
            b = lin.bias if lin.bias is not None else torch.zeros_like(s)
            lin.weight = lin.weight.detach() @ torch.diag(s)
            lin.bias = (b.detach() - layer.running_mean.view(-1)) * s + layer.beta.detach()
        else:
            keep.append(layer)
    return keep
