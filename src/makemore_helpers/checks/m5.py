"""Self-checks for makemore 5 (WaveNet): E01 BatchNorm1d for 3-D input, E02 the hierarchical model.

Each check builds its own inputs from a seeded generator, so it judges the student's code, not one
lucky batch. A wrong answer is named by :func:`~makemore_helpers.checks.closest_form`: the known
wrong forms (statistics over the wrong dims, eps missing or outside the square root, starting values
swapped, ...) are computed and the first one the answer matches is the diagnosis. E01 compares the student's ``BatchNorm1d`` class with ``torch.nn.BatchNorm1d``, which
wants channels in dim 1: our (N, L, C) input is given to it transposed, as (N, C, L).

On the variance. The lecture's layer normalises with ``x.var(dim)``, the unbiased variance (divided
by m - 1, m the number of values per channel), and keeps it in ``running_var``. torch normalises with
the biased variance (divided by m) and keeps the unbiased one in ``running_var``. Both conventions are
accepted: the check finds which one the layer normalises with, compares it with torch's output
rescaled per channel by sqrt((var_biased + eps) / (var_unbiased + eps)) when it is the unbiased one,
and accepts ``running_var`` updated with either variance. It says which it found.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

import torch

from makemore_helpers.checks import closest_form, fail, passed, student_code
from makemore_helpers.exercise import ExerciseNotWritten

#: The lecture's hierarchical model for a batch of 4: (layer class, output shape) for every layer.
E02_LAYOUT: list[tuple[str, tuple[int, ...]]] = [
    ("Embedding", (4, 8, 24)),
    ("FlattenConsecutive", (4, 4, 48)), ("Linear", (4, 4, 128)), ("BatchNorm1d", (4, 4, 128)), ("Tanh", (4, 4, 128)),
    ("FlattenConsecutive", (4, 2, 256)), ("Linear", (4, 2, 128)), ("BatchNorm1d", (4, 2, 128)), ("Tanh", (4, 2, 128)),
    ("FlattenConsecutive", (4, 256)), ("Linear", (4, 128)), ("BatchNorm1d", (4, 128)), ("Tanh", (4, 128)),
    ("Linear", (4, 27)),
]
#: The lecture's parameter count for n_embd 24, n_hidden 128.
E02_PARAMETERS = 76_579
#: Largest difference from torch accepted as float32 rounding (values of size ~1 to 3).
TOL = 1e-5

#: A wrong answer is named after the hypothesis it matches to this (hypotheses differ by 1e-2 or more).
DIAGNOSIS_TOL = 1e-3


# ---------------------------------------------------------------------------- E01 helpers

def _reduce_dims(ndim: int) -> tuple[int, ...]:
    return (0,) if ndim == 2 else (0, 1)


def _norm(x: torch.Tensor, dims: tuple[int, ...], gamma: torch.Tensor, beta: torch.Tensor, eps: float,
          unbiased: bool, eps_inside: bool = True, affine: bool = True, center: bool = True) -> torch.Tensor:
    """A BatchNorm-like normalisation of x over ``dims``, with knobs for the usual mistakes (float64)."""
    x = x.double()
    mean = x.mean(dims, keepdim=True)
    var = x.var(dims, keepdim=True, unbiased=unbiased)
    xc = x - mean if center else x
    xhat = xc / torch.sqrt(var + eps) if eps_inside else xc / (torch.sqrt(var) + eps)
    return gamma.double() * xhat + beta.double() if affine else xhat


def _maxdiff(a: torch.Tensor, b: torch.Tensor) -> float:
    return (a.detach().double() - b.detach().double()).abs().max().item()


def _call(layer: Any, x: torch.Tensor, what: str) -> torch.Tensor:
    """Call the student's layer; a crash becomes a failure that says on which input."""
    with student_code("E01", f"calling your BatchNorm1d on {what} of shape {tuple(x.shape)}"):
        out = layer(x)
    if not isinstance(out, torch.Tensor):
        fail("E01", f"BatchNorm1d on {what} returned {type(out).__name__}, not a tensor: return self.out")
    if out.shape != x.shape:
        fail("E01", f"BatchNorm1d on {what} of shape {tuple(x.shape)} returned shape {tuple(out.shape)}: "
                    "the output has the input's shape (keepdim=True on the statistics, or statistics of shape (C,))")
    return out


