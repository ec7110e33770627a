"""Generate each exercise notebook (notebooks/X.ipynb) from its solution (solutions/X.ipynb).

The solution notebook is the single source. Markers in it say what a student writes:

Code cells
    ``# BEGIN SOLUTION E01: <what to write>`` ... ``# END SOLUTION``
        The lines between become a stub at the same indentation: a comment saying
        YOUR CODE HERE and ``todo("E01", "<what to write>")``, which raises
        ExerciseNotWritten naming the exercise when it runs.
    ``# BEGIN PLACEHOLDERS E1: <what to write>`` ... ``# END PLACEHOLDERS``
        Every name assigned at the top level of the block becomes ``name = ...``,
        in order of first assignment, so a self-check can report it "not written yet".
    A cell whose first line is ``# SOLUTION ONLY`` is left out of the exercise.

Markdown cells
    A cell whose first line is ``<!-- ANSWER E01 -->`` becomes an invitation to
    write the answer; a cell whose first line is ``<!-- SOLUTION ONLY -->`` is left out.

Outputs and execution counts are cleared.

Usage::

    python tools/make_exercises.py            # regenerate every exercise notebook
    python tools/make_exercises.py --check    # fail if any exercise differs from its solution's
    python tools/make_exercises.py solutions/makemore3_batchnorm.ipynb   # just one
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import textwrap
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "notebooks"

BEGIN = re.compile(r"^(?P<indent>[ \t]*)# BEGIN (?P<kind>SOLUTION|PLACEHOLDERS) (?P<ex>[A-Za-z0-9_.-]+)\s*:\s*(?P<task>.+?)\s*$")
END = re.compile(r"^[ \t]*# END (?P<kind>SOLUTION|PLACEHOLDERS)\s*$")
SOLUTION_ONLY_CODE = "# SOLUTION ONLY"
SOLUTION_ONLY_MD = "<!-- SOLUTION ONLY -->"
ANSWER_MD = re.compile(r"^<!-- ANSWER (?P<ex>[A-Za-z0-9_.-]+) -->")


class MarkerError(ValueError):
    """A solution notebook's markers are malformed."""


def _target_names(target: ast.expr) -> list[str]:
    """The variables an assignment target binds or mutates: ``a`` in ``a``, ``a[i, j]``, ``a.x``, ``a, b``."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _target_names(elt)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    if isinstance(target, (ast.Subscript, ast.Attribute)):
        base = target.value
        while isinstance(base, (ast.Subscript, ast.Attribute)):
            base = base.value
        return _target_names(base)  # the indices (range(n), Yb) are read, not assigned
    return []


def _assigned_names(block: str, where: str) -> list[str]:
    """Names assigned at the top level of ``block``, in order of first assignment."""
    try:
        tree = ast.parse(textwrap.dedent(block))
    except SyntaxError as err:
        raise MarkerError(f"{where}: the PLACEHOLDERS block is not valid Python ({err.msg}, line {err.lineno})") from None
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            for name in _target_names(target):
                if name not in names:
                    names.append(name)
    if not names:
        raise MarkerError(f"{where}: the PLACEHOLDERS block assigns no names, so it would leave nothing to fill in")
    return names


def stub_code(source: str, where: str = "cell") -> str:
    """Replace every marked block of a code cell's source with its stub."""
    out: list[str] = []
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        m = BEGIN.match(lines[i])
        if END.match(lines[i]):
            raise MarkerError(f"{where}, line {i + 1}: '# END ...' without a matching '# BEGIN ...'")
        if not m:
            out.append(lines[i])
            i += 1
            continue
        kind, ex, task, indent = m["kind"], m["ex"], m["task"], m["indent"]
        j = i + 1
        while j < len(lines) and not END.match(lines[j]):
            if BEGIN.match(lines[j]):
                raise MarkerError(f"{where}, line {j + 1}: a BEGIN marker inside the block opened on line {i + 1}")
            j += 1
        if j == len(lines):
            raise MarkerError(f"{where}, line {i + 1}: '# BEGIN {kind} {ex}' has no '# END {kind}'")
        if END.match(lines[j])["kind"] != kind:
            raise MarkerError(f"{where}, line {j + 1}: '# BEGIN {kind}' closed by '# END {END.match(lines[j])['kind']}'")
        block = "\n".join(lines[i + 1:j])
        if kind == "SOLUTION":
            out.append(f"{indent}# YOUR CODE HERE ({ex}): {task}")
            out.append(f"{indent}todo({ex!r}, {task!r})")
        else:
            out.append(f"{indent}# YOUR CODE HERE ({ex}): {task}")
            out.extend(f"{indent}{name} = ...  # {ex}" for name in _assigned_names(block, where))
        i = j + 1
    return "\n".join(out)


def make_exercise(solution: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """Return the exercise notebook generated from a solution notebook (which is not modified)."""
    # the solution's widget state (its executed progress bars) means nothing without outputs
    nb = nbformat.v4.new_notebook(metadata={k: v for k, v in solution.metadata.items() if k != "widgets"})
    for k, cell in enumerate(solution.cells):
        src = cell.source
        where = f"{name}, cell {k}"
        first = src.lstrip().splitlines()[0] if src.strip() else ""
        if cell.cell_type == "code":
            if first.strip() == SOLUTION_ONLY_CODE:
                continue
            new = nbformat.v4.new_code_cell(stub_code(src, where))
        elif cell.cell_type == "markdown":
            if first.strip() == SOLUTION_ONLY_MD:
                continue
            m = ANSWER_MD.match(first.strip())
            if m:
                new = nbformat.v4.new_markdown_cell(
                    f"**Your answer ({m['ex']}).** Double-click this cell and replace this line with your answer.")
            else:
                new = nbformat.v4.new_markdown_cell(src)
        else:
            new = nbformat.v4.new_raw_cell(src)
        new.metadata = {k2: v for k2, v in cell.metadata.items() if k2 in ("tags", "jupyter")}
        new.pop("id", None)
        nb.cells.append(new)
    # stable ids, so regenerating gives byte-identical files
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{k:03d}"
    return nb


def render(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def exercise_path(solution_path: Path) -> Path:
    return EXERCISES / solution_path.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("solutions", nargs="*", type=Path, help="solution notebooks (default: all in solutions/)")
    parser.add_argument("--check", action="store_true", help="only check that every exercise is up to date")
    args = parser.parse_args(argv)
    paths = args.solutions or sorted(SOLUTIONS.glob("*.ipynb"))
    if not paths:
        print("no solution notebooks found in solutions/", file=sys.stderr)
        return 1
    stale = []
    for path in paths:
        try:
            text = render(make_exercise(nbformat.read(path, as_version=4), path.name))
        except MarkerError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        target = exercise_path(path)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if args.check:
            if current != text:
                stale.append(target)
                print(f"OUT OF DATE: {target.relative_to(ROOT)} differs from what {path.name} generates")
            else:
                print(f"up to date: {target.relative_to(ROOT)}")
        elif current != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
        else:
            print(f"unchanged {target.relative_to(ROOT)}")
    if stale:
        print("Regenerate with: make exercises   (python tools/make_exercises.py), "
              "then review with: make diff", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
