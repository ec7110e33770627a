"""Self-checks for makemore 2 (the MLP), one call per check cell of the notebook.

- :func:`check_e02`: E02 (1) and (2), ``check_e02(uniform_loss, lecture_init_loss)``; and E02 (3),
  ``check_e02(better_init=..., forward=..., Xtr=..., Ytr=...)``, the first loss of a better
  initialisation, judged against ln 27 computed here (``math.log(vocab_size)``), never against the
  student's own ``uniform_loss``, so a wrong E02 (1) cannot make a right E02 (3) fail or a wrong one pass;
- :func:`check_e01`: the chosen setting beats the baseline (and 2.2 at full length);
- :func:`check_e03`: the forward pass with direct connections, run on rows of the dev set. A forward
  pass that takes its number of rows from the input (``X.shape[0]``, ``len(X)``, ``-1``, under any name:
  ``n``, ``bs``, ``batch_size``) is right; one that fixes it to the minibatch's 32 is named.

Known wrong forms are one table per check, named with :func:`~makemore_helpers.checks.closest_form`.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping, Sequence

import torch
import torch.nn.functional as F

from makemore_helpers.checks import closest_form, fail, number, passed, student_code
from makemore_helpers.dataset import vocab_size
from makemore_helpers.exercise import ShortStop, require_written
from makemore_helpers.training import full

#: The loss of exactly uniform predictions over the 27 characters: ln 27 = 3.2958.
UNIFORM_LOSS = math.log(vocab_size)
SEED = 2147483647


def _number(exercise: str, name: str, value: Any) -> float:
    return number(exercise, name, value, what="one number (the mean over examples, e.g. F.cross_entropy(...) "
                                              "or .mean(), then .item())")


def _check_losses(uniform_loss: Any, lecture_init_loss: Any) -> None:
    """E02 (1) and (2): the loss of uniform predictions (ln 27) and the loss at the lecture's init (about 26)."""
    require_written("E02", uniform_loss=uniform_loss, lecture_init_loss=lecture_init_loss)
    u = _number("E02", "uniform_loss", uniform_loss)
    print(f"uniform predictions: loss {u:.4f} (expect {UNIFORM_LOSS:.4f} = -ln(1/27))")
    if abs(u - UNIFORM_LOSS) > 1e-4:
        why = closest_form(u, [
            ("the sign is flipped: the loss is MINUS the log-probability, -log(1/27) = +3.2958", lambda: -UNIFORM_LOSS),
            ("that is log10(27): cross-entropy uses the natural log (torch.log, math.log)",
             lambda: math.log10(vocab_size)),
            ("that is log2(27): cross-entropy uses the natural log (torch.log, math.log)", lambda: math.log2(vocab_size)),
            ("that is ln 26: the vocabulary has 27 symbols, the end marker '.' included",
             lambda: math.log(vocab_size - 1)),
            ("that is ln 28: the vocabulary has 27 symbols (vocab_size)", lambda: math.log(vocab_size + 1)),
            ("that is the probability 1/27, not the loss: take -log of it", lambda: 1 / vocab_size),
        ], lambda got, v: abs(got - v) < 1e-3)
        fail("E02", f"uniform_loss is {u:.4f}, not {UNIFORM_LOSS:.4f}: "
                    f"{why or 'it should be the cross-entropy when every character has probability 1/27, -log(1/27)'}")
    li = _number("E02", "lecture_init_loss", lecture_init_loss)
    print(f"lecture's init:      loss {li:.4f} (expect about 26 to 28 on the training set), {li - u:.1f} above uniform")
    if abs(li - UNIFORM_LOSS) < 0.05:
        fail("E02", f"lecture_init_loss is {li:.4f}, the loss of uniform predictions: it should be the loss of the "
                    "parameters the baseline STARTED from: first_loss(lecture_init)")
    if li > 40:
        fail("E02", f"lecture_init_loss is {li:.4g}, far above the expected 26 to 28: a sum over examples instead "
                    "of the mean? Use first_loss(lecture_init), which averages")
    if li < 15:
        fail("E02", f"lecture_init_loss is {li:.4f}, below the expected 26 to 28: is it the loss after training? "
                    "Use first_loss(lecture_init), the loss of the initial parameters")
    passed("E02", "uniform_loss is ln 27 and lecture_init_loss is the loss at the lecture's initialisation")


