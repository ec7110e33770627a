"""cmp and compare: the lecture's row, layouts that are right, and a diagnosis for each usual way of being wrong."""

import pytest
import torch

from makemore_helpers import GradientCheckError, cmp
from makemore_helpers.checks import CheckFailed
from makemore_helpers.gradcheck import compare, diagnose

g = torch.Generator().manual_seed(0)


def with_grad(grad: torch.Tensor) -> torch.Tensor:
    t = torch.zeros_like(grad, requires_grad=True)
    t.grad = grad.clone()
    return t


@pytest.fixture
def t():
    return with_grad(torch.randn(32, 27, generator=g))


def row(capsys) -> str:
    return capsys.readouterr().out


def test_correct_gradient_prints_the_lecture_row(t, capsys):
    assert cmp("logits", t.grad.clone(), t) is True
    out = row(capsys)
    assert out.startswith("logits") and "exact: True" in out and "approximate: True" in out and "maxdiff: 0" in out


def test_rounding_is_approximate_not_exact(t, capsys):
    assert cmp("h", t.grad * (1 + 1e-7), t) is True
    out = row(capsys)
    assert "exact: False" in out and "approximate: True" in out


@pytest.mark.parametrize("placeholder", [None, ...])
def test_not_written_yet(t, capsys, placeholder):
    assert cmp("probs", placeholder, t) is False
    assert "not written yet" in row(capsys)


def test_tensor_without_grad_says_retain_grad():
    with pytest.raises(ValueError, match=r"probs.retain_grad\(\)"):
        cmp("probs", torch.zeros(3), torch.zeros(3, requires_grad=True))


def test_not_a_tensor(t, capsys):
    assert cmp("x", 3.0, t) is False
    assert "WRONG TYPE" in row(capsys)


def test_shape_mismatch_names_both_shapes(t, capsys):
    assert cmp("x", torch.zeros(5, 5), t) is False
    out = row(capsys)
    assert "(5, 5)" in out and "(32, 27)" in out


def test_sign_flipped(t, capsys):
    assert cmp("x", -t.grad, t) is False
    assert "sign flipped" in row(capsys)


def test_missing_one_over_n(t, capsys):
    assert cmp("x", t.grad * 32, t) is False
    assert "32x too large" in row(capsys)


def test_factor_two_too_small(t, capsys):
    assert cmp("x", t.grad / 2, t) is False
    assert "2x too small" in row(capsys)


@pytest.mark.parametrize("factor, words", [(32 / 31, "too large"), (31 / 32, "too small")])
def test_n_versus_n_minus_1(t, capsys, factor, words):
    assert cmp("bnvar", t.grad * factor, t) is False
    out = row(capsys)
    assert "32/31" in out and "n versus n-1" in out and words in out


def test_odd_constant_factor(t, capsys):
    assert cmp("x", t.grad * 0.37, t) is False
    assert "0.37 times" in row(capsys)


def test_transposed(capsys):
    w = with_grad(torch.randn(10, 64, generator=g))
    assert cmp("W1", w.grad.T.clone(), w) is False
    assert "transposed" in row(capsys)


def test_broadcast_dimension_not_summed(capsys):
    b = with_grad(torch.randn(1, 64, generator=g))
    per_example = b.grad.expand(32, 64) / 32 + torch.randn(32, 64, generator=g) * 0  # rows that sum to the grad
    assert cmp("bngain", per_example, b) is False
    out = row(capsys)
    assert "(32, 64)" in out and "(1, 64)" in out and "not summed" in out and ".sum(0, keepdim=True)" in out


def test_broadcast_bias_without_leading_dim(capsys):
    b = with_grad(torch.randn(27, generator=g))
    assert cmp("b2", b.grad.expand(32, 27) / 32, b) is False
    out = row(capsys)
    assert "not summed" in out and ".sum(0)" in out
    assert "keepdim=True" not in out, "a 1-D bias must not be told to keep the summed dimension"


