# verdict: wrong
# mistake: computes the symmetric difference|(that one is E03)
def numerical_grad(f, a, b, c, h=1e-6):
    return [(f(a + h, b, c) - f(a - h, b, c)) / (2 * h),
            (f(a, b + h, c) - f(a, b - h, c)) / (2 * h),
            (f(a, b, c + h) - f(a, b, c - h)) / (2 * h)]
