"""Under nbval, as CI runs every solution, makemore 4's checks still run the student's lines again.

nbval executes cells with store_history=False, so IPython's In is empty there; the checks read
the cells from checks.cells instead. Two mistakes that give the right numbers on the
notebook's own batch are planted in copies of the solution, and each copy must fail its own
nbval run at the check that catches it; an unplanted copy passes, so the failures come from
the plants. The copies end at the E2 check (what follows checks nothing more of this).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "makemore4_backprop.ipynb"
PLANTS = {
    # db1's true value is about 0 on every batch: a mean for the sum agrees with autograd here
    "db1_mean": ("db1 = dhprebn.sum(0)", "db1 = dhprebn.mean(0)", "E1: db1 is the first wrong row: right here only"),
    # 32 is this batch's size: right here, wrong on the second batch of 27 rows
    "dlogits_32": ("dlogits = (F.softmax(logits, 1) - F.one_hot(Yb, num_classes=vocab_size)) / n",
                   "dlogits = (F.softmax(logits, 1) - F.one_hot(Yb, num_classes=vocab_size)) / 32",
                   "E2: dlogits is the first wrong row: right on this batch, but wrong on a second batch"),
}


def copy_until_e2_check(tmp_path: Path, name: str, old: str | None = None, new: str | None = None) -> Path:
    nb = nbformat.read(SOLUTION, as_version=4)
    if old is not None:
        hits = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("# BEGIN PLACEHOLDERS E")
                and old in c.source]
        assert len(hits) == 1, f"the solution should have one exercise cell with {old!r}"
        hits[0].source = hits[0].source.replace(old, new)
    last = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip() == "m4.check_e2()")
    nb.cells = nb.cells[:last + 1]
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def test_planted_mistakes_fail_the_solutions_own_nbval_run(tmp_path):
    paths = {name: copy_until_e2_check(tmp_path, name, old, new) for name, (old, new, _) in PLANTS.items()}
    paths["as_written"] = copy_until_e2_check(tmp_path, "as_written")
    env = {**os.environ, "MAKEMORE_SCALE": "0.01", "MAKEMORE_STRICT": "1", "OMP_NUM_THREADS": "1"}
    r = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:xdist",
                        "-p", "no:cacheprovider", "-q", "-rf", *map(str, paths.values())],
                       cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    out = r.stdout + r.stderr
    failed = set(re.findall(r"^FAILED (\w+)\.ipynb::", out, re.M))
    assert failed == set(PLANTS), f"expected exactly the planted copies to fail, got {sorted(failed)}:\n{out[-4000:]}"
    for name, (_, _, message) in PLANTS.items():
        assert message in out, f"{name}: the failure should be the check's, saying {message!r}:\n{out[-4000:]}"