@pytest.mark.parametrize("dt_shape, t_shape, advice", [
    ((64,), (1, 64), "keepdim=True gives the tensor's own shape"),  # dbnmeani without keepdim (the lecture's own)
    ((1, 27), (27,), "summing without keepdim=True"),  # db2 summed with keepdim
    ((1, 64), (64,), "summing without keepdim=True"),
    ((64, 1), (1, 64), ".view(1, 64)"),
])
def test_right_values_in_a_size1_layout_are_right(capsys, dt_shape, t_shape, advice):
    t = with_grad(torch.randn(t_shape, generator=g))
    assert cmp("x", t.grad.reshape(dt_shape).clone(), t) is True
    out = row(capsys)
    assert "approximate: True" in out and f"right values in shape {dt_shape}" in out and advice in out


def test_wrong_values_in_a_size1_layout_are_diagnosed_as_values(capsys):
    b = with_grad(torch.randn(64, generator=g))
    assert cmp("b1", (b.grad / 32).reshape(1, 64), b) is False
    assert "32x too small" in row(capsys)


def test_summed_over_the_wrong_dim(capsys):
    t = with_grad(torch.randn(32, 1, generator=g))
    assert cmp("counts_sum_inv", torch.randn(1, 27, generator=g), t) is False
    out = row(capsys)
    assert "broadcast along dim 1" in out and ".sum(1, keepdim=True)" in out


def test_float64_is_compared_after_casting(t, capsys):
    assert cmp("logits", t.grad.double(), t) is True
    out = row(capsys)
    assert "exact: True" in out and "compared after casting to float32" in out
    assert cmp("logits", -t.grad.double(), t) is False
    assert "sign flipped" in row(capsys)


def test_another_device_is_a_clear_row(t, capsys):
    assert cmp("logits", torch.empty(32, 27, device="meta"), t) is False
    out = row(capsys)
    assert "WRONG DEVICE" in out and "meta" in out and "cpu" in out


def test_a_bool_tensor_is_a_wrong_type(t, capsys):
    assert cmp("logits", t.grad > 0, t) is False
    assert "WRONG TYPE" in row(capsys)


def test_nan_is_named(t, capsys):
    bad = t.grad.clone()
    bad[0, 0] = float("nan")
    assert cmp("x", bad, t) is False
    assert "nan" in row(capsys)


def test_a_factor_of_n_is_named_with_n():
    grad = torch.randn(32, 64, generator=g)
    assert "a mean where the forward pass has a sum" in compare("b1", grad / 32, grad, n=32).problem
    assert "a missing 1/n" in compare("logits", grad * 32, grad, n=32).problem


def test_rounding_noise_gets_no_pattern():
    noise = torch.randn(32, 1, generator=g) * 1e-9
    c = compare("logit_maxes", noise + 1e-3, noise)
    assert not c.ok and "about 0 here" in c.problem


def test_nearly_right_gets_no_absurd_factor():
    grad = torch.randn(27, 10, generator=g)
    problem = compare("C", grad * (1 + 3e-6) + 1e-6, grad).problem
    assert "32981495" not in problem and "n versus n-1" not in problem


def test_missing_broadcast_branch(capsys):
    # dcounts: one branch through probs, one through counts_sum (broadcast along dim 1)
    branch1 = torch.randn(32, 27, generator=g)
    branch2 = torch.randn(32, 1, generator=g).expand(32, 27)
    t = with_grad(branch1 + branch2)
    assert cmp("counts", branch1.clone(), t) is False
    out = row(capsys)
    assert "missing" in out and "same along dim 1" in out and "+=" in out


def test_missing_max_branch(capsys):
    # dlogits: the logit_maxes branch lands on one entry per row
    branch1 = torch.randn(32, 27, generator=g)
    branch2 = torch.zeros(32, 27)
    branch2[torch.arange(32), torch.randint(0, 27, (32,), generator=g)] = torch.randn(32, generator=g)
    t = with_grad(branch1 + branch2)
    assert cmp("logits", branch1.clone(), t) is False
    assert "one entry per row" in row(capsys)


def test_unrelated_error_gets_no_false_diagnosis(t):
    assert diagnose(torch.randn(32, 27, generator=g), t.grad) == ""


def test_gradient_check_error_is_a_check_failure():
    assert issubclass(GradientCheckError, CheckFailed) and issubclass(GradientCheckError, AssertionError)
