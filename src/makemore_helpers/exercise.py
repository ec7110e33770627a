"""What a stub in an exercise notebook calls: a clear failure that names the exercise."""

from __future__ import annotations

from typing import NoReturn


class ExerciseNotWritten(NotImplementedError):
    """Raised where a student has code to write."""


def todo(exercise: str, task: str) -> NoReturn:
    """Stop here with a message naming ``exercise`` and what to write.

    Exercise notebooks are generated from the solutions: every solution block becomes
    a call to this function, so the first error a student meets is at the place where
    they must write code, and it says which exercise it is.
    """
    raise ExerciseNotWritten(
        f"{exercise} is not written yet: {task}. Replace the todo(...) line in this cell "
        "with your code (it says YOUR CODE HERE), then run the cell again."
    )


def require_written(exercise: str, **tensors: object) -> None:
    """Raise :class:`ExerciseNotWritten` naming every keyword whose value is still ``...`` or None.

    A training loop calls this before using hand-written gradients, so that a student
    who has not written them yet reads which ones are missing instead of a TypeError.
    """
    missing = [name for name, value in tensors.items() if value is None or value is Ellipsis]
    if missing:
        raise ExerciseNotWritten(f"{exercise} is not written yet: write {', '.join(missing)} (still ...)")
