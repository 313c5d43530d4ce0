"""Points, lines and decision regions in the plane: the pictures of classification.

The computing parts (``line_segment``, ``region_grid``) are pure and tested; the ``plot_*``
functions only draw what they return.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlcourse._validate import as_array, positive_int, public_name

# colour-blind friendly class colours (Okabe-Ito), used by every chapter
CLASS_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                "#F0E442", "#000000", "#999999", "#882255")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<")

Segment = tuple[tuple[float, float], tuple[float, float]]


def line_segment(w1: float, w2: float, b: float, xlim: tuple[float, float],
                 ylim: tuple[float, float]) -> Segment | None:
    """The part of the line w1·x + w2·y + b = 0 inside the box xlim × ylim.

    Returns the two end points, or None if the line misses the box or w1 = w2 = 0 (then
    z = b everywhere: there is no boundary, every point is on the same side).
    """
    if w1 == 0 and w2 == 0:
        return None
    (x0, x1), (y0, y1) = xlim, ylim
    points: list[tuple[float, float]] = []
    if w2 != 0:  # crossings of the left and right edges
        for x in (x0, x1):
            y = -(w1 * x + b) / w2
            if y0 <= y <= y1:
                points.append((x, y))
    if w1 != 0:  # crossings of the bottom and top edges
        for y in (y0, y1):
            x = -(w2 * y + b) / w1
            if x0 <= x <= x1:
                points.append((x, y))
    unique: list[tuple[float, float]] = []
    for p in points:  # a corner is found twice
        if all(abs(p[0] - q[0]) > 1e-12 or abs(p[1] - q[1]) > 1e-12 for q in unique):
            unique.append(p)
    if len(unique) < 2:
        return None
    return unique[0], unique[1]


def region_grid(predict: Callable[[np.ndarray], np.ndarray], xlim: tuple[float, float],
                ylim: tuple[float, float], resolution: int = 200,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate a classifier on a grid over the box.

    ``predict`` maps (m, 2) points to (m,) values (labels or probabilities). Returns the grid
    coordinates xx, yy and the values, all of shape (resolution, resolution).
    """
    resolution = positive_int(resolution, "resolution", minimum=2)
    xs = np.linspace(*xlim, resolution)
    ys = np.linspace(*ylim, resolution)
    xx, yy = np.meshgrid(xs, ys)
    values = np.asarray(predict(np.column_stack([xx.ravel(), yy.ravel()])))
    if values.shape != (xx.size,):
        raise ValueError(f"{public_name()}: predict must return one value per point, shape "
                         f"({xx.size},); got {values.shape}.")
    return xx, yy, values.reshape(xx.shape)


def padded_limits(X: np.ndarray, pad: float = 0.15) -> tuple[tuple[float, float], ...]:
    """Axis limits around the points with a margin of ``pad`` times the range."""
    X = as_array(X, "X", ndim=2, layout="(n, 2)")
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.maximum(hi - lo, 1e-9)
    return tuple((float(a - pad * s), float(b + pad * s)) for a, b, s in zip(lo, hi, span,
                                                                               strict=True))


def plot_points(ax, X: np.ndarray, y: np.ndarray, *, size: float = 30, labels=None,
                edge: bool = True) -> None:
    """Scatter 2-D points coloured and shaped by class."""
    X = as_array(X, "X", ndim=2, layout="(n, 2)")
    y = np.asarray(y)
    for k, cls in enumerate(np.unique(y)):
        mask = y == cls
        name = labels[k] if labels is not None else f"class {cls}"
        ax.scatter(X[mask, 0], X[mask, 1], s=size, c=CLASS_COLORS[k % len(CLASS_COLORS)],
                   marker=MARKERS[k % len(MARKERS)], edgecolors="k" if edge else "none",
                   linewidths=0.5, label=name, zorder=3)


def plot_decision_regions(ax, predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
                          y: np.ndarray, *, resolution: int = 200, alpha: float = 0.25,
                          limits=None) -> None:
    """Colour the plane by the predicted class and draw the points on top."""
    xlim, ylim = limits or padded_limits(X)
    xx, yy, labels = region_grid(predict, xlim, ylim, resolution)
    classes = np.unique(np.concatenate([np.unique(labels), np.unique(y)]))
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap([CLASS_COLORS[int(c) % len(CLASS_COLORS)] for c in classes])
    index = np.searchsorted(classes, labels)
    ax.contourf(xx, yy, index, levels=np.arange(len(classes) + 1) - 0.5, cmap=cmap, alpha=alpha)
    plot_points(ax, X, y)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
