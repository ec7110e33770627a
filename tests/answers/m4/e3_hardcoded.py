# verdict: wrong
# first: hprebn
# mistake: hard-coded
# Bessel's factor n/(n-1) written as the number 32/31.
dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - 32/31*bnraw*(dhpreact*bnraw).sum(0))
