# verdict: correct
# Written from bndiff and bnvar instead of bnraw and bnvar_inv, over two lines.
dxhat = bngain * dhpreact
dhprebn = (dxhat - dxhat.mean(0) - bndiff * (dxhat * bndiff).sum(0) / ((n - 1) * (bnvar + 1e-5))) / (bnvar + 1e-5).sqrt()
