# verdict: correct
# dC by a single loop over the 96 flattened positions, with +=; the gradient of bnvar_inv's
# power written with torch.pow; a comment line and a print among the rows.
dlogprobs = torch.zeros_like(logprobs)
dlogprobs[range(n), Yb] = -1 / n
dprobs = dlogprobs / probs
dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True)
dcounts_sum = -torch.pow(counts_sum, -2) * dcounts_sum_inv
dcounts = counts_sum_inv * dprobs + dcounts_sum
dnorm_logits = counts * dcounts
dlogit_maxes = -dnorm_logits.sum(1, keepdim=True)
dlogits = dnorm_logits + F.one_hot(logits.max(1).indices, vocab_size) * dlogit_maxes
print('cross-entropy part done')
dh = dlogits @ W2.T
dW2 = h.T @ dlogits
db2 = dlogits.sum(0)
dhpreact = (1.0 - h**2) * dh
dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
dbnbias = dhpreact.sum(0, keepdim=True)
dbnraw = bngain * dhpreact
dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True)
dbnvar = -0.5 * torch.pow(bnvar + 1e-5, -1.5) * dbnvar_inv
dbndiff2 = torch.ones_like(bndiff2) / (n - 1) * dbnvar
dbndiff = bnvar_inv * dbnraw + 2 * bndiff * dbndiff2
dbnmeani = -dbndiff.sum(0, keepdim=True)
dhprebn = dbndiff + dbnmeani / n
dembcat = dhprebn @ W1.T
dW1 = embcat.T @ dhprebn
db1 = dhprebn.sum(0)
demb = dembcat.view(emb.shape)
flat_ix, flat_demb = Xb.view(-1), demb.view(-1, n_embd)
dC = torch.zeros_like(C)
for m in range(flat_ix.shape[0]):
    dC[flat_ix[m]] += flat_demb[m]
