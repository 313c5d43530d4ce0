"""Small data sets for the course, all generated here or shipped inside scikit-learn.

Nothing is downloaded. Every generator takes a ``seed`` and returns the same arrays for the same
arguments on every machine. Conventions:

- features ``X``: float64 array of shape (n, 2) for the 2-D toy sets, (n, 64) for digits;
- labels ``y``: int64 array of shape (n,), classes numbered 0, 1, ..., k-1.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dlcourse._validate import one_of, positive_int, real_in_range

GATES = ("AND", "OR", "NAND", "NOR", "XOR")

_GATE_OUTPUTS = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0),
}


def logic_gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a two-input logic gate.

    Returns ``X`` of shape (4, 2), float64, rows (0,0), (0,1), (1,0), (1,1), and ``y`` of shape
    (4,), int64, the gate's output for each row. ``name`` is one of AND, OR, NAND, NOR, XOR
    (any case).
    """
    gate = one_of(name, GATES, "gate")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array(_GATE_OUTPUTS[gate], dtype=np.int64)
    return X, y


def make_separable(n: int = 100, *, margin: float = 0.1, seed: int = 0,
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Two classes in the square [-1, 1]² split by a random line, with a guaranteed gap.

    Points closer than ``margin`` to the line are redrawn, so the data is linearly separable
    with geometric margin at least ``margin``: the setting of the perceptron convergence
    theorem. Returns ``X`` (n, 2) float64 and ``y`` (n,) int64 in {0, 1}, both classes present.
    """
    n = positive_int(n, "n", minimum=2)
    margin = real_in_range(margin, "margin", low=0.0, high=0.5)
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi)
    normal = np.array([np.cos(angle), np.sin(angle)])
    offset = rng.uniform(-0.3, 0.3)
    points: list[np.ndarray] = []
    while sum(len(p) for p in points) < n:
        cand = rng.uniform(-1, 1, size=(4 * n, 2))
        dist = cand @ normal + offset
        points.append(cand[np.abs(dist) >= margin])
    X = np.concatenate(points)[:n]
    y = (X @ normal + offset > 0).astype(np.int64)
    # make sure both classes appear: flip the farthest point across the line if one is missing
    if y.min() == y.max():
        i = int(np.argmax(np.abs(X @ normal + offset)))
        X[i] -= 2 * (X[i] @ normal + offset) * normal
        y[i] = 1 - y[i]
    return X, y


def make_blobs(n: int = 200, *, centers: int = 2, spread: float = 0.5, seed: int = 0,
               ) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian clouds around ``centers`` points evenly spaced on a circle of radius 2.

    ``spread`` is the standard deviation of each cloud. Returns ``X`` (n, 2) float64 and ``y``
    (n,) int64 in {0, ..., centers-1}, classes as equal in size as ``n`` allows.
    """
    n = positive_int(n, "n", minimum=centers)
    centers = positive_int(centers, "centers", minimum=2)
    spread = real_in_range(spread, "spread", low=0.0)
    rng = np.random.default_rng(seed)
    y = np.arange(n, dtype=np.int64) % centers
    angles = 2 * np.pi * np.arange(centers) / centers + np.pi / 4
    means = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    X = means[y] + spread * rng.standard_normal((n, 2))
    return X, y


def make_circles(n: int = 200, *, noise: float = 0.1, factor: float = 0.5, seed: int = 0,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """An inner circle (class 1) inside an outer circle (class 0) of radius 1.

    ``factor`` is the inner radius, ``noise`` the standard deviation of Gaussian noise added to
    every point. Returns ``X`` (n, 2) float64 and ``y`` (n,) int64 in {0, 1}.
    """
    n = positive_int(n, "n", minimum=2)
    noise = real_in_range(noise, "noise", low=0.0)
    factor = real_in_range(factor, "factor", low=0.0, high=1.0, low_open=True, high_open=True)
    rng = np.random.default_rng(seed)
    y = np.arange(n, dtype=np.int64) % 2
    theta = rng.uniform(0, 2 * np.pi, size=n)
    radius = np.where(y == 1, factor, 1.0)
    X = radius[:, None] * np.stack([np.cos(theta), np.sin(theta)], axis=1)
    X += noise * rng.standard_normal((n, 2))
    return X, y


def make_xor(n: int = 200, *, noise: float = 0.25, seed: int = 0,
             ) -> tuple[np.ndarray, np.ndarray]:
    """Four Gaussian clouds at (±1, ±1); the label is 1 where exactly one coordinate is positive.

    The cloud version of the XOR truth table. Returns ``X`` (n, 2) float64 and ``y`` (n,) int64.
    """
    n = positive_int(n, "n", minimum=4)
    noise = real_in_range(noise, "noise", low=0.0)
    rng = np.random.default_rng(seed)
    corners = np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]], dtype=np.float64)
    which = np.arange(n) % 4
    X = corners[which] + noise * rng.standard_normal((n, 2))
    y = np.array([0, 1, 1, 0], dtype=np.int64)[which]
    return X, y


