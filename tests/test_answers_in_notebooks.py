"""Answers of the corpus pasted into the shipped exercise notebooks, run as a student runs them.

The unit tests (tests/test_checks_m*.py) run every answer of the corpus through the check
modules directly. Here one correct answer per exercise goes where a student writes it: a
copy of notebooks/X.ipynb has each stub (its ``# YOUR CODE HERE (E..): ...`` line and the
``todo(...)`` line or the ``name = ...`` placeholders under it) replaced by the
answer's lines, the rest of the cell kept, and the copy runs top to bottom in a fresh
kernel at the tests' length (MAKEMORE_SCALE=0.01, set by conftest.py). Every cell must run
and every self-check must print its "looks right" line. A second run per lecture pastes one
wrong answer and stops after that exercise's check cell, which must fail with CheckFailed
(GradientCheckError is one) naming the mistake its corpus file gives.

An answer meant for a stub inside a function (``def zero_init(layers): ...``) or a method
(``FlattenConsecutive.__call__``) may define the whole function or class, as the corpus files
do; what is pasted is that function's body, less the lines the function already has around
its stub (``loss, ... = forward(Xb, Yb)``, the ``return``), at the stub's indentation. An
answer that defines neither is the body itself. An answer in several parts (``# %%`` between
them) fills that many stubs of its exercise, in order, one part each, as E1 of makemore 4 is
written in four cells. No stub may be left in the copy.

Two executions per lecture: the right answers here, the wrong one in
tests/test_wrong_answers_in_notebooks.py (a file of its own, so that the test command's
workers, which take whole files, run the two halves side by side). See LECTURES for what each pastes (makemore 1's answers, makemore
2's E01 and makemore 5's E03 are written here, as those exercises have no corpus of code).
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

import test_checks_m5 as m5_corpus  # tests/ is on sys.path under pytest, as for every test module here
from tools.execute import execute

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = ROOT / "tests" / "answers"
MARKER = re.compile(r"^(?P<indent>[ \t]*)# YOUR CODE HERE \((?P<ex>E\d+)\): (?P<task>.*)$")
HEADER = re.compile(r"^\s*# (verdict|first|mistake|form): ")  # what the corpus says about an answer, not its code
CHECK_CALL = re.compile(r"\bm\d\.check\w*\(")

# makemore 2 E01 has no corpus (its check compares trainings, judged against 2.2 at full length
# only): a short search of the form students write, two settings at the search's length.
M2_E01 = """\
settings = [dict(name="baseline setting"), dict(name="embd 16", n_embd=16)]
# %%
best_setting = min(zip(search, settings), key=lambda rs: rs[0]["dev_loss"])[1]  # chosen on dev
"""


@dataclass(frozen=True)
class Paste:
    """One answer for the stubs of ``exercise`` whose task line contains ``where`` (all of them if None).

    ``answer`` is a file under tests/answers/ or, when it holds a newline, the answer's text.
    """

    exercise: str
    answer: str
    where: str | None = None

    def text(self) -> str:
        return self.answer if "\n" in self.answer else (ANSWERS / self.answer).read_text()

    def parts(self) -> list[str]:
        return re.split(r"^# %%.*$", self.text(), flags=re.M)

    def label(self) -> str:
        return "(an answer written in this test)" if "\n" in self.answer else f"tests/answers/{self.answer}"

    def header(self) -> dict[str, str]:
        return dict(m.groups() for m in re.finditer(r"^\s*# (verdict|first|mistake): (.*?)\s*$", self.text(), re.M))


@dataclass(frozen=True)
class Lecture:
    notebook: str
    correct: list[Paste]
    wrong: Paste
    stop_after_last_check: bool = False  # drop what follows the last check cell (long and checks nothing)


# makemore 1's corpus (tests/test_checks_m1.py) is functions built on that module's helpers, not
# text to paste: these are its right forms written in the notebook's names (the form most public
# E01 answers take, one start marker with add-one and the lecture's float32 loss loop, as
# e01_one_start_marker_running_sum; split_project_way, models_add_one, e03_right, W[xs],
# F.cross_entropy), and the same E01 printing the sum, not the mean, as the wrong one
# (e01_running_sum_not_divided).
M1_E01 = """\
N3 = torch.zeros((27, 27, 27), dtype=torch.int32)
for w in words:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2, ch3 in zip(chs, chs[1:], chs[2:]):
        N3[stoi[ch1], stoi[ch2], stoi[ch3]] += 1
