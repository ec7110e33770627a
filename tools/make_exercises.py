"""Generate each exercise notebook (notebooks/X.ipynb) from its solution (solutions/X.ipynb).

The solution notebook is the single source. Markers in it say what a student writes:

Code cells
    ``# BEGIN SOLUTION E01: <what to write>`` ... ``# END SOLUTION``
        The lines between become a stub at the same indentation: a comment saying
        ``# YOUR CODE HERE (E01): <what to write>`` and ``todo("E01")``, which raises
        ExerciseNotWritten naming the exercise and repeating the task from that comment.
    ``# BEGIN PLACEHOLDERS E1: <what to write>`` ... ``# END PLACEHOLDERS``
        After the ``# YOUR CODE HERE (E1): ...`` line, every name assigned at the top
        level of the block becomes ``name = ...``,
        in order of first assignment, so a self-check can report it "not written yet".
    A cell whose first line is ``# SOLUTION ONLY`` is left out of the exercise.

Markdown cells
    A cell whose first line is ``<!-- ANSWER E01 -->`` becomes an invitation to
    write the answer; a cell whose first line is ``<!-- SOLUTION ONLY -->`` is left out.

A code cell tagged ``check`` (a self-check call) is read-only in the exercise
(``editable: false``, ``deletable: false``, as nbgrader locks given cells); markdown
attachments (figures) are kept, so the notebook shows them wherever it is opened.

Every notebook, solution and exercise alike, starts with two generated cells (tools/course.py
holds the address and version they come from): an "Open in Colab" badge (a markdown cell
tagged ``course-badge``, first) and the set-up cell (tagged ``course-setup``, locked, before
the first code cell), which installs the helpers wherever they are missing (Colab, Kaggle, a
downloaded notebook). ``make exercises`` writes them into the solutions too, keeping a cell's
stored output when its source is unchanged; the README's lecture table is regenerated between
its ``<!-- lectures:start -->`` / ``<!-- lectures:end -->`` markers.

Outputs and execution counts are cleared. Each exercise carries, in its metadata, a
fingerprint of what was generated (cell types and sources). Regenerating compares the
notebook on disk with it: a notebook someone edited (a student's answers) is copied
to ``work/saved/`` first and the copy's path printed, so nothing written is lost.

The sync check compares what matters: cell types, sources, tags and attachments; not
what Jupyter rewrites when it opens or saves a file (kernel display name,
language_info, widget state, execution counts, cell metadata such as ``execution``,
``collapsed``, ``scrolled``).

Usage::

    python -m tools.make_exercises            # regenerate every exercise notebook
    python -m tools.make_exercises --check    # fail if any exercise differs from its solution's
    python -m tools.make_exercises solutions/makemore3_batchnorm.ipynb   # just one
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import shutil
import sys
import textwrap
import time
from pathlib import Path

import nbformat

from tools import course

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "notebooks"

CHECK_TAG = "check"
BADGE_TAG = "course-badge"
SETUP_TAG = "course-setup"
README = ROOT / "README.md"
TABLE = re.compile(r"(<!-- lectures:start -->\n).*?(\n<!-- lectures:end -->)", re.S)

SETUP_SOURCE = """\
# Set-up: the course's helpers. In a clone of the course they are installed already, and
# this only prints their version. Anywhere else (Colab, Kaggle, VS Code, this file alone)
# it first installs them, at the version this notebook was made with, keeping your torch.
# MAKEMORE_HELPERS=<a wheel, a folder or a pip requirement> installs that instead.
import importlib, importlib.metadata, importlib.util, os, subprocess, sys

HELPERS_VERSION = "{version}"
HELPERS = "{requirement}"
if importlib.util.find_spec("makemore_helpers") is None:
    helpers = os.environ.get("MAKEMORE_HELPERS") or HELPERS
    print(f"Installing the course's helpers: {{helpers}}", flush=True)
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", helpers])
    if pip.returncode:
        raise RuntimeError(f"pip could not install {{helpers}}: see its message above")
    importlib.invalidate_caches()
