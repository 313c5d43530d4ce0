"""Regularization from scratch: weight penalties, dropout, early stopping, label smoothing and
data augmentation (seed 000 "Normalizer", seed 001 §3.12-3.13, seed 002 "Regularization",
seed 004 "BP with weight decay").

Conventions: penalties take one weight array or a list of them; gradient functions take one
array. Dropout follows the ``layers`` style: ``dropout_forward(x, p, ...) -> (out, cache)`` and
``dropout_backward(dout, cache) -> dx``. Images are (H, W) arrays or batches (N, H, W); the
8×8 digits of ``sklearn.datasets.load_digits`` come flat, as (N, 64): reshape them with
``X.reshape(-1, 8, 8)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from dlcourse._validate import (
    as_array,
    check_same_size,
    positive_int,
    public_name,
    real_in_range,
)

__all__ = [
    "EarlyStopping",
    "SparsityResult",
    "add_noise",
    "augment_batch",
    "dropout_backward",
    "dropout_forward",
    "ista_step",
    "l1_penalty",
    "l1_subgradient",
    "l1_vs_l2_sparsity",
    "l2_grad",
    "l2_penalty",
    "label_smoothing_cross_entropy",
    "label_smoothing_cross_entropy_grad",
    "max_norm",
    "rotate_image",
    "sgd_weight_decay_step",
    "shift_image",
    "smooth_labels",
    "soft_threshold",
]


# ---------------------------------------------------------------------------------------------
# Weight penalties
# ---------------------------------------------------------------------------------------------

def _weight_list(weights: Any) -> list[np.ndarray]:
    if isinstance(weights, (list, tuple)):
        if not weights:
            raise ValueError(f"{public_name()}: weights is an empty list; pass at least one array.")
        return [as_array(w, f"weights[{i}]") for i, w in enumerate(weights)]
    return [as_array(weights, "weights")]


def _alpha(alpha: Any) -> float:
    return real_in_range(alpha, "alpha", low=0.0)


def l2_penalty(weights: Any, alpha: float) -> float:
    """Ω = α/2·Σ‖W‖², summed over every entry of every array (seed 000 "L2 regularization").

    ``weights``: one array or a list of arrays (usually the weight matrices only, not the
    biases: seed 002 "weight decay only for the weights"). α ≥ 0. With the ½ (seeds 000, 004)
    the gradient is α·w; seed 002 writes λ‖W‖² without it, which doubles the gradient to 2λw.
    """
    ws = _weight_list(weights)
    alpha = _alpha(alpha)
    return 0.5 * alpha * float(sum(np.sum(w * w) for w in ws))


def l2_grad(w: Any, alpha: float, grad: Any = None) -> np.ndarray:
    """Gradient of the L2-regularized objective: ∇J(w) + α·w.

    ``w``: one weight array; ``grad``: ∇J(w), the gradient of the unregularized loss, same
    shape (leave it out to get the penalty's gradient α·w alone).
    """
    w = as_array(w, "w")
    alpha = _alpha(alpha)
    return alpha * w + _data_grad(grad, w)


def _data_grad(grad: Any, w: np.ndarray) -> np.ndarray | float:
    if grad is None:
        return 0.0
    g = as_array(grad, "grad")
    if g.shape != w.shape:
        raise ValueError(f"{public_name()}: grad has shape {g.shape} but w has shape {w.shape}; "
                         "the gradient must have the shape of the weights.")
    return g


def sgd_weight_decay_step(w: Any, grad: Any, lr: float, alpha: float) -> np.ndarray:
    """One gradient step on J + α/2·‖w‖², written as weight decay (seed 000):

        w ← (1 − εα)·w − ε·∇J(w)          (ε = lr)

    i.e. shrink the weights by the factor (1 − εα), then take the ordinary step. Same update as
    ``torch.optim.SGD(params, lr=ε, weight_decay=α)``. ``grad``: ∇J(w) of the unregularized
    loss. Returns the new weights; ``w`` is not modified. (Seed 004 writes the decay term as
    −λW without the learning rate; with the penalty ½λ‖W‖² it is −αλW.)
    """
    w = as_array(w, "w")
    if grad is None:
        raise TypeError(f"{public_name()}: grad is required (the gradient of the unregularized "
                        "loss).")
    g = _data_grad(grad, w)
    lr = real_in_range(lr, "lr", low=0.0)
    alpha = _alpha(alpha)
    return (1.0 - lr * alpha) * w - lr * g


def l1_penalty(weights: Any, alpha: float) -> float:
    """Ω = α·Σ|w|, summed over every entry of every array (seed 000 "L1 regularization").

    ``weights``: one array or a list of arrays. α ≥ 0.
    """
    ws = _weight_list(weights)
    alpha = _alpha(alpha)
    return alpha * float(sum(np.sum(np.abs(w)) for w in ws))


def l1_subgradient(w: Any, alpha: float, grad: Any = None) -> np.ndarray:
    """A subgradient of the L1-regularized objective: ∇J(w) + α·sign(w).

    |w| has no derivative at 0; sign(0) = 0 picks the subgradient 0 there (as torch's autograd
    does for abs). Errata: seed 000 prints this as "∝ sign(w) + ∇J(w)"; the factor is the
    penalty weight α. ``grad``: ∇J(w), optional as in ``l2_grad``.
    """
    w = as_array(w, "w")
    alpha = _alpha(alpha)
    return alpha * np.sign(w) + _data_grad(grad, w)


def soft_threshold(w: Any, threshold: float) -> np.ndarray:
    """Shrink every entry toward 0 by ``threshold``, and set it to exactly 0 if it would cross:

        S_t(w) = sign(w)·max(|w| − t, 0)

    the proximal operator of t·‖w‖₁ (the point minimizing t‖u‖₁ + ½‖u − w‖²).
    """
    w = as_array(w, "w")
    t = real_in_range(threshold, "threshold", low=0.0)
    return np.sign(w) * np.maximum(np.abs(w) - t, 0.0)


def ista_step(w: Any, grad: Any, lr: float, alpha: float) -> np.ndarray:
    """One proximal gradient (ISTA) step for J + α‖w‖₁: a gradient step on J, then
    soft-thresholding by lr·α:

        w ← S_{lr·α}(w − lr·∇J(w))

    Unlike the subgradient step w − lr·(∇J + α·sign(w)), which jumps back and forth across 0
    and almost never lands on it, this sets small weights to exactly 0.
    """
    w = as_array(w, "w")
    if grad is None:
        raise TypeError(f"{public_name()}: grad is required (the gradient of the unregularized "
                        "loss).")
    g = _data_grad(grad, w)
    lr = real_in_range(lr, "lr", low=0.0)
    alpha = _alpha(alpha)
    return soft_threshold(w - lr * g, lr * alpha)


class SparsityResult(NamedTuple):
    """What ``l1_vs_l2_sparsity`` returns (see there)."""

    X: np.ndarray
    y: np.ndarray
    w_true: np.ndarray
    w_l1: np.ndarray
    w_l1_subgradient: np.ndarray
    w_l2: np.ndarray


def l1_vs_l2_sparsity(alpha_l1: float = 0.1, alpha_l2: float = 0.1, n: int = 100,
                      features: int = 20, informative: int = 5, steps: int = 1000,
                      seed: int = 0) -> SparsityResult:
    """Fit the same linear regression with an L1 and an L2 penalty; L1 gives exact zeros.

    Data from ``np.random.default_rng(seed)``: X ~ N(0, 1) of shape (n, features), a true
    weight vector with ``informative`` nonzero entries (±1 to ±2, the rest 0), and
    y = X·w_true + 0.5·noise. The loss J(w) = 1/(2n)·‖Xw − y‖² is minimized from w = 0 for
    ``steps`` steps of size lr = 1/λ_max(XᵀX/n) with

    - L1, α = ``alpha_l1``: proximal steps (``ista_step``), which converge to the lasso
      solution, with exact zeros on the irrelevant features;
    - L1 by subgradient steps (``l1_subgradient``), for comparison: the weights that should be
      0 keep jumping across 0 in steps of about lr·α and are small but not zero;
    - L2, α = ``alpha_l2``: weight-decay steps (``sgd_weight_decay_step``), which converge to
      the ridge solution: every weight shrinks, none becomes 0.

    Returns ``SparsityResult(X, y, w_true, w_l1, w_l1_subgradient, w_l2)``.
    """
    alpha_l1 = _alpha(alpha_l1)
    alpha_l2 = _alpha(alpha_l2)
    n = positive_int(n, "n")
    features = positive_int(features, "features")
    informative = positive_int(informative, "informative", minimum=0)
    if informative > features:
        raise ValueError(f"{public_name()}: informative ({informative}) cannot exceed features "
                         f"({features}).")
    steps = positive_int(steps, "steps")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, features))
    w_true = np.zeros(features)
    w_true[:informative] = rng.uniform(1.0, 2.0, informative) * rng.choice([-1.0, 1.0],
                                                                            informative)
    y = X @ w_true + 0.5 * rng.standard_normal(n)
    lr = 1.0 / np.linalg.eigvalsh(X.T @ X / n)[-1]

    def grad(w: np.ndarray) -> np.ndarray:
        return X.T @ (X @ w - y) / n

    w_l1 = np.zeros(features)
    w_sub = np.zeros(features)
    w_l2 = np.zeros(features)
    for _ in range(steps):
        w_l1 = ista_step(w_l1, grad(w_l1), lr, alpha_l1)
        w_sub = w_sub - lr * l1_subgradient(w_sub, alpha_l1, grad(w_sub))
        w_l2 = sgd_weight_decay_step(w_l2, grad(w_l2), lr, alpha_l2)
    return SparsityResult(X, y, w_true, w_l1, w_sub, w_l2)


# ---------------------------------------------------------------------------------------------
# Dropout
# ---------------------------------------------------------------------------------------------

def dropout_forward(x: Any, p: float, *, training: bool,
                    rng: np.random.Generator | None = None) -> tuple[np.ndarray, Any]:
    """Inverted dropout (seed 001 §3.12, seed 002 "Dropout").

    Training: each entry is dropped (set to 0) with probability ``p`` and the kept ones are
    scaled by 1/(1 − p), so the expected output equals the input:

        keep = rng.random(x.shape) >= p         (u < p: dropped)
        mask = keep / (1 − p),   out = x · mask

    Evaluation (``training=False``): the identity, out = x (a copy); no rescaling is needed at
    test time because it was done during training. p = 1 drops everything (out = 0).
    torch: ``torch.nn.functional.dropout(x, p, training)``.

    ``x``: any shape. ``rng``: a ``np.random.Generator``, required when training with p > 0.
    Returns ``(out, cache)``; pass the cache to ``dropout_backward``.
    """
    x = as_array(x, "x")
    p = real_in_range(p, "p", low=0.0, high=1.0)
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"{public_name()}: training must be True or False; got {training!r}.")
    if not training or p == 0.0:
        return x.copy(), None
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{public_name()}: training with p > 0 needs rng, a np.random.Generator; "
                        f"got {type(rng).__name__}. Pass rng=np.random.default_rng(seed).")
    keep = rng.random(x.shape) >= p
    mask = keep / (1.0 - p) if p < 1.0 else np.zeros(x.shape)
    return x * mask, mask


def dropout_backward(dout: Any, cache: Any) -> np.ndarray:
    """Gradient of dropout: dx = dout · mask, the same mask as the forward pass (so dropped
    units get no gradient and kept ones get it scaled by 1/(1 − p)); dx = dout in evaluation
    mode. ``dout``: ∂L/∂out, shaped like x."""
    dout = as_array(dout, "dout")
    if cache is None:
        return dout.copy()
    mask = np.asarray(cache)
    if mask.shape != dout.shape:
        raise ValueError(f"{public_name()}: dout has shape {dout.shape} but the forward input had "
                         f"shape {mask.shape}; pass the cache of the matching forward call.")
    return dout * mask


def max_norm(W: Any, c: float, axis: int | tuple[int, ...] = 0) -> np.ndarray:
    """The max-norm constraint: every unit's incoming weight vector projected onto the ball
    ‖w‖₂ ≤ c (seed 001 §3.12.4; Srivastava et al. 2014 use it with dropout, c ≈ 3 to 4).

    In the row format of ``dlcourse.layers`` (z = x W + b, W of shape (fan_in, fan_out)), unit
    j's incoming weights are the column W[:, j], so the norms run over ``axis=0``:

        n_j = ‖W[:, j]‖₂,     W[:, j] ← W[:, j] · min(1, c / n_j)

    Columns already inside the ball are left alone (this is a projection, not a
    normalization); longer ones are scaled back onto its surface; zero columns stay zero.
    Applied after every update, it keeps the weights bounded whatever the learning rate.
    ``axis``: the axis (or axes) the norm runs over; for a conv weight (F, C, KH, KW), each
    filter's norm runs over (1, 2, 3). Returns a new array; ``W`` is not modified.

    torch: ``torch.renorm(W, p=2, dim=1, maxnorm=c)`` for this layout (``dim`` names the axis
    whose slices are renormed: dim=0 for ``nn.Linear.weight``, which is stored as (out, in)).
    torch scales by c / (n_j + 1e-7) instead of c / n_j, so its long columns end up 1e-7/n_j
    (relatively) inside the ball.
    """
    W = as_array(W, "W")
    c = real_in_range(c, "c", low=0.0, low_open=True)
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    try:
        norms = np.sqrt(np.sum(W * W, axis=axes, keepdims=True))
    except (np.exceptions.AxisError, TypeError):
        raise ValueError(f"{public_name()}: axis {axis!r} does not fit W of shape {W.shape}; use "
                         "the axis (or axes) of each unit's incoming weights, 0 for (fan_in, "
                         "fan_out).") from None
    scale = np.minimum(1.0, c / np.where(norms > 0, norms, 1.0))
    return W * scale


# ---------------------------------------------------------------------------------------------
# Early stopping
# ---------------------------------------------------------------------------------------------

class EarlyStopping:
    """Stop training when the validation loss has not improved for ``patience`` checks, and
    keep the weights of the best check (seed 000 "Early stopping", seed 002).

    A check improves when ``val_loss < best_loss − min_delta``. Use::

        stopper = EarlyStopping(patience=5)
        for epoch in range(max_epochs):
            train_one_epoch(params)
            if stopper.step(validation_loss(params), params):
                break
        stopper.restore()            # params now hold the best weights again

    Attributes: ``best_loss``, ``best_epoch`` (0-based index of the best ``step`` call),
    ``best_params`` (copies of the arrays at that call), ``num_bad_epochs`` (checks since the
    last improvement), ``epoch`` (number of ``step`` calls), ``stopped``.
    """

    def __init__(self, patience: int, min_delta: float = 0.0) -> None:
        self.patience = positive_int(patience, "patience")
        self.min_delta = real_in_range(min_delta, "min_delta", low=0.0)
        self.best_loss = float("inf")
        self.best_epoch = -1
        self.best_params: list[np.ndarray] = []
        self.num_bad_epochs = 0
        self.epoch = 0
        self.stopped = False
        self._params: list[np.ndarray] = []

    def step(self, val_loss: float, params: Sequence[np.ndarray]) -> bool:
        """Record one validation loss; return True when training should stop.

        ``params``: the list of parameter arrays (a copy is kept when the loss improves). A NaN
        loss counts as no improvement.
        """
        if isinstance(val_loss, (bool, np.bool_)):
            raise TypeError(f"{public_name()}: val_loss must be a number; got {val_loss!r}.")
        try:
            loss = float(val_loss)
        except (TypeError, ValueError):
            raise TypeError(f"{public_name()}: val_loss must be a number; got "
                            f"{val_loss!r}.") from None
        if isinstance(params, np.ndarray):
            raise TypeError(f"{public_name()}: params must be a list of arrays; wrap a single "
                            "array in a list: step(loss, [w]).")
        params = list(params)
        for i, p in enumerate(params):
            if not isinstance(p, np.ndarray):
                raise TypeError(f"{public_name()}: params[{i}] must be a NumPy array; got "
                                f"{type(p).__name__}.")
        self._params = params
        if loss < self.best_loss - self.min_delta:
            self.best_loss = loss
            self.best_epoch = self.epoch
            self.best_params = [p.copy() for p in params]
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        self.epoch += 1
        self.stopped = self.num_bad_epochs >= self.patience
        return self.stopped

    def restore(self, params: Sequence[np.ndarray] | None = None) -> list[np.ndarray]:
        """Copy the best weights back, in place, into ``params`` (default: the arrays passed to
        the last ``step``); returns those arrays."""
        if not self.best_params:
            raise RuntimeError(f"{public_name()}: nothing to restore yet; call step() "
                               "with a finite validation loss first.")
        targets = self._params if params is None else list(params)
        check_same_size(len(targets), len(self.best_params), "the number of arrays")
        for target, best in zip(targets, self.best_params, strict=True):
            if target.shape != best.shape:
                raise ValueError(f"{public_name()}: shape {target.shape} does not match "
                                 f"the saved shape {best.shape}.")
            target[...] = best
        return targets


# ---------------------------------------------------------------------------------------------
# Label smoothing
# ---------------------------------------------------------------------------------------------

def _labels(labels: Any, k: int) -> np.ndarray:
    arr = np.asarray(labels)
    if arr.ndim != 1 or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        raise ValueError(f"{public_name()}: labels must be a 1-D array of integer class indices; "
                         f"got shape {arr.shape}, dtype {arr.dtype}.")
    if arr.size and (arr.min() < 0 or arr.max() >= k):
        raise ValueError(f"{public_name()}: labels must lie in 0..{k - 1}; got values from "
                         f"{arr.min()} to {arr.max()}.")
    return arr.astype(np.int64)


def smooth_labels(labels: Any, num_classes: int, epsilon: float) -> np.ndarray:
    """Smoothed one-hot targets (seed 000 "Dataset expansion", label smoothing):

        q_j = ε/k for a wrong class,   q_y = 1 − (k − 1)·ε/k for the right one

    i.e. q = (1 − ε)·one_hot(y) + ε/k. ``labels``: (N,) ints in 0..k−1; returns (N, k).
    """
    k = positive_int(num_classes, "num_classes", minimum=2)
    y = _labels(labels, k)
    eps = real_in_range(epsilon, "epsilon", low=0.0, high=1.0)
    q = np.full((len(y), k), eps / k)
    q[np.arange(len(y)), y] = 1.0 - (k - 1) * eps / k
    return q


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _logits_labels(logits: Any, labels: Any, epsilon: float) -> tuple[np.ndarray, np.ndarray]:
    z = as_array(logits, "logits", ndim=2, layout="(N, k)")
    y = _labels(labels, z.shape[1])
    check_same_size(z.shape[0], len(y), "the rows of logits and the number of labels")
    q = smooth_labels(y, z.shape[1], epsilon) if z.shape[1] >= 2 else np.ones((len(y), 1))
    return z, q


def label_smoothing_cross_entropy(logits: Any, labels: Any, epsilon: float) -> float:
    """Mean cross-entropy between smoothed targets and softmax(logits):

        L = −(1/N)·Σ_n Σ_j q_nj·log softmax(z_n)_j,   q = smooth_labels(labels, k, ε)

    ``logits``: (N, k), ``labels``: (N,) ints. Equals
    ``torch.nn.CrossEntropyLoss(label_smoothing=ε)(logits, labels)``; ε = 0 is the ordinary
    cross-entropy.
    """
    z, q = _logits_labels(logits, labels, epsilon)
    return float(-np.sum(q * _log_softmax(z)) / z.shape[0])


def label_smoothing_cross_entropy_grad(logits: Any, labels: Any, epsilon: float) -> np.ndarray:
    """∂L/∂logits of ``label_smoothing_cross_entropy``: (softmax(z) − q)/N, shape (N, k)."""
    z, q = _logits_labels(logits, labels, epsilon)
    return (np.exp(_log_softmax(z)) - q) / z.shape[0]


# ---------------------------------------------------------------------------------------------
# Data augmentation for small images
# ---------------------------------------------------------------------------------------------

def _images(img: Any) -> tuple[np.ndarray, bool]:
    a = as_array(img, "img", ndim=(2, 3), layout="(H, W) or (N, H, W)")
    return (a[None], True) if a.ndim == 2 else (a, False)


def _shift_batch(imgs: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """out[n, r, c] = imgs[n, r − dy_n, c − dx_n], 0 where that falls outside."""
    N, H, W = imgs.shape
    m = int(max(np.max(np.abs(dx), initial=0), np.max(np.abs(dy), initial=0)))
    m = min(m, max(H, W))
    padded = np.pad(imgs, ((0, 0), (m, m), (m, m)))
    rows = np.arange(H)[None, :, None] - np.clip(dy, -m, m)[:, None, None] + m
    cols = np.arange(W)[None, None, :] - np.clip(dx, -m, m)[:, None, None] + m
    return padded[np.arange(N)[:, None, None], rows, cols]


def _rotate_batch(imgs: np.ndarray, degrees: np.ndarray) -> np.ndarray:
    """Rotate each image about its centre, bilinear interpolation, zeros outside."""
    N, H, W = imgs.shape
    theta = np.deg2rad(degrees)[:, None, None]
    cos, sin = np.cos(theta), np.sin(theta)
    cr, cc = (H - 1) / 2.0, (W - 1) / 2.0
    r = np.arange(H)[None, :, None] - cr
    c = np.arange(W)[None, None, :] - cc
    # inverse map: the output pixel (r, c) takes its value from the input at (src_r, src_c);
    # a positive angle turns the picture counterclockwise as displayed (row 0 at the top)
    src_r = cos * r + sin * c + cr
    src_c = -sin * r + cos * c + cc
    # bilinear interpolation on the image padded with a ring of zeros
    padded = np.pad(imgs, ((0, 0), (1, 1), (1, 1)))
    src_r = np.clip(src_r + 1, 0, H + 1)
    src_c = np.clip(src_c + 1, 0, W + 1)
    r0 = np.minimum(np.floor(src_r).astype(np.int64), H)
    c0 = np.minimum(np.floor(src_c).astype(np.int64), W)
    fr, fc = src_r - r0, src_c - c0
    n = np.arange(N)[:, None, None]
    top = (1 - fc) * padded[n, r0, c0] + fc * padded[n, r0, c0 + 1]
    bottom = (1 - fc) * padded[n, r0 + 1, c0] + fc * padded[n, r0 + 1, c0 + 1]
    return (1 - fr) * top + fr * bottom


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{public_name()}: {name} must be a whole number of pixels; got {value!r}.")
    return int(value)


def shift_image(img: Any, dx: int, dy: int) -> np.ndarray:
    """Translate an image by whole pixels, filling the uncovered border with 0.

    ``dx`` > 0 moves the content right, ``dy`` > 0 moves it down:
    out[r, c] = img[r − dy, c − dx] where that pixel exists, else 0.
    ``img``: (H, W), or (N, H, W) to shift every image the same way. Returns a new array.
    """
    imgs, single = _images(img)
    dx, dy = _int(dx, "dx"), _int(dy, "dy")
    N = imgs.shape[0]
    out = _shift_batch(imgs, np.full(N, dx), np.full(N, dy))
    return out[0] if single else out


def rotate_image(img: Any, degrees: float) -> np.ndarray:
    """Rotate an image about its centre by ``degrees`` (counterclockwise as displayed).

    The centre is ((H − 1)/2, (W − 1)/2); each output pixel samples the input at the
    back-rotated position with bilinear interpolation, treating pixels outside the image as 0.
    Same as ``scipy.ndimage.rotate(img, degrees, reshape=False, order=1, mode="grid-constant")``;
    90° is ``np.rot90`` for a square image. ``img``: (H, W) or (N, H, W).
    """
    imgs, single = _images(img)
    deg = real_in_range(degrees, "degrees")
    out = _rotate_batch(imgs, np.full(imgs.shape[0], deg))
    return out[0] if single else out


def add_noise(img: Any, std: float, rng: np.random.Generator) -> np.ndarray:
    """Add Gaussian noise: img + std·N(0, 1), drawn as ``rng.standard_normal(img.shape)``.

    No clipping: scale the images first if a fixed pixel range matters.
    """
    a = as_array(img, "img")
    std = real_in_range(std, "std", low=0.0)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{public_name()}: rng must be a np.random.Generator; got "
                        f"{type(rng).__name__}.")
    return a + std * rng.standard_normal(a.shape)


def augment_batch(images: Any, rng: np.random.Generator, max_shift: int = 1,
                  max_degrees: float = 10.0, noise_std: float = 0.05) -> np.ndarray:
    """A randomly rotated, shifted and noisy copy of every image (seed 001 §3.13, seed 002).

    For image n: rotate by a_n degrees (``rotate_image``), then shift by (dx_n, dy_n) whole
    pixels (``shift_image``), then add noise_std·N(0, 1). Draws, in this order:
    ``a = rng.uniform(-max_degrees, max_degrees, N)``,
    ``dx = rng.integers(-max_shift, max_shift + 1, N)``, ``dy`` likewise, then the noise
    ``rng.standard_normal((N, H, W))``. Keep the rotations small for digits (a 6 turned far
    enough becomes a 9: seed 000). ``images``: (N, H, W); returns (N, H, W).
    """
    imgs = as_array(images, "images", ndim=3, layout="(N, H, W)")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{public_name()}: rng must be a np.random.Generator; got "
                        f"{type(rng).__name__}.")
    max_shift = positive_int(max_shift, "max_shift", minimum=0)
    max_degrees = real_in_range(max_degrees, "max_degrees", low=0.0)
    noise_std = real_in_range(noise_std, "noise_std", low=0.0)
    N = imgs.shape[0]
    angles = rng.uniform(-max_degrees, max_degrees, N)
    dx = rng.integers(-max_shift, max_shift + 1, N)
    dy = rng.integers(-max_shift, max_shift + 1, N)
    out = _shift_batch(_rotate_batch(imgs, angles), dx, dy)
    return out + noise_std * rng.standard_normal(imgs.shape)
