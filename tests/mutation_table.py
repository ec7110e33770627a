"""The mutation tables of the answer corpora (tests/answers/mg/mutations.py, tests/answers/m5/mutations.py).

A row is a wrong answer written as the change that makes it from a right answer's file: ``name`` (the
case's id), ``base`` (the file), ``old`` (its exact text, which must occur there once), ``new``, and
what the answer's header would say: ``verdict``, ``mistake`` and an optional ``note``.
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path


def rows(corpus: Path) -> dict[str, dict]:
    """The rows of ``corpus``/mutations.py, by name."""
    return {row["name"]: row for row in runpy.run_path(str(corpus / "mutations.py"))["MUTATIONS"]}


def build(corpus: Path, row: dict) -> str:
    """The answer ``row`` stands for: its header, then its base's code with ``old`` made ``new``."""
    code = re.sub(r"\A(?:#(?! %%).*\n)*", "", (corpus / row["base"]).read_text())  # less the base's header
    assert code.count(row["old"]) == 1, f"mutations.py {row['name']}: its old text must occur once in {row['base']}"
    head = [f"# verdict: {row['verdict']}"]
    head += [f"# mistake: {row['mistake']}"] if "mistake" in row else []
    head += [f"# {row['note']}"] if "note" in row else []  # the row's own comment, after the header as in a file
    return "\n".join(head) + "\n" + code.replace(row["old"], row["new"])
