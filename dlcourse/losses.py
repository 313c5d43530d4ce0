"""Loss functions and their gradients, in NumPy (seed 002 "Loss Functions", seed 001 §3.4.10,
§3.9, §3.10, seed 003 "Loss Function" and "Gradient of Cross-Entropy Loss").

Every loss ``xxx(pred, target)`` returns a Python float, averaged the way PyTorch's default
``reduction='mean'`` averages it, and ``xxx_grad(pred, target)`` returns ∂loss/∂pred, an
array shaped like ``pred``. Targets are data, so no gradient is taken w.r.t. them.

Class labels are integer arrays of class indices 0, ..., K−1 (what the data sets return);
``one_hot`` turns them into the 1-of-K rows of seed 003.
"""

from __future__ import annotations

import numpy as np

from dlcourse._validate import as_array, check_same_size, positive_int, public_name, real_in_range
from dlcourse.activations import sigmoid, softmax, softplus


def _class_labels(labels: object, num_classes: int, *, ndim: int | None = None) -> np.ndarray:
    """``labels`` as an int64 array of class indices, each in [0, num_classes)."""
    arr = as_array(labels, "labels", ndim=ndim, dtype=None)
    if arr.dtype.kind not in "iu":
        raise TypeError(
            f"{public_name()}: labels must be integer class indices 0..{num_classes - 1}; got "
            f"dtype {arr.dtype}. Convert with labels.astype(int)."
        )
    if arr.size and (arr.min() < 0 or arr.max() >= num_classes):
        bad = arr[(arr < 0) | (arr >= num_classes)].flat[0]
        raise ValueError(
            f"{public_name()}: every label must be a class index in 0..{num_classes - 1}; "
            f"found {bad}."
        )
    return arr.astype(np.int64, copy=False)


def _same_shape(a: np.ndarray, b: np.ndarray, names: str) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{public_name()}: {names} must have the same shape; got {a.shape} and "
                         f"{b.shape}.")


def _logits_and_labels(logits: object, labels: object) -> tuple[np.ndarray, np.ndarray]:
    z = as_array(logits, "logits", ndim=2, layout="(N, K)")
    if np.shape(labels) == z.shape and z.shape[1] > 1:
        raise ValueError(f"{public_name()}: labels must be class indices of shape (N,); got an (N, "
                         "K) array. For one-hot or probability targets use soft_cross_entropy.")
    y = _class_labels(labels, z.shape[1], ndim=1)
    check_same_size(z.shape[0], y.shape[0], "the number of rows of logits (N) and of labels")
    return z, y


# --- one-hot, log-softmax ----------------------------------------------------------------------

