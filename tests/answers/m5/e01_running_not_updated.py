# verdict: wrong
# mistake: did not change in training mode
if self.training:
    dim = 0 if x.ndim == 2 else (0, 1)
    xmean = x.mean(dim, keepdim=True)
    xvar = x.var(dim, keepdim=True)
else:
    xmean = self.running_mean
    xvar = self.running_var
self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
return self.out
