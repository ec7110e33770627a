"""The reproduction check: reading results back, judging them, and the README's table."""

import nbformat
import pytest

from tools import reproduce as rp

v4 = nbformat.v4


def nb_with(text: str):
    nb = v4.new_notebook()
    nb.cells = [v4.new_code_cell("record(...)", outputs=[v4.new_output("stream", name="stdout", text=text)])]
    return nb


def test_reads_result_lines_from_stored_outputs(tmp_path):
    nbformat.write(nb_with("loss going down\n[result] m9.dev_loss = 2.1080\n[result] m9.diff = 9.10e-10\n"), tmp_path / "a.ipynb")
    assert rp.read_results([tmp_path / "a.ipynb"]) == {"m9.dev_loss": 2.108, "m9.diff": 9.1e-10}


@pytest.mark.parametrize("check, ref, tol, ours, ok", [
    ("~", 2.823, 0.01, 2.830, True), ("~", 2.823, 0.01, 2.84, False),
    ("<=", 2.08, 0, 2.07, True), ("<=", 2.08, 0, 2.09, False),
    (">=", 1.5, 0, 1.6, True), (">=", 1.5, 0, 1.4, False),
    ("info", 0, 0, 5.0, True), ("~", 1, 1, None, False),
])
def test_row_checks(check, ref, tol, ours, ok):
    assert rp.Row("k", "what", "", ref, check, tol, ours).passed is ok


def test_bad_reference_row_names_its_line(tmp_path):
    ref = tmp_path / "numbers.csv"
    ref.write_text("key,what,lecture,reference,check,tolerance\nm9.a,a,,1,~,0.1\nm9.b,b,,x,~,0.1\n")
    with pytest.raises(SystemExit, match=r"numbers.csv:3: bad row"):
        rp.read_reference(ref)
    ref.write_text("key,what,lecture,reference,check,tolerance\nm9.a,a,,1,==,0.1\n")
    with pytest.raises(SystemExit, match="check must be one of"):
        rp.read_reference(ref)


def test_table_marks_failures_and_missing():
    rows = [rp.Row("m9.a", "a loss", "2.17", 2.17, "~", 0.03, 2.18), rp.Row("m9.b", "b", "", 1.5, ">=", 0, None)]
    text = rp.table(rows)
    assert "pass" in text and "FAIL" in text and "missing" in text
    md = rp.table(rows, markdown=True)
    assert md.splitlines()[0].startswith("| number") and "`m9.a`" in md


def test_reference_table_is_well_formed_and_every_key_is_recorded():
    rows = rp.read_reference()
    keys = [r.key for r in rows]
    assert len(keys) == len(set(keys)), "a key appears twice in reference/numbers.csv"
    solutions = sorted((rp.ROOT / "solutions").glob("*.ipynb"))
    recorded = set()
    for path in solutions:
        src = "".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        recorded |= {k for k in keys if f'"{k}"' in src or f"'{k}'" in src}
    assert set(keys) == recorded, f"reference keys no solution records: {sorted(set(keys) - recorded)}"


def test_stored_solution_outputs_pass_the_reference_table_and_readme_matches():
    """The committed full-run outputs hold every reference number, and the README shows exactly them."""
    rows = rp.read_reference()
    results = rp.read_results(sorted((rp.ROOT / "solutions").glob("*.ipynb")))
    for r in rows:
        r.ours = results.get(r.key)
    failed = [f"{r.key} = {rp.fmt(r.ours)} (expected {r.rule})" for r in rows if r.check != "info" and not r.passed]
    assert not failed, "stored outputs fail the reference table: " + "; ".join(failed) + " -- run `make reproduce`"
    readme = rp.README.read_text()
    assert rp.table(rows, markdown=True) in readme, "README's results table is stale: run `make reproduce` (or tools/reproduce.py --no-run)"


def test_notebooks_run_side_by_side_at_full_settings_and_failures_are_named(tmp_path, monkeypatch):
    monkeypatch.setenv("MAKEMORE_SCALE", "0.01")  # reproduction must ignore it: full settings only
    code = "import os\nprint('scale', os.environ.get('MAKEMORE_SCALE'), 'threads', os.environ.get('OMP_NUM_THREADS'))"
    paths = []
    for name in ("a", "b", "c"):
        nbformat.write(v4.new_notebook(cells=[v4.new_code_cell(code)]), tmp_path / f"{name}.ipynb")
        paths.append(tmp_path / f"{name}.ipynb")
    seconds = rp.run_notebooks(paths, jobs=2, last={"c.ipynb": 100.0})
    assert set(seconds) == {"a.ipynb", "b.ipynb", "c.ipynb"}
    for p in paths:
        assert nbformat.read(p, as_version=4).cells[0].outputs[0].text == "scale None threads 1\n"
    nbformat.write(v4.new_notebook(cells=[v4.new_code_cell("1/0")]), tmp_path / "bad.ipynb")
    with pytest.raises(SystemExit, match="bad.ipynb"):
        rp.run_notebooks([paths[0], tmp_path / "bad.ipynb"], jobs=2, last={})
