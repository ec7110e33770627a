# verdict: correct
# The batch size under a name of the answer's own, taken from the labels in the same cell.
bs = Yb.shape[0]
dlogits = (F.softmax(logits, 1) - F.one_hot(Yb, num_classes=vocab_size).float()) / bs
