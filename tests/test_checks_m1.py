"""makemore 1 self-checks (checks/m1.py) against a corpus of answers, right and wrong.

Each answer is written the way a student might write it in the exercise notebook, in one of the
forms real answers take (the lecture's dict and loops, its float32 loss loop with a running sum,
one start marker as most public answers have it, index_put_, float32 or float64, a (729, 27)
table, a net's softmax, nested dicts, tensors for numbers). A right answer must pass (E01's passing
line must also say what the words beside it say); a wrong one must fail with a CheckFailed whose
message names its mistake (the regex beside it).
"""

import random
import re
from functools import lru_cache

import pytest
import torch
import torch.nn.functional as F

from makemore_helpers import build_dataset, load_words, split_words, stoi
from makemore_helpers.checks import CheckFailed, m1

torch.set_num_threads(1)
WORDS = load_words()
TR, DEV, TE = split_words(WORDS)


# ---------------------------------------------------------------------------- answer helpers

def trigram_lists(words, start=("..",), end=True):
    """The lecture's loop, three characters at a time: x1, x2, y as tensors (built once per list of names)."""
    return _trigram_lists(tuple(words), start, end)


@lru_cache(maxsize=None)
def _trigram_lists(words, start, end):
    x1, x2, y = [], [], []
    for w in words:
        chs = list(start[0]) + list(w) + (["."] if end else [])
        for a, b, c in zip(chs, chs[1:], chs[2:]):
            x1.append(stoi[a])
            x2.append(stoi[b])
            y.append(stoi[c])
    return torch.tensor(x1), torch.tensor(x2), torch.tensor(y)


@lru_cache(maxsize=None)
def dataset(words, n):
    """build_dataset of n-grams, once per list of names (given as a tuple)."""
    return build_dataset(list(words), n - 1)


def counts(words, n, dtype=torch.float64):
    X, Y = dataset(tuple(words), n)
    N = torch.zeros((27,) * n, dtype=dtype)
    N.index_put_((*X.T, Y), torch.ones(len(Y), dtype=dtype), accumulate=True)
    return N


def probs(N, alpha=0.0):
    P = N + alpha
    return P / P.sum(-1, keepdim=True)


def nll(P, words):
    X, Y = dataset(tuple(words), P.dim())
    return -P[(*X.T, Y)].log().mean()


# ---------------------------------------------------------------------------- E01

def lecture_counts(marker=("..",)):
    """The lecture's first way of counting, a dict of n-grams, then the tensor: N[ix1, ix2, ix3]."""
    b = {}
    for w in WORDS:
        chs = list(marker[0]) + list(w) + ["."]
        for ch1, ch2, ch3 in zip(chs, chs[1:], chs[2:]):
            b[(ch1, ch2, ch3)] = b.get((ch1, ch2, ch3), 0) + 1
    N = torch.zeros((27, 27, 27), dtype=torch.int32)
    for (ch1, ch2, ch3), k in b.items():
        N[stoi[ch1], stoi[ch2], stoi[ch3]] = k
    return N


@lru_cache(maxsize=None)
def lecture_counts_cached(marker):
    return lecture_counts((marker,))


@lru_cache(maxsize=None)
def running_sum(marker):
    """The lecture's loss loop on the add-one float32 table: log_likelihood += log(prob), one trigram at a time.

    Returns nll = -log_likelihood (a float32 tensor) and n, the number of trigrams.
    """
    P = add_one_float32(marker)
    log_likelihood = 0.0
    n = 0
    for w in WORDS:
        chs = list(marker) + list(w) + ["."]
        for ch1, ch2, ch3 in zip(chs, chs[1:], chs[2:]):
            prob = P[stoi[ch1], stoi[ch2], stoi[ch3]]
            logprob = torch.log(prob)
            log_likelihood += logprob
            n += 1
    nll = -log_likelihood
    return nll, n


@lru_cache(maxsize=None)
def add_one_float32(marker):
    P = (lecture_counts_cached(marker) + 1).float()
    P /= P.sum(2, keepdims=True)
    return P


