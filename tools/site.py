"""Build the course as a static site: every notebook a page, with its stored outputs.

    python -m tools.site            # what `make site` runs: the site in _site/html/

Jupyter Book 1.x with notebook execution off, so the pages show the solutions' stored
outputs (and each exercise as a student receives it), the build needs no kernel and no
internet, and hints stay collapsed (they are ``<details>`` blocks). The book's sources are
generated into ``_site/src`` from tools/course.py: a landing page with the lecture table,
the table of contents in the course's order, and copies of the notebooks without their
Colab badge cell (every page has a launch button to Colab instead, from the same address
in pyproject.toml).
"""

from __future__ import annotations

import argparse
import base64
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from tools import course
from tools.make_exercises import BADGE_TAG

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_site"
SRC = OUT / "src"
HTML = OUT / "html"

INTRO = """\
# Neural Networks: Zero to Hero, exercises

Exercises with worked, verified solutions for Andrej Karpathy's
[Neural Networks: Zero to Hero](https://karpathy.ai/zero-to-hero.html). Each lecture has an
**exercise** notebook, where you write the code, with one-line self-checks that say what is wrong,
and a **solution** notebook whose outputs come from a run at the lecture's full settings.

Open a notebook here to read it, or with the rocket button at the top of its page in Colab,
where you can run it (File > Save a copy in Drive makes the copy your own). To work from a clone of
[the repository]({repo_url}), see its README.

{table}
"""


def page(relpath: str) -> str:
    return relpath.removesuffix(".ipynb")


def sources() -> list[str]:
    """Write the book's sources into _site/src and return the notebooks' paths within it."""
    if SRC.exists():
        shutil.rmtree(SRC)
    SRC.mkdir(parents=True)
    repo, branch = course.repository()
    pages = []
    for lec in course.LECTURES:
        for folder in ("notebooks", "solutions"):
            src = ROOT / folder / f"{lec.name}.ipynb"
            if not src.exists():
                continue
            nb = nbformat.read(src, as_version=4)
            nb.cells = [c for c in nb.cells if BADGE_TAG not in c.metadata.get("tags", [])]
            dest = SRC / folder / src.name
            dest.parent.mkdir(exist_ok=True)
            kind = "exercise" if folder == "notebooks" else "solution"
            for cell in nb.cells:  # the page's title says which of the two it is, in the contents too
                if cell.cell_type == "markdown" and cell.source.startswith("# "):
                    first, _, rest = cell.source.partition("\n")
                    cell.source = f"{first} ({kind})\n{rest}"
                    break
            for cell in nb.cells:  # myst-nb shows no cell attachments: the figure becomes a file beside the page
                for fname, data in (cell.pop("attachments", None) or {}).items():
                    mime, b64 = next(iter(data.items()))
                    (dest.parent / fname).write_bytes(base64.b64decode(b64))
                    cell.source = cell.source.replace(f"attachment:{fname}", fname)
            nbformat.write(nb, dest)
            pages.append(f"{folder}/{src.name}")
    table = course.lecture_table(lambda rel: rel)
    (SRC / "intro.md").write_text(INTRO.format(repo_url=f"https://github.com/{repo}", table=table), encoding="utf-8")
    toc = ["format: jb-book", "root: intro", "parts:"]
    for lec in course.LECTURES:
        chapters = [p for p in pages if Path(p).stem == lec.name]
        if chapters:
            toc += [f"  - caption: \"{lec.title}\"", "    chapters:"]
            toc += [f"      - file: {page(p)}" for p in chapters]
    (SRC / "_toc.yml").write_text("\n".join(toc) + "\n", encoding="utf-8")
    (SRC / "_config.yml").write_text(f"""\
title: "Zero to Hero exercises"
author: "makemore exercises"
only_build_toc_files: true
execute:
  execute_notebooks: "off"
repository:
  url: https://github.com/{repo}
  branch: {branch}
  path_to_book: ""
launch_buttons:
  colab_url: "https://colab.research.google.com"
  notebook_interface: classic
html:
  use_repository_button: true
sphinx:
  config:
    html_show_copyright: false
    suppress_warnings: ["mystnb.unknown_mime_type"]
""", encoding="utf-8")
    return pages


def build() -> Path:
    sources()
    if HTML.exists():
        shutil.rmtree(HTML)
    cmd = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(SRC), "--path-output", str(OUT / "build"), "--keep-going"]
    try:
        import jupyter_book  # noqa: F401
    except ImportError:
        raise SystemExit("jupyter-book is not installed: run `make site` (it installs requirements-site.txt)") from None
    r = subprocess.run(cmd)
    if r.returncode:
        raise SystemExit(f"jupyter-book build failed ({r.returncode})")
    shutil.copytree(OUT / "build" / "_build" / "html", HTML)
    print(f"site built: {HTML / 'index.html'}")
    return HTML


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
