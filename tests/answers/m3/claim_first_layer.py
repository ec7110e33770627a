# verdict: wrong
# mistake: exactly 0
trains = ["0 Linear.weight"]
