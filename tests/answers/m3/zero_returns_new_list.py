# verdict: wrong
# mistake: weight is not zero
def zero_init(layers):
    new = []
    for layer in layers:
        if isinstance(layer, Linear):
            layer = copy.copy(layer)
            layer.weight = torch.zeros_like(layer.weight)
            if layer.bias is not None:
                layer.bias = torch.zeros_like(layer.bias)
        new.append(layer)
    return new
