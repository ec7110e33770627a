# verdict: correct
# form: minus the log of a tensor 1/27, the lecture's first_loss
uniform_loss = -torch.tensor(1 / vocab_size).log().item()
lecture_init_loss = first_loss(lecture_init)
