"""Per-lecture self-checks, one module per lecture (``m1`` ... ``m5``).

A notebook calls each check in one line, e.g. ``m4.check_e1()``; the logic lives here,
tested by ``tests/``, never in the student's cells. Every check either prints one line
saying the answer is right and what size of error to expect, or raises
:class:`CheckFailed` whose message names the first mistake and how to fix it.
Checks hold no answers to the exercises.
"""

from __future__ import annotations

from typing import Any, NoReturn

import torch


class CheckFailed(AssertionError):
    """A self-check found a mistake; the message says which and how to fix it."""


def passed(exercise: str, what: str) -> None:
    """Print the one line a passing check shows: ``E01 looks right: <what>``."""
    print(f"{exercise} looks right: {what}")


def fail(exercise: str, problem: str) -> NoReturn:
    """Raise :class:`CheckFailed` naming ``exercise`` and ``problem``."""
    raise CheckFailed(f"{exercise}: {problem}")


def number(exercise: str, name: str, value: Any, *, what: str = "one number") -> float:
    """``value`` (a Python number or a one-element tensor) as a float, or :class:`CheckFailed` saying what it is.

    ``what`` completes the message for a tensor of many elements: "it should be <what>".
    """
    if value is None or value is Ellipsis:
        fail(exercise, f"{name} is not written yet")
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            fail(exercise, f"{name} is a tensor of shape {tuple(value.shape)}; it should be {what}")
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(exercise, f"{name} is a {type(value).__name__}; it should be a number")
    return float(value)
