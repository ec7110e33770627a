# verdict: correct
# A loop over the inputs: copy the point, nudge one coordinate.
def numerical_grad(f, a, b, c, h=1e-6):
    point = [a, b, c]
    grad = []
    for i in range(3):
        nudged = list(point)
        nudged[i] += h
        grad.append((f(*nudged) - f(*point)) / h)
    return grad