def check_e02(uniform_loss: Any = None, lecture_init_loss: Any = None, *, better_init: Callable | None = None,
              forward: Callable | None = None, Xtr: torch.Tensor | None = None, Ytr: torch.Tensor | None = None,
              baseline_init: Callable | None = None, n_embd: int = 10, n_hidden: int = 200) -> None:
    """E02. ``check_e02(uniform_loss, lecture_init_loss)`` judges parts (1) and (2);
    ``check_e02(better_init=..., forward=..., Xtr=..., Ytr=..., baseline_init=...)`` judges part (3) alone,
    against ln 27 computed here, so a slip in part (1) cannot decide part (3).
    """
    if better_init is None:
        _check_losses(uniform_loss, lecture_init_loss)
        return
    if uniform_loss is not None or lecture_init_loss is not None:
        _check_losses(uniform_loss, lecture_init_loss)
    if forward is None or Xtr is None or Ytr is None:
        raise TypeError("check_e02(better_init=...) also takes forward=, Xtr= and Ytr= (the notebook's)")
    _check_init(better_init, forward, Xtr, Ytr, baseline_init, n_embd, n_hidden)


def _parameters_of(exercise: str, init: Callable, block_size: int, n_embd: int, n_hidden: int) -> list[torch.Tensor]:
    name = getattr(init, "__name__", "the init")
    arguments = ". It takes four arguments, (block_size, n_embd, n_hidden, g), as lecture_init does"
    with student_code(exercise, f"{name}({block_size}, {n_embd}, {n_hidden}, g)",
                      lambda err: arguments if isinstance(err, TypeError) else ""):
        params = init(block_size, n_embd, n_hidden, torch.Generator().manual_seed(SEED))
    if not isinstance(params, (list, tuple)) or not all(isinstance(p, torch.Tensor) for p in params):
        fail(exercise, f"{name} returns {type(params).__name__}; it should return a list of tensors, "
                       "[C, W1, b1, W2, b2], as lecture_init does")
    return list(params)


def _check_shapes(exercise: str, params: Sequence[torch.Tensor], expected: Sequence[tuple[str, tuple[int, ...]]]) -> None:
    if len(params) != len(expected):
        names = ", ".join(n for n, _ in expected)
        fail(exercise, f"the init returns {len(params)} tensors; expected {len(expected)}: [{names}]")
    for p, (name, shape) in zip(params, expected):
        # a bias kept as (1, n) is the same parameter as (n,): accept size-1 dimensions
        if tuple(s for s in p.shape if s != 1) != tuple(s for s in shape if s != 1):
            fail(exercise, f"{name} has shape {tuple(p.shape)}, expected {shape}")
        if p.requires_grad and not p.is_leaf:
            fail(exercise, f"{name} is the result of an operation on a tensor that requires grad, so train() cannot "
                           "make it a parameter (requires_grad only works on leaf tensors): draw and scale it without "
                           "requires_grad=True, or scale it under torch.no_grad()")
        if not p.is_floating_point():
            fail(exercise, f"{name} has dtype {p.dtype}; parameters must be floating point (torch.randn gives float32)")


@torch.no_grad()
def _saturation(params: Sequence[torch.Tensor], X: torch.Tensor) -> float:
    C, W1, b1 = params[:3]
    h = torch.tanh(C[X].view(X.shape[0], -1) @ W1 + b1)
    return (h.abs() > 0.97).float().mean().item()


