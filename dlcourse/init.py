"""Weight initialization schemes, and the two experiments that motivate them.

Layout: a dense layer here computes ``x @ W`` (row format, seed 002), so a weight matrix has
shape **(fan_in, fan_out)**: one row per input, one column per unit. PyTorch's ``nn.Linear``
stores the transpose, (out_features, in_features), and computes ``x @ W.T``; so
``W_ours = W_torch.T`` and torch's ``fan_in`` is its ``shape[1]``, ours is ``shape[0]``.

Schemes (seed 001 §3.8, seed 003 "Xavier initialization"):

=================  ===========================================  ==========================
function            distribution                                 torch equivalent
=================  ===========================================  ==========================
zeros, constant     every weight the same (breaks nothing: see   nn.init.zeros_/constant_
                    ``symmetry_demo``)
small_random        N(0, scale²), scale = 0.01                   nn.init.normal_(std=0.01)
randn_sqrt_n        N(0, 1/fan_in)  ("LeCun normal")             kaiming_normal_(
                                                                 nonlinearity="linear")
xavier_uniform      U(−b, b), b = gain·√(6/(fan_in + fan_out))   xavier_uniform_
xavier_normal       N(0, σ²), σ = gain·√(2/(fan_in + fan_out))   xavier_normal_
he_normal           N(0, σ²), σ = √2/√fan_in                     kaiming_normal_ (fan_in,
                                                                 relu)
he_uniform          U(−b, b), b = √2·√(3/fan_in) = √(6/fan_in)   kaiming_uniform_ (fan_in,
                                                                 relu)
=================  ===========================================  ==========================

Random schemes take a ``np.random.Generator`` and draw with ``rng.standard_normal(shape) * σ``
(normal) or ``rng.uniform(-b, b, size=shape)`` (uniform).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Integral
from typing import Any, NamedTuple

import numpy as np

from dlcourse._validate import as_array, one_of, positive_int, public_name, real_in_range

__all__ = [
    "RANDOM_SCHEMES",
    "ActivationStats",
    "activation_stats",
    "calculate_gain",
    "constant",
    "fan_in_and_fan_out",
    "he_normal",
    "he_uniform",
    "init_scale",
    "randn_sqrt_n",
    "small_random",
    "symmetry_demo",
    "train_two_layer_sigmoid",
    "xavier_normal",
    "xavier_uniform",
    "zeros",
]


def _shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, Integral) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise TypeError(f"{public_name()}: shape must be a tuple of ints like (fan_in, fan_out); "
                        f"got {shape!r}.") from None
    return tuple(positive_int(d, "every entry of shape") for d in dims)


def _rng(rng: Any) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{public_name()}: rng must be a np.random.Generator; got "
                        f"{type(rng).__name__}. Create one with rng = np.random.default_rng(seed).")
    return rng


def fan_in_and_fan_out(shape: Any) -> tuple[int, int]:
    """(fan_in, fan_out) of a dense weight matrix of shape (fan_in, fan_out).

    fan_in is the number of inputs each unit sums over, fan_out the number of units. (torch's
    ``nn.init._calculate_fan_in_and_fan_out`` reads them from the transposed layout:
    fan_in = shape[1], fan_out = shape[0].)
    """
    dims = _shape(shape)
    if len(dims) != 2:
        raise ValueError(
            f"{public_name()}: a dense weight matrix has 2 axes (fan_in, fan_out); got shape "
            f"{dims}. For a single neuron with n inputs use shape (n, 1)."
        )
    return dims[0], dims[1]


_GAINS = {"linear": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3.0, "relu": math.sqrt(2.0),
          "leaky_relu": None, "selu": 0.75}


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for an activation, as in ``torch.nn.init.calculate_gain``.

    linear and sigmoid 1, tanh 5/3, relu √2, leaky_relu √(2/(1 + a²)) with negative slope
    a = ``param`` (default 0.01), selu 3/4. The gain multiplies the standard deviation (and the
    uniform bound) of an initialization, to make up for how much the activation shrinks the
    variance it passes on: e.g. ReLU zeroes half of its inputs, halving E[a²], hence √2.
    """
    name = one_of(nonlinearity, _GAINS, "nonlinearity")
    if name == "leaky_relu":
        a = 0.01 if param is None else real_in_range(param, "param")
        return math.sqrt(2.0 / (1.0 + a * a))
    return float(_GAINS[name])


RANDOM_SCHEMES = ("randn_sqrt_n", "xavier_uniform", "xavier_normal", "he_normal", "he_uniform")
"""The schemes whose scale depends on the layer's fan-in / fan-out (see ``init_scale``)."""


