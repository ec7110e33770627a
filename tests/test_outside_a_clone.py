"""The helpers as a release, and a student without a clone (Colab, Kaggle, one downloaded notebook).

1. The helpers build as a wheel and an sdist (what the release workflow publishes), and the
   wheel installs into an empty virtual environment.
2. One exercise and one solution notebook, copied alone into an empty folder, run in a fresh
   virtual environment that has torch, ipykernel and nbclient but has never seen the helpers.
   Their set-up cell installs the helpers from the wheel (``MAKEMORE_HELPERS``, as an offline
   classroom or a mirror would), names.txt comes from ``MAKEMORE_DATA``. The exercise stops at
   its first stub naming its exercise; the solution runs to its end at MAKEMORE_SCALE=0.01.

The fresh environment gets the test environment's third-party packages (torch is 800 MB: a copy
per test run would cost minutes) through a folder of links to them that leaves out every file of
makemore_helpers, so neither Python nor pip can find the helpers until the set-up cell installs them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXERCISE = "makemore4_backprop"   # stops at its first check, E1's
SOLUTION = "makemore1_bigram"     # the fastest solution at the tests' length that downloads nothing


def _python(env_dir: Path) -> Path:
    return env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The wheel and the sdist of the checkout, built as the release workflow builds them."""
    out = tmp_path_factory.mktemp("dist")
    r = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return out


def _version() -> str:
    from tools import course

    return course.version()


def test_the_helpers_build_as_a_wheel_and_an_sdist_that_install_into_an_empty_environment(dist, tmp_path):
    version = _version()
    wheel = dist / f"makemore_helpers-{version}-py3-none-any.whl"
    sdist = dist / f"makemore_helpers-{version}.tar.gz"
    assert wheel.is_file() and sdist.is_file(), sorted(p.name for p in dist.iterdir())
    empty = tmp_path / "empty"
    venv.create(empty, with_pip=True)
    r = subprocess.run([str(_python(empty)), "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    # torch is not in this environment, so look at what was installed rather than import it
    probe = ("import importlib.metadata as m, json; d = m.distribution('makemore-helpers'); "
             "print(json.dumps({'version': d.version, 'requires': d.requires, "
             "'files': [str(f) for f in d.files]}))")
    info = json.loads(subprocess.run([str(_python(empty)), "-c", probe], capture_output=True, text=True, check=True).stdout)
    assert info["version"] == version
    assert {re.split(r"[<>=!; ]", r)[0] for r in info["requires"]} == {"torch", "matplotlib", "pooch", "tqdm"}
    for module in ("makemore_helpers/__init__.py", "makemore_helpers/checks/m4.py", "makemore_helpers/py.typed"):
        assert module in info["files"], f"the wheel lacks {module}"


def _env_without_the_helpers(where: Path) -> Path:
    """A fresh venv that sees this environment's packages except every trace of makemore_helpers."""
    site = Path(sysconfig.get_paths()["purelib"])
    farm = where / "site-packages-without-helpers"
    farm.mkdir()
    for entry in site.iterdir():
        name = entry.name.lower()
        if "makemore" in name or name.startswith("__editable__") or entry.suffix == ".pth":
            continue  # the helpers (editable install, its finder and dist-info) and path hooks stay out
        (farm / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    env_dir = where / "venv"
    venv.create(env_dir, with_pip=True)
    env_site = subprocess.run([str(_python(env_dir)), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
    (Path(env_site) / "course-test-packages.pth").write_text(str(farm) + "\n")
    return env_dir


RUNNER = """\
import sys, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
try:
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
except CellExecutionError:
    pass  # the exercise is meant to stop; what stopped it is read from the outputs
nbformat.write(nb, path)
"""


def test_a_student_without_a_clone_runs_an_exercise_and_a_solution(dist, tmp_path):
    env_dir = _env_without_the_helpers(tmp_path)
    py = str(_python(env_dir))
    missing = subprocess.run([py, "-c", "import importlib.util as u; print(u.find_spec('makemore_helpers'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert missing == "None", "the fresh environment must not see the helpers before the set-up cell installs them"
    for mod in ("torch", "ipykernel", "nbclient"):
        subprocess.run([py, "-c", f"import {mod}"], check=True)

    folder = tmp_path / "student"
    folder.mkdir()
    shutil.copy(ROOT / "notebooks" / f"{EXERCISE}.ipynb", folder / "exercise.ipynb")
    shutil.copy(ROOT / "solutions" / f"{SOLUTION}.ipynb", folder / "solution.ipynb")
    (folder / "run.py").write_text(RUNNER)
    wheel = next(dist.glob("*.whl"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_PATH")}
    env.update(MAKEMORE_HELPERS=str(wheel), MAKEMORE_SCALE="0.01", PYTHONNOUSERSITE="1",
               HOME=str(tmp_path / "home"), JUPYTER_DATA_DIR=str(tmp_path / "jupyter"))
    env["PATH"] = str(_python(env_dir).parent) + os.pathsep + env.get("PATH", "")
    assert env.get("MAKEMORE_DATA"), "the tests point MAKEMORE_DATA at a copy of names.txt (see .ci/run)"

    import nbformat

    for name in ("exercise.ipynb", "solution.ipynb"):
        r = subprocess.run([py, "run.py", name], cwd=folder, env=env, capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, r.stderr[-3000:]
    outputs = {}
    for name in ("exercise", "solution"):
        nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        setup_text = "".join(o.get("text", "") for o in code[0].outputs)
        if name == "exercise":  # the first notebook of the session installs the helpers ...
            assert f"Installing the course's helpers: {wheel}" in setup_text, f"the set-up cell did not install: {setup_text!r}"
            assert setup_text.endswith(f"makemore_helpers {_version()}\n"), setup_text
        else:  # ... and the next finds them installed: one line, as in a clone
            assert setup_text == f"makemore_helpers {_version()}\n", setup_text
        errors = [(k, o) for k, c in enumerate(code) for o in c.outputs if o.output_type == "error"]
        outputs[name] = (code, errors)
    code, errors = outputs["exercise"]
    assert errors, "the exercise ran to its end: nothing stopped it at its first stub"
    k, err = errors[0]
    first = re.search(r"# YOUR CODE HERE \((E\d+)\)", "".join(c.source for c in code)).group(1)
    assert err.ename == "ExerciseNotWritten" and err.evalue.startswith(f"{first} "), (err.ename, err.evalue)
    code, errors = outputs["solution"]
    assert not errors, f"the solution stopped at code cell {errors[0][0]}: {errors[0][1].ename}: {errors[0][1].evalue}"
    assert all(c.execution_count for c in code), "every cell of the solution ran"
