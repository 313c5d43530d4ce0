"""Chapter 03's second explorer: when does a layer stop passing gradients?

One dense layer of 100 units reads the 1,169 training digits, z = (scale · x) W + b + shift,
with fixed random weights (PyTorch's default initialization for 64 inputs). Controls: the
activation, the **input scale** (1: pixels in [0, 1]; 16: the raw pixel values 0 to 16 of
``load_digits``) and a **bias shift** added to every unit.

Left: the histogram of all pre-activations z, with the activation's derivative f′(z) drawn over
it (scaled to the plot) and the region where the unit passes (almost) no gradient shaded: the
flat tails of the sigmoid and tanh, the negative half of the ReLU. Right: every unit's mean
derivative over the examples, sorted; a dead ReLU unit has 0. The title counts dead units and
saturated entries.

What to try: the sigmoid with scale 16 (raw pixels: many entries far out on the flat tails),
then scale 1; the ReLU with a bias shift of −1 (most units dead), then the leaky ReLU with the
same shift (none dead: slope α on the left).

``activation_health_view`` computes what is drawn (pure; ``dlcourse.activation_health`` does
the measuring), ``activation_health_scene`` the live figure, ``activation_health_explorer`` is
the thin widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dlcourse._validate import one_of, real_in_range
from dlcourse.activation_health import MAX_SLOPE, LayerHealth, pre_activation_health
from dlcourse.activations import get_activation
from dlcourse.widgets import live

CHOICES = ("sigmoid", "tanh", "relu", "leaky_relu")
UNITS = 100
BINS = 60
COLOR, FLAT = "#0072B2", "#D55E00"


@lru_cache(maxsize=1)
def _layer() -> tuple[np.ndarray, np.ndarray]:
    """x W for the digits x (1169, 64) in [0, 1], and b, with W (64, 100) and b (100,) drawn
    like ``torch.nn.Linear(64, 100)``: U(−1/8, 1/8). Cached: z = scale·(x W) + b + shift."""
    from dlcourse.data import load_digits_split

    X = load_digits_split().X_train
    rng = np.random.default_rng(0)
    bound = 1 / np.sqrt(X.shape[1])
    W = rng.uniform(-bound, bound, (X.shape[1], UNITS))
    return X @ W, rng.uniform(-bound, bound, UNITS)


@dataclass(frozen=True)
class ActivationHealthView:
    """One setting: the layer's health and what the plot needs."""

    name: str
    scale: float
    shift: float
    health: LayerHealth
    edges: np.ndarray          # (BINS + 1,) histogram bins of z
    counts: np.ndarray         # (BINS,) how many entries fall in each
    grid: np.ndarray           # (m,) z values for the derivative curve
    slope: np.ndarray          # (m,) f'(grid)
    flat: list[tuple[float, float]]   # z intervals where f' < 1 % of its largest value
    unit_slopes: np.ndarray    # (units,) each unit's mean |f'(z)|, sorted, largest first

    @property
    def title(self) -> str:
        h = self.health
        dead = {"relu": f"{int(h.dead.sum())} of {h.dead.size} units dead, ",
                "leaky_relu": f"{int(h.dead.sum())} units never positive (none dead: slope α), "
                }.get(self.name, "")
        return (f"{self.name}, scale {self.scale:g}, shift {self.shift:+g}: {dead}"
                f"{100 * h.saturated:.0f} % of entries on a flat part, mean f′ "
                f"{100 * h.relative_slope:.0f} % of its largest")


def activation_health_view(name: str = "sigmoid", scale: float = 16.0,
                           shift: float = 0.0) -> ActivationHealthView:
    """The layer on the digits scaled by ``scale`` with every bias shifted by ``shift``."""
    name = one_of(name, CHOICES, "activation")
    scale = real_in_range(scale, "scale", low=0.0, low_open=True)
    shift = real_in_range(shift, "shift")
    XW, b = _layer()
    health = pre_activation_health(scale * XW + (b + shift), name)
    lo, hi = float(health.z.min()), float(health.z.max())
    lo, hi = min(lo, -1.0), max(hi, 1.0)
    counts, edges = np.histogram(health.z, BINS, (lo, hi))
    grid = np.linspace(lo, hi, 400)
    _, f_grad = get_activation(name)
    slope = np.abs(f_grad(grid))
    flat_mask = slope < 0.01 * MAX_SLOPE.get(name, 1.0)
    changes = np.flatnonzero(np.diff(flat_mask.astype(int))) + 1
    pieces = np.split(np.arange(grid.size), changes)
    flat = [(float(grid[p[0]]), float(grid[p[-1]])) for p in pieces if flat_mask[p[0]]]
    unit_slopes = np.sort(health.unit_slopes)[::-1]
    return ActivationHealthView(name, scale, shift, health, edges, counts, grid, slope, flat,
                                unit_slopes)


def activation_health_scene(view: ActivationHealthView, width: int = 1000,
                            height: int = 400) -> dict:
    """The live figure: the histogram of z with f′ over it, and the units' mean slopes."""
    left, right = live.grid_boxes(width, height, ncols=2, ratios=[1.5, 1], top=50, bottom=80,
                                  wspace=80)
    e = view.edges
    top = float(view.counts.max())
    centres = (e[:-1] + e[1:]) / 2
    marks = [live.vspan(a, b, color=FLAT, alpha=0.15, label="f′ < 1 % of its largest")
             for a, b in view.flat]
    marks += [live.bars(centres, view.counts, width=e[1] - e[0], color=COLOR, alpha=0.7,
                        label="pre-activations z"),
              live.line(view.grid, view.slope / view.slope.max() * top, color="#000000",
                        width=2, label="f′(z), scaled")]
    largest = MAX_SLOPE.get(view.name, 1.0)
    units = np.arange(1, view.unit_slopes.size + 1)
    bars = [live.bars(units, view.unit_slopes, width=0.9, color=COLOR,
                      label="mean f′ of the unit"),
            live.hline(largest, color="#000000", dash="dashed", label="the largest f′")]
    return live.scene(width, height, [
        live.panel(left, marks, xlim=(float(e[0]), float(e[-1])), ylim=(0, 1.1 * top),
                   xlabel="z = w·x + b (all examples, all units)", ylabel="count",
                   legend="below", legend_cols=3),
        live.panel(right, bars, xlim=(0, units.size + 1), ylim=(0, 1.1 * largest),
                   xlabel="unit (sorted)", ylabel="mean f′(z) over the examples",
                   legend="below", legend_cols=2)], title=view.title)


def activation_health_explorer(name: str = "sigmoid", scale: float = 16.0, shift: float = 0.0):
    """The widget: activation picker, input-scale and bias-shift sliders over the live plot."""
    import ipywidgets as widgets

    controls = {
        "name": widgets.Dropdown(options=list(CHOICES), value=name, description="activation"),
        "scale": widgets.FloatLogSlider(value=scale, base=10, min=-1, max=1.5, step=0.05,
                                        description="input scale"),
        "shift": widgets.FloatSlider(value=shift, min=-3.0, max=3.0, step=0.1,
                                     description="bias shift"),
    }

    def draw(name, scale, shift):
        return activation_health_scene(activation_health_view(name, scale, shift))

    return live.Explorer(controls, draw).widget
