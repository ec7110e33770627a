"""The training-length knob, the stubs' errors, record() and the diagnostics plots."""

import importlib

import matplotlib
import pytest
import torch

matplotlib.use("Agg")  # tests draw without a screen; notebooks keep the inline backend

from makemore_helpers import ExerciseNotWritten, record, require_written, todo, training
from makemore_helpers import plots


def test_steps_default_is_the_full_setting(monkeypatch):
    monkeypatch.delenv("MAKEMORE_SCALE", raising=False)
    assert training.steps(200_000) == 200_000 and training.scale() == 1.0
    assert "full setting" in importlib.reload(training).describe()
    assert training.full()


def test_steps_scaled(monkeypatch):
    monkeypatch.setenv("MAKEMORE_SCALE", "0.01")
    assert training.steps(200_000) == 2000
    assert training.steps(1000) == 100, "never below the minimum"
    assert training.steps(50) == 50, "never above n"
    assert not importlib.reload(training).full()
    assert "0.01" in training.describe()


def test_a_change_in_a_running_kernel_moves_steps_and_full_together(monkeypatch):
    """%env MAKEMORE_SCALE=... after the imports (no reload): both read the value when called."""
    from makemore_helpers import full, set_scale, steps

    monkeypatch.delenv("MAKEMORE_SCALE", raising=False)
    assert full() and steps(200_000) == 200_000
    monkeypatch.setenv("MAKEMORE_SCALE", "0.01")  # what %env does: os.environ in the kernel
    assert not full() and steps(200_000) == 2000
    set_scale(None)
    assert full() and steps(200_000) == 200_000
    set_scale(0.1)
    assert not full() and steps(200_000) == 20_000
    with pytest.raises(ValueError, match=r"in \(0, 1\]"):
        set_scale(3)
    assert steps(200_000) == 20_000, "a rejected value leaves the setting as it was"
    set_scale(None)


def test_the_tests_run_scaled_down():
    assert training.scale() < 1, "conftest.py must turn the knob on so the test command is quick"


@pytest.mark.parametrize("raw, msg", [("fast", "not a number"), ("0", r"in \(0, 1\]"), ("2", r"in \(0, 1\]")])
def test_bad_scale(monkeypatch, raw, msg):
    monkeypatch.setenv("MAKEMORE_SCALE", raw)
    with pytest.raises(ValueError, match=msg):
        training.steps(10)


def test_bad_steps():
    with pytest.raises(ValueError, match="positive"):
        training.steps(0)


def teardown_module():
    importlib.reload(training)


def test_todo_names_the_exercise():
    with pytest.raises(ExerciseNotWritten, match=r"^E02 is not written yet: fold BatchNorm\. .*YOUR CODE HERE"):
        todo("E02", "fold BatchNorm")
    assert issubclass(ExerciseNotWritten, NotImplementedError)


def test_todo_reads_its_task_from_the_stub_comment_and_names_the_function(tmp_path):
    """A stub states its task once (the YOUR CODE HERE line); todo() repeats it, and says where the stub is."""
    src = tmp_path / "cell.py"
    src.write_text("from makemore_helpers import todo\n"
                   "def fold(net):\n"
                   "    # YOUR CODE HERE (E02): fold each BatchNorm into the Linear before it\n"
                   "    todo('E02')\n"
                   "# YOUR CODE HERE (E01): count trigrams\n"
                   "def top():\n"
                   "    pass\n")
    ns: dict = {}
    exec(compile(src.read_text(), str(src), "exec"), ns)
    with pytest.raises(ExerciseNotWritten, match=r"^E02 is not written yet: fold each BatchNorm into the Linear before it\. "
                                                  r"Write it in the body of fold\(\), in the cell that defines it"):
        ns["fold"](None)
    with pytest.raises(ExerciseNotWritten, match=r"^E03 is not written yet\. Replace the todo\('E03'\) line in this cell"):
        todo("E03")


