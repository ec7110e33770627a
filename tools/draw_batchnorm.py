"""Draw the BatchNorm algorithm (Ioffe and Szegedy 2015, Algorithm 1) into img/batchnorm_algorithm.png.

    python tools/draw_batchnorm.py [--out img/batchnorm_algorithm.png]

The figure is typeset with matplotlib's own mathtext (no LaTeX installation needed) and
written without a timestamp or version in its metadata, so running the script again on
the same matplotlib gives the same bytes. Both lecture-3 notebooks show it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # draw to a file; no display needed
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "img" / "batchnorm_algorithm.png"

# (formula, what it does), one row per step of Algorithm 1 in the paper
STEPS = [
    (r"$\mu_{\mathcal{B}} \leftarrow \dfrac{1}{m}\sum_{i=1}^{m} x_i$",
     "mini-batch mean"),
    (r"$\sigma_{\mathcal{B}}^2 \leftarrow \dfrac{1}{m}\sum_{i=1}^{m} (x_i - \mu_{\mathcal{B}})^2$",
     "mini-batch variance"),
    (r"$\widehat{x}_i \leftarrow \dfrac{x_i - \mu_{\mathcal{B}}}{\sqrt{\sigma_{\mathcal{B}}^2 + \epsilon}}$",
     "normalise"),
    (r"$y_i \leftarrow \gamma\,\widehat{x}_i + \beta \equiv \mathrm{BN}_{\gamma,\beta}(x_i)$",
     "scale and shift"),
]


def draw(out: Path = OUT) -> Path:
    """Typeset the algorithm and save it as a PNG at ``out``; return the path."""
    plt.rcParams.update({"mathtext.fontset": "cm", "font.family": "DejaVu Sans"})
    fig = plt.figure(figsize=(8.0, 5.0), dpi=100)
    fig.patch.set_facecolor("white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)

    ax.text(0.04, 0.93, "Algorithm 1: Batch Normalizing Transform (Ioffe and Szegedy, 2015)",
            fontsize=12, fontweight="bold", va="center")
    ax.plot([0.04, 0.96], [0.875, 0.875], color="black", lw=1.2)
    ax.text(0.04, 0.81, r"Input: values of an activation $x$ over a mini-batch $\mathcal{B} = \{x_1, \ldots, x_m\}$;",
            fontsize=12, va="center")
    ax.text(0.135, 0.74, r"parameters to be learned: $\gamma$, $\beta$", fontsize=12, va="center")
    ax.text(0.04, 0.67, r"Output: $\{y_i = \mathrm{BN}_{\gamma,\beta}(x_i)\}$", fontsize=12, va="center")
    ax.plot([0.04, 0.96], [0.625, 0.625], color="black", lw=0.6)

    y = 0.54
    for formula, what in STEPS:
        ax.text(0.08, y, formula, fontsize=15, va="center")
        ax.text(0.94, y, f"// {what}", fontsize=12, va="center", ha="right", style="italic", color="#333333")
        y -= 0.135
    ax.plot([0.04, 0.96], [0.045, 0.045], color="black", lw=1.2)

    out.parent.mkdir(parents=True, exist_ok=True)
    # no Software / date entries, so the bytes depend only on the drawing
    fig.savefig(out, dpi=100, facecolor="white", metadata={"Software": None})
    plt.close(fig)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the PNG")
    args = parser.parse_args(argv)
    print(f"wrote {draw(args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
