"""Rebalancing a data set whose classes have very different sizes (seed 000, "Data Imbalance").

Three remedies from the seed, each a pure function of ``(X, y)`` that returns a new ``(X, y)``:

- random undersampling: drop randomly chosen rows of the larger classes;
- random oversampling: repeat randomly chosen rows of the smaller classes;
- SMOTE (Chawla et al., 2002): add *synthetic* minority rows, each on the segment between a
  minority row and one of its k nearest minority neighbours, x_new = x + u·(x_nn − x),
  u ~ U(0, 1).

``X`` is (n, D) float, ``y`` is (n,) integer labels. ``counts`` maps a class label to the number of
rows it should have afterwards; classes it does not name are left as they are. Without
``counts`` the classes are balanced: undersampling cuts every class down to the smallest one,
oversampling and SMOTE fill every class up to the largest one.

Randomness: one ``np.random.default_rng(seed)`` per call, classes visited in increasing label
order, so the same seed gives the same result. Rebalance the training split only: the
validation and test sets must keep the real class proportions.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from dlcourse._validate import as_array, positive_int, public_name


def _check_xy(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    X = as_array(X, "X", ndim=2, layout="(n, D)")
    y_arr = np.asarray(y)
    if y_arr.ndim != 1:
        raise ValueError(f"{public_name()}: y must be a 1-D array of class labels, shape (n,); got "
                         f"shape {y_arr.shape}. For one-hot labels, pass y.argmax(axis=1).")
    if y_arr.dtype.kind not in "iub":
        as_float = as_array(y_arr, "y")
        if not np.all(as_float == np.round(as_float)):
            raise TypeError(f"{public_name()}: y must hold integer class labels; got values like "
                            f"{as_float[as_float != np.round(as_float)][0]!r}.")
    y_arr = y_arr.astype(np.int64)
    if X.shape[0] != y_arr.shape[0]:
        raise ValueError(f"{public_name()}: X and y must have one row per example; got X with "
                         f"{X.shape[0]} rows and y with {y_arr.shape[0]} labels.")
    if X.shape[0] == 0:
        raise ValueError(f"{public_name()}: X and y are empty.")
    return X, y_arr


def _targets(y: np.ndarray, counts: Mapping[int, int] | None,
             mode: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(classes, current counts, target counts) in increasing label order."""
    classes, have = np.unique(y, return_counts=True)
    if counts is None:
        fill = have.min() if mode == "down" else have.max()
        return classes, have, np.full_like(have, fill)
    if not isinstance(counts, Mapping):
        raise TypeError(f"{public_name()}: counts must be a dict {{class label: number of rows}} "
                        f"or None (to balance); got {type(counts).__name__}.")
    want = have.copy()
    for label, n in counts.items():
        hits = np.flatnonzero(classes == label)
        if hits.size == 0:
            raise ValueError(f"{public_name()}: counts names class {label!r}, which is not in y "
                             f"(classes: {classes.tolist()}).")
        c = hits[0]
        n = positive_int(n, f"counts[{label!r}]", minimum=0)
        if mode == "down" and n > have[c]:
            raise ValueError(f"{public_name()}: class {label!r} has {have[c]} rows, so "
                             f"undersampling can keep at most {have[c]}; got {n}. Use "
                             "random_oversample or smote to add rows.")
        if mode == "up" and n < have[c]:
            raise ValueError(f"{public_name()}: class {label!r} already has {have[c]} rows, so "
                             f"oversampling can only raise it; got {n}. Use random_undersample "
                             "to remove rows.")
        want[c] = n
    return classes, have, want


