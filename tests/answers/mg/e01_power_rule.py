# verdict: wrong
# mistake: df/db|the power rule for b**2.5|exponent drops by one
def gradf(a, b, c):
    return [-3 * a**2 - 0.5 * a**-0.5, 3 * cos(3 * b) + 2.5 * b**2.5, c**-2]
