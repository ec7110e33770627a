# verdict: correct
if self.training:
    if x.ndim == 3:
        xmean = x.mean(0, keepdim=True).mean(1, keepdim=True)
        m = x.shape[0] * x.shape[1]
        xvar = ((x - xmean) ** 2).sum(0, keepdim=True).sum(1, keepdim=True) / (m - 1)
    else:
        xmean = x.mean(0, keepdim=True)
        xvar = x.var(0, keepdim=True)
else:
    xmean, xvar = self.running_mean, self.running_var
self.out = self.gamma * ((x - xmean) / torch.sqrt(xvar + self.eps)) + self.beta
if self.training:
    with torch.no_grad():
        self.running_mean = self.running_mean * (1 - self.momentum) + xmean * self.momentum
        self.running_var = self.running_var * (1 - self.momentum) + xvar * self.momentum
return self.out
