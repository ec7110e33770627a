"""tools/execute.py writes stored outputs that read as documents: final progress, no timing metadata."""

import nbformat

from tools.execute import execute, finish_progress_bars, progress_text

v4 = nbformat.v4


def test_a_refreshed_notebook_shows_final_progress_and_no_timings(tmp_path):
    path = tmp_path / "nb.ipynb"
    nb = v4.new_notebook(cells=[
        v4.new_code_cell("from tqdm.auto import trange\nfor i in trange(300):\n    pass"),
        v4.new_code_cell("print('hello')", metadata={"execution": {"iopub.status.busy": "2026-01-01T00:00:00Z"}}),
    ])
    nbformat.write(nb, path)
    execute(path, quiet=True)
    out = nbformat.read(path, as_version=4)
    assert all("execution" not in c.metadata for c in out.cells), "per-cell timing metadata was written"
    bars = [o.data["text/plain"] for o in out.cells[0].outputs if o.output_type == "display_data"]
    assert len(bars) == 1 and bars[0].startswith("100%|██████████| 300/300 ["), bars
    assert "widgets" not in out.metadata, "widget state (new random ids on every run) is not stored"
    assert out.cells[1].outputs[0].text == "hello\n"


def test_progress_text_is_rebuilt_from_widget_state():
    state = {
        "box": {"state": {"_model_name": "HBoxModel", "children": ["IPY_MODEL_l", "IPY_MODEL_p", "IPY_MODEL_r"]}},
        "l": {"state": {"_model_name": "HTMLModel", "value": " 50%"}},
        "p": {"state": {"_model_name": "FloatProgressModel", "value": 5.0, "max": 10.0}},
        "r": {"state": {"_model_name": "HTMLModel", "value": "\u20075/10\u2007[00:01&lt;00:01,\u20075.00it/s]"}},
    }
    assert progress_text(state, "box") == " 50%|█████     | 5/10 [00:01<00:01, 5.00it/s]"
    assert progress_text(state, "l") is None, "not a progress bar: left alone"
    nb = v4.new_notebook(metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {"state": state}}})
    nb.cells = [v4.new_code_cell(outputs=[v4.new_output(
        "display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "box"}, "text/plain": "  0%|"})])]
    assert finish_progress_bars(nb) == 1
    assert nb.cells[0].outputs[0].data == {"text/plain": " 50%|█████     | 5/10 [00:01<00:01, 5.00it/s]"}
    assert "widgets" not in nb.metadata
