"""Every exercise notebook is exactly what its solution generates (edit solutions, then `make exercises`)."""

import pytest

from tools import make_exercises as mx

SOLUTIONS = sorted(mx.SOLUTIONS.glob("*.ipynb"))


def test_there_are_lecture_pairs():
    assert SOLUTIONS, "solutions/ holds no notebooks"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_exercise_is_generated_from_solution(solution):
    assert mx.main(["--check", str(solution)]) == 0, (
        f"notebooks/{solution.name} differs from what solutions/{solution.name} generates: "
        "run `make exercises` and review with `make diff`")
