"""micrograd self-checks (checks/mg.py), and every answer of tests/answers/mg/ (its files and the rows of its mutations.py).

The namespace an answer runs in is built from the solution notebook's own cells (its imports,
``f``, ``gradf``, and for E05 the ``Value`` class and the softmax cell), so the answers meet what
a student's do. The whole file takes a few seconds.
"""

import linecache
import math
import re
from functools import lru_cache
from pathlib import Path

import nbformat
import pytest
import torch

from makemore_helpers.checks import CheckFailed, mg
from makemore_helpers.exercise import ExerciseNotWritten

import mutation_table  # tests/mutation_table.py: tests/ is on sys.path under pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "answers" / "mg"
FILES = {p.stem: p for p in sorted(CORPUS.glob("*.py")) if p.name != "mutations.py"}
MUTATIONS = mutation_table.rows(CORPUS)
ANSWERS = sorted(FILES.keys() | MUTATIONS.keys())  # the case ids: a file's stem or a row's name
torch.set_num_threads(1)


def mutated(row: dict) -> str:
    """The answer a row of mutations.py stands for (tests/mutation_table.py builds it)."""
    return mutation_table.build(CORPUS, row)


def answer_text(name: str) -> str:
    """The text of the answer ``name`` (a file's stem or a row of mutations.py), as a student would write it."""
    return FILES[name].read_text() if name in FILES else mutated(MUTATIONS[name])


@lru_cache(maxsize=None)
def cell(notebook: str, first_line: str) -> str:
    """The source of the code cell of ``notebook`` that starts with ``first_line``."""
    nb = nbformat.read(ROOT / notebook, as_version=4)
    hits = [c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith(first_line)]
    assert len(hits) == 1, f"{notebook} should have one code cell starting {first_line!r}"
    return hits[0]


SOLUTION = "solutions/micrograd.ipynb"
EXERCISE = "notebooks/micrograd.ipynb"
SETUP = ("import math", "def f(a, b, c):", "def gradf(a, b, c):")  # the imports, f, the solution's gradf
E05_SETUP = ("class Value:", "def softmax(logits):")  # the solution's Value and the given softmax cell


def run(source: str, ns: dict, name: str) -> None:
    """Run a cell as IPython does: its lines registered with linecache, so todo() can read its task back."""
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    exec(compile(source, name, "exec"), ns)  # noqa: S102


def namespace(*firsts: str, notebook: str = SOLUTION) -> dict:
    ns: dict = {}
    for k, first in enumerate(firsts):
        run(cell(notebook, first), ns, f"<{Path(notebook).stem} cell {k}>")
    return ns


def header(name: str) -> dict[str, str]:
    meta = dict(m.groups() for m in re.finditer(r"^# (verdict|mistake|says): (.*?)\s*$", answer_text(name), re.M))
    assert meta.get("verdict") in ("correct", "wrong"), f"{name}: the first line must be '# verdict: correct|wrong'"
    assert (meta["verdict"] == "wrong") == ("mistake" in meta), f"{name}: a wrong answer names its mistake"
    return meta


def check_answer(name: str, capsys=None) -> None:
    """Run one answer as a student would, in the notebook's namespace, then its exercise's check."""
    ex = name[:3]
    ns = namespace(*SETUP, *(E05_SETUP if ex == "e05" else ()))
    run(answer_text(name), ns, f"<{name}.py>")
    if capsys is not None:
        capsys.readouterr()  # what the cells printed: only the check's lines are kept
    if ex == "e01":
        mg.check_e01(ns["gradf"])
    elif ex == "e02":
        mg.check_e02(ns["numerical_grad"])
    elif ex == "e03":
        mg.check_e03(ns["numerical_grad_symmetric"])
    elif ex == "e04":
        mg.check_e04(ns["Value"])
    else:
        mg.check_e05(ns["logits"], ns["logits_t"], ns["loss_t"])


# ---------------------------------------------------------------------------- the corpus

