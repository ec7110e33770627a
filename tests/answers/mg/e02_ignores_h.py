# verdict: wrong
# mistake: ignores its h argument
def numerical_grad(f, a, b, c, h=1e-6):
    step = 0.000001
    return [(f(a + step, b, c) - f(a, b, c)) / step,
            (f(a, b + step, c) - f(a, b, c)) / step,
            (f(a, b, c + step) - f(a, b, c)) / step]
