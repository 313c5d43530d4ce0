"""Chapter 07's explorer: several optimizers racing on one test surface.

A surface picker (elliptic bowl, Rosenbrock's valley, saddle), a multiple choice of optimizers,
a learning-rate slider on a log scale, a momentum slider (μ of Momentum and Nesterov, β₁ of the
Adam family) and a number of steps. The plot shows the surface's contour lines and each
optimizer's path from the same start; the legend gives where each one ended and the value of f
there, or says that it diverged.

``optimizer_paths_view`` computes everything that is drawn (with ``dlcourse.surfaces``, whose
optimizers equal ``torch.optim`` step by step); ``draw_optimizer_paths`` draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dlcourse._validate import one_of, positive_int, public_name
from dlcourse.optimizers import OPTIMIZERS
from dlcourse.surfaces import SURFACES, contour_levels, get_surface, optimizer_paths, surface_grid
from dlcourse.widgets import live

EXPLORER_SURFACES = ("bowl", "rosenbrock", "saddle")
"""The surfaces the widget offers (any name of ``dlcourse.surfaces.SURFACES`` works in the view)."""

LABELS = {"sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad",
          "adadelta": "AdaDelta", "rmsprop": "RMSProp", "adam": "Adam", "amsgrad": "AMSGrad",
          "adamax": "AdaMax", "nadam": "NAdam"}
COLORS = {"sgd": "#0072B2", "momentum": "#E69F00", "nesterov": "#009E73", "adagrad": "#CC79A7",
          "adadelta": "#56B4E9", "rmsprop": "#D55E00", "adam": "#000000", "amsgrad": "#999999",
          "adamax": "#882255", "nadam": "#6A3D9A"}


@dataclass(frozen=True)
class OptimizerPathsView:
    """Everything the explorer draws for one setting of its controls."""

    surface: str
    formula: str
    X: np.ndarray                 # (n, n) grid x coordinates
    Y: np.ndarray                 # (n, n) grid y coordinates
    Z: np.ndarray                 # (n, n) f on the grid
    levels: np.ndarray            # increasing contour levels
    start: np.ndarray             # (2,) the common start point
    minima: np.ndarray            # (k, 2) known minimizers (none for the saddle)
    paths: dict[str, np.ndarray]  # name -> (steps + 1, 2); NaN rows after a divergence
    final_values: dict[str, float]  # name -> f at the last finite point
    diverged: dict[str, bool]     # name -> whether the run left the window's box
    lr: float
    momentum: float
    steps: int

    @property
    def title(self) -> str:
        return (f"{self.surface}: f = {self.formula}; lr = {self.lr:.3g}, "
                f"momentum/β₁ = {self.momentum:.2f}, {self.steps} steps")

    def legend_label(self, name: str) -> str:
        label = LABELS[name]
        if self.diverged[name]:
            return f"{label}: diverged"
        end = self.paths[name][-1]
        return f"{label}: ({end[0]:+.2f}, {end[1]:+.2f}), f = {self.final_values[name]:.3g}"


@lru_cache(maxsize=8)
def _grid(surface: str, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    X, Y, Z = surface_grid(surface, n)
    levels = contour_levels(surface, Z)
    for a in (X, Y, Z, levels):
        a.flags.writeable = False
    return X, Y, Z, levels


def optimizer_paths_view(surface: str, optimizers: Sequence[str], lr: float,
                         momentum: float = 0.9, steps: int = 100, *,
                         grid: int = 150) -> OptimizerPathsView:
    """Run each optimizer on the surface from its start point and collect what is drawn.

    ``surface``: a name of ``dlcourse.surfaces.SURFACES``; ``optimizers``: names of
    ``dlcourse.optimizers.OPTIMIZERS`` (at least one); ``lr``: the one learning rate they all
    use; ``momentum``: μ of Momentum/Nesterov and β₁ of Adam, AMSGrad, AdaMax and NAdam (the
    others have none); ``steps``: how many updates. A run that leaves a box 1000 units wide
    counts as diverged and its path ends there. ``grid``: points per axis of the contour grid.
    """
    name = one_of(surface, SURFACES, "surface")
    if isinstance(optimizers, str):
        optimizers = [optimizers]
    names = [one_of(o, OPTIMIZERS, "optimizer") for o in optimizers]
    if not names:
        raise ValueError(f"{public_name()}: choose at least one optimizer.")
    grid = positive_int(grid, "grid", minimum=2)
    s = get_surface(name)
    paths = optimizer_paths(name, names, lr, momentum=momentum, steps=steps)
    X, Y, Z, levels = _grid(name, grid)
    final_values, diverged = {}, {}
    for key, path in paths.items():
        finite = np.flatnonzero(np.all(np.isfinite(path), axis=1))
        last = path[finite[-1]]
        diverged[key] = bool(finite[-1] < len(path) - 1)
        final_values[key] = float(s.value(last[0], last[1]))
    return OptimizerPathsView(name, s.formula, X, Y, Z, levels, np.array(s.start, dtype=float),
                              s.minima, paths, final_values, diverged, float(lr),
                              float(momentum), int(steps))


@lru_cache(maxsize=8)
def contour_lines(surface: str, n: int = 150) -> tuple[np.ndarray, np.ndarray]:
    """The contour lines of a surface at ``contour_levels`` on its ``surface_grid``, as one
    polyline (x, y) with NaN between the pieces (cached per surface)."""
    import contourpy

    X, Y, Z, levels = _grid(surface, n)
    generator = contourpy.contour_generator(X, Y, Z, line_type="Separate")
    xs, ys = [], []
    for level in levels:
        for piece in generator.lines(float(level)):
            xs += [piece[:, 0], [np.nan]]
            ys += [piece[:, 1], [np.nan]]
    x, y = (np.concatenate(xs), np.concatenate(ys)) if xs else (np.zeros(0), np.zeros(0))
    x.flags.writeable = y.flags.writeable = False
    return x, y


def optimizer_paths_scene(view: OptimizerPathsView, width: int = 620, height: int = 600,
                          grid: int = 150) -> dict:
    """The live figure of an ``OptimizerPathsView``: contour lines, each optimizer's path
    (legend: where it ended, or that it diverged), the start and the minima."""
    cx, cy = contour_lines(view.surface, grid)
    marks = [live.line(cx, cy, color="#999999", width=0.6)]
    for name, path in view.paths.items():
        marks.append(live.line(path[:, 0], path[:, 1], color=COLORS[name], width=1.4,
                               marker="o", markersize=3.5, label=view.legend_label(name)))
    marks.append(live.scatter([view.start[0]], [view.start[1]], color="#000000", marker="s",
                              size=9, label="start"))
    if len(view.minima):
        marks.append(live.scatter(view.minima[:, 0], view.minima[:, 1], color="#FFFFFF",
                                  marker="*", size=18, edgecolor="#000000", label="minimum"))
    box = live.grid_boxes(width, height, bottom=150, left=56)[0]
    return live.scene(width, height, [live.panel(
        box, marks, xlim=(view.X[0, 0], view.X[0, -1]), ylim=(view.Y[0, 0], view.Y[-1, 0]),
        xlabel="x", ylabel="y", title=view.title, legend="below", legend_cols=2)])


def draw_optimizer_paths(view: OptimizerPathsView, ax) -> None:
    """Draw an ``OptimizerPathsView`` on a matplotlib axis."""
    ax.contour(view.X, view.Y, view.Z, levels=view.levels, colors="0.6", linewidths=0.6)
    for name, path in view.paths.items():
        ax.plot(path[:, 0], path[:, 1], "-o", ms=2.5, lw=1.4, color=COLORS[name],
                label=view.legend_label(name))
    ax.plot(*view.start, "ks", ms=7, label="start")
    if len(view.minima):
        ax.plot(view.minima[:, 0], view.minima[:, 1], "*", mfc="white", mec="k", ms=15,
                label="minimum", zorder=4)
    ax.set_xlim(view.X[0, 0], view.X[0, -1])
    ax.set_ylim(view.Y[0, 0], view.Y[-1, 0])
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(view.title, fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=8,
              frameon=False)


def optimizer_paths_explorer(surface: str = "bowl",
                             optimizers: Sequence[str] = ("sgd", "momentum", "rmsprop", "adam"),
                             lr: float = 0.1, momentum: float = 0.9, steps: int = 100):
    """The widget: surface, optimizers, learning rate (log slider), momentum and steps."""
    import ipywidgets as widgets

    controls = {
        "surface": widgets.Dropdown(options=list(EXPLORER_SURFACES), value=surface,
                                    description="surface"),
        "optimizers": widgets.SelectMultiple(
            options=[(LABELS[k], k) for k in OPTIMIZERS], value=tuple(optimizers),
            rows=len(OPTIMIZERS), description="optimizers"),
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=-4, max=0, step=0.05,
                                     description="lr", readout_format=".2g"),
        "momentum": widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01,
                                        description="momentum"),
        "steps": widgets.IntSlider(value=steps, min=10, max=500, step=10, description="steps"),
    }

    def draw(surface, optimizers, lr, momentum, steps):
        if not optimizers:
            raise ValueError("Pick at least one optimizer (Ctrl/Cmd-click to pick several).")
        return optimizer_paths_scene(optimizer_paths_view(surface, optimizers, lr, momentum,
                                                          steps))

    return live.Explorer(controls, draw, layout="left").widget
