# verdict: wrong
# mistake: momentum 0.01 instead of
if self.training:
    dim = 0 if x.ndim == 2 else (0, 1)
    xmean = x.mean(dim, keepdim=True)
    xvar = x.var(dim, keepdim=True)
else:
    xmean, xvar = self.running_mean, self.running_var
self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
if self.training:
    with torch.no_grad():
        self.running_mean = 0.99 * self.running_mean + 0.01 * xmean
        self.running_var = 0.99 * self.running_var + 0.01 * xvar
return self.out