def _stat(layer: Any, name: str, C: int, ndim: int) -> torch.Tensor:
    """The layer's running statistic ``name`` as a (C,) float64 tensor, or a failure naming its shape."""
    t = getattr(layer, name, None)
    if not isinstance(t, torch.Tensor):
        fail("E01", f"layer.{name} is {type(t).__name__}, not a tensor: keep the given __init__ and assign a tensor")
    if t.numel() != C:
        hint = ""
        if ndim == 3 and t.numel() > C:
            hint = (" : one value per position and channel, so the statistics were taken over dim 0 only."
                    " For 3-D input (N, L, C) reduce over dims (0, 1), giving one value per channel")
        fail("E01", f"layer.{name} has shape {tuple(t.shape)}, expected {C} values, shape ({C},) or (1, 1, {C})"
                    f"{hint}")
    if t.requires_grad:
        fail("E01", f"layer.{name} carries a gradient history (requires_grad=True): update the running statistics "
                    "under torch.no_grad(), as the lecture does; otherwise every step's graph is kept alive")
    return t.detach().double().reshape(C)


def _diagnose_output(out: torch.Tensor, x: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, eps: float,
                     what: str) -> str:
    """Name the mistake that makes the training-mode output wrong, at its first cause."""
    right = _reduce_dims(x.ndim)
    candidates: list[tuple[str, Callable[[bool], torch.Tensor]]] = []
    if x.ndim == 3:
        candidates += [
            ("normalised over dim 0 only: for 3-D input (N, L, C) the mean and variance are taken over "
             "dims (0, 1), all N*L values of a channel (the lecture's bug: x.mean(0) on 3-D input)",
             lambda u: _norm(x, (0,), gamma, beta, eps, u)),
            ("normalised over dims (0, 2): here the channels are the LAST dim of (N, L, C), not dim 1 as in "
             "torch's (N, C, L) layout; reduce over dims (0, 1)",
             lambda u: _norm(x, (0, 2), gamma, beta, eps, u)),
            ("normalised over dim 1 only: include the batch dim, reduce over dims (0, 1)",
             lambda u: _norm(x, (1,), gamma, beta, eps, u)),
            ("normalised over every dim at once: reduce over dims (0, 1) so each channel keeps its own statistics",
             lambda u: _norm(x, (0, 1, 2), gamma, beta, eps, u)),
        ]
    else:
        candidates += [
            ("for 2-D input (N, C) you normalised over every value: reduce over dim 0 only when x.ndim == 2 "
             "(and over (0, 1) when x.ndim == 3)",
             lambda u: _norm(x, (0, 1), gamma, beta, eps, u)),
            ("for 2-D input (N, C) you normalised over dim 1: reduce over dim 0 (the batch)",
             lambda u: _norm(x, (1,), gamma, beta, eps, u)),
        ]
    candidates += [
        ("the output is not scaled and shifted: return gamma * xhat + beta",
         lambda u: _norm(x, right, gamma, beta, eps, u, affine=False)),
        ("eps is missing: divide by torch.sqrt(xvar + self.eps); a channel with a tiny variance shows it",
         lambda u: _norm(x, right, gamma, beta, 0.0, u)),
        ("eps is outside the square root: divide by torch.sqrt(xvar + self.eps), not by the std plus eps",
         lambda u: _norm(x, right, gamma, beta, eps, u, eps_inside=False)),
        ("the mean is not subtracted: xhat = (x - xmean) / torch.sqrt(xvar + self.eps)",
         lambda u: _norm(x, right, gamma, beta, eps, u, center=False)),
    ]
    named = closest_form(out, [(message, lambda make=make, u=u: make(u)) for message, make in candidates
                               for u in (True, False)],
                         lambda got, ref: ref.shape == got.shape and _maxdiff(got, ref) < DIAGNOSIS_TOL)
    if named:
        return named
    return (f"on {what} the output differs from torch.nn.BatchNorm1d by up to "
            f"{_maxdiff(out, _norm(x, right, gamma, beta, eps, False)):.3g} (expect below {TOL:g}): "
            "check the mean, the variance, eps, gamma and beta")