def make_spirals(n: int = 300, *, arms: int = 2, noise: float = 0.05, turns: float = 1.0,
                 seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one class per arm (seed 003's 2-D spiral problem).

    Each arm winds ``turns`` times around the origin out to radius 1; arm k is arm 0 rotated by
    2πk/arms. ``noise`` is the standard deviation of Gaussian noise on each coordinate.
    Returns ``X`` (n, 2) float64 and ``y`` (n,) int64 in {0, ..., arms-1}.
    """
    n = positive_int(n, "n", minimum=arms)
    arms = positive_int(arms, "arms", minimum=2)
    noise = real_in_range(noise, "noise", low=0.0)
    turns = real_in_range(turns, "turns", low=0.0, low_open=True)
    rng = np.random.default_rng(seed)
    y = np.arange(n, dtype=np.int64) % arms
    t = rng.uniform(0.05, 1.0, size=n)  # position along the arm, 0 = centre
    theta = 2 * np.pi * turns * t + 2 * np.pi * y / arms
    X = t[:, None] * np.stack([np.cos(theta), np.sin(theta)], axis=1)
    X += noise * rng.standard_normal((n, 2))
    return X, y


TOY_DATASETS = ("xor", "circles", "blobs", "spiral")


def make_toy(name: str, n: int = 200, *, noise: float | None = None, seed: int = 0,
             ) -> tuple[np.ndarray, np.ndarray]:
    """One of the 2-D toy sets by name: ``xor``, ``circles``, ``blobs`` or ``spiral`` (2 arms).

    ``noise`` overrides the set's default noise (the spread, for blobs).
    """
    key = one_of(name, TOY_DATASETS, "data set")
    kw = {} if noise is None else {"spread" if key == "blobs" else "noise": noise}
    makers = {"xor": make_xor, "circles": make_circles, "blobs": make_blobs,
              "spiral": make_spirals}
    return makers[key](n, seed=seed, **kw)


@dataclass(frozen=True)
class DigitsSplit:
    """scikit-learn's 8×8 digits, split into train, validation and test sets.

    Every ``X_*`` is float64 of shape (n, 64) with pixel values scaled to [0, 1]; every ``y_*``
    is int64 of shape (n,) with classes 0-9. Use ``images(X)`` for the (n, 8, 8) view.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    @staticmethod
    def images(X: np.ndarray) -> np.ndarray:
        """Reshape rows of 64 pixels to images of shape (n, 8, 8)."""
        return np.asarray(X).reshape(-1, 8, 8)


@lru_cache(maxsize=4)
def _digits_split(val_fraction: float, test_fraction: float, seed: int) -> DigitsSplit:
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = digits.data.astype(np.float64) / 16.0
    y = digits.target.astype(np.int64)
    rng = np.random.default_rng(seed)
    train_idx, val_idx, test_idx = [], [], []
    for label in range(10):  # stratified: each split keeps the class proportions
        idx = rng.permutation(np.flatnonzero(y == label))
        n_test = round(test_fraction * len(idx))
        n_val = round(val_fraction * len(idx))
        test_idx.append(idx[:n_test])
        val_idx.append(idx[n_test:n_test + n_val])
        train_idx.append(idx[n_test + n_val:])
    parts = [np.sort(np.concatenate(p)) for p in (train_idx, val_idx, test_idx)]
    arrays = []
    for p in parts:
        Xp, yp = X[p], y[p]
        Xp.flags.writeable = False
        yp.flags.writeable = False
        arrays += [Xp, yp]
    return DigitsSplit(*arrays)


def load_digits_split(*, val_fraction: float = 0.15, test_fraction: float = 0.2,
                      seed: int = 0) -> DigitsSplit:
    """The fixed, stratified split of the 1,797 digits used throughout the course.

    With the defaults: 1,169 training, 269 validation and 359 test images. The arrays are
    read-only (they are cached and shared); copy them before changing them in place.
    """
    val_fraction = real_in_range(val_fraction, "val_fraction", low=0.0, high=0.5)
    test_fraction = real_in_range(test_fraction, "test_fraction", low=0.0, high=0.5, low_open=True)
    return _digits_split(val_fraction, test_fraction, int(seed))
