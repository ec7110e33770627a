"""Self-checks for makemore 1 (bigrams), one call per check cell of the notebook.

- :func:`check_e01`: the trigram table of all names and its loss, against the bigram's;
- :func:`check_e02`: the 80 / 10 / 10 split of the words (a copy shuffled, disjoint and complete), then
  the bigram and trigram fitted on the training words only and their losses on every split;
- :class:`TestSet` and :func:`check_e03`: the smoothing sweep, the strength chosen on dev, the test set
  evaluated once;
- :func:`check_e04`: logits by indexing rows of ``W``, identical to ``F.one_hot(xs) @ W``;
- :func:`check_e05`: ``F.cross_entropy`` against the lecture's manual loss.

A probability table of an n-gram model is a tensor of shape ``(27,) * n``: ``P[a, b, c]`` is the
probability of ``c`` after the context ``a b``, so every row ``P[a, b]`` sums to 1. A table of shape
``(27 ** (n - 1), 27)`` (a net's outputs for every context, in order) is accepted too. The reference
numbers are computed here from ``names.txt`` in float64, never typed in.

Two forms of a right answer need care:

- **One start marker.** A trigram counted on ``'.' + name + '.'`` (the form most answers use) has no
  context ``..``: it predicts every letter after the first and the end of each name, not the first
  letter. It is a right trigram over fewer predictions. Such a table is recognised by its empty (or
  uniform) row ``P['.', '.']``, and it is judged on the predictions it makes, against the bigram on the
  same predictions.
- **A float32 running sum.** The lecture's loss loop (``log_likelihood += torch.log(prob)`` over every
  n-gram, then divided) adds 228,146 float32 numbers one at a time; the sum rounds by about 6e-4 of the
  mean. For a float32 table the check measures that rounding on the same terms in the same order
  (numpy's float32 ``cumsum`` adds them one at a time, as the loop does) and accepts a loss within
  twice it of the exact mean.

Known wrong forms of a loss (a sum, the sign, another log base, the wrong predictions, a net's loss
with its penalty) are one table per check, named with :func:`~makemore_helpers.checks.closest_form`.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from typing import Any, Callable, Mapping, NamedTuple, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from makemore_helpers.checks import closest_form, fail, number, passed
from makemore_helpers.data import load_words
from makemore_helpers.dataset import build_dataset, itos, split_words, stoi, vocab_size

SPLITS = ("train", "dev", "test")
MODELS = ("bigram", "trigram")
LOW_PRECISION = (torch.float32, torch.float16, torch.bfloat16)


# ---------------------------------------------------------------------------- shared helpers

def _number(exercise: str, name: str, value: Any) -> float:
    return number(exercise, name, value, what="one number, the mean negative log-likelihood (.mean(), then .item())")


def _table(exercise: str, name: str, P: Any, n: int) -> torch.Tensor:
    """The n-gram table ``P`` with shape ``(27,) * n`` (its own dtype), or a CheckFailed naming the problem."""
    if P is None or P is Ellipsis:
        fail(exercise, f"{name} is not written yet")
    if not isinstance(P, torch.Tensor):
        fail(exercise, f"{name} is a {type(P).__name__}; it should be a tensor of probabilities of shape {(27,) * n}")
    if not P.is_floating_point():
        fail(exercise, f"{name} has dtype {P.dtype}: these are counts, not probabilities; divide by the row sums "
                       "(convert with .float() or .double() first)")
    shape = (vocab_size,) * n
    if tuple(P.shape) == (vocab_size ** (n - 1), vocab_size):
        P = P.reshape(shape)
    if tuple(P.shape) != shape:
        orders = {(vocab_size,) * k: k for k in (1, 2, 3, 4)}
        what = (f"the table of a {orders[tuple(P.shape)]}-gram model" if tuple(P.shape) in orders
                else "not an n-gram table")
        fail(exercise, f"{name} has shape {tuple(P.shape)} ({what}); the {n}-gram table is {shape}: one row of 27 "
                       f"probabilities of the next character for each of the {vocab_size ** (n - 1)} contexts")
    return P.detach().cpu()


def _one_marker(P: torch.Tensor) -> bool:
    """A trigram counted with ONE start marker ('.' + name + '.'): its row '..' was never fitted.

    That row is then empty, 0/0 or uniform (a count table), or left at its initial values (a net): it
    predicts the names' first letters no better than uniform guessing (ln 27), while a row fitted to them
    (counted on '..' + name + '.') does much better (about 2.94).
    """
    if P.dim() != 3:
        return False
    start = P[0, 0].to(torch.float64)
    if torch.isnan(start).any() or (start <= 0).all():
        return True
    return -start[_first_letters()].clamp_min(1e-300).log().mean().item() >= math.log(vocab_size) - 1e-6


@lru_cache(maxsize=1)
def _first_letters() -> torch.Tensor:
    """The first letter of every name, as indices."""
    return torch.tensor([stoi[w[0]] for w in _all_words() if w])


def _ngrams(words: tuple[str, ...], n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``build_dataset(words, n - 1)``, vectorised: the same contexts and next characters, in the same order."""
    text = "".join("." * (n - 1) + w + "." for w in words)
    codes = np.frombuffer(text.encode("ascii", "replace"), dtype=np.uint8).astype(np.int64)
    codes = np.where(codes == ord("."), 0, codes - ord("a") + 1)
    if len(codes) and (codes.min() < 0 or codes.max() >= vocab_size):
        return build_dataset(list(words), n - 1)  # a character outside '.a-z': build_dataset names it
    lengths = np.array([len(w) + 1 for w in words], dtype=np.int64)  # predictions per name: its letters and the end
    starts = np.concatenate(([0], np.cumsum(lengths + n - 1)[:-1])) if len(words) else np.zeros(0, np.int64)
    targets = np.repeat(starts + n - 1, lengths) + (np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths))
    X = np.stack([codes[targets - (n - 1) + k] for k in range(n - 1)], axis=1)
    return torch.from_numpy(X), torch.from_numpy(codes[targets])


