"""Self-checks for micrograd (lecture 1), one call per check cell of the notebook.

- :func:`check_e01`: ``gradf(a, b, c)``, the analytic gradient of the lecture's ``f``, at (2, 3, 4)
  and at three other points (so a list typed in cannot pass);
- :func:`check_e02` / :func:`check_e03`: ``numerical_grad(f, a, b, c, h)`` and
  ``numerical_grad_symmetric(...)``, applied to a function of the check's own at a point of its
  own: the result must be that function's forward (E02) or symmetric (E03) difference, so neither a
  list typed in nor a call to ``gradf`` can pass; then the error on ``f`` at (2, 3, 4) is reported;
- :func:`check_e04`: the student's ``Value`` class, one operation at a time on seeded random inputs
  against torch in float64 (the value, then every operand's gradient for a random ``out.grad``),
  a Value used twice (``=`` instead of ``+=``), ``backward()``'s order, a Value exponent, and
  last the softmax and negative log-likelihood of the lecture's logits;
- :func:`check_e05`: the same loss in torch, float64, against the student's Values.

Every reference is computed here: gradients with torch's autograd in float64, finite differences
with the same formulas on the same points. A wrong answer is named with
:func:`~makemore_helpers.checks.closest_form`, from a table of the mistakes students make.
"""

from __future__ import annotations

import inspect
import math
import numbers
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from makemore_helpers.checks import closest_form, fail, number, passed, student_code
from makemore_helpers.exercise import ExerciseNotWritten

#: the point of the official notebook, and its step size and tolerance
POINT = (2, 3, 4)
OFFICIAL_H = 1e-6
OFFICIAL_TOL = 1e-5
#: the logits and the label of the official softmax cell
LOGITS = (0.0, 3.0, -2.0, 1.0)
LABEL = 3
EPS = 2.0 ** -52  # float64's machine epsilon


# ---------------------------------------------------------------------------- the functions

def lecture_f(a, b, c):
    """The lecture's f, as in the notebook."""
    return -a**3 + math.sin(3 * b) - 1.0 / c + b**2.5 - a**0.5


def _lecture_f_torch(a, b, c):
    return -a**3 + torch.sin(3 * b) - 1.0 / c + b**2.5 - a**0.5


def _probe(a, b, c):
    """The check's own function: curved in every input, so each difference formula gives its own answer."""
    return a**3 * b - math.exp(0.5 * b) * c**2 + math.sin(a * c)


def _probe_torch(a, b, c):
    return a**3 * b - torch.exp(0.5 * b) * c**2 + torch.sin(a * c)


PROBE_POINT = (1.3, 0.8, -1.1)


def _gradient(fn_torch: Callable, point: Sequence[float]) -> list[float]:
    """The exact gradient of ``fn_torch`` at ``point``, by autograd in float64."""
    xs = [torch.tensor(float(x), dtype=torch.float64, requires_grad=True) for x in point]
    fn_torch(*xs).backward()
    return [x.grad.item() for x in xs]


def _pt(point: Sequence[float]) -> str:
    return "(" + ", ".join(f"{x:g}" for x in point) + ")"


def _close(x: float, y: float, rel: float = 1e-9) -> bool:
    return abs(x - y) <= rel * max(1.0, abs(y))


def _all_close(xs: Sequence[float], ys: Sequence[float], rel: float = 1e-9) -> bool:
    return len(xs) == len(ys) and all(_close(x, y, rel) for x, y in zip(xs, ys))


def _three(exercise: str, name: str, value: Any) -> list[float]:
    """The three derivatives ``[d/da, d/db, d/dc]`` a student's function returned, as floats."""
    if value is None:
        fail(exercise, f"{name} returned None: end the function with return [df_da, df_db, df_dc]")
    if isinstance(value, torch.Tensor):
        value = value.detach().reshape(-1).tolist()
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):  # a numpy array
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        fail(exercise, f"{name} returned a {type(value).__name__}; it should return a list of three numbers, "
                       "[df/da, df/db, df/dc]")
    if len(value) != 3:
        fail(exercise, f"{name} returned {len(value)} numbers; it should return three, [df/da, df/db, df/dc]")
    return [number(exercise, f"{name}[{i}]", v) for i, v in enumerate(value)]


