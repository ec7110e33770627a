# verdict: correct
# form: torch.nn.Linear layers (weight stored as (fan_out, fan_in)) with the folded tensors
def fold_batchnorm(layers):
    out = []
    for i, layer in enumerate(layers):
        if isinstance(layer, Linear):
            bn = layers[i + 1]
            fan_in, fan_out = layer.weight.shape
            s = bn.gamma.detach() / torch.sqrt(bn.running_var + bn.eps).view(-1)
            lin = torch.nn.Linear(fan_in, fan_out)
            with torch.no_grad():
                lin.weight.copy_((layer.weight.detach() * s).T)
                lin.bias.copy_(bn.beta.detach() - bn.running_mean.view(-1) * s)
            out.append(lin)
        elif isinstance(layer, Tanh):
            out.append(layer)
    return out