P3 = (N3 + 1).float()
P3 /= P3.sum(2, keepdims=True)
log_likelihood = 0.0
n = 0
for w in words:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2, ch3 in zip(chs, chs[1:], chs[2:]):
        prob = P3[stoi[ch1], stoi[ch2], stoi[ch3]]
        logprob = torch.log(prob)
        log_likelihood += logprob
        n += 1
nll = -log_likelihood
trigram_loss = nll / n
"""
M1_E01_SUM = """\
# verdict: wrong
# mistake: times too large: the SUM
""" + M1_E01.replace("trigram_loss = nll / n", "trigram_loss = nll")
M1_E02 = """\
shuffled = words[:]
random.seed(42)
random.shuffle(shuffled)
n1, n2 = int(0.8 * len(shuffled)), int(0.9 * len(shuffled))
words_tr, words_dev, words_te = shuffled[:n1], shuffled[n1:n2], shuffled[n2:]
# %%
def ngram_counts(names, n):
    X, Y = build_dataset(names, n - 1)
    N = torch.zeros((27,) * n, dtype=torch.float64)
    N.index_put_((*X.T, Y), torch.ones(len(Y), dtype=torch.float64), accumulate=True)
    return N

def avg_nll(P, names):
    X, Y = build_dataset(names, P.dim() - 1)
    return -P[(*X.T, Y)].log().mean().item()

P2tr = ngram_counts(words_tr, 2) + 1
P2tr /= P2tr.sum(-1, keepdim=True)
P3tr = ngram_counts(words_tr, 3) + 1
P3tr /= P3tr.sum(-1, keepdim=True)
losses = {(model, split): avg_nll(P, names) for model, P in [('bigram', P2tr), ('trigram', P3tr)]
          for split, names in [('train', words_tr), ('dev', words_dev), ('test', words_te)]}
"""
M1_E03 = """\
N3tr = ngram_counts(words_tr, 3)
alphas = torch.logspace(-3, 1, 9).tolist()
train_losses, dev_losses = [], []
for alpha in alphas:
    Pa = (N3tr + alpha) / (N3tr + alpha).sum(-1, keepdim=True)
    train_losses.append(avg_nll(Pa, words_tr))
    dev_losses.append(avg_nll(Pa, words_dev))
