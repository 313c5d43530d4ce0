"""Activation functions and their derivatives, in NumPy (seed 000 "Activation Function",
seed 001 §3.4, seed 002 "Activation").

Every elementwise activation ``f(x)`` comes with ``f_grad(x)``: the derivative df/dx evaluated
at ``x``, elementwise, same shape as ``x``. Inputs may have any shape; outputs are float64.
Softmax is not elementwise: it acts along one axis and its derivative is a Jacobian matrix
(``softmax_jacobian``), used in practice only through ``softmax_backward``.

At a kink (ReLU and friends at 0) the derivative is undefined; we return the value PyTorch's
autograd uses, so that both agree everywhere: relu'(0) = 0, leaky_relu'(0) = prelu'(0) = α.

``ACTIVATIONS`` maps a name to the pair ``(f, f_grad)``; the MLP, the widgets and
``tangent_line`` / ``saturation_regions`` look activations up there.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dlcourse._validate import as_array, one_of, positive_int, public_name, real_in_range

ArrayFn = Callable[[np.ndarray], np.ndarray]


# --- threshold units (perceptron) --------------------------------------------------------------

def step(z: np.ndarray) -> np.ndarray:
    """Heaviside step: 1.0 where z > 0, else 0.0 (seed 002 "Single Neuron", classification).

    Note step(0) = 0. Any shape; float64 of the same shape.
    """
    z = as_array(z, "z")
    return (z > 0).astype(np.float64)


def step_grad(z: np.ndarray) -> np.ndarray:
    """Derivative of ``step``: 0 everywhere (undefined at the jump z = 0, where we return 0).

    A zero derivative is why a network of step units cannot be trained by gradient descent.
    """
    z = as_array(z, "z")
    return np.zeros_like(z)


def sign(z: np.ndarray) -> np.ndarray:
    """Perceptron sign: +1.0 where z > 0, else -1.0 (seed 000 "Single-Layer Perceptron").

    Unlike ``np.sign`` (and ``torch.sign``), sign(0) = -1 here, not 0: the perceptron always
    answers one of its two classes. Any shape; float64 of the same shape.
    """
    z = as_array(z, "z")
    return np.where(z > 0, 1.0, -1.0)


def sign_grad(z: np.ndarray) -> np.ndarray:
    """Derivative of ``sign``: 0 everywhere (undefined at z = 0, where we return 0)."""
    z = as_array(z, "z")
    return np.zeros_like(z)


# --- smooth squashing functions ----------------------------------------------------------------

def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic sigmoid σ(x) = 1 / (1 + e^(-x)), values in (0, 1) (seed 001 §3.4.2).

    Computed without overflow for any x: with e = e^(-|x|) ≤ 1,
    σ(x) = 1 / (1 + e) for x ≥ 0 and σ(x) = e / (1 + e) for x < 0.
    The naive formula overflows in e^(-x) for x < -709.
    """
    x = as_array(x, "x")
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """σ'(x) = σ(x)(1 − σ(x)) (seed 001 §3.4.3); at most 1/4, reached at x = 0.

    Written as σ(x)·σ(−x), the same number since 1 − σ(x) = σ(−x), because that form keeps its
    accuracy for large x where 1 − σ(x) would round to 0.
    """
    x = as_array(x, "x")
    return sigmoid(x) * sigmoid(-x)


def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent (e^x − e^(−x)) / (e^x + e^(−x)), values in (−1, 1) (seed 001 §3.4.2).

    np.tanh is already stable for large |x|. Note tanh(x) = 2σ(2x) − 1: a rescaled sigmoid.
    """
    x = as_array(x, "x")
    return np.tanh(x)


def tanh_grad(x: np.ndarray) -> np.ndarray:
    """tanh'(x) = 1 − tanh²(x), in (0, 1], equal to 1 at x = 0 (seed 001 §3.4.3, §3.4.11).

    Errata: seed 001 §3.4.11 writes the range as (0, 1); x = 0 attains 1. In float64 the value
    rounds to 0 once |x| > 19 or so, where tanh(x) rounds to ±1.
    """
    x = as_array(x, "x")
    t = np.tanh(x)
    return 1.0 - t * t


def softsign(x: np.ndarray) -> np.ndarray:
    """Softsign x / (1 + |x|), values in (−1, 1) (seed 000): like tanh, with polynomial tails."""
    x = as_array(x, "x")
    return x / (1.0 + np.abs(x))


def softsign_grad(x: np.ndarray) -> np.ndarray:
    """softsign'(x) = 1 / (1 + |x|)², in (0, 1]."""
    x = as_array(x, "x")
    return 1.0 / (1.0 + np.abs(x)) ** 2


# --- rectifiers ----------------------------------------------------------------------------------

