# verdict: wrong
# first: hprebn
# mistake: the term dhpreact.sum(0)/n has the wrong sign
# The mean of the upstream gradient added instead of subtracted.
dhprebn = bngain*bnvar_inv/n * (n*dhpreact + dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0))