def e01_lecture_float32():
    P3 = lecture_counts_cached("..").float()
    P3 /= P3.sum(2, keepdims=True)
    x1, x2, y = trigram_lists(WORDS)
    return P3, -P3[x1, x2, y].log().mean()  # a tensor, float32


def e01_running_sum_add_one():
    # the lecture's loss loop in float32: the running sum of 228,146 logs rounds to 2.2120, the exact mean is 2.2126
    nll, n = running_sum("..")
    return add_one_float32(".."), nll / n


def e01_one_start_marker_running_sum():
    # the form most public answers take: chs = ['.'] + list(w) + ['.'], add-one, the loss loop in float32
    nll, n = running_sum(".")
    return add_one_float32("."), nll / n


def e01_index_put_float64():
    x1, x2, y = trigram_lists(WORDS)
    N3 = torch.zeros((27, 27, 27), dtype=torch.float64)
    N3.index_put_((x1, x2, y), torch.ones(len(y), dtype=torch.float64), accumulate=True)
    P3 = N3 / N3.sum(-1, keepdim=True)
    return P3, -P3[x1, x2, y].log().mean().item()


def e01_add_one_normalize():
    N3 = counts(WORDS, 3, torch.float32)
    P3 = F.normalize(N3 + 1, p=1, dim=-1)  # another way to divide by the row sums
    return P3, nll(P3, WORDS).item()


def e01_table_729_rows():
    P3 = probs(counts(WORDS, 3), 0.5).reshape(729, 27)  # a net's softmax over all 729 contexts, in order
    X, Y = build_dataset(WORDS, 2)
    return P3, -P3[27 * X[:, 0] + X[:, 1], Y].log().mean().item()


def e01_one_start_marker():
    x1, x2, y = trigram_lists(WORDS, start=(".",))
    N3 = torch.zeros((27, 27, 27)).index_put_((x1, x2, y), torch.ones(len(y)), accumulate=True)
    P3 = N3 / N3.sum(-1, keepdim=True)  # row '..' is 0/0 = nan: never used
    return P3, -P3[x1, x2, y].log().mean().item()


@lru_cache(maxsize=None)
def trigram_net(start=("..",), init="zeros"):
    """A trigram net: one row of 27 logits per context (729 rows, 27 * ix1 + ix2), loss + 0.01 * (W**2).mean().

    Trained by full-batch gradient descent on the count form of the same loss (the data loss depends on
    the data only through the counts: a few milliseconds a step instead of a pass over 228,146 examples).
    Returns the softmax table (729, 27), the data loss and the loss with the penalty.
    """
    x1, x2, y = trigram_lists(WORDS, start=start)
    N = torch.zeros((729, 27)).index_put_((27 * x1 + x2, y), torch.ones(len(y)), accumulate=True)
    g = torch.Generator().manual_seed(2147483647)
    W = (torch.zeros if init == "zeros" else lambda shape: torch.randn(shape, generator=g))((729, 27))
    W.requires_grad = True
    for _ in range(100):
        data_loss = -(N * F.log_softmax(W, dim=1)).sum() / N.sum()
        loss = data_loss + 0.01 * (W**2).mean()
        W.grad = None
        loss.backward()
        W.data += -200 * W.grad
    with torch.no_grad():
        P = F.softmax(W, dim=1)
        data_loss = -P[27 * x1 + x2, y].log().mean()
        return P, data_loss.item(), (data_loss + 0.01 * (W**2).mean()).item()


def e01_net_data_loss():
    P, data_loss, _ = trigram_net()
    return P, data_loss


def e01_net_one_start_marker_randn():
    # a net on '.' + name + '.' from a randn init: its row '..' never gets a gradient from the data
    P, data_loss, _ = trigram_net(start=(".",), init="randn")
    return P, data_loss


def e01_net_loss_with_penalty():
    P, _, loss = trigram_net()
    return P, loss  # the training loss, penalty included


def e01_no_end_marker():
    x1, x2, y = trigram_lists(WORDS, end=False)
    N3 = torch.zeros((27, 27, 27)).index_put_((x1, x2, y), torch.ones(len(y)), accumulate=True)
    P3 = N3 / N3.sum(-1, keepdim=True)
    return P3, -P3[x1, x2, y].log().mean().item()


