# verdict: wrong
# mistake: the notebook's f, not of the function it is given
# The parameter is called func, but the body uses the notebook's f.
def numerical_grad(func, a, b, c, h=1e-6):
    return [(f(a + h, b, c) - f(a, b, c)) / h,
            (f(a, b + h, c) - f(a, b, c)) / h,
            (f(a, b, c + h) - f(a, b, c)) / h]
