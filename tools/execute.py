"""Execute notebooks in place, showing which notebook and cell is running and the time spent.

    python -m tools.execute solutions/makemore3_batchnorm.ipynb [more.ipynb ...]

Runs each notebook top to bottom in a fresh kernel from its own folder and writes the
outputs back into the file. Training length follows MAKEMORE_SCALE (unset: the
lecture's full setting, which is what stored solution outputs must come from).

Stored outputs are documents: no per-cell timing metadata is written, and each
progress bar is stored as the plain text of its final state, read from the kernel's
widget state (``100%|██████████| 200000/200000 [00:52<00:00, 3786.52it/s]``), not the
``0%`` it was created with. The widget state itself (random model ids, new on every
run) is not kept, so a refresh changes only what changed.
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tools.make_exercises import KERNELSPEC


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def progress_text(state: dict, model_id: str) -> str | None:
    """The final text of a tqdm.auto bar (an HBox of HTML, FloatProgress, HTML) from the saved widget state."""
    box = state.get(model_id, {}).get("state", {})
    kids = [state.get(str(c).replace("IPY_MODEL_", ""), {}).get("state", {}) for c in box.get("children", [])]
    if box.get("_model_name") != "HBoxModel" or len(kids) != 3 or kids[1].get("_model_name") != "FloatProgressModel":
        return None
    left, bar, right = (html.unescape(str(kids[i].get("value", ""))).replace("\u2007", " ") for i in (0, 1, 2))
    value, top = kids[1].get("value") or 0, kids[1].get("max") or 0
    filled = min(10, int(10 * value / top)) if top else 0
    return f"{left}|{'█' * filled}{' ' * (10 - filled)}|{right}"


def finish_progress_bars(nb: nbformat.NotebookNode) -> int:
    """Store every progress bar as the plain text of its final state, and drop the widget state.

    Returns how many bars were set. A widget that is not a progress bar keeps its view and
    its plain-text fallback; only the saved widget state goes.
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    done = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW) if out.get("output_type") == "display_data" else None
            text = progress_text(state, view.get("model_id", "")) if view else None
            if text is not None:
                out["data"] = {"text/plain": text}
                done += 1
    nb.metadata.pop("widgets", None)
    return done


def add_alt_text(nb: nbformat.NotebookNode) -> int:
    """Give every image a cell draws the cell's ``alt`` text (cell metadata), as image metadata too.

    nbconvert reads either; Jupyter Book and screen readers read the image's own. Returns how many
    images got it.
    """
    done = 0
    for cell in nb.cells:
        alt = cell.get("metadata", {}).get("alt")
        if cell.cell_type != "code" or not alt:
            continue
        for out in cell.get("outputs", []):
            for mime in ("image/png", "image/jpeg", "image/svg+xml"):
                if mime in out.get("data", {}):
                    out.setdefault("metadata", {}).setdefault(mime, {})["alt"] = alt
                    done += 1
    return done


def execute(path: Path, *, allow_errors: bool = False, write: bool = True, quiet: bool = False,
            stop_on_error: bool = False) -> nbformat.NotebookNode:
    """Run the notebook at ``path`` and return it executed (written back unless ``write`` is False).

    ``stop_on_error`` runs it as Run All does in JupyterLab: it stops at the first error, which is
    stored in that cell's outputs, and the notebook is returned as far as it ran.
    """
    if stop_on_error:
        allow_errors = False
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:  # timing metadata from older runs: not part of the document
        cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)  # what JupyterLab writes, so opening it changes nothing
    n = sum(c.cell_type == "code" for c in nb.cells)
    t0 = time.perf_counter()
    state = {"k": 0, "t": t0}

    def start(cell, cell_index, **_):
        if cell.cell_type != "code":
            return
        state["k"] += 1
        state["t"] = time.perf_counter()
        if not quiet:
            head = next((l for l in cell.source.splitlines() if l.strip()), "")[:60]
            print(f"  [{path.name}] cell {state['k']}/{n} (+{state['t'] - t0:6.1f}s) {head}", flush=True)

    client = NotebookClient(nb, timeout=None, kernel_name="python3", allow_errors=allow_errors, record_timing=False,
                            resources={"metadata": {"path": str(path.parent.resolve())}},
                            on_cell_start=start)
    try:
        client.execute()
    except CellExecutionError:
        if not stop_on_error:
            raise
    finally:
        finish_progress_bars(nb)
        add_alt_text(nb)
        if write:
            nbformat.write(nb, path)
    if not quiet:
        print(f"  [{path.name}] done in {time.perf_counter() - t0:.1f}s", flush=True)
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--no-write", action="store_true", help="run without writing outputs back")
    args = parser.parse_args(argv)
    for path in args.notebooks:
        print(f"executing {path}", flush=True)
        try:
            execute(path, write=not args.no_write)
        except CellExecutionError as err:
            print(f"FAILED: {path}\n{err}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