def e01_no_end_marker_smoothed():
    x1, x2, y = trigram_lists(WORDS, end=False)
    N3 = torch.zeros((27, 27, 27)).index_put_((x1, x2, y), torch.ones(len(y)), accumulate=True) + 1
    P3 = N3 / N3.sum(-1, keepdim=True)
    # the end of each name scored too, but from the table that never saw one
    return P3, -P3[x1, x2, y].log().mean().item()


def e01_one_marker_scored_with_two():
    P3 = add_one_float32(".")  # counted on '.' + name + '.': its row '..' is uniform
    x1, x2, y = trigram_lists(WORDS)  # scored on '..' + name + '.'
    return P3, -P3[x1, x2, y].log().mean().item()


def e01_loss_skips_first_letter():
    P3 = probs(counts(WORDS, 3))
    x1, x2, y = trigram_lists(WORDS, start=(".",))  # the table is right, the loss uses '.' + name + '.'
    return P3, -P3[x1, x2, y].log().mean().item()


def e01_running_sum_not_divided():
    nll, n = running_sum(".")
    return add_one_float32("."), nll  # print(nll) without / n


def e01_reports_the_bigram():
    return probs(counts(WORDS, 3)), nll(probs(counts(WORDS, 2)), WORDS).item()


def e01_loss_of_other_smoothing():
    return probs(counts(WORDS, 3)), nll(probs(counts(WORDS, 3), 1.0), WORDS).item()


def e01_normalised_over_first_character():
    N3 = counts(WORDS, 3) + 1
    return N3 / N3.sum(0, keepdim=True), 2.2


def e01_normalised_over_first_character_unsmoothed():
    N3 = counts(WORDS, 3)
    return N3 / N3.sum(0, keepdim=True), 2.2


def e01_smoothing_after_normalising():
    N3 = counts(WORDS, 3)
    P3 = torch.nan_to_num(N3 / N3.sum(-1, keepdim=True)) + 1
    return P3, 2.2


def e01_loss_summed():
    P3 = probs(counts(WORDS, 3))
    X, Y = build_dataset(WORDS, 2)
    return P3, -P3[X[:, 0], X[:, 1], Y].log().sum().item()


def e01_log_likelihood_not_negated():
    P3 = probs(counts(WORDS, 3))
    return P3, -nll(P3, WORDS).item()


def e01_log10():
    P3 = probs(counts(WORDS, 3))
    X, Y = build_dataset(WORDS, 2)
    return P3, -P3[X[:, 0], X[:, 1], Y].log10().mean().item()


def e01_bigram_table():
    return probs(counts(WORDS, 2)), 2.454


def e01_counts_not_probabilities():
    return counts(WORDS, 3).long(), 2.2


# (answer, verdict): None passes (and the passing line must contain the words after it, if any); a
# string is a wrong answer, the words its message must contain.
E01 = [
    (e01_lecture_float32, None, None),
    (e01_running_sum_add_one, None, r"float32 rounding of a running sum .* accepted to 1\.2e-03"),
    (e01_one_start_marker_running_sum, None, r"ONE start marker .* the bigram's on the same 196,113 predictions, "
                                             r"2\.3740 .* float32 rounding"),
    (e01_index_put_float64, None, r"matches your table exactly"),
    (e01_add_one_normalize, None, None),
    (e01_table_729_rows, None, None),
    (e01_one_start_marker, None, r"ONE start marker"),
    (e01_net_data_loss, None, None),
    (e01_net_one_start_marker_randn, None, r"ONE start marker"),
    (e01_net_loss_with_penalty, r"a net's loss with its penalty", None),
    (e01_no_end_marker, r"never predicts '\.' after a letter: the end marker is missing", None),
    (e01_no_end_marker_smoothed, r"leaves out the end marker", None),
    (e01_one_marker_scored_with_two, r"counted with ONE start marker .* scores the first letters too", None),
    (e01_loss_skips_first_letter, r"leaves those 32,033 predictions out", None),
    (e01_running_sum_not_divided, r"196,113 times too large: the SUM", None),
    (e01_reports_the_bigram, r"that is the bigram's loss", None),
    (e01_loss_of_other_smoothing, r"add-one smoothing, not of P3", None),
    (e01_normalised_over_first_character, r"normalised over dimension 0", None),
    (e01_normalised_over_first_character_unsmoothed, r"normalised over dimension 0", None),
    (e01_smoothing_after_normalising, r"BEFORE dividing", None),
    (e01_loss_summed, r"SUM of the negative log-likelihoods", None),
    (e01_log_likelihood_not_negated, r"sign is flipped", None),
    (e01_log10, r"base 10", None),
    (e01_bigram_table, r"shape \(27, 27\) \(the table of a 2-gram model\)", None),
    (e01_counts_not_probabilities, r"these are counts, not probabilities", None),
]


