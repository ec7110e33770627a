# verdict: wrong
# mistake: df/da|the sign of the a**0.5 term
def gradf(a, b, c):
    return [-3 * a**2 + 0.5 * a**-0.5, 3 * cos(3 * b) + 2.5 * b**1.5, c**-2]
