# verdict: correct
# form: F.cross_entropy of all-zero logits for a minibatch of batch_size targets (any batch gives ln 27)
batch_size = 32
logits = torch.zeros((batch_size, vocab_size))
uniform_loss = F.cross_entropy(logits, Ytr[:batch_size]).item()
lecture_init_loss = first_loss(lecture_init)
