"""Record the numbers a solution notebook produces, for the reproduction check.

A solution calls ``record("m3.e01.train_loss", loss)`` where it computes a number the
catalogue has a reference for. The value is printed, so the notebook shows it, and,
when the environment variable ``MAKEMORE_RESULTS`` names a file, appended to it as one
JSON line; ``tools/reproduce.py`` compares those lines with ``reference/numbers.csv``.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

ENV_VAR = "MAKEMORE_RESULTS"


def record(key: str, value: float, fmt: str = ".4f") -> float:
    """Print ``key = value``, append it to ``$MAKEMORE_RESULTS`` if set, and return ``value``."""
    if not key or any(c.isspace() for c in key):
        raise ValueError(f"a result key is one word such as 'm2.baseline.dev_loss', got {key!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{key}: {value} is not a finite number; the training diverged or a check is wrong")
    print(f"[result] {key} = {value:{fmt}}")
    path = os.environ.get(ENV_VAR)
    if path:
        with Path(path).open("a", encoding="utf-8") as f:
            f.write(json.dumps({"key": key, "value": value}) + "\n")
    return value
