"""Normalization from scratch, in NumPy: feature scaling and normalization layers.

Two families (seed 001 §3.6):

- **feature scaling** of the input data, with statistics measured once on the training set and
  reused on new data: ``min_max_scale`` (§3.6.5, linear normalization) and ``z_score``
  (standard-deviation standardization);
- **normalization inside the network**: ``batch_norm_*`` (§3.6.8 to §3.6.10, seed 002),
  ``layer_norm_*`` and ``group_norm_*`` (§3.6.11) standardize activations and rescale them with
  learned γ, β; ``weight_norm*`` (§3.6.12) normalizes the weights instead; and
  ``local_response_norm*`` (§3.6.7) divides each activation by its neighbouring channels' energy.

Batch, layer and group norm are one operation, x̂ = (x − μ)/√(σ² + ε) followed by γ·x̂ + β,
applied over different axes: BN over the batch (and the pixels) of each channel, LN over all the
features of each example, GN over groups of channels of each example (``_standardize``). Their
backward passes are one formula too (``_standardize_backward``). Batch norm alone keeps running
statistics for inference; ``batch_norm_running_stats`` computes their update. Its training
step also has a fast path, ``_batch_norm_forward_fast`` / ``_batch_norm_backward_fast`` (per-
channel sums by ``einsum``, in-place steps), tested equal to the readable functions and timed
beside them by ``python -m dlcourse.bench --only ratios``.

Layouts follow PyTorch: (N, D) or (N, C, *spatial) with channels on axis 1. Layers follow the
``xxx_forward(...) -> (out, cache)`` / ``xxx_backward(dout, cache) -> grads`` convention; nothing
modifies its inputs; everything is float64.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from dlcourse._validate import as_array, check_same_size, positive_int, public_name, real_in_range

__all__ = [
    "BatchStatisticNoise",
    "batch_norm_backward",
    "batch_norm_forward",
    "batch_norm_running_stats",
    "batch_statistic_noise",
    "group_norm_backward",
    "group_norm_forward",
    "layer_norm_backward",
    "layer_norm_forward",
    "local_response_norm",
    "local_response_norm_backward",
    "local_response_norm_forward",
    "min_max_scale",
    "weight_norm",
    "weight_norm_backward",
    "weight_norm_forward",
    "z_score",
]


# --------------------------------------------------------------------------- feature scaling

def _feature_stat(value: Any, name: str, x: np.ndarray) -> np.ndarray:
    stat = as_array(value, name)
    try:
        np.broadcast_shapes(stat.shape, x.shape[1:])
    except ValueError:
        raise ValueError(
            f"{public_name()}: {name} must hold one value per feature, shape {x.shape[1:]}; "
            f"got shape {stat.shape}."
        ) from None
    return stat


def min_max_scale(x: np.ndarray, feature_range: tuple[float, float] = (0.0, 1.0),
                  data_min: np.ndarray | None = None,
                  data_max: np.ndarray | None = None) -> np.ndarray:
    """Rescale each feature linearly so that [data_min, data_max] maps onto ``feature_range``.

        x' = lo + (x − min) / (max − min) · (hi − lo)        (seed 001 §3.6.5, with lo, hi = 0, 1)

    x: (N,) or (N, D), one row per example. ``data_min`` and ``data_max`` default to the column
    minima and maxima of ``x``; to scale test data with the training set's statistics pass
    ``data_min=x_train.min(axis=0), data_max=x_train.max(axis=0)`` (test values may then fall
    outside the range). A constant feature (max = min) is only shifted, as scikit-learn's
    ``MinMaxScaler`` does.
    """
    x = as_array(x, "x", ndim=(1, 2), layout="(N,) or (N, D)")
    if x.shape[0] == 0:
        raise ValueError(f"{public_name()}: x has no rows; it needs at least one example.")
    try:
        lo, hi = feature_range
    except (TypeError, ValueError):
        raise TypeError(
            f"{public_name()}: feature_range must be a pair (low, high); got {feature_range!r}."
        ) from None
    lo = real_in_range(lo, "feature_range[0]")
    hi = real_in_range(hi, "feature_range[1]")
    if not lo < hi:
        raise ValueError(f"{public_name()}: feature_range must have low < high; got ({lo}, {hi}).")
    mn = x.min(axis=0) if data_min is None else _feature_stat(data_min, "data_min", x)
    mx = x.max(axis=0) if data_max is None else _feature_stat(data_max, "data_max", x)
    span = mx - mn
    if np.any(span < 0):
        raise ValueError(f"{public_name()}: data_max must be ≥ data_min for every feature.")
    span = np.where(span == 0, 1.0, span)
    return lo + (x - mn) / span * (hi - lo)


def z_score(x: np.ndarray, mean: np.ndarray | None = None,
            std: np.ndarray | None = None) -> np.ndarray:
    """Standardize each feature to mean 0 and standard deviation 1: x' = (x − μ)/σ.

    Seed 001 §3.6.5 ("standard deviation standardization"). x: (N,) or (N, D). ``mean`` and
    ``std`` default to the column mean and the population standard deviation (divide by N) of
    ``x``; pass the training set's ``x_train.mean(axis=0)`` and ``x_train.std(axis=0)`` to scale
    test data the same way. A feature with σ = 0 is only centred, as in scikit-learn's
    ``StandardScaler``.
    """
    x = as_array(x, "x", ndim=(1, 2), layout="(N,) or (N, D)")
    if x.shape[0] == 0:
        raise ValueError(f"{public_name()}: x has no rows; it needs at least one example.")
    mu = x.mean(axis=0) if mean is None else _feature_stat(mean, "mean", x)
    sd = x.std(axis=0) if std is None else _feature_stat(std, "std", x)
    if np.any(sd < 0):
        raise ValueError(f"{public_name()}: std must be ≥ 0 for every feature.")
    return (x - mu) / np.where(sd == 0, 1.0, sd)


# --------------------------------------------------------------------------- shared core

def _standardize(x: np.ndarray, axes: tuple[int, ...], eps: float):
    """x̂ = (x − mean)/√(var + ε), statistics over ``axes`` (biased variance)."""
    mean = x.mean(axis=axes, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    return centred * inv_std, inv_std, mean, var


def _standardize_backward(dxhat: np.ndarray, xhat: np.ndarray, inv_std: np.ndarray,
                          axes: tuple[int, ...]) -> np.ndarray:
    """Gradient through x̂ = (x − μ)/√(σ² + ε) when μ and σ² are computed from x over ``axes``.

        dx = (1/√(σ² + ε)) · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂))

    The two subtracted means are the paths through μ and through σ²: shifting every x by the
    same amount, or scaling them together, does not change x̂.
    """
    mean_d = dxhat.mean(axis=axes, keepdims=True)
    mean_dx = np.mean(dxhat * xhat, axis=axes, keepdims=True)
    return inv_std * (dxhat - mean_d - xhat * mean_dx)


def _channel_vector(value: Any, name: str, c: int) -> np.ndarray:
    v = as_array(value, name, ndim=1, layout="(C,)")
    check_same_size(v.shape[0], c, f"the length of {name} and the channels of x (axis 1)")
    return v


# --------------------------------------------------------------------------- batch norm

def batch_norm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                       running_mean: np.ndarray, running_var: np.ndarray, *, training: bool,
                       eps: float = 1e-5) -> tuple[np.ndarray, tuple]:
    """Batch normalization, as ``torch.nn.BatchNorm1d/2d``: returns (out, cache).

    x: (N, C) or (N, C, *spatial) (e.g. (N, C, H, W)); gamma, beta, running_mean,
    running_var: (C,). Statistics are per channel, over the batch and all pixels.

    Training (seed 001 §3.6.10, seed 002) normalizes with the batch's own statistics:

        μ = mean(x),  σ² = mean((x − μ)²),  x̂ = (x − μ)/√(σ² + ε),  out = γ·x̂ + β

    Inference (``training=False``) uses the running statistics instead of μ and σ². The
    running statistics themselves are updated by ``batch_norm_running_stats``, once per
    training step:

        out, cache = batch_norm_forward(x, gamma, beta, running_mean, running_var,
                                        training=True)
        running_mean, running_var = batch_norm_running_stats(x, running_mean, running_var)

    Errata: seed 001 §3.6.10 prints x̂ = (x + μ)/(√σ² + ε); it is (x − μ)/√(σ² + ε).
    """
    x, gamma, beta, running_mean, running_var, eps = _batch_norm_args(
        x, gamma, beta, running_mean, running_var, training, eps)
    axes = _channel_axes(x)
    shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)     # broadcasts a (C,) vector against x
    if training:
        xhat, inv_std, _, _ = _standardize(x, axes, eps)
    else:
        inv_std = 1.0 / np.sqrt(running_var.reshape(shape) + eps)
        xhat = (x - running_mean.reshape(shape)) * inv_std
    out = gamma.reshape(shape) * xhat + beta.reshape(shape)
    cache = (xhat, gamma.reshape(shape), inv_std, axes, bool(training))
    return out, cache


def batch_norm_backward(dout: np.ndarray, cache: tuple,
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``batch_norm_forward``: returns (dx, dgamma, dbeta).

    dout: the shape of x. With sums over the batch (and pixels) of each channel, m values:

        dbeta = Σ dout,   dgamma = Σ dout·x̂,   dx̂ = γ·dout
        dx = (1/√(σ² + ε)) · (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))       (training)
           = γ/(m·√(σ² + ε)) · (m·dout − dbeta − x̂·dgamma)
        dx = γ·dout/√(running_var + ε)                                 (inference)

    In training the batch statistics depend on x, hence the two subtracted terms: the paths
    through μ and through σ² (``_standardize_backward``, shared with layer and group norm).
    At inference the running statistics are constants.
    """
    xhat, gamma, inv_std, axes, training = cache
    dout = as_array(dout, "dout")
    if dout.shape != xhat.shape:
        raise ValueError(f"{public_name()}: dout must have x's shape {xhat.shape}; got "
                         f"{dout.shape}.")
    dbeta = dout.sum(axis=axes)
    dgamma = np.sum(dout * xhat, axis=axes)
    dxhat = dout * gamma
    if not training:
        return dxhat * inv_std, dgamma, dbeta       # the running statistics are constants
    dx = _standardize_backward(dxhat, xhat, inv_std, axes)
    return dx, dgamma, dbeta