def _call(exercise: str, what: str, fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Call the student's function; a crash becomes a failure that says which call."""
    with student_code(exercise, what):
        return fn(*args, **kwargs)


def _callable(exercise: str, name: str, fn: Any, how: str) -> Callable:
    if fn is None or fn is Ellipsis:
        fail(exercise, f"{name} is not written yet")
    if not callable(fn):
        fail(exercise, f"{name} is a {type(fn).__name__}; it should be the function {how}, so that the check can "
                       "call it on other inputs (pass the function itself, without calling it)")
    return fn


# ---------------------------------------------------------------------------- E01

def _e01_forms(a: float, b: float, c: float) -> list[list[tuple[str, Callable[[], float]]]]:
    """For each of df/da, df/db, df/dc: the wrong derivatives students write, most specific first."""
    s, co = math.sin, math.cos
    return [
        [("the sign of the a**0.5 term: d/da (-a**0.5) = -0.5 * a**-0.5", lambda: -3 * a**2 + 0.5 * a**-0.5),
         ("the sign of the a**3 term: d/da (-a**3) = -3 * a**2", lambda: 3 * a**2 - 0.5 * a**-0.5),
         ("both signs: f has -a**3 and -a**0.5, so both terms of df/da are negative",
          lambda: 3 * a**2 + 0.5 * a**-0.5),
         ("the power rule for a**0.5: 0.5 * a**(0.5 - 1) = 0.5 * a**-0.5, the exponent drops by one",
          lambda: -3 * a**2 - 0.5 * a**0.5),
         ("the power rule for a**3: 3 * a**2, the exponent drops by one", lambda: -3 * a**3 - 0.5 * a**-0.5),
         ("the power rule for a**0.5: the factor is the exponent, 0.5 * a**-0.5",
          lambda: -3 * a**2 - a**-0.5),
         ("the a**0.5 term is missing: -a**0.5 contributes -0.5 * a**-0.5", lambda: -3 * a**2),
         ("the a**3 term is missing: -a**3 contributes -3 * a**2", lambda: -0.5 * a**-0.5)],
        [("the chain rule: d/db sin(3*b) = 3 * cos(3*b), the inner 3*b gives a factor 3",
          lambda: co(3 * b) + 2.5 * b**1.5),
         ("the derivative of sin is +cos: d/db sin(3*b) = 3 * cos(3*b)", lambda: -3 * co(3 * b) + 2.5 * b**1.5),
         ("the derivative of sin(3*b) is 3 * cos(3*b), not sin", lambda: 3 * s(3 * b) + 2.5 * b**1.5),
         ("cos(b) instead of cos(3*b): the inside stays as it was, 3 * cos(3*b)", lambda: 3 * co(b) + 2.5 * b**1.5),
         ("the power rule for b**2.5: 2.5 * b**1.5, the exponent drops by one", lambda: 3 * co(3 * b) + 2.5 * b**2.5),
         ("the power rule for b**2.5: the factor is the old exponent, 2.5 * b**1.5",
          lambda: 3 * co(3 * b) + 1.5 * b**1.5),
         ("the power rule for b**2.5: its factor 2.5 is missing", lambda: 3 * co(3 * b) + b**1.5),
         ("the b**2.5 term is missing: it contributes 2.5 * b**1.5", lambda: 3 * co(3 * b)),
         ("the sin(3*b) term is missing: it contributes 3 * cos(3*b)", lambda: 2.5 * b**1.5)],
        [("the sign: d/dc (-1/c) = +1/c**2, the two minus signs cancel", lambda: -1 / c**2),
         ("-1/c is f's term itself; its derivative is 1/c**2", lambda: -1 / c),
         ("d/dc c**-1 = -c**-2, so d/dc (-1/c) = c**-2, not 1/c", lambda: 1 / c)],
    ]


def _e01_points() -> list[tuple[float, float, float]]:
    rng = random.Random("micrograd E01")
    return [(round(rng.uniform(0.5, 3), 3), round(rng.uniform(0.5, 4), 3), round(rng.choice((-1, 1)) * rng.uniform(0.5, 5), 3))
            for _ in range(3)]


def check_e01(gradf: Any) -> None:
    """E01: ``gradf(a, b, c)`` returns [df/da, df/db, df/dc] of the lecture's f, exactly (to float64 rounding).

    Called at (2, 3, 4) and at three other points (b > 0, as b**2.5 needs), against torch's autograd.
    """
    fn = _callable("E01", "gradf", gradf, "gradf(a, b, c)")
    points = [POINT, *_e01_points()]
    got = [_three("E01", f"gradf{_pt(p)}", _call("E01", f"gradf{_pt(p)}", fn, *p)) for p in points]
    wants = [_gradient(_lecture_f_torch, p) for p in points]
    worst = 0.0
    for p, g, w in zip(points, got, wants):
        bad = [i for i in range(3) if not _close(g[i], w[i])]
        worst = max([worst] + [abs(x - y) for x, y in zip(g, w)])
        if not bad:
            continue
        at = f"at {_pt(p)}"
        if p != POINT and _all_close(g, got[0], 1e-12):
            fail("E01", f"gradf returns {got[0]} at every point ({at} too, where the gradient is "
                        f"{[round(x, 6) for x in w]}): the numbers are typed in, or computed at (2, 3, 4) only. Write "
                        "df/da, df/db, df/dc as expressions of a, b and c")
        order = closest_form(g, [
            ("the derivatives are in reverse order: return [df/da, df/db, df/dc]", lambda: w[::-1]),
            ("the derivatives are in another order: return [df/da, df/db, df/dc]", lambda: [w[1], w[0], w[2]]),
            ("the derivatives are in another order: return [df/da, df/db, df/dc]", lambda: [w[0], w[2], w[1]]),
        ], _all_close)
        if order:
            fail("E01", f"gradf{_pt(p)} is {g}, the gradient {w}: {order}")
        i = bad[0]
        if all(_close(x, y, 1e-3) for x, y in zip(g, w)):
            fail("E01", f"gradf{_pt(p)} is close to the gradient but not exact (df/d{'abc'[i]} {g[i]!r} against "
                        f"{w[i]!r}, off by {abs(g[i] - w[i]):.1e}): it looks like a numerical estimate. E01 asks for "
                        "the derivatives from calculus, exact to float64 rounding (about 1e-15); the estimates are "
                        "E02 and E03")
        why = closest_form(g[i], _e01_forms(*p)[i], _close) or (
            "work the derivative out term by term (power rule, chain rule for sin(3*b)), keeping each term's sign")
        fail("E01", f"df/d{'abc'[i]} {at} is {g[i]!r}, but the derivative of f is {w[i]!r}: {why}")
    passed("E01", f"gradf{_pt(POINT)} = {got[0]}; it matches the analytic gradient there and at "
                  f"{len(points) - 1} other points to {worst:.0e} (float64 rounding: expect about 1e-15; the "
                  f"official check allows {OFFICIAL_TOL:g})")


# ---------------------------------------------------------------------------- E02, E03

def _nudge(point: Sequence[float], i: int, dx: float) -> list[float]:
    p = list(point)
    p[i] = p[i] + dx
    return p


def _forward(fn, p, h):
    f0 = fn(*p)
    return [(fn(*_nudge(p, i, h)) - f0) / h for i in range(3)]


def _backward_diff(fn, p, h):
    f0 = fn(*p)
    return [(f0 - fn(*_nudge(p, i, -h))) / h for i in range(3)]


def _symmetric(fn, p, h):
    return [(fn(*_nudge(p, i, h)) - fn(*_nudge(p, i, -h))) / (2 * h) for i in range(3)]


def _half_steps(fn, p, h):
    return [(fn(*_nudge(p, i, h / 2)) - fn(*_nudge(p, i, -h / 2))) / h for i in range(3)]


def _difference_forms(fn, p, h) -> list[tuple[str, Callable[[], list[float]]]]:
    """(key, formula) for every difference a student writes: the right ones and the usual slips."""
    return [
        ("forward", lambda: _forward(fn, p, h)),
        ("backward", lambda: _backward_diff(fn, p, h)),
        ("symmetric", lambda: _symmetric(fn, p, h)),
        ("half steps", lambda: _half_steps(fn, p, h)),
        ("symmetric over h", lambda: [2 * x for x in _symmetric(fn, p, h)]),
        ("symmetric / 2*h", lambda: [x * h * h for x in _symmetric(fn, p, h)]),
        ("not divided", lambda: [x * h for x in _forward(fn, p, h)]),
        ("not divided symmetric", lambda: [2 * h * x for x in _symmetric(fn, p, h)]),
        ("all at once", lambda: [(fn(*[x + h for x in p]) - fn(*p)) / h] * 3),
        ("all at once symmetric", lambda: [(fn(*[x + h for x in p]) - fn(*[x - h for x in p])) / (2 * h)] * 3),
    ]


#: what each difference formula is, for the messages
_FORMULA = {
    "forward": "the forward difference (f(x + h) - f(x)) / h",
    "backward": "a backward difference (f(x) - f(x - h)) / h",
    "symmetric": "the symmetric difference (f(x + h) - f(x - h)) / (2h)",
    "half steps": "the symmetric difference with half steps, (f(x + h/2) - f(x - h/2)) / h",
}

_MISTAKE = {
    "symmetric over h": "(f(x + h) - f(x - h)) / h is twice the derivative: the two points are 2h apart, so divide "
                        "by 2 * h",
    "symmetric / 2*h": "/ 2*h divides by 2 and then MULTIPLIES by h (Python reads it left to right): write / (2 * h)",
    "not divided": "the difference f(x + h) - f(x) is not divided by h: the slope is rise over run, "
                   "(f(x + h) - f(x)) / h",
    "not divided symmetric": "the difference f(x + h) - f(x - h) is not divided by 2 * h",
    "all at once": "all three inputs are nudged at once: nudge one input at a time and keep the other two fixed, "
                   "f(a + h, b, c), f(a, b + h, c), f(a, b, c + h)",
    "all at once symmetric": "all three inputs are nudged at once: nudge one input at a time and keep the other two "
                             "fixed, f(a + h, b, c), f(a, b + h, c), f(a, b, c + h)",
}

#: step sizes tried for a function that takes no h (or ignores it): largest first, where the formulas are told
#: apart most sharply, so the first match is the step it uses
_STEPS = (0.1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12)


def _takes_h(fn: Callable) -> str | None:
    """How the function takes its step: "keyword" (a parameter named h), "positional" (a fifth parameter), or None."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return None
    if "h" in params and params["h"].kind != inspect.Parameter.POSITIONAL_ONLY:
        return "keyword"
    positional = [p for p in params.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return "positional" if len(positional) >= 5 else None


def _estimate(exercise: str, name: str, fn: Callable, f: Callable, fname: str, point: Sequence[float],
              h: float | None, mode: str | None) -> list[float]:
    args = ", ".join(f"{x:g}" for x in point)
    what = f"{name}({fname}, {args}{f', h={h:g}' if mode else ''})"
    signature = (f". Keep the given signature {name}(f, a, b, c, h=1e-6): the function f and the point, so that "
                 "the check can try it on other functions")
    with student_code(exercise, what, lambda err: signature if isinstance(err, TypeError) else ""):
        if mode == "keyword":
            result = fn(f, *point, h=h)
        elif mode == "positional":
            result = fn(f, *point, h)
        else:
            result = fn(f, *point)
    return _three(exercise, what, result)


def _matches(h: float, scale: float) -> Callable[[list[float], list[float]], bool]:
    """Equal to a formula's value up to the rounding that formula has at step h (two values of f, divided by h)."""
    tol = 64 * EPS * scale / h

    def same(got: list[float], want: list[float]) -> bool:
        return all(abs(x - y) <= 1e-10 * max(1.0, abs(y)) + tol for x, y in zip(got, want))
    return same


def _identify(got: list[float], fn: Callable, point: Sequence[float],
              steps: Sequence[float]) -> tuple[str, float] | None:
    """(which difference formula, at which h) ``got`` is, trying the steps in order."""
    scale = max(1.0, abs(fn(*point)))
    for h in steps:
        key = closest_form(got, _difference_forms(fn, point, h), _matches(h, scale))
        if key:
            return key, h
    return None


def _check_difference(exercise: str, name: str, fn: Any, asked: str) -> None:
    """The shared check of E02 (``asked`` 'forward') and E03 ('symmetric')."""
    fn = _callable(exercise, name, fn, f"{name}(f, a, b, c, h=1e-6)")
    mode = _takes_h(fn)
    takes_h = mode is not None
    h_try = 1e-3  # large enough that the formulas differ by far more than rounding
    on_probe = _estimate(exercise, name, fn, _probe, "g", PROBE_POINT, h_try, mode)
    on_f = _estimate(exercise, name, fn, lecture_f, "f", POINT, OFFICIAL_H, mode)
    if _all_close(on_probe, on_f, 1e-12):
        fail(exercise, f"{name} returns {on_f} for f at (2, 3, 4) and the same numbers for another function at another "
                       "point: it ignores its arguments (a list typed in, or computed for f at (2, 3, 4) once). Compute "
                       "the estimate from the function f and the point a, b, c it is given")
    steps = ((h_try,) if takes_h else ()) + tuple(h for h in _STEPS if not (takes_h and h == h_try))
    found = _identify(on_probe, _probe, PROBE_POINT, steps)
    right = {"forward": ("forward", "backward"), "symmetric": ("symmetric", "half steps")}[asked]
    want_text = _FORMULA[asked]
    if found is None:
        exact_probe = _gradient(_probe_torch, PROBE_POINT)
        other = closest_form(on_probe, [
            (f"{name} returns the exact gradient of the function it is given: a derivative worked out by hand. "
             "Estimate the slope from values of f alone, nudging one input by h", lambda: exact_probe),
            (f"{name} returns the analytic gradient of the notebook's f whatever function it is given: it calls "
             "gradf. Estimate the slope from values of the function f it is given, nudging one input by h",
             lambda: _gradient(_lecture_f_torch, PROBE_POINT)),
        ] + [(f"{name} computes the difference of the notebook's f, not of the function it is given as its first "
              "argument: inside the function use that argument, not the global f",
              lambda h=h, d=d: d(lecture_f, PROBE_POINT, h)) for d in (_forward, _symmetric) for h in steps],
            lambda g, w: _all_close(g, w, 1e-7))
        g_want = (_forward if asked == "forward" else _symmetric)(_probe, PROBE_POINT, h_try if takes_h else OFFICIAL_H)
        fail(exercise, other or (f"on a function g of the check's own at {_pt(PROBE_POINT)}"
                                 f"{f' with h = {h_try:g}' if takes_h else ''}, {name} gives "
                                 f"{[float(f'{x:.10g}') for x in on_probe]}, which is not {want_text} for any step h "
                                 f"(that gives {[float(f'{x:.10g}') for x in g_want]}"
                                 f"{'' if takes_h else ' at h = 1e-6'}). Nudge one input at a time by h"))
    key, h = found
    if key not in right:
        if key in _FORMULA:
            other_ex = {"forward": "E02", "backward": "E02", "symmetric": "E03", "half steps": "E03"}[key]
            fail(exercise, f"{name} computes {_FORMULA[key]}; this exercise asks for {want_text}"
                           f"{f' (that one is {other_ex})' if other_ex != exercise else ''}")
        fail(exercise, f"{name}: {_MISTAKE[key]}")
    if takes_h and h != h_try:
        fail(exercise, f"{name} ignores its h argument: called with h={h_try:g} it used h={h:g}. Use the parameter h "
                       "(the plot below calls it with many step sizes)")
    exact = _gradient(_lecture_f_torch, POINT)
    err = max(abs(x - y) for x, y in zip(on_f, exact))
    h_f = OFFICIAL_H if takes_h else h
    note = {"backward": " (as accurate as the forward one; the lecture nudges forward)",
            "half steps": " (points h apart around x: a symmetric difference too)"}.get(key, "")
    expect = ("about 6e-6 for the forward difference at h = 1e-6 (the symmetric one of E03 gets about 3e-9)"
              if asked == "forward" else
              "about 3e-9 at h = 1e-6, against the forward difference's 6e-6: its error falls like h**2, not h, "
              "until round-off takes over")
    if h_f != OFFICIAL_H:
        expect += f"; your step is h = {h_f:g}, not the official 1e-6"
    if err > OFFICIAL_TOL:
        fail(exercise, f"{name} computes {want_text}{note}, but with h = {h_f:g} its largest error on f at (2, 3, 4) is "
                       f"{err:.1e}, above the official {OFFICIAL_TOL:g}: use h = 1e-6 (see the plot below for why "
                       "too small a step is as bad as too large a one)")
    passed(exercise, f"{_FORMULA[key]}{note}, one input at a time (tried on a function of the check's own). On f at "
                     f"(2, 3, 4) with h = {h_f:g} its largest error is {err:.1e}: expect {expect}; the official "
                     f"tolerance is {OFFICIAL_TOL:g}")


def check_e02(numerical_grad: Any) -> None:
    """E02: ``numerical_grad(f, a, b, c, h=1e-6)``, the forward difference, tried on a function of the check's own."""
    _check_difference("E02", "numerical_grad", numerical_grad, "forward")


def check_e03(numerical_grad_symmetric: Any) -> None:
    """E03: ``numerical_grad_symmetric(f, a, b, c, h=1e-6)``, the symmetric difference, tried the same way."""
    _check_difference("E03", "numerical_grad_symmetric", numerical_grad_symmetric, "symmetric")


# ---------------------------------------------------------------------------- E04: one operation at a time

Forms = Callable[[tuple, float], list[tuple[str, Callable[[], tuple]]]]


@dataclass(frozen=True)
class _Case:
    """One operation on given inputs: ``kinds`` says which arguments are Values ('V') and which numbers ('n')."""

    method: str
    expr: str  # how it reads, with a and b for the Values and the number written out
    fn: Callable  # the operation, the same for Values and for torch tensors
    kinds: str
    sample: Callable[[random.Random], tuple]
    right: tuple[str, ...] = ()  # the derivative of each Value argument, in words
    grad_forms: Forms | None = None  # (description, the gradients that mistake gives)
    value_forms: Callable[[tuple], list[tuple[str, Callable[[], float]]]] | None = None


K = 2.5  # the plain number in the cases with a number


def _pos(rng):
    return rng.uniform(1.2, 2.4)


def _neg(rng):
    return -rng.uniform(0.4, 0.9)


def _two(rng):
    return (_pos(rng), _neg(rng))


_MUL_SWAP = "the factors are swapped: d(a*b)/da = b, so self.grad += other.data * out.grad (and other.grad += self.data * out.grad)"
_LIKE_ADD = "out.grad is passed on unchanged, as in __add__: multiply it by the local derivative"
_DIV_BOTH = ("out.grad is added to both operands, as __add__ does: the numerator gets out.grad / b and the "
             "denominator -a / b**2 * out.grad")

CASES: list[_Case] = [
    _Case("__add__", "a + b", lambda a, b: a + b, "VV", _two, ("out.grad", "out.grad")),
    _Case("__add__", f"a + {K}", lambda a, k: a + k, "Vn", lambda r: (_pos(r), K), ("out.grad",)),
    _Case("__radd__", f"{K} + a", lambda k, a: k + a, "nV", lambda r: (K, _pos(r)), ("out.grad",)),
    _Case("__radd__", "sum([a, b])", lambda a, b: sum([a, b]), "VV", _two, ("out.grad", "out.grad")),
    _Case("__mul__", "a * b", lambda a, b: a * b, "VV", _two, ("b * out.grad", "a * out.grad"),
          lambda x, g: [(_MUL_SWAP, lambda: (g * x[0], g * x[1])), (_LIKE_ADD, lambda: (g, g))],
          lambda x: [("__mul__ adds: self.data * other.data", lambda: x[0] + x[1])]),
    _Case("__mul__", f"a * {K}", lambda a, k: a * k, "Vn", lambda r: (_pos(r), K), (f"{K} * out.grad",),
          lambda x, g: [("self.data where other.data belongs: d(a*k)/da = k", lambda: (g * x[0],)),
                        (_LIKE_ADD, lambda: (g,))]),
    _Case("__rmul__", f"{K} * a", lambda k, a: k * a, "nV", lambda r: (K, _pos(r)), (f"{K} * out.grad",),
          lambda x, g: [("self.data where other.data belongs: d(k*a)/da = k", lambda: (g * x[1],)),
                        (_LIKE_ADD, lambda: (g,))]),
    _Case("__neg__", "-a", lambda a: -a, "V", lambda r: (_pos(r),), ("-out.grad",),
          lambda x, g: [("the sign: -a passes -out.grad back to a", lambda: (g,))],
          lambda x: [("-a returns a's value unchanged", lambda: x[0])]),
    _Case("__sub__", "a - b", lambda a, b: a - b, "VV", _two, ("out.grad", "-out.grad"),
          lambda x, g: [("the subtracted operand gets -out.grad: a - b is a + (-b)", lambda: (g, g)),
                        ("the signs are swapped: a gets +out.grad, b gets -out.grad", lambda: (-g, g))],
          lambda x: [("it computes other - self; a - b is self - other", lambda: x[1] - x[0]),
                     ("it adds: a - b is self + (-other)", lambda: x[0] + x[1])]),
    _Case("__sub__", f"a - {K}", lambda a, k: a - k, "Vn", lambda r: (_pos(r), K), ("out.grad",)),
    _Case("__rsub__", f"{K} - a", lambda k, a: k - a, "nV", lambda r: (K, _pos(r)), ("-out.grad",),
          lambda x, g: [("the sign: in other - self, self gets -out.grad", lambda: (g,))],
          lambda x: [(f"it computes self - other: for {K} - a Python calls a.__rsub__({K}), which must return "
                      "other - self, e.g. other + (-self)", lambda: x[1] - x[0])]),
    *[_Case("__pow__", f"a ** {n}", lambda a, n=n: a**n, "V", lambda r: (_pos(r),), (f"{n} * a**{n - 1} * out.grad",),
            lambda x, g, n=n: [
                (f"the exponent must drop by one: d(a**n)/da = n * a**(n - 1), here {n} * a**{n - 1}",
                 lambda: (g * n * x[0]**n,)),
                (f"the factor n is missing: d(a**n)/da = n * a**(n - 1), here {n} * a**{n - 1}",
                 lambda: (g * x[0]**(n - 1),)),
                ("out.data (a**n) is not its derivative n * a**(n - 1)", lambda: (g * x[0]**n,)),
                ("d(a**n)/da = n * a**(n - 1), written with (n - 1) as the factor", lambda: (g * (n - 1) * x[0]**(n - 1),)),
            ],
            lambda x, n=n: [("it computes self.data * other: ** is a power", lambda: x[0] * n)])
      for n in (3, -1, 0.5, -2.5)],
    _Case("__truediv__", "a / b", lambda a, b: a / b, "VV", _two, ("out.grad / b", "-a / b**2 * out.grad"),
          lambda x, g: [
              (_DIV_BOTH, lambda: (g, g)),
              ("only the numerator gets a gradient: the denominator gets -a / b**2 * out.grad "
               "(other.grad += -self.data / other.data**2 * out.grad)", lambda: (g / x[1], 0.0)),
              ("the denominator's gradient has the wrong sign: d(a/b)/db = -a / b**2", lambda: (g / x[1], g * x[0] / x[1]**2)),
              ("the denominator's gradient lacks the numerator: d(a/b)/db = -a / b**2, not -1 / b**2",
               lambda: (g / x[1], -g / x[1]**2)),
              ("the gradients are those of a * b: d(a/b)/da = 1 / b, d(a/b)/db = -a / b**2", lambda: (g * x[1], g * x[0])),
              ("the numerator's and the denominator's gradients are swapped", lambda: (-g * x[0] / x[1]**2, g / x[1])),
          ],
          lambda x: [("it computes other / self; a / b is self / other", lambda: x[1] / x[0]),
                     ("it multiplies: a / b is self * other**-1", lambda: x[0] * x[1])]),
    _Case("__truediv__", f"a / {K}", lambda a, k: a / k, "Vn", lambda r: (_pos(r), K), (f"out.grad / {K}",),
          lambda x, g: [(_DIV_BOTH, lambda: (g,)),
                        ("it multiplies out.grad by the number instead of dividing by it", lambda: (g * K,))]),
    _Case("__rtruediv__", f"{K} / a", lambda k, a: k / a, "nV", lambda r: (K, _pos(r)), (f"-{K} / a**2 * out.grad",),
          lambda x, g: [("the sign: d(k/a)/da = -k / a**2", lambda: (g * K / x[1]**2,)),
                        ("d(k/a)/da = -k / a**2, not -1 / a**2", lambda: (-g / x[1]**2,))],
          lambda x: [(f"it computes self / other: for {K} / a Python calls a.__rtruediv__({K}), which must return "
                      "other / self, e.g. other * self**-1", lambda: x[1] / K)]),
    _Case("exp", "a.exp()", lambda a: a.exp(), "V", lambda r: (r.uniform(-1.5, 1.5),), ("exp(a) * out.grad",),
          lambda x, g: [("its backward uses the input where it needs the output: d/dx e**x = e**x, which is out.data, "
                         "not self.data (x): self.grad += out.data * out.grad", lambda: (g * x[0],)),
                        ("the local derivative e**x (out.data) is missing: self.grad += out.data * out.grad",
                         lambda: (g,))],
          lambda x: [("it computes e**-x", lambda: math.exp(-x[0])), ("it computes math.e * x", lambda: math.e * x[0])]),
    _Case("log", "a.log()", lambda a: a.log(), "V", lambda r: (_pos(r),), ("out.grad / a",),
          lambda x, g: [("the 1/x is missing: d/dx log(x) = 1/x, so self.grad += (1 / self.data) * out.grad",
                         lambda: (g,)),
                        ("x instead of 1/x: d/dx log(x) = 1/x", lambda: (g * x[0],)),
                        ("its backward uses the output where it needs the input: d/dx log(x) = 1/x, with x = self.data, "
                         "not out.data (log x)", lambda: (g / math.log(x[0]),)),
                        ("out.data (log x) is not its derivative 1/x", lambda: (g * math.log(x[0]),))],
          lambda x: [("math.log10 is the base-10 log: use the natural log, math.log", lambda: math.log10(x[0])),
                     ("math.log2 is the base-2 log: use the natural log, math.log", lambda: math.log2(x[0]))]),
]

#: the operations the exercise asks for, in the order the class defines and the check tries them
METHODS = ("__add__", "__radd__", "__mul__", "__rmul__", "__neg__", "__sub__", "__rsub__", "__pow__",
           "__truediv__", "__rtruediv__", "exp", "log")

_MISSING = {
    "__radd__": "sum() starts from 0, so sum(counts) first computes 0 + counts[0]; int + Value asks "
                "Value.__radd__(0). Add def __radd__(self, other): return self + other",
    "__rmul__": f"{K} * a (a number times a Value) asks Value.__rmul__({K}). Add def __rmul__(self, other): "
                "return self * other",
    "__rsub__": f"{K} - a (a number minus a Value) asks Value.__rsub__({K}), which must return other - self. Add "
                "def __rsub__(self, other): return other + (-self)",
    "__rtruediv__": f"{K} / a (a number over a Value) asks Value.__rtruediv__({K}). Add def __rtruediv__(self, other): "
                    "return other * self**-1",
}


class _Graph:
    """The nodes below a Value, found through ``_prev`` (by identity: a student's Value may define __eq__)."""

    def __init__(self, out: Any, method: str):
        self.topo: list[Any] = []
        seen: set[int] = set()

        def visit(v: Any) -> None:
            if id(v) in seen:
                return
            seen.add(id(v))
            prev = getattr(v, "_prev", None)
            if prev is None:
                fail("E04", f"{method}: a Value it made has no _prev: create every result with "
                            "Value(data, (self, other), op), as the given __add__ does, so that backward can find "
                            "its children")
            for child in prev:
                if hasattr(child, "_backward"):
                    visit(child)
            self.topo.append(v)
        visit(out)
        self.ids = {id(v) for v in self.topo}

    def backward(self, out: Any, g: float, method: str) -> None:
        """Backpropagate ``g`` from ``out`` by the check's own topological order (not the student's backward())."""
        out.grad = g
        for v in reversed(self.topo):
            with student_code("E04", f"{method}: its _backward"):
                v._backward()


def _leaves(V: type, case: _Case, x: tuple) -> list[Any]:
    return [V(v) if k == "V" else v for k, v in zip(case.kinds, x)]


def _apply(V: type, case: _Case, method: str, expr: str, fn: Callable, args: list[Any]) -> Any:
    """Run one operation on the student's Values; anything but a Value back is named."""
    try:
        out = fn(*args)
    except ExerciseNotWritten:
        raise
    except Exception as err:  # noqa: BLE001
        if method in _MISSING and not hasattr(V, method):
            fail("E04", f"{method} is missing: {_MISSING[method]}")
        if not hasattr(V, method):
            fail("E04", f"{method} is missing: {expr} raised {type(err).__name__}: {err}. Write it in the class")
        if "n" in case.kinds and isinstance(err, AttributeError) and "has no attribute 'data'" in str(err):
            fail("E04", f"{method}: {expr} raised AttributeError: {err}. A plain number has no .data: wrap it first, "
                        "other = other if isinstance(other, Value) else Value(other), as __add__ does")
        fail("E04", f"{method}: {expr} raised {type(err).__name__}: {err}")
    if not isinstance(out, V):
        kind = "a number" if isinstance(out, numbers.Number) else f"a {type(out).__name__}"
        fail("E04", f"{method}: {expr} returned {kind} ({out!r}), not a Value: build out = Value(...) with its "
                    "children and _backward, and return out")
    return out


def _value_of(method: str, expr: str, out: Any) -> float:
    try:
        return float(out.data)
    except Exception:  # noqa: BLE001
        fail("E04", f"{method}: {expr} gives a Value whose data is {out.data!r}, not a number: Value(x) takes the "
                    "number x (self.data), not a Value")


def _torch(case: _Case, fn: Callable, x: tuple, g: float) -> tuple[float, list[float]]:
    """The value and the Value arguments' gradients of the same operation in torch, float64."""
    args = [torch.tensor(v, dtype=torch.float64, requires_grad=True) if k == "V" else v for k, v in zip(case.kinds, x)]
    out = fn(*args)
    out.backward(torch.tensor(g, dtype=torch.float64))
    return out.item(), [a.grad.item() for a, k in zip(args, case.kinds) if k == "V"]


def _inputs(case: _Case, x: tuple, g: float | None = None) -> str:
    values = [v for v, k in zip(x, case.kinds) if k == "V"]
    parts = [f"{n} = {v:.4g}" for n, v in zip("ab", values)]
    return ", ".join(parts + ([f"out.grad = {g:.4g}"] if g is not None else []))


def _check_case(V: type, case: _Case) -> float:
    """One operation: its value, then each Value argument's gradient, then the same with a Value used twice."""
    rng = random.Random(f"micrograd E04 {case.expr}")
    x = case.sample(rng)
    g = rng.uniform(0.6, 1.7)
    method, expr = case.method, case.expr
    args = _leaves(V, case, x)
    out = _apply(V, case, method, expr, case.fn, args)
    want, want_grads = _torch(case, case.fn, x, g)
    got = _value_of(method, expr, out)
    if not _close(got, want, 1e-12):
        why = closest_form(got, case.value_forms(x) if case.value_forms else [], _close) or "compute out.data from self.data and other"
        fail("E04", f"{method}: {expr} with {_inputs(case, x)} gives {got!r}, expected "
                    f"{want!r}: {why}")
    graph = _Graph(out, method)
    values = [a for a, k in zip(args, case.kinds) if k == "V"]
    for name, v in zip("ab", values):
        if id(v) not in graph.ids:  # its _backward may still reach it through the closure, but backward() never
            fail("E04", f"{method}: {expr} does not list {name} among the children of its result (out._prev), so "
                        f"backward() never visits {name}: when {name} is itself the result of an operation, that "
                        "operation's _backward never runs. Make out = Value(..., (self, other), ...) with the operands")
    graph.backward(out, g, method)
    got_grads = [float(a.grad) for a in values]
    worst = max(abs(a - b) for a, b in zip(got_grads, want_grads))
    if not _all_close(got_grads, want_grads, 1e-10):
        i = next(i for i in range(len(values)) if not _close(got_grads[i], want_grads[i], 1e-10))
        who = "ab"[i]
        local = [w / g for w in want_grads]
        forms = (case.grad_forms(x, g) if case.grad_forms else []) + [
            ("the chain rule's out.grad is missing: multiply each local derivative by out.grad", lambda: tuple(local)),
            ("the sign is flipped", lambda: tuple(-w for w in want_grads)),
            ("the gradient is set, not added: _backward must add its part to self.grad with +=",
             lambda: tuple(0.0 for _ in want_grads)),
        ]
        why = closest_form(tuple(got_grads), forms, lambda a, b: _all_close(a, b, 1e-9)) or (
            "each operand gets its local derivative times out.grad, added with +=")
        fail("E04", f"{method}: {expr} with {_inputs(case, x, g)}: {who}.grad is {got_grads[i]:.6g}, expected "
                    f"{case.right[i]} = {want_grads[i]:.6g}: {why}")
    # the same operation with one Value used twice: a * a, or op(a) + op(a)
    nv = case.kinds.count("V")
    if nv == 2:
        twice_expr = expr.replace("b", "a")
        twice = lambda a: case.fn(a, a)  # noqa: E731
    else:
        twice_expr = f"({expr}) + ({expr})"
        twice = lambda a: case.fn(*[a if k == "V" else v for k, v in zip(case.kinds, x)]) + \
            case.fn(*[a if k == "V" else v for k, v in zip(case.kinds, x)])  # noqa: E731
    a = V(x[case.kinds.index("V")])
    out2 = _apply(V, case, method, twice_expr, twice, [a])
    two = _Case(method, twice_expr, twice, "V", case.sample)
    want2, (want_a,) = _torch(two, twice, (x[case.kinds.index("V")],), g)
    _Graph(out2, method).backward(out2, g, method)
    if not _close(float(a.grad), want_a, 1e-10):
        fail("E04", f"{method}: {twice_expr} (the same Value a = {x[case.kinds.index('V')]:.4g} used twice) gives "
                    f"a.grad = {float(a.grad):.6g}, expected {want_a:.6g} (the sum of both uses): its _backward sets "
                    "a gradient with = instead of adding to it with +=, so the second use overwrites the first. "
                    "Write self.grad += ... (and other.grad += ...)")
    return worst


def _check_value_exponent(V: type) -> str:
    """a ** Value(y): refusing it (as the lecture's assert does) is right; accepting it, it needs both gradients."""
    rng = random.Random("micrograd E04 value exponent")
    x, y, g = _pos(rng), rng.uniform(1.5, 2.5), rng.uniform(0.6, 1.7)
    a, e = V(x), V(y)
    try:
        out = a ** e
    except ExerciseNotWritten:
        raise
    except Exception as err:  # noqa: BLE001 - refusing a Value exponent is what the lecture does
        return f"a Value exponent is refused ({type(err).__name__}), as the lecture's assert does"
    if not isinstance(out, V) or not _close(_value_of("__pow__", "a ** Value", out), x**y, 1e-12):
        fail("E04", f"__pow__: a ** Value({y:.4g}) with a = {x:.4g} gives {getattr(out, 'data', out)!r}, expected "
                    f"{x**y!r}. Support numbers only, as the lecture does: assert isinstance(other, (int, float)), "
                    "'only supporting int/float powers for now'")
    _Graph(out, "__pow__").backward(out, g, "__pow__")
    want_a, want_e = g * y * x**(y - 1), g * x**y * math.log(x)
    only = ("Support numbers only, as the lecture does: assert isinstance(other, (int, float)), 'only supporting "
            "int/float powers for now' (or give the exponent its gradient too)")
    if not _close(float(e.grad), want_e, 1e-10):
        fail("E04", f"__pow__: a ** Value({y:.4g}) with a = {x:.4g} runs, but the exponent's grad is {float(e.grad):.6g}, "
                    f"expected out.data * log(a) * out.grad = {want_e:.6g}: a Value exponent where only numbers are "
                    f"supported, treated as a constant. {only}")
    if not _close(float(a.grad), want_a, 1e-10):
        fail("E04", f"__pow__: a ** Value({y:.4g}) with a = {x:.4g} gives a.grad = {float(a.grad):.6g}, expected "
                    f"{want_a:.6g}: a Value exponent where only numbers are supported. {only}")
    return "a Value exponent works too, with its own gradient out.data * log(a) * out.grad"


def _topo_variants(root: Any) -> list[tuple[str, Callable[[], None]]]:
    """The backward() orders students write by mistake, each run on the same graph by the check."""
    def preorder(v, topo, seen):
        if id(v) not in seen:
            seen.add(id(v))
            topo.append(v)
            for c in v._prev:
                preorder(c, topo, seen)

    def postorder(v, topo, seen):
        if id(v) not in seen:
            seen.add(id(v))
            for c in v._prev:
                postorder(c, topo, seen)
            topo.append(v)

    def no_visited(v, topo):
        for c in v._prev:
            no_visited(c, topo)
        topo.append(v)

    def run(order):
        def go():
            for v in _Graph(root, "backward").topo:
                v.grad = 0.0
            root.grad = 1.0
            for v in order():
                v._backward()
        return go

    def build(fn):
        def order():
            topo: list = []
            fn(root, topo, set())
            return topo
        return order

    def dup():
        topo: list = []
        no_visited(root, topo)
        return reversed(topo)

    wrong_order = ("backward() runs a node's _backward before every node that uses it has added to its grad: "
                   "build_topo must append v AFTER visiting its children (topo.append(v) after the for loop), and "
                   "backward goes through reversed(topo)")
    return [
        (wrong_order, run(lambda: reversed(build(preorder)()))),
        (wrong_order, run(lambda: build(postorder)())),
        (wrong_order, run(lambda: build(preorder)())),
        ("build_topo has no visited set: a node used twice is in topo twice and its _backward runs twice, adding its "
         "gradient twice. Keep the given visited set", run(dup)),
    ]


def _check_backward(V: type) -> None:
    """The student's own backward() on a graph where order matters: c used twice, a used three times."""
    rng = random.Random("micrograd E04 backward")
    x, y = _pos(rng), _neg(rng)
    a, b = V(x), V(y)
    c = a * b
    d = c + a
    e = d * c
    L = e + d * a
    ta, tb = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (x, y))
    tc = ta * tb
    td = tc + ta
    (td * tc + td * ta).backward()
    want = (ta.grad.item(), tb.grad.item())
    if not callable(getattr(L, "backward", None)):
        fail("E04", "backward is missing: keep the given backward(), which sorts the graph and calls every _backward")
    with student_code("E04", "backward(): L.backward()"):
        L.backward()
    got = (float(a.grad), float(b.grad))
    if _all_close(got, want, 1e-10):
        return
    where = (f"on L = (a*b + a) * (a*b) + (a*b + a) * a with a = {x:.4g}, b = {y:.4g}, L.backward() gives "
             f"a.grad = {got[0]:.6g}, b.grad = {got[1]:.6g}, expected {want[0]:.6g}, {want[1]:.6g}")
    if float(L.grad) != 1.0:
        fail("E04", f"backward(): {where}, and L.grad is {L.grad}: backward() starts with self.grad = 1.0 (dL/dL)")
    why = closest_form(got, [(w, lambda run=run: (run(), (float(a.grad), float(b.grad)))[1])
                             for w, run in _topo_variants(L)], lambda u, v: _all_close(u, v, 1e-10))
    fail("E04", f"backward(): {where}: {why or 'keep the given backward(): a topological sort, then every _backward in reverse'}")


