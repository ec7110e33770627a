# verdict: correct
# The same gradient written with means over the batch (a mean is the sum divided by n) and keepdim.
dhprebn = bngain * bnvar_inv * (dhpreact - dhpreact.mean(0, keepdim=True)
                                - n / (n - 1) * bnraw * (dhpreact * bnraw).mean(0, keepdim=True))
