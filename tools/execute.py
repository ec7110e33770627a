"""Execute notebooks in place, showing which notebook and cell is running and the time spent.

    python tools/execute.py solutions/makemore3_batchnorm.ipynb [more.ipynb ...]

Runs each notebook top to bottom in a fresh kernel from its own folder and writes the
outputs back into the file. Training length follows MAKEMORE_SCALE (unset: the
lecture's full setting, which is what stored solution outputs must come from).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def execute(path: Path, *, allow_errors: bool = False, write: bool = True, quiet: bool = False) -> nbformat.NotebookNode:
    """Run the notebook at ``path`` and return it executed (written back unless ``write`` is False)."""
    nb = nbformat.read(path, as_version=4)
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

    client = NotebookClient(nb, timeout=None, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(path.parent.resolve())}},
                            on_cell_start=start)
    try:
        client.execute()
    finally:
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
