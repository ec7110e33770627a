"""The generator that turns a solution notebook into its exercise, on notebooks built here."""

import nbformat
import pytest

from makemore_helpers import ExerciseNotWritten, todo
from tools import make_exercises as mx
from tools.make_exercises import MarkerError, make_exercise, stub_code

v4 = nbformat.v4


def body(nb):
    """The cells that come from the solution's own, without the generated badge and set-up cell."""
    return [c for c in nb.cells if not {mx.BADGE_TAG, mx.SETUP_TAG} & set(c.metadata.get("tags", []))]


def solution_nb():
    nb = v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                                   "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}})
    nb.cells = [
        v4.new_markdown_cell("# Title"),
        v4.new_markdown_cell("<!-- SOLUTION ONLY -->\nThis is the worked solution."),
        v4.new_code_cell("from makemore_helpers import todo\nx = 1", execution_count=1,
                         outputs=[v4.new_output("stream", name="stdout", text="hi\n")]),
        v4.new_code_cell("y = 2\n# BEGIN SOLUTION E01: set z to twice y\nz = y * 2\nz += 0\n# END SOLUTION\nprint(z)"),
        v4.new_code_cell("def fold(net):\n    # BEGIN SOLUTION E02: fold the net\n    return net\n    # END SOLUTION"),
        v4.new_code_cell("# BEGIN PLACEHOLDERS E1: the gradients\ndprobs = 1 / probs\ndcounts = dprobs * 2\n"
                         "dcounts += 1\nda, db = 1, 2\ndprobs[range(n), Yb] = -1 / n\nnet.layer.w = 0\nif True:\n    dinner = 3\n# END PLACEHOLDERS\ncheck()"),
        v4.new_code_cell("# SOLUTION ONLY\nassert z == 4"),
        v4.new_markdown_cell("<!-- ANSWER E01 -->\nBecause the weights are zero."),
    ]
    return nb


def test_generates_stubs_placeholders_and_answers():
    sol = solution_nb()
    before = nbformat.writes(sol)
    ex = make_exercise(sol)
    assert nbformat.writes(sol) == before, "the solution is not modified"
    src = [c.source for c in body(ex)]
    assert src[0] == "# Title"
    assert "worked solution" not in "".join(src), "SOLUTION ONLY markdown is dropped"
    assert src[2] == "y = 2\n# YOUR CODE HERE (E01): set z to twice y\ntodo('E01')\nprint(z)"
    assert src[3] == "def fold(net):\n    # YOUR CODE HERE (E02): fold the net\n    todo('E02')"
    assert src[4] == ("# YOUR CODE HERE (E1): the gradients\ndprobs = ...\ndcounts = ...\n"
                      "da = ...\ndb = ...\nnet = ...\ncheck()"), "subscript indices are read, not assigned"
    assert not any("assert z == 4" in s for s in src), "SOLUTION ONLY code is dropped"
    assert src[-1].startswith("**Your answer (E01).**") and "zero" not in src[-1]
    assert all(c.get("outputs", []) == [] and c.get("execution_count") is None for c in ex.cells if c.cell_type == "code")
    assert "widgets" not in ex.metadata and ex.metadata.kernelspec.name == "python3"
    nbformat.validate(ex)


def _run_cell(source: str, ns: dict, name: str) -> None:
    """exec a cell the way IPython does: its source registered with linecache, so todo() can read its stub line."""
    import linecache

    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    exec(compile(source, name, "exec"), ns)


def test_generated_stub_raises_naming_the_exercise():
    ex = make_exercise(solution_nb())
    ns = {"todo": todo}
    _run_cell(body(ex)[1].source, ns, "<cell-1>")
    with pytest.raises(ExerciseNotWritten, match="E01 is not written yet: set z to twice y"):
        _run_cell(body(ex)[2].source, ns, "<cell-2>")
    _run_cell(body(ex)[3].source, ns, "<cell-3>")
    with pytest.raises(ExerciseNotWritten, match=r"E02 is not written yet: fold the net\. Write it in the body of fold\(\)"):
        ns["fold"](None)


def test_output_is_deterministic():
    assert mx.render(make_exercise(solution_nb())) == mx.render(make_exercise(solution_nb()))


@pytest.mark.parametrize("source, msg", [
    ("# BEGIN SOLUTION E01: x\nx = 1", "has no '# END SOLUTION'"),
    ("x = 1\n# END SOLUTION", "without a matching"),
    ("# BEGIN SOLUTION E01: x\n# BEGIN SOLUTION E02: y\n# END SOLUTION", "inside the block"),
    ("# BEGIN SOLUTION E01: x\nx = 1\n# END PLACEHOLDERS", "closed by"),
    ("# BEGIN PLACEHOLDERS E1: x\nprint(1)\n# END PLACEHOLDERS", "assigns no names"),
    ("# BEGIN PLACEHOLDERS E1: x\nx = (\n# END PLACEHOLDERS", "not valid Python"),
])
def test_malformed_markers_are_named(source, msg):
    with pytest.raises(MarkerError, match=msg):
        stub_code(source, "nb, cell 3")


