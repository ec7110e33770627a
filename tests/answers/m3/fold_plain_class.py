# verdict: correct
# form: a small class of its own for the folded layer; einsum for the column scaling
class Affine:
    def __init__(self, weight, bias):
        self.weight, self.bias = weight, bias

    def __call__(self, x):
        self.out = x @ self.weight + self.bias
        return self.out


def fold_batchnorm(layers):
    net = []
    for i, layer in enumerate(layers):
        if isinstance(layer, Linear):
            bn = layers[i + 1]
            s = (bn.gamma / torch.sqrt(bn.running_var + bn.eps)).view(-1).detach()
            W = torch.einsum("ij,j->ij", layer.weight.detach(), s)
            b0 = layer.bias.detach() if layer.bias is not None else 0.0
            net.append(Affine(W, (b0 - bn.running_mean.view(-1)) * s + bn.beta.detach()))
        elif isinstance(layer, Tanh):
            net.append(Tanh())
    return net
