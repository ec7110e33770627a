"""makemore 5's self-checks (src/makemore_helpers/checks/m5.py) run on a corpus of answers.

The corpus is tests/answers/m5/ (its README says how a file is laid out), and the rows of its mutations.py:
wrong answers written as a right answer's file with one change. Every answer is written for
this project in a form students write: the lecture's own code, the biased or the unbiased variance,
keepdim or not, a mean over (0, 1) as a tuple or as two reductions, var_mean, reshape to 2-D, float64
inside, in-place running updates, the whole class pasted. Each starts with its verdict and, for a
wrong one, words its message must contain:

    # verdict: correct | wrong | not written
    # mistake: <words>

``e01_*`` answers are the body of ``BatchNorm1d.__call__`` (the given ``__init__`` is the lecture's)
or a whole ``class BatchNorm1d``; ``e02_*`` answers define ``FlattenConsecutive`` and ``Sequential``
and build ``model`` (three parts between ``# %%`` lines), with the lecture's ``Embedding``,
``Linear``, ``BatchNorm1d`` and ``Tanh`` in scope.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import torch

from makemore_helpers import ExerciseNotWritten, todo, vocab_size
from makemore_helpers.checks import CheckFailed, m5

import mutation_table  # tests/mutation_table.py: tests/ is on sys.path under pytest

# ---------------------------------------------------------------------------- the lecture's given code

GIVEN = '''
g = torch.Generator().manual_seed(2147483647)

class Linear:
    def __init__(self, fan_in, fan_out, bias=True):
        self.weight = torch.randn((fan_in, fan_out), generator=g) / fan_in**0.5
        self.bias = torch.zeros(fan_out) if bias else None
    def __call__(self, x):
        self.out = x @ self.weight
        if self.bias is not None:
            self.out += self.bias
        return self.out
    def parameters(self):
        return [self.weight] + ([] if self.bias is None else [self.bias])

class Tanh:
    def __call__(self, x):
        self.out = torch.tanh(x)
        return self.out
    def parameters(self):
        return []

class Embedding:
    def __init__(self, num_embeddings, embedding_dim):
        self.weight = torch.randn((num_embeddings, embedding_dim), generator=g)
    def __call__(self, IX):
        self.out = self.weight[IX]
        return self.out
    def parameters(self):
        return [self.weight]

class BatchNorm1d:
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps = eps
        self.momentum = momentum
        self.training = True
        self.gamma = torch.ones(dim)
        self.beta = torch.zeros(dim)
        self.running_mean = torch.zeros(dim)
        self.running_var = torch.ones(dim)
    def __call__(self, x):
{body}
    def parameters(self):
        return [self.gamma, self.beta]
'''

LECTURE_BN = '''
if self.training:
    dim = 0 if x.ndim == 2 else (0, 1)
    xmean = x.mean(dim, keepdim=True)
    xvar = x.var(dim, keepdim=True)
else:
    xmean = self.running_mean
    xvar = self.running_var
xhat = (x - xmean) / torch.sqrt(xvar + self.eps)
self.out = self.gamma * xhat + self.beta
if self.training:
    with torch.no_grad():
        self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
        self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
return self.out
'''


def scope(bn_body: str = LECTURE_BN) -> dict:
    """Run the given code with ``bn_body`` as BatchNorm1d.__call__ (or, for a whole class, the class itself)."""
    ns = {"torch": torch, "vocab_size": vocab_size, "todo": todo}
    if re.search(r"^class BatchNorm1d\b", bn_body, re.M):
        exec(GIVEN.format(body=textwrap.indent(LECTURE_BN.strip("\n"), " " * 8)), ns)
        exec(bn_body, ns)  # the pasted class replaces the given one
        return ns
    exec(GIVEN.format(body=textwrap.indent(textwrap.dedent(bn_body).strip("\n"), " " * 8)), ns)
    return ns


def header(src: str) -> tuple[str, str | None]:
    verdict = re.search(r"^# verdict: (\w+)", src, re.M)[1]
    mistake = re.search(r"^# mistake: (.+)$", src, re.M)
    return verdict, mistake[1].strip() if mistake else None


# ---------------------------------------------------------------------------- E01 corpus

ANSWERS = Path(__file__).parent / "answers" / "m5"
MUTATIONS = mutation_table.rows(ANSWERS)


def mutated(row: dict) -> str:
    """The answer a row of mutations.py stands for (tests/mutation_table.py builds it)."""
    return mutation_table.build(ANSWERS, row)


def corpus(prefix: str) -> dict[str, str]:
    """The answers of one exercise, by name less ``prefix``: its files, then the rows of mutations.py."""
    answers = {p.stem: p.read_text() for p in ANSWERS.glob(f"{prefix}*.py")}
    assert not answers.keys() & MUTATIONS.keys(), "a row of mutations.py is named as a file"
    answers |= {name: mutated(row) for name, row in MUTATIONS.items() if name.startswith(prefix)}
    return {name[len(prefix):]: answers[name] for name in sorted(answers)}


def answer_text(name: str) -> str:
    """The text of the answer ``name`` (a file's stem or a row of mutations.py), as a student would write it."""
    return corpus(name[:4])[name[4:]]


E01 = corpus("e01_")


@pytest.mark.parametrize("name", E01)
def test_e01_corpus(name, capsys):
    src = textwrap.dedent(E01[name])
    verdict, mistake = header(src)
    BatchNorm1d = scope(src)["BatchNorm1d"]
    if verdict == "correct":
        diffs = m5.check_e01(BatchNorm1d)
        assert "E01 looks right" in capsys.readouterr().out
        assert max(diffs.values()) < m5.TOL
    elif verdict == "wrong":
        with pytest.raises(CheckFailed) as err:
            m5.check_e01(BatchNorm1d)
        assert str(err.value).startswith("E01: ") and mistake in str(err.value), str(err.value)
    else:
        with pytest.raises(ExerciseNotWritten, match="^E01 is not written yet"):
            m5.check_e01(BatchNorm1d)


def test_e01_states_the_variance_convention(capsys):
    m5.check_e01(scope()["BatchNorm1d"])
    out = capsys.readouterr().out
    assert "unbiased variance, as the lecture's x.var" in out and "running_var kept with the unbiased variance" in out
    m5.check_e01(scope(textwrap.dedent(E01["biased_variance"]))["BatchNorm1d"])
    out = capsys.readouterr().out
    assert "Normalised with the biased variance, as torch" in out and "running_var kept with the biased variance" in out


def test_e01_a_wrong_starting_value_is_named():
    ns = scope()
    exec("class BatchNorm1d(BatchNorm1d):\n"
         "    def __init__(self, dim, eps=1e-5, momentum=0.1):\n"
         "        super().__init__(dim, eps, momentum)\n"
         "        self.gamma = torch.randn(dim) * 0.1 + 1\n", ns)
    with pytest.raises(CheckFailed, match=r"^E01: a fresh BatchNorm1d\(5\) starts with gamma values from .* torch.ones\(dim\)"):
        m5.check_e01(ns["BatchNorm1d"])


def test_e01_diffs_are_float32_rounding():
    diffs = m5.check_e01(scope()["BatchNorm1d"])
    assert set(diffs) == {"train", "running_mean", "running_var", "eval"}
    assert 0 < max(diffs.values()) < 1e-5


def test_e01_bad_input():
    with pytest.raises(TypeError, match=r"takes the class itself"):
        m5.check_e01(scope()["BatchNorm1d"](5))


# ---------------------------------------------------------------------------- E02 corpus

E02 = corpus("e02_")


def test_every_row_changes_a_right_answer():
    for name, row in MUTATIONS.items():
        base = (ANSWERS / row["base"]).read_text()
        assert header(base)[0] == "correct" and name[:4] == row["base"][:4], f"{name}: its base must be a right answer"
        assert row["old"] != row["new"], name


def parts(src: str) -> list[str]:
    """An E02 answer's three parts: FlattenConsecutive, Sequential, the model."""
    return [part.strip("\n") + "\n" for part in re.split(r"^# %%.*$", src, flags=re.M)[1:]]


LECTURE_FLATTEN, LECTURE_SEQUENTIAL, LECTURE_MODEL = parts(E02["lecture"])


@pytest.mark.parametrize("name", E02)
def test_e02_corpus(name, capsys):
    verdict, mistake = header(E02[name])
    assert len(parts(E02[name])) == 3, f"e02_{name}.py: three parts, FlattenConsecutive, Sequential, the model"
    ns = scope()
    exec(E02[name], ns)
    model = ns["model"]
    X = torch.tensor([[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 5],
                      [0, 0, 0, 0, 0, 0, 5, 13], [0, 0, 0, 0, 0, 5, 13, 13]])  # ........ -> e, m, m, a
    if verdict == "correct":
        assert m5.check_e02(model, X) == 76_579
        assert "E02 looks right" in capsys.readouterr().out
    elif verdict == "wrong":
        with pytest.raises(CheckFailed) as err:
            m5.check_e02(model, X)
        assert str(err.value).startswith("E02: ") and mistake in str(err.value), str(err.value)
    else:
        with pytest.raises(ExerciseNotWritten, match="^E02 is not written yet"):
            m5.check_e02(model, X)


def test_e02_leaves_the_model_alone():
    ns = scope()
    exec(LECTURE_FLATTEN + LECTURE_SEQUENTIAL + LECTURE_MODEL, ns)
    model = ns["model"]
    bn = model.layers[3]
    before = [t.clone() for t in (bn.running_mean, bn.running_var)]
    X = torch.zeros(4, 8, dtype=torch.long)
    m5.check_e02(model, X)
    model(X)  # after a forward pass the layers hold .out tensors with a graph: the check must still copy the model
    bn.running_mean, bn.running_var = before
    m5.check_e02(model, X)
    assert torch.equal(bn.running_mean, before[0]) and torch.equal(bn.running_var, before[1])


def test_e02_bad_input():
    ns = scope()
    exec(LECTURE_FLATTEN + LECTURE_SEQUENTIAL + LECTURE_MODEL, ns)
    with pytest.raises(TypeError, match=r"batch of 4 contexts of 8 character indices"):
        m5.check_e02(ns["model"], torch.zeros(32, 8, dtype=torch.long))
    with pytest.raises(CheckFailed, match="model should be a Sequential"):
        m5.check_e02(ns["model"].layers, torch.zeros(4, 8, dtype=torch.long))


# ---------------------------------------------------------------------------- E03

SEARCH = {"lecture recipe": 2.061, "linear decay": 2.052, "batch 128, lr 0.4": 2.036}


def test_e03_full_length(monkeypatch, capsys):
    monkeypatch.delenv("MAKEMORE_SCALE", raising=False)
    m5.check_e03(SEARCH, 1.975)
    out = capsys.readouterr().out
    assert "E03 looks right" in out and out.index("batch 128") < out.index("lecture recipe"), "sorted by dev loss"
    with pytest.raises(CheckFailed, match="does not beat the lecture's 1.993"):
        m5.check_e03(SEARCH, 1.993)


def test_e03_scaled_run_is_not_held_to_1993(monkeypatch, capsys):
    monkeypatch.setenv("MAKEMORE_SCALE", "0.01")
    m5.check_e03(SEARCH, torch.tensor(2.4))
    assert "only at full length" in capsys.readouterr().out


@pytest.mark.parametrize("search, mistake", [
    ({"a": 2.1, "b": 2.0}, "at least three"),
    ({"a": 2.1, "b": 2.0, "c": float("nan")}, "diverge"),
])
def test_e03_wrong(search, mistake):
    with pytest.raises(CheckFailed, match=mistake):
        m5.check_e03(search, 1.9)


def test_e03_bad_input():
    with pytest.raises(TypeError, match=r"dict \{setting description: dev loss\}"):
        m5.check_e03([2.0, 2.1, 2.2], 1.9)
