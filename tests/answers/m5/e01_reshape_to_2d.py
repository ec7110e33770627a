# verdict: correct
if self.training:
    flat = x.reshape(-1, x.shape[-1])     # every position of every example is a row
    xmean = flat.mean(0)
    xvar = flat.var(0)
    with torch.no_grad():
        self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
        self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
else:
    xmean, xvar = self.running_mean, self.running_var
self.out = (x - xmean) * torch.rsqrt(xvar + self.eps) * self.gamma + self.beta
return self.out
