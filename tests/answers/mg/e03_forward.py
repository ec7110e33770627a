# verdict: wrong
# mistake: computes the forward difference|(that one is E02)
# The forward difference again, where the symmetric one is asked.
def numerical_grad_symmetric(f, a, b, c, h=1e-6):
    f0 = f(a, b, c)
    return [(f(a + h, b, c) - f0) / h, (f(a, b + h, c) - f0) / h, (f(a, b, c + h) - f0) / h]
