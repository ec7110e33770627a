# verdict: wrong
# mistake: running_mean and running_var start swapped
# form: the whole class pasted, torch's names for the buffers kept, their initial values swapped
class BatchNorm1d:
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps, self.momentum, self.training = eps, momentum, True
        self.gamma, self.beta = torch.ones(dim), torch.zeros(dim)
        self.running_mean, self.running_var = torch.ones(dim), torch.zeros(dim)

    def __call__(self, x):
        dims = tuple(range(x.ndim - 1))
        if self.training:
            xmean, xvar = x.mean(dims), x.var(dims)
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        else:
            xmean, xvar = self.running_mean, self.running_var
        self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
        return self.out

    def parameters(self):
        return [self.gamma, self.beta]
