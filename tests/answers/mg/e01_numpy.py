# verdict: correct
# numpy's cos and sqrt, the square roots written out, returning a numpy array.
import numpy as np


def gradf(a, b, c):
    return np.array([-3 * a * a - 1 / (2 * np.sqrt(a)),
                     3 * np.cos(3 * b) + 2.5 * b * np.sqrt(b),
                     1 / (c * c)])
