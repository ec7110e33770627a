"""Run every exercise notebook as shipped, the way a student first meets it.

The given code must run, and the first error must be at a stub, naming its exercise
(ExerciseNotWritten from todo()), not a NameError or TypeError somewhere after it.
Every cell holding a top-level stub must fail with that stub's own message. Cells
after a failed stub may fail too (they use what the student has not written yet).
"""

import re
from pathlib import Path

import pytest

from tools.execute import execute

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = sorted((ROOT / "notebooks").glob("*.ipynb"))
TOP_LEVEL_STUB = re.compile(r"^todo\(['\"]([^'\"]+)['\"]", re.M)


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_exercise_fails_first_at_a_stub(path):
    nb = execute(path, allow_errors=True, write=False, quiet=True)
    stub_failed = False
    stub_errors = 0
    for k, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        where = f"{path.name}, code cell {k + 1}"
        for ex in TOP_LEVEL_STUB.findall(cell.source):
            assert errors, f"{where}: the stub for {ex} did not raise"
            assert errors[0].ename == "ExerciseNotWritten" and errors[0].evalue.startswith(f"{ex} "), (
                f"{where}: the stub for {ex} should fail with its own message, got {errors[0].ename}: {errors[0].evalue}")
        if errors:
            err = errors[0]
            if not stub_failed:
                assert err.ename == "ExerciseNotWritten", (
                    f"{where}: the first error a student meets must be at a stub, got {err.ename}: {err.evalue}")
            if err.ename == "ExerciseNotWritten":
                stub_errors += 1
            stub_failed = True
    assert stub_errors, f"{path.name}: no stub failed, so there is nothing for a student to write"
    for k, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        for out in cell.outputs:
            text = out.get("text", "") if out.output_type == "stream" else ""
            assert "[result]" not in text, (
                f"{path.name}, code cell {k + 1} prints a reference-number line: record(...) belongs in a SOLUTION ONLY cell")


CHECK_CALL = re.compile(r"^(?:m\d|mg)\.check\w*\(", re.M)


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_check_cells_are_one_line_and_read_only(path):
    """One audience per cell: a self-check is a one-line call into makemore_helpers.checks, locked."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    checks = [c for c in nb.cells if c.cell_type == "code" and CHECK_CALL.search(c.source)]
    assert checks, f"{path.name} has no self-check cells (m<N>.check_...(...))"
    for cell in checks:
        assert cell.metadata.get("editable") is False and "check" in cell.metadata.get("tags", []), (
            f"{path.name}: the check cell {cell.source.strip()[:60]!r} is not tagged 'check' (read-only) in its solution")
    for cell in nb.cells:
        assert "record(" not in cell.source, f"{path.name}: an exercise cell calls record(...)"


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_figures_travel_with_the_notebook(path):
    """A figure shows wherever the notebook is opened or exported: attached to its cell, not a path into the repo."""
    import nbformat

    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", cell.source) + re.findall(r"<img[^>]*src=\"([^\"]+)", cell.source):
            assert target.startswith(("attachment:", "http://", "https://", "data:")), (
                f"{path.name}: the image {target!r} is a path into the repository; embed it as a cell attachment")
            if target.startswith("attachment:"):
                assert target.split(":", 1)[1] in cell.get("attachments", {}), f"{path.name}: {target} is not attached"


FIRST_TASK = re.compile(r"# YOUR CODE HERE \((?P<ex>[^)]+)\)")


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_run_all_stops_at_the_first_exercise_with_a_short_message(path):
    """Run All, as a student does: it stops at the first exercise not written, naming it, in a few lines.

    The stop is the message alone (the helpers' exceptions render themselves in IPython), not a
    traceback through the helpers' code; and nothing before it fails.
    """
    nb = execute(path, allow_errors=True, write=False, quiet=True, stop_on_error=True)
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [(k, o) for k, c in enumerate(code) for o in c.outputs if o.output_type == "error"]
    assert errors, f"{path.name}: Run All ran to the end: nothing stopped it at a stub"
    k, err = errors[0]
    first = FIRST_TASK.search("\n".join(c.source for c in code)).group("ex")
    assert err.ename == "ExerciseNotWritten", f"{path.name}, code cell {k + 1}: {err.ename}: {err.evalue}"
    assert err.evalue.startswith(f"{first} is not written yet"), (
        f"{path.name}: Run All must stop at the first exercise, {first}; it stopped at code cell {k + 1}: {err.evalue}")
    shown = "\n".join(err.traceback)
    assert len(err.traceback) <= 3 and len(shown.splitlines()) <= 6, (
        f"{path.name}: the stop shows {len(shown.splitlines())} lines; it should be its message alone:\n{shown}")
    assert "site-packages" not in shown and "makemore_helpers/" not in shown, "a traceback through the helpers' code"
    assert all(not c.outputs or c.execution_count for c in code[:k]), "every cell before the stop ran"
    assert all(not c.outputs for c in code[k + 1:]), "Run All stops at the first error: nothing after it runs"
