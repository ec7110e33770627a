# verdict: wrong
# mistake: df/dc|the two minus signs cancel
def gradf(a, b, c):
    return [-3 * a**2 - 0.5 * a**-0.5, 3 * cos(3 * b) + 2.5 * b**1.5, -1 / c**2]
