# verdict: correct
if self.training:
    dim = (0, 1) if x.ndim == 3 else (0,)
    xvar, xmean = torch.var_mean(x, dim=dim, correction=1, keepdim=True)
    with torch.no_grad():
        self.running_mean.mul_(1 - self.momentum).add_(self.momentum * xmean.view(-1))
        self.running_var.mul_(1 - self.momentum).add_(self.momentum * xvar.view(-1))
else:
    xmean, xvar = self.running_mean, self.running_var
self.out = self.gamma * (x - xmean) / (xvar + self.eps).sqrt() + self.beta
return self.out
