"""Principal component analysis from scratch: the linear baseline for the autoencoder chapter.

Seed 003 ("DNN for Dimension Reduction") reduces digit images to a 2-D code twice, with PCA and
with a deep autoencoder. PCA is the best *linear* code: encode z = (x − μ) Vₖᵀ, decode
x̂ = z Vₖ + μ, where the k rows of Vₖ are the top right-singular vectors of the centred data. No
other rank-k linear encoder/decoder pair has a smaller squared reconstruction error
(Eckart–Young), which is why a nonlinear autoencoder has to beat it to be worth its training.

Rows are examples: ``X`` is (n, D). Results equal ``sklearn.decomposition.PCA`` (``whiten=False``):
``components`` is its ``components_``, ``explained_variance`` its ``explained_variance_``,
``mean`` its ``mean_``.
"""

from __future__ import annotations

import numpy as np

from dlcourse._validate import as_array, positive_int, public_name


def _check_data(X: object) -> np.ndarray:
    X = as_array(X, "X", ndim=2, layout="(n, D)")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{public_name()}: X contains NaN or infinite values; clean or impute "
                         "them first.")
    return X


def pca_svd(X: np.ndarray, n_components: int,
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Principal components of ``X`` (n, D) by the SVD of the centred data.

    With μ the column means and X − μ = U S Vᵀ (singular values in decreasing order), the
    components are the first k rows of Vᵀ and the variance of the data along component j is
    S_j² / (n − 1) (the sample variance, as scikit-learn reports it).

    A singular vector's sign is arbitrary; here each component is flipped so that its entry of
    largest magnitude is positive, scikit-learn's rule, so results are reproducible.

    Returns ``(components (k, D), explained_variance (k,), mean (D,))``.
    """
    X = _check_data(X)
    n, D = X.shape
    if n < 2:
        raise ValueError(f"{public_name()}: X needs at least 2 rows (examples) to have a variance; "
                         f"got {n}.")
    k = positive_int(n_components, "n_components")
    if k > min(n, D):
        raise ValueError(f"{public_name()}: n_components must be at most min(n, D) = {min(n, D)} "
                         f"for X of shape {X.shape}; got {k}.")
    mean = X.mean(axis=0)
    _, S, Vt = np.linalg.svd(X - mean, full_matrices=False)
    components = Vt[:k]
    biggest = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(k), biggest])
    components = components * signs[:, None]
    return components, S[:k] ** 2 / (n - 1), mean


def explained_variance_ratio(X: np.ndarray, explained_variance: np.ndarray) -> np.ndarray:
    """The fraction of the total variance of ``X`` (n, D) carried by each component.

    explained_variance (k,) from ``pca_svd`` divided by Σ_d Var(X[:, d]) (sample variances,
    ddof = 1). Returns an array of shape (k,) with sum ≤ 1 (= 1 when k = rank of the data).
    """
    X = _check_data(X)
    ev = as_array(explained_variance, "explained_variance", ndim=1, layout="(k,)")
    if X.shape[0] < 2:
        raise ValueError(f"{public_name()}: X needs at least 2 rows (examples); got {X.shape[0]}.")
    total = X.var(axis=0, ddof=1).sum()
    if total == 0:
        raise ValueError(f"{public_name()}: every column of X is constant, so there is no variance "
                         "to share out.")
    return ev / total


def _check_components(components: object, mean: object) -> tuple[np.ndarray, np.ndarray]:
    V = as_array(components, "components", ndim=2, layout="(k, D)")
    mean = as_array(mean, "mean", ndim=1, layout="(D,)")
    if mean.shape[0] != V.shape[1]:
        raise ValueError(f"{public_name()}: components (k, D) and mean (D,) must agree on D; got "
                         f"components {V.shape} and mean {mean.shape}.")
    return V, mean


def pca_transform(X: np.ndarray, components: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Encode: the coordinates of each row of ``X`` (n, D) along the components.

    z = (x − μ) Vₖᵀ. components: (k, D), mean: (D,). Returns ``Z`` of shape (n, k).
    Equals ``PCA.transform`` (no whitening).
    """
    X = _check_data(X)
    V, mean = _check_components(components, mean)
    if X.shape[1] != V.shape[1]:
        raise ValueError(f"{public_name()}: X must have D = {V.shape[1]} columns, like the data "
                         f"the components came from; got shape {X.shape}.")
    return (X - mean) @ V.T


def pca_inverse_transform(Z: np.ndarray, components: np.ndarray, mean: np.ndarray,
                          ) -> np.ndarray:
    """Decode: map codes ``Z`` (n, k) back to data space, x̂ = z Vₖ + μ. Returns (n, D).

    Equals ``PCA.inverse_transform`` (no whitening).
    """
    Z = as_array(Z, "Z", ndim=2, layout="(n, k)")
    V, mean = _check_components(components, mean)
    if Z.shape[1] != V.shape[0]:
        raise ValueError(f"{public_name()}: Z must have k = {V.shape[0]} columns, one per "
                         f"component; got shape {Z.shape}.")
    return Z @ V + mean


def reconstruction_error(X: np.ndarray, X_hat: np.ndarray) -> float:
    """Mean squared reconstruction error, averaged over every entry: mean((X − X̂)²).

    The same number as ``torch.nn.MSELoss()`` (reduction 'mean'), so it compares directly with
    an autoencoder's training loss. X and X_hat: (n, D).
    For PCA with k components it equals (n − 1)/(n·D) times the sum of the variances along the
    discarded components.
    """
    X = as_array(X, "X", ndim=2, layout="(n, D)")
    X_hat = as_array(X_hat, "X_hat", ndim=2, layout="(n, D)")
    if X.shape != X_hat.shape:
        raise ValueError(f"{public_name()}: X and X_hat must have the same shape; got {X.shape} "
                         f"and {X_hat.shape}.")
    if X.size == 0:
        raise ValueError(f"{public_name()}: X is empty.")
    return float(np.mean((X - X_hat) ** 2))
