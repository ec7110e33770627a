# verdict: wrong
# first: logits
# mistake: softmax over dim 0
# Softmax taken down the batch instead of across the 27 characters.
dlogits = (F.softmax(logits, 0) - F.one_hot(Yb, num_classes=vocab_size)) / n
