"""Chapter 10's explorer: how noisy batch norm's statistics are, and what γ and β do.

A batch-size slider and γ, β sliders. Left: the spread (standard deviation over many random
batches) of the mean that batch norm and group norm estimate, against the batch size, the
current size marked. Middle: the estimates themselves at the current batch size, as errors
around the true value; batch norm's scatter shrinks as the batch grows, group norm's does not
depend on it. Right: many activations of one channel normalized with the statistics of *one*
batch of the current size, then scaled by γ and shifted by β, against the distribution
N(β, γ²) that normalizing with the true statistics would give.

The numbers come from ``dlcourse.normalization.batch_statistic_noise``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dlcourse._validate import positive_int, real_in_range
from dlcourse.normalization import batch_statistic_noise
from dlcourse.viz.boundaries import CLASS_COLORS
from dlcourse.widgets import live

BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64)
EPS = 1e-5


@dataclass(frozen=True)
class NormNoiseView:
    """Everything the explorer draws for one batch size and one (γ, β)."""

    batch_size: int
    gamma: float
    beta: float
    batch_sizes: np.ndarray      # (k,) the sizes on the curve, the current one included
    bn_mean_std: np.ndarray      # (k,) spread of BN's per-channel mean over random batches
    gn_mean_std: np.ndarray      # (k,) spread of GN's per-example group mean
    bn_errors: np.ndarray        # (num_draws,) BN's mean estimates − the true channel mean
    gn_errors: np.ndarray        # (num_draws,) GN's mean estimates − the true group mean
    batch_mean: float            # the statistics of one batch of the current size
    batch_var: float
    activations: np.ndarray      # (num_samples,) activations of the channel (true μ, σ²)
    normalized: np.ndarray       # γ·(a − batch_mean)/√(batch_var + ε) + β

    @property
    def index(self) -> int:
        """Position of the current batch size in ``batch_sizes``."""
        return int(np.flatnonzero(self.batch_sizes == self.batch_size)[0])


@lru_cache(maxsize=128)
def _noise(b: int, num_draws: int, seed: int):
    """``batch_statistic_noise`` over BATCH_SIZES and b (cached per batch size: the γ and β
    sliders reuse it)."""
    sizes = np.array(sorted(set(BATCH_SIZES) | {b}))
    return sizes, batch_statistic_noise(sizes, num_draws=num_draws, seed=seed)


def norm_noise_view(batch_size: int, gamma: float = 1.0, beta: float = 0.0,
                    num_draws: int = 300, num_samples: int = 2000,
                    seed: int = 0) -> NormNoiseView:
    """Compute the explorer's picture. Deterministic for a given ``seed``; the statistics are
    cached per batch size, so moving γ or β costs well under a millisecond."""
    b = positive_int(batch_size, "batch_size")
    gamma = real_in_range(gamma, "gamma")
    beta = real_in_range(beta, "beta")
    num_samples = positive_int(num_samples, "num_samples")
    num_draws = positive_int(num_draws, "num_draws", minimum=2)
    sizes, noise = _noise(b, num_draws, int(seed))
    i = int(np.flatnonzero(sizes == b)[0])
    batch_mean, batch_var = float(noise.bn_means[i, 0]), float(noise.bn_vars[i, 0])
    rng = np.random.default_rng(seed + 1)
    activations = noise.true_mean + np.sqrt(noise.true_var) * rng.standard_normal(num_samples)
    normalized = gamma * (activations - batch_mean) / np.sqrt(batch_var + EPS) + beta
    return NormNoiseView(b, gamma, beta, sizes, noise.bn_mean_std, noise.gn_mean_std,
                         noise.bn_means[i] - noise.true_mean,
                         noise.gn_means[i] - noise.true_group_mean,
                         batch_mean, batch_var, activations, normalized)


def norm_noise_scene(view: NormNoiseView, width: int = 1080, height: int = 360) -> dict:
    """The live figure of a ``NormNoiseView``: the noise curves against the batch size, the
    estimates at the current size, and one batch's normalized activations against N(β, γ²)."""
    bn_color, gn_color = CLASS_COLORS[0], CLASS_COLORS[1]
    boxes = live.grid_boxes(width, height, ncols=3, left=64, wspace=80)
    i = view.index
    curves = np.concatenate([view.bn_mean_std, view.gn_mean_std])
    curve_marks = [
        live.line(view.batch_sizes, view.bn_mean_std, color=bn_color, marker="o",
                  markersize=5, label="batch norm"),
        live.line(view.batch_sizes, view.gn_mean_std, color=gn_color, marker="s",
                  markersize=5, label="group norm"),
        live.line([view.batch_size] * 2, [view.bn_mean_std[i], view.gn_mean_std[i]],
                  color="#000000", width=1, dash="dotted"),
        live.scatter([view.batch_size] * 2, [view.bn_mean_std[i], view.gn_mean_std[i]],
                     size=14, fill=False, edgecolor="#000000", edgewidth=1.2)]
    jitter = np.random.default_rng(0).uniform(-0.15, 0.15, size=view.bn_errors.size)
    lim = max(1.0, float(np.abs(view.bn_errors).max()), float(np.abs(view.gn_errors).max()))
    strip_marks = [live.scatter(view.bn_errors, 1 + jitter, size=4, alpha=0.4, color=bn_color),
                   live.scatter(view.gn_errors, jitter, size=4, alpha=0.4, color=gn_color),
                   live.vline(0.0, color="#000000")]
    scale = max(abs(view.gamma), 1e-3)
    grid = np.linspace(view.beta - 4.5 * scale, view.beta + 4.5 * scale, 300)
    counts, edges = np.histogram(view.normalized, bins=50, range=(grid[0], grid[-1]),
                                 density=True)
    density = np.exp(-0.5 * ((grid - view.beta) / scale) ** 2) / (scale * np.sqrt(2 * np.pi))
    top = 1.15 * max(float(counts.max()), float(density.max()))
    hist_marks = [live.bars(0.5 * (edges[:-1] + edges[1:]), counts, width=edges[1] - edges[0],
                            color=bn_color, alpha=0.5, label="normalized with one batch"),
                  live.line(grid, density, color="#000000", label="N(β, γ²)"),
                  live.vline(view.beta, color="#000000", dash="dotted")]
    return live.scene(width, height, [
        live.panel(boxes[0], curve_marks, xscale="log", yscale="log",
                   xlim=(0.8, 1.25 * float(view.batch_sizes.max())),
                   ylim=live.padded(float(curves.min()), float(curves.max()), 0.1, log=True),
                   xlabel="batch size", ylabel="spread of the estimated mean",
                   title="noise of the statistics", legend="upper right"),
        live.panel(boxes[1], strip_marks, xlim=(-lim, lim), ylim=(-0.6, 1.6),
                   yticks=[0, 1], yticklabels=["group norm", "batch norm"],
                   xlabel="estimated mean − true mean",
                   title=f"{view.bn_errors.size} random batches of {view.batch_size}"),
        live.panel(boxes[2], hist_marks, xlim=(grid[0], grid[-1]), ylim=(0, top),
                   xlabel="γ·x̂ + β", legend="upper right",
                   title=f"γ = {view.gamma:g}, β = {view.beta:g}: mean "
                         f"{view.normalized.mean():.2f}, std {view.normalized.std():.2f}")])


