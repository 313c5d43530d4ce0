"""Two-dimensional test functions for watching optimizers move (chapter 07's widget).

Each surface has a value f(x, y) that works elementwise on whole grids (for the contour plot),
an analytic gradient, a plotting window, a start point and its known minimum (if any).
``optimizer_paths`` runs several optimizers from ``dlcourse.optimizers`` on one surface and
returns their trajectories; ``surface_grid`` and ``contour_levels`` give what the contour plot
needs. Everything here is a pure function of its arguments, so the widget only draws.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dlcourse._validate import as_array, one_of, positive_int, public_name, real_in_range
from dlcourse.optimizers import OPTIMIZERS, optimizer_trajectory

__all__ = [
    "SURFACES",
    "Surface",
    "contour_levels",
    "get_surface",
    "optimizer_paths",
    "surface_grid",
]


@dataclass(frozen=True)
class Surface:
    """A test function of two variables.

    ``value(x, y)``: f at arrays x, y of any (equal or broadcastable) shape, elementwise.
    ``grad(p)``: ∇f at points p of shape (..., 2), returned with the same shape.
    ``xlim``, ``ylim``: the plotting window; ``start``: the default start point;
    ``minima``: the known minimizers, shape (k, 2) (empty for the saddle, which has none);
    ``log_levels``: whether contour levels are better spaced geometrically (steep valleys).
    """

    name: str
    formula: str
    value: Callable[[Any, Any], np.ndarray]
    grad: Callable[[Any], np.ndarray]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    start: tuple[float, float]
    minima: np.ndarray
    log_levels: bool

    def __call__(self, x: Any, y: Any) -> np.ndarray:
        return self.value(x, y)


def _xy(p: Any) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(p, dtype=np.float64)
    if p.ndim == 0 or p.shape[-1] != 2:
        raise ValueError(f"grad: p must have shape (..., 2), the points (x, y); got {p.shape}.")
    return p[..., 0], p[..., 1]


# --- elliptic bowl: an ill-conditioned quadratic ------------------------------------------------
# f = ½(a·x² + b·y²) with a = 0.2, b = 4: curvature 20 times larger across the valley than along.
_A, _B = 0.2, 4.0


def _bowl(x: Any, y: Any) -> np.ndarray:
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return 0.5 * (_A * x**2 + _B * y**2)


def _bowl_grad(p: Any) -> np.ndarray:
    x, y = _xy(p)
    return np.stack([_A * x, _B * y], axis=-1)


# --- Rosenbrock's banana valley ----------------------------------------------------------------
def _rosenbrock(x: Any, y: Any) -> np.ndarray:
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(p: Any) -> np.ndarray:
    x, y = _xy(p)
    return np.stack([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)], axis=-1)


# --- saddle ------------------------------------------------------------------------------------
def _saddle(x: Any, y: Any) -> np.ndarray:
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return x**2 - y**2


def _saddle_grad(p: Any) -> np.ndarray:
    x, y = _xy(p)
    return np.stack([2 * x, -2 * y], axis=-1)


# --- Himmelblau: four equal minima -------------------------------------------------------------
def _himmelblau(x: Any, y: Any) -> np.ndarray:
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _himmelblau_grad(p: Any) -> np.ndarray:
    x, y = _xy(p)
    u, v = x**2 + y - 11, x + y**2 - 7
    return np.stack([4 * x * u + 2 * v, 2 * u + 4 * y * v], axis=-1)


# --- Beale: flat plateaus and a narrow curved valley -------------------------------------------
_BEALE_C = (1.5, 2.25, 2.625)


def _beale(x: Any, y: Any) -> np.ndarray:
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return sum((c - x + x * y ** (k + 1)) ** 2 for k, c in enumerate(_BEALE_C))


def _beale_grad(p: Any) -> np.ndarray:
    x, y = _xy(p)
    gx = np.zeros_like(x)
    gy = np.zeros_like(y)
    for k, c in enumerate(_BEALE_C):
        r = c - x + x * y ** (k + 1)
        gx = gx + 2 * r * (y ** (k + 1) - 1)
        gy = gy + 2 * r * (k + 1) * x * y**k
    return np.stack([gx, gy], axis=-1)


SURFACES: dict[str, Surface] = {
    "bowl": Surface("bowl", "½(0.2·x² + 4·y²)", _bowl, _bowl_grad, (-6.0, 6.0), (-3.0, 3.0),
                    (-5.0, 2.0), np.array([[0.0, 0.0]]), False),
    "rosenbrock": Surface("rosenbrock", "(1 − x)² + 100·(y − x²)²", _rosenbrock,
                          _rosenbrock_grad, (-2.0, 2.0), (-1.0, 3.0), (-1.2, 1.0),
                          np.array([[1.0, 1.0]]), True),
    "saddle": Surface("saddle", "x² − y²", _saddle, _saddle_grad, (-2.0, 2.0), (-2.0, 2.0),
                      (1.8, 0.05), np.zeros((0, 2)), False),
    "himmelblau": Surface("himmelblau", "(x² + y − 11)² + (x + y² − 7)²", _himmelblau,
                          _himmelblau_grad, (-5.0, 5.0), (-5.0, 5.0), (0.0, -0.5),
                          np.array([[3.0, 2.0], [-2.805118, 3.131312],
                                    [-3.779310, -3.283186], [3.584428, -1.848126]]), True),
    "beale": Surface("beale", "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
                     _beale, _beale_grad, (-4.5, 4.5), (-4.5, 4.5), (1.0, 1.5),
                     np.array([[3.0, 0.5]]), True),
}
"""The test surfaces by name: bowl, rosenbrock, saddle, himmelblau, beale."""


def get_surface(surface: str | Surface) -> Surface:
    """The ``Surface`` called ``surface`` (any case), or ``surface`` itself if it is one."""
    if isinstance(surface, Surface):
        return surface
    return SURFACES[one_of(surface, SURFACES, "surface")]


def surface_grid(surface: str | Surface, n: int = 200) -> tuple[np.ndarray, np.ndarray,
                                                                  np.ndarray]:
    """f on an n × n grid over the surface's window: ``(X, Y, Z)``, each of shape (n, n).

    ``X[i, j]`` runs along x (columns), ``Y[i, j]`` along y (rows), as ``np.meshgrid`` makes
    them, ready for ``plt.contour(X, Y, Z)``.
    """
    s = get_surface(surface)
    n = positive_int(n, "n", minimum=2)
    X, Y = np.meshgrid(np.linspace(*s.xlim, n), np.linspace(*s.ylim, n))
    return X, Y, s.value(X, Y)


def contour_levels(surface: str | Surface, Z: Any, n: int = 20) -> np.ndarray:
    """``n`` increasing contour levels for the values ``Z`` of a surface's grid.

    Geometric spacing above the minimum for steep valleys (``log_levels``: Rosenbrock,
    Himmelblau, Beale), so the valley floor gets as many lines as the walls; even spacing
    otherwise (bowl, saddle).
    """
    s = get_surface(surface)
    Z = as_array(Z, "Z")
    n = positive_int(n, "n", minimum=2)
    lo, hi = float(np.nanmin(Z)), float(np.nanmax(Z))
    if s.log_levels:
        span = max(hi - lo, 1e-12)
        return lo + np.geomspace(span * 1e-4, span, n)
    return np.linspace(lo, hi, n + 2)[1:-1]


# In the widget one "momentum" slider drives every optimizer that has a momentum-like term.
_MOMENTUM_ARG: dict[str, str | None] = {
    "sgd": None, "momentum": "momentum", "nesterov": "momentum", "adagrad": None,
    "adadelta": None, "rmsprop": None, "adam": "beta1", "amsgrad": "beta1",
    "adamax": "beta1", "nadam": "beta1",
}


def optimizer_paths(surface: str | Surface, optimizers: Sequence[str],
                    lr: float | Mapping[str, float], momentum: float = 0.9, steps: int = 100,
                    start: Any = None, bound: float = 1e3) -> dict[str, np.ndarray]:
    """Run each named optimizer on a surface from the same start; return the trajectories.

    ``optimizers``: names from ``dlcourse.optimizers.OPTIMIZERS`` (sgd, momentum, nesterov,
    adagrad, adadelta, rmsprop, adam, amsgrad, adamax, nadam). ``lr``: one learning rate for
    all, or a mapping name → learning rate. ``momentum``: μ of Momentum and Nesterov, and β₁ of
    Adam, AMSGrad, AdaMax and NAdam (β₂ stays 0.999); SGD, AdaGrad, AdaDelta and RMSProp have no
    momentum term and ignore it. All other hyperparameters keep torch's defaults. ``start``:
    the start point (default: the surface's). Each optimizer gets its own copy of it.

    Returns a dict name → array of shape (steps + 1, 2): the start, then the point after each
    step, exactly what ``optimizer_trajectory(name, surface.grad, start, steps, ...)`` gives,
    except that a run that leaves the box |x|, |y| ≤ ``bound`` (diverges) stops there: that
    point and all later ones are NaN, so a plot simply ends.
    """
    s = get_surface(surface)
    if isinstance(optimizers, str):
        optimizers = [optimizers]
    names = [one_of(name, OPTIMIZERS, "optimizer") for name in optimizers]
    momentum = real_in_range(momentum, "momentum", low=0.0, high=1.0, high_open=True)
    steps = positive_int(steps, "steps", minimum=0)
    bound = real_in_range(bound, "bound", low=0.0, low_open=True)
    x0 = np.array(s.start if start is None else start, dtype=np.float64)
    if x0.shape != (2,):
        raise ValueError(f"{public_name()}: start must be a point (x, y); got shape {x0.shape}.")

    def grad(p: np.ndarray) -> np.ndarray:
        # past the box the run counts as diverged: stop it by returning a non-finite gradient
        if np.max(np.abs(p)) > bound:
            return np.full(2, np.nan)
        return s.grad(p)

    paths = {}
    for name in names:
        if isinstance(lr, Mapping) and name not in lr:
            raise ValueError(f"{public_name()}: lr has no learning rate for {name!r}; give one for "
                             "every optimizer, or a single number for all.")
        rate = lr[name] if isinstance(lr, Mapping) else lr
        hyper: dict[str, Any] = {"lr": real_in_range(rate, f"lr for {name}", low=0.0)}
        arg = _MOMENTUM_ARG[name]
        if arg == "momentum":
            hyper["momentum"] = momentum
        elif arg == "beta1":
            hyper["betas"] = (momentum, 0.999)
        path = optimizer_trajectory(name, grad, x0, steps, **hyper)
        outside = np.flatnonzero(np.max(np.abs(path), axis=1) > bound)
        if outside.size:
            path[outside[0]:] = np.nan
        paths[name] = path
    return paths
