"""makemore 4 self-checks (checks/m4.py), and every answer of tests/answers/m4/.

The namespace a check sees is built by running the solution notebook's own setup,
forward-pass and E4 cells (with random contexts in place of names.txt, so that this takes
seconds); an answer's cells then run in it, and the check is given the cells that ran, as
checks.cells keeps them in a notebook. MAKEMORE_STRICT=1 here, as under the test command: a
written row whose line the check cannot read back fails.
"""

import ast
import re
from functools import lru_cache
from pathlib import Path

import nbformat
import pytest
import torch

from makemore_helpers import ExerciseNotWritten
from makemore_helpers.checks import CheckFailed, cells, m4
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


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    monkeypatch.setenv(cells.STRICT_VAR, "1")


@lru_cache(maxsize=None)
def given(first_line: str) -> str:
    """The source of the solution notebook's code cell that starts with ``first_line``."""
    nb = nbformat.read(ROOT / "solutions" / "makemore4_backprop.ipynb", as_version=4)
    hits = [c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith(first_line)]
    assert len(hits) == 1, f"the solution notebook should have one cell starting {first_line!r}"
    return hits[0]


SETUP = ("n_embd = 10", "batch_size = 32", "emb = C[Xb]")  # init_params, the minibatch, the forward pass
E3_GIVEN = "# forward pass: BatchNorm in one line"  # sets dhpreact = hpreact.grad
E4_FORWARD, E4_STEP = "def forward(Xb, Yb):", "# row i of the identity matrix"
E4_INIT = "g = torch.Generator().manual_seed(2147483647)\nnet = init_params(200, g)  # E4's network"


class Notebook:
    """A namespace and the cells it ran, filled cell by cell as a kernel would."""

    def __init__(self):
        self.ns: dict = {}
        self.history: list[str] = []
        self.run(PRELUDE)
        for first in SETUP:
            self.run(given(first))

    def run(self, source: str) -> None:
        self.history.append(source)
        exec(compile(source, f"<cell {len(self.history)}>", "exec"), self.ns)  # noqa: S102

    def e4(self, answer: str | None = None) -> None:
        """E4's given cells, with ``answer`` (a ``def manual_step``) written in manual_step's cell as a student does."""
        self.run(given(E4_FORWARD))
        self.run(manual_step_cell(answer) if answer else given(E4_STEP))
        self.run(given(E4_INIT))


def manual_step_cell(answer: str) -> str:
    """The notebook's manual_step cell with the body of the answer's ``manual_step`` in place of the solution's.

    The answer's lines the cell already has (``loss, ... = forward(Xb, Yb)``, the ``return``)
    are not repeated; what the answer defines besides manual_step (``eye = ...``) runs first.
    An answer marked ``# form: whole cell`` replaces the cell, as a student who writes their own def.
    """
    if "# form: whole cell" in answer:
        return answer
    cell = given(E4_STEP)
    tree = ast.parse(answer)
    lines = answer.splitlines()
    func = next(s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name == "manual_step")
    before = "\n".join("\n".join(lines[s.lineno - 1:s.end_lineno]) for s in tree.body if s is not func)
    start, end = cell.index("    # BEGIN PLACEHOLDERS E4"), cell.index("    # END PLACEHOLDERS\n") + len("    # END PLACEHOLDERS\n")
    own = {line.strip() for line in (cell[:start] + cell[end:]).splitlines()}
    body = [line for s in func.body for line in lines[s.lineno - 1:s.end_lineno]
            if not (s.lineno == s.end_lineno and lines[s.lineno - 1].strip() in own)]
    return before + "\n" + cell[:start] + "\n".join(body) + "\n" + cell[end:]


def header(path: Path) -> dict[str, str]:
    meta = {}
    for line in path.read_text().splitlines():
        m = re.match(r"# (verdict|first|mistake): (.*)", line)
        if m:
            meta[m[1]] = m[2].strip()
    assert meta.get("verdict") in ("correct", "wrong"), f"{path.name}: first line must be '# verdict: correct|wrong'"
    return meta


def run_answer(path: Path) -> None:
    """Run one answer of the corpus as a student would, then its exercise's check."""
    nb = Notebook()
    exercise = path.name[:2]
    if exercise in ("e2", "e3"):
        for cell in e1_solution_cells():  # the notebook has E1's rows by then
            nb.run(cell)
    if exercise == "e3":
        nb.run(given(E3_GIVEN))
    if exercise == "e4":
        nb.e4(path.read_text())
        m4.check_e4(nb.ns)
        return
    for cell in path.read_text().split("# %%"):
        nb.run(cell)
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
        assert "WRONG" not in out and "could not read" not in out
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


def test_the_shipped_exercise_stops_at_its_first_row_with_a_short_message(capsys):
    nb = Notebook()
    for name in m4.ROWS:
        nb.run(f"d{name} = ...")
    capsys.readouterr()
    with pytest.raises(ExerciseNotWritten, match=r"^E1 is not written yet: dlogprobs is still \.\.\.\. Write it in E1's"):
        m4.check_e1(nb.ns, nb.history)
    assert capsys.readouterr().out == "", "nothing written: no table of 26 'not written yet' rows"
    nb.run("dlogits = ...")
    with pytest.raises(ExerciseNotWritten, match=r"^E2 is not written yet: dlogits is still"):
        m4.check_e2(nb.ns, nb.history)
    with pytest.raises(ExerciseNotWritten, match=r"^E3 is not written yet: dhprebn is still"):
        m4.check_e3(nb.ns, nb.history)