#: every diagnosis the checks make, and the corpus answer (a file's stem or a row's name) that must meet it
DIAGNOSES = {
    "a hard-coded list (E01)": "e01_typed_in", "a hard-coded list (E02)": "e02_typed_in",
    "a hard-coded list (E03)": "e03_typed_in", "a numerical estimate for E01": "e01_numerical",
    "the estimate calls gradf": "e02_calls_gradf", "the estimate uses the notebook's f": "e02_global_f",
    "symmetric where forward is asked": "e02_symmetric", "forward where symmetric is asked": "e03_forward",
    "division: out.grad to both operands": "e04_truediv_both",
    "division: the numerator only": "e04_truediv_numerator_only",
    "division: the denominator's sign": "e04_truediv_denominator_sign",
    "log without 1/x": "e04_log_without_inverse", "exp's backward uses its input": "e04_exp_uses_input",
    "= instead of += (a * a)": "e04_mul_assigns", "= instead of += (exp used twice)": "e04_exp_assigns",
    "no __radd__": "e04_no_radd", "no __rmul__": "e04_no_rmul", "no __rsub__": "e04_no_rsub",
    "a node appended before its children": "e04_topo_node_before_children",
    "topo not reversed": "e04_topo_not_reversed", "a Value exponent": "e04_pow_value_exponent",
    "torch float32": "e05_float32",
}


def test_the_corpus_has_every_kind():
    names = {name: header(name)["verdict"] for name in ANSWERS}
    for what, name in DIAGNOSES.items():
        assert names.get(name) == "wrong", f"the corpus needs a wrong answer for {what}: {name} (tests/answers/mg/)"
    for ex in ("e01", "e02", "e03", "e04", "e05"):
        kinds = [v for n, v in names.items() if n.startswith(ex)]
        assert kinds.count("correct") >= 3 and kinds.count("wrong") >= 3, ex


def test_every_row_changes_a_right_answer():
    """A row of mutations.py is a right answer's file with one change; its name is no file's."""
    for name, row in MUTATIONS.items():
        assert name not in FILES and name[:3] == row["base"][:3], name
        assert header(Path(row["base"]).stem)["verdict"] == "correct", f"{name}: its base must be a right answer"
        assert row["old"] != row["new"], name


@pytest.mark.parametrize("name", ANSWERS)
def test_answer(name, capsys):
    meta = header(name)
    exercise = "E" + name[1:3]
    if meta["verdict"] == "correct":
        check_answer(name, capsys)
        out = capsys.readouterr().out
        assert out.startswith(f"{exercise} looks right: "), out
        if "says" in meta:
            assert meta["says"] in out, f"{name}: the check should say {meta['says']!r}: {out}"
        return
    with pytest.raises(CheckFailed) as caught:
        check_answer(name)
    msg = str(caught.value)
    assert msg.startswith(f"{exercise}: "), msg
    for words in meta["mistake"].split("|"):
        assert words.strip() in msg, f"{name}: the message should say {words.strip()!r}: {msg}"


# ---------------------------------------------------------------------------- what the corpus does not show

def test_every_check_states_the_error_to_expect(capsys):
    ns = namespace(*SETUP, *E05_SETUP)
    mg.check_e01(ns["gradf"])
    mg.check_e02(namespace(*SETUP, "def numerical_grad(")["numerical_grad"])
    mg.check_e03(namespace(*SETUP, "def numerical_grad_symmetric(")["numerical_grad_symmetric"])
    mg.check_e04(ns["Value"])
    run(cell(SOLUTION, "# BEGIN SOLUTION E05"), ns, "<e05>")
    mg.check_e05(ns["logits"], ns["logits_t"], ns["loss_t"])
    lines = capsys.readouterr().out.splitlines()
    lines = [line for line in lines if "looks right" in line]
    assert len(lines) == 5
    e01, e02, e03, e04, e05 = lines
    assert "expect about 1e-15" in e01 and "official check allows 1e-05" in e01
    assert "largest error is 6.0e-06" in e02 and "expect about 6e-6 for the forward difference at h = 1e-6" in e02
    assert "largest error is 2.9e-09" in e03 and "about 3e-9 at h = 1e-6" in e03
    assert "expect about 1e-16" in e04 and "loss 2.1755153626167147" in e04
    assert "expect about 1e-16" in e05


