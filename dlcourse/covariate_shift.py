"""Internal covariate shift, measured (seed 001 §3.14).

While a network trains, the parameters of every layer change, so the distribution of the
inputs that a deeper layer receives changes too: Ioffe and Szegedy (2015) called this
*internal covariate shift* and proposed batch norm to remove it. To see it, record the inputs
of one layer on a fixed probe set at several moments of training: an array ``z`` of shape
(K, N, D), K moments, N probe examples, D units. Then, per unit,

- the mean and the spread (standard deviation) of its inputs at each moment, and
- how far its whole distribution has moved: the **1-D Wasserstein distance** (earth mover's
  distance) between two samples. For two samples of the same size it is simply

      W₁(a, b) = (1/N) Σ_i |a_(i) − b_(i)|,     a_(i), b_(i): the samples sorted,

  the average distance between matching quantiles (``wasserstein_1d``; equal to
  ``scipy.stats.wasserstein_distance``). Shifting a sample by c moves it by |c|; reordering it
  moves it by 0.

``distribution_drift`` computes all of these for a recording. NumPy only; the torch networks
that produce the recordings are in ``dlcourse.nets.shift_mlp``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dlcourse._validate import as_array, public_name

__all__ = ["DistributionDrift", "distribution_drift", "wasserstein_1d"]


def wasserstein_1d(a: Any, b: Any) -> np.ndarray | float:
    """The 1-D Wasserstein distance W₁ between two samples of the same size, per column.

    a, b: (N,) or (N, D), D units side by side (each column one sample of N values). Returns
    a float for 1-D input, else (D,): W₁ = mean over i of |sort(a)_i − sort(b)_i|, the sorting
    down each column. The samples are not modified.
    """
    a = as_array(a, "a", ndim=(1, 2), layout="(N,) or (N, D)")
    b = as_array(b, "b", ndim=(1, 2), layout="(N,) or (N, D)")
    if a.shape != b.shape:
        raise ValueError(f"{public_name()}: a and b must have the same shape (the same number of "
                         f"values per unit); got {a.shape} and {b.shape}.")
    if a.shape[0] == 0:
        raise ValueError(f"{public_name()}: the samples are empty.")
    d = np.mean(np.abs(np.sort(a, axis=0) - np.sort(b, axis=0)), axis=0)
    return float(d) if a.ndim == 1 else d


@dataclass(frozen=True)
class DistributionDrift:
    """What ``distribution_drift`` measures; K moments, D units."""

    mean: np.ndarray          # (K, D) the mean of each unit's inputs at each moment
    std: np.ndarray           # (K, D) their standard deviation
    step_w1: np.ndarray       # (K − 1, D) W₁ between consecutive moments
    start_w1: np.ndarray      # (K, D) W₁ between each moment and the first
    percentiles: np.ndarray   # (K, 3, D) the 15th, 50th and 85th percentiles

    @property
    def path(self) -> float:
        """Σ over consecutive moments of W₁, averaged over the units: how far the
        distributions travelled in all."""
        return float(self.step_w1.sum(axis=0).mean())

    @property
    def mean_path(self) -> float:
        """Σ |change of the mean| over consecutive moments, averaged over the units."""
        return float(np.abs(np.diff(self.mean, axis=0)).sum(axis=0).mean())

    @property
    def std_path(self) -> float:
        """Σ |change of the spread| over consecutive moments, averaged over the units."""
        return float(np.abs(np.diff(self.std, axis=0)).sum(axis=0).mean())


def distribution_drift(z: Any) -> DistributionDrift:
    """Means, spreads, percentiles and W₁ distances of a recording ``z`` of shape (K, N, D):
    K moments of training, N probe examples, D units of one layer."""
    z = as_array(z, "z", ndim=3, layout="(K, N, D)")
    ordered = np.sort(z, axis=1)
    step = np.mean(np.abs(np.diff(ordered, axis=0)), axis=1)
    start = np.mean(np.abs(ordered - ordered[:1]), axis=1)
    pct = np.percentile(z, [15, 50, 85], axis=1).transpose(1, 0, 2)
    return DistributionDrift(z.mean(axis=1), z.std(axis=1), step, start, pct)
