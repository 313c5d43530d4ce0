"""How large the gradient is at each layer of a deep network: vanishing gradients, measured.

Seed 000 ("Vanishing Gradient and Exploding Gradient Problem") follows the error of a chain of
sigmoid units back to the first one: each layer contributes a factor σ'(z_l)·w_l, and since
σ' ≤ 1/4, a factor with |w| ≤ 1 is at most 1/4 in size, so the gradient reaching the first
layer shrinks geometrically with depth (seed 001 §3.1.5: the front layers learn far more slowly
than the back ones). ReLU's derivative is 1 wherever the unit is active, so with He
initialisation the factors stay near 1 and the gradient reaches the first layer nearly intact.

The network here is a plain fully connected net in row format built from ``dlcourse.layers``:

    h_0 = x,   h_l = f(h_{l−1} W_l + b_l) for l = 1..L−1,   out = h_{L−1} W_L + b_L

(the last layer is linear). ``layer_gradient_norms`` backpropagates a given ∂L/∂out and returns
‖∂L/∂W_l‖ for every layer; ``deep_net_params`` draws the weights of such a net.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from dlcourse import init
from dlcourse._validate import as_array, one_of, positive_int, public_name
from dlcourse.layers import (
    activation_backward,
    activation_forward,
    dense_backward,
    dense_forward,
)

INITS = ("xavier", "he")


def _check_net(x: object, weights: object,
               biases: object) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    x = as_array(x, "x", ndim=2, layout="(N, D)")
    if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence) or not weights:
        raise TypeError(f"{public_name()}: weights must be a non-empty list of 2-D arrays, one per "
                        f"layer; got {type(weights).__name__}.")
    if isinstance(biases, np.ndarray) or not isinstance(biases, Sequence):
        raise TypeError(f"{public_name()}: biases must be a list of 1-D arrays, one per layer; got "
                        f"{type(biases).__name__}.")
    if len(biases) != len(weights):
        raise ValueError(f"{public_name()}: one bias per layer: got {len(weights)} weight matrices "
                         f"and {len(biases)} bias vectors.")
    Ws = [as_array(W, f"weights[{i}]", ndim=2, layout="(inputs, outputs)")
          for i, W in enumerate(weights)]
    bs = [as_array(b, f"biases[{i}]", ndim=1, layout="(outputs,)")
          for i, b in enumerate(biases)]
    width = x.shape[1]
    for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        if W.shape[0] != width:
            raise ValueError(f"{public_name()}: weights[{i}] must have {width} rows (the size of "
                             f"the layer below); got shape {W.shape}.")
        if b.shape[0] != W.shape[1]:
            raise ValueError(f"{public_name()}: biases[{i}] must have {W.shape[1]} entries (the "
                             f"columns of weights[{i}]); got {b.shape[0]}.")
        width = W.shape[1]
    return x, Ws, bs


def layer_gradient_norms(x: np.ndarray, weights: Sequence[np.ndarray],
                         biases: Sequence[np.ndarray], activation: str, dout: np.ndarray,
                         ) -> np.ndarray:
    """The Frobenius norm ‖∂L/∂W_l‖ of every layer's weight gradient, first layer first.

    x: (N, D) inputs; weights[l]: (n_l, n_{l+1}) and biases[l]: (n_{l+1},) for l = 0..L−1;
    ``activation``: a name from ``dlcourse.activations.ACTIVATIONS`` ('sigmoid', 'relu', 'tanh',
    ...), applied after every layer but the last; dout: (N, n_L) = ∂L/∂out, the error arriving
    at the output. Going down, each layer multiplies the error by f'(z_l) (the activation's
    backward) and by W_lᵀ (the dense layer's backward), seed 000's chain σ'(z_4) w_4 σ'(z_3) w_3….

    Returns an array of shape (L,).
    """
    x, Ws, bs = _check_net(x, weights, biases)
    key = one_of(activation, ("sigmoid", "tanh", "relu", "leaky_relu", "softplus", "softsign",
                              "linear"), "activation")
    L = len(Ws)
    dout = as_array(dout, "dout", ndim=2, layout="(N, outputs)")
    if dout.shape != (x.shape[0], Ws[-1].shape[1]):
        raise ValueError(f"{public_name()}: dout must have the output's shape (N, outputs) = "
                         f"{(x.shape[0], Ws[-1].shape[1])}; got {dout.shape}.")
    caches = []
    h = x
    for layer, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        z, dense_cache = dense_forward(h, W, b)
        if layer < L - 1:
            h, act_cache = activation_forward(z, key)
        else:
            act_cache = None
        caches.append((dense_cache, act_cache))
    norms = np.empty(L)
    grad = dout
    for layer in reversed(range(L)):
        dense_cache, act_cache = caches[layer]
        if act_cache is not None:
            grad = activation_backward(grad, act_cache)
        grad, dW, _ = dense_backward(grad, dense_cache)
        norms[layer] = np.linalg.norm(dW)
    return norms


def deep_net_params(depth: int, width: int, n_in: int, n_out: int, *, init_scheme: str = "he",
                    seed: int = 0) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights and (zero) biases of a ``depth``-layer net n_in-width-…-width-n_out.

    ``init_scheme='xavier'`` draws W ~ N(0, 2/(fan_in + fan_out)) (Glorot, the usual choice for
    sigmoid and tanh); ``'he'`` draws W ~ N(0, 2/fan_in) (the usual choice for ReLU), both from
    ``dlcourse.init`` with one ``np.random.default_rng(seed)``.
    Returns ``(weights, biases)``: lists of ``depth`` arrays, (fan_in, fan_out) and (fan_out,).
    """
    depth = positive_int(depth, "depth")
    width = positive_int(width, "width")
    n_in = positive_int(n_in, "n_in")
    n_out = positive_int(n_out, "n_out")
    scheme = one_of(init_scheme, INITS, "init_scheme")
    rng = np.random.default_rng(seed)
    sizes = [n_in] + [width] * (depth - 1) + [n_out]
    draw = init.xavier_normal if scheme == "xavier" else init.he_normal
    weights = [draw((a, b), rng=rng) for a, b in itertools.pairwise(sizes)]
    biases = [np.zeros(b) for b in sizes[1:]]
    return weights, biases


def deep_net_gradient_profile(activation: str, depth: int = 10, width: int = 32,
                              n: int = 64, seed: int = 0) -> np.ndarray:
    """Per-layer gradient norms of a random deep net on random data: the chapter's experiment.

    Builds a ``depth``-layer net with 16 inputs, ``width`` units per hidden layer and 10 outputs,
    initialised for its activation (Xavier for sigmoid/tanh, He for ReLU-like ones), feeds it
    ``n`` standard-normal inputs and backpropagates dout = (out − y)/n for random one-hot
    targets y (the mean squared error's gradient, up to a factor 2). Returns
    ``layer_gradient_norms``, shape (depth,).
    """
    key = one_of(activation, ("sigmoid", "tanh", "relu", "leaky_relu"), "activation")
    n = positive_int(n, "n")
    scheme = "he" if key in ("relu", "leaky_relu") else "xavier"
    weights, biases = deep_net_params(depth, width, 16, 10, init_scheme=scheme, seed=seed)
    rng = np.random.default_rng(seed + 1)
    x = rng.standard_normal((n, 16))
    y = np.eye(10)[rng.integers(0, 10, size=n)]
    h = x
    for layer, (W, b) in enumerate(zip(weights, biases, strict=True)):
        z, _ = dense_forward(h, W, b)
        h = activation_forward(z, key)[0] if layer < depth - 1 else z
    return layer_gradient_norms(x, weights, biases, key, (h - y) / n)