version = importlib.metadata.version("makemore-helpers")  # without importing torch: this cell is instant
print(f"makemore_helpers {{version}}" + ("" if version == HELPERS_VERSION else f" (made with {{HELPERS_VERSION}})"))"""


def setup_source() -> str:
    return SETUP_SOURCE.format(version=course.version(), requirement=course.install_requirement())


def _managed(cell: nbformat.NotebookNode, tag: str) -> bool:
    return tag in cell.get("metadata", {}).get("tags", [])


def with_course_cells(nb: nbformat.NotebookNode, relpath: str) -> nbformat.NotebookNode:
    """``nb`` with its badge (first cell) and set-up cell (before the first code cell) as generated now.

    Any older copies of the two cells are replaced; a set-up cell whose source is unchanged keeps
    its stored output, so regenerating a solution changes nothing that did not change.
    """
    old_setup = next((c for c in nb.cells if _managed(c, SETUP_TAG)), None)
    cells = [c for c in nb.cells if not (_managed(c, BADGE_TAG) or _managed(c, SETUP_TAG))]
    badge = nbformat.v4.new_markdown_cell(course.badge(relpath), metadata={"tags": [BADGE_TAG]})
    src = setup_source()
    if old_setup is not None and old_setup.source == src:
        setup = old_setup
    else:
        setup = nbformat.v4.new_code_cell(src, metadata={"tags": [SETUP_TAG]})
    setup.metadata = {"tags": [SETUP_TAG]}
    first_code = next((k for k, c in enumerate(cells) if c.cell_type == "code"), len(cells))
    cells.insert(first_code, setup)
    cells.insert(0, badge)
    for c in (badge, setup):
        c["id"] = "course-badge" if c is badge else "course-setup"
    nb.cells = cells
    return nb


def readme_with_table(text: str) -> str:
    """The README with its lecture table regenerated (links relative to the repository root)."""
    if not TABLE.search(text):
        raise MarkerError("README.md has no <!-- lectures:start --> ... <!-- lectures:end --> markers for the lecture table")
    return TABLE.sub(lambda m: m[1] + course.lecture_table(lambda rel: rel) + m[2], text, count=1)
#: what JupyterLab writes into a notebook's metadata when it runs the python3 kernel
#: (language_info.version is taken from the solution's last run)
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                 "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                 "pygments_lexer": "ipython3"}

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
            out.append(f"{indent}todo({ex!r})")  # todo() repeats the task from the line above
        else:
            out.append(f"{indent}# YOUR CODE HERE ({ex}): {task}")
            out.extend(f"{indent}{name} = ..." for name in _assigned_names(block, where))
        i = j + 1
    return "\n".join(out)


def content(nb: nbformat.NotebookNode) -> list[dict]:
    """What the sync check compares: per cell its type, source, tags and attachment names."""
    return [{"type": c.cell_type, "source": c.source, "tags": list(c.get("metadata", {}).get("tags", [])),
             "attachments": sorted(c.get("attachments", {}) or {})} for c in nb.cells]


def fingerprint(nb: nbformat.NotebookNode) -> str:
    """A short hash of :func:`content`: equal for a notebook and the same notebook opened and saved."""
    return hashlib.sha256(json.dumps(content(nb), sort_keys=True).encode()).hexdigest()[:16]


def make_exercise(solution: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """Return the exercise notebook generated from a solution notebook (which is not modified)."""
    # the solution's widget state (its executed progress bars) means nothing without outputs
    meta = {k: v for k, v in solution.metadata.items() if k not in ("widgets", "makemore")}
    meta["kernelspec"] = dict(KERNELSPEC)
    version = solution.metadata.get("language_info", {}).get("version")
    meta["language_info"] = {**LANGUAGE_INFO, **({"version": version} if version else {})}
    nb = nbformat.v4.new_notebook(metadata=meta)
    for k, cell in enumerate(solution.cells):
        if _managed(cell, BADGE_TAG) or _managed(cell, SETUP_TAG):
            continue  # made afresh below, pointing at the exercise
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
                if cell.get("attachments"):
                    new["attachments"] = cell["attachments"]
        else:
            new = nbformat.v4.new_raw_cell(src)
        new.metadata = {k2: v for k2, v in cell.metadata.items() if k2 in ("tags", "jupyter", "alt")}
        if CHECK_TAG in cell.metadata.get("tags", []):
            new.metadata.update(editable=False, deletable=False)  # a self-check: run it, do not change it
        new.pop("id", None)
        nb.cells.append(new)
    with_course_cells(nb, f"notebooks/{name}")
    for cell in nb.cells:
        if _managed(cell, SETUP_TAG):
            cell.metadata.update(editable=False, deletable=False)
    # stable ids, so regenerating gives byte-identical files
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{k:03d}"
    nb.metadata["makemore"] = {"generated_from": f"solutions/{name}", "fingerprint": fingerprint(nb)}
    return nb


def edited(current: nbformat.NotebookNode) -> bool:
    """True if a generated notebook's content no longer matches the fingerprint it was written with."""
    stamp = current.metadata.get("makemore", {}).get("fingerprint")
    return stamp is None or stamp != fingerprint(current)


