"""Chapter 15's VAE explorer: one latent coordinate's posterior against the prior.

Sliders set the encoder's output for one latent dimension, the mean μ and log σ². The left panel
shows the posterior q(z) = N(μ, σ²) against the prior p(z) = N(0, 1), and thirty codes drawn the
reparameterized way, z = μ + σ·ε, from thirty *fixed* ε ~ N(0, 1): dragging a slider moves and
stretches the same samples smoothly, which is why gradients can flow from z back to μ and σ.
The right panel shows the KL term as a function of log σ² at this μ, with the current setting
marked: its minimum is at σ = 1, and the μ²/2 part lifts the whole curve as μ leaves 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._validate import positive_int, real_in_range
from dlcourse.widgets import live

Z = np.linspace(-5.0, 5.0, 401)
LOGVAR = np.linspace(-4.0, 2.0, 241)


def kl_1d(mu: float | np.ndarray, logvar: float | np.ndarray) -> np.ndarray:
    """KL( N(μ, exp(logvar)) ‖ N(0, 1) ) = ½ (μ² + exp(logvar) − logvar − 1), elementwise."""
    mu, logvar = np.asarray(mu, dtype=float), np.asarray(logvar, dtype=float)
    return 0.5 * (mu ** 2 + np.exp(logvar) - logvar - 1.0)


def _density(z: np.ndarray, mean: float, var: float) -> np.ndarray:
    return np.exp(-0.5 * (z - mean) ** 2 / var) / np.sqrt(2 * np.pi * var)


@dataclass(frozen=True)
class VaeKlView:
    """Everything the explorer draws for one setting of the sliders."""

    mu: float
    logvar: float
    z: np.ndarray            # (401,) grid of codes
    posterior: np.ndarray    # q(z) on the grid
    prior: np.ndarray        # p(z) on the grid
    samples: np.ndarray      # (n,) z = μ + σ ε for the fixed ε
    kl: float                # the closed form
    kl_mean_part: float      # μ²/2
    logvars: np.ndarray      # (241,) log σ² axis of the right panel
    kl_curve: np.ndarray     # KL at this μ for every log σ²

    @property
    def sigma(self) -> float:
        return float(np.exp(0.5 * self.logvar))

    @property
    def title(self) -> str:
        return (f"μ = {self.mu:+.2f}, σ = {self.sigma:.2f}: KL = {self.kl:.3f} nats "
                f"(μ²/2 = {self.kl_mean_part:.3f})")


def vae_kl_view(mu: float = 1.0, logvar: float = -1.0, n_samples: int = 30,
                seed: int = 0) -> VaeKlView:
    """The posterior N(μ, exp(logvar)), the prior, reparameterized samples from fixed noise
    (``np.random.default_rng(seed)``), the KL and its curve over log σ²."""
    mu = real_in_range(mu, "mu")
    logvar = real_in_range(logvar, "logvar", low=-20.0, high=20.0)
    eps = np.random.default_rng(seed).standard_normal(positive_int(n_samples, "n_samples"))
    sigma = float(np.exp(0.5 * logvar))
    return VaeKlView(mu, logvar, Z, _density(Z, mu, sigma ** 2), _density(Z, 0.0, 1.0),
                     mu + sigma * eps, float(kl_1d(mu, logvar)), 0.5 * mu ** 2, LOGVAR,
                     kl_1d(mu, LOGVAR))


def vae_kl_scene(view: VaeKlView, width: int = 900, height: int = 360) -> dict:
    """The live figure: densities with the samples on the left, the KL curve on the right."""
    top = float(max(view.posterior.max(), view.prior.max()))
    tick = 0.06 * top
    left = [live.fill(view.z, view.prior, color="#999999", alpha=0.3, label="prior N(0, 1)"),
            live.line(view.z, view.posterior, color="#0072B2", width=2.5,
                      label="posterior q(z | x)")]
    xs = np.repeat(view.samples, 3)
    ys = np.tile([0.0, tick, np.nan], len(view.samples))
    left.append(live.line(xs, ys, color="#D55E00", width=1.5, label="z = μ + σ·ε"))
    right = [live.line(view.logvars, view.kl_curve, color="#009E73", width=2.5,
                       label="KL at this μ"),
             live.hline(view.kl_mean_part, color="#888888", dash="dotted", label="μ²/2"),
             live.scatter([view.logvar], [view.kl], size=14, color="#D55E00",
                          edgecolor="#000000", label="now")]
    boxes = live.grid_boxes(width, height, ncols=2, bottom=56)
    hi = float(max(view.kl_curve.max(), view.kl)) * 1.05 + 0.05
    return live.scene(width, height, [
        live.panel(boxes[0], left, xlim=(-5, 5), ylim=(0, 1.1 * top), xlabel="z",
                   ylabel="density", title=view.title, legend="upper left"),
        live.panel(boxes[1], right, xlim=(float(view.logvars[0]), float(view.logvars[-1])),
                   ylim=(0, hi), xlabel="log σ²", ylabel="KL (nats)",
                   title="the KL term pulls σ toward 1 and μ toward 0", legend="upper left"),
    ])


def draw_vae_kl(view: VaeKlView, axes) -> None:
    """Draw a ``VaeKlView`` on two matplotlib axes."""
    ax, ax_kl = axes
    ax.fill_between(view.z, view.prior, color="0.6", alpha=0.3, label="prior N(0, 1)")
    ax.plot(view.z, view.posterior, color="#0072B2", lw=2.5, label="posterior q(z | x)")
    top = max(view.posterior.max(), view.prior.max())
    ax.vlines(view.samples, 0, 0.06 * top, color="#D55E00", label="z = μ + σ·ε")
    ax.set_xlim(-5, 5)
    ax.set_xlabel("z")
    ax.set_ylabel("density")
    ax.set_title(view.title, fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    ax_kl.plot(view.logvars, view.kl_curve, color="#009E73", lw=2.5, label="KL at this μ")
    ax_kl.axhline(view.kl_mean_part, color="0.5", ls=":", label="μ²/2")
    ax_kl.plot([view.logvar], [view.kl], "o", color="#D55E00", mec="k", ms=9, label="now")
    ax_kl.set_xlabel("log σ²")
    ax_kl.set_ylabel("KL (nats)")
    ax_kl.set_title("the KL term pulls σ toward 1 and μ toward 0", fontsize=10)
    ax_kl.legend(fontsize=8, loc="upper left")


def vae_kl_explorer(mu: float = 1.0, logvar: float = -1.0):
    """The widget: μ and log σ² sliders over the densities, the samples and the KL curve."""
    import ipywidgets as widgets

    controls = {
        "mu": widgets.FloatSlider(value=mu, min=-3.0, max=3.0, step=0.05, description="μ"),
        "logvar": widgets.FloatSlider(value=logvar, min=-4.0, max=2.0, step=0.05,
                                      description="log σ²"),
    }

    def draw(mu, logvar):
        return vae_kl_scene(vae_kl_view(mu, logvar))

    return live.Explorer(controls, draw).widget