@lru_cache(maxsize=64)
def _data(words: tuple[str, ...], n: int, one_marker: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Contexts (n - 1 characters, '.'-padded) and next characters of ``words``: the n-grams.

    With ``one_marker`` (trigrams only), the predictions of each name's first letter (context '..')
    are left out, as counting on '.' + name + '.' does.
    """
    if one_marker:
        X, Y = _data(words, n)
        keep = ~(X == 0).all(1)
        return X[keep], Y[keep]
    return _ngrams(words, n)


@lru_cache(maxsize=64)
def _counts(words: tuple[str, ...], n: int, one_marker: bool = False) -> torch.Tensor:
    """The n-gram counts of ``words`` in float64, shape ``(27,) * n``."""
    X, Y = _data(words, n, one_marker)
    N = torch.zeros((vocab_size,) * n, dtype=torch.float64)
    N.index_put_((*X.T, Y), torch.ones(len(Y), dtype=torch.float64), accumulate=True)
    return N


def _smoothed(N: torch.Tensor, alpha: float) -> torch.Tensor:
    P = N + alpha
    return P / P.sum(-1, keepdim=True)


def _logp(P: torch.Tensor, words: tuple[str, ...], one_marker: bool | None = None) -> torch.Tensor:
    """log P of every n-gram of ``words`` in float64 (one start marker if the table has one)."""
    one = _one_marker(P) if one_marker is None else one_marker
    X, Y = _data(words, P.dim(), one)
    return P.to(torch.float64)[(*X.T, Y)].log()


def _loss(P: torch.Tensor, words: tuple[str, ...], one_marker: bool | None = None) -> float:
    """Mean negative log-likelihood of the table ``P`` over every n-gram of ``words`` it predicts."""
    return -_logp(P, words, one_marker).mean().item()


class _Score(NamedTuple):
    """A table's exact loss over some predictions, and how far a float32 running sum of it rounds."""

    loss: float
    n: int
    drift: float  # |float32 running sum / n - exact mean|, 0 for a float64 table
    tol: float  # what a stated loss may differ from ``loss`` by


def _score(P: torch.Tensor, words: tuple[str, ...], one_marker: bool | None = None) -> _Score:
    """The exact mean NLL of ``P`` and the tolerance a float32 running sum of the same terms needs."""
    one = _one_marker(P) if one_marker is None else one_marker
    X, Y = _data(words, P.dim(), one)
    exact = -P.to(torch.float64)[(*X.T, Y)].log().mean().item()
    drift = 0.0
    if P.dtype in LOW_PRECISION and math.isfinite(exact) and len(Y):
        # the lecture's loop: log of each float32 probability, added one at a time into a float32 sum
        terms = P.to(torch.float32)[(*X.T, Y)].log().numpy()
        drift = abs(-float(np.cumsum(terms, dtype=np.float32)[-1]) / len(Y) - exact)
    return _Score(exact, len(Y), drift, max(1e-4, 2 * drift))


def _all_words() -> tuple[str, ...]:
    return tuple(load_words())


def _from_counts(P: torch.Tensor, words: tuple[str, ...], one_marker: bool) -> bool:
    """Whether ``P`` is a count table of ``words`` with some add-alpha smoothing (not a net's softmax)."""
    return _fitted_alpha(P.to(torch.float64), _counts(words, P.dim(), one_marker)) is not None


def _loss_forms(name: str, score: _Score, P: torch.Tensor, words: tuple[str, ...], one_marker: bool,
                extra: Sequence[tuple[str, Callable[[], Any]]] = ()) -> list[tuple[str, Callable[[], Any]]]:
    """The known wrong forms of a table's loss, most specific first, for :func:`closest_form`.

    A form's value is a number, or a ``(low, high)`` range for a mistake that gives any value in it.
    """
    right = score.loss
    return [
        (f"it is {score.n:,} times too large: the SUM of the negative log-likelihoods; take the mean "
         "(divide by the number of predictions)", lambda: right * score.n),
        ("the sign is flipped: the loss is MINUS the average log-likelihood", lambda: -right),
        ("a log in base 10: use the natural log (.log())", lambda: right / math.log(10)),
        ("a log in base 2: use the natural log (.log())", lambda: right / math.log(2)),
        *extra,
        (f"{name} is above your table's own data loss: a net's loss with its penalty (reg * (W**2).mean()) "
         "added? Report the data loss alone, the average negative log-likelihood",
         lambda: _penalty_range(P, words, one_marker, score)),
    ]


def _penalty_range(P: torch.Tensor, words: tuple[str, ...], one_marker: bool, score: _Score) -> tuple[float, float]:
    """Where a net's loss with a weight penalty lies: above its data loss by up to 1 (never for a count table)."""
    if _from_counts(P, words, one_marker):
        raise ValueError("a count table has no penalty")
    return score.loss + score.tol, score.loss + 1.0


def _matches(score: _Score) -> Callable[[float, Any], bool]:
    """Whether a stated loss equals a form's value, to the tolerance of the loss (scaled with the value)."""
    def matches(got: float, value: Any) -> bool:
        if isinstance(value, tuple):
            return value[0] <= got <= value[1]
        return math.isfinite(value) and abs(got - value) <= score.tol * max(1.0, abs(value) / max(score.loss, 1e-9))
    return matches


def _rounding_note(score: _Score, value: float) -> str:
    """What the passing line says about the difference between the stated loss and the exact mean."""
    diff = abs(value - score.loss)
    if score.drift and diff > 1e-4:
        return (f"your loss is {diff:.1e} from the exact mean {score.loss:.4f}: float32 rounding of a running sum "
                f"(log_likelihood += ...) over {score.n:,} terms, which rounds by {score.drift:.1e} here, so a "
                f"float32 loss is accepted to {score.tol:.1e} (.mean() or float64 gives 1e-6)")
    if score.drift:
        return (f"your loss matches your table {_to(diff)} (a float32 running sum of these {score.n:,} terms "
                f"rounds by {score.drift:.1e}, and would be accepted to {score.tol:.1e})")
    return f"your loss matches your table {_to(diff)} (expect 1e-6 or less)"


def _to(diff: float) -> str:
    return "exactly" if diff == 0 else f"to {diff:.1g}"


def _rows_sum_to_one(exercise: str, name: str, P: torch.Tensor, used: torch.Tensor) -> None:
    """Every row of ``P`` whose context occurs (``used``) is a distribution over the next character."""
    P = P.to(torch.float64)
    rows = P[used]
    sums = rows.sum(-1)
    if torch.isfinite(rows).all() and (rows >= 0).all() and (sums - 1).abs().max() <= 1e-4:
        return
    for d in range(P.dim() - 1):  # normalised over a context dimension instead of the next character?
        s = torch.nansum(P, d)
        if (((s - 1).abs() < 1e-4) | (s == 0)).all() and ((s - 1).abs() < 1e-4).any():
            fail(exercise, f"{name} is normalised over dimension {d} (a context character): {name}.sum({d}) is all "
                           "ones. Divide by the sum over the LAST dimension, the next character: "
                           "N / N.sum(-1, keepdim=True)")
    if not torch.isfinite(rows).all():
        fail(exercise, f"{name} holds nan or inf in a row whose context occurs in the names: a row of zero counts "
                       "divided by its sum of 0 gives nan; smoothing (adding to every count) avoids it")
    if (rows < 0).any():
        fail(exercise, f"{name} holds negative numbers; probabilities are counts divided by their row's sum")
    hint = ("if you smoothed, add to the counts BEFORE dividing by the row sums; adding to the probabilities "
            "afterwards leaves rows that sum to more than 1" if sums.min() > 1 + 1e-4 and sums.max() < 1000 else
            "divide each row of counts by its own sum: N / N.sum(-1, keepdim=True)")
    span = f"{sums.min():.4g}" if math.isclose(sums.min(), sums.max(), rel_tol=1e-6) else \
        f"between {sums.min():.4g} and {sums.max():.4g}"
    fail(exercise, f"the rows of {name} sum to {span}, not 1: {hint}")


def _zero_probability(exercise: str, name: str, P: torch.Tensor, words: tuple[str, ...], one_marker: bool,
                      fix: str) -> None:
    """Fail naming the first n-gram of ``words`` that ``P`` gives probability 0, if any."""
    X, Y = _data(words, P.dim(), one_marker)
    zero = (P.to(torch.float64)[(*X.T, Y)] == 0).nonzero()
    if len(zero):
        k = int(zero[0])
        gram = "".join(itos[int(i)] for i in (*X[k].tolist(), Y[k].item()))
        fail(exercise, f"{name} gives probability 0 to {gram!r}, which occurs in the names, so the loss is inf: {fix}")


# ---------------------------------------------------------------------------- E01

def check_e01(P3: Any, trigram_loss: Any) -> None:
    """E01: ``P3`` (27, 27, 27), the trigram probabilities from all names, and ``trigram_loss``, its mean NLL.

    Read as ``'..' + name + '.'``, every name gives as many trigrams as bigrams (228,146): the first
    letter follows the context ``'..'``. Read as ``'.' + name + '.'`` (one start marker), it gives one
    fewer per name (196,113): the first letter is not predicted, and the fair comparison is the bigram on
    the same predictions.
    """
    P = _table("E01", "P3", P3, 3)
    words = _all_words()
    one = _one_marker(P)
    N3 = _counts(words, 3, one)
    used = N3.sum(-1) > 0
    if (torch.nan_to_num(P[:, 1:][used[:, 1:]][:, 0].to(torch.float64)) == 0).all():
        fail("E01", "P3 never predicts '.' after a letter: the end marker is missing. Add '.' at the end of every "
                    "name, so the model learns where names end")
    _rows_sum_to_one("E01", "P3", P, used)
    _zero_probability("E01", "P3", P, words, one, "count every trigram of every name ("
                      + ("'.' + name + '.')" if one else "'..' + name + '.')"))
    score = _score(P, words, one)
    value = _number("E01", "trigram_loss", trigram_loss)
    all_logp = _logp(P, words, one_marker=False)  # every trigram of '..' + name + '.'
    X, Y = _data(words, 3)
    first = (X == 0).all(1)
    extra = [
        (f"P3 predicts the first letter of every name (from '..'), but trigram_loss leaves those {int(first.sum()):,} "
         "predictions out: score the same trigrams you counted, '..' + name + '.'",
         lambda: -all_logp[~first].mean().item() if not one else math.nan),
        ("P3 was counted with ONE start marker (its row '..' was never counted), but trigram_loss scores the first letters "
         "too (after '..'): score the same trigrams you counted, '.' + name + '.'",
         lambda: -all_logp.mean().item() if one else math.nan),
        ("it leaves out the end marker '.' of every name: it is predicted too",
         lambda: -_logp(P, words, one)[_data(words, 3, one)[1] != 0].mean().item()),
        ("that is the bigram's loss, not P3's", lambda: _loss(_smoothed(_counts(words, 2), 0.0), words)),
        ("that is the loss of the trigram counts with add-one smoothing, not of P3: P3 and trigram_loss come "
         "from different tables", lambda: _loss(_smoothed(N3, 1.0), words, one)),
        ("that is the loss of the unsmoothed trigram counts, not of P3: P3 and trigram_loss come from different "
         "tables", lambda: _loss(_smoothed(N3, 0.0), words, one)),
    ]
    if not abs(value - score.loss) <= score.tol:
        why = closest_form(value, _loss_forms("trigram_loss", score, P, words, one, extra), _matches(score))
        fail("E01", f"trigram_loss is {value:.4f}, but P3's mean negative log-likelihood over the {score.n:,} "
                    f"trigrams it predicts is {score.loss:.4f}: "
                    f"{why or 'compute it as -P3[a, b, c].log().mean() over every trigram of every name'}")
    N2 = _counts(words, 2)
    bigram = _loss(_smoothed(N2, 0.0), words)
    best = _loss(_smoothed(N3, 0.0), words, one)
    add1 = _loss(_smoothed(N3, 1.0), words, one)
    note = _rounding_note(score, value)
    if not one:
        if score.loss >= bigram:
            fail("E01", f"your trigram's loss {score.loss:.4f} is not below the bigram's {bigram:.4f}: counting gives "
                        f"{best:.4f}; a net needs more steps or a higher learning rate")
        passed("E01", f"trigram loss {value:.4f} over the {score.n:,} trigrams, below the bigram's {bigram:.4f}; "
                      f"counting gives {best:.4f} unsmoothed (the lowest any trigram can reach on these names) and "
                      f"{add1:.4f} with add-one; {note}")
        return
    # one start marker: compare with the bigram on the same predictions (every character but the first letters)
    X2, Y2 = _data(words, 2)
    later = X2[:, 0] != 0
    logp2 = _smoothed(N2, 0.0)[X2[:, 0], Y2].log()
    logp2_add1 = _smoothed(N2, 1.0)[X2[:, 0], Y2].log()
    bigram_same, bigram_same_add1 = -logp2[later].mean().item(), -logp2_add1[later].mean().item()
    bigram_first = -logp2[~later].mean().item()
    two = _loss(_smoothed(_counts(words, 3), 0.0), words)
    if score.loss >= bigram_same:
        fail("E01", f"your trigram's loss {score.loss:.4f} is not below the bigram's {bigram_same:.4f} over the same "
                    f"{score.n:,} predictions: counting gives {best:.4f}; a net needs more steps or a higher "
                    "learning rate")
    passed("E01", f"a trigram with ONE start marker ('.' + name + '.'): {score.n:,} trigrams, one per letter after "
                  f"the first plus the end; it does not predict a name's first letter. Compare its loss {value:.4f} "
                  f"with the bigram's on the same {score.n:,} predictions, {bigram_same:.4f} (add-one "
                  f"{bigram_same_add1:.4f}), not with {bigram:.4f}, which also scores the {int((~later).sum()):,} first "
                  f"letters (the bigram's hardest, {bigram_first:.4f}). With two start markers ('..' + name + '.') a "
                  f"trigram predicts every character: {two:.4f} over all {len(Y):,} against the bigram's "
                  f"{bigram:.4f}. Counting gives {best:.4f} unsmoothed here, {add1:.4f} add-one; {note}")


# ---------------------------------------------------------------------------- E02: the split

def _names(exercise: str, name: str, value: Any) -> list[str]:
    if value is None or value is Ellipsis:
        fail(exercise, f"{name} is not written yet")
    if isinstance(value, torch.Tensor):
        fail(exercise, f"{name} is a tensor: split the list of names (words), then build tensors from each part")
    if isinstance(value, str) or not isinstance(value, Sequence) or not all(isinstance(w, str) for w in value):
        fail(exercise, f"{name} should be a list of names (strings), got {type(value).__name__}")
    return list(value)


def _check_split(words: Any, words_tr: Any, words_dev: Any, words_te: Any) -> str:
    """The words cut 80 / 10 / 10 after shuffling a copy, as ``split_words`` does; returns the passing text.

    Checked: ``words`` is still in the file's order (shuffled in place, a re-run cell would reshuffle it),
    the three parts together hold every name exactly as often as ``words`` does (no overlap, nothing
    lost: names.txt has repeated names, so this compares counts, not sets), the sizes are
    int(0.8 n), int(0.9 n) - int(0.8 n) and the rest, and the words were shuffled.
    """
    words = _names("E02", "words", words)
    parts = {"words_tr": _names("E02", "words_tr", words_tr), "words_dev": _names("E02", "words_dev", words_dev),
             "words_te": _names("E02", "words_te", words_te)}
    original = list(_all_words())
    if words != original:
        if Counter(words) == Counter(original):
            fail("E02", "words is no longer in the file's order: it was shuffled in place (random.shuffle(words)). "
                        "Shuffle a copy, shuffled = words[:], so that running the cell again gives the same split "
                        "and later cells still see the names as loaded")
        fail("E02", f"words holds {len(words):,} names, not the {len(original):,} of load_words(): reload it")
    whole = Counter(words)
    together = sum((Counter(p) for p in parts.values()), Counter())
    extra, missing = together - whole, whole - together
    if extra:
        # names.txt repeats some names, so two parts may share a name; a name may not be in them more often than in words
        fail("E02", f"{sum(extra.values()):,} names are in the three parts more often than in words: the slices "
                    "overlap. Cut at two points, [:n1], [n1:n2], [n2:]")
    if missing:
        fail("E02", f"{sum(missing.values()):,} names of words are in no part: the three slices must cover the whole "
                    "shuffled list, [:n1], [n1:n2], [n2:]")
    n = len(words)
    n1, n2 = int(0.8 * n), int(0.9 * n)
    want = {"words_tr": n1, "words_dev": n2 - n1, "words_te": n - n2}
    got = {k: len(v) for k, v in parts.items()}
    if got != want:
        fail("E02", "the parts have " + ", ".join(f"{k} {got[k]:,}" for k in got) + "; an 80 / 10 / 10 split of "
                    f"{n:,} names has " + ", ".join(f"{want[k]:,}" for k in want) +
                    ": n1 = int(0.8 * len(words)), n2 = int(0.9 * len(words))")
    if parts["words_tr"] == words[:n1]:
        fail("E02", "the names were not shuffled: names.txt is ordered (most common names first), so dev and "
                    "test would hold only rare names. Shuffle a copy first, with random.seed(42)")
    same = [list(p) for p in split_words(words)] == [parts["words_tr"], parts["words_dev"], parts["words_te"]]
    return (f"a split of {n:,} names into {n1:,} / {n2 - n1:,} / {n - n2:,}, disjoint and complete, `words` "
            "untouched; " + ("it is the project's split (random.seed(42) on a copy), so your numbers will "
                             "match the solution's" if same else
                             "a different shuffle from the project's (random.seed(42) on a copy): right, "
                             "but your losses will differ a little from the stored ones"))


# ---------------------------------------------------------------------------- E02: models on train only

def _fitted_alpha(P: torch.Tensor, N: torch.Tensor) -> float | None:
    """The alpha with ``P == (N + alpha) / row sums`` on the contexts of ``N``, or None if none fits."""
    P = P.to(torch.float64)
    S = N.sum(-1, keepdim=True).expand_as(N)
    seen = S > 0
    if not seen.any() or not torch.isfinite(P[seen]).all():
        return None
    p, s, c = P[seen], S[seen], N[seen]
    # p = (c + a) / (s + 27 a)  =>  a = (p s - c) / (1 - 27 p), best taken where 1 - 27 p is far from 0
    denom = 1 - vocab_size * p
    ok = denom.abs() > 0.5
    if not ok.any():
        return None
    alpha = max(0.0, ((p * s - c)[ok] / denom[ok]).median().item())
    expected = _smoothed(N, alpha)
    return alpha if torch.allclose(P[seen], expected[seen], rtol=1e-4, atol=1e-7) else None


def _losses_of(losses: Any) -> dict[tuple[str, str], float]:
    """``losses[model, split]`` (or ``losses[model][split]``) as a flat dict of floats."""
    if losses is None or losses is Ellipsis:
        fail("E02", "losses is not written yet")
    if not isinstance(losses, Mapping):
        fail("E02", f"losses is a {type(losses).__name__}; it should be a dict such as "
                    "losses['trigram', 'dev'] = 2.24 for both models and the three splits")
    out = {}
    for model in MODELS:
        for split in SPLITS:
            if (model, split) in losses:
                value = losses[model, split]
            elif isinstance(losses.get(model), Mapping) and split in losses[model]:
                value = losses[model][split]
            else:
                fail("E02", f"losses has no entry for ({model!r}, {split!r}); it needs both models "
                            f"{MODELS} on the three splits {SPLITS}")
            out[model, split] = _number("E02", f"losses[{model!r}, {split!r}]", value)
    return out


def check_e02(words: Any, words_tr: Any, words_dev: Any, words_te: Any,
              P2tr: Any = None, P3tr: Any = None, losses: Any = None) -> None:
    """E02: the split of ``words``, then (when given) ``P2tr`` and ``P3tr`` fitted on ``words_tr`` alone and
    ``losses[model, split]``, their mean NLLs.

    The split: ``words`` untouched, the parts 80 / 10 / 10 of a shuffled copy, disjoint and complete. The
    models: each table is a probability table; each loss is the table's mean negative log-likelihood on its
    split (to the tolerance a float32 running sum needs); a count table (any add-alpha smoothing) was
    counted on the training words, not on words that include dev or test; the trigram beats the bigram on
    dev. A trigram counted with one start marker is judged on the predictions it makes.
    """
    split_line = _check_split(words, words_tr, words_dev, words_te)
    if P2tr is None and P3tr is None and losses is None:
        passed("E02", split_line)
        return
    split = {"train": tuple(words_tr), "dev": tuple(words_dev), "test": tuple(words_te)}
    tables = {"bigram": _table("E02", "P2tr", P2tr, 2), "trigram": _table("E02", "P3tr", P3tr, 3)}
    names = {"bigram": "P2tr", "trigram": "P3tr"}
    given = _losses_of(losses)
    one_marker = _one_marker(tables["trigram"])
    drift = gap = 0.0  # the largest rounding of a float32 running sum over the six losses, the largest difference
    for model, P in tables.items():
        n, one = P.dim(), one_marker and model == "trigram"
        N_tr = _counts(split["train"], n, one)
        _rows_sum_to_one("E02", names[model], P, N_tr.sum(-1) > 0)
        if _fitted_alpha(P, N_tr) is None:
            leaks = [("every name (train, dev and test)", split["train"] + split["dev"] + split["test"]),
                     ("train and dev", split["train"] + split["dev"]), ("train and test", split["train"] + split["test"]),
                     ("the dev names", split["dev"]), ("the test names", split["test"])]
            for what, ws in leaks:
                if _fitted_alpha(P, _counts(ws, n, one)) is not None:
                    fail("E02", f"{names[model]} is counted on {what}: fit the {model} on words_tr only, so that dev "
                                "and test measure how it does on names it has never seen")
        scores = {s: _score(P, split[s], one) for s in SPLITS}
        drift = max(drift, *(sc.drift for sc in scores.values()))
        for s in SPLITS:
            if not math.isfinite(scores[s].loss):
                fail("E02", f"{names[model]} scores {scores[s].loss} on {s}: a {model} that never occurs in the "
                            "training names gets probability 0 (or its context's row is 0/0 = nan). Smooth the "
                            "counts: add 1 to every count before normalising, as the lecture did")
        for s in SPLITS:
            value, score = given[model, s], scores[s]
            gap = max(gap, abs(value - score.loss))
            if not abs(value - score.loss) <= score.tol:
                others = [(f"that is {names[model]}'s loss on {o}, not on {s}", lambda o=o: scores[o].loss)
                          for o in SPLITS if o != s]
                why = closest_form(value, _loss_forms(f"losses[{model!r}, {s!r}]", score, P, split["train"], one,
                                                      others), _matches(score))
                fail("E02", f"losses[{model!r}, {s!r}] is {value:.4f}, but {names[model]} scores {score.loss:.4f} "
                            f"on {s}: {why or 'compute it as -P[context, next].log().mean() over every n-gram'}")
    if given["trigram", "dev"] >= given["bigram", "dev"]:
        fail("E02", f"the trigram's dev loss {given['trigram', 'dev']:.4f} is not below the bigram's "
                    f"{given['bigram', 'dev']:.4f}: with add-one smoothing it is (the counts of words_tr give "
                    f"{_loss(_smoothed(_counts(split['train'], 3), 1.0), split['dev']):.4f} against "
                    f"{_loss(_smoothed(_counts(split['train'], 2), 1.0), split['dev']):.4f}); is the trigram "
                    "smoothed far too strongly?")
    rows = ", ".join(f"{m} " + " / ".join(f"{given[m, s]:.4f}" for s in SPLITS) for m in MODELS)
    rounding = (f"; your losses differ from the tables' exact means by up to {gap:.1e}: a float32 running sum "
                f"rounds by up to {drift:.1e} on these splits, so that is accepted (.mean() or float64 gives 1e-6)"
                if gap > 1e-4 else f" (your losses agree with the tables {_to(gap)})")
    fairer = ""
    if one_marker:
        fairer = (f"; your trigram has ONE start marker, so its losses leave out each name's first letter: the "
                  f"bigram over the same dev predictions scores "
                  f"{_loss_same_as_one_marker(tables['bigram'], split['dev']):.4f}")
    passed("E02", f"train / dev / test: {rows}; the trigram beats the bigram on dev by "
                  f"{given['bigram', 'dev'] - given['trigram', 'dev']:.4f}{rounding}{fairer}")


def _loss_same_as_one_marker(P2: torch.Tensor, words: tuple[str, ...]) -> float:
    """The bigram's loss over the predictions a one-start-marker trigram makes: every character but first letters."""
    X, Y = _data(words, 2)
    later = X[:, 0] != 0
    return -P2.to(torch.float64)[X[later, 0], Y[later]].log().mean().item()


# ---------------------------------------------------------------------------- E03

class TestSet:
    """The test names behind a counter: every evaluation on them goes through :meth:`loss`.

    ``test = TestSet(words_te)``, then, once, at the end: ``test_loss = test.loss(P3)``. :func:`check_e03`
    reads how many times it was called. It sees only evaluations made through it, so use it for every
    look at the test names.
    """

    __test__ = False  # not a pytest test class

    def __init__(self, words_te: Sequence[str]) -> None:
        self.words = tuple(_names("E03", "words_te", words_te))
        self.losses: list[float] = []
        self.orders: list[int] = []

    @property
    def calls(self) -> int:
        """How many times the test set has been evaluated."""
        return len(self.losses)

    def loss(self, P: torch.Tensor) -> float:
        """The mean negative log-likelihood of the n-gram table ``P`` on the test names (counted).

        ``P`` is ``(27, 27)``, ``(27, 27, 27)`` or a net's ``(729, 27)`` (the 729 contexts in order ``27 * a + b``);
        a trigram with one start marker is scored on the predictions it makes, as :func:`check_e01` does.
        """
        shape = tuple(getattr(P, "shape", ()))
        if isinstance(P, torch.Tensor) and shape == (vocab_size ** 2, vocab_size):
            P = P.reshape(vocab_size, vocab_size, vocab_size)
        if not isinstance(P, torch.Tensor) or P.dim() < 2 or set(P.shape) != {vocab_size}:
            raise TypeError(f"TestSet.loss takes an n-gram table of shape (27, 27), (27, 27, 27) or (729, 27), "
                            f"got {type(P).__name__} {shape}")
        value = _loss(P.detach().cpu(), self.words)
        self.losses.append(value)
        self.orders.append(P.dim())
        return value

    def __repr__(self) -> str:
        return f"TestSet({len(self.words):,} names, evaluated {self.calls} time{'s' * (self.calls != 1)})"


def _floats(exercise: str, name: str, values: Any) -> list[float]:
    if values is None or values is Ellipsis:
        fail(exercise, f"{name} is not written yet")
    if isinstance(values, torch.Tensor):
        values = values.tolist()
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        fail(exercise, f"{name} should be a list of numbers, got {type(values).__name__}")
    return [_number(exercise, f"{name}[{i}]", v) for i, v in enumerate(values)]


def check_e03(alphas: Any, train_losses: Any, dev_losses: Any, best_alpha: Any, test: Any) -> None:
    """E03: a sweep of smoothing strengths, the best chosen on dev, the test set evaluated once.

    Checked: at least 5 strengths above 0 spanning at least two decades; the train loss never falls as
    the strength grows (smoothing moves the model away from the training counts); ``best_alpha`` is the
    strength with the lowest dev loss; ``test`` (a :class:`TestSet`) was evaluated exactly once, on a
    trigram table.
    """
    a = _floats("E03", "alphas", alphas)
    tr = _floats("E03", "train_losses", train_losses)
    dv = _floats("E03", "dev_losses", dev_losses)
    if not len(a) == len(tr) == len(dv):
        fail("E03", f"alphas, train_losses and dev_losses have {len(a)}, {len(tr)} and {len(dv)} entries; one loss "
                    "of each kind per strength")
    if len(a) < 5:
        fail("E03", f"{len(a)} strengths: try many (at least 5), from very little smoothing to a lot")
    if min(a) <= 0:
        fail("E03", "a strength of 0 or less: a log axis cannot show 0, and a trigram without smoothing scores "
                    "inf on dev; start at a small positive value such as 0.001")
    if max(a) / min(a) < 100:
        fail("E03", f"the strengths span {min(a):g} to {max(a):g}; sweep at least two decades (e.g. 0.001 to 10, "
                    "log-spaced) to see where the dev loss turns")
    bad = [x for x in tr + dv if not math.isfinite(x)]
    if bad:
        fail("E03", f"a loss is {bad[0]}: every strength above 0 gives finite losses; is a table normalised?")
    if max(tr + dv) > 2 * math.log(vocab_size):
        fail("E03", f"losses up to {max(tr + dv):.4g}, above ln 27 = 3.30 (uniform guessing): a SUM of negative "
                    "log-likelihoods? Take the mean")
    order = sorted(range(len(a)), key=lambda i: a[i])
    for i, j in zip(order, order[1:]):
        if tr[j] < tr[i] - 1e-6:
            fail("E03", f"the train loss falls from {tr[i]:.4f} to {tr[j]:.4f} as the strength grows from {a[i]:g} "
                        f"to {a[j]:g}; smoothing moves the model away from the training counts, so it can only rise. "
                        "Add the strength to the counts BEFORE normalising, and evaluate the train loss on words_tr")
    best_dev = min(range(len(a)), key=lambda i: dv[i])
    chosen = _number("E03", "best_alpha", best_alpha)
    if not any(math.isclose(chosen, x, rel_tol=1e-9) for x in a):
        fail("E03", f"best_alpha {chosen:g} is not one of the strengths you tried")
    if not math.isclose(chosen, a[best_dev], rel_tol=1e-9):
        best_train = min(range(len(a)), key=lambda i: tr[i])
        why = ("it has the lowest TRAIN loss, which always favours the least smoothing; choose on dev"
               if math.isclose(chosen, a[best_train], rel_tol=1e-9) else "choose the strength with the lowest dev loss")
        fail("E03", f"best_alpha is {chosen:g}, but the lowest dev loss ({dv[best_dev]:.4f}) is at {a[best_dev]:g}: {why}")
    if not isinstance(test, TestSet):
        fail("E03", f"test should be the TestSet made from words_te (test = m1.TestSet(words_te)), got "
                    f"{type(test).__name__}")
    if test.calls == 0:
        fail("E03", "the test set has not been evaluated: after choosing best_alpha on dev, evaluate that one "
                    "trigram once with test.loss(...)")
    if test.calls > 1:
        fail("E03", f"the test set was evaluated {test.calls} times (losses "
                    + ", ".join(f"{x:.4f}" for x in test.losses[:6]) + (" ..." if test.calls > 6 else "") +
                    "): every look at it during tuning makes it a second dev set. Tune on dev, evaluate the chosen "
                    "model on test once, at the end; to start again, make a new TestSet")
    if test.orders[0] != 3:
        fail("E03", f"the table evaluated on test is a {test.orders[0]}-gram; evaluate the chosen trigram")
    passed("E03", f"{len(a)} strengths from {min(a):g} to {max(a):g}; best on dev {chosen:g} (dev {dv[best_dev]:.4f}); "
                  f"the test set evaluated once: {test.losses[0]:.4f}")


# ---------------------------------------------------------------------------- E04

def check_e04(logits_idx: Any, W: torch.Tensor, xs: torch.Tensor) -> None:
    """E04: ``logits_idx``, the logits of the inputs ``xs`` by indexing rows of ``W``, equal to one-hot @ W.

    A one-hot row times ``W`` adds one row of ``W`` to 26 zeros, which is exact in floating point, so the
    two are identical, not merely close.
    """
    if logits_idx is None or logits_idx is Ellipsis:
        fail("E04", "logits_idx is not written yet")
    if not isinstance(logits_idx, torch.Tensor):
        fail("E04", f"logits_idx is a {type(logits_idx).__name__}; it should be a tensor, W indexed by xs")
    expected = (F.one_hot(xs, num_classes=vocab_size).to(W.dtype) @ W).detach()
    got = logits_idx.detach()
    if tuple(got.shape) != tuple(expected.shape):
        hint = ("it is transposed: W[:, xs] picks columns; W[xs] picks the rows"
                if tuple(got.shape) == tuple(expected.shape[::-1]) else
                f"one row of 27 logits per example, {len(xs):,} examples")
        fail("E04", f"logits_idx has shape {tuple(got.shape)}, the one-hot product {tuple(expected.shape)}: {hint}")
    if torch.equal(got.to(expected.dtype), expected):
        if W.requires_grad and not logits_idx.requires_grad:
            fail("E04", "logits_idx has the right numbers but is cut off from W's gradient (W.data, .detach() or "
                        "no_grad): index W itself, W[xs], so that loss.backward() still reaches W")
        passed("E04", f"W[xs] equals F.one_hot(xs) @ W exactly for all {len(xs):,} examples (max difference 0: "
                      "the product adds one row of W to zeros, which rounds nothing)")
        return
    maxdiff = (got.to(expected.dtype) - expected).abs().max().item()
    if torch.allclose(got.to(expected.dtype), expected, rtol=1e-5, atol=1e-6):
        passed("E04", f"logits_idx equals F.one_hot(xs) @ W to {maxdiff:.1e} (W[xs] itself would be exact)")
        return
    Wd = W.detach()
    why = closest_form(got, [
        ("logits_idx holds COLUMNS of W (W.T[xs] or W[:, xs].T): the one-hot row vector times W selects a row, W[xs]",
         lambda: Wd.T[xs]),
    ], lambda g, v: g.shape == v.shape and torch.equal(g.to(v.dtype), v))
    fail("E04", why or f"logits_idx differs from F.one_hot(xs) @ W by up to {maxdiff:.3g}: row i should be row xs[i] "
                       "of W, W[xs] (index with the inputs xs, not the targets ys)")


# ---------------------------------------------------------------------------- E05

def check_e05(loss_ce: Any, W: torch.Tensor, xs: torch.Tensor, ys: torch.Tensor) -> None:
    """E05: ``loss_ce``, the bigram net's data loss for (xs, ys) with ``F.cross_entropy``, against the manual one."""
    value = _number("E05", "loss_ce", loss_ce)
    with torch.no_grad():
        logits = W[xs].to(torch.float64)
        counts = logits.exp()
        probs = counts / counts.sum(1, keepdim=True)
        manual = -probs[torch.arange(len(ys)), ys].log().mean().item()
    diff = abs(value - manual)
    if diff > 1e-5 * max(1.0, manual):
        with torch.no_grad():
            reg = (W.to(torch.float64) ** 2).mean().item()
            forms = [
                ("F.cross_entropy was given probabilities; it takes the LOGITS (it applies softmax itself)",
                 lambda: F.cross_entropy(probs, ys).item()),
                ("F.cross_entropy was given counts (exp of the logits); it takes the logits themselves",
                 lambda: F.cross_entropy(counts, ys).item()),
                ("F.nll_loss on logits skips the softmax: F.cross_entropy(logits, ys)",
                 lambda: F.nll_loss(logits, ys).item()),
                ("reduction='sum' adds the losses up; the default (mean) gives the average", lambda: manual * len(ys)),
                ("the sign is flipped", lambda: -manual),
            ]
            forms += [(f"it includes the regularisation {lam:g} * (W**2).mean(); compare the data loss alone",
                       lambda lam=lam: manual + lam * reg) for lam in (0.01, 0.1, 0.001)]
            why = closest_form(value, forms, lambda got, v: math.isclose(got, v, rel_tol=1e-5, abs_tol=1e-6))
        fail("E05", f"loss_ce is {value:.6f}, the manual loss {manual:.6f}: "
                    f"{why or 'F.cross_entropy(W[xs], ys): the logits of every example and the targets'}")
    passed("E05", f"F.cross_entropy gives {value:.6f}, the manual loss {manual:.6f}: difference {diff:.1e} "
                  "(float32 rounding, expect about 1e-7)")
