"""makemore 2 self-checks (checks/m2.py) on small random data, and every answer of tests/answers/m2/."""

import math
import re
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from makemore_helpers import ExerciseNotWritten, set_scale, vocab_size
from makemore_helpers.checks import CheckFailed, m2

ANSWERS = sorted((Path(__file__).parent / "answers" / "m2").glob("*.py"))
torch.set_num_threads(1)

g0 = torch.Generator().manual_seed(0)
Xtr = torch.randint(0, vocab_size, (2000, 3), generator=g0)
Ytr = torch.multinomial(torch.linspace(1, 4, vocab_size), 2000, replacement=True, generator=g0)


def lecture_init(block_size, n_embd, n_hidden, g):
    C = torch.randn((vocab_size, n_embd), generator=g)
    W1 = torch.randn((block_size * n_embd, n_hidden), generator=g)
    b1 = torch.randn(n_hidden, generator=g)
    W2 = torch.randn((n_hidden, vocab_size), generator=g)
    b2 = torch.randn(vocab_size, generator=g)
    return [C, W1, b1, W2, b2]


def forward(X, C, W1, b1, W2, b2):
    emb = C[X]
    h = torch.tanh(emb.view(emb.shape[0], -1) @ W1 + b1)
    return h @ W2 + b2


@torch.no_grad()
def first_loss(init, block_size=3, n_embd=10, n_hidden=200, seed=2147483647):
    parameters = init(block_size, n_embd, n_hidden, torch.Generator().manual_seed(seed))
    return F.cross_entropy(forward(Xtr, *parameters), Ytr).item()


def header(path):
    text = path.read_text()
    verdict = re.search(r"^# verdict: (\w+)", text, re.M).group(1)
    mistake = re.search(r"^# mistake: (.+)$", text, re.M)
    return verdict, mistake.group(1).strip() if mistake else None


def load(path):
    ns = dict(torch=torch, F=F, math=math, vocab_size=vocab_size, lecture_init=lecture_init, forward=forward,
              first_loss=first_loss, Xtr=Xtr, Ytr=Ytr)
    exec(compile(path.read_text(), str(path), "exec"), ns)
    return ns


def run_check(path):
    ns = load(path)
    kind = path.name.split("_")[0]
    if kind == "losses":
        m2.check_e02(ns["uniform_loss"], ns["lecture_init_loss"])
    elif kind == "init":
        m2.check_e02(better_init=ns["better_init"], forward=forward, Xtr=Xtr, Ytr=Ytr, baseline_init=lecture_init)
    elif kind == "direct":
        m2.check_e03(ns["direct_init"], ns["direct_forward"], forward, Xtr[:300])
    else:
        raise AssertionError(f"{path.name}: unknown kind {kind}")


@pytest.mark.parametrize("path", ANSWERS, ids=lambda p: p.stem)
def test_answers(path, capsys):
    verdict, mistake = header(path)
    if verdict == "correct":
        run_check(path)
        assert "looks right" in capsys.readouterr().out
    else:
        with pytest.raises(CheckFailed, match=re.escape(mistake)):
            run_check(path)


def test_init_is_judged_against_ln27_not_the_students_uniform_loss(capsys):
    # the check takes no uniform_loss at all: a right init passes whatever E02 (1) says
    m2.check_e02(better_init=load(Path(__file__).parent / "answers" / "m2" / "init_scaled_output.py")["better_init"],
                 forward=forward, Xtr=Xtr, Ytr=Ytr)
    assert f"ln 27 = {math.log(27):.4f}" in capsys.readouterr().out


def test_zero_w2_gets_a_note(capsys):
    m2.check_e02(better_init=load(Path(__file__).parent / "answers" / "m2" / "init_zero_output.py")["better_init"],
                 forward=forward, Xtr=Xtr, Ytr=Ytr)
    assert "note: W2 is exactly zero" in capsys.readouterr().out


def test_losses_not_written_names_e02():
    with pytest.raises(ExerciseNotWritten, match="E02"):
        m2.check_e02(..., ...)


def test_e01_compares_dev_losses(monkeypatch, capsys):
    monkeypatch.setenv("MAKEMORE_SCALE", "0.01")
    baseline, better = {"dev_loss": 2.40, "train_loss": 2.38}, {"dev_loss": 2.30, "train_loss": 2.28}
    m2.check_e01({"dev_loss": 2.35, "train_loss": 2.30}, baseline, better)
    assert "checked at full length only" in capsys.readouterr().out
    with pytest.raises(CheckFailed, match="not better than the baseline"):
        m2.check_e01({"dev_loss": 2.45, "train_loss": 2.10}, baseline, better)
    set_scale(None)
    with pytest.raises(CheckFailed, match="not below 2.2"):
        m2.check_e01({"dev_loss": 2.25, "train_loss": 2.20}, baseline, better)
    monkeypatch.setenv("MAKEMORE_SCALE", "0.01")


def test_every_answer_has_a_verdict():
    assert len(ANSWERS) >= 20