def random_undersample(X: np.ndarray, y: np.ndarray, seed: int = 0, *,
                       counts: Mapping[int, int] | None = None,
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Keep a random subset of each class's rows (seed 000: "deleting redundant samples").

    For each class (increasing label order), ``rng.choice`` picks ``target`` of its row indices
    without replacement; the kept rows stay in their original order. No row is changed or
    repeated: the result is a subset of the data.

    X: (n, D), y: (n,), counts (keyword only): {label: rows to keep} or None (every class down
    to the smallest).
    Returns ``(X_res (m, D), y_res (m,))``.
    """
    X, y = _check_xy(X, y)
    classes, _, want = _targets(y, counts, "down")
    rng = np.random.default_rng(seed)
    keep = [rng.choice(np.flatnonzero(y == c), size=w, replace=False)
            for c, w in zip(classes, want, strict=True)]
    idx = np.sort(np.concatenate(keep))
    return X[idx], y[idx]


def random_oversample(X: np.ndarray, y: np.ndarray, seed: int = 0, *,
                      counts: Mapping[int, int] | None = None,
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Repeat randomly chosen rows of each class until it has ``target`` rows (seed 000:
    "copying samples").

    The original data comes first, unchanged; then, class by class (increasing label order),
    ``target − n_c`` rows drawn with replacement from that class (``rng.choice``).

    X: (n, D), y: (n,), counts (keyword only): {label: rows afterwards} or None (every class up
    to the largest).
    Returns ``(X_res (m, D), y_res (m,))``.
    """
    X, y = _check_xy(X, y)
    classes, have, want = _targets(y, counts, "up")
    rng = np.random.default_rng(seed)
    extra = [rng.choice(np.flatnonzero(y == c), size=w - h, replace=True)
             for c, h, w in zip(classes, have, want, strict=True)]
    idx = np.concatenate([np.arange(len(y)), *extra])
    return X[idx], y[idx]


def k_nearest_neighbours(X: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` nearest other rows of ``X`` (n, D), by Euclidean distance.

    All squared distances at once, ‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b (an (n, n) matrix, no Python
    loop); a row is not its own neighbour. Ties go to the smaller index. Returns (n, k) int64,
    nearest first.
    """
    X = as_array(X, "X", ndim=2, layout="(n, D)")
    k = positive_int(k, "k")
    n = X.shape[0]
    if k > n - 1:
        raise ValueError(f"{public_name()}: each of the {n} rows has only {n - 1} other rows, so k "
                         f"must be at most {n - 1}; got {k}.")
    sq = np.sum(X * X, axis=1)                        # ‖a‖² for every row
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2.0 * (X @ X.T), 0.0)
    np.fill_diagonal(d2, np.inf)
    return np.argsort(d2, axis=1, kind="stable")[:, :k]


def _smote_with(rng: np.random.Generator, X_min: np.ndarray, n_new: int, k: int,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    neighbours = k_nearest_neighbours(X_min, k)
    base = rng.integers(0, X_min.shape[0], size=n_new)
    partner = neighbours[base, rng.integers(0, k, size=n_new)]
    u = rng.random((n_new, 1))
    return X_min[base] + u * (X_min[partner] - X_min[base]), base, partner


def smote_samples(X_min: np.ndarray, n_new: int, k: int = 5, seed: int = 0,
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n_new`` synthetic rows from the rows of one (minority) class, the SMOTE way.

    Draws, in this order from ``np.random.default_rng(seed)``: the base rows
    ``base = rng.integers(0, m, n_new)``, which of each base row's k nearest neighbours to use
    ``rng.integers(0, k, n_new)``, and ``u = rng.random((n_new, 1))``; then
    x_new = X_min[base] + u·(X_min[partner] − X_min[base]).

    X_min: (m, D) with m ≥ k + 1. Returns ``(X_new (n_new, D), base (n_new,), partner (n_new,))``,
    the indices into X_min of each new row's two end points.
    """
    X_min = as_array(X_min, "X_min", ndim=2, layout="(m, D)")
    n_new = positive_int(n_new, "n_new", minimum=0)
    k = positive_int(k, "k")
    if X_min.shape[0] < k + 1:
        raise ValueError(f"{public_name()}: SMOTE with k = {k} needs at least k + 1 = {k + 1} "
                         f"rows; got {X_min.shape[0]}. Lower k.")
    return _smote_with(np.random.default_rng(seed), X_min, n_new, k)


def smote(X: np.ndarray, y: np.ndarray, k: int = 5, seed: int = 0, *,
          counts: Mapping[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic Minority Oversampling Technique: grow classes with new, interpolated rows.

    Each class below its target gets ``target − n_c`` synthetic rows made from its own rows
    only (``smote_samples``, neighbours searched within the class), classes in increasing label
    order, all from one ``np.random.default_rng(seed)``. The original data comes first,
    unchanged, then the synthetic rows. Unlike random oversampling, no row is a copy, so a
    model sees new points of the minority region instead of the same few again.

    X: (n, D), y: (n,), k: neighbours per row, counts (keyword only): {label: rows afterwards}
    or None (every class up to the largest). Returns ``(X_res (m, D), y_res (m,))``.
    """
    X, y = _check_xy(X, y)
    k = positive_int(k, "k")
    classes, have, want = _targets(y, counts, "up")
    rng = np.random.default_rng(seed)
    new_X, new_y = [X], [y]
    for c, h, w in zip(classes, have, want, strict=True):
        if w == h:
            continue
        if h < k + 1:
            raise ValueError(f"{public_name()}: class {c} has {h} rows, but SMOTE with k = {k} "
                             f"needs at least k + 1 = {k + 1} rows in every class it grows. Lower "
                             "k or use random_oversample for this class.")
        rows, _, _ = _smote_with(rng, X[y == c], int(w - h), k)
        new_X.append(rows)
        new_y.append(np.full(w - h, c, dtype=np.int64))
    return np.concatenate(new_X), np.concatenate(new_y)
