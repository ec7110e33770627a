# verdict: wrong
# mistake: all three inputs are nudged at once
def numerical_grad(f, a, b, c, h=1e-6):
    slope = (f(a + h, b + h, c + h) - f(a, b, c)) / h
    return [slope, slope, slope]