def _batch_norm_args(x: Any, gamma: Any, beta: Any, running_mean: Any, running_var: Any,
                     training: Any, eps: Any) -> tuple:
    x = as_array(x, "x", ndim=(2, 3, 4, 5), layout="(N, C) or (N, C, H, W)")
    C = x.shape[1]
    gamma = _channel_vector(gamma, "gamma", C)
    beta = _channel_vector(beta, "beta", C)
    running_mean = _channel_vector(running_mean, "running_mean", C)
    running_var = _channel_vector(running_var, "running_var", C)
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"{public_name()}: training must be True or False; got {training!r}.")
    eps = real_in_range(eps, "eps", low=0.0, low_open=True)
    if training:
        _values_per_channel(x)
    return x, gamma, beta, running_mean, running_var, eps


def _batch_norm_forward_fast(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                             running_mean: np.ndarray, running_var: np.ndarray, *,
                             training: bool, eps: float = 1e-5) -> tuple[np.ndarray, tuple]:
    """Fast path of ``batch_norm_forward``: the same (out, cache), computed in fewer passes.

    Training only (inference is one multiply-add and runs the readable code): the per-channel
    sums are ``einsum`` reductions of (N, C, pixels) views, which NumPy does much faster than
    a mean over the axes (0, 2, 3, ...), and x̂ is scaled in place. ``tests/test_normalization.py``
    checks that it equals the readable version.
    """
    if not training:
        return batch_norm_forward(x, gamma, beta, running_mean, running_var, training=False,
                                  eps=eps)
    x, gamma, beta, _, _, eps = _batch_norm_args(
        x, gamma, beta, running_mean, running_var, training, eps)
    C = x.shape[1]
    shape = (1, C) + (1,) * (x.ndim - 2)
    m = x.size // C
    xhat = x - (_per_channel_sum(x) / m).reshape(shape)           # x − μ
    inv_std = (1.0 / np.sqrt(_per_channel_dot(xhat, xhat) / m + eps)).reshape(shape)
    xhat *= inv_std                                               # (x − μ)/√(σ² + ε)
    out = xhat * gamma.reshape(shape)
    out += beta.reshape(shape)
    return out, (xhat, gamma.reshape(shape), inv_std, _channel_axes(x), True)


