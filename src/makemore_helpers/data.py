"""Find, fetch and verify ``names.txt``, the makemore data set.

The file is never committed to the repository. :func:`load_words` looks for it in
this order and uses the first place that has it:

1. the ``path`` argument;
2. the environment variable ``MAKEMORE_DATA`` (CI points it at a shared copy);
3. ``data/names.txt`` in the repository (outside a clone, where the helpers were installed
   from a wheel as on Colab: ``names.txt`` in the user's cache folder, ``~/.cache/makemore``);
4. otherwise it downloads the file from its canonical address into that folder,
   checking its sha256 with pooch, so that a failed or corrupt download leaves no file.

Every problem (offline with no file, a checksum mismatch, an empty file, a line that
is not a lower-case name) raises :class:`DataError` with one message that names the
problem and says how to fix it.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

DATA_URL = "https://raw.githubusercontent.com/karpathy/makemore/master/names.txt"
SHA256 = "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d"
ENV_VAR = "MAKEMORE_DATA"
FILENAME = "names.txt"
REPO_ROOT = Path(__file__).resolve().parents[2]


def _data_dir() -> Path:
    """data/ of the clone the helpers run from, or the user's cache folder where they were pip-installed."""
    if (REPO_ROOT / "pyproject.toml").is_file() and (REPO_ROOT / "solutions").is_dir():
        return REPO_ROOT / "data"
    import pooch

    return Path(pooch.os_cache("makemore"))


DATA_DIR = _data_dir()

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


class DataError(RuntimeError):
    """names.txt is missing, unreadable or not the file the series expects."""


def _how_to_fix(data_dir: Path) -> str:
    return (
        f"Download {DATA_URL} by hand and save it as {data_dir / FILENAME}, "
        f"or set {ENV_VAR}=/path/to/names.txt."
    )


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of the file at ``path``."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_words_file(path: Path, *, check_hash: bool = True) -> list[str]:
    """Read ``path`` as a names file and return its words, or raise :class:`DataError`.

    The file must be non-empty, hold one lower-case a-z name per line and, when
    ``check_hash`` is true, have the sha256 of the canonical ``names.txt``.
    """
    path = Path(path)
    fix = _how_to_fix(path.parent)
    if not path.is_file():
        raise DataError(f"{path} does not exist or is not a file. {fix}")
    text = path.read_text(encoding="utf-8", errors="replace")
    words = text.splitlines()
    if not text.strip():
        raise DataError(f"{path} is empty. Delete it and run again to download it afresh. {fix}")
    for lineno, word in enumerate(words, start=1):
        if not word or not set(word) <= _LETTERS:
            raise DataError(
                f"{path}, line {lineno}: {word!r} is not a lower-case a-z name; every line of "
                f"names.txt holds one. The file is corrupt or not names.txt: delete it and run "
                f"again to download it afresh. {fix}"
            )
    if check_hash:
        digest = sha256_of(path)
        if digest != SHA256:
            raise DataError(
                f"{path} has sha256 {digest}, expected {SHA256}: it is corrupt or a different "
                f"version of names.txt. Delete it and run again to download it afresh. {fix}"
            )
    return words


def download(url: str = DATA_URL, data_dir: Path | None = None) -> Path:
    """Download names.txt from ``url`` into ``data_dir`` (default ``data/``), sha256-checked.

    Pooch writes to a temporary file and moves it into place only once the hash
    matches, so a failed or corrupt download leaves nothing behind.
    """
    import pooch  # imported here: loading a local file needs no network stack

    data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
    logging.getLogger("pooch").setLevel(logging.WARNING)
    try:
        return Path(
            pooch.retrieve(
                url, known_hash=f"sha256:{SHA256}", fname=FILENAME, path=data_dir, progressbar=False
            )
        )
    except ValueError as err:  # pooch's hash mismatch
        raise DataError(
            f"The file downloaded from {url} does not have the expected sha256 {SHA256}, so it "
            f"was discarded ({err}). The address may serve a different file. {_how_to_fix(data_dir)}"
        ) from None
    except Exception as err:  # offline, DNS failure, HTTP error, ...
        raise DataError(
            f"names.txt is not on this machine and could not be downloaded from {url} "
            f"({type(err).__name__}: {err}). Connect to the internet and run again, or: "
            f"{_how_to_fix(data_dir)}"
        ) from None


def find_words_file(
    path: str | os.PathLike[str] | None = None,
    *,
    url: str = DATA_URL,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Return the path of names.txt, downloading it if no local copy is found."""
    if path is not None:
        return Path(path)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    folder = Path(data_dir) if data_dir is not None else DATA_DIR
    local = folder / FILENAME
    if local.exists():
        return local
    return download(url, folder)


def load_words(
    path: str | os.PathLike[str] | None = None,
    *,
    url: str = DATA_URL,
    data_dir: str | os.PathLike[str] | None = None,
    check_hash: bool = True,
) -> list[str]:
    """Return the 32,033 names of names.txt, one string each, in file order.

    ``path`` overrides where to look; ``url`` and ``data_dir`` say where to download
    from and to (tests point them at a local server and a temporary folder). Set
    ``check_hash=False`` to load a word list of your own from ``path``.
    """
    return check_words_file(find_words_file(path, url=url, data_dir=data_dir), check_hash=check_hash)
