# verdict: correct
# A helper that nudges one coordinate, and a list comprehension.
def numerical_grad_symmetric(f, a, b, c, h=1e-6):
    x = [a, b, c]

    def nudge(i, d):
        y = x.copy()
        y[i] = y[i] + d
        return y
    return [(f(*nudge(i, h)) - f(*nudge(i, -h))) / (2 * h) for i in range(len(x))]
