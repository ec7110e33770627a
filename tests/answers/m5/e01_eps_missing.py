# verdict: wrong
# mistake: eps is missing
if self.training:
    dim = 0 if x.ndim == 2 else (0, 1)
    xmean = x.mean(dim, keepdim=True)
    xvar = x.var(dim, keepdim=True)
else:
    xmean, xvar = self.running_mean, self.running_var
self.out = self.gamma * (x - xmean) / torch.sqrt(xvar) + self.beta
if self.training:
    with torch.no_grad():
        self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
        self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
return self.out