def _diagnose_running(name: str, got: torch.Tensor, before: torch.Tensor, batch: list[torch.Tensor],
                      momentum: float) -> str:
    """Name what is wrong with a running statistic after one training step from ``before``."""
    if torch.equal(got, before):
        return (f"layer.{name} did not change in training mode: after each training batch update it, "
                f"running = (1 - momentum) * running + momentum * batch statistic")
    for stat in batch:
        step = stat - before
        m = (((got - before) * step).sum() / (step * step).sum()).item()
        if (before + m * step - got).abs().max().item() < TOL:
            if abs(m - (1 - momentum)) < 1e-4:
                return (f"layer.{name} is updated with the weights swapped (momentum {m:.2f}): the new batch "
                        f"gets weight momentum = {momentum:g}, the old running value 1 - momentum")
            if abs(m - 1) < 1e-4:
                return f"layer.{name} is replaced by the batch statistic instead of moving towards it by momentum"
            return f"layer.{name} is updated with momentum {m:.3g} instead of self.momentum = {momentum:g}"
    return (f"layer.{name} does not follow running = (1 - momentum) * running + momentum * batch statistic "
            "(with the mean and variance over the same dims as the normalisation)")


def _ours(x: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, eps: float, unbiased: bool) -> torch.Tensor:
    """What a correct layer outputs in training mode in the given convention (float64)."""
    return _norm(x, _reduce_dims(x.ndim), gamma, beta, eps, unbiased)


#: What a fresh layer holds, as in torch.nn.BatchNorm1d: a gain of 1 and a shift of 0 (the identity
#: after normalising), a running mean of 0 and a running variance of 1.
INIT = {"gamma": 1.0, "beta": 0.0, "running_mean": 0.0, "running_var": 1.0}


def _check_init(layer: Any, C: int) -> None:
    """A fresh layer's gamma, beta and running statistics are the lecture's (and torch's) starting values."""
    got = {}
    for name in INIT:
        t = getattr(layer, name)
        if not isinstance(t, torch.Tensor) or t.numel() != C:
            fail("E01", f"a fresh BatchNorm1d({C}) has {name} = {t!r}: it should be a tensor of {C} values, "
                        f"as the given __init__ makes it")
        got[name] = t.detach().double().reshape(C)
    wrong = [name for name, v in INIT.items() if not torch.equal(got[name], torch.full((C,), v, dtype=torch.float64))]
    if not wrong:
        return

    def start(**values: float) -> dict[str, torch.Tensor]:
        return {name: torch.full((C,), values.get(name, v), dtype=torch.float64) for name, v in INIT.items()}

    named = closest_form(got, [
        ("gamma and beta start swapped: gamma (the scale) starts at ones, torch.ones(dim), and beta (the shift) at "
         "zeros, torch.zeros(dim), so that a fresh layer outputs the normalised input unchanged",
         lambda: start(gamma=0.0, beta=1.0)),
        ("running_mean and running_var start swapped: running_mean starts at zeros, torch.zeros(dim), and "
         "running_var at ones, torch.ones(dim), as torch.nn.BatchNorm1d starts them",
         lambda: start(running_mean=1.0, running_var=0.0)),
    ], lambda got, form: all(torch.equal(got[k], form[k]) for k in form))
    if named:
        fail("E01", f"a fresh BatchNorm1d({C}): {named}")
    name = wrong[0]
    values = got[name].unique()
    shown = f"all {values.item():g}" if values.numel() == 1 else f"values from {values.min().item():.3g} to {values.max().item():.3g}"
    fill = "torch.ones(dim)" if INIT[name] == 1.0 else "torch.zeros(dim)"
    fail("E01", f"a fresh BatchNorm1d({C}) starts with {name} {shown}: it starts at {fill}, as in the lecture "
                "and torch.nn.BatchNorm1d")


