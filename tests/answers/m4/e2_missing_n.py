# verdict: wrong
# first: logits
# mistake: 32x too large
# The gradient of one row's loss, without the 1/n of the mean over the batch.
dlogits = F.softmax(logits, 1) - F.one_hot(Yb, num_classes=vocab_size)
