"""Print the speed figures students wait for, measured side by side in one run.

    python -m tools.benchmark                # everything (about 5 minutes)
    python -m tools.benchmark --skip-tests   # without timing the test command
    python -m tools.benchmark --readme       # also write the table into README.md

Figures:
- the lecture-4 manual-gradient training loop against the same loop with autograd, and
  the lecture-3 diagnostics' cost per step, and BatchNorm-folded against unfolded
  inference: each is measured inside its solution notebook (the code students read),
  so this script runs those notebooks at the tests' length (MAKEMORE_SCALE=0.01; the
  timed sections do not depend on it) and reads the figures they record;
- the wall time of the README's test command (`python -m pytest`, after installation);
- the wall time of the last full reproduction (`make reproduce`, from reference/last_run.json).

Nothing here is asserted: a goal not met is printed as "no", with the figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

import torch

from tools.execute import execute
from tools.reproduce import TIMINGS, read_results, write_readme_section

START, END = "<!-- bench:start -->", "<!-- bench:end -->"

# (notebook, key recorded in it, what, unit, goal as (">=" or "<=", value))
NOTEBOOK_FIGURES = [
    ("makemore4_backprop.ipynb", "m4.e4.manual_steps_per_s", "lecture-4 loop, manual gradients", "steps/s", None),
    ("makemore4_backprop.ipynb", "m4.e4.autograd_steps_per_s", "lecture-4 loop, autograd", "steps/s", None),
    ("makemore4_backprop.ipynb", "m4.e4.speedup", "manual / autograd", "x", (">=", 1.5)),
    ("makemore3_batchnorm.ipynb", "m3.diag_overhead_pct", "lecture-3 diagnostics, cost per step", "%", ("<=", 10.0)),
    ("makemore3_batchnorm.ipynb", "m3.e02.fold_speedup", "folded / unfolded inference, whole dev set", "x", (">=", 2.0)),
]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, torch {torch.__version__}, one thread per training"


def met(value: float | None, goal) -> str:
    if goal is None:
        return "-"
    if value is None:
        return "missing"
    op, target = goal
    return "yes" if (value >= target if op == ">=" else value <= target) else "no"


def main(argv: list[str] | None = None) -> int:
    # whether the machine was idle is read before the benchmark's own work, which raises the load average
    load_at_start = os.getloadavg()[0]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-tests", action="store_true", help="do not time the test command")
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args(argv)

    rows: list[tuple[str, str, str, str]] = []
    env_before = os.environ.get("MAKEMORE_SCALE")
    os.environ["MAKEMORE_SCALE"] = "0.01"
    try:
        for name in dict.fromkeys(nb for nb, *_ in NOTEBOOK_FIGURES):
            path = ROOT / "solutions" / name
            if not path.exists():
                continue
            print(f"running {name} (MAKEMORE_SCALE=0.01) for its timed sections ...", flush=True)
            tmp = ROOT / "results" / name
            tmp.parent.mkdir(exist_ok=True)
            tmp.write_bytes(path.read_bytes())
            execute(tmp, quiet=True)
            found = read_results([tmp])
            for nb, key, what, unit, goal in NOTEBOOK_FIGURES:
                if nb == name:
                    v = found.get(key)
                    goal_s = f"{goal[0]} {goal[1]:g} {unit}" if goal else "-"
                    rows.append((what, "missing" if v is None else f"{v:.0f} {unit}" if v >= 100 else f"{v:.2f} {unit}", goal_s, met(v, goal)))
    finally:
        if env_before is None:
            os.environ.pop("MAKEMORE_SCALE", None)
        else:
            os.environ["MAKEMORE_SCALE"] = env_before

    # the set-up cell every notebook starts with, where the helpers are installed (a clone, or Colab
    # after the first notebook): it must cost well under a second
    from tools.make_exercises import setup_source

    probe = ("import time, io, contextlib; t = time.perf_counter(); "
             f"exec(compile({setup_source()!r}, 'setup', 'exec'), {{}}); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    rows.append(("notebook set-up cell, helpers installed", f"{float(out.splitlines()[-1]) * 1000:.0f} ms", "< 1 s",
                 met(float(out.splitlines()[-1]), ("<=", 1.0))))

    if not args.skip_tests:
        # like every figure here, on an idle machine: the load before the run is printed with it
        import resource

        load = load_at_start
        print(f"timing the test command (python -m pytest) on {os.cpu_count()} cores (load {load:.2f} at the start) ...",
              flush=True)
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        rc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        s = time.perf_counter() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        idle = ("" if load < 0.5 else
                f"; the machine was busy when the benchmark started (load {load:.1f}), so this is slower than idle")
        rows.append(("test command `make test` after installation",
                     f"{s / 60:.1f} min wall on {os.cpu_count()} cores, {cpu / 60:.1f} CPU-min{idle}"
                     + ("" if rc == 0 else f" (FAILED, rc {rc})"), "-", "-"))
    timings = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    total = timings.get("total_s")
    per_nb = ", ".join(f"{k.removesuffix('.ipynb').split('_')[0]} {v / 60:.1f}" for k, v in sorted(timings.get("notebooks", {}).items()))
    rows.append(("full reproduction `make reproduce` (last run)",
                 f"{total / 60:.1f} min, {timings.get('jobs', 1)} notebooks at a time (per notebook: {per_nb})" if total else "not run yet", "<= 12 min",
                 met(total / 60 if total else None, ("<=", 12.0))))

    head = ("figure", "measured", "goal", "met")
    md = ["| " + " | ".join(head) + " |", "|---|---|---|---|"] + ["| " + " | ".join(r) + " |" for r in rows]
    text = "\n".join(md) + f"\n\nMeasured {time.strftime('%Y-%m-%d', time.gmtime())} on {machine()}, by `make benchmark` (tools/benchmark.py).\n"
    print()
    print(text)
    if args.readme:
        write_readme_section(START, END, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
