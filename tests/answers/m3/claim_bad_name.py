# verdict: wrong
# mistake: no parameter named
trains = ["bnbias"]
