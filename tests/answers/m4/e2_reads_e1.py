# verdict: wrong
# first: logits
# mistake: one expression | dnorm_logits
# E1's last line pasted as E2: right values, but not the one expression E2 asks for.
dlogits = dnorm_logits + F.one_hot(logits.max(1).indices, num_classes=vocab_size) * dlogit_maxes
