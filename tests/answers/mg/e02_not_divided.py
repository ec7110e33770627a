# verdict: wrong
# mistake: not divided by h
def numerical_grad(f, a, b, c, h=1e-6):
    return [f(a + h, b, c) - f(a, b, c), f(a, b + h, c) - f(a, b, c), f(a, b, c + h) - f(a, b, c)]