def _check_layer(BatchNorm1d: type, shape: tuple[int, ...], g: torch.Generator, conv: dict[str, Any],
                 diffs: dict[str, float]) -> None:
    """Train one fresh layer on three batches of ``shape`` and evaluate it, against torch; raise at the first mistake."""
    C = shape[-1]
    ndim = len(shape)
    what = f"{ndim}-D input"
    with student_code("E01", f"BatchNorm1d({C})", lambda err: "; keep the given __init__(self, dim, ...)"):
        layer = BatchNorm1d(C)
    for attr in ("gamma", "beta", "running_mean", "running_var", "eps", "momentum", "training"):
        if not hasattr(layer, attr):
            fail("E01", f"the layer has no attribute {attr!r}: keep the given __init__, which sets it")
    _check_init(layer, C)
    eps, momentum = float(layer.eps), float(layer.momentum)
    # gamma and beta away from 1 and 0, so that a missing scale or shift shows
    layer.gamma = torch.randn(C, generator=g) * 0.3 + 1.0
    layer.beta = torch.randn(C, generator=g) * 0.3
    ref = torch.nn.BatchNorm1d(C, eps=eps, momentum=momentum).double()
    with torch.no_grad():
        ref.weight.copy_(layer.gamma)
        ref.bias.copy_(layer.beta)

    def to_torch(t: torch.Tensor) -> torch.Tensor:  # (N, L, C) -> (N, C, L), as torch wants channels in dim 1
        return t.transpose(1, 2) if t.ndim == 3 else t

    # per-channel offsets and scales; the last channel nearly constant (variance ~ eps), so that eps matters
    scale = torch.rand(C, generator=g) * 2 + 0.5
    scale[-1] = 3e-3
    offset = torch.randn(C, generator=g) * 2
    offset[-1] = 0.0
    track_biased = layer.running_var.detach().double().reshape(C).clone()  # running_var kept with the biased variance
    layer.training = True
    for step in range(3):
        x = (torch.randn(shape, generator=g) * scale + offset)
        if ndim == 3:
            x = x + torch.randn(shape[1], 1, generator=g) * 0.5 * (scale > 0.1)  # positions differ, so dim 0 alone is wrong
        x.requires_grad_(True)  # as inside a network; the running statistics must not keep the graph
        before_mean = _stat(layer, "running_mean", C, ndim)
        before_var = _stat(layer, "running_var", C, ndim)
        out = _call(layer, x, what)
        with torch.no_grad():
            y_torch = to_torch(ref(to_torch(x.detach().double())))  # torch: biased variance
        xd = x.detach()
        dims = _reduce_dims(ndim)
        var_u, var_b = xd.double().var(dims, unbiased=True), xd.double().var(dims, unbiased=False)
        # the unbiased convention: torch's output rescaled per channel, (y - beta) * sqrt((var_b + eps) / (var_u + eps)) + beta
        beta = layer.beta.double()
        y_unbiased = (y_torch - beta) * torch.sqrt((var_b + eps) / (var_u + eps)) + beta
        d_biased = _maxdiff(out, y_torch)
        d_unbiased = _maxdiff(out, y_unbiased)
        if conv.get("norm") is None:
            if d_biased < TOL:
                conv["norm"] = "biased"
            elif d_unbiased < TOL:
                conv["norm"] = "unbiased"
            else:
                fail("E01", _diagnose_output(out, xd, layer.gamma, layer.beta, eps, what))
        d = d_biased if conv["norm"] == "biased" else d_unbiased
        if d >= TOL:
            other = "unbiased" if conv["norm"] == "biased" else "biased"
            if min(d_biased, d_unbiased) < TOL:
                fail("E01", f"on {what} the layer normalised with the {other} variance, on earlier input with the "
                            f"{conv['norm']} one: use one convention throughout")
            fail("E01", _diagnose_output(out, xd, layer.gamma, layer.beta, eps, what))
        diffs["train"] = max(diffs.get("train", 0.0), d)
        if not out.requires_grad:
            fail("E01", "the output does not depend on gamma, beta and x through autograd (requires_grad is False): "
                        "do not detach it or compute it under torch.no_grad()")
        # running statistics
        bmean = xd.double().mean(dims)
        track_biased = (1 - momentum) * track_biased + momentum * var_b
        rmean = _stat(layer, "running_mean", C, ndim)
        rvar = _stat(layer, "running_var", C, ndim)
        dm = _maxdiff(rmean, ref.running_mean)
        if dm >= TOL:
            fail("E01", _diagnose_running("running_mean", rmean, before_mean, [bmean], momentum))
        dv_u, dv_b = _maxdiff(rvar, ref.running_var), _maxdiff(rvar, track_biased)
        if conv.get("running") is None:
            conv["running"] = "unbiased" if dv_u < TOL else "biased" if dv_b < TOL else None
        dv = dv_u if conv.get("running") == "unbiased" else dv_b
        if conv.get("running") is None or dv >= TOL:
            fail("E01", _diagnose_running("running_var", rvar, before_var, [var_u, var_b], momentum))
        diffs["running_mean"] = max(diffs.get("running_mean", 0.0), dm)
        diffs["running_var"] = max(diffs.get("running_var", 0.0), dv)

    # eval mode: torch with the layer's own running statistics must give the same output
    layer.training = False
    ref.eval()
    rmean = _stat(layer, "running_mean", C, ndim)
    rvar = _stat(layer, "running_var", C, ndim)
    with torch.no_grad():
        ref.running_mean.copy_(rmean)
        ref.running_var.copy_(rvar)
    eval_shape = (3,) + tuple(shape[1:])  # another batch size: nothing may depend on the training batch
    x = torch.randn(eval_shape, generator=g) * scale + offset + 0.7  # shifted: batch stats != running stats
    out = _call(layer, x, f"{what} in eval mode")
    with torch.no_grad():
        y_torch = to_torch(ref(to_torch(x.double())))
    d = _maxdiff(out, y_torch)
    if d >= TOL:
        batch_stats = closest_form(out, [
            ("in eval mode (layer.training = False) the layer normalised with the statistics of the batch: use "
             "self.running_mean and self.running_var there", lambda u=u: _ours(x, layer.gamma, layer.beta, eps, u))
            for u in (True, False)], lambda got, ref: _maxdiff(got, ref) < DIAGNOSIS_TOL)
        if batch_stats:
            fail("E01", batch_stats)
        fail("E01", f"in eval mode the output differs from torch.nn.BatchNorm1d with your running statistics by up to "
                    f"{d:.3g} (expect below {TOL:g}): (x - running_mean) / sqrt(running_var + eps), then gamma and beta")
    if not (torch.equal(_stat(layer, "running_mean", C, ndim), rmean)
            and torch.equal(_stat(layer, "running_var", C, ndim), rvar)):
        fail("E01", "the running statistics changed in eval mode: update them only when self.training is True")
    diffs["eval"] = max(diffs.get("eval", 0.0), d)


