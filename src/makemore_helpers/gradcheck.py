"""Compare a hand-written gradient with the one autograd computed.

:func:`cmp` prints the lecture's row (exact / approximate / maxdiff) and, when the
gradient is wrong, says how it is wrong where that can be told: a flipped sign, a
constant factor (a missing 1/n, n versus n-1, a mean for a sum), a transpose, a
broadcast dimension that was not summed, a branch that was not accumulated.
Each lecture's check module (``checks.m4``) builds its table of rows on :func:`compare`.

What counts as right: the same values as autograd's to float32 rounding
(``torch.allclose``). A gradient whose shape differs from its tensor's only in
dimensions of size 1, such as ``(64,)`` for a ``(1, 64)`` tensor, has the right
values: its row says so, with how to get the tensor's own shape. A float64 gradient
is compared after casting to the tensor's dtype. A gradient on another device, or
that is not a tensor, gets a row saying so.

What to expect: a correct gradient is ``approximate: True`` with a maxdiff of about
1e-9 or smaller (float32 rounding); ``exact`` may be False from hpreact back because
autograd rounds tanh's backward differently from the expression you write.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import torch

from makemore_helpers.checks import CheckFailed

NOT_WRITTEN = "not written yet"

#: A lecture-specific diagnosis: given a wrong gradient (already in the tensor's shape)
#: and the true one, say what mistake it is, or return ''.
Diagnosis = Callable[[torch.Tensor, torch.Tensor], str]


class GradientCheckError(CheckFailed):
    """At least one hand-written gradient disagrees with autograd; the message names the first."""


def is_unwritten(dt: Any) -> bool:
    """True for the placeholders an exercise starts from: ``None`` and ``...``."""
    return dt is None or dt is Ellipsis


def _near_int(x: float, tol: float = 1e-3) -> int | None:
    k = round(x)
    return k if k >= 2 and abs(x - k) < tol * k else None


def scale_factor(dt: torch.Tensor, g: torch.Tensor) -> float | None:
    """The constant ``c`` with ``dt == c * g`` (to float32 rounding), or None if there is none."""
    gg = (g.double() * g.double()).sum().item()
    if gg == 0:
        return None
    c = (dt.double() * g.double()).sum().item() / gg
    if c == 0 or not math.isfinite(c):
        return None
    return c if torch.allclose(dt.double(), c * g.double(), rtol=1e-4, atol=1e-7) else None


def factor_hint(c: float, n: int | None = None) -> str:
    """Name the usual cause of a gradient that is ``c`` times the true one; ``n`` is the batch size."""
    if c < 0:
        return "sign flipped, and " + factor_hint(-c, n)
    if abs(c - 1) < 1e-4:
        return "it is within 0.01% of the true gradient, but not within float32 rounding: a small term is wrong"
    for value, words in ((c, "too large"), (1 / c, "too small")):
        k = _near_int(value)
        if k is not None:
            if n is not None and k == n:
                cause = ("a mean where the forward pass has a sum, or an extra 1/n" if words == "too small"
                         else "a missing 1/n, or a sum where the forward pass has a mean")
                return f"it is {k}x {words} (n = {n}): {cause}"
            if n is not None and k == n - 1:
                return f"it is {k}x {words} (n-1 = {k}): a missing or extra 1/(n-1)"
            return f"it is {k}x {words}: a missing or extra factor of {k} (a 1/n, or a 2 from a square?)"
        if value > 1:
            m = _near_int(1 / (value - 1))  # value = (m+1)/m = n/(n-1) with n = m+1
            if m is not None and m < 10_000:
                return (f"it is {m + 1}/{m} x {words}: n versus n-1 with n = {m + 1} "
                        "(Bessel's correction, 1/(n-1), in the variance?)")
    return f"it is {c:.4g} times the true gradient: a constant factor is wrong"


def _broadcast_dims(big: torch.Size, small: torch.Size) -> list[int] | None:
    """The dims of ``big`` over which a tensor of shape ``small`` was broadcast to ``big``; None if it was not."""
    try:
        if torch.broadcast_shapes(big, small) != big:
            return None
    except RuntimeError:
        return None
    lead = len(big) - len(small)
    dims = list(range(lead)) + [lead + i for i, s in enumerate(small) if s == 1 and big[lead + i] != 1]
    return dims or None


def _sum_words(dims: list[int], keepdim: bool) -> str:
    where = f"dim {dims[0]}" if len(dims) == 1 else f"dims {tuple(dims)}"
    call = f".sum({dims[0] if len(dims) == 1 else tuple(dims)}{', keepdim=True' if keepdim else ''})"
    return f"the sum over {where}: {call}"


def shape_advice(dt: torch.Tensor, g: torch.Tensor) -> str:
    """Say what a gradient of the wrong shape most likely needs (``g`` holds the true gradient)."""
    ds, gs = tuple(dt.shape), tuple(g.shape)
    if dt.dim() == 2 and dt.t().shape == g.shape:
        if torch.allclose(dt.t().to(g.dtype), g):
            return "transposed: use the transpose (.T) of your expression"
        return "the transpose of the tensor's shape: for a @ b, da = dout @ b.T and db = a.T @ dout"
    dims = _broadcast_dims(dt.shape, g.shape)
    if dims is not None:
        keep = len(gs) == len(ds)  # the tensor keeps the summed dims as size 1
        summed = dt.sum(dims, keepdim=keep)
        if summed.shape == g.shape and torch.allclose(summed.to(g.dtype), g):
            return (f"a broadcast dimension was not summed: this tensor was broadcast in the forward pass, "
                    f"so its gradient is {_sum_words(dims, keep)}")
        return (f"your gradient has the shape of the broadcast result; the tensor's gradient is "
                f"{_sum_words(dims, keep)} of it")
    ones = [i for i, s in enumerate(gs) if s == 1]
    if ones and len(ones) < len(gs):
        # a (32, 1) or (1, 64) tensor: the gradient is a sum along its size-1 dims, kept as size 1
        return (f"the tensor is {gs}, broadcast along dim {ones[0] if len(ones) == 1 else tuple(ones)} in the "
                f"forward pass, so its gradient is {_sum_words(ones, True)} (your shape looks summed along "
                "another dimension)")
    return f"a gradient always has its tensor's shape, {gs}"


def diagnose(dt: torch.Tensor, g: torch.Tensor, n: int | None = None) -> str:
    """Say in words how ``dt`` differs from the true gradient ``g``; '' if no pattern fits.

    ``n`` (the batch size) lets a factor of n be named as a mean for a sum or a missing 1/n.
    """
    if dt.shape != g.shape:
        return shape_advice(dt, g)
    if not torch.isfinite(dt).all():
        return "it contains nan or inf: a division by zero, or the log of 0?"
    if dt.abs().max().item() == 0 and g.abs().max().item() > 0:
        return "it is all zeros: was anything added into it?"
    if torch.allclose(-dt, g):
        return "sign flipped: the gradient is the negative of yours"
    c = scale_factor(dt, g)
    if c is not None:
        return factor_hint(c, n)
    missing = g - dt
    if dt.abs().max().item() > 0 and missing.dim() >= 1:
        for d in range(missing.dim()):
            if missing.shape[d] > 1 and torch.allclose(missing, missing.mean(d, keepdim=True).expand_as(missing), atol=1e-7):
                return (f"part of the gradient is missing, and the missing part is the same along dim {d}, as "
                        "a branch through a broadcast (a sum, a mean) would give: accumulate both branches with +=")
        if missing.dim() == 2:
            per_row = (missing.abs() > 1e-7).sum(1)
            if per_row.max().item() <= 1 and per_row.sum().item() > 0:
                return ("part of the gradient is missing at one entry per row, as a branch through max() or "
                        "indexing would give: accumulate both branches with +=")
    return ""


def _only_size1_differs(a: torch.Size, b: torch.Size) -> bool:
    return a != b and [s for s in a if s != 1] == [s for s in b if s != 1]


def layout_note(dt_shape: torch.Size, t_shape: torch.Size) -> str:
    """The line a right gradient gets when its shape differs from its tensor's only in size-1 dims."""
    ds, ts = tuple(dt_shape), tuple(t_shape)
    if len(ds) < len(ts):
        fix = "keepdim=True gives the tensor's own shape"
    elif len(ds) > len(ts):
        fix = f"summing without keepdim=True (or .view{ts}) gives the tensor's own shape"
    else:
        fix = f".view{ts} gives the tensor's own shape"
    return f"right values in shape {ds}, where the tensor is {ts}: {fix}"


