# verdict: correct
# form: new zero tensors assigned to the layer (train() collects parameters afterwards)
def zero_init(layers):
    for layer in layers:
        if type(layer).__name__ == "Linear":
            layer.weight = torch.zeros_like(layer.weight)
            if layer.bias is not None:
                layer.bias = torch.zeros_like(layer.bias)
