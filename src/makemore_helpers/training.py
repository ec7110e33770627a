"""The one knob that scales long trainings down, and small training helpers.

``MAKEMORE_SCALE`` (an environment variable, default 1) multiplies every long
training's number of steps. The default is the lecture's full setting; the test
command sets it to 0.01 by itself (see ``conftest.py``) so that every notebook runs
in seconds. Assertions that only hold after a full-length training check
:data:`FULL` first.
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


def steps(n: int, minimum: int = 100) -> int:
    """Return ``n`` scaled by ``MAKEMORE_SCALE`` (never below ``minimum``, never above ``n``)."""
    if n < 1:
        raise ValueError(f"a number of steps must be positive, got {n}")
    return n if scale() == 1.0 else min(n, max(minimum, round(n * scale())))


#: True when trainings run at the lecture's full length.
FULL: bool = scale() == 1.0


def describe() -> str:
    """One line saying which training length is in force, for the top of each notebook."""
    if FULL:
        return "Training length: the lecture's full setting (MAKEMORE_SCALE unset)."
    return (f"Training length: scaled to {scale():g} of the lecture's setting (MAKEMORE_SCALE={scale():g}); "
            "losses will be higher than the stored outputs, and full-length assertions are skipped.")
