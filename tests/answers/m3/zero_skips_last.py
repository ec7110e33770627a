# verdict: wrong
# mistake: layers[:-1] skips it
def zero_init(layers):
    with torch.no_grad():
        for layer in layers[:-1]:          # the lecture's init loop
            if isinstance(layer, Linear):
                layer.weight.zero_()
                if layer.bias is not None:
                    layer.bias.zero_()
