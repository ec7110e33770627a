# verdict: correct
# says: forward difference
# No h parameter: the official notebook's h = 0.000001 written inside.
def numerical_grad(f, a, b, c):
    h = 0.000001
    return [(f(a + h, b, c) - f(a, b, c)) / h,
            (f(a, b + h, c) - f(a, b, c)) / h,
            (f(a, b, c + h) - f(a, b, c)) / h]
