# verdict: correct
# The lecture's formula, with the sums over the batch without keepdim.
dhprebn = bngain*bnvar_inv/n * (n*dhpreact - dhpreact.sum(0) - n/(n-1)*bnraw*(dhpreact*bnraw).sum(0))
