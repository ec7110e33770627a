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


@pytest.mark.parametrize("solution", SOLUTIONS[:1], ids=lambda p: p.name)
def test_a_hand_edit_to_a_real_exercise_fails_the_check_until_regenerated(solution, tmp_path, monkeypatch):
    import shutil

    sols, exs = tmp_path / "solutions", tmp_path / "notebooks"
    sols.mkdir()
    exs.mkdir()
    shutil.copy(solution, sols / solution.name)
    shutil.copy(mx.EXERCISES / solution.name, exs / solution.name)
    monkeypatch.setattr(mx, "SOLUTIONS", sols)
    monkeypatch.setattr(mx, "EXERCISES", exs)
    monkeypatch.setattr(mx, "ROOT", tmp_path)
    assert mx.main(["--check"]) == 0
    text = (exs / solution.name).read_text()
    assert "todo(" in text
    (exs / solution.name).write_text(text.replace("todo(", "print(", 1))  # a student-facing stub "fixed" by hand
    assert mx.main(["--check"]) == 1
    assert mx.main([]) == 0
    assert mx.main(["--check"]) == 0
