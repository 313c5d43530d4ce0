"""Choosing an activation: dead ReLUs and saturated sigmoids, measured (seed 001 §3.4.5).

Two ways a layer stops passing gradients, both visible in its *pre-activations* z (the inputs
of the activation function, one row per example, one column per unit):

- a **dead** ReLU unit has z ≤ 0 for every example: its output is always 0 and so is its
  derivative, so no gradient ever reaches its incoming weights (``dead_units``). A leaky ReLU
  has slope α there instead of 0, so it cannot die;
- a **saturated** sigmoid or tanh unit sits where the curve is flat: f'(z) ≈ 0, and the
  gradient passing through is multiplied by almost nothing (``saturated_share``: the share of
  entries where f'(z) is below a small fraction of f's largest slope).

``pre_activation_health`` computes both, and the mean derivative of every unit, from z;
``layer_health`` does it for one dense layer z = x W + b on a data set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dlcourse._validate import as_array, public_name, real_in_range
from dlcourse.activations import get_activation

__all__ = ["LayerHealth", "dead_units", "layer_health", "pre_activation_health",
           "saturated_share"]

MAX_SLOPE = {"sigmoid": 0.25}
"""The largest derivative of each activation, where it is not 1 (sigmoid: σ'(0) = 1/4)."""


def dead_units(z: Any) -> np.ndarray:
    """Which ReLU units are dead on a data set: z ≤ 0 for every example (every row).

    z: (N, units) pre-activations. Returns a boolean array (units,). Such a unit outputs 0 and
    has derivative 0 (PyTorch's relu'(0) = 0 included) on every example, so its incoming
    weights and bias get exactly zero gradient from this data.
    """
    z = as_array(z, "z", ndim=2, layout="(N, units)")
    if z.shape[0] == 0:
        raise ValueError(f"{public_name()}: z has no examples (rows).")
    return np.all(z <= 0, axis=0)


def saturated_share(z: Any, name: str, threshold: float = 0.01, *,
                    alpha: float = 0.01) -> float:
    """The share of the entries of z where the activation ``name`` is flat:
    f'(z) < threshold · (f's largest slope). For the sigmoid with threshold 0.01, that is
    σ'(z) < 0.0025, i.e. |z| > 6.0; for tanh, tanh'(z) < 0.01, i.e. |z| > 3.0. A ReLU's flat
    part is z ≤ 0."""
    z = as_array(z, "z")
    threshold = real_in_range(threshold, "threshold", low=0.0, low_open=True)
    _, f_grad = get_activation(name, alpha)
    return float(np.mean(np.abs(f_grad(z)) < threshold * MAX_SLOPE.get(name, 1.0)))


@dataclass(frozen=True)
class LayerHealth:
    """One layer's pre-activations on a data set and what they say."""

    name: str
    z: np.ndarray             # (N, units)
    dead: np.ndarray          # (units,) ReLU-dead units (z ≤ 0 on every example)
    saturated: float          # share of entries where |f'| < 1 % of its largest value
    unit_slopes: np.ndarray   # (units,) each unit's mean |f'(z)| over the examples
    largest_slope: float      # the largest slope f can have (1/4 for the sigmoid, else 1)

    @property
    def dead_share(self) -> float:
        return float(np.mean(self.dead))

    @property
    def mean_slope(self) -> float:
        """Mean |f'(z)| over every entry: how much gradient passes, on average."""
        return float(np.mean(self.unit_slopes))

    @property
    def relative_slope(self) -> float:
        """``mean_slope`` as a share of the largest slope f can have."""
        return self.mean_slope / self.largest_slope


def pre_activation_health(z: Any, name: str, *, alpha: float = 0.01,
                          threshold: float = 0.01) -> LayerHealth:
    """How the activation ``name`` fares on the pre-activations z (N, units): dead units,
    the share of entries on a flat part (|f'| < threshold · its largest), mean slopes."""
    z = as_array(z, "z", ndim=2, layout="(N, units)")
    threshold = real_in_range(threshold, "threshold", low=0.0, low_open=True)
    _, f_grad = get_activation(name, alpha)
    slopes = np.abs(f_grad(z))                      # computed once: the sigmoid's is costly
    top = MAX_SLOPE.get(name, 1.0)
    return LayerHealth(name, z, dead_units(z), float(np.mean(slopes < threshold * top)),
                       slopes.mean(axis=0), top)


def layer_health(X: Any, W: Any, b: Any, name: str, *, alpha: float = 0.01) -> LayerHealth:
    """z = X W + b for inputs X (N, D), weights W (D, units), biases b (units,), and how the
    activation ``name`` fares on it (``pre_activation_health``)."""
    X = as_array(X, "X", ndim=2, layout="(N, D)")
    W = as_array(W, "W", ndim=2, layout="(D, units)")
    b = as_array(b, "b", ndim=1, layout="(units,)")
    if X.shape[1] != W.shape[0] or W.shape[1] != b.shape[0]:
        raise ValueError(f"{public_name()}: shapes do not chain: X {X.shape}, W {W.shape}, b "
                         f"{b.shape}.")
    return pre_activation_health(X @ W + b, name, alpha=alpha)