def _check_init(init: Callable, forward: Callable, Xtr: torch.Tensor, Ytr: torch.Tensor,
                baseline_init: Callable | None = None, n_embd: int = 10, n_hidden: int = 200) -> None:
    """E02 (3): the loss over the training set of ``init``'s parameters is within 0.02 of ln 27.

    The parameters are drawn as train() draws them (generator seeded with 2147483647) and
    run through the notebook's ``forward``. With ``baseline_init`` the saturation of the
    tanh units at both initialisations is printed too (informative, not checked).
    """
    block_size = Xtr.shape[1]
    params = _parameters_of("E02", init, block_size, n_embd, n_hidden)
    _check_shapes("E02", params, [("C", (vocab_size, n_embd)), ("W1", (block_size * n_embd, n_hidden)),
                                  ("b1", (n_hidden,)), ("W2", (n_hidden, vocab_size)), ("b2", (vocab_size,))])
    with torch.no_grad():
        loss = F.cross_entropy(forward(Xtr, *params).float(), Ytr).item()
    gap = loss - UNIFORM_LOSS
    print(f"E02: first loss {loss:.4f} on the training set, ln 27 = {UNIFORM_LOSS:.4f}: {gap:+.4f} away")
    if baseline_init is not None:
        base = _parameters_of("E02", baseline_init, block_size, n_embd, n_hidden)
        print(f"tanh units saturated (|h| > 0.97) at init: {getattr(baseline_init, '__name__', 'baseline')} "
              f"{_saturation(base, Xtr):.0%}, yours {_saturation(params, Xtr):.0%}")
    if not math.isfinite(loss):
        fail("E02", f"the first loss is {loss}: some parameter is inf or nan")
    if gap > 1:
        fail("E02", f"your first loss is {gap:.2f} above ln 27: the logits are still large; scale W2 (and b2) "
                    "down much more")
    if gap > 0.02:
        fail("E02", f"your first loss is {gap:.4f} above ln 27, more than 0.02: the logits are small but still "
                    "too spread out; scale W2 down further and set b2 to zero")
    if gap < -0.02:
        fail("E02", f"your first loss is {-gap:.4f} below ln 27: the init already prefers some characters "
                    "(b2 from the letter frequencies?); the task asks for a start near uniform")
    if params[3].abs().max().item() == 0:
        print("note: W2 is exactly zero, so the hidden layer gets no gradient on the first step (it does from the "
              "second); a small non-zero W2 is the usual choice")
    passed("E02", f"the first loss is within 0.02 of ln 27 ({gap:+.4f}; W2 * 0.01 with b2 = 0 gives about +0.01)")


def _loss(run: Any, key: str) -> float:
    return float(run[key] if isinstance(run, Mapping) else getattr(run, key))


def check_e01(run: Any, baseline: Any, better: Any) -> None:
    """E01: the chosen setting's dev loss beats the baseline and E02's run; below 2.2 at full length."""
    dev, train = _loss(run, "dev_loss"), _loss(run, "train_loss")
    base, same_init = _loss(baseline, "dev_loss"), _loss(better, "dev_loss")
    print(f"E01: dev {dev:.4f} (train {train:.4f}); baseline dev {base:.4f}, E02's run dev {same_init:.4f}")
    gap = dev - train
    why = (f"dev is {gap:.3f} above train: the model memorises the training names, so more capacity will not "
           "help; a smaller model or fewer steps may" if gap > 0.15 else
           f"dev is only {gap:.3f} above train: the model has room to grow; try more capacity or more steps")
    if full() and dev >= 2.2:
        fail("E01", f"dev loss {dev:.4f} is not below 2.2 yet; {why}")
    if dev >= base:
        fail("E01", f"the chosen setting is not better than the baseline on dev; {why}")
    if full() and dev >= same_init:
        fail("E01", "the chosen setting is not better than the baseline's setting with the same initialisation "
                    f"(E02's run); {why}")
    passed("E01", "better than the baseline" + (" and below 2.2" if full() else
                                                 " (the 2.2 target is checked at full length only)"))


