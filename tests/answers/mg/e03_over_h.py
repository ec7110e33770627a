# verdict: wrong
# mistake: twice the derivative|divide by 2 * h
def numerical_grad_symmetric(f, a, b, c, h=1e-6):
    return [(f(a + h, b, c) - f(a - h, b, c)) / h,
            (f(a, b + h, c) - f(a, b - h, c)) / h,
            (f(a, b, c + h) - f(a, b, c - h)) / h]