def init_scale(scheme: str, shape: Any, gain: float | None = None) -> float:
    """The scale a scheme uses for a weight matrix of shape (fan_in, fan_out).

    The standard deviation σ for the normal schemes, the bound b of U(−b, b) for the uniform
    ones. ``gain`` defaults to the scheme's own: 1 for randn_sqrt_n and Xavier, √2 for He.

        randn_sqrt_n    σ = gain / √fan_in
        xavier_normal   σ = gain·√(2 / (fan_in + fan_out))
        xavier_uniform  b = gain·√(6 / (fan_in + fan_out))     (= √3·σ: U(−b, b) has variance b²/3)
        he_normal       σ = gain / √fan_in
        he_uniform      b = gain·√(3 / fan_in)
    """
    scheme = one_of(scheme, RANDOM_SCHEMES, "scheme")
    fan_in, fan_out = fan_in_and_fan_out(shape)
    if gain is None:
        gain = math.sqrt(2.0) if scheme.startswith("he") else 1.0
    gain = real_in_range(gain, "gain", low=0.0)
    if scheme in ("randn_sqrt_n", "he_normal"):
        return gain / math.sqrt(fan_in)
    if scheme == "he_uniform":
        return gain * math.sqrt(3.0 / fan_in)
    if scheme == "xavier_normal":
        return gain * math.sqrt(2.0 / (fan_in + fan_out))
    return gain * math.sqrt(6.0 / (fan_in + fan_out))


def zeros(shape: Any) -> np.ndarray:
    """All zeros (float64). Fine for biases; for weights it leaves every unit of a layer the
    same (seed 001 §3.8.1), see ``symmetry_demo``."""
    return np.zeros(_shape(shape))


def constant(shape: Any, value: float) -> np.ndarray:
    """Every entry equal to ``value`` (float64). Same trap as zeros (seed 001 §3.8.2)."""
    return np.full(_shape(shape), real_in_range(value, "value"))


def small_random(shape: Any, scale: float = 0.01, *, rng: np.random.Generator) -> np.ndarray:
    """``scale · N(0, 1)`` entries, e.g. ``0.01 * np.random.randn(D, H)`` (seed 001 §3.8.3).

    Breaks the symmetry, but the scale does not depend on the layer size: in a deep net the
    activations shrink layer after layer (see ``activation_stats``).
    """
    shape = _shape(shape)
    scale = real_in_range(scale, "scale", low=0.0)
    return _rng(rng).standard_normal(shape) * scale


def randn_sqrt_n(shape: Any, *, rng: np.random.Generator) -> np.ndarray:
    """N(0, 1)/√fan_in entries ("calibrating the variance with 1/√n", seed 001 §3.8.4).

    Also called LeCun normal. A unit summing fan_in inputs of unit variance then has output
    variance 1.
    """
    shape = _shape(shape)
    return _rng(rng).standard_normal(shape) * init_scale("randn_sqrt_n", shape)


def xavier_uniform(shape: Any, gain: float = 1.0, *, rng: np.random.Generator) -> np.ndarray:
    """Glorot/Xavier uniform (Glorot and Bengio 2010; seed 003): U(−b, b),
    b = gain·√(6/(fan_in + fan_out)).

    The variance 2/(fan_in + fan_out) is a compromise between keeping the forward signal
    (1/fan_in) and the backward gradient (1/fan_out) at constant variance.
    torch: ``nn.init.xavier_uniform_(W_torch, gain)``.
    """
    shape = _shape(shape)
    b = init_scale("xavier_uniform", shape, gain)
    return _rng(rng).uniform(-b, b, size=shape)


def xavier_normal(shape: Any, gain: float = 1.0, *, rng: np.random.Generator) -> np.ndarray:
    """Glorot/Xavier normal: N(0, σ²), σ = gain·√(2/(fan_in + fan_out)).

    torch: ``nn.init.xavier_normal_(W_torch, gain)``.
    """
    shape = _shape(shape)
    return _rng(rng).standard_normal(shape) * init_scale("xavier_normal", shape, gain)


def he_normal(shape: Any, *, rng: np.random.Generator) -> np.ndarray:
    """He/Kaiming normal (He et al. 2015), fan_in mode: N(0, 2/fan_in), for ReLU layers.

    torch: ``nn.init.kaiming_normal_(W_torch, mode="fan_in", nonlinearity="relu")``.
    """
    shape = _shape(shape)
    return _rng(rng).standard_normal(shape) * init_scale("he_normal", shape)


def he_uniform(shape: Any, *, rng: np.random.Generator) -> np.ndarray:
    """He/Kaiming uniform, fan_in mode: U(−b, b), b = √(6/fan_in) (variance 2/fan_in).

    torch: ``nn.init.kaiming_uniform_(W_torch, mode="fan_in", nonlinearity="relu")``.
    """
    shape = _shape(shape)
    b = init_scale("he_uniform", shape)
    return _rng(rng).uniform(-b, b, size=shape)


