"""The student's loop, played end to end on a real lecture pair: nothing a student writes is lost.

A student gets a copy of an exercise in work/ (what `make lab` / `make work` do), opens and
saves it in JupyterLab, writes an answer into a stub, and keeps working while the course
changes under them: `make exercises` regenerates, a solution is edited, the exercise is
regenerated again. JupyterLab's saving is played by jupyter_server's own contents manager
(the code that writes the file when you press save), with the notebook metadata the
python3 kernel gives it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from ipykernel.ipkernel import IPythonKernel
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_server.services.contents.filemanager import FileContentsManager

from tools import make_exercises as mx
from tools import workcopy

PAIR = "makemore4_backprop.ipynb"
ANSWER = "dlogprobs = torch.zeros_like(logprobs)  # my answer, in progress\n"


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A copy of one real lecture pair in a scratch repository, with the generator pointed at it."""
    (tmp_path / "solutions").mkdir()
    (tmp_path / "notebooks").mkdir()
    shutil.copy(mx.SOLUTIONS / PAIR, tmp_path / "solutions" / PAIR)
    shutil.copy(mx.EXERCISES / PAIR, tmp_path / "notebooks" / PAIR)
    monkeypatch.setattr(mx, "ROOT", tmp_path)
    monkeypatch.setattr(mx, "SOLUTIONS", tmp_path / "solutions")
    monkeypatch.setattr(mx, "EXERCISES", tmp_path / "notebooks")
    return tmp_path


def jupyterlab_save(root: Path, rel: str, edit=None) -> None:
    """Open ``rel`` and save it as JupyterLab does, after the kernel set its metadata and ``edit`` ran."""
    cm = FileContentsManager(root_dir=str(root))
    model = cm.get(rel)
    nb = model["content"]
    spec = KernelSpecManager().get_kernel_spec("python3")
    nb.metadata["kernelspec"] = {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    nb.metadata["language_info"] = dict(IPythonKernel.language_info)
    for cell in nb.cells:  # what the UI leaves in cell metadata after a run and a scroll
        if cell.cell_type == "code":
            cell.metadata["scrolled"] = True
    if edit:
        edit(nb)
    cm.save(model, rel)


def sources(path: Path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)


def write_answer(nb) -> None:
    """Replace the first E1 placeholder line with an answer, as a student would type it."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "dlogprobs = ...\n" in cell.source:
            cell.source = cell.source.replace("dlogprobs = ...\n", ANSWER, 1)
            return
    raise AssertionError("the exercise has no dlogprobs placeholder to answer")


def test_generated_metadata_is_what_the_python3_kernel_writes():
    nb = nbformat.read(mx.EXERCISES / PAIR, as_version=4)
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert nb.metadata.kernelspec == {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    info = dict(IPythonKernel.language_info)
    assert {k: v for k, v in nb.metadata.language_info.items() if k != "version"} == \
        {k: v for k, v in info.items() if k != "version"}


def test_opening_and_saving_an_exercise_changes_nothing_that_matters(course):
    path = course / "notebooks" / PAIR
    before = path.read_bytes()
    jupyterlab_save(course, f"notebooks/{PAIR}")
    after = json.loads(path.read_text())
    strip = lambda d: {**d, "metadata": {**d["metadata"], "language_info": {}}, "cells": [  # noqa: E731
        {**c, "metadata": {k: v for k, v in c["metadata"].items() if k != "scrolled"}} for c in d["cells"]]}
    assert strip(after) == strip(json.loads(before)), "saving unchanged rewrote more than Jupyter's own metadata"
    assert mx.main(["--check"]) == 0, "a save with no edit must not make the sync check fail"


def test_the_students_loop_loses_nothing(course, capsys):
    work = course / "work"
    # 1. make lab / make work: the copy
    said = workcopy.sync(course / "notebooks", work)
    mine = work / PAIR
    assert mine.exists() and any("new: work/" in s for s in said)
    # 2. open, save, write an answer, save again: all in the copy
    jupyterlab_save(course, f"work/{PAIR}")
    jupyterlab_save(course, f"work/{PAIR}", edit=write_answer)
    written = mine.read_bytes()
    assert ANSWER in sources(mine)
    # 3. make test's sync check stays green; make exercises leaves the copy alone
    assert mx.main(["--check"]) == 0
    assert mx.main([]) == 0
    assert workcopy.sync(course / "notebooks", work) == [], "nothing changed in the course: nothing to say"
    assert mine.read_bytes() == written
    # 4. the instructor edits the solution and regenerates; the student takes the update
    sol = nbformat.read(course / "solutions" / PAIR, as_version=4)
    sol.cells[1].source += "\n\nA sentence added by the instructor."
    nbformat.write(sol, course / "solutions" / PAIR)
    assert mx.main(["--check"]) == 1
    assert mx.main([]) == 0 and mx.main(["--check"]) == 0
    said = workcopy.sync(course / "notebooks", work)
    updates = sorted(work.glob("makemore4_backprop.update-*.ipynb"))
    assert len(updates) == 1 and any("Your copy is untouched" in s for s in said)
    assert "added by the instructor" in sources(updates[0])
    assert mine.read_bytes() == written, "the student's copy was overwritten by an update"
    assert workcopy.sync(course / "notebooks", work) == [], "an update is offered once, not again on every start"
    assert mine.read_bytes() == written


def test_answers_written_in_notebooks_are_saved_before_regenerating(course, capsys):
    """A student who ignored work/ and wrote in notebooks/ directly: make exercises keeps their answers."""
    jupyterlab_save(course, f"notebooks/{PAIR}", edit=write_answer)
    assert mx.main(["--check"]) == 1
    assert "edited by hand" in capsys.readouterr().out
    assert mx.main([]) == 0
    out = capsys.readouterr().out
    saved = sorted((course / "work" / "saved").glob("*.ipynb"))
    assert len(saved) == 1 and "saved as work/saved/" in out
    assert ANSWER in sources(saved[0]), "the answers are in the saved copy"
    assert ANSWER not in sources(course / "notebooks" / PAIR)
    assert mx.main(["--check"]) == 0
    # regenerating again with nothing edited saves nothing more
    assert mx.main([]) == 0
    assert len(list((course / "work" / "saved").glob("*.ipynb"))) == 1


def test_a_work_copy_that_is_not_a_notebook_is_left_alone(tmp_path):
    ex, work = tmp_path / "notebooks", tmp_path / "work"
    ex.mkdir()
    work.mkdir()
    shutil.copy(mx.EXERCISES / PAIR, ex / PAIR)
    (work / PAIR).write_text("half-written file")
    said = workcopy.sync(ex, work)
    assert (work / PAIR).read_text() == "half-written file"
    assert len(said) == 1 and "untouched" in said[0]
