# verdict: wrong
# first: hprebn
# mistake: bngain is missing from the term dhpreact.sum(0)/n
# The product expanded by hand, and bngain kept in the first and last terms only.
dhprebn = (bngain * bnvar_inv * dhpreact
           - bnvar_inv / n * dhpreact.sum(0)
           - bngain * bnvar_inv / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
