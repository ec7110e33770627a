"""What a stub in an exercise notebook calls, and how an expected stop looks.

An exercise stops a student in three expected ways: a stub not yet written
(:class:`ExerciseNotWritten`), a self-check that found a mistake (``CheckFailed``) and a
gradient row that is wrong (``GradientCheckError``). All three are :class:`ShortStop`: in
IPython (JupyterLab, Colab, nbclient, nbval) they show as their message alone, a few
lines, instead of a traceback through the helpers' code; they still stop Run All. In plain
Python they keep their normal traceback.
"""

from __future__ import annotations

import inspect
import linecache
import re
from typing import NoReturn


class ShortStop(Exception):
    """An expected stop whose message is everything the student needs."""

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of formatting the traceback (see IPython's
        # InteractiveShell.showtraceback); nbclient stores these lines as the error's traceback.
        red, reset = "\x1b[0;31m", "\x1b[0m"
        return [f"{red}{type(self).__name__}{reset}: {self}"]


class ExerciseNotWritten(ShortStop, NotImplementedError):
    """Raised where a student has code to write."""


_TASK_LINE = re.compile(r"#\s*YOUR CODE HERE\s*\((?P<ex>[^)]+)\)\s*:\s*(?P<task>.+?)\s*$")


def _stub_site(exercise: str) -> tuple[str | None, str | None]:
    """The task written on the stub's ``# YOUR CODE HERE (E01): ...`` line, and the function the stub sits in.

    Read from the caller's source (IPython registers every cell's code with linecache), so
    the stub states its task once, in the comment, and the message can still repeat it.
    """
    frame = inspect.currentframe()
    try:
        caller = frame.f_back.f_back if frame and frame.f_back else None
        if caller is None:
            return None, None
        func = getattr(caller.f_code, "co_qualname", caller.f_code.co_name)  # BatchNorm1d.__call__, not __call__
        lines = linecache.getlines(caller.f_code.co_filename)
        task = None
        for line in reversed(lines[: caller.f_lineno]):
            m = _TASK_LINE.search(line)
            if m and m["ex"].strip() == exercise:
                task = m["task"]
                break
        # a stub inside a function: only when its YOUR CODE HERE line is in that function's file
        return task, (None if func == "<module>" or task is None else func)
    finally:
        del frame


def todo(exercise: str, task: str | None = None) -> NoReturn:
    """Stop here with a message naming ``exercise``, what to write and where.

    Exercise notebooks are generated from the solutions: every solution block becomes a
    ``# YOUR CODE HERE (E01): <task>`` line and ``todo("E01")``, so the first error a
    student meets is at the place where they must write code, and it says which
    exercise it is. When the stub sits in a function defined in another cell, the message
    says so, since the cell that raised is then the one that called the function.
    """
    found, func = _stub_site(exercise)
    task = task or found
    what = f": {task}" if task else ""
    if func:
        where = (f"Write it in the body of {func}(), in the cell that defines it, in place of the "
                 f"todo({exercise!r}) line (it says YOUR CODE HERE ({exercise})); run that cell, then this one again.")
    else:
        where = (f"Replace the todo({exercise!r}) line in this cell with your code (it says YOUR CODE HERE), "
                 "then run the cell again.")
    raise ExerciseNotWritten(f"{exercise} is not written yet{what}. {where}")


def require_written(exercise: str, **tensors: object) -> None:
    """Raise :class:`ExerciseNotWritten` naming every keyword whose value is still ``...`` or None.

    A training loop calls this before using hand-written gradients, so that a student
    who has not written them yet reads which ones are missing instead of a TypeError.
    """
    missing = [name for name, value in tensors.items() if value is None or value is Ellipsis]
    if missing:
        raise ExerciseNotWritten(f"{exercise} is not written yet: write {', '.join(missing)} (still ...)")
