# verdict: correct
# form: torch.nn.init.zeros_ on the Linear's own parameters() (which leave out a missing bias)
def zero_init(layers):
    for layer in layers:
        if isinstance(layer, Linear):
            for p in layer.parameters():
                torch.nn.init.zeros_(p)