def test_a_partial_answer_prints_its_rows_and_stops_at_the_first_unwritten_one(capsys):
    nb = Notebook()
    for name in m4.ROWS:
        nb.run(f"d{name} = ...")
    nb.run("dlogprobs = -F.one_hot(Yb, num_classes=vocab_size) / n\ndprobs = dlogprobs / probs")
    with pytest.raises(ExerciseNotWritten, match=r"dcounts_sum_inv is still \.\.\. \(2 of 26 written, right so far\)"):
        m4.check_e1(nb.ns, nb.history)
    assert "2 of 26 correct, 0 wrong, 24 not written yet" in capsys.readouterr().out


def test_a_wrong_row_is_named_before_an_unwritten_one():
    nb = Notebook()
    for name in m4.ROWS:
        nb.run(f"d{name} = ...")
    nb.run("dlogprobs = F.one_hot(Yb, num_classes=vocab_size) / n")
    with pytest.raises(GradientCheckError, match=r"^E1: dlogprobs is the first wrong row: sign flipped"):
        m4.check_e1(nb.ns, nb.history, quiet=True)


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


def test_the_table_is_the_lectures_with_autograds_own_numbers(capsys):
    """The check's own autograd gives the notebook's .grad bit for bit: exact is True down to hpreact."""
    nb = Notebook()
    for cell in e1_solution_cells():
        nb.run(cell)
    m4.check_e1(nb.ns, nb.history)
    rows = {line.split("|")[0].strip(): line for line in capsys.readouterr().out.splitlines() if "|" in line}
    for row in m4.ROWS[:m4.ROWS.index("hpreact")]:
        assert "exact: True" in rows[row], rows[row]
        assert torch.equal(nb.ns["d" + row].reshape(nb.ns[row].grad.shape), nb.ns[row].grad), row


def test_a_fixed_row_is_read_from_the_latest_run_of_its_cell():
    nb = Notebook()
    cells_ = e1_solution_cells()
    bad = cells_[-1].replace("db1 = dhprebn.sum(0)", "db1 = dhprebn.mean(0)")
    for cell in cells_[:-1] + [bad]:
        nb.run(cell)
    with pytest.raises(GradientCheckError, match="db1"):
        m4.check_e1(nb.ns, nb.history, quiet=True)
    nb.run(cells_[-1])  # the student fixes the line and runs the cell again
    m4.check_e1(nb.ns, nb.history, quiet=True)


def test_a_row_spread_over_two_cells():
    nb = Notebook()
    for cell in e1_solution_cells():
        nb.run(cell)
    nb.run("dcounts = counts_sum_inv * dprobs")
    nb.run("dcounts += dcounts_sum")  # the second branch added in a later cell
    src = m4.sources_of(m4.lines_of(nb.history, m4.ROWS), ["counts"])["counts"]
    assert len(src.lines) == 2 and src.grads_read == ["probs", "counts_sum"]
    m4.check_e1(nb.ns, nb.history, quiet=True)


def test_helper_lines_of_the_same_cell_are_rerun_with_the_second_batch():
    nb = Notebook()
    for cell in e1_solution_cells():
        nb.run(cell)
    nb.run("onehot = F.one_hot(Yb, num_classes=vocab_size)\ndlogprobs = -onehot / n")
    m4.check_e1(nb.ns, nb.history, quiet=True)


def test_a_line_may_read_a_row_its_cell_is_still_adding_to():
    """dlogit_maxes from dlogits before the max branch is added: what the notebook computes, so right."""
    nb = Notebook()
    for cell in e1_solution_cells():
        nb.run(cell)
    nb.run("dlogits = dnorm_logits.clone()\ndlogit_maxes = -dlogits.sum(1, keepdim=True)\n"
           "dlogits += F.one_hot(logits.max(1).indices, num_classes=vocab_size) * dlogit_maxes")
    m4.check_e1(nb.ns, nb.history, quiet=True)


def test_a_rerun_cell_above_leaves_the_rows_below_out_of_date_not_wrong():
    nb = Notebook()
    cells_ = e1_solution_cells()
    nb.run(cells_[0].replace("/ n     #", "/ 2 / n  #"))  # dlogprobs wrong first
    for cell in cells_[1:]:
        nb.run(cell)
    nb.run(cells_[0])  # fixed, but the cells below were not run again
    with pytest.raises(GradientCheckError, match=r"^E1: dh is the first wrong row: your line for dh is right, but dh "
                                                 r"does not hold what it computes: run its cell again"):
        m4.check_e1(nb.ns, nb.history, quiet=True)