# ---------------------------------------------------------------------------- E02: the split

def split_project_way(words):
    shuffled = words[:]
    random.seed(42)
    random.shuffle(shuffled)
    n1, n2 = int(0.8 * len(shuffled)), int(0.9 * len(shuffled))
    return shuffled[:n1], shuffled[n1:n2], shuffled[n2:]


def split_with_helper(words):
    return split_words(words)


def split_other_seed(words):
    shuffled = list(words)
    random.Random(1).shuffle(shuffled)
    n1, n2 = int(0.8 * len(shuffled)), int(0.9 * len(shuffled))
    return shuffled[:n1], shuffled[n1:n2], shuffled[n2:]


def split_randperm(words):
    perm = torch.randperm(len(words), generator=torch.Generator().manual_seed(2147483647)).tolist()
    n1, n2 = int(0.8 * len(words)), int(0.9 * len(words))
    return [words[i] for i in perm[:n1]], [words[i] for i in perm[n1:n2]], [words[i] for i in perm[n2:]]


def split_in_place(words):
    random.seed(42)
    random.shuffle(words)  # the caller's list itself
    n1, n2 = int(0.8 * len(words)), int(0.9 * len(words))
    return words[:n1], words[n1:n2], words[n2:]


def split_overlapping(words):
    tr, dev, te = split_project_way(words)
    return tr, tr[-50:] + dev[:-50], te  # dev starts 50 names early


def split_missing_names(words):
    tr, dev, te = split_project_way(words)
    return tr, dev, te[10:]


def split_not_shuffled(words):
    n1, n2 = int(0.8 * len(words)), int(0.9 * len(words))
    return words[:n1], words[n1:n2], words[n2:]


def split_70_15_15(words):
    shuffled = words[:]
    random.Random(42).shuffle(shuffled)
    n1, n2 = int(0.7 * len(shuffled)), int(0.85 * len(shuffled))
    return shuffled[:n1], shuffled[n1:n2], shuffled[n2:]


def split_tensors(words):
    X, Y = build_dataset(words, 3)
    n1, n2 = int(0.8 * len(X)), int(0.9 * len(X))
    return X[:n1], X[n1:n2], X[n2:]


SPLITS = [
    (split_project_way, None),
    (split_with_helper, None),
    (split_other_seed, None),
    (split_randperm, None),
    (split_in_place, r"shuffled in place"),
    (split_overlapping, r"the slices overlap"),
    (split_missing_names, r"are in no part"),
    (split_not_shuffled, r"not shuffled"),
    (split_70_15_15, r"an 80 / 10 / 10 split"),
    (split_tensors, r"is a tensor"),
]


# ---------------------------------------------------------------------------- E02: the models

def fit(words_for_bigram, words_for_trigram, alpha=1.0, dtype=torch.float64):
    return probs(counts(words_for_bigram, 2, dtype), alpha), probs(counts(words_for_trigram, 3, dtype), alpha)


def table_of(P2, P3):
    return {(m, s): nll(P, ws).item() for m, P in (("bigram", P2), ("trigram", P3))
            for s, ws in (("train", TR), ("dev", DEV), ("test", TE))}


def models_add_one():
    P2, P3 = fit(TR, TR)
    return P2, P3, table_of(P2, P3)


