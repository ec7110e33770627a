# verdict: correct
# form: cross-entropy of all-zero logits (a 0-d tensor kept), the init loss as a tensor
uniform_loss = F.cross_entropy(torch.zeros(5, vocab_size), torch.tensor([0, 1, 2, 3, 4]))
lecture_init_loss = torch.tensor(first_loss(lecture_init))
