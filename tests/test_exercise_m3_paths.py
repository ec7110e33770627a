"""makemore 3's exercise as a student meets it: where a stub's message points, and E02 started without E01.

E02's heading says how to start there without E01: run the cells above the E01 heading, then
E02's heading and every cell below it. The tests here run exactly those cells of the shipped
exercise (notebooks/), in a fresh kernel at the tests' length, with an answer of the corpus
pasted where the student writes it (tests/test_answers_in_notebooks.py says how).
"""

from __future__ import annotations

import re

import nbformat

from test_answers_in_notebooks import ROOT, Paste, errors, head, is_check, paste, text_of
from tools.execute import execute

NAME = "makemore3_batchnorm.ipynb"


def heading(nb: nbformat.NotebookNode, title: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith(title))


def exercise() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "notebooks" / NAME, as_version=4)


def start_at_e02(nb: nbformat.NotebookNode) -> list:
    """The cells E02's heading tells a student to run: those above E01's heading, then E02's heading and below."""
    e02 = nb.cells[heading(nb, "## E02")]
    assert "Run All Above Selected Cell" in e02.source and "Run Selected Cell and All Below" in e02.source, (
        "E02's heading no longer says how to start there: update this test with it")
    return nb.cells[:heading(nb, "## E01")] + nb.cells[heading(nb, "## E02"):]


def run(nb: nbformat.NotebookNode, tmp_path) -> list:
    path = tmp_path / NAME
    nbformat.write(nb, path)
    return [c for c in execute(path, allow_errors=True, write=False, quiet=True).cells if c.cell_type == "code"]


def first_error(cells: list):
    return next(((cell, errors(cell)[0]) for cell in cells if errors(cell)), (None, None))


def test_a_stub_inside_a_function_points_at_the_cell_that_defines_it(tmp_path):
    """zero_init(layers0) and the E02 check raise from a function whose todo sits in the cell above."""
    nb = exercise()
    call = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.startswith("C0, layers0 = build_mlp("))
    nb.cells = nb.cells[:call + 1] + nb.cells[heading(nb, "## E02"):]  # E01 up to its first stop, then E02
    check = next(i for i, c in enumerate(nb.cells) if is_check(c) and "check_e02" in c.source)
    nb.cells = nb.cells[:check + 1]

    ran = run(nb, tmp_path)

    stops = [(cell, errors(cell)[0]) for cell in ran if errors(cell)]
    assert len(stops) == 2, [f"{head(c)}: {e.ename}: {e.evalue}" for c, e in stops]
    (zcell, zerr), (fcell, ferr) = stops
    assert zcell.source.startswith("C0, layers0 = build_mlp(") and "check_e02" in fcell.source
    for err, func, ex in ((zerr, "zero_init", "E01"), (ferr, "fold_batchnorm", "E02")):
        assert err.ename == "ExerciseNotWritten", f"{err.ename}: {err.evalue}"
        assert err.evalue.startswith(f"{ex} is not written yet: "), err.evalue
        assert f"Write it in the body of {func}(), in the cell that defines it" in err.evalue, err.evalue
        assert "in this cell" not in err.evalue, err.evalue
        assert len(err.traceback) == 1, f"the stop shows a traceback of {len(err.traceback)} lines"


def test_e02_started_without_e01_runs_to_its_end(tmp_path):
    nb = exercise()
    paste(nb, NAME, Paste("E02", "m3/fold_lecture_copy.py"))
    nb.cells = start_at_e02(nb)

    ran = run(nb, tmp_path)

    cell, err = first_error(ran)
    assert err is None, f"{head(cell)!r} failed: {err.ename}: {err.evalue}"
    checks = [c for c in ran if is_check(c) and "check_e02" in c.source]
    assert checks and "E02 looks right" in text_of(checks[0]), text_of(checks[0]) if checks else "no E02 check ran"


def test_e02_fold_in_place_is_named_and_leaves_the_trained_net(tmp_path):
    """mul_ on a trained weight, in the real notebook: named by the check, no raw PyTorch error, mlp unchanged."""
    nb = exercise()
    paste(nb, NAME, Paste("E02", "m3/fold_mul_in_place_requires_grad.py"))
    nb.cells = start_at_e02(nb)
    check = next(i for i, c in enumerate(nb.cells) if is_check(c) and "check_e02" in c.source)
    before = nbformat.v4.new_code_cell("before = [t.detach().clone() for layer in mlp for t in layer.parameters()]")
    after = nbformat.v4.new_code_cell(
        "print('unchanged' if all(a.equal(b) for a, b in zip(before, [t.detach() for layer in mlp for t in layer.parameters()]))"
        " else 'changed')")
    nb.cells = nb.cells[:check] + [before, nb.cells[check], after]

    ran = run(nb, tmp_path)

    cell, err = first_error(ran)
    assert cell is not None and "check_e02" in cell.source, "the check accepted a fold that writes into the trained net"
    assert err.ename == "CheckFailed", f"{err.ename}: {err.evalue}"
    assert re.match(r"E02: fold_batchnorm writes into a trained weight in place", err.evalue), err.evalue
    assert "leaf Variable" not in err.evalue
    assert text_of(ran[-1]).strip() == "unchanged"