# ---------------------------------------------------------------------------------------------
# Experiment 1: activation statistics through a deep net
# ---------------------------------------------------------------------------------------------

_ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], tuple[float, float]]] = {
    "tanh": (np.tanh, (-1.0, 1.0)),
    "relu": (lambda z: np.maximum(z, 0.0), (0.0, 4.0)),
    "sigmoid": (lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)), (0.0, 1.0)),
    "linear": (lambda z: z, (-4.0, 4.0)),
}

_INITS: dict[str, Callable[..., np.ndarray]] = {
    "zeros": lambda shape, rng: zeros(shape),
    "small_random": lambda shape, rng: small_random(shape, rng=rng),
    "randn_sqrt_n": lambda shape, rng: randn_sqrt_n(shape, rng=rng),
    "xavier_uniform": lambda shape, rng: xavier_uniform(shape, rng=rng),
    "xavier_normal": lambda shape, rng: xavier_normal(shape, rng=rng),
    "he_normal": lambda shape, rng: he_normal(shape, rng=rng),
    "he_uniform": lambda shape, rng: he_uniform(shape, rng=rng),
}


class ActivationStats(NamedTuple):
    """Per-layer statistics returned by ``activation_stats``; layer l = 0..depth−1."""

    means: np.ndarray   # (depth,)
    stds: np.ndarray    # (depth,)
    counts: np.ndarray  # (depth, bins) histogram counts of each layer's activations
    edges: np.ndarray   # (bins + 1,) the common bin edges


def activation_stats(init: str | Callable[..., np.ndarray], activation: str, depth: int = 10,
                     width: int = 256, n: int = 512, seed: int = 0,
                     bins: int = 50) -> ActivationStats:
    """Push random data through a deep net at initialization; summarize each layer's output.

    The net: ``depth`` dense layers of ``width`` units, no biases, a_l = f(a_{l−1} @ W_l),
    a_0 = x. ``init``: a scheme name ("zeros", "small_random", "randn_sqrt_n",
    "xavier_uniform", "xavier_normal", "he_normal", "he_uniform") or a function
    ``init(shape, rng) -> W``. ``activation``: "tanh", "relu", "sigmoid" or "linear".

    Draws, in this order from ``rng = np.random.default_rng(seed)``: x = rng.standard_normal((n,
    width)), then W_1, ..., W_depth with ``init((width, width), rng)``.

    Returns ``ActivationStats(means, stds, counts, edges)``: the mean and standard deviation of
    each layer's activations a_1..a_depth, and their histograms over a fixed range per
    activation (tanh (−1, 1), relu (0, 4), sigmoid (0, 1), linear (−4, 4)) with ``bins`` bins;
    values outside the range are counted in the first or last bin, so every row sums to
    n·width. Typical outcomes: 0.01·randn with tanh collapses to 0 within a few layers
    (vanishing), Xavier with tanh and He with ReLU keep a steady spread.
    """
    if isinstance(init, str):
        init_fn = _INITS[one_of(init, _INITS, "init")]
    elif callable(init):
        init_fn = init
    else:
        raise TypeError(f"{public_name()}: init must be a scheme name or a function (shape, rng) "
                        f"-> W; got {init!r}.")
    f, (lo, hi) = _ACTIVATIONS[one_of(activation, _ACTIVATIONS, "activation")]
    depth = positive_int(depth, "depth")
    width = positive_int(width, "width")
    n = positive_int(n, "n")
    bins = positive_int(bins, "bins")
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, width))
    edges = np.linspace(lo, hi, bins + 1)
    means, stds = np.empty(depth), np.empty(depth)
    counts = np.empty((depth, bins), dtype=np.int64)
    for layer in range(depth):
        W = np.asarray(init_fn((width, width), rng), dtype=np.float64)
        if W.shape != (width, width):
            raise ValueError(f"{public_name()}: init returned shape {W.shape} for shape "
                             f"{(width, width)}.")
        a = f(a @ W)
        means[layer], stds[layer] = a.mean(), a.std()
        # equal-width bins: the bin of a value is ⌊(a − lo)/width⌋, clipped into 0..bins−1
        idx = np.clip((a.ravel() - lo) * (bins / (hi - lo)), 0, bins - 1).astype(np.int64)
        counts[layer] = np.bincount(idx, minlength=bins)
    return ActivationStats(means, stds, counts, edges)


# ---------------------------------------------------------------------------------------------
# Experiment 2: symmetric initialization stays symmetric
# ---------------------------------------------------------------------------------------------

