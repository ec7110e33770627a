"""Self-checks for makemore 3 (activations, gradients, BatchNorm), one call per check cell.

The notebook defines the lecture's layer classes; the checks recognise them by what they
hold, as the lecture's code does: a Linear has ``weight`` and ``bias`` (None when built
without one), a BatchNorm1d has ``gamma``, ``beta``, ``running_mean``, ``running_var``, ``eps``.

- :func:`check_e01_init`: E01's ``zero_init`` zeroes every Linear, on the three networks of
  E01 (with BatchNorm; without, where the last layer is a Linear; without biases);
- :func:`snapshot` and :func:`gradient_table`: what moved during training, with a stated
  threshold separating training from float rounding; :func:`check_e01_claim`: the student's
  list of what trains, against that table;
- :func:`check_e02`: E02's ``fold_batchnorm``, tried on copies of the trained net before the
  student's own call: the trained net left untouched, no BatchNorm left, the same logits in
  inference (about 1e-6), and, when wrong, the mistake named by comparing the folded weights
  with the known wrong forms (:func:`~makemore_helpers.checks.closest_form`: eps dropped or
  outside the square root, batch instead of running statistics, gamma or beta missing, rows
  instead of columns scaled).
"""

from __future__ import annotations

import copy
from typing import Any, Callable, NamedTuple, Sequence

import torch
import torch.nn.functional as F

from makemore_helpers.checks import closest_form, fail, passed, student_code
from makemore_helpers.exercise import require_written

#: A parameter "trains" when it moved by more than this fraction of the largest move of any
#: parameter, or its last gradient is above this fraction of the largest gradient. Float32
#: rounding stays far below: about 1e-4 of the largest move in E01 (a bias behind BatchNorm).
TRAINS = 1e-3


def is_linear(layer: object) -> bool:
    return hasattr(layer, "weight") and hasattr(layer, "bias")


def is_batchnorm(layer: object) -> bool:
    return all(hasattr(layer, a) for a in ("gamma", "beta", "running_mean", "running_var"))


def named_parameters(C: torch.Tensor | None, layers: Sequence[object]) -> list[tuple[str, torch.Tensor]]:
    """``(name, tensor)`` for C and every layer's parameters, named by layer index and class: ``'15 Linear.bias'``."""
    named = [] if C is None else [("C (embedding)", C)]
    for i, layer in enumerate(layers):
        names = ("weight", "bias") if is_linear(layer) else ("gamma", "beta") if is_batchnorm(layer) else ()
        for name in names:
            t = getattr(layer, name)
            if t is not None:
                named.append((f"{i:2d} {type(layer).__name__}.{name}", t))
    return named


