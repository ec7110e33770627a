"""What every lecture's checks share: reading a number the student computed."""

import re

import pytest
import torch

from makemore_helpers.checks import CheckFailed, number


@pytest.mark.parametrize("value", [2.5, 2, torch.tensor(2.5), torch.tensor([2.5]), torch.tensor(2.5, dtype=torch.float64)])
def test_a_number_in_any_of_its_forms(value):
    assert number("E01", "loss", value) == pytest.approx(2.5 if not isinstance(value, int) else 2)


@pytest.mark.parametrize("value, words", [
    (None, "loss is not written yet"), (..., "loss is not written yet"),
    (torch.ones(3), "loss is a tensor of shape (3,); it should be the mean"), ("2.5", "loss is a str"),
    (True, "loss is a bool"),
])
def test_anything_else_is_named(value, words):
    with pytest.raises(CheckFailed, match="^" + re.escape(f"E01: {words}")):
        number("E01", "loss", value, what="the mean")


def test_student_code_names_the_call_and_lets_expected_stops_through():
    from makemore_helpers import ExerciseNotWritten, todo
    from makemore_helpers.checks import CheckFailed, student_code

    with pytest.raises(CheckFailed, match=r"^E02: fold\(net\) raised ZeroDivisionError: division by zero; divide by the std$"):
        with student_code("E02", "fold(net)", lambda err: "; divide by the std"):
            1 / 0
    with pytest.raises(ExerciseNotWritten):
        with student_code("E02", "fold(net)"):
            todo("E02")


def test_number_takes_numpy_floats_and_names_a_complex_result():
    import numpy as np

    from makemore_helpers.checks import CheckFailed, number

    assert number("E01", "x", np.float32(2.5)) == 2.5
    with pytest.raises(CheckFailed, match="complex number"):
        number("E01", "x", (-1) ** 0.5)