def test_check_mode_fails_on_a_stale_exercise_and_passes_after_regenerating(tmp_path, monkeypatch, capsys):
    sols, exs = tmp_path / "solutions", tmp_path / "notebooks"
    sols.mkdir()
    monkeypatch.setattr(mx, "SOLUTIONS", sols)
    monkeypatch.setattr(mx, "EXERCISES", exs)
    monkeypatch.setattr(mx, "ROOT", tmp_path)
    nbformat.write(solution_nb(), sols / "lecture.ipynb")
    assert mx.main(["--check"]) == 1, "a missing exercise is out of date"
    assert mx.main([]) == 0
    assert mx.main(["--check"]) == 0
    text = (exs / "lecture.ipynb").read_text()
    (exs / "lecture.ipynb").write_text(text.replace("set z to twice y", "set z to twice y, by hand"))
    assert mx.main(["--check"]) == 1
    assert "OUT OF DATE: notebooks/lecture.ipynb" in capsys.readouterr().out
    assert mx.main([]) == 0 and mx.main(["--check"]) == 0


def test_check_cells_are_read_only_and_figures_travel_with_the_notebook():
    sol = solution_nb()
    check = v4.new_code_cell("m4.check_e1()", metadata={"tags": ["check"]})
    lecture = v4.new_code_cell("x = 1")
    fig = v4.new_markdown_cell("![the algorithm](attachment:fig.png)")
    fig["attachments"] = {"fig.png": {"image/png": "iVBORw0KGgo="}}
    sol.cells += [check, lecture, fig]
    ex = make_exercise(sol)
    assert body(ex)[-3].metadata == {"tags": ["check"], "editable": False, "deletable": False}
    assert "editable" not in body(ex)[-2].metadata, "lecture code stays editable for experiments"
    assert body(ex)[-1].attachments == fig.attachments
    nbformat.validate(ex)


def test_fingerprint_ignores_what_jupyter_rewrites_and_sees_what_a_student_writes():
    ex = make_exercise(solution_nb())
    fp = ex.metadata["makemore"]["fingerprint"]
    assert fp == mx.fingerprint(ex) and not mx.edited(ex)
    ex.metadata["kernelspec"]["display_name"] = "Python 3"
    ex.metadata["language_info"] = {"name": "python", "version": "3.12.1"}
    body(ex)[2].metadata.update(collapsed=True, scrolled=True, execution={"iopub.status.busy": "x"})
    body(ex)[2].execution_count = 7
    assert mx.fingerprint(ex) == fp and not mx.edited(ex)
    body(ex)[2].source = body(ex)[2].source.replace("todo('E01')", "z = y * 2")
    assert mx.edited(ex)


def test_every_notebook_gets_the_badge_and_set_up_cell_from_the_one_address(monkeypatch):
    """Badge first, set-up cell before the first code cell; both from pyproject.toml's address and the version."""
    from tools import course

    ex = make_exercise(solution_nb(), "lec.ipynb")
    assert ex.cells[0].metadata["tags"] == [mx.BADGE_TAG]
    assert "colab.research.google.com/github/" in ex.cells[0].source and ex.cells[0].source.endswith("/notebooks/lec.ipynb)")
    setup = ex.cells[2]
    assert setup.cell_type == "code" and setup.metadata == {"tags": [mx.SETUP_TAG], "editable": False, "deletable": False}
    assert f'HELPERS_VERSION = "{course.version()}"' in setup.source
    assert course.install_requirement() in setup.source and course.install_requirement().endswith(f"@v{course.version()}")
    sol = mx.with_course_cells(solution_nb(), "solutions/lec.ipynb")
    assert sol.cells[0].source.endswith("/solutions/lec.ipynb)")
    sol.cells[2].outputs = [v4.new_output("stream", name="stdout", text="makemore_helpers 0.2.0\n")]
    again = mx.with_course_cells(sol, "solutions/lec.ipynb")
    assert [c.source for c in again.cells].count(setup.source) == 1, "regenerating replaces, never duplicates"
    assert again.cells[2].outputs, "an unchanged set-up cell keeps its stored output"
    monkeypatch.setattr(course, "PYPROJECT", _fork_pyproject(monkeypatch))
    fork = make_exercise(solution_nb(), "lec.ipynb")
    assert "someone/their-fork/blob/teaching/" in fork.cells[0].source
    assert "git+https://github.com/someone/their-fork@v" in fork.cells[2].source


def _fork_pyproject(monkeypatch):
    import tempfile
    from pathlib import Path

    from tools import course

    text = course.PYPROJECT.read_text()
    text = text.replace('Repository = "https://github.com/makemore-exercises/makemore-exercises"',
                        'Repository = "https://github.com/someone/their-fork"').replace('branch = "main"', 'branch = "teaching"')
    path = Path(tempfile.mkdtemp()) / "pyproject.toml"
    path.write_text(text)
    return path
