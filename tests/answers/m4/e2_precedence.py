# verdict: wrong
# first: logits
# mistake: operator precedence | put it in parentheses
# The one-expression form without its parentheses: / n binds to the one-hot term only.
dlogits = F.softmax(logits, 1) - F.one_hot(Yb, vocab_size) / n
