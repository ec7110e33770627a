# verdict: wrong
# first: hprebn
# mistake: bngain is applied twice in every term
# dbnraw (bngain * dhpreact) used inside the bracket, and bngain kept in front of it as well.
dxhat = bngain * dhpreact
dhprebn = bngain * bnvar_inv / n * (n * dxhat - dxhat.sum(0) - n / (n - 1) * bnraw * (dxhat * bnraw).sum(0))
