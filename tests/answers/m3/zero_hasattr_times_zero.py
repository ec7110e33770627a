# verdict: correct
# form: duck typing on hasattr(layer, "weight"), multiply by 0 in place
def zero_init(layers):
    with torch.no_grad():
        for layer in layers:
            if hasattr(layer, "weight"):
                layer.weight *= 0
                if getattr(layer, "bias", None) is not None:
                    layer.bias *= 0