def relu(x: np.ndarray) -> np.ndarray:
    """Rectified linear unit max(0, x) (seed 001 §3.4.2, seed 002)."""
    x = as_array(x, "x")
    return np.maximum(x, 0.0)


def relu_grad(x: np.ndarray) -> np.ndarray:
    """relu'(x) = 1 where x > 0, else 0 (0 at the kink x = 0, as in PyTorch)."""
    x = as_array(x, "x")
    return (x > 0).astype(np.float64)


def leaky_relu(x: np.ndarray, alpha: float = 0.01) -> np.ndarray:
    """Leaky ReLU: x where x > 0, else α·x (seed 002; seed 001 §3.4.2 plots α = 0.5).

    α is a fixed small slope (PyTorch's default negative_slope is 0.01), so negative inputs
    still pass a gradient.
    """
    x = as_array(x, "x")
    alpha = real_in_range(alpha, "alpha")
    return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x: np.ndarray, alpha: float = 0.01) -> np.ndarray:
    """leaky_relu'(x) = 1 where x > 0, else α (α at the kink x = 0, as in PyTorch)."""
    x = as_array(x, "x")
    alpha = real_in_range(alpha, "alpha")
    return np.where(x > 0, 1.0, alpha)


def _prelu_alpha(alpha: object, x: np.ndarray) -> np.ndarray:
    a = as_array(alpha, "alpha", ndim=(0, 1), layout="() or (C,)")
    if a.ndim == 1 and (x.ndim == 0 or a.shape[0] != x.shape[-1]):
        raise ValueError(
            f"{public_name()}: a per-feature alpha needs one slope per entry of x's last axis; got "
            f"alpha of shape {a.shape} for x of shape {x.shape}. Pass a scalar alpha to "
            "share one slope."
        )
    return a


def prelu(x: np.ndarray, alpha: float | np.ndarray) -> np.ndarray:
    """Parametric ReLU: x where x > 0, else α·x, with α learned (seed 002).

    ``alpha`` is a scalar (one slope for all) or an array of shape (C,) with one slope per
    feature along the LAST axis of x, e.g. x: (N, C). PyTorch's ``F.prelu`` puts the channels
    on axis 1 instead; the two agree for 2-D x: (N, C).
    """
    x = as_array(x, "x")
    a = _prelu_alpha(alpha, x)
    return np.where(x > 0, x, a * x)


def prelu_grad(x: np.ndarray, alpha: float | np.ndarray) -> np.ndarray:
    """∂prelu/∂x = 1 where x > 0, else α (α at x = 0, as in PyTorch); same shape as x."""
    x = as_array(x, "x")
    a = _prelu_alpha(alpha, x)
    return np.where(x > 0, 1.0, a)


def prelu_alpha_grad(x: np.ndarray) -> np.ndarray:
    """∂prelu/∂α elementwise: 0 where x > 0, else x; same shape as x.

    The gradient of a loss w.r.t. α sums dout · this over every entry that shares the slope
    (see ``layers.prelu_backward``).
    """
    x = as_array(x, "x")
    return np.where(x > 0, 0.0, x)


def softplus(x: np.ndarray) -> np.ndarray:
    """Softplus ln(1 + e^x), a smooth ReLU with values in (0, ∞) (seed 001 §3.4.2).

    Computed as max(x, 0) + ln(1 + e^(−|x|)), which never overflows and keeps full accuracy
    for large |x|. (PyTorch's ``F.softplus`` returns x itself once x > 20, its ``threshold``;
    the two differ there by less than 2.1e-9.)
    """
    x = as_array(x, "x")
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def softplus_grad(x: np.ndarray) -> np.ndarray:
    """softplus'(x) = σ(x), the sigmoid."""
    x = as_array(x, "x")
    return sigmoid(x)


def linear(x: np.ndarray) -> np.ndarray:
    """Identity activation f(x) = x (seed 001 §3.4.7); returns a new array."""
    return as_array(x, "x").copy()


def linear_grad(x: np.ndarray) -> np.ndarray:
    """linear'(x) = 1."""
    x = as_array(x, "x")
    return np.ones_like(x)


# --- softmax -------------------------------------------------------------------------------------

