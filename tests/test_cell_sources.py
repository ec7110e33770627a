"""checks.cells keeps every cell's source whatever the history setting, and m4's replay reads it.

nbval runs cells with store_history=False, so IPython's In stays empty there; the pre_run_cell
event fires all the same. These run in a real IPython shell, in this process.
"""

import importlib

import pytest
from IPython.core.interactiveshell import InteractiveShell

from makemore_helpers.checks import cells


@pytest.fixture
def shell():
    sh = InteractiveShell.instance()
    try:
        yield sh
    finally:
        InteractiveShell.clear_instance()


def registered(sh) -> int:
    return sum(getattr(cb, "__qualname__", "").startswith("start.") for cb in sh.events.callbacks["pre_run_cell"])


def test_cells_run_without_history_are_kept(shell):
    cells.start(shell)
    shell.run_cell("x = 1", store_history=False)
    shell.run_cell("%env MAKEMORE_CELLS_TEST=1\ny = x + 1", store_history=False)
    assert [c for c in shell.user_ns.get("In", []) if c] == []  # what nbval leaves in In
    got = cells.sources(shell)
    assert got[0] == "x = 1\n"
    assert "run_line_magic('env'" in got[1] and got[1].endswith("y = x + 1\n"), got[1]  # magics translated to Python


def test_starting_twice_or_reloading_registers_once(shell):
    first = cells.start(shell)
    assert cells.start(shell) is first
    importlib.reload(cells)  # a reload of the module, as %autoreload does
    assert cells.start(shell) is first
    assert registered(shell) == 1
    shell.run_cell("z = 3", store_history=False)
    assert cells.sources(shell).count("z = 3\n") == 1


def test_a_late_start_takes_what_the_history_kept(shell):
    shell.run_cell("a = 1", store_history=True)  # before any check module was imported in this shell
    cells.start(shell)
    shell.run_cell("b = 2", store_history=True)
    assert [c.strip() for c in cells.sources(shell)[-2:]] == ["a = 1", "b = 2"]


def test_outside_ipython_there_are_no_cells():
    assert InteractiveShell.initialized() is False
    assert cells.sources() == []
    assert cells.start() is None


def test_strict_is_set_by_the_variable(monkeypatch):
    monkeypatch.delenv(cells.STRICT_VAR, raising=False)
    assert not cells.strict()
    monkeypatch.setenv(cells.STRICT_VAR, "1")
    assert cells.strict()


def test_m4_replays_lines_run_without_history(shell, monkeypatch):
    """The issue's case at unit scale: under store_history=False, db1 = dhprebn.mean(0) is still caught."""
    from makemore_helpers.gradcheck import GradientCheckError
    import test_checks_m4 as corpus

    monkeypatch.setenv(cells.STRICT_VAR, "1")
    nb = corpus.Notebook()
    shell.user_ns.update(nb.ns)
    cells.start(shell)
    for cell in corpus.e1_solution_cells():
        shell.run_cell(cell.replace("db1 = dhprebn.sum(0)", "db1 = dhprebn.mean(0)"), store_history=False)
    result = shell.run_cell("from makemore_helpers.checks import m4\nm4.check_e1()", store_history=False)
    assert isinstance(result.error_in_exec, GradientCheckError), result.error_in_exec
    assert "db1 is the first wrong row: right here only because the true db1 is about 0" in str(result.error_in_exec)