def draw_norm_noise(view: NormNoiseView, axes) -> None:
    """Draw a ``NormNoiseView`` on three matplotlib axes."""
    ax_curve, ax_strip, ax_hist = axes
    bn_color, gn_color = CLASS_COLORS[0], CLASS_COLORS[1]

    ax_curve.loglog(view.batch_sizes, view.bn_mean_std, "o-", color=bn_color,
                    label="batch norm")
    ax_curve.loglog(view.batch_sizes, view.gn_mean_std, "s-", color=gn_color,
                    label="group norm")
    i = view.index
    ax_curve.plot([view.batch_size] * 2, [view.bn_mean_std[i], view.gn_mean_std[i]], "k:",
                  lw=1)
    ax_curve.scatter([view.batch_size] * 2, [view.bn_mean_std[i], view.gn_mean_std[i]],
                     s=120, facecolors="none", edgecolors="k", zorder=3)
    ax_curve.set_xlabel("batch size")
    ax_curve.set_ylabel("spread of the estimated mean")
    ax_curve.set_title("noise of the statistics", fontsize=10)
    ax_curve.legend(fontsize=8)

    jitter = np.random.default_rng(0).uniform(-0.15, 0.15, size=view.bn_errors.size)
    ax_strip.scatter(view.bn_errors, 1 + jitter, s=6, alpha=0.4, color=bn_color)
    ax_strip.scatter(view.gn_errors, jitter, s=6, alpha=0.4, color=gn_color)
    ax_strip.axvline(0.0, color="k", lw=1)
    lim = max(1.0, float(np.abs(view.bn_errors).max()), float(np.abs(view.gn_errors).max()))
    ax_strip.set_xlim(-lim, lim)
    ax_strip.set_yticks([0, 1], ["group\nnorm", "batch\nnorm"])
    ax_strip.set_ylim(-0.6, 1.6)
    ax_strip.set_xlabel("estimated mean − true mean")
    ax_strip.set_title(f"{view.bn_errors.size} random batches of {view.batch_size}",
                       fontsize=10)

    ax_hist.hist(view.normalized, bins=50, density=True, color=bn_color, alpha=0.5,
                 label="normalized with one batch")
    scale = max(abs(view.gamma), 1e-3)
    grid = np.linspace(view.beta - 4.5 * scale, view.beta + 4.5 * scale, 300)
    ax_hist.plot(grid, np.exp(-0.5 * ((grid - view.beta) / scale) ** 2)
                 / (scale * np.sqrt(2 * np.pi)), "k-", lw=1.5, label="N(β, γ²)")
    ax_hist.axvline(view.beta, color="k", ls=":", lw=1)
    ax_hist.set_xlim(grid[0], grid[-1])
    ax_hist.set_xlabel("γ·x̂ + β")
    ax_hist.set_title(f"γ = {view.gamma:g}, β = {view.beta:g}: mean "
                      f"{view.normalized.mean():.2f}, std {view.normalized.std():.2f}",
                      fontsize=10)
    ax_hist.legend(fontsize=8, loc="upper right")


def norm_noise_explorer(batch_size: int = 4, gamma: float = 1.0, beta: float = 0.0):
    """The widget: batch-size, γ and β sliders over the live plots."""
    import ipywidgets as widgets

    controls = {
        "batch_size": widgets.IntSlider(value=batch_size, min=1, max=64,
                                        description="batch size"),
        "gamma": widgets.FloatSlider(value=gamma, min=0.1, max=3.0, step=0.1,
                                     description="γ"),
        "beta": widgets.FloatSlider(value=beta, min=-3.0, max=3.0, step=0.1,
                                    description="β"),
    }

    def draw(batch_size, gamma, beta):
        return norm_noise_scene(norm_noise_view(batch_size, gamma, beta))

    return live.Explorer(controls, draw).widget