def snapshot(layers: Sequence[object], C: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
    """Copies of every parameter (and BatchNorm's running statistics), to tell later what changed."""
    snap = {name: t.detach().clone() for name, t in named_parameters(C, layers)}
    for i, layer in enumerate(layers):
        if is_batchnorm(layer):
            for name in ("running_mean", "running_var"):
                snap[f"{i:2d} {type(layer).__name__}.{name}"] = getattr(layer, name).detach().clone()
    return snap


# ---------------------------------------------------------------------------------------------
# E01


def _not_zero(layers: Sequence[object]) -> list[str]:
    out = []
    for i, layer in enumerate(layers):
        if is_linear(layer):
            for name in ("weight", "bias"):
                t = getattr(layer, name)
                if t is not None and t.detach().abs().max().item() != 0:
                    last = " (the last layer: a loop over layers[:-1] skips it)" if i == len(layers) - 1 else ""
                    out.append(f"layer {i} ({type(layer).__name__}) {name} is not zero, largest |value| "
                               f"{t.detach().abs().max().item():.3g}{last}")
    return out


def _variant(layers: Sequence[object], batchnorm: bool, bias: bool) -> list[object]:
    """A copy of ``layers`` with fresh non-zero Linear tensors: without BatchNorm, with or without biases."""
    g = torch.Generator().manual_seed(1)  # its own generator: the notebook's g is not touched
    out = []
    for layer in layers:
        if is_batchnorm(layer) and not batchnorm:
            continue
        new = copy.copy(layer)
        if is_linear(layer):
            fan_in, fan_out = layer.weight.shape
            new.weight = torch.randn((fan_in, fan_out), generator=g)
            new.bias = torch.randn(fan_out, generator=g) if bias else None
        out.append(new)
    if out and not is_linear(out[-1]) and not batchnorm:
        out.pop()  # no activation after the last Linear, as build_mlp does
    return out


def check_e01_init(zero_init: Callable[[list], Any], layers: Sequence[object]) -> None:
    """E01: ``layers`` (after ``zero_init(layers)``) has every Linear weight and bias at 0, and so do the
    network without BatchNorm (last layer a Linear) and the one without biases (``bias`` is None)."""
    problems = _not_zero(layers)
    if problems:
        fail("E01", "zero_init: " + "; ".join(problems))
    zeroed_gamma = [i for i, layer in enumerate(layers)
                    if is_batchnorm(layer) and layer.gamma.detach().abs().max().item() == 0]
    if zeroed_gamma:
        fail("E01", f"zero_init set BatchNorm gamma to zero (layers {zeroed_gamma}): the exercise zeroes the Linear "
                    "layers only; BatchNorm keeps its gamma of 1")
    linears = [i for i, layer in enumerate(layers) if is_linear(layer)]
    for batchnorm, bias, what in ((False, True, "the network without BatchNorm, whose last layer is a Linear"),
                                  (False, False, "the network without biases (every Linear's bias is None)")):
        net = _variant(layers, batchnorm, bias)
        with student_code("E01", f"zero_init on {what}", lambda err: (
                ": skip the bias when it is None (if layer.bias is not None: ...)" if "NoneType" in str(err) else "")):
            zero_init(net)
        problems = _not_zero(net)
        if problems:
            fail("E01", f"zero_init on {what}: " + "; ".join(problems))
    passed("E01", f"zero_init zeroes every Linear weight and bias: the {len(linears)} Linear layers {linears} here, "
                  "and the last Linear of a net without BatchNorm, and nets whose Linear layers have no bias")


class Row(NamedTuple):
    """One parameter of :func:`gradient_table`: largest |grad| on the last step, largest |change|, verdict."""

    grad: float
    change: float
    verdict: str  # "trains", "rounding" or "zero"


def gradient_table(C: torch.Tensor, layers: Sequence[object], init: dict[str, torch.Tensor],
                   threshold: float = TRAINS) -> dict[str, Row]:
    """Print, per parameter, its largest |gradient| on the last step, how far it moved from ``init``
    (a :func:`snapshot` taken before training) and a verdict; return the rows by name.

    "trains": moved by more than ``threshold`` times the largest move of any parameter, or a
    last gradient above ``threshold`` times the largest gradient. "rounding": non-zero but
    below both (float32 rounding, such as ~1e-7 on a Linear bias behind BatchNorm). "zero":
    exactly zero gradient and no change at all.
    """
    raw = []
    for name, p in named_parameters(C, layers):
        if name not in init:
            raise ValueError(f"{name} is not in the snapshot: take it with init = m3.snapshot(layers, C) before training")
        grad = 0.0 if p.grad is None else p.grad.abs().max().item()
        change = (p.detach() - init[name]).abs().max().item()
        raw.append((name, tuple(p.shape), grad, change))
    top_grad = max((r[2] for r in raw), default=0.0)
    top_change = max((r[3] for r in raw), default=0.0)
    print(f"trains: moved by more than {threshold:g} x the largest move ({top_change:.3g}), or last |grad| above "
          f"{threshold:g} x the largest ({top_grad:.3g});\nrounding: non-zero but below both (float32 rounding); "
          "zero: exactly 0")
    print(f"{'parameter':24s} {'shape':>10s} {'max |grad|':>11s} {'max |change|':>13s}  verdict")
    rows = {}
    for name, shape, grad, change in raw:
        if grad == 0 and change == 0:
            verdict = "zero"
        elif change > threshold * top_change or grad > threshold * top_grad:
            verdict = "trains"
        else:
            verdict = "rounding"
        rows[name] = Row(grad, change, verdict)
        mark = "  <- TRAINS" if verdict == "trains" else "  rounding" if verdict == "rounding" else ""
        print(f"{name:24s} {str(shape):>10s} {grad:11.3g} {change:13.3g}{mark}")
    training = [n.strip() for n, r in rows.items() if r.verdict == "trains"]
    print(f"{len(training)} parameter(s) train: {', '.join(training) if training else 'none'}")
    return rows


# ---------------------------------------------------------------------------------------------
# E02


def _copy_net(layers: Sequence[object], *, trainable: bool = False) -> list[object]:
    """An independent copy of ``layers``: new layer objects, every tensor cloned (``.out`` detached).

    With ``trainable``, a tensor that requires grad in the original (a trained parameter) requires
    grad in the copy too, so that writing into it in place fails there exactly as it would on the
    trained net; otherwise every tensor is detached.
    """
    out = []
    for layer in layers:
        new = copy.copy(layer)
        for k, v in vars(layer).items():
            if isinstance(v, torch.Tensor):
                c = v.detach().clone()
                if trainable and v.requires_grad and v.is_leaf:
                    c.requires_grad_(True)
                setattr(new, k, c)
            else:
                setattr(new, k, copy.deepcopy(v))
        out.append(new)
    return out


@torch.no_grad()
def logits(C: torch.Tensor, layers: Sequence[object], X: torch.Tensor) -> torch.Tensor:
    """The net's logits for every row of X in inference mode (BatchNorm with running statistics)."""
    modes = [(layer, layer.training) for layer in layers if hasattr(layer, "training")]
    for layer, _ in modes:
        layer.training = False
    try:
        x = C[X].view(X.shape[0], -1)
        for layer in layers:
            x = layer(x)
    finally:
        for layer, mode in modes:
            layer.training = mode
    return x


def _f64(t: torch.Tensor | None, n: int) -> torch.Tensor:
    return torch.zeros(n, dtype=torch.float64) if t is None else t.detach().double().reshape(-1)


def _close(a: torch.Tensor, b: torch.Tensor, rtol: float = 1e-4) -> bool:
    scale = max(b.abs().max().item(), a.abs().max().item(), 1e-12)
    return (a - b).abs().max().item() <= rtol * scale + 1e-7


#: A folded scale or bias "is" a form when it equals it to this, relative to the form's largest
#: value: float32 rounding is about 1e-7. Forms closer than this on the trained net (eps against a
#: large variance) are told apart on the check's second copy, whose running_var is eps.
FORM_RTOL = 1e-5


def _same(got: torch.Tensor, form: torch.Tensor) -> bool:
    return bool((got - form).abs().max().item() <= FORM_RTOL * max(form.abs().max().item(), 1e-12))


def _diagnose_pair(k: int, lin: Any, bn: Any, new: Any) -> str:
    """Name how the folded Linear ``new`` differs from ``lin`` + ``bn`` folded; '' if it is right."""
    W = lin.weight.detach().double()
    fan_in, fan_out = W.shape
    where = f"folded Linear {k}"
    Wf = getattr(new, "weight", None)
    if not isinstance(Wf, torch.Tensor):
        return f"{where} has no weight tensor"
    Wf = Wf.detach().double()
    if Wf.shape != W.shape:
        if Wf.shape == W.T.shape and fan_in != fan_out:
            Wf = Wf.T  # torch.nn.Linear keeps its weight as (fan_out, fan_in)
        else:
            return f"{where}: weight has shape {tuple(Wf.shape)}, expected {(fan_in, fan_out)} like the Linear it replaces"
    bf = getattr(new, "bias", None)
    if bf is not None and bf.numel() != fan_out:
        return f"{where}: bias has {bf.numel()} numbers, expected {fan_out} (one per output unit)"
    bf = _f64(bf, fan_out)
    b = _f64(lin.bias, fan_out)
    gamma, beta = _f64(bn.gamma, fan_out), _f64(bn.beta, fan_out)
    mean, var, eps = _f64(bn.running_mean, fan_out), _f64(bn.running_var, fan_out), float(bn.eps)
    s = gamma / torch.sqrt(var + eps)
    # the scale the student applied to each column, fitted by least squares
    s_fit = (Wf * W).sum(0) / (W * W).sum(0).clamp_min(1e-30)
    if not _close(Wf, W * s_fit):
        if fan_in == fan_out and _close(Wf, s[:, None] * W):
            return f"{where}: the rows of W are scaled; s scales the columns, one per output unit (W * s)"
        return f"{where}: W' is not W with each column scaled by one number: W' = W * s, s of shape ({fan_out},)"
    named = closest_form(s_fit, [
        ("", lambda: s),  # right (to float32 rounding on this net)
        ("W is not scaled at all: W' = W * s", lambda: torch.ones_like(s)),
        ("eps is added outside the square root: s = gamma / sqrt(running_var + eps), not gamma / (sqrt(running_var) + eps)",
         lambda: gamma / (torch.sqrt(var) + eps)),
        ("eps is dropped: s = gamma / sqrt(running_var + eps)", lambda: gamma / torch.sqrt(var)),
        ("gamma is missing: s = gamma / sqrt(running_var + eps)", lambda: 1 / torch.sqrt(var + eps)),
        ("gamma and eps are missing: s = gamma / sqrt(running_var + eps)", lambda: 1 / torch.sqrt(var)),
        ("the square root is missing: s = gamma / sqrt(running_var + eps)", lambda: gamma / (var + eps)),
        ("s is inverted: s = gamma / sqrt(running_var + eps)", lambda: gamma * torch.sqrt(var + eps)),
    ], _same)
    if named is None:
        v_fit = (gamma / s_fit) ** 2 - eps
        return (f"{where}: the weights are scaled by something other than gamma / sqrt(running_var + eps); if gamma "
                f"is in, the variance used differs from running_var by up to {(v_fit - var).abs().max().item():.3g}: "
                "at inference BatchNorm uses its running statistics, not those of a batch")
    if named:
        return f"{where}: {named}"
    right = (b - mean) * s + beta
    named = closest_form(bf, [
        ("", lambda: right),
        ("beta is missing: b' = (b - running_mean) * s + beta", lambda: (b - mean) * s),
        ("running_mean is not subtracted: b' = (b - running_mean) * s + beta", lambda: b * s + beta),
        ("only the mean is scaled: b' = (b - running_mean) * s + beta", lambda: b - mean * s + beta),
        ("the mean is not scaled by s: b' = (b - running_mean) * s + beta", lambda: b - mean + beta),
        ("gamma is missing from b': b' = (b - running_mean) * s + beta",
         lambda: (b - mean) / torch.sqrt(var + eps) + beta),
        ("the Linear's own bias b is dropped: b' = (b - running_mean) * s + beta", lambda: beta - mean * s),
    ], _same)
    if named is None:
        m_fit = b - (bf - beta) / s
        return (f"{where}: b' differs from (b - running_mean) * s + beta by up to {(bf - right).abs().max().item():.3g}; "
                f"the mean it subtracts differs from running_mean by up to {(m_fit - mean).abs().max().item():.3g}: "
                "at inference BatchNorm uses its running statistics, not those of a batch")
    if named:
        return f"{where}: {named}"
    return ""


def _diagnose(net: Sequence[object], folded: Sequence[object]) -> str:
    new_linears = [layer for layer in folded if hasattr(layer, "weight")]
    k = 0
    for i, layer in enumerate(net):
        if not is_linear(layer):
            continue
        if k >= len(new_linears):
            return f"the folded net has {len(new_linears)} Linear layers, the original {k + 1} or more: keep one per Linear"
        if i + 1 < len(net) and is_batchnorm(net[i + 1]):
            why = _diagnose_pair(k, layer, net[i + 1], new_linears[k])
            if why:
                return why
        k += 1
    return ""


_MAKE_NEW = ("the trained net is still needed (it is the one that trains), so make new tensors (W * s, not W *= s, "
             "W.mul_(s) or W.data = ...) and new layer objects (copy.copy(layer)). The check ran your fold on a copy, "
             "so this did not touch your net")


def _fold(fold_batchnorm: Callable[[list], Any], net: list[object], what: str) -> list[object]:
    """``fold_batchnorm(net)`` on a copy, as a list; every way it can go wrong is a failure naming it."""
    before = snapshot(net)
    with student_code("E02", f"fold_batchnorm on {what}"):
        try:
            folded = fold_batchnorm(net)
        except RuntimeError as err:  # the one crash with a cause of its own to name first
            if "in-place" in str(err) or "leaf Variable" in str(err):
                fail("E02", "fold_batchnorm writes into a trained weight in place (W *= s or W.mul_(s)): PyTorch "
                            "refuses that on a tensor that requires grad, and under torch.no_grad() or through .data "
                            "it would change the trained net; " + _MAKE_NEW)
            raise
    after = snapshot(net)
    changed = [k.strip() for k in before if k not in after or not torch.equal(before[k], after[k])]
    if changed:
        fail("E02", f"fold_batchnorm changed the trained net in place ({', '.join(changed)}): " + _MAKE_NEW)
    if folded is None:
        fail("E02", "fold_batchnorm returned None: return the new list of layers")
    try:
        folded = list(folded)
    except TypeError:
        fail("E02", f"fold_batchnorm returned a {type(folded).__name__}: return the new list of layers")
    if any(new is old for new in folded for old in net if is_linear(old)):
        fail("E02", "the folded net reuses a Linear object of the original: make a new one (copy.copy(layer), then "
                    "set its weight and bias), or the next fold would change both")
    return folded


def _run(C: torch.Tensor, folded: Sequence[object], X: torch.Tensor) -> torch.Tensor:
    try:
        return logits(C, folded, X)
    except Exception as err:  # noqa: BLE001
        dtypes = {str(t.dtype) for layer in folded for t in vars(layer).values() if isinstance(t, torch.Tensor)}
        hint = ": keep the folded weights float32 (.float())" if "torch.float64" in dtypes else ""
        fail("E02", f"the folded net fails to run: {type(err).__name__}: {err}{hint}")


def check_e02(fold_batchnorm: Callable[[list], Any], C: torch.Tensor, layers: Sequence[object],
              X: torch.Tensor, Y: torch.Tensor) -> None:
    """E02: ``fold_batchnorm(layers)`` returns a net without BatchNorm that gives the same inference
    logits on X (about 1e-6: float32 rounding), and leaves ``layers`` untouched.

    The notebook's ``layers`` is never passed to the fold here: the check folds a copy of the
    trained net whose parameters require grad as the trained ones do (so an in-place change shows,
    or fails, there, before the student's own call), then a second copy whose running variances are
    set to eps, where eps in the wrong place shows in the folded weights (that copy is judged by its
    weights: its logits turn float32 rounding into visible differences even for a right fold).
    """
    net = _copy_net(layers, trainable=True)
    folded = _fold(fold_batchnorm, net, "a copy of the trained net")
    left = [i for i, layer in enumerate(folded) if is_batchnorm(layer)]
    print(f"BatchNorm layers left in the folded net: {left if left else 'none'}; trained net modified: no")
    if left:
        fail("E02", f"the folded net still has BatchNorm1d at {left}: fold each into the Linear before it and drop it")
    ref = logits(C, net, X)
    out = _run(C, folded, X)
    if out.shape != ref.shape:
        fail("E02", f"the folded net outputs shape {tuple(out.shape)}, the original {tuple(ref.shape)}")
    maxdiff = (out - ref).abs().max().item()
    loss_ref, loss_out = F.cross_entropy(ref, Y).item(), F.cross_entropy(out, Y).item()
    print(f"largest |logit difference| on {X.shape[0]} examples: {maxdiff:.3g} (expect about 1e-6, float32 rounding)")
    print(f"loss: BatchNorm net {loss_ref:.6f}, folded net {loss_out:.6f}")

    # A second copy where eps is half of every denominator, so that eps left out or misplaced shows.
    probe = _copy_net(layers, trainable=True)
    for layer in probe:
        if is_batchnorm(layer):
            layer.running_var = torch.full_like(layer.running_var, float(layer.eps))
    probe_folded = _fold(fold_batchnorm, probe, "a copy of the trained net with running_var = eps")
    probe_ref, probe_out = logits(C, probe, X), _run(C, probe_folded, X)

    if not torch.allclose(out, ref, rtol=1e-5, atol=1e-5):
        why = (_diagnose(net, folded) or _diagnose(probe, probe_folded)
               or "every folded Linear has the right W' and b', so the layers between differ (a Tanh dropped or moved?)")
        fail("E02", f"logits differ by up to {maxdiff:.3g}, far more than float32 rounding: {why}")
    if probe_out.shape != probe_ref.shape:
        fail("E02", f"the folded copy with running_var = eps outputs shape {tuple(probe_out.shape)}, the original "
                    f"{tuple(probe_ref.shape)}")
    if (probe_out - probe_ref).abs().max().item() > 1e-4 * max(probe_ref.abs().max().item(), 1.0):
        # Judged by its folded weights, not its logits: with running_var = eps every scale is ~200 times
        # larger, and a unit whose pre-activation sits near 0 turns float32 rounding into a visible
        # difference after its Tanh, even for a right fold.
        why = _diagnose(probe, probe_folded)
        if why:
            fail("E02", "right on this net, but wrong when running_var is as small as eps (a copy with "
                        f"running_var = eps): {why}")
    passed("E02", f"no BatchNorm left, the trained net untouched, logits equal to {maxdiff:.1g} (float32 rounding)")


def _norm(name: str) -> str:
    return " ".join(str(name).split())


def check_e01_claim(trains: Any, table: dict[str, Row]) -> None:
    """E01: ``trains``, the names (as in the gradient table) of the parameters you say train, against the table."""
    require_written("E01", trains=trains)
    if isinstance(trains, str):
        trains = [trains]
    rows = {_norm(n): r for n, r in table.items()}
    claimed = [_norm(n) for n in trains]
    unknown = [n for n in claimed if n not in rows]
    if unknown:
        fail("E01", f"no parameter named {', '.join(repr(n) for n in unknown)} in the table; use the names of its "
                    "first column, e.g. '16 BatchNorm1d.beta'")
    top = max((r.change for r in rows.values()), default=0.0)
    for n in claimed:
        r = rows[n]
        if r.verdict == "rounding":
            fail("E01", f"{n} does not train: it moved by {r.change:.3g} ({r.change / top:.1g} of the largest move) "
                        f"with a last gradient of {r.grad:.3g}, float32 rounding, below the {TRAINS:g} threshold")
        if r.verdict == "zero":
            fail("E01", f"{n} does not train: its gradient is exactly 0 on every step, so it never moved")
    missing = [n for n, r in rows.items() if r.verdict == "trains" and n not in claimed]
    if missing:
        fail("E01", f"{', '.join(missing)} train(s) too: moved by "
                    f"{', '.join(f'{rows[n].change:.3g}' for n in missing)}")
    passed("E01", f"exactly {', '.join(claimed) if claimed else 'nothing'} train(s), as the table shows")
