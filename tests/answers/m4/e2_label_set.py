# verdict: wrong
# first: logits
# mistake: set to -1 instead of having 1 subtracted
# The label's entry overwritten with -1 instead of softmax - 1.
dlogits = F.softmax(logits, 1)
dlogits[range(n), Yb] = -1
dlogits /= n
