"""The micrograd exercise with answers pasted in, run as a student runs it (nbclient, a fresh kernel).

One right answer per stub from tests/answers/mg/ goes where a student writes it (the helpers of
tests/test_answers_in_notebooks.py do the pasting: a function's or a method's body into its stub):
every cell runs and every check prints its "looks right" line. Then one wrong answer, division's
backward passing out.grad to both operands, stops the run at the E04 check with the mistake named;
and with E04 not written, the E04 check stops at the first method still to write. About 20 s.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from test_answers_in_notebooks import Paste, errors, find_stubs, head, is_check, paste, text_of
import test_checks_mg as mg_corpus
from tools.execute import execute

ROOT = Path(__file__).resolve().parents[1]
NAME = "micrograd.ipynb"
METHODS = ("__radd__", "__mul__", "__rmul__", "__neg__", "__sub__", "__rsub__", "__pow__", "__truediv__",
           "__rtruediv__", "exp", "log")
SECTION1 = [Paste("E01", "mg/e01_lecture.py"), Paste("E02", "mg/e02_loop.py"), Paste("E03", "mg/e03_comprehension.py")]
E04 = [Paste("E04", "mg/e04_lecture.py", where=f"{m}:") for m in METHODS]
E05 = Paste("E05", "mg/e05_cross_entropy.py")
WRONG = Paste("E04", mg_corpus.answer_text("e04_truediv_both"), where="__truediv__:")  # a row of mutations.py
CHECK_CALL = re.compile(r"^\w+\.check_\w+\(", re.M)


def copy_with(pastes: list[Paste], tmp_path: Path, stop_at_check: str | None = None) -> Path:
    """notebooks/micrograd.ipynb with ``pastes`` written over their stubs, cut after the check ``stop_at_check``."""
    nb = nbformat.read(ROOT / "notebooks" / NAME, as_version=4)
    for p in pastes:
        paste(nb, NAME, p)
    if stop_at_check:
        k = next(i for i, c in enumerate(nb.cells) if is_check(c) and c.source.startswith(stop_at_check))
        nb.cells = nb.cells[:k + 1]
    path = tmp_path / NAME
    nbformat.write(nb, path)
    return path


def code_cells(path: Path) -> list[nbformat.NotebookNode]:
    return [c for c in execute(path, allow_errors=True, write=False, quiet=True).cells if c.cell_type == "code"]


def test_every_stub_has_its_answer_here():
    tasks = [(s.exercise, s.task) for s in find_stubs(nbformat.read(ROOT / "notebooks" / NAME, as_version=4), NAME)]
    assert tuple(task.split(":")[0] for ex, task in tasks if ex == "E04") == METHODS  # one stub per method, in order
    assert {t[0] for t in tasks} == {"E01", "E02", "E03", "E04", "E05"}


def test_right_answers_pass_every_check(tmp_path):
    path = copy_with([*SECTION1, *E04, E05], tmp_path)
    left = find_stubs(nbformat.read(path, as_version=4), NAME)
    assert not left, f"stubs with no answer pasted: {[(s.exercise, s.task) for s in left]}"
    checks = 0
    for k, cell in enumerate(code_cells(path)):
        for err in errors(cell):
            pytest.fail(f"{NAME} with answers pasted, code cell {k + 1} ({head(cell)!r}) failed: {err.ename}: {err.evalue}")
        if is_check(cell) and CHECK_CALL.search(cell.source):
            checks += 1
            assert "looks right" in text_of(cell), f"{head(cell)!r} printed no 'looks right' line:\n{text_of(cell)}"
    assert checks == 5


def test_a_wrong_division_stops_at_the_e04_check_naming_it(tmp_path):
    path = copy_with([*SECTION1, *[p for p in E04 if p.where != WRONG.where], WRONG, E05], tmp_path,
                     stop_at_check="mg.check_e04")
    cells = code_cells(path)
    for k, cell in enumerate(cells[:-1]):
        assert not errors(cell), f"code cell {k + 1} ({head(cell)!r}) failed before the check: {errors(cell)[0].evalue}"
    (err,) = errors(cells[-1])
    assert err.ename == "CheckFailed", f"{err.ename}: {err.evalue}"
    for words in WRONG.header()["mistake"].split("|"):
        assert words in err.evalue, err.evalue
    assert len(err.traceback) <= 3, "a failed check shows its message alone"


def test_unwritten_e04_stops_at_its_first_method(tmp_path):
    path = copy_with(SECTION1, tmp_path, stop_at_check="mg.check_e04")
    cells = code_cells(path)
    assert not any(errors(c) for c in cells[:-1])
    (err,) = errors(cells[-1])
    assert err.ename == "ExerciseNotWritten", f"{err.ename}: {err.evalue}"
    assert err.evalue.startswith("E04 is not written yet: __radd__: ") and "body of Value.__radd__()" in err.evalue, err.evalue
