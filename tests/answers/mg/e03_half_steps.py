# verdict: correct
# says: half steps
# Half a step either side: the two points are h apart, so divide by h.
def numerical_grad_symmetric(f, a, b, c, h=1e-6):
    return [(f(a + h / 2, b, c) - f(a - h / 2, b, c)) / h,
            (f(a, b + h / 2, c) - f(a, b - h / 2, c)) / h,
            (f(a, b, c + h / 2) - f(a, b, c - h / 2)) / h]
