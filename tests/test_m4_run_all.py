"""makemore 4's exercise as a student works it, in one kernel per path (nbclient, MAKEMORE_SCALE=0.01).

- Run All first: it stops at the E1 check, naming the first row. Every cell after it is run
  too (allow_errors, the worst case: E4's cells, calibration, sampling and the race all ran);
  then E1's rows are written in E1's cells and those cells and the check run again, with no
  re-run from the top: the check must say "looks right", judging E1's tensors, not E4's.
- E2 and E3 need only the setup: their headings say how to start there, and following that
  (the cells above E1's heading, then this heading and all below, stopping at the first error
  as JupyterLab does) reaches the exercise's check, which passes for a right answer.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from test_answers_in_notebooks import Paste, errors, paste, text_of

ROOT = Path(__file__).resolve().parents[1]
NAME = "makemore4_backprop.ipynb"


def exercise() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "notebooks" / NAME, as_version=4)


def heading(nb: nbformat.NotebookNode, title: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith(title))


def check_cell(nb: nbformat.NotebookNode, call: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip() == call)


class Kernel:
    """One kernel, cells run one at a time as a student runs them."""

    def __init__(self, nb: nbformat.NotebookNode, where: Path):
        self.nb = nb
        self.client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(where)}})

    def run(self, indices, *, stop_at_error: bool = False) -> int | None:
        """Run the code cells at ``indices``; return the first that failed (and stop there if asked)."""
        first = None
        for i in indices:
            if self.nb.cells[i].cell_type != "code":
                continue
            self.client.execute_cell(self.nb.cells[i], i)
            if errors(self.nb.cells[i]) and first is None:
                first = i
                if stop_at_error:
                    break
        return first


def test_after_run_all_writing_e1_and_running_its_check_gives_looks_right(tmp_path):
    nb = exercise()
    k = Kernel(nb, tmp_path)
    e1_check = check_cell(nb, "m4.check_e1()")
    with k.client.setup_kernel():
        first = k.run(range(len(nb.cells)))  # Run All, and every cell after the first error too
        assert first == e1_check, f"Run All should stop first at the E1 check, not at cell {first}: {nb.cells[first].source[:80]}"
        err = errors(nb.cells[e1_check])[0]
        assert err.ename == "ExerciseNotWritten" and err.evalue.startswith("E1 is not written yet: dlogprobs is still ..."), err
        assert text_of(nb.cells[e1_check]) == "", "nothing written yet: the check prints no table"

        filled = paste(nb, NAME, Paste("E1", "m4/e1_four_cells.py"))  # the rows, written where the stubs are
        k.run([s.cell for s in filled] + [e1_check])
        for s in filled:
            assert not errors(nb.cells[s.cell]), errors(nb.cells[s.cell])
        assert not errors(nb.cells[e1_check]), errors(nb.cells[e1_check])[0].evalue
        assert "E1 looks right: all 26 gradients agree" in text_of(nb.cells[e1_check]), text_of(nb.cells[e1_check])


@pytest.mark.parametrize("ex, answer, stops_at", [
    ("E2", "m4/e2_lecture.py", ("m4.check_e3()", "E3 is not written yet")),
    ("E3", "m4/e3_lecture.py", ("m4.check_e4()", "E4 is not written yet")),
])
def test_e2_and_e3_start_where_their_headings_say(ex, answer, stops_at, tmp_path):
    nb = exercise()
    start = heading(nb, f"## {ex}:")
    assert ("*Run > Run All Above Selected Cell*" in nb.cells[start].source
            and "*Run > Run Selected Cell and All Below*" in nb.cells[start].source), nb.cells[start].source[:300]
    paste(nb, NAME, Paste(ex, answer))
    check = check_cell(nb, f"m4.check_{ex.lower()}()")
    k = Kernel(nb, tmp_path)
    with k.client.setup_kernel():
        assert k.run(range(heading(nb, "## E1:"))) is None, "the setup (the cells above E1's heading) should run"
        first = k.run(range(start, len(nb.cells)), stop_at_error=True)
    assert f"{ex} looks right" in text_of(nb.cells[check]), text_of(nb.cells[check])
    call, message = stops_at
    assert first == check_cell(nb, call), f"{ex}'s path stopped at cell {first}: {nb.cells[first].source[:80]}"
    err = errors(nb.cells[first])[0]
    assert err.ename == "ExerciseNotWritten" and err.evalue.startswith(message), err
