"""The source of every cell the notebook ran, whatever the front end's history setting.

A check that runs a student's lines again (makemore 4 runs them on a second batch) needs
those lines as they last ran. IPython's ``In`` list only holds cells run with
``store_history=True``: JupyterLab and nbclient do, but nbval runs cells with
``store_history=False``, and other front ends may too. So this module registers an
IPython ``pre_run_cell`` event, which every front end triggers for every cell it runs
(JupyterLab, nbclient, nbval, Colab), and keeps each cell's Python source (magics
already translated) in a list on the shell itself. Importing a check module starts it;
registering again, or reloading this module, adds nothing: the list lives on the shell.

Cells that ran before the first registration are taken from ``In`` (whatever it kept).
A check that still cannot find a line says so in its verdict; under the test command
(``MAKEMORE_STRICT=1``, see :func:`strict`) that is a failure.
"""

from __future__ import annotations

import os
from typing import Any

_LOG = "_makemore_cell_sources"  # the attribute on the shell that holds the list
#: Set to 1 by the test command: a check that could not read a student's lines back fails instead of noting it.
STRICT_VAR = "MAKEMORE_STRICT"


def strict() -> bool:
    """Whether a check that could not read lines back must fail (``MAKEMORE_STRICT=1``), not only say so."""
    return os.environ.get(STRICT_VAR, "").strip() == "1"


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return None
    return get_ipython()


def _python(shell: Any, info: Any) -> str:
    """The Python a cell runs: IPython's translation of its raw text (``%env ...`` becomes a call)."""
    done = getattr(info, "transformed_cell", None)
    if isinstance(done, str):
        return done
    raw = getattr(info, "raw_cell", "") or ""
    try:
        return shell.transform_cell(raw)
    except Exception:  # noqa: BLE001 - a cell IPython cannot translate runs as nothing we can read
        return raw


def start(shell: Any = None) -> list[str] | None:
    """Keep every cell ``shell`` (the running IPython, by default) runs from now on; return the list, or None.

    Safe to call any number of times: the first call registers the event and seeds the
    list with ``In``; later calls return the same list.
    """
    shell = shell if shell is not None else _shell()
    if shell is None or not hasattr(shell, "events"):
        return None
    log = getattr(shell, _LOG, None)
    if log is not None:
        return log
    log = [c for c in shell.user_ns.get("In", []) if isinstance(c, str) and c.strip()]

    def keep(info: Any = None) -> None:
        log.append(_python(shell, info))

    shell.events.register("pre_run_cell", keep)
    setattr(shell, _LOG, log)
    return log


def sources(shell: Any = None) -> list[str]:
    """The cells run so far, in the order they ran (the running one last); [] outside IPython."""
    log = start(shell)
    return list(log) if log is not None else []


start()

__all__ = ["STRICT_VAR", "sources", "start", "strict"]
