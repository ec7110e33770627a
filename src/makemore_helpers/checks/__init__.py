"""Per-lecture self-checks, one module per lecture (``m1`` ... ``m5``).

A notebook calls each check in one line, e.g. ``m4.check_e1()``; the logic lives here,
tested by ``tests/``, never in the student's cells. Every check either prints one line
saying the answer is right and what size of error to expect, or raises
:class:`CheckFailed` whose message names the first mistake and how to fix it.
Checks hold no answers to the exercises.
"""

from __future__ import annotations

from typing import NoReturn


class CheckFailed(AssertionError):
    """A self-check found a mistake; the message says which and how to fix it."""


def passed(exercise: str, what: str) -> None:
    """Print the one line a passing check shows: ``E01 looks right: <what>``."""
    print(f"{exercise} looks right: {what}")


def fail(exercise: str, problem: str) -> NoReturn:
    """Raise :class:`CheckFailed` naming ``exercise`` and ``problem``."""
    raise CheckFailed(f"{exercise}: {problem}")
