# verdict: wrong
# mistake: not scaled and shifted
if self.training:
    dim = 0 if x.ndim == 2 else (0, 1)
    xmean = x.mean(dim, keepdim=True)
    xvar = x.var(dim, keepdim=True)
else:
    xmean, xvar = self.running_mean, self.running_var
self.out = (x - xmean) / torch.sqrt(xvar + self.eps)
return self.out