def check_e01(BatchNorm1d: type) -> dict[str, float]:
    """E01: the student's ``BatchNorm1d`` class against ``torch.nn.BatchNorm1d``, 3-D and 2-D, train and eval.

    Checks a fresh layer's starting values (gamma ones, beta zeros, running_mean zeros, running_var
    ones), then trains fresh layers on three batches of (4, 8, 5) and of (32, 5) (seeded, with
    per-channel offsets and scales and one nearly constant channel), comparing the outputs and the running statistics
    after every batch, then evaluates on a batch of another size in eval mode. Prints one line on
    success and returns the largest differences found: ``train``, ``running_mean``, ``running_var``
    and ``eval``; raises :class:`~makemore_helpers.checks.CheckFailed` naming the first mistake.
    """
    if not isinstance(BatchNorm1d, type):
        raise TypeError(f"check_e01 takes the class itself, m5.check_e01(BatchNorm1d), not {type(BatchNorm1d).__name__}")
    g = torch.Generator().manual_seed(2147483647)
    conv: dict[str, Any] = {}
    diffs: dict[str, float] = {}
    _check_layer(BatchNorm1d, (4, 8, 5), g, conv, diffs)
    _check_layer(BatchNorm1d, (32, 5), g, conv, diffs)
    norm = ("the biased variance, as torch" if conv["norm"] == "biased" else
            "the unbiased variance, as the lecture's x.var (torch's output rescaled per channel by "
            "sqrt((var_biased + eps) / (var_unbiased + eps)), about 1.6% at 32 values per channel)")
    running = "the unbiased variance, as torch" if conv["running"] == "unbiased" else "the biased variance (torch keeps the unbiased one)"
    passed("E01", f"3-D (4, 8, 5) and 2-D (32, 5) input in training and eval mode match torch.nn.BatchNorm1d "
                  f"on the (N, C, L) transpose: outputs to {max(diffs['train'], diffs['eval']):.1g}, running statistics to "
                  f"{max(diffs['running_mean'], diffs['running_var']):.1g} (expect below {TOL:g}). "
                  f"Normalised with {norm}; running_var kept with {running}.")
    return diffs


