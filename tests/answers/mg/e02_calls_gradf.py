# verdict: wrong
# mistake: calls gradf
def numerical_grad(f, a, b, c, h=1e-6):
    return gradf(a, b, c)
