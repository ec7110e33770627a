# verdict: wrong
# mistake: skip the bias when it is None
def zero_init(layers):
    for layer in layers:
        if isinstance(layer, Linear):
            layer.weight.data.zero_()
            layer.bias.data.zero_()