def _softmax_loss(V: type) -> tuple[float, list[float]]:
    """The official cell, on the student's Value: softmax of the logits, loss = -log p[label], backward."""
    def softmax(logits):
        counts = [logit.exp() for logit in logits]
        denominator = sum(counts)
        return [c / denominator for c in counts]
    logits = [V(x) for x in LOGITS]
    with student_code("E04", "the softmax cell"):
        loss = -softmax(logits)[LABEL].log()
        loss.backward()
    return float(loss.data), [float(v.grad) for v in logits]


def _softmax_reference() -> tuple[float, list[float]]:
    t = torch.tensor(LOGITS, dtype=torch.float64, requires_grad=True)
    loss = -torch.softmax(t, dim=0)[LABEL].log()
    loss.backward()
    return loss.item(), t.grad.tolist()


def check_e04(Value: Any) -> None:
    """E04: every operation of ``Value`` on its own, against torch in float64, then the softmax of the official cell."""
    V = Value
    if not isinstance(V, type):
        fail("E04", f"pass the class itself, mg.check_e04(Value), not a {type(V).__name__}")
    with student_code("E04", "Value(1.5)", lambda err: ": keep the given __init__"):
        v = V(1.5)
        ok = v.data == 1.5 and v.grad == 0 and callable(v._backward) and hasattr(v, "_prev")
    if not ok:
        fail("E04", "Value(1.5) should have data 1.5, grad 0, a _backward and a _prev: keep the given __init__")
    worst = 0.0
    last_pow = max(i for i, c in enumerate(CASES) if c.method == "__pow__")
    note = ""
    for i, case in enumerate(CASES):
        worst = max(worst, _check_case(V, case))
        if i == last_pow:  # numbers work: now a Value exponent
            note = _check_value_exponent(V)
    _check_backward(V)
    loss, grads = _softmax_loss(V)
    want_loss, want_grads = _softmax_reference()
    diff = max([abs(loss - want_loss)] + [abs(x - y) for x, y in zip(grads, want_grads)])
    if diff > 1e-12:
        fail("E04", f"every operation passes on its own, but the softmax cell gives loss {loss!r} and gradients {grads}, "
                    f"torch {want_loss!r} and {want_grads}")
    worst = max(worst, diff)
    passed("E04", f"{len(METHODS)} operations, each value and every operand's gradient equal to torch's (float64, "
                  f"seeded random inputs) to {worst:.0e} (expect about 1e-16); a Value used twice adds up its "
                  f"gradients; backward() visits the graph in order; {note}. The softmax cell will print loss "
                  f"{loss!r} and gradients [{', '.join(f'{x:.6f}' for x in grads)}]")


