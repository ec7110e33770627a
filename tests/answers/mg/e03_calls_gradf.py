# verdict: wrong
# mistake: calls gradf
def numerical_grad_symmetric(f, a, b, c, h=1e-6):
    return [float(x) for x in gradf(a, b, c)]
