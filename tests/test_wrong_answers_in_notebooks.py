"""One wrong answer per lecture, pasted into its exercise notebook: the check names the mistake.

The second half of tests/test_answers_in_notebooks.py (which says how answers are pasted),
in a file of its own so that the test command's workers run the two halves side by side.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from test_answers_in_notebooks import LECTURES, errors, head, is_check, student_copy, text_of
from tools.execute import execute


@pytest.mark.parametrize("key", LECTURES)
def test_a_wrong_answer_is_named_in_the_notebook(key, tmp_path):
    lecture = LECTURES[key]
    name = lecture.notebook
    meta = lecture.wrong.header()
    assert meta.get("verdict") == "wrong" and meta.get("mistake"), f"{lecture.wrong.label()}: not a wrong answer"
    path, filled = student_copy(lecture, [lecture.wrong], tmp_path)
    nb = nbformat.read(path, as_version=4)
    after = max(s.cell for s in filled)
    check = next((i for i, c in enumerate(nb.cells) if i > after and is_check(c)), None)
    assert check is not None, f"{name}: no check cell after the stub of {lecture.wrong.exercise}"
    nb.cells = nb.cells[:check + 1]  # the run stops at the check that must catch the mistake
    nbformat.write(nb, path)

    ran = execute(path, allow_errors=True, write=False, quiet=True)

    code = [c for c in ran.cells if c.cell_type == "code"]
    for k, cell in enumerate(code[:-1]):
        for err in errors(cell):
            pytest.fail(f"{name}, code cell {k + 1} ({head(cell)!r}) failed before the check: {err.ename}: {err.evalue}")
    caught = errors(code[-1])
    assert caught, f"{name}: the check {head(code[-1])!r} accepted {lecture.wrong.label()}:\n{text_of(code[-1])}"
    err = caught[0]
    assert err.ename in ("CheckFailed", "GradientCheckError"), (
        f"{name}: {lecture.wrong.label()} should fail the check with CheckFailed, got {err.ename}: {err.evalue}")
    if "first" in meta:
        assert re.match(rf"E\d+: d{meta['first']} ", err.evalue), (
            f"{name}: the message should name d{meta['first']} first: {err.evalue}")
    for words in meta["mistake"].split("|"):
        assert words.strip() in err.evalue, f"{name}: the message should say {words.strip()!r}: {err.evalue}"