def models_float32_nested_tensors():
    P2, P3 = fit(TR, TR, dtype=torch.float32)
    losses = {m: {s: nll(P, ws) for s, ws in (("train", TR), ("dev", DEV), ("test", TE))}
              for m, P in (("bigram", P2), ("trigram", P3))}
    return P2, P3, losses


def models_alpha_half_and_729_rows():
    P2, P3 = fit(TR, TR, alpha=0.5)
    losses = table_of(P2, P3)
    return P2, P3.reshape(729, 27), losses


def models_on_all_words():
    P2, P3 = fit(WORDS, WORDS)
    return P2, P3, table_of(P2, P3)


def models_trigram_on_train_and_dev():
    P2, _ = fit(TR, TR)
    _, P3 = fit(TR, TR + DEV)
    return P2, P3, table_of(P2, P3)


def models_unsmoothed():
    P2, P3 = fit(TR, TR, alpha=0.0)
    return P2, P3, table_of(P2, P3)  # inf and nan on dev and test


def models_lecture_loop_float32():
    # float32 tables, and the bigram's losses by the lecture's loop: a running sum over each split
    P2, P3 = fit(TR, TR, dtype=torch.float32)
    losses = table_of(P2, P3)
    for split, names in (("train", TR), ("dev", DEV), ("test", TE)):
        log_likelihood, n = 0.0, 0
        for w in names:
            chs = ["."] + list(w) + ["."]
            for ch1, ch2 in zip(chs, chs[1:]):
                log_likelihood += torch.log(P2[stoi[ch1], stoi[ch2]])
                n += 1
        losses["bigram", split] = (-log_likelihood / n).item()
    return P2, P3, losses


def models_one_start_marker():
    # the trigram counted on '.' + name + '.' (add-one), its losses over the trigrams it predicts
    P2, _ = fit(TR, TR)
    x1, x2, y = trigram_lists(TR, start=(".",))
    N3 = torch.zeros((27, 27, 27)).index_put_((x1, x2, y), torch.ones(len(y)), accumulate=True) + 1
    P3 = N3 / N3.sum(-1, keepdim=True)
    losses = {("bigram", s): nll(P2, ws).item() for s, ws in (("train", TR), ("dev", DEV), ("test", TE))}
    for s, ws in (("train", TR), ("dev", DEV), ("test", TE)):
        x1, x2, y = trigram_lists(ws, start=(".",))
        losses["trigram", s] = -P3[x1, x2, y].log().mean().item()
    return P2, P3, losses


def models_net_bigram_with_penalty():
    # the lecture's bigram net trained on words_tr, its losses reported with the penalty
    N = counts(TR, 2, torch.float32)
    W = torch.randn((27, 27), generator=torch.Generator().manual_seed(2147483647), requires_grad=True)
    for _ in range(100):
        loss = -(N * F.log_softmax(W, dim=1)).sum() / N.sum() + 0.01 * (W**2).mean()  # the count form of its loss
        W.grad = None
        loss.backward()
        W.data += -50 * W.grad
    P2 = F.softmax(W.detach(), dim=1)
    _, P3 = fit(TR, TR)
    losses = table_of(P2, P3)
    for s in ("train", "dev", "test"):
        losses["bigram", s] += 0.01 * (W.detach() ** 2).mean().item()
    return P2, P3, losses


def models_dev_and_test_swapped():
    P2, P3 = fit(TR, TR)
    losses = table_of(P2, P3)
    losses["trigram", "dev"], losses["trigram", "test"] = losses["trigram", "test"], losses["trigram", "dev"]
    return P2, P3, losses


def models_summed():
    P2, P3 = fit(TR, TR)
    losses = table_of(P2, P3)
    X, Y = build_dataset(DEV, 1)
    losses["bigram", "dev"] = -P2[X[:, 0], Y].log().sum().item()
    return P2, P3, losses


def models_trigram_oversmoothed():
    P2, _ = fit(TR, TR)
    _, P3 = fit(TR, TR, alpha=300.0)
    return P2, P3, table_of(P2, P3)


def models_missing_entry():
    P2, P3 = fit(TR, TR)
    losses = table_of(P2, P3)
    del losses["bigram", "test"]
    return P2, P3, losses


