# verdict: correct
# biased variance to normalise, unbiased one in running_var: what torch.nn.BatchNorm1d does
dims = tuple(range(x.ndim - 1))
if self.training:
    m = x[..., 0].numel()
    xmean = x.mean(dims)
    xvar = ((x - xmean) ** 2).mean(dims)
    with torch.no_grad():
        self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
        self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar * m / (m - 1)
else:
    xmean, xvar = self.running_mean, self.running_var
self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
return self.out