def _batch_norm_train_step_fast(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                                running_mean: np.ndarray, running_var: np.ndarray,
                                momentum: float = 0.1, eps: float = 1e-5,
                                ) -> tuple[np.ndarray, tuple, np.ndarray, np.ndarray]:
    """Fast path of a training step, ``batch_norm_forward(..., training=True)`` followed by
    ``batch_norm_running_stats``: the same ``(out, cache)`` and ``(new_running_mean,
    new_running_var)``, with the batch's mean and variance computed once for both (the
    readable pair computes them twice)."""
    x, gamma, beta, running_mean, running_var, eps = _batch_norm_args(
        x, gamma, beta, running_mean, running_var, True, eps)
    momentum = real_in_range(momentum, "momentum", low=0.0, high=1.0)
    C = x.shape[1]
    shape = (1, C) + (1,) * (x.ndim - 2)
    m = x.size // C
    mean = _per_channel_sum(x) / m
    xhat = x - mean.reshape(shape)                                # x − μ
    var = _per_channel_dot(xhat, xhat) / m                        # biased σ²
    inv_std = (1.0 / np.sqrt(var + eps)).reshape(shape)
    xhat *= inv_std                                               # (x − μ)/√(σ² + ε)
    out = xhat * gamma.reshape(shape)
    out += beta.reshape(shape)
    new_mean = (1 - momentum) * running_mean + momentum * mean
    new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)
    return out, (xhat, gamma.reshape(shape), inv_std, _channel_axes(x), True), new_mean, new_var


