# verdict: correct
# says: forward difference
def numerical_grad(f, a, b, c, h=1e-6):
    f0 = f(a, b, c)
    df_da = (f(a + h, b, c) - f0) / h
    df_db = (f(a, b + h, c) - f0) / h
    df_dc = (f(a, b, c + h) - f0) / h
    return [df_da, df_db, df_dc]
