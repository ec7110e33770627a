# verdict: correct
# form: math.log of the vocabulary size
uniform_loss = math.log(27)
lecture_init_loss = first_loss(lecture_init)
