# verdict: wrong
# mistake: df/db|the chain rule
def gradf(a, b, c):
    df_da = -3 * a**2 - 0.5 * a**-0.5
    df_db = cos(3 * b) + 2.5 * b**1.5
    df_dc = 1 / c**2
    return [df_da, df_db, df_dc]