MODELS = [
    (models_add_one, None),
    (models_float32_nested_tensors, None),
    (models_alpha_half_and_729_rows, None),
    (models_lecture_loop_float32, None),
    (models_one_start_marker, None),
    (models_net_bigram_with_penalty, r"a net's loss with its penalty"),
    (models_on_all_words, r"P2tr is counted on every name"),
    (models_trigram_on_train_and_dev, r"P3tr is counted on train and dev"),
    (models_unsmoothed, r"Smooth the counts"),
    (models_dev_and_test_swapped, r"that is P3tr's loss on test, not on dev"),
    (models_summed, r"SUM"),
    (models_trigram_oversmoothed, r"not below the bigram's"),
    (models_missing_entry, r"no entry for \('bigram', 'test'\)"),
]


# ---------------------------------------------------------------------------- E03

N3TR = counts(TR, 3)


def sweep(alphas, evaluate_test_each_time=None):
    train, dev = [], []
    for a in alphas:
        P = probs(N3TR, a)
        train.append(nll(P, TR).item())
        dev.append(nll(P, DEV).item())
        if evaluate_test_each_time is not None:
            evaluate_test_each_time.loss(P)
    return train, dev


ALPHAS = torch.logspace(-3, 1, 9).tolist()


def e03_right():
    test = m1.TestSet(TE)
    tr, dv = sweep(ALPHAS)
    best = ALPHAS[dv.index(min(dv))]
    test.loss(probs(N3TR, best))
    return ALPHAS, tr, dv, best, test


def e03_tensors_descending():
    test = m1.TestSet(TE)
    alphas = torch.logspace(1, -3, 9)  # from strong to weak
    tr, dv = sweep(alphas.tolist())
    dev = torch.tensor(dv)
    best = alphas[dev.argmin()]  # a 0-d tensor
    test.loss(probs(N3TR, best.item()).float())
    return alphas, [torch.tensor(t) for t in tr], dev, best, test


def e03_net_table_729_rows():
    # a net's softmax for the 729 contexts, (729, 27), evaluated on test as it is
    test = m1.TestSet(TE)
    tr, dv = sweep(ALPHAS)
    best = ALPHAS[dv.index(min(dv))]
    test.loss(probs(N3TR, best).reshape(729, 27).float())
    return ALPHAS, tr, dv, best, test


def e03_test_in_the_loop():
    test = m1.TestSet(TE)
    tr, dv = sweep(ALPHAS, evaluate_test_each_time=test)
    best = ALPHAS[dv.index(min(dv))]
    test.loss(probs(N3TR, best))
    return ALPHAS, tr, dv, best, test


def e03_test_never_used():
    test = m1.TestSet(TE)
    tr, dv = sweep(ALPHAS)
    return ALPHAS, tr, dv, ALPHAS[dv.index(min(dv))], test


def e03_chosen_on_train():
    test = m1.TestSet(TE)
    tr, dv = sweep(ALPHAS)
    best = ALPHAS[tr.index(min(tr))]
    test.loss(probs(N3TR, best))
    return ALPHAS, tr, dv, best, test


def e03_smoothing_after_normalising():
    test = m1.TestSet(TE)
    P0 = torch.nan_to_num(N3TR / N3TR.sum(-1, keepdim=True))
    tr = [nll(P0 + a, TR).item() for a in ALPHAS]
    dv = [nll(P0 + a, DEV).item() for a in ALPHAS]
    best = ALPHAS[dv.index(min(dv))]
    test.loss(P0 + best)
    return ALPHAS, tr, dv, best, test


def e03_summed():
    test = m1.TestSet(TE)
    tr, dv = sweep(ALPHAS)
    n_tr, n_dev = len(build_dataset(TR, 1)[1]), len(build_dataset(DEV, 1)[1])
    tr, dv = [t * n_tr for t in tr], [d * n_dev for d in dv]
    best = ALPHAS[dv.index(min(dv))]
    test.loss(probs(N3TR, best))
    return ALPHAS, tr, dv, best, test


def e03_three_strengths():
    test = m1.TestSet(TE)
    alphas = [0.01, 0.1, 1.0]
    tr, dv = sweep(alphas)
    best = alphas[dv.index(min(dv))]
    test.loss(probs(N3TR, best))
    return alphas, tr, dv, best, test


