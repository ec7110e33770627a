# verdict: correct
# form: .data.zero_() as older tutorials write it
def zero_init(layers):
    for layer in layers:
        if isinstance(layer, Linear):
            layer.weight.data.zero_()
            if layer.bias is not None:
                layer.bias.data.zero_()