# %%
best_alpha = alphas[dev_losses.index(min(dev_losses))]
test_loss = test.loss((N3tr + best_alpha) / (N3tr + best_alpha).sum(-1, keepdim=True))
"""
M1_E06 = """\
# my own: how many names end in 'a', 'n' or 'e'?
print({ch: sum(w.endswith(ch) for w in words) for ch in 'ane'})
"""

# makemore 5's corpus is tests/answers/m5/: E01 answers are BatchNorm1d.__call__ bodies, E02 answers
# whole classes (each method stub gets its method's body, read by tests/test_checks_m5.py). Its model answers
# set n_embd and n_hidden at top level; in the notebook they are hierarchical_model's arguments,
# so the lecture's Sequential([...]) is written here as the body. E03 has no corpus of code
# (its check takes numbers): a search of three learning rates, the best at full length, test once.
M5_MODEL = """\
model = Sequential([
    Embedding(vocab_size, n_embd),
    FlattenConsecutive(2), Linear(n_embd * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    FlattenConsecutive(2), Linear(n_hidden * 2, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    Linear(n_hidden, vocab_size),
])
"""
M5_E03 = """\
search = {}
for lr0 in (0.05, 0.1, 0.2):
    g.manual_seed(2147483647)  # the same initialisation and minibatches for every setting
    m = hierarchical_model(n_embd, n_hidden)
    train(m, steps(20_000), lr=linear_lr(steps(20_000), lr0), verbose=False)
    search[f"lr {lr0} decaying linearly"] = split_loss(m, Xdev, Ydev)
print(search)
# %%
lr0 = float(min(search, key=search.get).split()[1])  # chosen on dev
g.manual_seed(2147483647)
model = hierarchical_model(n_embd, n_hidden)
lossi = train(model, steps(200_000), lr=linear_lr(steps(200_000), lr0))
train_loss, dev_loss = split_loss(model, Xtr, Ytr), split_loss(model, Xdev, Ydev)
print(f"lr {lr0}: train {train_loss:.4f}, dev {dev_loss:.4f}")
# %%
test_loss = split_loss(model, Xte, Yte)
print(f"test {test_loss:.4f}")
"""

LECTURES = {
    "makemore1": Lecture(
        "makemore1_bigram.ipynb",
        correct=[
            Paste("E01", M1_E01),
            Paste("E02", M1_E02),
            Paste("E03", M1_E03),
            Paste("E04", "logits_idx = W[xs]\n"),
            Paste("E05", "loss_ce = F.cross_entropy(W[xs], ys)\n"),
            Paste("E06", M1_E06),  # open-ended, no check: it must only run
        ],
        wrong=Paste("E01", M1_E01_SUM),
    ),
    "makemore2": Lecture(
        "makemore2_mlp.ipynb",
        correct=[
            Paste("E02", "m2/losses_math_log.py", where="uniform_loss"),
            Paste("E02", "m2/init_scaled_output.py", where="better_init"),
            Paste("E01", M2_E01),
            Paste("E03", "m2/direct_batch_size_from_input.py"),  # batch_size, taken from the input
        ],
        wrong=Paste("E02", "m2/losses_sign.py", where="uniform_loss"),
    ),
    "makemore3": Lecture(
        "makemore3_batchnorm.ipynb",
        correct=[
            Paste("E01", "m3/zero_isinstance_no_grad.py", where="zero the weight"),
            Paste("E01", "m3/claim_last_beta.py", where="trains"),
            Paste("E02", "m3/fold_lecture_copy.py"),
        ],
        wrong=Paste("E01", "m3/zero_skips_last.py", where="zero the weight"),
    ),
    "makemore4": Lecture(
        "makemore4_backprop.ipynb",
        correct=[
            Paste("E1", "m4/e1_four_cells.py"),
            Paste("E2", "m4/e2_lecture.py"),
            Paste("E3", "m4/e3_lecture.py"),
            Paste("E4", "m4/e4_lecture.py"),
        ],
        wrong=Paste("E1", "m4/e1_db1_mean.py"),
        stop_after_last_check=True,  # the race that follows times 14,000 steps whatever the scale
    ),
    "makemore5": Lecture(
        "makemore5_wavenet.ipynb",
        correct=[
            Paste("E01", "m5/e01_no_keepdim.py"),
            Paste("E02", m5_corpus.LECTURE_FLATTEN, where="(B, T, C)"),
            Paste("E02", m5_corpus.LECTURE_SEQUENTIAL, where="call every layer"),
            Paste("E02", m5_corpus.LECTURE_SEQUENTIAL, where="one list of the parameters"),
            Paste("E02", M5_MODEL, where="model = Sequential"),
            Paste("E03", M5_E03),
        ],
        wrong=Paste("E01", "m5/e01_dim0_only.py"),
    ),
}


# ------------------------------------------------------------------------------------------
# Finding stubs and pasting answers into them


@dataclass(frozen=True)
class Stub:
    cell: int  # index in nb.cells
    start: int  # the marker line
    end: int  # one past the todo(...) line or the last placeholder line
    indent: str
    exercise: str
    task: str


def find_stubs(nb: nbformat.NotebookNode, name: str) -> list[Stub]:
    stubs = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        for k, line in enumerate(lines):
            m = MARKER.match(line)
            if not m:
                continue
            indent, ex = m["indent"], m["ex"]
            todo_line = re.compile(rf"^{indent}todo\(['\"]{ex}['\"]")
            placeholder = re.compile(rf"^{indent}\w+ = \.\.\.$")
            end = k + 1
            if end < len(lines) and todo_line.match(lines[end]):
                end += 1
            else:
                while end < len(lines) and placeholder.match(lines[end]):
                    end += 1
            assert end > k + 1, (f"{name}, cell {i}: the marker of {ex} is followed by neither todo('{ex}', ...) "
                                 f"nor `name = ...` placeholders: {lines[k + 1:k + 2]}")
            stubs.append(Stub(i, k, end, indent, ex, m["task"]))
    return stubs


def enclosing_def(lines: list[str], stub: Stub) -> tuple[str | None, str, list[str]] | None:
    """(class, function, the function's other lines) for a stub in a function's body (class None for a
    plain function), or None for a top-level stub."""
    if not stub.indent:
        return None
    func, cls, at, width = None, None, 0, len(stub.indent)
    for k in range(stub.start - 1, -1, -1):
        m = re.match(r"^([ \t]*)(def|class) (\w+)\b", lines[k])
        if not m or len(m[1]) >= width:
            continue
        if func is None and m[2] == "def":
            func, at, width = m[3], k, len(m[1])
            if not width:
                break
        elif func is not None and m[2] == "class":
            cls = m[3]
            break
    assert func is not None, f"the indented stub of {stub.exercise} ({stub.task!r}) is in no function"
    assert cls or not width, f"the stub of {stub.exercise} is in {func}(), an indented function outside a class"
    def_indent = len(lines[at]) - len(lines[at].lstrip())
    stop = next((k for k in range(stub.end, len(lines))
                 if lines[k].strip() and len(lines[k]) - len(lines[k].lstrip()) <= def_indent), len(lines))
    return cls, func, lines[at:stub.start] + lines[stub.end:stop]


def answer_lines(part: str, lines: list[str], stub: Stub, where: str) -> list[str]:
    """The lines a student pastes over ``stub`` for one part of an answer."""
    code = textwrap.dedent("\n".join(line for line in part.splitlines() if not HEADER.match(line))).strip("\n")
    inside = enclosing_def(lines, stub)
    if inside is None:
        return code.splitlines()
    cls, func, around = inside
    around = {line.strip() for line in around}  # the function's own lines, before and after the stub
    cell = {line.strip() for line in lines}
    src = code.splitlines()
    tree = ast.parse(code)
    top = [s for s in tree.body if isinstance(s, ast.ClassDef if cls else ast.FunctionDef) and s.name == (cls or func)]
    defs = [s for s in (top[0].body if cls and top else top) if isinstance(s, ast.FunctionDef) and s.name == func]
    if not defs:  # the answer is the body itself, as a student writes it under the stub
        return textwrap.indent(code, stub.indent).splitlines()
    assert len(top) == 1 and len(defs) == 1, f"{where}: the answer defines {cls or func} more than once"
    for s in tree.body:
        if s is not top[0]:
            text = "\n".join(src[s.lineno - 1:s.end_lineno]).strip()
            assert text in cell, f"{where}: the answer has {text!r} outside {cls or func}, which the cell does not have"
    body = defs[0].body
    prev = defs[0].lineno  # lines are taken from after the previous statement, so comments come along
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        prev, body = body[0].end_lineno, body[1:]  # the cell keeps its own docstring
    keep: list[str] = []
    for s in body:
        text = src[s.lineno - 1:s.end_lineno]
        if not (len(text) == 1 and text[0].strip() in around):  # else the function has it (forward(...), return)
            keep.extend(src[prev:s.end_lineno])
        prev = s.end_lineno
    assert keep, f"{where}: nothing of {func}()'s body is left to paste"
    return textwrap.indent(textwrap.dedent("\n".join(keep)), stub.indent).splitlines()


def paste(nb: nbformat.NotebookNode, name: str, p: Paste) -> list[Stub]:
    """Write answer ``p`` over its stubs in ``nb``; return the stubs it filled."""
    stubs = [s for s in find_stubs(nb, name) if s.exercise == p.exercise and (p.where is None or p.where in s.task)]
    what = f"'# YOUR CODE HERE ({p.exercise}): ...{p.where or ''}...'"
    assert stubs, (f"notebooks/{name} has no stub {what}: was it renamed or removed? "
                   "Update LECTURES in tests/test_answers_in_notebooks.py")
    parts = p.parts()
    assert len(parts) == len(stubs), (f"notebooks/{name}: {len(stubs)} stub(s) {what}, but the answer "
                                      f"{p.label()} has {len(parts)} part(s)")
    for stub, part in reversed(list(zip(stubs, parts))):  # bottom up: line numbers above stay valid
        lines = nb.cells[stub.cell].source.splitlines()
        new = answer_lines(part, lines, stub, f"{name} {p.exercise}")
        nb.cells[stub.cell].source = "\n".join(lines[:stub.start] + new + lines[stub.end:])
    return stubs


def student_copy(lecture: Lecture, pastes: list[Paste], tmp_path: Path) -> tuple[Path, list[Stub]]:
    nb = nbformat.read(ROOT / "notebooks" / lecture.notebook, as_version=4)
    filled = [s for p in pastes for s in paste(nb, lecture.notebook, p)]
    path = tmp_path / lecture.notebook
    nbformat.write(nb, path)
    return path, filled


def errors(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


def text_of(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")


def head(cell: nbformat.NotebookNode) -> str:
    return next((line for line in cell.source.splitlines() if line.strip()), "")[:70]


def is_check(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and "check" in cell.metadata.get("tags", [])


# ------------------------------------------------------------------------------------------
# The tests


@pytest.mark.parametrize("key", LECTURES)
def test_correct_answers_pass_in_the_notebook(key, tmp_path):
    lecture = LECTURES[key]
    name = lecture.notebook
    path, _ = student_copy(lecture, lecture.correct, tmp_path)
    left = [f"{s.exercise}: {s.task}" for s in find_stubs(nbformat.read(path, as_version=4), name)]
    assert not left, f"{name}: stubs with no answer pasted in this test (add one to LECTURES): {left}"
    for p in lecture.correct:
        assert "\n" in p.answer or p.header().get("verdict") == "correct", f"{p.label()} is not a correct answer"
    if lecture.stop_after_last_check:
        nb = nbformat.read(path, as_version=4)
        last = max(i for i, c in enumerate(nb.cells) if is_check(c))
        nb.cells = nb.cells[:last + 1]
        nbformat.write(nb, path)

    ran = execute(path, allow_errors=True, write=False, quiet=True)

    checks = 0
    for k, cell in enumerate(c for c in ran.cells if c.cell_type == "code"):
        where = f"{name} with answers pasted, code cell {k + 1} ({head(cell)!r})"
        for err in errors(cell):
            pytest.fail(f"{where} failed: {err.ename}: {err.evalue}")
        if not is_check(cell):
            continue
        checks += 1
        assert not any(o.output_type == "execute_result" for o in cell.outputs), (
            f"{where}: a check cell shows a value ({cell.outputs}); a check prints its lines and returns None")
        if CHECK_CALL.search(cell.source):
            assert "looks right" in text_of(cell), f"{where}: the check printed no 'looks right' line:\n{text_of(cell)}"
    assert checks, f"{name}: no check cell ran"
