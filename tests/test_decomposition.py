"""PCA by SVD against scikit-learn's PCA, on random data and on the course's digits."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.decomposition import PCA

from dlcourse.data import load_digits_split
from dlcourse.decomposition import (
    explained_variance_ratio,
    pca_inverse_transform,
    pca_svd,
    pca_transform,
    reconstruction_error,
)


def random_data(seed, n, D):
    rng = np.random.default_rng(seed)
    # correlated columns with distinct variances and a nonzero mean
    return rng.normal(size=(n, D)) @ rng.normal(size=(D, D)) + rng.normal(size=D) * 3


def assert_same_up_to_sign(ours, ref):
    signs = np.sign(np.sum(ours * ref, axis=1))
    assert np.all(signs != 0)
    np.testing.assert_allclose(ours, ref * signs[:, None], rtol=1e-8, atol=1e-10)
    return signs


CASES = [(0, 50, 5, 2), (1, 40, 7, 7), (2, 9, 12, 3), (3, 100, 3, 1), (4, 13, 6, 5)]


@pytest.mark.parametrize(("seed", "n", "D", "k"), CASES)
@pytest.mark.parametrize("solver", ["full", "auto"])
def test_pca_matches_sklearn(seed, n, D, k, solver):
    X = random_data(seed, n, D)
    X_before = X.copy()
    V, ev, mean = pca_svd(X, k)
    np.testing.assert_array_equal(X, X_before)
    ref = PCA(n_components=k, svd_solver=solver).fit(X)
    assert V.shape == (k, D) and ev.shape == (k,) and mean.shape == (D,)
    signs = assert_same_up_to_sign(V, ref.components_)
    np.testing.assert_allclose(ev, ref.explained_variance_, rtol=1e-9)
    np.testing.assert_allclose(mean, ref.mean_, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(explained_variance_ratio(X, ev), ref.explained_variance_ratio_,
                               rtol=1e-9)
    Z = pca_transform(X, V, mean)
    np.testing.assert_allclose(Z, ref.transform(X) * signs, rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(pca_inverse_transform(Z, V, mean),
                               ref.inverse_transform(ref.transform(X)), rtol=1e-8, atol=1e-9)
    if solver == "full":  # same sign rule as scikit-learn: equal without flipping
        assert np.all(signs == 1)


def test_sign_rule_largest_entry_positive():
    V, _, _ = pca_svd(random_data(5, 30, 6), 4)
    biggest = V[np.arange(4), np.argmax(np.abs(V), axis=1)]
    assert np.all(biggest > 0)
    np.testing.assert_allclose(V @ V.T, np.eye(4), atol=1e-12)


@pytest.mark.parametrize("k", [2, 10])
def test_pca_on_digits_matches_sklearn(k):
    split = load_digits_split()
    X = split.X_train
    V, ev, mean = pca_svd(X, k)
    ref = PCA(n_components=k, svd_solver="full").fit(X)
    signs = assert_same_up_to_sign(V, ref.components_)
    np.testing.assert_allclose(ev, ref.explained_variance_, rtol=1e-9)
    np.testing.assert_allclose(explained_variance_ratio(X, ev), ref.explained_variance_ratio_,
                               rtol=1e-9)
    np.testing.assert_allclose(pca_transform(split.X_test, V, mean),
                               ref.transform(split.X_test) * signs, rtol=1e-8, atol=1e-9)


def test_reconstruction_error_is_mse_and_matches_discarded_variance():
    X = random_data(6, 60, 8)
    n, D = X.shape
    _, ev_all, _ = pca_svd(X, D)
    for k in range(1, D + 1):
        V, _, mean = pca_svd(X, k)
        X_hat = pca_inverse_transform(pca_transform(X, V, mean), V, mean)
        err = reconstruction_error(X, X_hat)
        ref = torch.nn.functional.mse_loss(torch.tensor(X_hat), torch.tensor(X)).item()
        assert err == pytest.approx(ref, rel=1e-12)
        assert err == pytest.approx((n - 1) / (n * D) * ev_all[k:].sum(), rel=1e-8, abs=1e-12)
    assert reconstruction_error(X, X) == 0.0


def test_pca_is_the_best_rank_k_linear_code():
    # any other orthonormal 2-D projection reconstructs worse (Eckart–Young)
    X = random_data(7, 80, 6)
    V, _, mean = pca_svd(X, 2)
    best = reconstruction_error(X, pca_inverse_transform(pca_transform(X, V, mean), V, mean))
    rng = np.random.default_rng(0)
    for _ in range(20):
        Q, _ = np.linalg.qr(rng.normal(size=(6, 2)))
        other = reconstruction_error(X, (X - mean) @ Q @ Q.T + mean)
        assert other > best


def test_bad_inputs_raise_clear_errors():
    X = random_data(8, 10, 4)
    with pytest.raises(ValueError, match=r"X must be a 2-D array laid out as \(n, D\)"):
        pca_svd(X[0], 1)
    with pytest.raises(ValueError, match=r"at most min\(n, D\) = 4"):
        pca_svd(X, 5)
    with pytest.raises(ValueError, match="n_components must be at least 1"):
        pca_svd(X, 0)
    with pytest.raises(ValueError, match="at least 2 rows"):
        pca_svd(X[:1], 1)
    bad = X.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        pca_svd(bad, 1)
    V, ev, mean = pca_svd(X, 2)
    with pytest.raises(ValueError, match="X must have D = 4 columns"):
        pca_transform(X[:, :3], V, mean)
    with pytest.raises(ValueError, match="must agree on D"):
        pca_transform(X, V, mean[:3])
    with pytest.raises(ValueError, match="Z must have k = 2 columns"):
        pca_inverse_transform(np.ones((3, 3)), V, mean)
    with pytest.raises(ValueError, match="same shape"):
        reconstruction_error(X, X[:, :3])
    with pytest.raises(ValueError, match="constant"):
        explained_variance_ratio(np.ones((5, 3)), ev)
