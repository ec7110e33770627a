"""Every figure says what it shows: alt text on each image a solution stores, and on each markdown image.

nbconvert (which warns about images without it), Jupyter Book and screen readers read the alt text
of a figure output from the output's metadata; a solution cell that draws a figure holds it in its
``alt`` metadata, which tools/execute.py copies into every image the cell draws, and the generator
keeps in the exercise, so a student's own run of the cell describes its figure too.
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "solutions").glob("*.ipynb")) + sorted((ROOT / "notebooks").glob("*.ipynb"))
IMAGE = ("image/png", "image/jpeg", "image/svg+xml")


@pytest.mark.parametrize("path", sorted((ROOT / "solutions").glob("*.ipynb")), ids=lambda p: p.name)
def test_every_stored_figure_has_alt_text(path):
    nb = nbformat.read(path, as_version=4)
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            for mime in IMAGE:
                if mime in out.get("data", {}):
                    alt = out.get("metadata", {}).get(mime, {}).get("alt", "")
                    assert len(alt) > 20, f"{path.name}, cell {k}: a figure without alt text (set the cell's 'alt' metadata)"
                    assert alt == cell.metadata.get("alt"), f"{path.name}, cell {k}: the figure's alt text is not its cell's"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_markdown_image_has_alt_text(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for alt in re.findall(r"!\[([^\]]*)\]\(", cell.source):
                assert alt.strip(), f"{path.name}: an image with empty alt text in {cell.source[:60]!r}"


def test_exercises_keep_the_figure_cells_alt_text():
    for sol in sorted((ROOT / "solutions").glob("*.ipynb")):
        alts = {c.metadata["alt"] for c in nbformat.read(sol, as_version=4).cells if c.metadata.get("alt")}
        ex = nbformat.read(ROOT / "notebooks" / sol.name, as_version=4)
        kept = {c.metadata["alt"] for c in ex.cells if c.metadata.get("alt")}
        # a figure drawn only in a SOLUTION ONLY cell has no cell in the exercise
        assert kept <= alts and (kept or not alts), f"{sol.name}: the exercise lost its figures' alt text"
