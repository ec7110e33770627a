"""Self-checks for makemore 1 (bigrams), one call per check cell of the notebook.

- :func:`check_e01`: the trigram table of all names and its loss, against the bigram's;
- :func:`check_e02_split`: the 80 / 10 / 10 split of the words, a copy shuffled, disjoint and complete;
- :func:`check_e02`: bigram and trigram fitted on the training words only, their losses on every split;
- :class:`TestSet` and :func:`check_e03`: the smoothing sweep, the strength chosen on dev, the test set
  evaluated once;
- :func:`check_e04`: logits by indexing rows of ``W``, identical to ``F.one_hot(xs) @ W``;
- :func:`check_e05`: ``F.cross_entropy`` against the lecture's manual loss.

A probability table of an n-gram model is a tensor of shape ``(27,) * n``: ``P[a, b, c]`` is the
probability of ``c`` after the context ``a b``, so every row ``P[a, b]`` sums to 1. A table of shape
``(27 ** (n - 1), 27)`` (a net's outputs for every context, in order) is accepted too. The reference
numbers are computed here from ``names.txt`` in float64, never typed in.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from typing import Any, Mapping, Sequence

import torch
import torch.nn.functional as F

from makemore_helpers.checks import fail, number, passed
from makemore_helpers.data import load_words
from makemore_helpers.dataset import build_dataset, itos, split_words, vocab_size

SPLITS = ("train", "dev", "test")
MODELS = ("bigram", "trigram")


# ---------------------------------------------------------------------------- shared helpers

def _number(exercise: str, name: str, value: Any) -> float:
    return number(exercise, name, value, what="one number, the mean negative log-likelihood (.mean(), then .item())")


def _table(exercise: str, name: str, P: Any, n: int) -> torch.Tensor:
    """The n-gram table ``P`` in float64 with shape ``(27,) * n``, or a CheckFailed naming the problem."""
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
    return P.detach().to(torch.float64).cpu()


@lru_cache(maxsize=32)
def _data(words: tuple[str, ...], n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Contexts (n - 1 characters, '.'-padded) and next characters of ``words``: the n-grams."""
    return build_dataset(list(words), n - 1)


@lru_cache(maxsize=32)
def _counts(words: tuple[str, ...], n: int) -> torch.Tensor:
    """The n-gram counts of ``words`` in float64, shape ``(27,) * n``."""
    X, Y = _data(words, n)
    N = torch.zeros((vocab_size,) * n, dtype=torch.float64)
    N.index_put_((*X.T, Y), torch.ones(len(Y), dtype=torch.float64), accumulate=True)
    return N


def _smoothed(N: torch.Tensor, alpha: float) -> torch.Tensor:
    P = N + alpha
    return P / P.sum(-1, keepdim=True)


def _loss(P: torch.Tensor, words: tuple[str, ...]) -> float:
    """Mean negative log-likelihood of the table ``P`` over every n-gram of ``words``."""
    X, Y = _data(words, P.dim())
    return -P[(*X.T, Y)].log().mean().item()


def _all_words() -> tuple[str, ...]:
    return tuple(load_words())


def _rows_sum_to_one(exercise: str, name: str, P: torch.Tensor, used: torch.Tensor) -> None:
    """Every row of ``P`` whose context occurs (``used``) is a distribution over the next character."""
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


def _mistaken_loss(value: float, right: float, n_examples: int, alternatives: Sequence[tuple[float, str]] = ()) -> str:
    """What a loss that is not the table's own average NLL most likely is."""
    if math.isclose(value, right * n_examples, rel_tol=1e-4):
        return f"it is {n_examples:,} times too large: the SUM of the negative log-likelihoods; take the mean"
    if math.isclose(value, -right, rel_tol=1e-4):
        return "the sign is flipped: the loss is MINUS the average log-likelihood"
    if math.isclose(value, right / math.log(10), rel_tol=1e-4) or math.isclose(value, right / math.log(2), rel_tol=1e-4):
        return "a log in base 10 or 2: use the natural log (.log())"
    for v, why in alternatives:
        if math.isfinite(v) and abs(value - v) < 1e-4:
            return why
    return "compute it as -P[context, next].log().mean() over every n-gram"


# ---------------------------------------------------------------------------- E01

