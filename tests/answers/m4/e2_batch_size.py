# verdict: correct
# The form most public answers take: the lecture's three lines with batch_size where ours write n.
dlogits = F.softmax(logits, dim=1)
dlogits[range(batch_size), Yb] -= 1
dlogits /= batch_size