# ---------------------------------------------------------------------------- E02

def _check_flatten(cls: type) -> None:
    """The student's FlattenConsecutive on small inputs whose every value is distinct."""
    cases = [  # (input shape, n, what the case is about)
        ((4, 8, 3), 2, "pairs of positions"),
        ((4, 8, 3), 4, "groups of 4 positions"),
        ((4, 2, 3), 2, "the last merge, where one position is left"),
        ((1, 2, 3), 2, "a batch of 1, as when sampling one name"),
        ((4, 2, 1), 1, "a last dim of size 1"),
        ((4, 1, 1), 1, "one position with a last dim of size 1"),
    ]
    for shape, n, about in cases:
        B, T, C = shape
        x = torch.arange(B * T * C, dtype=torch.float32).view(shape)
        want = x.view(B, T // n, C * n)
        if T // n == 1:
            want = want.squeeze(1)
        with student_code("E02", f"FlattenConsecutive({n}) on shape {shape} ({about})"):
            out = cls(n)(x)
        if not isinstance(out, torch.Tensor):
            fail("E02", f"FlattenConsecutive({n}) returned {type(out).__name__}, not a tensor: return self.out")
        where = f"FlattenConsecutive({n}) on shape {shape} ({about})"
        if out.shape != want.shape:
            got, exp = tuple(out.shape), tuple(want.shape)
            if out.numel() == want.numel() and len(got) < len(exp):
                fail("E02", f"{where} returned shape {got}, expected {exp}: a squeeze removed a dim of size 1 that "
                            "must stay. Squeeze only dim 1, and only when it is 1: x.squeeze(1), not x.squeeze()")
            if out.numel() == want.numel() and len(got) == 3 and len(exp) == 2:
                fail("E02", f"{where} returned shape {got}, expected {exp}: when one position is left (T // n == 1) "
                            "drop dim 1, so the Linear and BatchNorm1d after it see 2-D input (B, C * n)")
            if sorted(got) == sorted(exp):
                fail("E02", f"{where} returned shape {got}, expected {exp}: the dims are in the wrong order; "
                            "the output is (B, T // n, C * n), x.view(B, T // n, C * n)")
            if len(got) == 3 and got[0] == B and got[2] != C * n:
                fail("E02", f"{where} returned shape {got}, expected {exp}: merge n = self.n consecutive "
                            f"positions, giving (B, T // n, C * n)")
            fail("E02", f"{where} returned shape {got}, expected {exp} (B, T // n, C * n), with dim 1 dropped when it is 1")
        if not torch.equal(out, want):
            if torch.equal(out.flatten().sort().values, want.flatten().sort().values):
                fail("E02", f"{where} has the right shape and the right numbers in the wrong order: out[b, t] must be "
                            "x[b, n*t], ..., x[b, n*t + n - 1] concatenated, which x.view(B, T // n, C * n) gives "
                            "(a transpose or a view to (B, C * n, T // n) mixes channels of different positions)")
            fail("E02", f"{where} changed the values: it should only regroup them (x.view(B, T // n, C * n))")


def _copy(model: Any) -> Any:
    """A deep copy of the model; the layers' last outputs (.out, part of a graph) are carried over detached."""
    memo: dict[int, Any] = {}
    for obj in [model, *model.layers]:
        out = getattr(obj, "out", None)
        if isinstance(out, torch.Tensor):
            memo[id(out)] = out.detach()
    return copy.deepcopy(model, memo)


def _shape(t: Any) -> str:
    return str(tuple(t.shape)) if isinstance(t, torch.Tensor) else type(t).__name__


def check_e02(model: Any, X: torch.Tensor) -> int:
    """E02: the hierarchical model's layers, their output shapes for a batch of 4 contexts, and its parameters.

    Tests the model's FlattenConsecutive class on its own first (order of the values, the squeeze),
    then runs a copy of the model (the student's model is not changed) layer by layer on ``X`` (4
    contexts of 8 characters, e.g. ``Xtr[:4]``) and compares every output shape with the lecture's,
    checks that ``model(X)`` is the last layer's output and that ``model.parameters()`` collects all
    76,579 parameters. Prints the table of shapes; returns the parameter count.
    """
    if not (isinstance(X, torch.Tensor) and X.shape == (4, 8) and not X.is_floating_point()):
        raise TypeError(f"check_e02 wants a batch of 4 contexts of 8 character indices, e.g. m5.check_e02(model, Xtr[:4]); "
                        f"got {_shape(X)}")
    layers = getattr(model, "layers", None)
    if not isinstance(layers, (list, tuple)) or not callable(getattr(model, "parameters", None)):
        fail("E02", "model should be a Sequential: .layers is the list of layers, and it has a parameters() method")
    flatten = [layer for layer in layers if type(layer).__name__ == "FlattenConsecutive"]
    if not flatten:
        fail("E02", "model.layers holds no FlattenConsecutive: the hierarchical model merges pairs of positions "
                    "three times (8 -> 4 -> 2 -> 1)")
    _check_flatten(type(flatten[0]))

    net = _copy(model)  # the checks below run BatchNorm in training mode, which updates its statistics
    print(f"{'layer':>5}  {'class':<20} {'output shape':<16} expected")
    x: Any = X
    problem = None
    with torch.no_grad():
        for i, layer in enumerate(net.layers):
            name = type(layer).__name__
            exp_name, exp_shape = E02_LAYOUT[i] if i < len(E02_LAYOUT) else ("(no layer)", None)
            try:
                x = layer(x)
            except ExerciseNotWritten:
                raise
            except Exception as err:  # noqa: BLE001
                print(f"{i:>5}  {name:<20} {'raised ' + type(err).__name__:<16} {exp_name} {exp_shape}")
                fail("E02", f"layer {i} ({name}) raised {type(err).__name__} on the output of the layer before: {err}")
            ok = name == exp_name and isinstance(x, torch.Tensor) and tuple(x.shape) == exp_shape
            print(f"{i:>5}  {name:<20} {_shape(x):<16} {exp_name} {exp_shape}{'' if ok else '   <-- differs'}")
            if not ok and problem is None:
                if name != exp_name:
                    problem = f"layer {i} is a {name}, the lecture's model has a {exp_name} there"
                else:
                    problem = f"layer {i} ({name}) outputs {_shape(x)}, the lecture's {exp_shape}"
    if problem is None and len(net.layers) != len(E02_LAYOUT):
        problem = f"the model has {len(net.layers)} layers, the lecture's {len(E02_LAYOUT)}"
    if problem:
        fail("E02", problem + " (the table above shows every layer: Embedding, then three times FlattenConsecutive(2), "
                              "Linear without bias, BatchNorm1d, Tanh, then the output Linear)")
    last = x

    net2 = _copy(model)
    chain = ("; the layers one by one work, so look at Sequential.__call__: it must pass each layer's output to "
             "the next layer and return the last one")
    with student_code("E02", "model(X)", lambda err: chain), torch.no_grad():
        out = net2(X)
    if not isinstance(out, torch.Tensor) or out.shape != last.shape or _maxdiff(out, last) > 1e-6:
        fail("E02", "model(X) is not the output of the last layer: Sequential.__call__ must pass each layer's output "
                    "to the next layer and return the last one")

    params = list(model.parameters())
    layer_params = [p for layer in model.layers for p in layer.parameters()]
    count = sum(p.nelement() for p in params)
    if len({id(p) for p in params}) != len(params):
        fail("E02", "model.parameters() lists a tensor more than once")
    if {id(p) for p in params} != {id(p) for p in layer_params}:
        fail("E02", f"model.parameters() has {len(params)} tensors ({count:,} numbers), its layers {len(layer_params)}: "
                    "it must collect the parameters of every layer, [p for layer in self.layers for p in layer.parameters()]")
    if count != E02_PARAMETERS:
        extra = count - E02_PARAMETERS
        if extra == 3 * 128:
            fail("E02", f"{count:,} parameters, the lecture's {E02_PARAMETERS:,}: 384 = 3 x 128 too many, biases in the "
                        "three Linear layers before a BatchNorm1d (use bias=False: BatchNorm subtracts the mean, "
                        "which cancels a bias)")
        fail("E02", f"{count:,} parameters, the lecture's {E02_PARAMETERS:,} ({extra:+,}): n_embd = 24, n_hidden = 128, "
                    "Linear(n_embd * 2, n_hidden) first, Linear(n_hidden * 2, n_hidden) twice, Linear(n_hidden, 27) last")
    passed("E02", f"every layer's output shape for a batch of 4 is the lecture's, model(X) is (4, 27), "
                  f"and model.parameters() holds all {count:,} parameters (the lecture's {E02_PARAMETERS:,})")
    return count


# ---------------------------------------------------------------------------- E03

#: The lecture's validation loss, the one to beat.
LECTURE_VAL = 1.993


def check_e03(search: dict[str, float], dev_loss: float) -> None:
    """E03: a search of at least three settings on dev, and the full-length run's dev loss below 1.993.

    ``search`` maps each setting's description to its dev loss from a short run; ``dev_loss`` is the
    dev loss of the chosen setting trained at full length. Prints the search sorted by dev loss. The
    comparison with the lecture's 1.993 is made only at full length (``full()``): a scaled-down run
    cannot be expected to reach it.
    """
    from makemore_helpers.training import full

    if not isinstance(search, dict) or not search:
        raise TypeError("check_e03 wants the search as a dict {setting description: dev loss}, "
                        f"e.g. {{'batch 32, lr 0.1': 2.05, ...}}; got {type(search).__name__}")
    losses: dict[str, float] = {}
    for name, value in search.items():
        v = float(value.item() if isinstance(value, torch.Tensor) else value)
        if not 0 < v < 10:
            fail("E03", f"setting {name!r} has dev loss {v}: a loss here lies between 0 and ln 27 = 3.30 at the start; "
                        "did the training diverge (learning rate too high)?")
        losses[str(name)] = v
    width = max(len(n) for n in losses)
    for name, v in sorted(losses.items(), key=lambda kv: kv[1]):
        print(f"  {name:<{width}}  dev {v:.4f}")
    if len(losses) < 3:
        fail("E03", f"the search has {len(losses)} setting(s): try at least three, so that the choice is made on dev")
    dev = float(dev_loss)
    if not full():
        passed("E03", f"a search of {len(losses)} settings; the full-length run's dev loss {dev:.4f} is compared with "
                      f"the lecture's {LECTURE_VAL} only at full length (MAKEMORE_SCALE is set)")
        return
    if not dev < LECTURE_VAL:
        fail("E03", f"dev loss {dev:.4f} at full length does not beat the lecture's {LECTURE_VAL}: "
                    "look at the search again (the schedule, the batch size and the learning rate together)")
    passed("E03", f"a search of {len(losses)} settings, and the chosen one reaches dev {dev:.4f} at full length, "
                  f"below the lecture's {LECTURE_VAL}")
