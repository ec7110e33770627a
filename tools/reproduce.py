"""Refresh every solution at full settings and check every reference number.

    python -m tools.reproduce                 # run all solutions at full settings, then check
    python -m tools.reproduce --only makemore3   # run just the matching solutions, check all
    python -m tools.reproduce --no-run        # check the numbers stored in the solutions now

Steps: execute each solution notebook in a fresh kernel at the lecture's full settings
(MAKEMORE_SCALE unset), showing notebook, cell and elapsed time, and write its outputs
back. The notebooks run in parallel, one process per core (``--jobs``, default: the
number of cores), each kernel on one thread (they call ``torch.set_num_threads(1)``;
OMP_NUM_THREADS=1 is set too), the longest first by the last run's timings, so two
cores take about half the time of one. Timed races inside the notebooks measure
process CPU time, so a neighbour on the other core does not skew them. Then: regenerate the exercise notebooks; read every ``[result] key = value`` line that
``makemore_helpers.record`` printed into the stored outputs; check each against
``reference/numbers.csv``; print the table; write it into README.md between the
results markers; exit non-zero naming every number that failed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]

from makemore_helpers.results import RESULT_LINE
from tools import make_exercises

REFERENCE = ROOT / "reference" / "numbers.csv"
TIMINGS = ROOT / "reference" / "last_run.json"
README = ROOT / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
CHECKS = {"~": "within", "<=": "at most", ">=": "at least", "info": "shown"}


@dataclass
class Row:
    key: str
    what: str
    lecture: str
    reference: float
    check: str
    tolerance: float
    ours: float | None = None

    @property
    def passed(self) -> bool:
        if self.ours is None:
            return False
        if self.check == "~":
            return abs(self.ours - self.reference) <= self.tolerance
        if self.check == "<=":
            return self.ours <= self.reference + self.tolerance
        if self.check == ">=":
            return self.ours >= self.reference - self.tolerance
        return True

    @property
    def rule(self) -> str:
        if self.check == "info":
            return "shown, not checked"
        tol = f" ± {self.tolerance:g}" if self.check == "~" else (f" (+{self.tolerance:g})" if self.tolerance else "")
        return f"{'' if self.check == '~' else self.check + ' '}{self.reference:g}{tol}"


def read_reference(path: Path = REFERENCE) -> list[Row]:
    """Read the reference table; a malformed row is an error naming its line."""
    rows = []
    with path.open(newline="", encoding="utf-8") as f:
        for lineno, r in enumerate(csv.DictReader(f), start=2):
            try:
                if r["check"] not in CHECKS:
                    raise ValueError(f"check must be one of {', '.join(CHECKS)}, got {r['check']!r}")
                rows.append(Row(r["key"], r["what"], r["lecture"], float(r["reference"]), r["check"], float(r["tolerance"] or 0)))
            except (KeyError, ValueError, TypeError) as err:
                raise SystemExit(f"{path}:{lineno}: bad row ({err})") from None
    return rows


def read_results(notebooks: list[Path]) -> dict[str, float]:
    """Every ``[result] key = value`` printed in the stored outputs of ``notebooks``."""
    found: dict[str, float] = {}
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream":
                    for m in RESULT_LINE.finditer(out.get("text", "")):
                        found[m["key"]] = float(m["value"])
    return found


def fmt(x: float | None) -> str:
    if x is None:
        return "missing"
    if x == 0:
        return "0"
    if abs(x) < 1e-3:
        return f"{x:.3g}"
    return f"{x:.0f}" if abs(x) >= 100 else f"{x:.4f}"


def table(rows: list[Row], markdown: bool = False) -> str:
    head = ["number", "key", "lecture", "ours", "reference", "result"]
    body = [[r.what, r.key, r.lecture or "-", fmt(r.ours), r.rule, ("pass" if r.passed else "FAIL") if r.check != "info" else "-"]
            for r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c if i != 1 else f"`{c}`" for i, c in enumerate(b)) + " |" for b in body]
        return "\n".join(lines)
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)) for line in [head, *body])


def write_readme_section(start: str, end: str, body: str) -> None:
    """Replace what README.md holds between the markers ``start`` and ``end`` with ``body``."""
    text = README.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"README.md has no {start} ... {end} markers to write the table between")
    README.write_text(text[: text.index(start) + len(start)] + "\n" + body + text[text.index(end):], encoding="utf-8")


def write_readme(rows: list[Row], timings: dict) -> None:
    when = timings.get("finished", "?")
    total = timings.get("total_s")
    note = (f"\n\nGenerated by `make reproduce` (tools/reproduce.py) from the stored outputs of the solutions"
            f"{f', last full run {when}, {total / 60:.1f} minutes' if total else ''}; do not edit by hand.\n")
    write_readme_section(START, END, table(rows, markdown=True) + note)


def run_notebooks(paths: list[Path], jobs: int, last: dict[str, float]) -> dict[str, float]:
    """Execute ``paths`` at full settings, ``jobs`` at a time, longest first; return each one's seconds.

    Raises SystemExit naming every notebook that failed (their outputs, up to the
    failing cell, are written back so the error can be read in place).
    """
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    env.pop("MAKEMORE_SCALE", None)  # the lecture's full settings
    order = sorted(paths, key=lambda p: -last.get(p.name, 0.0))
    t0 = time.perf_counter()

    def one(path: Path) -> tuple[Path, float, int]:
        print(f"start {path.name} at full settings (+{time.perf_counter() - t0:.0f}s)", flush=True)
        t1 = time.perf_counter()
        rc = subprocess.run([sys.executable, "-m", "tools.execute", str(path)], cwd=ROOT, env=env).returncode
        seconds = round(time.perf_counter() - t1, 1)
        print(f"{'done' if rc == 0 else 'FAILED'} {path.name} in {seconds / 60:.1f} min "
              f"(+{time.perf_counter() - t0:.0f}s)", flush=True)
        return path, seconds, rc

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        done = list(pool.map(one, order))
    failed = [p.name for p, _, rc in done if rc != 0]
    if failed:
        raise SystemExit(f"these solutions failed at full settings: {', '.join(failed)} (the error is stored in each)")
    return {p.name: s for p, s, _ in done}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run only the solutions whose name contains this")
    parser.add_argument("--no-run", action="store_true", help="check the stored outputs without running anything")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite README.md's results table")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="notebooks run at once, one per core (default: the number of cores)")
    args = parser.parse_args(argv)

    solutions = sorted((ROOT / "solutions").glob("*.ipynb"))
    timings = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    if not args.no_run:
        todo = [p for p in solutions if not args.only or args.only in p.name]
        if not todo:
            raise SystemExit(f"no solution matches --only {args.only!r}")
        t0 = time.perf_counter()
        timings.setdefault("notebooks", {}).update(run_notebooks(todo, args.jobs, timings.get("notebooks", {})))
        timings["jobs"] = args.jobs
        now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        if args.only:  # a partial run: the full run's total and date stay as they were
            timings["last_partial"] = f"{args.only}, {now}"
        else:
            timings.pop("last_partial", None)  # a full run supersedes it
            timings["total_s"] = round(time.perf_counter() - t0, 1)
            timings["finished"] = now
        TIMINGS.write_text(json.dumps(timings, indent=1, sort_keys=True) + "\n")
        make_exercises.main([])

    rows = read_reference()
    results = read_results(solutions)
    for r in rows:
        r.ours = results.get(r.key)
    unknown = sorted(set(results) - {r.key for r in rows})
    print()
    print(table(rows))
    if unknown:
        print(f"\nrecorded but not in {REFERENCE.relative_to(ROOT)}: {', '.join(unknown)}")
    if not args.no_readme:
        write_readme(rows, timings)
    failed = [r for r in rows if r.check != "info" and not r.passed]
    if failed:
        print("\nFAILED: " + "; ".join(f"{r.key} ({r.what}) is {fmt(r.ours)}, expected {r.rule}" for r in failed), file=sys.stderr)
        return 1
    print(f"\nall {sum(r.check != 'info' for r in rows)} checked numbers pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
