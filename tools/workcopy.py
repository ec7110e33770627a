"""Give the student working copies of the exercises in work/, which nothing ever overwrites.

    python -m tools.workcopy          # what `make work` and `make lab` run

For every exercise notebooks/X.ipynb:

- no work/X.ipynb yet: copy it there (the student's copy, git-ignored);
- work/X.ipynb exists and came from the current version of the exercise: nothing to do;
- the exercise changed since work/X.ipynb was copied (a course update, `git pull`):
  leave work/X.ipynb alone and put the new version beside it as
  work/X.update-<fingerprint>.ipynb, once, and say so.

A copy knows the version it came from by the fingerprint the generator stores in the
notebook's metadata (tools/make_exercises.py), which Jupyter keeps when it saves.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def version_of(path: Path) -> str | None:
    """The generator's fingerprint stored in a notebook (None if it has none or cannot be read)."""
    try:
        return nbformat.read(path, as_version=4).metadata.get("makemore", {}).get("fingerprint")
    except Exception:  # noqa: BLE001 - a half-written or foreign file has no version
        return None


def sync(exercises: Path | None = None, work: Path | None = None) -> list[str]:
    """Create missing work copies and offer updates beside changed ones; return what was done, one line each."""
    exercises = exercises or ROOT / "notebooks"
    work = work or ROOT / "work"
    work.mkdir(parents=True, exist_ok=True)
    said = []
    for src in sorted(exercises.glob("*.ipynb")):
        mine = work / src.name
        rel = mine.relative_to(work.parent)
        if not mine.exists():
            shutil.copy2(src, mine)
            said.append(f"new: {rel} (your copy of {src.relative_to(exercises.parent)}; work in it)")
            continue
        current, theirs = version_of(src), version_of(mine)
        if current is None or current == theirs:
            continue
        update = work / f"{src.stem}.update-{current[:8]}{src.suffix}"
        if not update.exists():
            shutil.copy2(src, update)
            said.append(f"updated exercise: {src.relative_to(exercises.parent)} changed since {rel} was copied. "
                        f"Your copy is untouched; the new version is {update.relative_to(work.parent)} beside it "
                        "(make diff-work NB=" + src.stem + " shows what changed)")
    return said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    lines = sync()
    for line in lines:
        print(line)
    print(f"Your work lives in work/ ({len(list((ROOT / 'work').glob('*.ipynb')))} notebooks); "
          "nothing in the course writes over it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