def save_aside(path: Path) -> Path:
    """Copy ``path`` into work/saved/ under a new, timestamped name, and return the copy's path."""
    saved = ROOT / "work" / "saved"
    saved.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    dest = saved / f"{path.stem}.{stamp}{path.suffix}"
    k = 1
    while dest.exists():
        k += 1
        dest = saved / f"{path.stem}.{stamp}-{k}{path.suffix}"
    shutil.copy2(path, dest)
    return dest


def render(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def exercise_path(solution_path: Path) -> Path:
    return EXERCISES / solution_path.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("solutions", nargs="*", type=Path, help="solution notebooks (default: all in solutions/)")
    parser.add_argument("--check", action="store_true", help="only check that every exercise is up to date")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.solutions] or sorted(SOLUTIONS.glob("*.ipynb"))
    if not paths:
        print("no solution notebooks found in solutions/", file=sys.stderr)
        return 1
    stale = []
    readme = README.read_text(encoding="utf-8")
    try:
        new_readme = readme_with_table(readme)
    except MarkerError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if new_readme != readme:
        if args.check:
            stale.append(README)
            print("OUT OF DATE: README.md's lecture table differs from tools/course.py and pyproject.toml")
        else:
            README.write_text(new_readme, encoding="utf-8")
            print("wrote README.md (the lecture table)")
    for path in paths:
        solution = nbformat.read(path, as_version=4)
        before = content(solution)
        with_course_cells(solution, f"solutions/{path.name}")
        if content(solution) != before:
            if args.check:
                stale.append(path)
                print(f"OUT OF DATE: {path.relative_to(ROOT)}: its badge or set-up cell is not what tools/course.py generates")
            else:
                nbformat.write(solution, path)
                print(f"wrote {path.relative_to(ROOT)} (its badge and set-up cell)")
        try:
            new = make_exercise(solution, path.name)
        except MarkerError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        text = render(new)
        target = exercise_path(path)
        rel = target.relative_to(ROOT)
        current = nbformat.read(target, as_version=4) if target.exists() else None
        if args.check:
            if current is None or content(current) != content(new):
                stale.append(target)
                why = "is missing" if current is None else f"differs from what {path.name} generates"
                if current is not None and edited(current):
                    why += " and was edited by hand (answers written in it?)"
                print(f"OUT OF DATE: {rel} {why}")
            else:
                print(f"up to date: {rel}")
            continue
        if current is not None and target.read_text(encoding="utf-8") == text:
            print(f"unchanged {rel}")
            continue
        if current is not None and edited(current) and content(current) != content(new):
            print(f"{rel} was edited by hand: your version is saved as {save_aside(target).relative_to(ROOT)}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {rel}")
    if stale:
        print("Regenerate with: make exercises   (python -m tools.make_exercises), then review with: make diff.\n"
              "Answers written in notebooks/ are saved to work/saved/ before anything is overwritten; "
              "students work in work/ (make work), which nothing regenerates.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
