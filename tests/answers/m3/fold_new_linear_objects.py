# verdict: correct
# form: builds fresh Linear objects (which draw from g) and overwrites their tensors; bias kept (1, n)
def fold_batchnorm(layers):
    folded = []
    i = 0
    while i < len(layers):
        layer = layers[i]
        if isinstance(layer, Linear) and i + 1 < len(layers) and isinstance(layers[i + 1], BatchNorm1d):
            bn = layers[i + 1]
            fan_in, fan_out = layer.weight.shape
            lin = Linear(fan_in, fan_out, bias=True)
            with torch.no_grad():
                scale = bn.gamma / (bn.running_var + bn.eps) ** 0.5
                lin.weight = layer.weight * scale
                lin.bias = bn.beta - bn.running_mean * scale          # the lecture's Linear had no bias
                if layer.bias is not None:
                    lin.bias = lin.bias + layer.bias * scale
            folded.append(lin)
            i += 2
        else:
            folded.append(layer)
            i += 1
    return folded
