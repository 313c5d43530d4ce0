"""Chapter 03's explorer: an activation function, its derivative and its tangent line.

A function picker, an x slider and a slope slider α (for the leaky ReLU). The left plot shows
f with its tangent at x, the right plot f′ with the point (x, f′(x)); where |f′| is below a
threshold the unit *saturates* (a gradient passing through it almost vanishes), and those
x-ranges are shaded in both plots.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._validate import one_of, positive_int, real_in_range
from dlcourse.activations import ACTIVATIONS, get_activation, saturation_regions, tangent_line
from dlcourse.widgets import live

X_RANGE = (-6.0, 6.0)
NAMES = tuple(ACTIVATIONS)


@dataclass(frozen=True)
class ActivationView:
    """Everything the explorer draws for one setting of its controls."""

    name: str
    alpha: float
    xs: np.ndarray                          # (num,) the x axis
    f: np.ndarray                           # (num,) f(xs)
    df: np.ndarray                          # (num,) f′(xs)
    x0: float                               # the slider's x
    y0: float                               # f(x0)
    slope: float                            # f′(x0)
    tangent: np.ndarray                     # (num,) f(x0) + f′(x0)(xs − x0)
    threshold: float                        # |f′| below this counts as saturated
    saturated: list[tuple[float, float]]    # x-intervals where |f′| < threshold

    @property
    def saturated_at_x0(self) -> bool:
        return abs(self.slope) < self.threshold

    @property
    def title(self) -> str:
        label = f"leaky_relu (α = {self.alpha:g})" if self.name == "leaky_relu" else self.name
        state = "saturated" if self.saturated_at_x0 else "passes gradient"
        return f"{label} at x = {self.x0:+.2f}: f = {self.y0:.4f}, f′ = {self.slope:.4f} ({state})"


def activation_view(name: str, x0: float, alpha: float = 0.01, *, threshold: float = 0.1,
                    x_range: tuple[float, float] = X_RANGE, num: int = 401) -> ActivationView:
    """Compute the explorer's picture: f, f′ on ``num`` points of ``x_range``, the tangent at
    x0, and the saturation regions |f′| < ``threshold`` (``activations.saturation_regions``).

    ``alpha`` is the leaky ReLU's slope; the other functions ignore it.
    """
    name = one_of(name, ACTIVATIONS, "name")
    alpha = real_in_range(alpha, "alpha")
    num = positive_int(num, "num", minimum=2)
    f, f_grad = get_activation(name, alpha)
    xs = np.linspace(*x_range, num)
    y0, slope, tangent = tangent_line(name, x0, xs, alpha=alpha)
    regions = saturation_regions(name, threshold, alpha=alpha, x_range=x_range)
    return ActivationView(name, float(alpha), xs, f(xs), f_grad(xs), float(x0), y0, slope,
                          tangent, float(threshold), regions)


def _limits(values: np.ndarray) -> tuple[float, float]:
    lo, hi = float(values.min()), float(values.max())
    pad = 0.15 * max(hi - lo, 1.0)
    return lo - pad, hi + pad


def draw_activation(view: ActivationView, axes) -> None:
    """Draw an ``ActivationView`` on two matplotlib axes: (f with tangent, f′)."""
    ax_f, ax_df = axes
    for ax in axes:
        for start, end in view.saturated:
            ax.axvspan(start, end, color="#D55E00", alpha=0.12, lw=0)
        ax.axhline(0, color="0.7", lw=0.8)
        ax.axvline(0, color="0.7", lw=0.8)
        ax.set_xlim(view.xs[0], view.xs[-1])
        ax.set_xlabel("x")
    ax_f.plot(view.xs, view.f, color="#0072B2", lw=2, label="f(x)")
    ax_f.plot(view.xs, view.tangent, "--", color="k", lw=1.2, label="tangent at x")
    ax_f.plot([view.x0], [view.y0], "o", color="k")
    ax_f.set_ylim(*_limits(view.f))
    ax_f.set_title(view.title, fontsize=9)
    ax_f.legend(loc="upper left", fontsize=8)
    ax_df.plot(view.xs, view.df, color="#009E73", lw=2, label="f′(x)")
    ax_df.plot([view.x0], [view.slope], "o", color="k")
    ax_df.axhline(view.threshold, color="#D55E00", ls=":", lw=1,
                  label=f"|f′| < {view.threshold:g}: saturated (shaded)")
    ax_df.set_ylim(*_limits(np.append(view.df, [0.0, 1.0])))
    ax_df.set_title("the derivative: how much gradient passes", fontsize=9)
    ax_df.legend(loc="upper left", fontsize=8)


def activation_scene(view: ActivationView, width: int = 980, height: int = 350) -> dict:
    """The live figure of an ``ActivationView``: f with its tangent at x (left), f′ with the
    saturation threshold (right); saturated x-ranges shaded in both."""
    left, right = live.grid_boxes(width, height, ncols=2, top=44)
    x_lim = (float(view.xs[0]), float(view.xs[-1]))
    shading = [live.vspan(a, b, color="#D55E00", alpha=0.12) for a, b in view.saturated]
    axes = [live.hline(0.0, color="#b3b3b3", width=0.8), live.vline(0.0, color="#b3b3b3",
                                                                     width=0.8)]
    f_marks = [*shading, *axes,
               live.line(view.xs, view.f, color="#0072B2", width=2, label="f(x)"),
               live.line(view.xs, view.tangent, color="#000000", width=1.2, dash="dashed",
                         label="tangent at x"),
               live.scatter([view.x0], [view.y0], color="#000000", size=8)]
    df_marks = [*shading, *axes,
                live.line(view.xs, view.df, color="#009E73", width=2, label="f′(x)"),
                live.scatter([view.x0], [view.slope], color="#000000", size=8),
                live.hline(view.threshold, color="#D55E00", dash="dotted",
                           label=f"|f′| < {view.threshold:g}: saturated (shaded)")]
    return live.scene(width, height, [
        live.panel(left, f_marks, xlim=x_lim, ylim=_limits(view.f), xlabel="x",
                   title="the function and its tangent", legend="upper left"),
        live.panel(right, df_marks, xlim=x_lim, ylim=_limits(np.append(view.df, [0.0, 1.0])),
                   xlabel="x", title="the derivative: how much gradient passes",
                   legend="upper left")], title=view.title)


def activation_explorer(name: str = "sigmoid", x0: float = 2.5, alpha: float = 0.1):
    """The widget: function picker, x slider and α slider over the live plots."""
    import ipywidgets as widgets

    controls = {
        "name": widgets.Dropdown(options=list(NAMES), value=name, description="function"),
        "x0": widgets.FloatSlider(value=x0, min=X_RANGE[0], max=X_RANGE[1], step=0.05,
                                  description="x"),
        "alpha": widgets.FloatSlider(value=alpha, min=0.0, max=1.0, step=0.01,
                                     description="leaky α"),
    }

    def draw(name, x0, alpha):
        return activation_scene(activation_view(name, x0, alpha))

    return live.Explorer(controls, draw).widget