def one_hot(labels: np.ndarray, num_classes: int) -> np.ndarray:
    """1-of-K encoding (seed 001 §3.10, seed 003): row n has a 1 at column labels[n], else 0.

    labels: integer array of any shape, values in 0..num_classes−1; returns float64 of shape
    labels.shape + (num_classes,). (``torch.nn.functional.one_hot`` returns int64 instead.)
    """
    num_classes = positive_int(num_classes, "num_classes")
    y = _class_labels(labels, num_classes)
    return (y[..., None] == np.arange(num_classes)).astype(np.float64)


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax(z) along ``axis``: z_j − log Σ_k e^(z_k), computed with the log-sum-exp
    trick as (z_j − m) − log Σ_k e^(z_k − m), m = max_k z_k, so that no e^(...) exceeds 1.

    Taking log(softmax(z)) instead gives −inf once a probability underflows to 0, e.g. for
    logits (1000, −1000); this form stays finite.
    """
    z = as_array(z, "z")
    if z.ndim == 0:
        raise ValueError(f"{public_name()}: z must have at least one axis (a vector of logits); "
                         "got a scalar.")
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


# --- multi-class cross-entropy ---------------------------------------------------------------

def cross_entropy(logits: np.ndarray, labels: np.ndarray) -> float:
    """Softmax cross-entropy from logits, averaged over the batch (seed 002, seed 003):

        L = −(1/N) Σ_n log softmax(z_n)[y_n]

    logits: (N, K) raw scores (no softmax applied); labels: (N,) integer class indices.
    Same as ``torch.nn.functional.cross_entropy(logits, labels)``.
    """
    z, y = _logits_and_labels(logits, labels)
    return float(-np.mean(log_softmax(z)[np.arange(len(y)), y]))


def cross_entropy_grad(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """∂L/∂z for ``cross_entropy``: (softmax(z) − one_hot(y)) / N, shape (N, K).

    The softmax's Jacobian and the log's 1/p cancel to this simple "prediction minus target"
    (seed 003 "Gradient of Cross-Entropy Loss"; seed 001 §3.4.10 for the sigmoid case).
    """
    z, y = _logits_and_labels(logits, labels)
    grad = softmax(z)
    grad[np.arange(len(y)), y] -= 1.0     # − one_hot(y), without building the one-hot rows
    grad /= len(y)
    return grad


def cross_entropy_with_grad(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """``cross_entropy`` and ``cross_entropy_grad`` together, from one pass of exponentials:
    what a training step needs, as torch's fused cross-entropy computes it.

    With s = z − max_k z_k and S = Σ_k e^(s_k) per row:
        L = (1/N) Σ_n (log S_n − s_n[y_n]),    ∂L/∂z = (e^s / S − one_hot(y)) / N.
    logits: (N, K), labels: (N,) int. Returns (L, ∂L/∂z of shape (N, K)).
    """
    z, y = _logits_and_labels(logits, labels)
    n, rows = len(y), np.arange(len(y))
    shifted = z - z.max(axis=1, keepdims=True)
    grad = np.exp(shifted)
    total = grad.sum(axis=1, keepdims=True)
    loss = float(np.mean(np.log(total[:, 0]) - shifted[rows, y]))
    grad /= total * n
    grad[rows, y] -= 1.0 / n
    return loss, grad


def _logits_and_targets(logits: object, targets: object) -> tuple[np.ndarray, np.ndarray]:
    z = as_array(logits, "logits", ndim=2, layout="(N, K)")
    t = as_array(targets, "targets", ndim=2, layout="(N, K)")
    _same_shape(z, t, "logits and targets")
    return z, t


def soft_cross_entropy(logits: np.ndarray, targets: np.ndarray) -> float:
    """Cross-entropy with a target distribution per row instead of a class index:

        L = −(1/N) Σ_n Σ_k t_nk log softmax(z_n)_k

    logits, targets: (N, K); rows of ``targets`` are one-hot rows or probabilities (e.g. label
    smoothing). Same as ``torch.nn.functional.cross_entropy`` with probability targets.
    """
    z, t = _logits_and_targets(logits, targets)
    return float(-np.sum(t * log_softmax(z)) / z.shape[0])


def soft_cross_entropy_grad(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """∂L/∂z for ``soft_cross_entropy``: (softmax(z)·Σ_k t_nk − t) / N, shape (N, K).

    For rows of t that sum to 1 (the usual case) this is (softmax(z) − t) / N.
    """
    z, t = _logits_and_targets(logits, targets)
    return (softmax(z) * t.sum(axis=1, keepdims=True) - t) / z.shape[0]


# --- binary cross-entropy ----------------------------------------------------------------------

_LOG_FLOOR = -100.0   # PyTorch clamps log(p) at −100, so p = 0 costs 100 instead of inf
_BCE_EPS = 1e-12      # and the gradient's denominator p(1 − p) at 1e-12


def _probs_and_targets(p: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    p = as_array(p, "p")
    y = as_array(y, "y")
    _same_shape(p, y, "p and y")
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"{public_name()}: p must hold probabilities in [0, 1]. If you have raw "
                         "scores (logits), use binary_cross_entropy_with_logits.")
    if np.any((y < 0) | (y > 1)):
        raise ValueError(f"{public_name()}: y must hold targets in [0, 1] (usually 0 or 1).")
    return p, y


def binary_cross_entropy(p: np.ndarray, y: np.ndarray) -> float:
    """Binary cross-entropy of probabilities p against targets y, averaged over all entries:

        L = −mean[ y log p + (1 − y) log(1 − p) ]      (seed 001 §3.4.10, seed 003)

    p, y: same shape, values in [0, 1]. As in ``torch.nn.functional.binary_cross_entropy``,
    each log is clamped at −100, so p = 0 or 1 gives a large finite loss, not inf.
    (Errata: seed 002 writes this loss without its minus sign.)
    """
    p, y = _probs_and_targets(p, y)
    log_p = np.maximum(np.log(p, where=p > 0, out=np.full_like(p, -np.inf)), _LOG_FLOOR)
    log_q = np.maximum(np.log1p(-p, where=p < 1, out=np.full_like(p, -np.inf)), _LOG_FLOOR)
    return float(-np.mean(y * log_p + (1.0 - y) * log_q))


def binary_cross_entropy_grad(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂L/∂p for ``binary_cross_entropy``: (p − y) / (p(1 − p)) / n, n = p.size.

    As in PyTorch, p(1 − p) is clamped below at 1e-12 so that p = 0 or 1 stays finite.
    """
    p, y = _probs_and_targets(p, y)
    return (p - y) / np.maximum(p * (1.0 - p), _BCE_EPS) / p.size


