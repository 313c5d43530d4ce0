"""Resampling for imbalanced classes: counts, subset/copy properties, and SMOTE's geometry checked
against scikit-learn's nearest neighbours."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

from dlcourse.imbalance import (
    k_nearest_neighbours,
    random_oversample,
    random_undersample,
    smote,
    smote_samples,
)


def imbalanced(seed=0, sizes=(60, 12, 7), D=3):
    rng = np.random.default_rng(seed)
    X = np.concatenate([rng.normal(loc=3 * c, size=(m, D)) for c, m in enumerate(sizes)])
    y = np.concatenate([np.full(m, c) for c, m in enumerate(sizes)])
    order = rng.permutation(len(y))
    return X[order], y[order]


def counts_of(y):
    labels, n = np.unique(y, return_counts=True)
    return dict(zip(labels.tolist(), n.tolist(), strict=True))


def row_index(X, rows):
    """For each of ``rows``, the index of the identical row of X (-1 if none)."""
    eq = np.all(rows[:, None, :] == X[None, :, :], axis=2)
    return np.where(eq.any(axis=1), eq.argmax(axis=1), -1)


# ----------------------------------------------------------------------------- undersampling


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_undersample_balances_and_keeps_only_existing_rows(seed):
    X, y = imbalanced(seed)
    X0, y0 = X.copy(), y.copy()
    Xr, yr = random_undersample(X, y, seed=seed)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    assert counts_of(yr) == {0: 7, 1: 7, 2: 7}
    idx = row_index(X, Xr)
    assert np.all(idx >= 0)                       # every kept row is an original row
    assert len(np.unique(idx)) == len(idx)        # none repeated
    assert np.all(np.diff(idx) > 0)               # original order kept
    np.testing.assert_array_equal(yr, y[idx])     # with its own label
    assert Xr.dtype == np.float64 and yr.dtype == np.int64


def test_undersample_to_given_counts_and_reproducible():
    X, y = imbalanced(3)
    Xr, yr = random_undersample(X, y, counts={0: 20, 2: 5}, seed=4)
    assert counts_of(yr) == {0: 20, 1: 12, 2: 5}
    Xs, ys = random_undersample(X, y, counts={0: 20, 2: 5}, seed=4)
    np.testing.assert_array_equal(Xr, Xs)
    np.testing.assert_array_equal(yr, ys)
    Xo, _ = random_undersample(X, y, counts={0: 20, 2: 5}, seed=5)
    assert not np.array_equal(Xr, Xo)
    # the seed is the third positional argument of all three resamplers
    np.testing.assert_array_equal(random_undersample(X, y, 4)[0],
                                  random_undersample(X, y, seed=4)[0])
    np.testing.assert_array_equal(random_oversample(X, y, 4)[0],
                                  random_oversample(X, y, seed=4)[0])
    np.testing.assert_array_equal(smote(X, y, 3, 4)[0], smote(X, y, k=3, seed=4)[0])


# ----------------------------------------------------------------------------- oversampling


@pytest.mark.parametrize("seed", [0, 1])
def test_oversample_balances_with_copies_of_same_class(seed):
    X, y = imbalanced(seed)
    X0 = X.copy()
    Xr, yr = random_oversample(X, y, seed=seed)
    np.testing.assert_array_equal(X, X0)
    assert counts_of(yr) == {0: 60, 1: 60, 2: 60}
    np.testing.assert_array_equal(Xr[:len(y)], X)  # originals first, unchanged
    np.testing.assert_array_equal(yr[:len(y)], y)
    idx = row_index(X, Xr[len(y):])
    assert np.all(idx >= 0)
    np.testing.assert_array_equal(yr[len(y):], y[idx])


def test_oversample_to_given_counts_and_reproducible():
    X, y = imbalanced(2)
    Xr, yr = random_oversample(X, y, counts={2: 30}, seed=7)
    assert counts_of(yr) == {0: 60, 1: 12, 2: 30}
    Xs, _ = random_oversample(X, y, counts={2: 30}, seed=7)
    np.testing.assert_array_equal(Xr, Xs)
    # the copies are spread over the class, not one row repeated
    assert len(np.unique(row_index(X, Xr[len(y):]))) > 5


# ----------------------------------------------------------------------------- SMOTE


def sklearn_neighbours(X_min, k):
    nn = NearestNeighbors(n_neighbors=k + 1).fit(X_min)
    _, ind = nn.kneighbors(X_min)
    return ind[:, 1:]   # drop each point itself


def distance_to_nearest_allowed_segment(new, X_min, neighbours):
    """For each synthetic row: the distance to the closest segment [x_i, x_j], j a k-NN of i,
    and the u in [0, 1] locating the closest point on it."""
    A = X_min[:, None, :]                           # (m, 1, D)
    B = X_min[neighbours]                           # (m, k, D)
    d = B - A                                       # (m, k, D)
    p = new[:, None, None, :]                       # (s, 1, 1, D)
    u = np.clip(np.sum((p - A) * d, axis=-1) / np.sum(d * d, axis=-1), 0.0, 1.0)
    closest = A + u[..., None] * d
    dist = np.linalg.norm(p - closest, axis=-1).reshape(len(new), -1)
    return dist.min(axis=1)


@pytest.mark.parametrize(("k", "seed"), [(5, 0), (3, 1), (1, 2), (6, 3)])
def test_smote_points_lie_on_segments_between_minority_neighbours(k, seed):
    X, y = imbalanced(seed, sizes=(80, 15, 9), D=4)
    X0 = X.copy()
    Xr, yr = smote(X, y, k=k, seed=seed)
    np.testing.assert_array_equal(X, X0)
    assert counts_of(yr) == {0: 80, 1: 80, 2: 80}
    np.testing.assert_array_equal(Xr[:len(y)], X)
    new, new_y = Xr[len(y):], yr[len(y):]
    for c in (1, 2):
        X_min = X[y == c]
        pts = new[new_y == c]
        dist = distance_to_nearest_allowed_segment(pts, X_min, sklearn_neighbours(X_min, k))
        assert np.all(dist < 1e-9)
        assert np.all(row_index(X, pts) == -1)      # synthetic, not copies


def test_smote_would_catch_neighbours_from_outside_the_class():
    # a point between a minority row and its nearest *majority* row lies on no allowed segment
    X, y = imbalanced(0, sizes=(50, 10), D=2)
    X_min = X[y == 1]
    x_maj = X[y == 0][0]
    bad = 0.5 * (X_min[0] + x_maj)[None]
    assert distance_to_nearest_allowed_segment(bad, X_min, sklearn_neighbours(X_min, 5))[0] > 1e-3


def test_smote_samples_reports_its_end_points():
    rng = np.random.default_rng(9)
    X_min = rng.normal(size=(12, 5))
    new, base, partner = smote_samples(X_min, 40, k=4, seed=3)
    assert new.shape == (40, 5)
    nbrs = sklearn_neighbours(X_min, 4)
    assert all(partner[i] in nbrs[base[i]] for i in range(40))
    d = X_min[partner] - X_min[base]
    u = np.sum((new - X_min[base]) * d, axis=1) / np.sum(d * d, axis=1)
    assert np.all((u >= 0) & (u <= 1))
    np.testing.assert_allclose(X_min[base] + u[:, None] * d, new, rtol=1e-12, atol=1e-12)
    assert len(np.unique(base)) > 6
    again = smote_samples(X_min, 40, k=4, seed=3)
    for a, b in zip((new, base, partner), again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert smote_samples(X_min, 0, k=4)[0].shape == (0, 5)


def test_smote_to_given_counts_and_reproducible():
    X, y = imbalanced(4)
    Xr, yr = smote(X, y, k=3, counts={1: 25}, seed=1)
    assert counts_of(yr) == {0: 60, 1: 25, 2: 7}
    Xs, ys = smote(X, y, k=3, counts={1: 25}, seed=1)
    np.testing.assert_array_equal(Xr, Xs)
    np.testing.assert_array_equal(yr, ys)
    Xo, _ = smote(X, y, k=3, counts={1: 25}, seed=2)
    assert not np.array_equal(Xr, Xo)


@pytest.mark.parametrize(("n", "D", "k"), [(10, 2, 3), (31, 5, 7), (6, 1, 5)])
def test_k_nearest_neighbours_match_sklearn(n, D, k):
    X = np.random.default_rng(n + D).normal(size=(n, D))
    np.testing.assert_array_equal(k_nearest_neighbours(X, k), sklearn_neighbours(X, k))


# ----------------------------------------------------------------------------- bad input


def test_bad_inputs_raise_clear_errors():
    X, y = imbalanced(0)
    with pytest.raises(ValueError, match="one row per example"):
        random_undersample(X, y[:-1])
    with pytest.raises(ValueError, match=r"y must be a 1-D array.*argmax"):
        random_oversample(X, np.eye(3)[y])
    with pytest.raises(TypeError, match="integer class labels"):
        smote(X, y + 0.5)
    with pytest.raises(ValueError, match="not in y"):
        random_undersample(X, y, counts={7: 3})
    with pytest.raises(ValueError, match="can keep at most 12"):
        random_undersample(X, y, counts={1: 20})
    with pytest.raises(ValueError, match="can only raise it"):
        random_oversample(X, y, counts={1: 5})
    with pytest.raises(TypeError, match="counts must be a dict"):
        smote(X, y, counts=[10, 10, 10])
    with pytest.raises(ValueError, match=r"class 2 has 7 rows.*k \+ 1 = 8"):
        smote(X, y, k=7)
    with pytest.raises(ValueError, match="k must be at most 4"):
        k_nearest_neighbours(X[:5], 5)
    with pytest.raises(ValueError, match="Lower k"):
        smote_samples(X[:3], 5, k=3)
