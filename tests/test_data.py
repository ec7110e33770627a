"""load_words: where it looks, the download path, and one clear message per bad case."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from makemore_helpers import DataError, load_words
from makemore_helpers.data import ENV_VAR, SHA256, find_words_file, sha256_of

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "names.txt"


@pytest.fixture(scope="session")
def shared_copy() -> Path:
    """The real names.txt: $MAKEMORE_DATA (CI points it at the shared copy), ../shared, or data/ (downloaded)."""
    import os

    if os.environ.get(ENV_VAR) or SHARED.is_file():
        return Path(os.environ.get(ENV_VAR) or SHARED)
    return find_words_file()  # data/names.txt, downloaded on first use (as on GitHub Actions)


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.fixture(scope="module")
def server(tmp_path_factory, shared_copy):
    """An HTTP server on 127.0.0.1 serving the real file, a corrupted copy and nothing else."""
    root = tmp_path_factory.mktemp("www")
    shutil.copy(shared_copy, root / "names.txt")
    data = bytearray(shared_copy.read_bytes())
    data[100] = ord("q") if data[100] != ord("q") else ord("z")  # still a-z, so only the hash can tell
    (root / "corrupt.txt").write_bytes(bytes(data))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_the_shared_copy_is_the_canonical_file(shared_copy):
    assert sha256_of(shared_copy) == SHA256
    words = load_words(shared_copy)
    assert len(words) == 32033
    assert words[:3] == ["emma", "olivia", "ava"]
    assert max(map(len, words)) == 15


def test_explicit_path_beats_env_and_data_dir(tmp_path, monkeypatch, shared_copy):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "nowhere.txt"))
    assert len(load_words(shared_copy)) == 32033


def test_env_var_is_used(monkeypatch, shared_copy, tmp_path):
    monkeypatch.setenv(ENV_VAR, str(shared_copy))
    assert len(load_words(data_dir=tmp_path)) == 32033
    assert not (tmp_path / "names.txt").exists()


def test_data_dir_copy_is_used_without_download(no_env, tmp_path, shared_copy):
    shutil.copy(shared_copy, tmp_path / "names.txt")
    words = load_words(data_dir=tmp_path, url="http://127.0.0.1:9/unreachable")
    assert len(words) == 32033


def test_downloads_into_data_dir_when_missing(no_env, tmp_path, server):
    words = load_words(data_dir=tmp_path, url=f"{server}/names.txt")
    assert len(words) == 32033
    assert sha256_of(tmp_path / "names.txt") == SHA256
    # a second call finds the downloaded copy and does not need the server
    assert load_words(data_dir=tmp_path, url="http://127.0.0.1:9/unreachable") == words


def test_corrupt_download_is_refused_and_leaves_no_file(no_env, tmp_path, server):
    with pytest.raises(DataError, match="expected sha256") as err:
        load_words(data_dir=tmp_path, url=f"{server}/corrupt.txt")
    assert "names.txt" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_offline_and_no_file_says_where_to_put_it(no_env, tmp_path, server):
    with pytest.raises(DataError) as err:
        load_words(data_dir=tmp_path, url=f"{server}/missing.txt")  # a 404, like being offline
    msg = str(err.value)
    assert "could not be downloaded" in msg and str(tmp_path / "names.txt") in msg and ENV_VAR in msg
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(DataError, match="could not be downloaded"):
        load_words(data_dir=tmp_path, url="http://127.0.0.1:9/names.txt")  # nothing listens there


def test_corrupt_local_file_names_the_checksum(no_env, tmp_path, shared_copy):
    bad = tmp_path / "names.txt"
    bad.write_text(shared_copy.read_text().replace("emma", "emmy", 1))
    with pytest.raises(DataError, match=r"sha256 .* expected .*Delete it"):
        load_words(bad)


def test_empty_file(tmp_path):
    empty = tmp_path / "names.txt"
    empty.write_text("")
    with pytest.raises(DataError, match="is empty"):
        load_words(empty)


@pytest.mark.parametrize("line", ["Emma", "mary-jane", "zoë", "ann ", ""])
def test_line_outside_a_to_z_names_the_line(tmp_path, line):
    path = tmp_path / "names.txt"
    path.write_text(f"emma\nolivia\n{line}\nava\n")
    with pytest.raises(DataError, match=r"line 3: .* not a lower-case a-z name"):
        load_words(path)


def test_missing_explicit_path(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_words(tmp_path / "nope.txt")


def test_own_word_list_without_hash(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("ab\ncd\n")
    assert load_words(path, check_hash=False) == ["ab", "cd"]


def test_outside_a_clone_names_txt_goes_to_the_users_cache_folder(monkeypatch, tmp_path):
    """Installed from a wheel (Colab), there is no data/ of a clone: the download goes to ~/.cache/makemore."""
    import pooch

    from makemore_helpers import data

    assert data._data_dir() == data.REPO_ROOT / "data", "in the clone, data/ as always"
    monkeypatch.setattr(data, "REPO_ROOT", tmp_path / "site-packages")
    assert data._data_dir() == Path(pooch.os_cache("makemore"))
