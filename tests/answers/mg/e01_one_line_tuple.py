# verdict: correct
# One line, math.cos through the module, a tuple, c**(-2.0).
def gradf(a, b, c):
    return (-3*a**2 - 0.5*a**(-0.5), 3*math.cos(3*b) + 2.5*b**(1.5), c**(-2.0))
