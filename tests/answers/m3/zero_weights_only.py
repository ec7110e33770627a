# verdict: wrong
# mistake: bias is not zero
def zero_init(layers):
    with torch.no_grad():
        for layer in layers:
            if isinstance(layer, Linear):
                layer.weight.zero_()
