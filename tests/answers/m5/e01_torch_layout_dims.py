# verdict: wrong
# mistake: dims (0, 2)
if self.training:
    dim = 0 if x.ndim == 2 else (0, 2)    # torch's (N, C, L) layout, but x is (N, L, C)
    xmean = x.mean(dim, keepdim=True)
    xvar = x.var(dim, keepdim=True)
else:
    xmean, xvar = self.running_mean, self.running_var
self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
return self.out
