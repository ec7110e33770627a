"""Per-lecture self-checks, one module per lecture (``mg`` for micrograd, ``m1`` ... ``m5`` for makemore).

A notebook calls each check in one line, e.g. ``m4.check_e1()``; the logic lives here,
tested by ``tests/``, never in the student's cells. Every check either prints one line
saying the answer is right and what size of error to expect, or raises
:class:`CheckFailed` whose message names the first mistake and how to fix it.
Checks hold no answers to the exercises.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import torch

from makemore_helpers.exercise import ShortStop


class CheckFailed(ShortStop, AssertionError):
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
    if isinstance(value, complex):
        fail(exercise, f"{name} is the complex number {value}: a negative number to a fractional power "
                       "(x**0.5 with x < 0) gives a complex result in Python")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):  # numbers.Real: numpy's floats too
        fail(exercise, f"{name} is a {type(value).__name__}; it should be a number")
    return float(value)


@contextmanager
def student_code(exercise: str, what: str, advice: Callable[[Exception], str] | None = None) -> Iterator[None]:
    """Run a student's code inside ``with``: a crash becomes :class:`CheckFailed` saying which call raised what.

    The message is ``<what> raised <Error>: <message><advice(err)>``. An expected stop from the
    student's code (a stub not written yet, a check of its own) passes through, so Run All still
    stops at the stub.
    """
    try:
        yield
    except ShortStop:
        raise
    except Exception as err:  # noqa: BLE001 - a crash in student code is reported, never re-raised bare
        fail(exercise, f"{what} raised {type(err).__name__}: {err}{advice(err) if advice else ''}")


def closest_form(got: Any, forms: Iterable[tuple[str, Callable[[], Any]]],
                 matches: Callable[[Any, Any], bool]) -> str | None:
    """The first known wrong form that ``got`` matches: the one shape every check uses to name a mistake.

    ``forms`` is a table of ``(what the mistake is, a function computing what that mistake
    gives)``, most specific first; each is computed only when reached, and one that raises
    (a form that does not apply to this input) is skipped. ``matches(got, value)`` says
    whether the answer equals a form's value. Returns the description, or None.
    """
    for what, compute in forms:
        try:
            value = compute()
        except Exception:  # a form that cannot be computed for this input is not the mistake
            continue
        try:
            if matches(got, value):
                return what
        except Exception:
            continue
    return None