def e03_from_zero():
    test = m1.TestSet(TE)
    alphas = [0.0, 0.01, 0.1, 1.0, 10.0]
    tr, dv = sweep(alphas[1:])
    return alphas, [0.0] + tr, [float("nan")] + dv, 0.1, test


def e03_narrow_range():
    test = m1.TestSet(TE)
    alphas = [0.1, 0.15, 0.2, 0.3, 0.5]
    tr, dv = sweep(alphas)
    best = alphas[dv.index(min(dv))]
    test.loss(probs(N3TR, best))
    return alphas, tr, dv, best, test


def e03_test_on_bigram():
    test = m1.TestSet(TE)
    tr, dv = sweep(ALPHAS)
    test.loss(probs(counts(TR, 2), 1.0))
    return ALPHAS, tr, dv, ALPHAS[dv.index(min(dv))], test


E03 = [
    (e03_right, None),
    (e03_tensors_descending, None),
    (e03_net_table_729_rows, None),
    (e03_test_in_the_loop, r"the test set was evaluated 10 times"),
    (e03_test_never_used, r"has not been evaluated"),
    (e03_chosen_on_train, r"lowest TRAIN loss"),
    (e03_smoothing_after_normalising, r"train loss falls .* BEFORE normalising"),
    (e03_summed, r"a SUM of negative log-likelihoods"),
    (e03_three_strengths, r"3 strengths: try many"),
    (e03_from_zero, r"a strength of 0 or less"),
    (e03_narrow_range, r"sweep at least two decades"),
    (e03_test_on_bigram, r"evaluated on test is a 2-gram"),
]


# ---------------------------------------------------------------------------- E04 and E05

W = torch.randn((27, 27), generator=torch.Generator().manual_seed(2147483647), requires_grad=True)
XS, YS = (t.view(-1) for t in build_dataset(WORDS[:300], 1))

E04 = [
    (lambda: W[XS], None),
    (lambda: W.index_select(0, XS), None),
    (lambda: F.embedding(XS, W), None),
    (lambda: W.double()[XS], None),
    (lambda: torch.stack([W[i] for i in XS]), None),
    (lambda: W.T[XS], r"COLUMNS of W"),
    (lambda: W[:, XS], r"it is transposed"),
    (lambda: W[YS], r"index with the inputs xs, not the targets ys"),
    (lambda: W.data[XS], r"cut off from W's gradient"),
    (lambda: W[XS].detach(), r"cut off from W's gradient"),
    (lambda: None, r"not written yet"),
]


def _probs():
    counts = W[XS].exp()
    return counts / counts.sum(1, keepdims=True)


E05 = [
    (lambda: F.cross_entropy(W[XS], YS), None),
    (lambda: F.cross_entropy(W[XS], YS).item(), None),
    (lambda: F.cross_entropy(W[XS].double(), YS), None),
    (lambda: torch.nn.CrossEntropyLoss()(W[XS], YS), None),
    (lambda: F.nll_loss(F.log_softmax(W[XS], dim=1), YS), None),
    (lambda: F.cross_entropy(_probs(), YS), r"given probabilities; it takes the LOGITS"),
    (lambda: F.cross_entropy(W[XS].exp(), YS), r"given counts"),
    (lambda: F.cross_entropy(W[XS], YS, reduction="sum"), r"reduction='sum'"),
    (lambda: F.cross_entropy(W[XS], YS) + 0.01 * (W**2).mean(), r"includes the regularisation 0.01"),
    (lambda: F.nll_loss(W[XS], YS), r"F.nll_loss on logits skips the softmax"),
    (lambda: F.cross_entropy(W[XS], YS, reduction="none"), r"tensor of shape \(\d+,\); it should be one number"),
]


# ---------------------------------------------------------------------------- running the corpus

def judge(run, verdict):
    """A right answer (verdict None) passes; a wrong one fails with a message matching ``verdict``."""
    if verdict is None:
        run()
        return
    with pytest.raises(CheckFailed) as err:
        run()
    assert re.search(verdict, str(err.value)), f"the message does not name the mistake: {err.value}"


