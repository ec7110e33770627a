# verdict: wrong
# mistake: changed the trained net in place|did not touch your net
# form: scales each trained weight through .data (no autograd error), builds the list from the same objects
def fold_batchnorm(layers):
    new_layers = []
    for i, layer in enumerate(layers):
        if isinstance(layer, BatchNorm1d):
            continue
        if isinstance(layer, Linear) and i + 1 < len(layers) and isinstance(layers[i + 1], BatchNorm1d):
            bn = layers[i + 1]
            scale = bn.gamma.data / torch.sqrt(bn.running_var + bn.eps)
            bias = layer.bias.data if layer.bias is not None else torch.zeros(layer.weight.shape[1])
            layer.weight.data *= scale                 # the trained tensor itself
            layer.bias = ((bias - bn.running_mean) * scale + bn.beta.data).view(-1)
        new_layers.append(layer)
    return new_layers
