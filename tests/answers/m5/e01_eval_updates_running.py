# verdict: wrong
# mistake: changed in eval mode
dim = 0 if x.ndim == 2 else (0, 1)
if self.training:
    xmean = x.mean(dim, keepdim=True)
    xvar = x.var(dim, keepdim=True)
else:
    xmean, xvar = self.running_mean, self.running_var
self.out = self.gamma * (x - xmean) / torch.sqrt(xvar + self.eps) + self.beta
with torch.no_grad():   # updates in eval mode too, towards the batch's statistics
    self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * x.mean(dim, keepdim=True)
    self.running_var = (1 - self.momentum) * self.running_var + self.momentum * x.var(dim, keepdim=True)
return self.out