def check_e01(P3: Any, trigram_loss: Any) -> None:
    """E01: ``P3`` (27, 27, 27), the trigram probabilities from all names, and ``trigram_loss``, its mean NLL.

    Every name is read as ``'..' + name + '.'``: the first letter follows the context ``'..'`` and the
    end marker ends every name, so there are as many trigrams as bigrams (228,146).
    """
    P = _table("E01", "P3", P3, 3)
    words = _all_words()
    N3 = _counts(words, 3)
    used = N3.sum(-1) > 0
    if torch.isnan(P[0, 0]).all() or (P[0, 0] - P[0, 0].mean()).abs().max() < 1e-12:
        fail("E01", "P3['.', '.'] (the start of a name) is empty or uniform: pad every name with TWO '.' at the "
                    "start, ['.', '.'] + list(w) + ['.'], so the first letter is predicted from the context '..'")
    if (torch.nan_to_num(P[:, 1:][used[:, 1:]][:, 0]) == 0).all():
        fail("E01", "P3 never predicts '.' after a letter: the end marker is missing. Add '.' at the end of every "
                    "name, so the model learns where names end")
    _rows_sum_to_one("E01", "P3", P, used)
    model_loss = _loss(P, words)
    if not math.isfinite(model_loss):
        X, Y = _data(words, 3)
        k = int((P[(*X.T, Y)] == 0).nonzero()[0])
        tri = "".join(itos[int(i)] for i in (*X[k].tolist(), Y[k].item()))
        fail("E01", f"P3 gives probability 0 to the trigram {tri!r}, which occurs in the names, so the loss is inf: "
                    "count every trigram of every name ('..' + name + '.')")
    value = _number("E01", "trigram_loss", trigram_loss)
    n = len(_data(words, 3)[1])
    if abs(value - model_loss) > 1e-4:
        X, Y = _data(words, 3)
        logp = P[(*X.T, Y)].log()
        start = (X[:, 0] == 0) & (X[:, 1] == 0)  # the first letter of each name, after '..'
        alternatives = [
            (-logp[~start].mean().item(), "it leaves out the first letter of every name (read after '..'): count "
                                          "and score '..' + name + '.', 228,146 trigrams"),
            (-logp[Y != 0].mean().item(), "it leaves out the end marker '.' of every name: it is predicted too"),
        ]
        fail("E01", f"trigram_loss is {value:.4f}, but P3's mean negative log-likelihood over the {n:,} trigrams of all "
                    f"names is {model_loss:.4f}: {_mistaken_loss(value, model_loss, n, alternatives)}")
    bigram = _loss(_smoothed(_counts(words, 2), 0.0), words)
    if model_loss >= bigram:
        fail("E01", f"your trigram's loss {model_loss:.4f} is not below the bigram's {bigram:.4f}: counting gives "
                    f"{_loss(_smoothed(N3, 0.0), words):.4f}; a net needs more steps or a higher learning rate")
    best = _loss(_smoothed(N3, 0.0), words)
    add1 = _loss(_smoothed(N3, 1.0), words)
    passed("E01", f"trigram loss {value:.4f} over the {n:,} trigrams, below the bigram's {bigram:.4f}; counting gives "
                  f"{best:.4f} unsmoothed (the lowest any trigram can reach on these names) and {add1:.4f} with "
                  f"add-one; your loss matches your P3 to {abs(value - model_loss):.0e} (expect 1e-6 or less)")


# ---------------------------------------------------------------------------- E02: the split

def _names(exercise: str, name: str, value: Any) -> list[str]:
    if isinstance(value, torch.Tensor):
        fail(exercise, f"{name} is a tensor: split the list of names (words), then build tensors from each part")
    if isinstance(value, str) or not isinstance(value, Sequence) or not all(isinstance(w, str) for w in value):
        fail(exercise, f"{name} should be a list of names (strings), got {type(value).__name__}")
    return list(value)


