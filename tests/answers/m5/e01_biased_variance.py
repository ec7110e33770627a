# verdict: correct
if self.training:
    dims = (0, 1) if x.ndim == 3 else 0
    xmean = x.mean(dims, keepdim=True)
    xvar = x.var(dims, keepdim=True, unbiased=False)   # as torch normalises
else:
    xmean, xvar = self.running_mean, self.running_var
self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
if self.training:
    with torch.no_grad():
        self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
        self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
return self.out