def _rows_fixed(direct_forward: Callable, args: Sequence[torch.Tensor], X: torch.Tensor) -> int | None:
    """The number of rows a forward pass that fails on ``X`` works on (a minibatch's), or None."""
    for rows in (32, 64, 128, 16):
        if rows < X.shape[0]:
            try:
                with torch.no_grad():
                    out = direct_forward(X[:rows], *args)
            except Exception:
                continue
            if isinstance(out, torch.Tensor) and out.shape[:1] == (rows,):
                return rows
    return None


def check_e03(direct_init: Callable, direct_forward: Callable, forward: Callable, X: torch.Tensor,
              n_embd: int = 10, n_hidden: int = 200) -> None:
    """E03: ``direct_forward`` equals the lecture's forward plus ``embcat @ W3`` for a random W3 (about 1e-6).

    It runs on ``X`` (rows of the dev set, not a minibatch of 32), as train() runs it on whole splits to
    report their losses: the number of rows must come from the input, under whatever name.
    """
    block_size = X.shape[1]
    params = _parameters_of("E03", direct_init, block_size, n_embd, n_hidden)
    d = block_size * n_embd
    _check_shapes("E03", params, [("C", (vocab_size, n_embd)), ("W1", (d, n_hidden)), ("b1", (n_hidden,)),
                                  ("W2", (n_hidden, vocab_size)), ("b2", (vocab_size,)), ("W3", (d, vocab_size))])
    C, W1, b1, W2, b2, _ = params
    W3 = torch.randn((d, vocab_size), generator=torch.Generator().manual_seed(1))  # any W3 will do: a random one
    args = (C, W1, b1, W2, b2, W3)
    with torch.no_grad():
        embcat = C[X].view(X.shape[0], -1)
        h = torch.tanh(embcat @ W1 + b1)
        base = forward(X, C, W1, b1, W2, b2)
        expected = base + embcat @ W3
        try:
            got = direct_forward(X, *args)
        except ShortStop:
            raise
        except Exception as err:
            rows = _rows_fixed(direct_forward, args, X)
            if rows is not None:
                fail("E03", f"direct_forward works on {rows} rows but not on {X.shape[0]:,}: it fixes the number of "
                            f"rows (a view({rows}, ...) or a batch_size of {rows} from outside the function). train() "
                            "also runs it on the whole train and dev sets, so take it from the input: "
                            "emb.view(X.shape[0], -1) or emb.view(-1, W1.shape[0])")
            if isinstance(err, NameError):
                fail("E03", f"direct_forward failed: {err}. It uses a name from outside the function, which train() "
                            "does not define; take the sizes from its arguments: X.shape[0] rows, W1.shape[0] = "
                            "block_size * n_embd columns, or view(X.shape[0], -1)")
            fail("E03", f"direct_forward failed with {type(err).__name__}: {err}. W3 is ({d}, 27) and multiplies "
                        f"the concatenated embeddings embcat ({X.shape[0]}, {d})")
    if not isinstance(got, torch.Tensor) or got.shape != expected.shape:
        fail("E03", f"direct_forward returns {tuple(got.shape) if isinstance(got, torch.Tensor) else type(got).__name__}; "
                    f"expected logits of shape {tuple(expected.shape)}")
    maxdiff = (got - expected).abs().max().item()
    print(f"E03: direct_forward against forward + embcat @ W3: maxdiff {maxdiff:.2e} (expect about 1e-6 or smaller)")
    if maxdiff > 1e-4:
        why = closest_form(got, [
            ("direct_forward ignores W3: add embcat @ W3 to the logits", lambda: base),
            ("direct_forward drops the hidden layer: the direct path is added to h @ W2 + b2, not used instead",
             lambda: embcat @ W3 + b2),
            ("direct_forward drops b2: the logits are h @ W2 + b2 + embcat @ W3", lambda: h @ W2 + embcat @ W3),
        ], lambda g, v: isinstance(v, torch.Tensor) and (g - v).abs().max().item() < 1e-4)
        fail("E03", why or f"direct_forward differs from forward + embcat @ W3 by up to {maxdiff:.3g}")
    passed("E03", "direct_forward is the lecture's forward pass plus embcat @ W3")
