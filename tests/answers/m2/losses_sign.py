# verdict: wrong
# mistake: sign is flipped
uniform_loss = math.log(1 / 27)
lecture_init_loss = first_loss(lecture_init)
