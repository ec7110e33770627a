# verdict: wrong
# mistake: log10
uniform_loss = math.log10(27)
lecture_init_loss = first_loss(lecture_init)
