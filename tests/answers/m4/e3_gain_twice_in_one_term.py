# verdict: wrong
# first: hprebn
# mistake: bngain is applied twice in the term dhpreact
# The product expanded by hand, with bngain written twice in the first term.
dhprebn = (bngain * bngain * bnvar_inv * dhpreact
           - bngain * bnvar_inv / n * dhpreact.sum(0)
           - bngain * bnvar_inv / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
