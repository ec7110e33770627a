# verdict: wrong
# mistake: ln 26
uniform_loss = -math.log(1 / 26)
lecture_init_loss = first_loss(lecture_init)
