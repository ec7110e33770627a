# verdict: correct
# One expression with F.one_hot (the integer one-hot is promoted to float by the subtraction).
dlogits = (F.softmax(logits, dim=1) - F.one_hot(Yb, num_classes=vocab_size)) / n
