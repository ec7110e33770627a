"""The course as data: its public address, its version, and its lectures.

One address (``[project.urls] Repository`` and ``[tool.makemore] branch`` in pyproject.toml)
and one version (``makemore_helpers.__version__``) feed everything generated from them:
the Colab badge and the set-up cell of every notebook, the README's lecture table with its
Colab column, and the site's launch buttons (``make exercises``, ``make site``). A fork edits
those two lines of pyproject.toml and runs ``make exercises``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
VERSION_FILE = ROOT / "src" / "makemore_helpers" / "__init__.py"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


@dataclass(frozen=True)
class Lecture:
    """One row of the lecture table: the notebook's name and what a student reads about it."""

    name: str  # solutions/<name>.ipynb and notebooks/<name>.ipynb
    title: str
    video: str
    exercises: str


#: In the course's order. A new lecture is a row here and a solution notebook.
LECTURES = [
    Lecture("micrograd", "micrograd: derivatives and backpropagation", "https://www.youtube.com/watch?v=VMj-3S1tku0",
            "E01 the analytic gradient · E02 the forward difference · E03 the symmetric difference · "
            "E04 a Value class that supports softmax · E05 the same in PyTorch"),
    Lecture("makemore1_bigram", "makemore 1: the bigram model", "https://www.youtube.com/watch?v=PaCmpygFfXo",
            "E01 a trigram model · E02 train / dev / test split · E03 tune the smoothing on dev · "
            "E04 index rows instead of one-hot · E05 F.cross_entropy and why · E06 an exercise of your own"),
    Lecture("makemore2_mlp", "makemore 2: the MLP", "https://www.youtube.com/watch?v=TCH_1BHY58I",
            "E01 beat a dev loss of 2.2 by a hyperparameter search · E02 an initialisation without the hockey "
            "stick · E03 an idea from Bengio et al. 2003"),
    Lecture("makemore3_batchnorm", "makemore 3: activations, gradients, BatchNorm",
            "https://www.youtube.com/watch?v=P6sfmUTpUmc",
            "E01 dead or alive: train from all-zero weights and find out what trains · "
            "E02 fold BatchNorm into the Linear before it"),
    Lecture("makemore4_backprop", "makemore 4: becoming a backprop ninja", "https://www.youtube.com/watch?v=q8SA3rM6ckI",
            "E1 backprop through every atom · E2 cross-entropy in one go · E3 BatchNorm in one go · "
            "E4 train with your own gradients"),
    Lecture("makemore5_wavenet", "makemore 5: building a WaveNet", "https://www.youtube.com/watch?v=t3YJ5hKiMQ0",
            "E01 BatchNorm1d for 3-D input, checked against torch.nn.BatchNorm1d · E02 the hierarchical model "
            "(FlattenConsecutive, Sequential) · E03 beat the lecture's val 1.993 within a stated CPU budget"),
]


def version() -> str:
    """The helpers' version, read from the one line that holds it (no import, so no torch needed)."""
    m = re.search(r'^__version__ = "([^"]+)"', VERSION_FILE.read_text(encoding="utf-8"), re.M)
    if not m:
        raise SystemExit(f"{VERSION_FILE}: no line __version__ = \"...\"")
    return m[1]


def repository() -> tuple[str, str]:
    """(owner/name, branch) of the course's public GitHub repository, from pyproject.toml."""
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    url = data.get("project", {}).get("urls", {}).get("Repository", "")
    m = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?", url)
    if not m:
        raise SystemExit(f"pyproject.toml: [project.urls] Repository must be https://github.com/<owner>/<name>, got {url!r}")
    branch = data.get("tool", {}).get("makemore", {}).get("branch", "main")
    return m[1], branch


def colab_url(relpath: str) -> str:
    """Colab's address for a notebook of the repository, e.g. ``notebooks/makemore1_bigram.ipynb``."""
    repo, branch = repository()
    return f"https://colab.research.google.com/github/{repo}/blob/{branch}/{relpath}"


def badge(relpath: str) -> str:
    return f"[![Open In Colab]({COLAB_BADGE})]({colab_url(relpath)})"


def install_requirement() -> str:
    """What the set-up cell installs outside a clone: the helpers at this version, from the course's address."""
    repo, _ = repository()
    return f"makemore-helpers @ git+https://github.com/{repo}@v{version()}"


def lecture_table(link) -> str:
    """The lecture table in markdown; ``link(relpath)`` makes a notebook's link for where the table is shown."""
    rows = ["| lecture | exercises | exercise notebook | solution | Colab |", "|---|---|---|---|---|"]
    for lec in LECTURES:
        if not (ROOT / "solutions" / f"{lec.name}.ipynb").exists():
            continue  # a lecture still being written
        ex, sol = f"notebooks/{lec.name}.ipynb", f"solutions/{lec.name}.ipynb"
        rows.append(f"| {lec.title} ([video]({lec.video})) | {lec.exercises} | [{ex}]({link(ex)}) | "
                    f"[{sol}]({link(sol)}) | [exercise]({colab_url(ex)}) · [solution]({colab_url(sol)}) |")
    return "\n".join(rows)
