# verdict: correct
# Matrix products and the embedding's scatter written with einsum, reshape instead of view.
dlogprobs = torch.zeros_like(logprobs).scatter_(1, Yb.unsqueeze(1), -1.0 / n)
dprobs = dlogprobs / probs
dcounts_sum_inv = torch.einsum('ij,ij->i', counts, dprobs).unsqueeze(1)
dcounts_sum = -counts_sum**-2 * dcounts_sum_inv
dcounts = counts_sum_inv * dprobs + dcounts_sum
dnorm_logits = counts * dcounts
dlogit_maxes = -dnorm_logits.sum(1, keepdim=True)
dlogits = dnorm_logits + torch.zeros_like(logits).scatter_(1, logits.argmax(1, keepdim=True), dlogit_maxes)
dh = torch.einsum('bk,hk->bh', dlogits, W2)
dW2 = torch.einsum('bh,bk->hk', h, dlogits)
db2 = torch.einsum('bk->k', dlogits)
dhpreact = (1.0 - h**2) * dh
dbngain = torch.einsum('bh,bh->h', bnraw, dhpreact).reshape(1, -1)
dbnbias = torch.einsum('bh->h', dhpreact).reshape(1, -1)
dbnraw = bngain * dhpreact
dbnvar_inv = torch.einsum('bh,bh->h', bndiff, dbnraw).reshape(1, -1)
dbnvar = -0.5 * (bnvar + 1e-5)**-1.5 * dbnvar_inv
dbndiff2 = dbnvar.expand(n, -1) / (n - 1)
dbndiff = bnvar_inv * dbnraw + 2 * bndiff * dbndiff2
dbnmeani = -torch.einsum('bh->h', dbndiff).reshape(1, -1)
dhprebn = dbndiff + dbnmeani / n
dembcat = torch.einsum('bh,ih->bi', dhprebn, W1)
dW1 = torch.einsum('bi,bh->ih', embcat, dhprebn)
db1 = torch.einsum('bh->h', dhprebn)
demb = dembcat.reshape(emb.shape)
dC = torch.einsum('bcv,bce->ve', F.one_hot(Xb, num_classes=vocab_size).float(), demb)
