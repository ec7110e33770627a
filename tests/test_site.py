"""The course's site (`make site`): every notebook a page with its stored outputs, nothing broken.

Marked ``site``: the test command leaves it out (it needs requirements-site.txt); `make test-site`
runs it, and so does CI (.ci/run), as a step of its own. The page is also opened in headless
Chromium where one is installed (CI installs Debian's chromium), to see it as a reader would.
"""

from __future__ import annotations

import html.parser
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tools import course

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.site


class Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.images, self.details = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "img" and a.get("src"):
            self.images.append(a["src"])
        if tag == "details":
            self.details.append(a)


@pytest.fixture(scope="module")
def site() -> Path:
    r = subprocess.run([sys.executable, "-m", "tools.site"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "WARNING" not in r.stderr + r.stdout, [l for l in (r.stderr + r.stdout).splitlines() if "WARNING" in l]
    return ROOT / "_site" / "html"


def notebooks() -> list[str]:
    return sorted(f"{d}/{p.name}" for d in ("notebooks", "solutions") for p in (ROOT / d).glob("*.ipynb"))


def parse(page: Path) -> Refs:
    refs = Refs()
    refs.feed(page.read_text(encoding="utf-8"))
    return refs


def test_every_notebook_is_a_page_with_a_colab_button(site):
    repo, branch = course.repository()
    for nb in notebooks():
        page = site / nb.replace(".ipynb", ".html")
        assert page.is_file(), f"{nb} has no page in the site"
        text = page.read_text(encoding="utf-8")
        assert f"https://colab.research.google.com/github/{repo}/blob/{branch}/{nb}" in text, f"{nb}: no Colab launch button"


def test_the_landing_page_holds_the_lecture_table(site):
    text = (site / "intro.html").read_text(encoding="utf-8")
    for lec in course.LECTURES:
        if (ROOT / "solutions" / f"{lec.name}.ipynb").exists():
            assert lec.title.split(":")[0] in text and f'href="notebooks/{lec.name}.html"' in text, lec.name


def test_solution_pages_show_their_stored_outputs_and_hints_stay_collapsed(site):
    page = site / "solutions" / "makemore1_bigram.html"
    refs = parse(page)
    assert any(src.startswith("../_images/") for src in refs.images), "no stored figure on the page"
    assert "[result] m1.count.nll = " in page.read_text(encoding="utf-8"), "the stored outputs are not on the page"
    assert refs.details and all("open" not in d for d in refs.details), "hints must be collapsed"


def test_no_image_is_missing_and_no_local_link_is_broken(site):
    broken = []
    for page in site.rglob("*.html"):
        refs = parse(page)
        for src in refs.images:
            if src.startswith("data:"):
                continue
            assert not urlsplit(src).scheme, f"{page.relative_to(site)} shows a remote image {src}: it would not show offline"
            if not (page.parent / unquote(urlsplit(src).path)).is_file():
                broken.append(f"{page.relative_to(site)}: image {src}")
        for href in refs.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("#", "mailto:")) or not parts.path:
                continue
            if not (page.parent / unquote(parts.path)).exists():
                broken.append(f"{page.relative_to(site)}: link {href}")
    assert not broken, "\n".join(broken[:20])


def test_a_page_seen_in_headless_chromium(site, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium); CI installs it")
    page = (site / "solutions" / "makemore4_backprop.html").as_uri()
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(flags + ["--dump-dom", page], capture_output=True, text=True, timeout=120).stdout
    assert "becoming a backprop ninja" in dom and "colab.research.google.com" in dom, "the page did not render"
    shot = tmp_path / "page.png"
    subprocess.run(flags + ["--window-size=1280,1600", f"--screenshot={shot}", page], capture_output=True, timeout=120)
    from PIL import Image, ImageStat

    img = Image.open(shot).convert("L")
    assert img.size == (1280, 1600)
    assert ImageStat.Stat(img).stddev[0] > 20, "the screenshot is blank: the page did not draw"
    keep = os.environ.get("MAKEMORE_SITE_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)