@pytest.mark.parametrize("answer, verdict, says", E01, ids=[a.__name__ for a, _, _ in E01])
def test_e01(answer, verdict, says, capsys):
    P3, loss = answer()
    judge(lambda: m1.check_e01(P3, loss), verdict)
    if verdict is None:
        out = capsys.readouterr().out
        assert "E01 looks right" in out
        assert says is None or re.search(says, out), f"the passing line should say {says!r}: {out}"


@pytest.mark.parametrize("answer, verdict", SPLITS, ids=[a.__name__ for a, _ in SPLITS])
def test_e02_split(answer, verdict, capsys):
    words = list(WORDS)  # a fresh list each time: one answer shuffles it in place
    parts = answer(words)
    judge(lambda: m1.check_e02(words, *parts), verdict)
    if verdict is None:
        out = capsys.readouterr().out
        assert "E02 looks right" in out
        assert ("the project's split" in out) == (answer in (split_project_way, split_with_helper))


@pytest.mark.parametrize("answer, verdict", MODELS, ids=[a.__name__ for a, _ in MODELS])
def test_e02_models(answer, verdict):
    P2, P3, losses = answer()
    judge(lambda: m1.check_e02(WORDS, TR, DEV, TE, P2, P3, losses), verdict)


@pytest.mark.parametrize("answer, verdict", E03, ids=[a.__name__ for a, _ in E03])
def test_e03(answer, verdict):
    alphas, tr, dv, best, test = answer()
    judge(lambda: m1.check_e03(alphas, tr, dv, best, test), verdict)


@pytest.mark.parametrize("k", range(len(E04)))
def test_e04(k):
    answer, verdict = E04[k]
    judge(lambda: m1.check_e04(answer(), W, XS), verdict)


@pytest.mark.parametrize("k", range(len(E05)))
def test_e05(k):
    answer, verdict = E05[k]
    judge(lambda: m1.check_e05(answer(), W, XS, YS), verdict)


def test_test_set_counts_and_refuses_other_things():
    test = m1.TestSet(TE)
    assert test.calls == 0 and "evaluated 0 times" in repr(test)
    loss = test.loss(probs(N3TR, 0.1))
    assert test.calls == 1 and 2.1 < loss < 2.4
    assert test.loss(probs(N3TR, 0.1).reshape(729, 27)) == loss  # a net's (729, 27) layout: the same table
    with pytest.raises(TypeError, match="n-gram table"):
        test.loss(torch.zeros(27 * 27 * 27))


def test_reference_numbers_come_from_the_data():
    """The check's own references: the lecture's 2.4540 / 2.4546 for the bigram, computed in float64."""
    words = tuple(WORDS)
    N2 = m1._counts(words, 2)
    assert N2.sum() == 228_146
    assert abs(m1._loss(m1._smoothed(N2, 0.0), words) - 2.4540) < 1e-4
    assert abs(m1._loss(m1._smoothed(N2, 1.0), words) - 2.4546) < 1e-4


def test_float32_rounding_is_measured_as_the_lecture_loop_makes_it():
    """The tolerance comes from the same rounding the lecture's loop makes: numpy's float32 cumsum adds one at a time."""
    P3 = add_one_float32("..")
    score = m1._score(P3, tuple(WORDS))
    nll, n = running_sum("..")
    loop = (nll / n).item()
    assert abs(abs(loop - score.loss) - score.drift) < 1e-6
    assert 3e-4 < score.drift < 1e-3 and score.tol == 2 * score.drift  # 2.2120 against the exact 2.2126


def test_one_start_marker_is_compared_with_the_bigram_on_the_same_predictions():
    words = tuple(WORDS)
    X, Y = m1._data(words, 3, True)
    assert len(Y) == 228_146 - len(WORDS)  # one prediction fewer per name: its first letter
    P2 = m1._smoothed(m1._counts(words, 2), 0.0)
    assert abs(m1._loss_same_as_one_marker(P2, words) - 2.3740) < 1e-4
    assert m1._one_marker(add_one_float32(".")) and not m1._one_marker(add_one_float32(".."))
