# verdict: wrong
# mistake: STARTED from
uniform_loss = math.log(27)
lecture_init_loss = uniform_loss