def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis``: p_j = e^(z_j) / Σ_k e^(z_k) (seed 001 §3.4.9, §3.9).

    Every p_j is in (0, 1) and they sum to 1 along ``axis``. Subtracting the maximum first
    changes nothing mathematically (it cancels in the ratio) but keeps e^(...) ≤ 1, so logits
    of ±1000 do not overflow. Seed 001: softmax(3, 1, −3) ≈ (0.8789, 0.1189, 0.0022).
    """
    z = as_array(z, "z")
    if z.ndim == 0:
        raise ValueError(f"{public_name()}: z must have at least one axis (a vector of logits); "
                         "got a scalar.")
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)
    return e


def softmax_jacobian(z: np.ndarray) -> np.ndarray:
    """Jacobian of the softmax over the last axis: J[i, j] = ∂p_i/∂z_j = p_i (δ_ij − p_j).

    z: (K,) gives (K, K); a batch z: (N, K) gives (N, K, K), one Jacobian per row.
    """
    z = as_array(z, "z", ndim=(1, 2), layout="(K,) or (N, K)")
    p = softmax(z)
    return p[..., :, None] * (np.eye(z.shape[-1]) - p[..., None, :])


def softmax_backward(dout: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Vector-Jacobian product of the softmax over the last axis, given its output p.

    dz_j = Σ_i dout_i ∂p_i/∂z_j = p_j (dout_j − Σ_i dout_i p_i): the Jacobian is never built.
    dout and p: same shape, e.g. (N, K); returns dz of that shape.
    """
    dout = as_array(dout, "dout")
    p = as_array(p, "p")
    if dout.shape != p.shape:
        raise ValueError(f"{public_name()}: dout and p must have the same shape; got "
                         f"{dout.shape} and {p.shape}.")
    return p * (dout - np.sum(dout * p, axis=-1, keepdims=True))


# --- registry and helpers for the widgets ---------------------------------------------------------

ACTIVATIONS: dict[str, tuple[ArrayFn, ArrayFn]] = {
    "step": (step, step_grad),
    "sign": (sign, sign_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "softsign": (softsign, softsign_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "softplus": (softplus, softplus_grad),
    "linear": (linear, linear_grad),
}
"""Elementwise activations by name: ``(f, f_grad)``; leaky_relu with its default α = 0.01.
PReLU (a learned α) and softmax (not elementwise) are not in it."""


def get_activation(name: str, alpha: float = 0.01) -> tuple[ArrayFn, ArrayFn]:
    """``(f, f_grad)`` for the activation ``name``; ``alpha`` sets the leaky ReLU's slope."""
    key = one_of(name, ACTIVATIONS, "activation")
    if key == "leaky_relu":
        alpha = real_in_range(alpha, "alpha")
        return (lambda x: leaky_relu(x, alpha)), (lambda x: leaky_relu_grad(x, alpha))
    return ACTIVATIONS[key]


def tangent_line(name: str, x0: float, xs: np.ndarray, *, alpha: float = 0.01,
                 ) -> tuple[float, float, np.ndarray]:
    """The tangent of activation ``name`` at x0, for the chapter-03 explorer.

    Returns ``(f(x0), f'(x0), line)`` where line = f(x0) + f'(x0)·(xs − x0), same shape as xs.
    """
    f, f_grad = get_activation(name, alpha)
    x0 = real_in_range(x0, "x0")
    xs = as_array(xs, "xs")
    y0, slope = float(f(x0)), float(f_grad(x0))
    return y0, slope, y0 + slope * (xs - x0)


def saturation_regions(name: str, threshold: float = 0.1, *, alpha: float = 0.01,
                       x_range: tuple[float, float] = (-6.0, 6.0), num: int = 1201,
                       ) -> list[tuple[float, float]]:
    """The x-intervals within ``x_range`` where |f'(x)| < threshold: where the unit saturates.

    Returned as sorted ``(start, end)`` pairs, for shading a plot. The derivative is sampled on
    ``num`` evenly spaced points and every change between neighbours is located to about 1e-12
    by bisection, so the ends are exact up to that (an interval narrower than the sampling
    step can be missed). Example: sigmoid with threshold 0.1 gives about
    [(-6, -2.06), (2.06, 6)]; ReLU with threshold 0.5 gives [(-6, 0)].
    """
    _, f_grad = get_activation(name, alpha)
    threshold = real_in_range(threshold, "threshold", low=0.0, low_open=True)
    lo_x, hi_x = (real_in_range(v, "x_range") for v in x_range)
    if not lo_x < hi_x:
        raise ValueError(f"{public_name()}: x_range must be (low, high) with low < high; got "
                         f"{x_range}.")
    num = positive_int(num, "num", minimum=2)

    def saturated(x: np.ndarray) -> np.ndarray:
        return np.abs(f_grad(x)) < threshold

    xs = np.linspace(lo_x, hi_x, num)
    mask = saturated(xs)
    i = np.flatnonzero(mask[1:] != mask[:-1])      # the change lies in (xs[i], xs[i+1]]
    left, right, left_state = xs[i], xs[i + 1], mask[i]
    for _ in range(60):                               # vectorized bisection on every change
        mid = 0.5 * (left + right)
        same = saturated(mid) == left_state
        left, right = np.where(same, mid, left), np.where(same, right, mid)
    edges = 0.5 * (left + right)
    starts = ([lo_x] if mask[0] else []) + list(edges[~left_state])
    ends = list(edges[left_state]) + ([hi_x] if mask[-1] else [])
    return [(float(a), float(b)) for a, b in zip(starts, ends, strict=True)]