def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def train_two_layer_sigmoid(X: Any, Y: Any, W1: Any, b1: Any, W2: Any, b2: Any, lr: float,
                            steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                 np.ndarray]:
    """Full-batch gradient descent on a 2-layer sigmoid net (seed 001 §3.8.2's network).

        h = σ(X W1 + b1),   out = σ(h W2 + b2),   L = 1/(2N)·Σ‖out − Y‖²

    ``X``: (N, n_in), ``Y``: (N, n_out), ``W1``: (n_in, hidden), ``b1``: (hidden,),
    ``W2``: (hidden, n_out), ``b2``: (n_out,). The inputs are not modified. Returns the trained
    ``(W1, b1, W2, b2, losses)`` with losses (steps + 1,): L before and after each step.
    """
    X = as_array(X, "X", ndim=2, layout="(N, n_in)")
    Y = as_array(Y, "Y", ndim=2, layout="(N, n_out)")
    W1 = as_array(W1, "W1", ndim=2, layout="(n_in, hidden)").copy()
    b1 = as_array(b1, "b1", ndim=1, layout="(hidden,)").copy()
    W2 = as_array(W2, "W2", ndim=2, layout="(hidden, n_out)").copy()
    b2 = as_array(b2, "b2", ndim=1, layout="(n_out,)").copy()
    N = X.shape[0]
    if (Y.shape[0] != N or W1.shape[0] != X.shape[1] or b1.shape[0] != W1.shape[1]
            or W2.shape[0] != W1.shape[1] or W2.shape[1] != Y.shape[1]
            or b2.shape[0] != Y.shape[1]):
        raise ValueError(
            f"{public_name()}: shapes do not fit together: X {X.shape}, Y {Y.shape}, W1 "
            f"{W1.shape}, b1 {b1.shape}, W2 {W2.shape}, b2 {b2.shape}; expected X (N, n_in), Y (N, "
            "n_out), W1 (n_in, hidden), b1 (hidden,), W2 (hidden, n_out), b2 (n_out,)."
        )
    lr = real_in_range(lr, "lr", low=0.0)
    steps = positive_int(steps, "steps", minimum=0)
    losses = np.empty(steps + 1)
    for t in range(steps + 1):
        h = _sigmoid(X @ W1 + b1)
        out = _sigmoid(h @ W2 + b2)
        losses[t] = 0.5 * np.sum((out - Y) ** 2) / N
        if t == steps:
            break
        d_out = (out - Y) * out * (1 - out) / N       # ∂L/∂(h W2 + b2)
        d_h = (d_out @ W2.T) * h * (1 - h)            # ∂L/∂(X W1 + b1)
        W2 -= lr * h.T @ d_out
        b2 -= lr * d_out.sum(axis=0)
        W1 -= lr * X.T @ d_h
        b1 -= lr * d_h.sum(axis=0)
    return W1, b1, W2, b2, losses


def symmetry_demo(init: str = "constant", value: float = 0.5, hidden: int = 3, steps: int = 200,
                  lr: float = 2.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Train a 3-``hidden``-1 sigmoid net from a symmetric or a random start (seed 001 §3.8.1-2).

    ``init``: "zeros" (every weight and bias 0), "constant" (every weight and bias ``value``)
    or "random" (weights 0.5·N(0, 1), biases 0). Data: 16 points x ~ N(0, I₃) drawn from
    ``np.random.default_rng(seed)``, target 1 where x₁·x₂ > 0 and 0 elsewhere; the random
    weights, if any, are drawn next from the same generator. Trains with
    ``train_two_layer_sigmoid`` and returns the trained ``(W1, W2)``: W1 of shape (3, hidden),
    one column per hidden unit, and W2 of shape (hidden, 1).

    From a symmetric start every hidden unit computes the same output and receives the same
    gradient, so the columns of W1 (and the rows of W2) stay equal however long it trains: the
    layer behaves like a single unit. A random start breaks the tie.
    """
    init = one_of(init, ("zeros", "constant", "random"), "init")
    value = real_in_range(value, "value")
    hidden = positive_int(hidden, "hidden", minimum=2)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((16, 3))
    Y = (X[:, :1] * X[:, 1:2] > 0).astype(np.float64)
    if init == "random":
        W1, W2 = 0.5 * rng.standard_normal((3, hidden)), 0.5 * rng.standard_normal((hidden, 1))
        b1, b2 = np.zeros(hidden), np.zeros(1)
    else:
        c = 0.0 if init == "zeros" else value
        W1, b1 = np.full((3, hidden), c), np.full(hidden, c)
        W2, b2 = np.full((hidden, 1), c), np.full(1, c)
    W1, _, W2, _, _ = train_two_layer_sigmoid(X, Y, W1, b1, W2, b2, lr, steps)
    return W1, W2
