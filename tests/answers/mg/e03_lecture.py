# verdict: correct
# says: symmetric difference
def numerical_grad_symmetric(f, a, b, c, h=1e-6):
    df_da = (f(a + h, b, c) - f(a - h, b, c)) / (2 * h)
    df_db = (f(a, b + h, c) - f(a, b - h, c)) / (2 * h)
    df_dc = (f(a, b, c + h) - f(a, b, c - h)) / (2 * h)
    return [df_da, df_db, df_dc]
