# verdict: wrong
# first: W1
# mistake: dhprebn
# E3's formula without Bessel's factor inside manual_step: W1, b1 and C are wrong together.
def manual_step(Xb, Yb):
    loss, emb, embcat, bnraw, bnvar_inv, h, logits = forward(Xb, Yb)
    dlogits = (F.softmax(logits, 1) - F.one_hot(Yb, num_classes=vocab_size)) / n
    dh = dlogits @ W2.T
    dW2 = h.T @ dlogits
    db2 = dlogits.sum(0)
    dhpreact = (1.0 - h**2) * dh
    dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
    dbnbias = dhpreact.sum(0, keepdim=True)
    dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - bnraw*(dhpreact*bnraw).sum(0))
    dembcat = dhprebn @ W1.T
    dW1 = embcat.T @ dhprebn
    db1 = dhprebn.sum(0)
    dC = torch.zeros_like(C).index_add_(0, Xb.view(-1), dembcat.view(-1, n_embd))
    return loss, [dC, dW1, db1, dW2, db2, dbngain, dbnbias]