def test_expected_stops_render_as_their_message_alone_in_ipython():
    """IPython shows an exception through _render_traceback_ when it has one: the message, one line, no helper frames."""
    from makemore_helpers import GradientCheckError
    from makemore_helpers.checks import CheckFailed

    for err in (ExerciseNotWritten("E01 is not written yet"), CheckFailed("E01: wrong"), GradientCheckError("dW1 wrong")):
        lines = err._render_traceback_()
        assert len(lines) == 1 and str(err) in lines[0] and type(err).__name__ in lines[0]


def test_require_written_names_the_missing():
    require_written("E4", dC=torch.zeros(1), dW1=torch.zeros(1))
    with pytest.raises(ExerciseNotWritten, match=r"E4 is not written yet: write dC, dW2 \(still \.\.\.\)"):
        require_written("E4", dC=..., dW1=torch.zeros(1), dW2=None)


def test_record_prints_a_line_reproduce_can_parse(capsys):
    from makemore_helpers.results import RESULT_LINE

    assert record("m9.loss", torch.tensor(2.5)) is None, "a cell ending in record(...) must not show an Out[...] value"
    record("m9.tiny", 9.1e-10, fmt=".2e")
    found = {m["key"]: float(m["value"]) for m in RESULT_LINE.finditer(capsys.readouterr().out)}
    assert found == {"m9.loss": 2.5, "m9.tiny": 9.1e-10}


@pytest.mark.parametrize("key, value, msg", [("two words", 1.0, "one word"), ("m9.x", float("nan"), "not a finite")])
def test_record_bad_input(key, value, msg):
    with pytest.raises(ValueError, match=msg):
        record(key, value)


class Tanh:
    def __init__(self, out):
        self.out = out


class Linear:
    def __init__(self, out):
        self.out = out


def test_plots_run_and_print_the_lecture_stats(capsys):
    gen = torch.Generator().manual_seed(0)
    outs = [torch.randn(32, 10, generator=gen).requires_grad_() for _ in range(3)]
    layers = [Linear(outs[0]), Tanh(torch.tanh(outs[1])), Tanh(torch.zeros(32, 10)), Linear(outs[2])]
    plots.plot_activations(layers)
    text = capsys.readouterr().out
    assert "layer 1 (      Tanh)" in text and "layer 2" in text and "layer 0" not in text and "saturated" in text
    layers[1].out.retain_grad()
    layers[2].out.requires_grad_()
    (layers[1].out.sum() + layers[2].out.sum()).backward()
    plots.plot_gradients(layers)
    W = torch.randn(10, 10, generator=gen, requires_grad=True)
    b = torch.zeros(10, requires_grad=True)
    (W.sum() * 2).backward()
    plots.plot_weight_gradients([W, b])
    assert "grad:data ratio" in capsys.readouterr().out
    ud = [plots.update_ratios([W, b], lr=0.1) for _ in range(3)]
    assert ud[0][1] != ud[0][1], "a parameter with no gradient gives nan, not a crash"
    plots.plot_update_ratios(ud, [W, b], every=100)


def test_gradient_plot_without_retain_grad_says_so():
    layers = [Tanh(torch.tanh(torch.randn(4, 3, requires_grad=True))), Linear(torch.zeros(1))]
    with pytest.raises(ValueError, match="retain_grad"):
        plots.plot_gradients(layers)


def test_plot_loss_one_run_and_many():
    losses = [3.3 - 1e-3 * i for i in range(1000)]
    plots.plot_loss(losses)
    plots.plot_loss({"a": torch.tensor(losses), "b": losses[:10]}, title="two runs")
    fig, ax = matplotlib.pyplot.subplots()
    plots.plot_loss(losses, ax=ax)
    (line,) = ax.get_lines()
    assert len(line.get_xdata()) == 200, "1000 steps are drawn as 200 chunk means"
    assert abs(line.get_ydata()[0] - torch.tensor(losses[:5]).log10().mean().item()) < 1e-6


@pytest.mark.parametrize("bad, msg", [([], "no losses"), ([0.5, -1.0], "positive")])
def test_plot_loss_bad_input(bad, msg):
    with pytest.raises(ValueError, match=msg):
        plots.plot_loss(bad)