def _batch_norm_backward_fast(dout: np.ndarray, cache: tuple,
                              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fast path of ``batch_norm_backward``, the same (dx, dgamma, dbeta): the compact form
    dx = γ/(m·√(σ² + ε))·(m·dout − dbeta − x̂·dgamma) term by term, in place, with the sums as
    ``einsum`` reductions. Takes the cache of either forward."""
    xhat, gamma, inv_std, _, training = cache
    if not training:
        return batch_norm_backward(dout, cache)
    dout = as_array(dout, "dout")
    if dout.shape != xhat.shape:
        raise ValueError(f"{public_name()}: dout must have x's shape {xhat.shape}; got "
                         f"{dout.shape}.")
    C = xhat.shape[1]
    shape = (1, C) + (1,) * (xhat.ndim - 2)
    m = xhat.size // C
    dbeta = _per_channel_sum(dout)
    dgamma = _per_channel_dot(dout, xhat)
    scale = gamma * inv_std                                       # γ/√(σ² + ε), per channel
    dx = dout * scale                                             # every term times the scale,
    dx -= xhat * (scale * (dgamma / m).reshape(shape))            # so that no pass is spent on
    dx -= scale * (dbeta / m).reshape(shape)                      # multiplying at the end
    return dx, dgamma, dbeta


def _per_channel_sum(a: np.ndarray) -> np.ndarray:
    """Σ over every axis but 1 of an (N, C, ...) array → (C,)."""
    return np.einsum("nci->c", a.reshape(a.shape[0], a.shape[1], -1))


def _per_channel_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Σ a·b over every axis but 1 → (C,), without building the product array."""
    shape = (a.shape[0], a.shape[1], -1)
    return np.einsum("nci,nci->c", a.reshape(shape), b.reshape(shape))


def batch_norm_running_stats(x: np.ndarray, running_mean: np.ndarray, running_var: np.ndarray,
                             momentum: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """The running statistics after one training step of batch norm on the batch ``x``.

    x: (N, C) or (N, C, *spatial); running_mean, running_var: (C,). With μ and σ² the batch's
    mean and biased variance per channel, over its m = N·H·W values (as in
    ``batch_norm_forward``):

        new_running_mean = (1 − momentum)·running_mean + momentum·μ
        new_running_var  = (1 − momentum)·running_var  + momentum·σ²·m/(m − 1)

    The batch is normalized with the biased σ², but the running variance tracks the *unbiased*
    estimate σ²·m/(m − 1), as PyTorch does. PyTorch's ``momentum`` is the weight of the *new*
    batch (0.1), not of the old average. Returns ``(new_running_mean, new_running_var)``,
    new arrays: the ones passed in are left alone (``torch.batch_norm_update_stats`` takes the
    same arguments and updates them in place; a ``BatchNorm`` layer does it in ``forward``
    when training).
    """
    x = as_array(x, "x", ndim=(2, 3, 4, 5), layout="(N, C) or (N, C, H, W)")
    C = x.shape[1]
    running_mean = _channel_vector(running_mean, "running_mean", C)
    running_var = _channel_vector(running_var, "running_var", C)
    momentum = real_in_range(momentum, "momentum", low=0.0, high=1.0)
    m = _values_per_channel(x)
    axes = _channel_axes(x)
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    new_mean = (1 - momentum) * running_mean + momentum * mean
    new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)
    return new_mean, new_var


def _channel_axes(x: np.ndarray) -> tuple[int, ...]:
    """Every axis of an (N, C, ...) array but the channels: (0, 2, 3, ...)."""
    return (0, *range(2, x.ndim))


def _values_per_channel(x: np.ndarray) -> int:
    """m = N·H·W, the values a channel's statistics are computed from (at least 2)."""
    m = x.size // x.shape[1]
    if m < 2:
        raise ValueError(
            f"{public_name()}: a channel's batch variance needs more than one value per channel; "
            f"got x of shape {x.shape}. Use a larger batch (or training=False at inference)."
        )
    return m


# --------------------------------------------------------------------------- layer norm

def layer_norm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                       eps: float = 1e-5) -> tuple[np.ndarray, tuple]:
    """Layer normalization, as ``torch.nn.LayerNorm(gamma.shape)``: returns (out, cache).

    x: (..., *S) where S = gamma.shape = beta.shape (PyTorch's ``normalized_shape``), e.g.
    x (N, D) with gamma (D,), or x (N, C, H, W) with gamma (C, H, W). Each example is
    standardized over its own last len(S) axes, x̂ = (x − μ)/√(σ² + ε), then out = γ·x̂ + β
    elementwise. No batch statistics: training and inference are the same.
    """
    x = as_array(x, "x")
    gamma = as_array(gamma, "gamma")
    beta = as_array(beta, "beta")
    eps = real_in_range(eps, "eps", low=0.0, low_open=True)
    k = gamma.ndim
    if k == 0 or gamma.shape != beta.shape or x.ndim < k or x.shape[x.ndim - k:] != gamma.shape:
        raise ValueError(
            f"{public_name()}: gamma and beta must both have the shape of x's last axes (the "
            f"normalized shape); got x {x.shape}, gamma {gamma.shape}, beta {beta.shape}."
        )
    axes = tuple(range(x.ndim - k, x.ndim))
    xhat, inv_std, _, _ = _standardize(x, axes, eps)
    out = gamma * xhat + beta
    return out, (xhat, gamma, inv_std, axes)


