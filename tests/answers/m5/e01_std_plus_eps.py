# verdict: wrong
# mistake: eps is outside the square root
if self.training:
    dim = 0 if x.ndim == 2 else (0, 1)
    xmean = x.mean(dim, keepdim=True)
    xstd = x.std(dim, keepdim=True)
else:
    xmean, xstd = self.running_mean, self.running_var.sqrt()
self.out = self.gamma * (x - xmean) / (xstd + self.eps) + self.beta
return self.out
