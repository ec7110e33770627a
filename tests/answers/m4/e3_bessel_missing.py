# verdict: wrong
# first: hprebn
# mistake: Bessel's factor is missing in the term bnraw
# The formula derived with the biased variance: no n/(n-1) in the last term.
dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - bnraw*(dhpreact*bnraw).sum(0))
