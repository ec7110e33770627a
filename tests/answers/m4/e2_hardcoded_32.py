# verdict: wrong
# first: logits
# mistake: hard-coded 32
# The batch size written as a number.
dlogits = F.softmax(logits, 1)
dlogits[range(32), Yb] -= 1
dlogits /= 32