def _logits_and_binary_targets(z: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    z = as_array(z, "z")
    y = as_array(y, "y")
    _same_shape(z, y, "z and y")
    return z, y


def binary_cross_entropy_with_logits(z: np.ndarray, y: np.ndarray) -> float:
    """Binary cross-entropy of σ(z) against y, computed from the logits z without forming σ(z):

        −[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y·z

    (using log σ(z) = −softplus(−z) and softplus(z) − softplus(−z) = z), which is finite and
    accurate for any z, e.g. ±1000. Averaged over all entries; z, y: same shape.
    """
    z, y = _logits_and_binary_targets(z, y)
    return float(np.mean(softplus(z) - y * z))


def binary_cross_entropy_with_logits_grad(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂L/∂z for ``binary_cross_entropy_with_logits``: (σ(z) − y) / n, n = z.size (seed 003)."""
    z, y = _logits_and_binary_targets(z, y)
    return (sigmoid(z) - y) / z.size


# --- regression losses and distances ------------------------------------------------------------

def _pred_and_target(pred: object, target: object) -> tuple[np.ndarray, np.ndarray]:
    pred = as_array(pred, "pred")
    target = as_array(target, "target")
    _same_shape(pred, target, "pred and target")
    return pred, target


def mse_loss(pred: np.ndarray, target: np.ndarray) -> float:
    """Mean squared error, averaged over every entry: mean((pred − target)²).

    Like ``torch.nn.functional.mse_loss``. Seed 002 averages ‖y − a‖² over the M samples only,
    which is K times this for K outputs per sample; seed 000 uses ½Σ(t − o)².
    """
    pred, target = _pred_and_target(pred, target)
    return float(np.mean((pred - target) ** 2))


def mse_loss_grad(pred: np.ndarray, target: np.ndarray) -> np.ndarray:
    """∂L/∂pred for ``mse_loss``: 2(pred − target) / n, n = pred.size."""
    pred, target = _pred_and_target(pred, target)
    return 2.0 * (pred - target) / pred.size


def l1_loss(pred: np.ndarray, target: np.ndarray) -> float:
    """Mean absolute error (MAE), averaged over every entry: mean(|pred − target|) (seed 002).

    Like ``torch.nn.functional.l1_loss``.
    """
    pred, target = _pred_and_target(pred, target)
    return float(np.mean(np.abs(pred - target)))


def l1_loss_grad(pred: np.ndarray, target: np.ndarray) -> np.ndarray:
    """∂L/∂pred for ``l1_loss``: sign(pred − target) / n; 0 where pred = target, as in PyTorch."""
    pred, target = _pred_and_target(pred, target)
    return np.sign(pred - target) / pred.size


def _lp_args(a: object, b: object, p: object) -> tuple[np.ndarray, np.ndarray, float]:
    a = as_array(a, "a")
    b = as_array(b, "b")
    _same_shape(a, b, "a and b")
    if a.ndim == 0:
        raise ValueError(f"{public_name()}: a and b must be vectors (or batches of vectors along "
                         "the last axis); got scalars.")
    p = real_in_range(p, "p", low=1.0)
    return a, b, p


def lp_distance(a: np.ndarray, b: np.ndarray, p: float = 2.0) -> np.ndarray:
    """The Lp distance ‖a − b‖_p = (Σ_k |a_k − b_k|^p)^(1/p) along the last axis (seed 002).

    a, b: same shape (..., K); returns shape (...) (a 0-d array for two vectors). p ≥ 1.
    Seed 002's Lp loss is the p-th power of this, Σ_k |y_k − a_k|^p.
    """
    a, b, p = _lp_args(a, b, p)
    return np.sum(np.abs(a - b) ** p, axis=-1) ** (1.0 / p)


def lp_distance_grad(a: np.ndarray, b: np.ndarray, p: float = 2.0) -> np.ndarray:
    """∂‖a − b‖_p/∂a, each row's distance w.r.t. that row of a, shape like a:

        sign(d_k) |d_k|^(p−1) / ‖d‖_p^(p−1),  d = a − b,

    and 0 for a row where a = b (there the distance has no derivative; PyTorch also uses 0).
    """
    a, b, p = _lp_args(a, b, p)
    d = a - b
    norm = np.sum(np.abs(d) ** p, axis=-1, keepdims=True) ** (1.0 / p)
    scale = np.divide(1.0, norm ** (p - 1.0), out=np.zeros_like(norm), where=norm > 0)
    return np.sign(d) * np.abs(d) ** (p - 1.0) * scale
