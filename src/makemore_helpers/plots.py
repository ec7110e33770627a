"""The lecture-3 diagnostics as one-line calls.

Each function prints the lecture's per-layer statistics and draws the matching
figure. ``layers`` is a list of layer objects whose ``.out`` holds their last output
(as the lecture's hand-written classes do); ``parameters`` is the list of parameter
tensors. Gradient plots need ``layer.out.retain_grad()`` before ``loss.backward()``.
"""

from __future__ import annotations

from typing import Callable, Sequence

import matplotlib.pyplot as plt
import torch


def is_tanh(layer: object) -> bool:
    """Select the Tanh layers, whose outputs the lecture inspects."""
    return type(layer).__name__ == "Tanh"


def _histogram(t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    t = t.detach().float().flatten()
    lo, hi = t.min().item(), t.max().item()
    if lo == hi:  # a constant tensor (a dead layer): a narrow bin around its value
        lo, hi = lo - 0.05, hi + 0.05
    hy, hx = torch.histogram(t, bins=100, range=(lo, hi), density=True)
    return hx[:-1], hy


def plot_activations(layers: Sequence[object], select: Callable[[object], bool] = is_tanh,
                     title: str = "activation distribution") -> None:
    """Histogram of each selected layer's output, with its mean, std and saturation (|t| > 0.97)."""
    fig, ax = plt.subplots(figsize=(20, 4))
    legends = []
    for i, layer in enumerate(layers[:-1]):
        if not select(layer):
            continue
        t = layer.out  # type: ignore[attr-defined]
        sat = (t.abs() > 0.97).float().mean().item() * 100
        print(f"layer {i} ({type(layer).__name__:>10s}): mean {t.mean().item():+.2f}, std {t.std().item():.2f}, saturated: {sat:.2f}%")
        hx, hy = _histogram(t)
        ax.plot(hx, hy)
        legends.append(f"layer {i} ({type(layer).__name__})")
    ax.legend(legends)
    ax.set_title(title)
    plt.show()


def plot_gradients(layers: Sequence[object], select: Callable[[object], bool] = is_tanh,
                   title: str = "gradient distribution") -> None:
    """Histogram of the gradient at each selected layer's output, with its mean and std."""
    fig, ax = plt.subplots(figsize=(20, 4))
    legends = []
    for i, layer in enumerate(layers[:-1]):
        if not select(layer):
            continue
        out = layer.out  # type: ignore[attr-defined]
        t = out.grad if out.is_leaf or out.retains_grad else None
        if t is None:
            raise ValueError(f"layer {i} has no output gradient: call layer.out.retain_grad() before loss.backward()")
        print(f"layer {i} ({type(layer).__name__:>10s}): mean {t.mean().item():+e}, std {t.std().item():e}")
        hx, hy = _histogram(t)
        ax.plot(hx, hy)
        legends.append(f"layer {i} ({type(layer).__name__})")
    ax.legend(legends)
    ax.set_title(title)
    plt.show()


def plot_weight_gradients(parameters: Sequence[torch.Tensor], title: str = "weights gradient distribution") -> None:
    """Histogram of every weight matrix's gradient, with the grad:data ratio (std of grad / std of data)."""
    fig, ax = plt.subplots(figsize=(20, 4))
    legends = []
    for i, p in enumerate(parameters):
        if p.ndim != 2 or p.grad is None:
            continue
        t = p.grad
        ratio = t.std().item() / p.std().item() if p.std().item() > 0 else float("nan")
        print(f"weight {str(tuple(p.shape)):>10s} | mean {t.mean().item():+f} | std {t.std().item():e} | grad:data ratio {ratio:e}")
        hx, hy = _histogram(t)
        ax.plot(hx, hy)
        legends.append(f"{i} {tuple(p.shape)}")
    ax.legend(legends)
    ax.set_title(title)
    plt.show()


@torch.no_grad()
def update_ratios(parameters: Sequence[torch.Tensor], lr: float) -> list[float]:
    """log10 of (std of the update lr*grad) / (std of the data), one number per parameter.

    Call it every k steps, not every step: it is what makes the lecture's per-step
    diagnostics expensive. A parameter with no gradient, or constant data, gives nan.
    """
    out = []
    for p in parameters:
        if p.grad is None or p.numel() < 2:
            out.append(float("nan"))
            continue
        ratio = (lr * p.grad).std() / p.data.std()
        out.append(ratio.log10().item() if ratio > 0 else float("nan"))
    return out


def plot_update_ratios(ud: Sequence[Sequence[float]], parameters: Sequence[torch.Tensor],
                       every: int = 1, title: str = "update:data ratio (log10)") -> None:
    """Plot the update:data ratio of every weight matrix over time, with the lecture's 1e-3 guide line."""
    fig, ax = plt.subplots(figsize=(20, 4))
    legends = []
    xs = [j * every for j in range(len(ud))]
    for i, p in enumerate(parameters):
        if p.ndim == 2:
            ax.plot(xs, [ud[j][i] for j in range(len(ud))])
            legends.append(f"param {i} {tuple(p.shape)}")
    ax.plot([0, xs[-1] if xs else 1], [-3, -3], "k")  # updates about 1/1000 of the data: the lecture's rule of thumb
    ax.legend(legends)
    ax.set_xlabel("step")
    ax.set_title(title)
    plt.show()


def plot_loss(curves: Sequence[float] | torch.Tensor | dict[str, Sequence[float] | torch.Tensor],
              title: str = "training loss", ax: plt.Axes | None = None, points: int = 200) -> None:
    """Plot log10 of the per-step training loss, averaged over chunks of steps, as in the lectures.

    ``curves`` is one run's losses (a list of floats or a 1-D tensor, one per step) or a
    dict ``{label: losses}`` to compare runs. Each curve is cut into about ``points``
    chunks and each chunk's mean log10 loss is drawn, so the trend shows through the
    minibatch noise. Pass ``ax`` to draw into an existing figure.
    """
    if not isinstance(curves, dict):
        curves = {"": curves}
    own = ax is None
    if own:
        _, ax = plt.subplots(figsize=(10, 4))
    k = 1
    for label, losses in curves.items():
        lossi = torch.as_tensor(losses, dtype=torch.float32).flatten()
        if lossi.numel() == 0:
            raise ValueError(f"no losses to plot for {label or 'the run'}: record one per step in the training loop")
        if (lossi <= 0).any():
            raise ValueError("losses must be positive to plot their log10; pass the loss itself, not its log")
        k = max(1, lossi.numel() // points)
        n = lossi.numel() // k * k
        steps = torch.arange(n, dtype=torch.float32).view(-1, k).mean(1)
        ax.plot(steps, lossi[:n].log10().view(-1, k).mean(1), label=label or None)
    ax.set_xlabel("step")
    ax.set_ylabel(f"log10 loss (mean of {k} steps)" if k > 1 else "log10 loss")
    ax.set_title(title)
    if any(curves):
        ax.legend()
    if own:
        plt.show()
