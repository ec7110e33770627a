# verdict: correct
import numpy as np


def numerical_grad_symmetric(f, a, b, c, h=1e-6):
    x = np.array([a, b, c], dtype=np.float64)
    grad = np.zeros(3)
    for i in range(3):
        step = np.zeros(3)
        step[i] = h
        grad[i] = (f(*(x + step)) - f(*(x - step))) / (2 * h)
    return grad