def layer_norm_backward(dout: np.ndarray, cache: tuple,
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``layer_norm_forward``: returns (dx, dgamma, dbeta).

    The batch-norm formula with the roles of the axes swapped: the statistics run over each
    example's features, and γ, β collect their gradients over the leading (batch) axes.
    """
    xhat, gamma, inv_std, axes = cache
    dout = as_array(dout, "dout")
    if dout.shape != xhat.shape:
        raise ValueError(f"{public_name()}: dout must have x's shape {xhat.shape}; got "
                         f"{dout.shape}.")
    lead = tuple(range(xhat.ndim - gamma.ndim))
    dbeta = dout.sum(axis=lead)
    dgamma = np.sum(dout * xhat, axis=lead)
    dx = _standardize_backward(dout * gamma, xhat, inv_std, axes)
    return dx, dgamma, dbeta


# --------------------------------------------------------------------------- group norm

def group_norm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, num_groups: int,
                       eps: float = 1e-5) -> tuple[np.ndarray, tuple]:
    """Group normalization, as ``torch.nn.GroupNorm(num_groups, C)``: returns (out, cache).

    x: (N, C, *spatial), e.g. (N, C, H, W); gamma, beta: (C,); C divisible by G = num_groups.
    The channels are split into G groups of C/G; each example's group is standardized over its
    C/G channels and all pixels, then out = γ_c·x̂ + β_c per channel (seed 001 §3.6.11).
    Nothing depends on the other examples in the batch. G = 1 normalizes like layer norm over
    (C, H, W); G = C is instance norm.
    """
    x = as_array(x, "x", ndim=(2, 3, 4, 5), layout="(N, C, H, W)")
    N, C = x.shape[:2]
    gamma = _channel_vector(gamma, "gamma", C)
    beta = _channel_vector(beta, "beta", C)
    G = positive_int(num_groups, "num_groups")
    eps = real_in_range(eps, "eps", low=0.0, low_open=True)
    if C % G:
        raise ValueError(
            f"{public_name()}: the {C} channels cannot be split into {G} equal groups; choose "
            f"num_groups dividing {C}."
        )
    grouped = x.reshape(N, G, -1)                   # (N, G, C/G · pixels)
    xhat_g, inv_std, _, _ = _standardize(grouped, (2,), eps)
    xhat = xhat_g.reshape(x.shape)
    shape = (1, C) + (1,) * (x.ndim - 2)
    out = gamma.reshape(shape) * xhat + beta.reshape(shape)
    return out, (xhat_g, gamma.reshape(shape), inv_std, x.shape)


def group_norm_backward(dout: np.ndarray, cache: tuple,
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``group_norm_forward``: returns (dx, dgamma (C,), dbeta (C,))."""
    xhat_g, gamma, inv_std, x_shape = cache
    dout = as_array(dout, "dout")
    if dout.shape != x_shape:
        raise ValueError(f"{public_name()}: dout must have x's shape {x_shape}; got {dout.shape}.")
    axes = (0, *range(2, dout.ndim))
    xhat = xhat_g.reshape(x_shape)
    dbeta = dout.sum(axis=axes)
    dgamma = np.sum(dout * xhat, axis=axes)
    dxhat_g = (dout * gamma).reshape(xhat_g.shape)
    dx = _standardize_backward(dxhat_g, xhat_g, inv_std, (2,)).reshape(x_shape)
    return dx, dgamma, dbeta


# --------------------------------------------------------------------------- weight norm

def weight_norm_forward(v: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Weight normalization: w = g · v/‖v‖ per output unit. Returns (w, cache).

    v: (out, ...) the direction parameters, e.g. a linear layer's (out, in) or a conv's
    (F, C, KH, KW); g: (out,) the lengths. ‖v‖ is taken over everything but axis 0, so each
    output unit's weight vector has length exactly |g| (seed 001 §3.6.12; Salimans & Kingma 2016).
    This is ``torch.nn.utils.weight_norm(module, dim=0)``, which stores g as (out, 1, ...).
    """
    v = as_array(v, "v", ndim=(2, 3, 4, 5), layout="(out, ...)")
    g = as_array(g, "g")
    if g.size == v.shape[0] and g.ndim > 1 and g.shape[1:] == (1,) * (g.ndim - 1):
        raise ValueError(
            f"{public_name()}: g must be a vector (out,); got shape {g.shape} (PyTorch's layout). "
            "Pass g.reshape(-1)."
        )
    g = _channel_vector(g, "g", v.shape[0])
    axes = tuple(range(1, v.ndim))
    shape = (-1,) + (1,) * (v.ndim - 1)
    norm = np.sqrt(np.sum(v * v, axis=axes, keepdims=True))
    if np.any(norm == 0):
        raise ValueError(f"{public_name()}: a row of v is all zeros, so its direction v/‖v‖ is "
                         "undefined.")
    u = v / norm
    return g.reshape(shape) * u, (u, g.reshape(shape), norm)


def weight_norm_backward(dw: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of ``weight_norm_forward``: returns (dv, dg).

        dg = Σ dw · v/‖v‖   (per output unit),    dv = (g/‖v‖) · (dw − (v/‖v‖) · dg)

    dv has no component along v: the length of v does not change w, only its direction does.
    """
    u, g, norm = cache
    dw = as_array(dw, "dw")
    if dw.shape != u.shape:
        raise ValueError(f"{public_name()}: dw must have w's shape {u.shape}; got {dw.shape}.")
    dg = np.sum(dw * u, axis=tuple(range(1, u.ndim)), keepdims=True)
    dv = g / norm * (dw - u * dg)
    return dv, dg.reshape(-1)


def weight_norm(v: np.ndarray, g: np.ndarray) -> np.ndarray:
    """w = g · v/‖v‖ per output unit (axis 0); see ``weight_norm_forward``. Returns w."""
    return weight_norm_forward(v, g)[0]


# --------------------------------------------------------------------------- local response norm

def _channel_window_sum(a: np.ndarray, before: int, after: int) -> np.ndarray:
    """s[:, c] = Σ a[:, j] for j from c − before to c + after, channels outside 0..C−1 as 0."""
    C = a.shape[1]
    pad = [(0, 0)] * a.ndim
    pad[1] = (before, after)
    padded = np.pad(a, pad)
    total = np.zeros_like(a)
    for shift in range(before + after + 1):            # a loop over the window, not the pixels
        total += padded[:, shift: shift + C]
    return total


def local_response_norm_forward(x: np.ndarray, size: int, alpha: float = 1e-4,
                                beta: float = 0.75, k: float = 1.0) -> tuple[np.ndarray, tuple]:
    """Local response normalization across channels, as ``torch.nn.LocalResponseNorm``.

    x: (N, C, ...) → out, same shape; returns (out, cache). Each activation is divided by the
    energy of its neighbours in the channel direction (lateral inhibition, seed 001 §3.6.7):

        b_c = a_c / (k + (α/n) · Σ_{j = c − ⌊n/2⌋}^{c + ⌊(n − 1)/2⌋} a_j²)^β,     n = ``size``

    channels outside 0..C−1 counting as 0. Mind the α/n: PyTorch (and this function) divides α
    by the window size. The formula in seed 001 §3.6.7 (AlexNet's, TensorFlow's) adds α·Σ a_j²
    over j = c − r .. c + r, r being the depth radius (2r + 1 channels), without dividing; it is
    this function with size = 2r + 1 and alpha = α_seed·(2r + 1).
    """
    x = as_array(x, "x", ndim=(2, 3, 4, 5), layout="(N, C, ...)")
    size = positive_int(size, "size")
    alpha = real_in_range(alpha, "alpha", low=0.0)
    beta = real_in_range(beta, "beta", low=0.0)
    k = real_in_range(k, "k", low=0.0, low_open=True)
    before, after = size // 2, (size - 1) // 2
    denom = k + alpha / size * _channel_window_sum(x * x, before, after)
    scale = denom ** -beta
    out = x * scale
    return out, (x, scale, denom, size, alpha, beta)


def local_response_norm_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """Gradient of ``local_response_norm_forward``: returns dx.

    With d_c the denominator's base, b_c = a_c·d_c^(−β) and ∂d_c/∂a_j = 2(α/n)·a_j for every j in
    c's window, so

        dx_j = dout_j·d_j^(−β) − 2β(α/n)·a_j · Σ_{c whose window holds j} dout_c·a_c·d_c^(−β−1)

    The channels c whose window holds j form the mirrored window (⌊(n − 1)/2⌋ before j,
    ⌊n/2⌋ after), so the sum is another window sum.
    """
    x, scale, denom, size, alpha, beta = cache
    dout = as_array(dout, "dout")
    if dout.shape != x.shape:
        raise ValueError(f"{public_name()}: dout must have x's shape {x.shape}; got {dout.shape}.")
    t = dout * x * scale / denom
    back = _channel_window_sum(t, (size - 1) // 2, size // 2)
    return dout * scale - 2.0 * beta * alpha / size * x * back


def local_response_norm(x: np.ndarray, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> np.ndarray:
    """Local response normalization; see ``local_response_norm_forward``. Returns out."""
    return local_response_norm_forward(x, size, alpha, beta, k)[0]


# --------------------------------------------------------------------------- BN vs GN noise

class BatchStatisticNoise(NamedTuple):
    """What ``batch_statistic_noise`` measured, one row per batch size.

    ``bn_means``, ``bn_vars``: (len(batch_sizes), num_draws), batch norm's mean and variance of
    channel 0 in each random batch; ``gn_means``, ``gn_vars``: the same shape, group norm's
    statistics of the first example's group 0 in the same batches. ``*_std``: their spread
    across draws (e.g. bn_mean_std[i] = bn_means[i].std()). ``true_*``: the population values
    each one estimates (channel 0 for BN, group 0 for GN).
    """

    batch_sizes: np.ndarray
    bn_means: np.ndarray
    bn_vars: np.ndarray
    gn_means: np.ndarray
    gn_vars: np.ndarray
    bn_mean_std: np.ndarray
    bn_var_std: np.ndarray
    gn_mean_std: np.ndarray
    gn_var_std: np.ndarray
    true_mean: float
    true_var: float
    true_group_mean: float
    true_group_var: float


def batch_statistic_noise(batch_sizes: Any = (1, 2, 4, 8, 16, 32, 64), num_draws: int = 200,
                          seed: int = 0, num_channels: int = 8, num_groups: int = 2,
                          spatial: int = 4) -> BatchStatisticNoise:
    """How noisy the statistics of batch norm and group norm are, as the batch size changes.

    Activations are random (N, C, spatial, spatial) arrays whose channel c is Normal(μ_c, σ_c²).
    For each batch size B, ``num_draws`` batches are drawn; in each we record

    - batch norm's statistics of channel 0: mean and biased variance of B·spatial² values;
    - group norm's statistics of the first example's first group (channels 0..C/G − 1): mean and
      variance of (C/G)·spatial² values of that one example.

    BN's estimates scatter around (μ_0, σ_0²) with a spread shrinking like 1/√(B·spatial²): at
    small B each batch is normalized with quite different numbers (seed 001 §3.6.11). GN's come
    from a single example, so their spread is the same for every B (the rows differ only by
    sampling noise); BN is the noisier of the two when B is below about C/G. Takes a few
    milliseconds.
    """
    sizes = np.atleast_1d(np.asarray(batch_sizes))
    if sizes.ndim != 1 or sizes.size == 0 or not np.issubdtype(sizes.dtype, np.integer):
        raise TypeError(f"{public_name()}: batch_sizes must be a list of integers; got "
                        f"{batch_sizes!r}.")
    sizes = np.array([positive_int(int(b), "batch size") for b in sizes])
    num_draws = positive_int(num_draws, "num_draws", minimum=2)
    C = positive_int(num_channels, "num_channels")
    G = positive_int(num_groups, "num_groups")
    P = positive_int(spatial, "spatial")
    if C % G:
        raise ValueError(f"{public_name()}: num_groups must divide num_channels; got {G} and {C}.")

    rng = np.random.default_rng(seed)
    mu = rng.uniform(-1.0, 1.0, size=C)
    sigma = rng.uniform(0.5, 2.0, size=C)
    g = C // G                                         # channels per group
    shape = (sizes.size, num_draws)
    bn_means, bn_vars = np.empty(shape), np.empty(shape)
    gn_means, gn_vars = np.empty(shape), np.empty(shape)
    for i, B in enumerate(sizes):
        # channel 0 of all B examples (what BN needs), and channels 1..g-1 of example 0 (what
        # GN needs besides): nothing else influences the recorded statistics
        ch0 = mu[0] + sigma[0] * rng.standard_normal((num_draws, B, P, P))
        rest = mu[1:g, None, None] + sigma[1:g, None, None] * rng.standard_normal(
            (num_draws, g - 1, P, P))
        bn_means[i] = ch0.mean(axis=(1, 2, 3))
        bn_vars[i] = ch0.var(axis=(1, 2, 3))
        group = np.concatenate([ch0[:, :1], rest], axis=1)          # (num_draws, g, P, P)
        gn_means[i] = group.mean(axis=(1, 2, 3))
        gn_vars[i] = group.var(axis=(1, 2, 3))
    mu_g, var_g = mu[:g], sigma[:g] ** 2
    return BatchStatisticNoise(
        batch_sizes=sizes, bn_means=bn_means, bn_vars=bn_vars, gn_means=gn_means,
        gn_vars=gn_vars, bn_mean_std=bn_means.std(axis=1), bn_var_std=bn_vars.std(axis=1),
        gn_mean_std=gn_means.std(axis=1), gn_var_std=gn_vars.std(axis=1),
        true_mean=float(mu[0]), true_var=float(var_g[0]),
        true_group_mean=float(mu_g.mean()),
        true_group_var=float(var_g.mean() + mu_g.var()),
    )