# ---------------------------------------------------------------------------- E05

def check_e05(logits: Any, logits_t: Any, loss_t: Any) -> None:
    """E05: the softmax loss in torch (float64, ``requires_grad``), its gradient against the Values of E04."""
    if not isinstance(logits, (list, tuple)) or len(logits) != len(LOGITS) or not all(
            hasattr(v, "grad") and hasattr(v, "data") for v in logits):
        fail("E05", "logits should be the four Values of the softmax cell above, after loss.backward(): run that cell")
    for name, t in (("logits_t", logits_t), ("loss_t", loss_t)):
        if t is None or t is Ellipsis:
            fail("E05", f"{name} is not written yet")
        if not isinstance(t, torch.Tensor):
            fail("E05", f"{name} is a {type(t).__name__}; it should be a torch tensor")
    if logits_t.numel() != len(LOGITS):
        fail("E05", f"logits_t has shape {tuple(logits_t.shape)}; it should hold the four logits {list(LOGITS)}")
    if logits_t.dtype != torch.float64:
        fail("E05", f"logits_t is {logits_t.dtype}: float32 keeps about 7 digits, so its gradient agrees with the Values "
                    "to about 1e-7 only. Make it float64: torch.tensor([...], dtype=torch.float64) (or .double())")
    if not torch.allclose(logits_t.detach().reshape(-1).double(), torch.tensor(LOGITS, dtype=torch.float64)):
        fail("E05", f"logits_t is {logits_t.detach().reshape(-1).tolist()}; the logits are {list(LOGITS)}")
    if not logits_t.requires_grad:
        fail("E05", "logits_t does not require grad, so torch computes no gradient for it: "
                    "torch.tensor([...], dtype=torch.float64, requires_grad=True)")
    if not logits_t.is_leaf:
        fail("E05", "logits_t is not a leaf tensor (it was made from another one, e.g. requires_grad=True before "
                    ".double()), so torch keeps no .grad for it: create it with dtype=torch.float64, requires_grad=True "
                    "in one call, or set logits_t.requires_grad = True after .double()")
    if logits_t.grad is None:
        fail("E05", "logits_t.grad is None: call loss_t.backward()")
    if loss_t.numel() != 1:
        fail("E05", f"loss_t has shape {tuple(loss_t.shape)}; it should be one number, -probs[3].log()")
    x = list(LOGITS)
    m = max(x)
    logsum = m + math.log(sum(math.exp(v - m) for v in x))
    probs = [math.exp(v - logsum) for v in x]
    want_loss = logsum - x[LABEL]
    got_loss = loss_t.item()
    if not _close(got_loss, want_loss, 1e-12):
        why = closest_form(got_loss, [
            ("the sign: the loss is MINUS the log-probability, -probs[3].log()", lambda: -want_loss),
            ("it is the probability itself: take -log of it", lambda: probs[LABEL]),
        ] + [(f"it is the loss of label {k}: the label is {LABEL}, -probs[{LABEL}].log()", lambda k=k: logsum - x[k])
             for k in range(len(x)) if k != LABEL], _close)
        fail("E05", f"loss_t is {got_loss!r}, the softmax loss for label {LABEL} is {want_loss!r}: "
                    f"{why or 'loss_t = -probs[3].log(), probs the softmax of the logits'}")
    grad = logits_t.grad.detach().reshape(-1).tolist()
    want = [p - (k == LABEL) for k, p in enumerate(probs)]
    if not _all_close(grad, want, 1e-12):
        why = closest_form(grad, [
            ("it is twice the gradient: loss_t.backward() ran twice (gradients add up); run the cell from the tensor's "
             "creation once", lambda: [2 * w for w in want]),
        ], lambda a, b: _all_close(a, b, 1e-10))
        fail("E05", f"logits_t.grad is {grad}, but d loss / d logits is softmax minus one-hot, {want}: "
                    f"{why or 'compute loss_t from logits_t itself, and call loss_t.backward() once'}")
    values = [float(v.grad) for v in logits]
    diff = max(abs(a - b) for a, b in zip(grad, values))
    if diff > 1e-12:
        fail("E05", f"torch's gradient is right, {grad}, but the Values' grads are {values}, off by {diff:.1e}: "
                    "the softmax cell above ran with a wrong Value (see mg.check_e04(Value)), or ran loss.backward() "
                    "twice; run the class cell and the softmax cell again")
    passed("E05", f"loss {got_loss!r}; torch's gradient [{', '.join(f'{v:.6f}' for v in grad)}] equals your Values' to {diff:.0e} "
                  "(float64 rounding: expect about 1e-16, often exactly 0)")
