# verdict: correct
# form: isinstance loop over every layer, zero_() under no_grad, a None bias skipped
def zero_init(layers):
    with torch.no_grad():
        for layer in layers:
            if isinstance(layer, Linear):
                layer.weight.zero_()
                if layer.bias is not None:
                    layer.bias.zero_()
