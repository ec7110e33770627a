# verdict: wrong
# mistake: numerical estimate
# A finite difference passed off as the analytic gradient: within the official 1e-5, but not exact.
def gradf(a, b, c):
    h = 1e-7
    return [(f(a + h, b, c) - f(a - h, b, c)) / (2 * h),
            (f(a, b + h, c) - f(a, b - h, c)) / (2 * h),
            (f(a, b, c + h) - f(a, b, c - h)) / (2 * h)]
