"""The vocabulary, build_dataset and the canonical split."""

import pytest
import torch

from makemore_helpers import build_dataset, itos, load_words, make_splits, split_words, stoi, vocab_size


@pytest.fixture(scope="module")
def words():
    return load_words()


def test_vocabulary():
    assert vocab_size == 27 and stoi["."] == 0 and stoi["a"] == 1 and stoi["z"] == 26
    assert all(itos[i] == ch for ch, i in stoi.items())


def test_build_dataset_on_one_name():
    X, Y = build_dataset(["emma"], 3)
    assert X.tolist() == [[0, 0, 0], [0, 0, 5], [0, 5, 13], [5, 13, 13], [13, 13, 1]]
    assert Y.tolist() == [5, 13, 13, 1, 0]
    assert X.dtype == Y.dtype == torch.long


def test_build_dataset_empty_list_keeps_the_block_shape():
    X, Y = build_dataset([], 4)
    assert X.shape == (0, 4) and Y.shape == (0,)


@pytest.mark.parametrize("bad", [0, -1, 2.5, "3"])
def test_bad_block_size(bad):
    with pytest.raises(ValueError, match="block_size must be a positive int"):
        build_dataset(["emma"], bad)


def test_bad_character_names_the_word():
    with pytest.raises(ValueError, match=r"'Emma' contains 'E'"):
        build_dataset(["Emma"], 3)


def test_a_string_instead_of_a_list():
    with pytest.raises(TypeError, match="list of names"):
        build_dataset("emma", 3)


def test_canonical_split(words):
    original = list(words)
    tr, dev, te = split_words(words)
    assert words == original, "the caller's list must not be shuffled"
    assert (len(tr), len(dev), len(te)) == (25626, 3203, 3204)
    assert tr[:5] == ["yuheng", "diondre", "xavien", "jori", "juanluis"]
    assert split_words(words) == (tr, dev, te), "calling it twice gives the same split"


def test_shapes_at_block_size_3(words):
    s = make_splits(words, 3, verbose=False)
    assert s.Xtr.shape == (182625, 3) and s.Xdev.shape == (22655, 3) and s.Xte.shape == (22866, 3)
    assert s.Ytr.shape == (182625,)
    s2 = make_splits(words, 3, verbose=False)
    assert all(torch.equal(a, b) for a, b in zip(s, s2))
