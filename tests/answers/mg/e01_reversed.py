# verdict: wrong
# mistake: reverse order
def gradf(a, b, c):
    return [c**-2, 3 * cos(3 * b) + 2.5 * b**1.5, -3 * a**2 - 0.5 * a**-0.5]
