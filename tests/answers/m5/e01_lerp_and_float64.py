# verdict: correct
if self.training:
    dim = (0, 1) if x.ndim == 3 else 0
    xd = x.double()
    xmean, xvar = xd.mean(dim), xd.var(dim)
    with torch.no_grad():
        self.running_mean = torch.lerp(self.running_mean, xmean.float(), self.momentum)
        self.running_var = torch.lerp(self.running_var, xvar.float(), self.momentum)
    self.out = (self.gamma * (xd - xmean) / torch.sqrt(xvar + self.eps) + self.beta).float()
else:
    self.out = self.gamma * (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) + self.beta
return self.out
