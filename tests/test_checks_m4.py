"""makemore 4 self-checks (checks/m4.py), and every answer of tests/answers/m4/.

The namespace a check sees is built by running the solution notebook's own setup,
forward-pass and E4 cells (with random contexts in place of names.txt, so that this takes
seconds); an answer's cells then run in it, and the check reads them back as the
notebook's input history, as it does in Jupyter.
"""

import re
from functools import lru_cache
from pathlib import Path

import nbformat
import pytest
import torch

from makemore_helpers.checks import CheckFailed, m4
from makemore_helpers.gradcheck import GradientCheckError

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = sorted((ROOT / "tests" / "answers" / "m4").glob("*.py"))
torch.set_num_threads(1)

# what the notebook's first cells give (load_words and make_splits replaced by random contexts)
PRELUDE = """\
import torch
import torch.nn.functional as F
from makemore_helpers import cmp, require_written, vocab_size
block_size = 3
Xtr = torch.randint(0, vocab_size, (2000, block_size), generator=torch.Generator().manual_seed(1))
Ytr = torch.randint(0, vocab_size, (2000,), generator=torch.Generator().manual_seed(2))
"""


@lru_cache(maxsize=None)
def given(first_line: str) -> str:
    """The source of the solution notebook's code cell that starts with ``first_line``."""
    nb = nbformat.read(ROOT / "solutions" / "makemore4_backprop.ipynb", as_version=4)
    hits = [c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith(first_line)]
    assert len(hits) == 1, f"the solution notebook should have one cell starting {first_line!r}"
    return hits[0]


SETUP = ("n_embd = 10", "batch_size = 32", "emb = C[Xb]")  # init_params, the minibatch, the forward pass
E3_GIVEN = "# forward pass: BatchNorm in one line"  # sets dhpreact = hpreact.grad
E4_GIVEN = ("n_hidden = 200", "g = torch.Generator().manual_seed(2147483647)\nparameters = init_params(n_hidden, g)  # the network")


class Notebook:
    """A namespace and input history, filled cell by cell as a kernel would."""

    def __init__(self):
        self.ns: dict = {}
        self.history: list[str] = []
        self.run(PRELUDE)
        for first in SETUP:
            self.run(given(first))

    def run(self, source: str) -> None:
        self.history.append(source)
        exec(compile(source, f"<cell {len(self.history)}>", "exec"), self.ns)  # noqa: S102


def header(path: Path) -> dict[str, str]:
    meta = {}
    for line in path.read_text().splitlines():
        m = re.match(r"# (verdict|first|mistake): (.*)", line)
        if m:
            meta[m[1]] = m[2].strip()
    assert meta.get("verdict") in ("correct", "wrong"), f"{path.name}: first line must be '# verdict: correct|wrong'"
    return meta


def run_answer(path: Path, capsys=None) -> None:
    """Run one answer of the corpus as a student would, then its exercise's check."""
    nb = Notebook()
    exercise = path.name[:2]
    if exercise in ("e2", "e3"):
        for cell in e1_solution_cells():  # the notebook has E1's rows by then
            nb.run(cell)
    if exercise == "e3":
        nb.run(given(E3_GIVEN))
    if exercise == "e4":
        for first in E4_GIVEN:
            nb.run(given(first))
    for cell in path.read_text().split("# %%"):
        nb.run(cell)
    if exercise == "e4":
        m4.check_e4(nb.ns)
    else:
        getattr(m4, f"check_{exercise}")(nb.ns, nb.history)


def test_the_corpus_has_every_kind():
    names = [p.name for p in ANSWERS]
    verdicts = [header(p)["verdict"] for p in ANSWERS]
    assert sum(n.startswith("e1_") and v == "correct" for n, v in zip(names, verdicts)) >= 10
    assert verdicts.count("correct") >= 13 and verdicts.count("wrong") >= 10
    for ex in ("e1", "e2", "e3", "e4"):
        assert {v for n, v in zip(names, verdicts) if n.startswith(ex)} == {"correct", "wrong"}, ex