def test_batch_size_names_of_the_notebook_count_as_the_batch_size():
    nb = Notebook()
    for cell in e1_solution_cells():
        nb.run(cell)
    nb.run("bs = Xb.shape[0]\nB = len(Xb)")  # a helper cell of its own, not run again by the check
    nb.run("dlogits = (F.softmax(logits, 1) - F.one_hot(Yb, vocab_size)) / bs")
    m4.check_e2(nb.ns, nb.history, quiet=True)
    nb.run("dlogits = (F.softmax(logits, 1) - F.one_hot(Yb, vocab_size)) / B")
    m4.check_e2(nb.ns, nb.history, quiet=True)
    nb.run("thirty_two = 32\ndlogits = (F.softmax(logits, 1) - F.one_hot(Yb, vocab_size)) / thirty_two")
    with pytest.raises(GradientCheckError, match="hard-coded 32"):
        m4.check_e2(nb.ns, nb.history, quiet=True)


def test_a_value_out_of_date_is_told_from_a_wrong_line(capsys):
    nb = Notebook()
    for cell in e1_solution_cells():
        nb.run(cell)
    nb.ns["dprobs"] = nb.ns["dprobs"] * 2  # as if an old value were left: the line that ran is right
    with pytest.raises(GradientCheckError, match=r"dprobs is the first wrong row: your line for dprobs is right"):
        m4.check_e1(nb.ns, nb.history)
    assert "use .clone()" in capsys.readouterr().out


def test_rows_whose_lines_cannot_be_read_back_say_so_and_fail_under_the_test_command(capsys, monkeypatch):
    nb = Notebook()
    for name in m4.ROWS:
        nb.ns["d" + name] = nb.ns[name].grad.clone()  # values, no lines (as under a front end that kept no source)
    with pytest.raises(CheckFailed, match=r"^E1: could not read your line for dlogprobs back: the second-batch check "
                                          r"was skipped .*MAKEMORE_STRICT=1"):
        m4.check_e1(nb.ns, [])
    out = capsys.readouterr().out
    assert out.count("could not read your line for d") == len(m4.ROWS)
    assert "0 of 26 correct, 0 wrong, 0 not written yet, 26 right on this batch but not read back" in out
    monkeypatch.delenv(cells.STRICT_VAR)  # a student's notebook: a note, never a silent pass
    m4.check_e1(nb.ns, [])
    assert "E1 looks right: right on this batch; dlogprobs, dprobs" in capsys.readouterr().out
    nb.ns["dlogits"] = nb.ns["logits"].grad.clone()
    m4.check_e2(nb.ns, [])
    assert "could not read your line for dlogits back: the second-batch check was skipped" in capsys.readouterr().out


def test_e4_leaves_e1s_tensors_and_check_as_they_were(capsys):
    nb = Notebook()
    for cell in e1_solution_cells():
        nb.run(cell)
    nb.e4()
    nb.run(given("def autograd_step(Xb, Yb):"))
    nb.run("with torch.no_grad():\n    lossi = train(manual_step, 20, decay_at=10)")
    m4.check_e1(nb.ns, nb.history)
    assert "E1 looks right" in capsys.readouterr().out
    assert nb.ns["W1"].shape == (30, 64) and nb.ns["net"][1].shape == (30, 200)


def test_tensors_overwritten_by_hand_get_a_clear_error():
    nb = Notebook()
    nb.run("C, W1, b1, W2, b2, bngain, bnbias = init_params(200, g)")  # E1's names rebound to a wider network
    with pytest.raises(CheckFailed, match="run the cells from the Setup heading down to the forward pass again"):
        m4.check_e1(nb.ns, nb.history)


def test_check_step_restores_the_parameters_and_names_a_bad_return():
    nb = Notebook()
    nb.e4()
    before = [p.clone() for p in nb.ns["net"]]
    m4.check_e4(nb.ns)
    assert all(torch.equal(p, b) for p, b in zip(nb.ns["net"], before))
    nb.run("def broken(Xb, Yb):\n    loss, *_ = forward(Xb, Yb)\n    return loss")
    with pytest.raises(CheckFailed, match=r"must return \(loss, \[dC"):
        m4.check_e4_step(nb.ns["broken"], nb.ns)


def test_a_step_that_raises_is_named_not_a_traceback():
    nb = Notebook()
    nb.e4()
    nb.run("def crashing(Xb, Yb):\n    return forward(Xb, Yb)[0], [W1 @ W1] * 7")
    with pytest.raises(CheckFailed, match=r"^E4: crashing on step 0 raised RuntimeError: .*unpacks net"):
        m4.check_e4_step(nb.ns["crashing"], nb.ns)


def test_the_shipped_e4_stub_stops_with_its_own_message():
    nb = Notebook()
    nb.e4()
    nb.run(given(E4_STEP).split("# BEGIN PLACEHOLDERS")[0] + "dC = dW1 = db1 = dW2 = db2 = dbngain = dbnbias = ...\n"
           "    require_written('E4', dC=dC, dW1=dW1, db1=db1, dW2=dW2, db2=db2, dbngain=dbngain, dbnbias=dbnbias)\n")
    with pytest.raises(ExerciseNotWritten, match="E4 is not written yet"):
        m4.check_e4(nb.ns)


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
