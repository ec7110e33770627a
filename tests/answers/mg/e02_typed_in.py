# verdict: wrong
# mistake: ignores its arguments
# The numbers of the forward difference at (2, 3, 4), computed once and typed in.
def numerical_grad(f, a, b, c, h=1e-6):
    return [-12.353559348809995, 10.256991666679482, 0.062499984743169534]