@pytest.mark.parametrize("path", ANSWERS, ids=lambda p: p.stem)
def test_answer(path, capsys):
    meta = header(path)
    if meta["verdict"] == "correct":
        run_answer(path)
        out = capsys.readouterr().out
        assert "looks right" in out, out
        assert "WRONG" not in out
        return
    with pytest.raises((GradientCheckError, CheckFailed)) as caught:
        run_answer(path)
    msg = str(caught.value)
    first = meta["first"]
    assert re.match(rf"E\d: d{first} ", msg), f"{path.name}: the error should name d{first} first: {msg}"
    for words in meta["mistake"].split("|"):
        assert words.strip() in msg, f"{path.name}: the message should say {words.strip()!r}: {msg}"


# ------------------------------------------------------------------------------------------
# Behaviour a student relies on


def e1_solution_cells() -> list[str]:
    nb = nbformat.read(ROOT / "solutions" / "makemore4_backprop.ipynb", as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code" and "# BEGIN PLACEHOLDERS E1:" in c.source]


def test_the_shipped_exercise_reports_every_row_not_written_yet(capsys):
    nb = Notebook()
    for name in m4.ROWS:
        nb.run(f"d{name} = ...")
    m4.check_e1(nb.ns, nb.history)  # must not raise
    out = capsys.readouterr().out
    assert out.count("not written yet") == len(m4.ROWS) + 1
    assert "0 of 26 correct, 0 wrong, 26 not written yet" in out
    m4.check_e2(nb.ns, nb.history)
    m4.check_e3(nb.ns, nb.history)


def test_a_partial_answer_reports_its_rows_and_does_not_raise(capsys):
    nb = Notebook()
    for name in m4.ROWS:
        nb.run(f"d{name} = ...")
    nb.run("dlogprobs = -F.one_hot(Yb, num_classes=vocab_size) / n\ndprobs = dlogprobs / probs")
    m4.check_e1(nb.ns, nb.history)
    assert "2 of 26 correct, 0 wrong, 24 not written yet" in capsys.readouterr().out
    with pytest.raises(CheckFailed, match="not written yet: dcounts_sum_inv"):
        m4.check_e1(nb.ns, nb.history, quiet=True, require_complete=True)


def test_the_solution_passes_and_leaves_the_notebook_as_it_was(capsys):
    nb = Notebook()
    for cell in e1_solution_cells():
        nb.run(cell)
    before = {k: v.clone() for k, v in nb.ns.items() if isinstance(v, torch.Tensor)}
    g_state = nb.ns["g"].get_state().clone()
    m4.check_e1(nb.ns, nb.history)
    assert "E1 looks right" in capsys.readouterr().out
    for k, v in before.items():
        assert torch.equal(nb.ns[k], v), f"the check changed {k}"
    assert torch.equal(nb.ns["g"].get_state(), g_state), "the check used the notebook's generator"


def test_a_fixed_row_is_read_from_the_latest_run_of_its_cell(capsys):
    nb = Notebook()
    cells = e1_solution_cells()
    bad = cells[-1].replace("db1 = dhprebn.sum(0)", "db1 = dhprebn.mean(0)")
    for cell in cells[:-1] + [bad]:
        nb.run(cell)
    with pytest.raises(GradientCheckError, match="db1"):
        m4.check_e1(nb.ns, nb.history, quiet=True)
    nb.run(cells[-1])  # the student fixes the line and runs the cell again
    m4.check_e1(nb.ns, nb.history, quiet=True)


def test_a_row_spread_over_two_cells():
    nb = Notebook()
    cells = e1_solution_cells()
    for cell in cells:
        nb.run(cell)
    nb.run("dcounts = counts_sum_inv * dprobs")
    nb.run("dcounts += dcounts_sum")  # the second branch added in a later cell
    src = m4.find_sources(nb.history, ["counts"])["counts"]
    assert len(src.stmts) == 2 and src.grads_read == ["probs", "counts_sum"]
    m4.check_e1(nb.ns, nb.history, quiet=True)


def test_helper_lines_of_the_same_cell_are_rerun_with_the_second_batch():
    nb = Notebook()
    for cell in e1_solution_cells():
        nb.run(cell)
    nb.run("onehot = F.one_hot(Yb, num_classes=vocab_size)\ndlogprobs = -onehot / n")
    src = m4.find_sources(nb.history, ["logprobs"])["logprobs"]
    assert len(src.stmts) == 2
    m4.check_e1(nb.ns, nb.history, quiet=True)


def test_a_value_out_of_date_is_told_from_a_wrong_line(capsys):
    nb = Notebook()
    for cell in e1_solution_cells():
        nb.run(cell)
    nb.ns["dprobs"] = nb.ns["dprobs"] * 2  # as if an old value were left: the line in history is right
    with pytest.raises(GradientCheckError, match=r"dprobs is the first wrong row: your line for dprobs is right"):
        m4.check_e1(nb.ns, nb.history)
    assert "use .clone()" in capsys.readouterr().out


def test_rows_without_lines_in_history_are_checked_on_this_batch_only(capsys):
    nb = Notebook()
    for name in m4.ROWS:
        nb.ns["d" + name] = nb.ns[name].grad.clone()  # values, no lines (as from a script)
    m4.check_e1(nb.ns, [])
    assert capsys.readouterr().out.count("checked on this batch only") == len(m4.ROWS)


def test_tensors_overwritten_by_later_cells_get_a_clear_error():
    nb = Notebook()
    for first in E4_GIVEN:
        nb.run(given(first))  # E4 rebinds C, W1, ... to a wider network
    with pytest.raises(CheckFailed, match="run the cells from the top"):
        m4.check_e1(nb.ns, nb.history)


def test_check_step_restores_the_parameters_and_names_a_bad_return():
    nb = Notebook()
    for first in E4_GIVEN:
        nb.run(given(first))
    nb.run(given("# row i of the identity matrix"))
    before = [p.clone() for p in nb.ns["parameters"]]
    m4.check_e4(nb.ns)
    assert all(torch.equal(p, b) for p, b in zip(nb.ns["parameters"], before))
    nb.run("def broken(Xb, Yb):\n    loss, *_ = forward(Xb, Yb)\n    return loss")
    with pytest.raises(CheckFailed, match=r"must return \(loss, \[dC"):
        m4.check_step(nb.ns["broken"], nb.ns)


def test_the_shipped_e4_stub_stops_with_its_own_message():
    nb = Notebook()
    for first in E4_GIVEN:
        nb.run(given(first))
    nb.run("def manual_step(Xb, Yb):\n    loss, *_ = forward(Xb, Yb)\n    dC = dW1 = db1 = dW2 = db2 = dbngain = dbnbias = ...\n"
           "    require_written('E4', dC=dC, dW1=dW1, db1=db1, dW2=dW2, db2=db2, dbngain=dbngain, dbnbias=dbnbias)\n")
    from makemore_helpers import ExerciseNotWritten
    with pytest.raises(ExerciseNotWritten, match="E4 is not written yet"):
        m4.check_e4(nb.ns)


def test_in_a_real_ipython_shell_the_lines_come_from_its_history(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        nb = Notebook()
        shell.user_ns.update(nb.ns)
        for cell in e1_solution_cells():
            shell.run_cell(cell.replace("db1 = dhprebn.sum(0)", "db1 = dhprebn.mean(0)"), store_history=True)
        result = shell.run_cell("from makemore_helpers.checks import m4\nm4.check_e1()", store_history=True)
        assert isinstance(result.error_in_exec, GradientCheckError), result.error_in_exec
        assert "db1 is the first wrong row" in str(result.error_in_exec)
    finally:
        InteractiveShell.clear_instance()


def test_e4_b1_is_judged_against_the_rounding_of_its_batch_sum():
    """On a trained net b1's true gradient is rounding noise (a few 1e-9): a correct formula's own
    rounding must pass, judged against W1's gradient from the same dhprebn; a real error must not."""
    from makemore_helpers.checks.m4 import _e4_atol
    from makemore_helpers.gradcheck import compare

    ref = {"b1": torch.tensor([4e-9, -3e-9]), "W1": torch.tensor([[0.05, -0.02]])}
    assert _e4_atol("b1", ref) == pytest.approx(5e-8)
    assert _e4_atol("W1", ref) == pytest.approx(5e-8)
    assert compare("b1", torch.tensor([8.4e-9, -1e-9]), ref["b1"], n=32, atol=_e4_atol("b1", ref)).ok
    assert not compare("b1", torch.tensor([1e-4, -3e-9]), ref["b1"], n=32, atol=_e4_atol("b1", ref)).ok