def test_the_exercise_class_stops_the_check_at_its_first_stub():
    """The class as shipped in the exercise: the check stops with ExerciseNotWritten naming E04 and __radd__."""
    ns = namespace("import math", "class Value:", notebook=EXERCISE)
    with pytest.raises(ExerciseNotWritten, match=r"^E04 is not written yet: __radd__: .*body of Value\.__radd__\(\)"):
        mg.check_e04(ns["Value"])


@pytest.mark.parametrize("name, check", [("gradf", mg.check_e01), ("numerical_grad", mg.check_e02),
                                         ("numerical_grad_symmetric", mg.check_e03)])
def test_the_exercise_functions_stop_their_checks(name, check):
    """The functions as shipped (their cells without the print that calls them): the check stops at the stub."""
    ns: dict = {}
    run(cell(EXERCISE, "import math"), ns, "<imports>")
    run(cell(EXERCISE, f"def {name}(").split("\n\nprint(")[0], ns, f"<{name}>")
    with pytest.raises(ExerciseNotWritten, match=rf"^E0\d is not written yet: .*body of {name}\(\)"):
        check(ns[name])


class Plain:
    """A class with nothing a Value has."""


@pytest.mark.parametrize("call", [
    lambda: mg.check_e01(None), lambda: mg.check_e01([-12.35, 10.26, 0.0625]),
    lambda: mg.check_e01(lambda a, b, c: None), lambda: mg.check_e01(lambda a, b, c: "abc"),
    lambda: mg.check_e01(lambda a, b, c: [1, 2]), lambda: mg.check_e01(lambda a, b, c: 1 / 0),
    lambda: mg.check_e01(lambda a: [a, a, a]), lambda: mg.check_e01(lambda a, b, c: [complex(a), b, c]),
    lambda: mg.check_e02(lambda f, a, b, c, h=1e-6: {"a": 1}), lambda: mg.check_e02(lambda f, point: point),
    lambda: mg.check_e03(lambda f, a, b, c, h=1e-6: torch.ones(2, 2)), lambda: mg.check_e03(...),
    lambda: mg.check_e04(42), lambda: mg.check_e04(Plain), lambda: mg.check_e04(int),
    lambda: mg.check_e05(None, None, None), lambda: mg.check_e05([0.0, 3.0, -2.0, 1.0], torch.zeros(4), torch.zeros(())),
])
def test_anything_else_is_named_never_a_crash(call):
    with pytest.raises(CheckFailed):
        call()


def test_a_method_that_raises_is_named():
    ns = namespace("import math", "class Value:")
    Value = ns["Value"]

    def log(self):
        raise ValueError("math domain error")
    Value.log = log
    with pytest.raises(CheckFailed, match=r"^E04: log: a.log\(\) raised ValueError: math domain error"):
        mg.check_e04(Value)


def test_the_reference_numbers_are_computed_not_typed_in():
    assert mg.lecture_f(2, 3, 4) == 6.336362190988558  # the catalogue's f(2, 3, 4)
    assert mg._gradient(mg._lecture_f_torch, mg.POINT) == pytest.approx(
        [-12.353553390593273, 10.25699027111255, 0.0625], abs=1e-14)
    loss, grads = mg._softmax_reference()
    assert loss == pytest.approx(2.1755153626167147, abs=1e-14)
    assert grads == pytest.approx([0.041772570515350445, 0.8390245074625319, 0.005653302662216329,
                                   -0.8864503806400986], abs=1e-14)
    assert math.isclose(sum(grads), 0, abs_tol=1e-15)  # softmax minus one-hot sums to 0