def check_e02_split(words: Any, words_tr: Any, words_dev: Any, words_te: Any) -> None:
    """E02: the words cut 80 / 10 / 10 after shuffling a copy, as ``split_words`` does.

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
    passed("E02", f"a split of {n:,} names into {n1:,} / {n2 - n1:,} / {n - n2:,}, disjoint and complete, `words` "
                  "untouched; " + ("it is the project's split (random.seed(42) on a copy), so your numbers will "
                                   "match the solution's" if same else
                                   "a different shuffle from the project's (random.seed(42) on a copy): right, "
                                   "but your losses will differ a little from the stored ones"))


# ---------------------------------------------------------------------------- E02: models on train only

def _fitted_alpha(P: torch.Tensor, N: torch.Tensor) -> float | None:
    """The alpha with ``P == (N + alpha) / row sums`` on the contexts of ``N``, or None if none fits."""
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


def check_e02(words_tr: Any, words_dev: Any, words_te: Any, P2tr: Any, P3tr: Any, losses: Any) -> None:
    """E02: ``P2tr`` and ``P3tr`` fitted on ``words_tr`` alone; ``losses[model, split]`` their mean NLLs.

    Checked: each table is a probability table; each loss is the table's mean negative log-likelihood on
    its split; a count table (any add-alpha smoothing) was counted on the training words, not on words
    that include dev or test; the trigram beats the bigram on dev.
    """
    split = {"train": tuple(_names("E02", "words_tr", words_tr)), "dev": tuple(_names("E02", "words_dev", words_dev)),
             "test": tuple(_names("E02", "words_te", words_te))}
    tables = {"bigram": _table("E02", "P2tr", P2tr, 2), "trigram": _table("E02", "P3tr", P3tr, 3)}
    names = {"bigram": "P2tr", "trigram": "P3tr"}
    given = _losses_of(losses)
    for model, P in tables.items():
        n = P.dim()
        _rows_sum_to_one("E02", names[model], P, _counts(split["train"], n).sum(-1) > 0)
        N_tr = _counts(split["train"], n)
        if _fitted_alpha(P, N_tr) is None:
            leaks = [("every name (train, dev and test)", split["train"] + split["dev"] + split["test"]),
                     ("train and dev", split["train"] + split["dev"]), ("train and test", split["train"] + split["test"]),
                     ("the dev names", split["dev"]), ("the test names", split["test"])]
            for what, ws in leaks:
                if _fitted_alpha(P, _counts(ws, n)) is not None:
                    fail("E02", f"{names[model]} is counted on {what}: fit the {model} on words_tr only, so that dev "
                                "and test measure how it does on names it has never seen")
        right = {s: _loss(P, split[s]) for s in SPLITS}
        for s in SPLITS:
            if not math.isfinite(right[s]):
                fail("E02", f"{names[model]} scores {right[s]} on {s}: a {model} that never occurs in the training names "
                            "gets probability 0 (or its context's row is 0/0 = nan). Smooth the counts: add 1 to "
                            "every count before normalising, as the lecture did")
        for s in SPLITS:
            value = given[model, s]
            if abs(value - right[s]) > 1e-4:
                others = [(right[o], f"that is {names[model]}'s loss on {o}, not on {s}") for o in SPLITS if o != s]
                fail("E02", f"losses[{model!r}, {s!r}] is {value:.4f}, but {names[model]} scores {right[s]:.4f} on "
                            f"{s}: {_mistaken_loss(value, right[s], len(_data(split[s], n)[1]), others)}")
    if given["trigram", "dev"] >= given["bigram", "dev"]:
        fail("E02", f"the trigram's dev loss {given['trigram', 'dev']:.4f} is not below the bigram's "
                    f"{given['bigram', 'dev']:.4f}: with add-one smoothing it should be (about 2.24 against 2.45)")
    rows = ", ".join(f"{m} " + " / ".join(f"{given[m, s]:.4f}" for s in SPLITS) for m in MODELS)
    passed("E02", f"train / dev / test: {rows}; the trigram beats the bigram on dev by "
                  f"{given['bigram', 'dev'] - given['trigram', 'dev']:.4f} (losses agree with the tables to 1e-6 or less)")


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
        """The mean negative log-likelihood of the n-gram table ``P`` on the test names (counted)."""
        if not isinstance(P, torch.Tensor) or P.dim() < 2 or set(P.shape) != {vocab_size}:
            raise TypeError(f"TestSet.loss takes an n-gram table of shape (27, 27) or (27, 27, 27), "
                            f"got {type(P).__name__} {tuple(getattr(P, 'shape', ()))}")
        value = _loss(P.detach().to(torch.float64).cpu(), self.words)
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
    if got.shape[1] == W.shape[0] and torch.equal(got.to(W.dtype), W.detach().T[xs]):
        fail("E04", "logits_idx holds COLUMNS of W (W.T[xs] or W[:, xs].T): the one-hot row vector times W "
                    "selects a row, W[xs]")
    maxdiff = (got.to(expected.dtype) - expected).abs().max().item()
    if torch.allclose(got.to(expected.dtype), expected, rtol=1e-5, atol=1e-6):
        passed("E04", f"logits_idx equals F.one_hot(xs) @ W to {maxdiff:.1e} (W[xs] itself would be exact)")
        return
    fail("E04", f"logits_idx differs from F.one_hot(xs) @ W by up to {maxdiff:.3g}: row i should be row xs[i] of W, "
                "W[xs] (index with the inputs xs, not the targets ys)")


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
            known = [
                (F.cross_entropy(probs, ys).item(), "F.cross_entropy was given probabilities; it takes the LOGITS "
                                                    "(it applies softmax itself)"),
                (F.cross_entropy(counts, ys).item(), "F.cross_entropy was given counts (exp of the logits); it takes "
                                                     "the logits themselves"),
                (F.nll_loss(logits, ys).item(), "F.nll_loss on logits skips the softmax: F.cross_entropy(logits, ys)"),
                (manual * len(ys), "reduction='sum' adds the losses up; the default (mean) gives the average"),
                (-manual, "the sign is flipped"),
            ]
            known += [(manual + lam * reg, f"it includes the regularisation {lam:g} * (W**2).mean(); compare the "
                                           "data loss alone") for lam in (0.01, 0.1, 0.001)]
        why = next((w for v, w in known if math.isclose(value, v, rel_tol=1e-5, abs_tol=1e-6)),
                   "F.cross_entropy(W[xs], ys): the logits of every example and the targets")
        fail("E05", f"loss_ce is {value:.6f}, the manual loss {manual:.6f}: {why}")
    passed("E05", f"F.cross_entropy gives {value:.6f}, the manual loss {manual:.6f}: difference {diff:.1e} "
                  "(float32 rounding, expect about 1e-7)")
