# verdict: correct
# says: a backward difference (f(x) - f(x - h)) / h (as accurate
def numerical_grad(f, a, b, c, h=1e-6):
    f0 = f(a, b, c)
    return [(f0 - f(a - h, b, c)) / h, (f0 - f(a, b - h, c)) / h, (f0 - f(a, b, c - h)) / h]
