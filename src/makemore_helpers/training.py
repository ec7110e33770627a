"""The one knob that scales long trainings down.

``MAKEMORE_SCALE`` (an environment variable, default 1) multiplies every long
training's number of steps. The default is the lecture's full setting; the test
command sets it to 0.01 by itself (see ``conftest.py``) so that every notebook runs
in seconds.

Everything here reads the variable at the moment it is called, so a change made in a
running kernel takes effect at once and consistently: ``%env MAKEMORE_SCALE=0.1`` or
``set_scale(0.1)`` shortens the next training, and :func:`full` turns False with it.
From a shell: ``MAKEMORE_SCALE=0.1 make lab``.
"""

from __future__ import annotations

import os

ENV_VAR = "MAKEMORE_SCALE"


def scale() -> float:
    """The current step multiplier from ``MAKEMORE_SCALE`` (1.0 when unset)."""
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return 1.0
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{ENV_VAR}={raw!r} is not a number; set it to a fraction such as 0.01, or unset it") from None
    if not 0 < value <= 1:
        raise ValueError(f"{ENV_VAR}={raw!r} must be in (0, 1]: 1 is the lecture's full setting, 0.01 the tests'")
    return value


def set_scale(value: float | None) -> None:
    """Set the training length for this kernel: ``set_scale(0.1)`` for 10 %, ``set_scale(None)`` for full length."""
    if value is None:
        os.environ.pop(ENV_VAR, None)
        return
    old = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = repr(float(value))
    try:
        scale()  # validate now, with the message that names the fix
    except ValueError:
        if old is None:
            os.environ.pop(ENV_VAR, None)
        else:
            os.environ[ENV_VAR] = old
        raise


def full() -> bool:
    """True when trainings run at the lecture's full length (read now, like :func:`steps`)."""
    return scale() == 1.0


def steps(n: int, minimum: int = 100) -> int:
    """Return ``n`` scaled by ``MAKEMORE_SCALE`` (never below ``minimum``, never above ``n``)."""
    if n < 1:
        raise ValueError(f"a number of steps must be positive, got {n}")
    s = scale()
    return n if s == 1.0 else min(n, max(minimum, round(n * s)))


def describe() -> str:
    """One line saying which training length is in force, for the top of each notebook."""
    if full():
        return ("Training length: the lecture's full setting. For shorter runs: %env MAKEMORE_SCALE=0.1 "
                "in a cell (or MAKEMORE_SCALE=0.1 make lab from a shell).")
    return (f"Training length: scaled to {scale():g} of the lecture's setting (MAKEMORE_SCALE={scale():g}); "
            "losses will be higher than the stored outputs, and full-length checks are skipped. "
            "Back to full length: %env MAKEMORE_SCALE=1")
