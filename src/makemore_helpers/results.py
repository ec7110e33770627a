"""Mark the numbers a solution notebook produces, for the reproduction check.

A solution calls ``record("m3.e01.train_loss", loss)`` where it computes a number the
catalogue has a reference for. It prints one line, ``[result] m3.e01.train_loss = 2.8231``,
so the number is visible in the notebook and stored with its outputs;
``tools/reproduce.py`` reads those lines back and checks them against
``reference/numbers.csv``.
"""

from __future__ import annotations

import math
import re

#: The line record() prints, as tools/reproduce.py parses it.
RESULT_LINE = re.compile(r"^\[result\] (?P<key>\S+) = (?P<value>\S+)$", re.M)


def record(key: str, value: float, fmt: str = ".4f") -> None:
    """Print ``[result] key = value`` (formatted with ``fmt``).

    It returns nothing, so a cell that ends in ``record(...)`` shows the printed line only,
    not a stray ``Out[...]`` value as well.
    """
    if not key or any(c.isspace() for c in key):
        raise ValueError(f"a result key is one word such as 'm2.baseline.dev_loss', got {key!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{key}: {value} is not a finite number; the training diverged or a check is wrong")
    print(f"[result] {key} = {value:{fmt}}")
