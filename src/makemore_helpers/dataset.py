"""The vocabulary, the (context -> next character) dataset and the canonical split."""

from __future__ import annotations

import random
from typing import NamedTuple, Sequence

import torch

#: '.' (start and end of a name) is 0, then 'a'..'z' are 1..26.
CHARS = "." + "abcdefghijklmnopqrstuvwxyz"
stoi: dict[str, int] = {ch: i for i, ch in enumerate(CHARS)}
itos: dict[int, str] = {i: ch for ch, i in stoi.items()}
vocab_size = len(CHARS)


def build_dataset(words: Sequence[str], block_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Return X (contexts of ``block_size`` character indices) and Y (the next index).

    Every name contributes one example per letter plus one for the closing '.',
    with the context padded by '.' (0) at the start, as in the lecture.
    """
    if not isinstance(block_size, int) or block_size < 1:
        raise ValueError(f"block_size must be a positive int (the context length), got {block_size!r}")
    if isinstance(words, str):
        raise TypeError("build_dataset takes a list of names, not one string: wrap it as [name]")
    X: list[list[int]] = []
    Y: list[int] = []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            if ch not in stoi:
                raise ValueError(
                    f"name {w!r} contains {ch!r}, which is not in the vocabulary '.a-z': "
                    "use lower-case a-z names only"
                )
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    return torch.tensor(X, dtype=torch.long).view(-1, block_size), torch.tensor(Y, dtype=torch.long)


def split_words(words: Sequence[str], seed: int = 42) -> tuple[list[str], list[str], list[str]]:
    """Shuffle a copy of ``words`` with ``random.seed(seed)`` and cut it 80 / 10 / 10.

    The caller's list is left untouched, so running this twice gives the same split
    (the lecture shuffled in place, so re-running its cell reshuffled the data).
    """
    shuffled = list(words)
    random.Random(seed).shuffle(shuffled)  # same order as random.seed(seed); random.shuffle(...)
    n1 = int(0.8 * len(shuffled))
    n2 = int(0.9 * len(shuffled))
    return shuffled[:n1], shuffled[n1:n2], shuffled[n2:]


class Splits(NamedTuple):
    """Train, dev and test tensors of one block size."""

    Xtr: torch.Tensor
    Ytr: torch.Tensor
    Xdev: torch.Tensor
    Ydev: torch.Tensor
    Xte: torch.Tensor
    Yte: torch.Tensor


def make_splits(words: Sequence[str], block_size: int = 3, *, verbose: bool = True) -> Splits:
    """Build train / dev / test tensors from the canonical split of ``words``.

    At block_size 3 on names.txt the shapes are (182625, 3), (22655, 3), (22866, 3).
    """
    tr, dev, te = split_words(words)
    Xtr, Ytr = build_dataset(tr, block_size)
    Xdev, Ydev = build_dataset(dev, block_size)
    Xte, Yte = build_dataset(te, block_size)
    if verbose:
        for name, X, Y in (("train", Xtr, Ytr), ("dev", Xdev, Ydev), ("test", Xte, Yte)):
            print(f"{name:5s} X {tuple(X.shape)}  Y {tuple(Y.shape)}")
    return Splits(Xtr, Ytr, Xdev, Ydev, Xte, Yte)
