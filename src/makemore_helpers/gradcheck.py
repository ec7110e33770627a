"""Compare a hand-written gradient with the one autograd computed.

:func:`cmp` prints the lecture's row (exact / approximate / maxdiff) and, when the
gradient is wrong, says how it is wrong where that can be told: a flipped sign, a
constant factor (a missing 1/n, n versus n-1), a transpose, a broadcast dimension
that was not summed, a branch that was not accumulated. :func:`cmp_all` checks many
rows, prints one table, and raises at the end if any written row is wrong.

What to expect: a correct gradient is ``approximate: True`` with a maxdiff of about
1e-9 or smaller (float32 rounding); ``exact`` may be False from hpreact back because
autograd rounds tanh's backward differently from the expression you write.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable

import torch

NOT_WRITTEN = "not written yet"


class GradientCheckError(AssertionError):
    """At least one hand-written gradient disagrees with autograd."""


def is_unwritten(dt: Any) -> bool:
    """True for the placeholders an exercise starts from: ``None`` and ``...``."""
    return dt is None or dt is Ellipsis


def _near_int(x: float, tol: float = 1e-3) -> int | None:
    k = round(x)
    return k if k >= 2 and abs(x - k) < tol * k else None


def _factor_hint(c: float) -> str:
    """Name the usual cause of a gradient that is ``c`` times the true one."""
    for value, words in ((c, "too large"), (1 / c, "too small")):
        k = _near_int(value)
        if k is not None:
            return f"it is {k}x {words}: a missing or extra factor of {k} (a 1/n, or a 2 from a square?)"
        if value > 1:
            m = _near_int(1 / (value - 1))  # value = (m+1)/m = n/(n-1) with n = m+1
            if m is not None:
                return (f"it is {m + 1}/{m} x {words}: n versus n-1 with n = {m + 1} "
                        "(Bessel's correction, 1/(n-1), in the variance?)")
    return f"it is {c:.4g} times the true gradient: a constant factor is wrong"


def diagnose(dt: torch.Tensor, g: torch.Tensor) -> str:
    """Say in words how ``dt`` differs from the true gradient ``g``; '' if no pattern fits."""
    if dt.shape != g.shape:
        if dt.dim() == 2 and dt.t().shape == g.shape and torch.allclose(dt.t(), g):
            return "transposed: use the transpose (.T) of your expression"
        try:
            grown = torch.broadcast_shapes(dt.shape, g.shape) == dt.shape
        except RuntimeError:
            grown = False
        if grown and dt.dim() >= g.dim():
            lead = dt.dim() - g.dim()
            dims = list(range(lead)) + [lead + i for i, n in enumerate(g.shape) if n == 1 and dt.shape[lead + i] != 1]
            summed = dt.sum(dims, keepdim=True)
            summed = summed.view(g.shape) if summed.numel() == g.numel() else summed
            if summed.shape == g.shape and torch.allclose(summed, g):
                return (f"a broadcast dimension was not summed: this tensor was broadcast in the forward "
                        f"pass, so its gradient is the sum over dim {dims} (keepdim=True)")
            return (f"your gradient has the shape of the broadcast result; sum it over dim {dims} "
                    "(keepdim=True) to get the parameter's shape")
        return f"shape {tuple(dt.shape)}, but the tensor (and its gradient) has shape {tuple(g.shape)}"
    if torch.allclose(-dt, g):
        return "sign flipped: the gradient is the negative of yours"
    gg = (g * g).sum().item()
    if gg > 0:
        c = ((dt * g).sum().item()) / gg
        if c != 0 and math.isfinite(c) and torch.allclose(dt, c * g, rtol=1e-4, atol=1e-7):
            return _factor_hint(c)
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


def cmp(name: str, dt: Any, t: torch.Tensor, *, quiet: bool = False) -> bool:
    """Print the lecture's check row for gradient ``dt`` of tensor ``t``; return whether it is approximately right.

    ``t.grad`` is autograd's answer (call ``t.retain_grad()`` on intermediates before
    ``backward``). A ``dt`` of ``None`` or ``...`` prints "not written yet" and returns False.
    """
    if t.grad is None:
        raise ValueError(f"{name}: the tensor has no .grad; call {name}.retain_grad() before loss.backward()")
    g = t.grad
    if is_unwritten(dt):
        row, ok = f"{name:15s} | {NOT_WRITTEN}", False
    elif not isinstance(dt, torch.Tensor):
        row, ok = f"{name:15s} | WRONG TYPE: d{name} is a {type(dt).__name__}, expected a torch.Tensor", False
    elif dt.shape != g.shape:
        row = f"{name:15s} | WRONG SHAPE: d{name} is {tuple(dt.shape)}, expected {tuple(g.shape)}"
        hint = diagnose(dt.detach(), g)
        row += f" | {hint}" if hint and not hint.startswith("shape ") else ""
        ok = False
    else:
        dt = dt.detach()
        ex = torch.all(dt == g).item()
        ok = torch.allclose(dt, g)
        maxdiff = (dt - g).abs().max().item()
        row = f"{name:15s} | exact: {str(ex):5s} | approximate: {str(ok):5s} | maxdiff: {maxdiff:.3g}"
        if not ok:
            hint = diagnose(dt, g)
            row += f" | {hint}" if hint else ""
    if not quiet:
        print(row)
    return bool(ok)


@dataclass
class CheckReport:
    """What :func:`cmp_all` found: how many rows are written and how many are right."""

    total: int = 0
    written: list[str] = field(default_factory=list)
    correct: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every row written and right."""
        return len(self.correct) == self.total

    def __str__(self) -> str:
        return (f"{len(self.correct)} of {self.total} correct, {len(self.wrong)} wrong, "
                f"{self.total - len(self.written)} not written yet")


def cmp_all(rows: Iterable[tuple[str, Any, torch.Tensor]]) -> CheckReport:
    """Check every ``(name, dt, t)`` row with :func:`cmp`, print the table, and return a report.

    Raises :class:`GradientCheckError` at the end, after printing every row, if any
    written row is wrong; rows not written yet are reported but do not raise.
    """
    report = CheckReport()
    for name, dt, t in rows:
        report.total += 1
        ok = cmp(name, dt, t)
        if not is_unwritten(dt):
            report.written.append(name)
            (report.correct if ok else report.wrong).append(name)
    print(report)
    if report.wrong:
        raise GradientCheckError(f"wrong gradients: {', '.join(report.wrong)} (see the rows above for how)")
    return report