@dataclass(frozen=True)
class Comparison:
    """How one hand-written gradient compares with autograd's.

    ``status`` is ``right``, ``wrong`` (values), ``shape``, ``type``, ``device`` or ``unwritten``.
    ``note`` is said of a right answer (its layout, its dtype); ``problem`` of a wrong one.
    """

    status: str
    exact: bool = False
    maxdiff: float = math.nan
    note: str = ""
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "right"

    @property
    def written(self) -> bool:
        return self.status != "unwritten"

    def row(self, name: str, comment: str | None = None) -> str:
        """The lecture's row for tensor ``name``; ``comment`` replaces the note or problem at the end."""
        tail = self.note if self.ok else self.problem
        tail = tail if comment is None else comment
        if self.status == "unwritten":
            text = f"{name:15s} | {NOT_WRITTEN}"
        elif self.status in ("type", "device", "shape"):
            text = f"{name:15s} | WRONG {self.status.upper()}: {self.problem}"
            return text if comment is None else f"{text} | {comment}"
        else:
            text = (f"{name:15s} | exact: {str(self.exact):5s} | approximate: {str(self.ok):5s} "
                    f"| maxdiff: {self.maxdiff:.3g}")
        return f"{text} | {tail}" if tail else text


def compare(name: str, dt: Any, g: torch.Tensor, *, n: int | None = None,
            diagnoses: Iterable[Diagnosis] = (), atol: float = 1e-8) -> Comparison:
    """Compare gradient ``dt`` of tensor ``name`` with autograd's ``g``.

    Right means ``torch.allclose(dt, g, atol=atol)`` (the lecture's test with its default
    ``atol``). ``n`` is the batch size (for naming factors of n); ``diagnoses`` are
    lecture-specific explanations tried, in order, before the general ones when the values
    are wrong.
    """
    if is_unwritten(dt):
        return Comparison("unwritten")
    if not isinstance(dt, torch.Tensor):
        return Comparison("type", problem=f"d{name} is a {type(dt).__name__}, expected a torch.Tensor")
    dt = dt.detach()
    if dt.device != g.device:
        return Comparison("device", problem=(f"d{name} is on {dt.device}, the tensor on {g.device}: compute it "
                                             f"from the notebook's tensors (or move it with .to('{g.device}'))"))
    if dt.is_complex() or dt.dtype == torch.bool:
        return Comparison("type", problem=f"d{name} has dtype {dt.dtype}, expected a real {g.dtype} tensor")
    notes = []
    if dt.dtype != g.dtype:
        notes.append(f"computed in {str(dt.dtype).replace('torch.', '')}, compared after casting to "
                     f"{str(g.dtype).replace('torch.', '')}")
        dt = dt.to(g.dtype)
    if dt.shape != g.shape:
        if not _only_size1_differs(dt.shape, g.shape):
            return Comparison("shape", problem=f"d{name} is {tuple(dt.shape)}, expected {tuple(g.shape)} | "
                                               f"{shape_advice(dt, g)}")
        notes.insert(0, layout_note(dt.shape, g.shape))
        dt = dt.reshape(g.shape)
    exact = bool(torch.equal(dt, g))
    ok = bool(torch.allclose(dt, g, atol=atol))
    maxdiff = (dt - g).abs().max().item() if dt.numel() else 0.0
    if ok:
        return Comparison("right", exact, maxdiff, note="; ".join(notes))
    if g.abs().max().item() < 10 * atol:  # the true gradient is rounding noise: no pattern to read in it
        return Comparison("wrong", exact, maxdiff, problem=(
            f"the true gradient is about 0 here (largest entry {g.abs().max().item():.2g}), "
            f"yours reaches {dt.abs().max().item():.2g}"))
    problem = ""
    for extra in diagnoses:
        problem = extra(dt, g)
        if problem:
            break
    return Comparison("wrong", exact, maxdiff, problem=problem or diagnose(dt, g, n))


def cmp(name: str, dt: Any, t: torch.Tensor, *, quiet: bool = False) -> bool:
    """Print the lecture's check row for gradient ``dt`` of tensor ``t``; return whether it is approximately right.

    ``t.grad`` is autograd's answer (call ``t.retain_grad()`` on intermediates before
    ``backward``). A ``dt`` of ``None`` or ``...`` prints "not written yet" and returns False.
    """
    if t.grad is None:
        raise ValueError(f"{name}: the tensor has no .grad; call {name}.retain_grad() before loss.backward()")
    result = compare(name, dt, t.grad)
    if not quiet:
        print(result.row(name))
    return result.ok
