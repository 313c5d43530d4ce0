"""Back-propagation by hand: the 2-2-2 sigmoid network of seed 001 §3.2.5, number by number.

The network (seed 001 §3.2.5): inputs i1, i2; hidden units h1, h2 sharing the bias b1; outputs
o1, o2 sharing the bias b2; sigmoid everywhere; eight weights numbered as in the text::

    net_h1 = w1·i1 + w2·i2 + b1        out_h1 = σ(net_h1)
    net_h2 = w3·i1 + w4·i2 + b1        out_h2 = σ(net_h2)
    net_o1 = w5·out_h1 + w6·out_h2 + b2    out_o1 = σ(net_o1)
    net_o2 = w7·out_h1 + w8·out_h2 + b2    out_o2 = σ(net_o2)
    E = ½(t1 − out_o1)² + ½(t2 − out_o2)²

In code the weights are one array ``w`` of length 8 in that numbering (``w[0]`` is w1, ...,
``w[7]`` is w8) and the biases an array ``b = (b1, b2)``. Read as matrices, with one row per
receiving unit (the column format z = W x of seed 002),

    W_h = [[w1, w2], [w3, w4]],   W_o = [[w5, w6], [w7, w8]],

so ``w[:4].reshape(2, 2)`` is W_h and ``w[4:].reshape(2, 2)`` is W_o, and the gradient of E
with respect to W is the outer product δ ⊗ (the layer's input): flattening it row by row gives
the gradients back in the seed's numbering.

Gradient descent updates the weights only (the text keeps b1 and b2 fixed): w ← w − η ∂E/∂w, with
every gradient taken at the *old* weights (seed 000 "Backpropagation Algorithm (3)").
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from dlcourse._validate import as_array, check_same_size, positive_int, public_name, real_in_range

INPUTS = np.array([0.05, 0.10])
"""i1, i2 of seed 001 §3.2.5."""
TARGETS = np.array([0.01, 0.99])
"""The targets for o1, o2."""
WEIGHTS = np.array([0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55])
"""w1, ..., w8."""
BIASES = np.array([0.35, 0.60])
"""b1 (shared by h1, h2) and b2 (shared by o1, o2); never updated."""
LEARNING_RATE = 0.5
"""η."""
for _constant in (INPUTS, TARGETS, WEIGHTS, BIASES):
    _constant.flags.writeable = False  # shared by every chapter-05 user: copy before editing

NAMES = ("net_h1", "net_h2", "out_h1", "out_h2", "net_o1", "net_o2", "out_o1", "out_o2")
"""The keys of ``forward``'s result: every intermediate value, named as in the text."""

WEIGHT_NAMES = tuple(f"w{k}" for k in range(1, 9))


def _check(x: object, target: object, w: object,
           b: object) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x = as_array(x, "x", ndim=1, layout="(2,) = (i1, i2)")
    check_same_size(x.shape[0], 2, "the number of inputs (i1, i2) and 2")
    if target is not None:
        target = as_array(target, "target", ndim=1, layout="(2,) = (t_o1, t_o2)")
        check_same_size(target.shape[0], 2, "the number of targets and 2")
    w = as_array(w, "w", ndim=1, layout="(8,) = (w1, ..., w8)")
    if w.shape[0] != 8:
        raise ValueError(f"{public_name()}: w must hold the 8 weights w1, ..., w8 in the text's "
                         f"order; got {w.shape[0]} values.")
    b = as_array(b, "b", ndim=1, layout="(2,) = (b1, b2)")
    check_same_size(b.shape[0], 2, "the number of biases (b1, b2) and 2")
    return x, target, w, b


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1/(1 + e^(−z)) as the text writes it. ``activations.sigmoid`` is the overflow-safe
    version; this network's net inputs stay far from the |z| > 709 where the formula overflows,
    and the training loops call this 40,000 times, so the short formula it is."""
    return 1.0 / (1.0 + np.exp(-z))


def _layers(x: np.ndarray, w: np.ndarray, b: np.ndarray,
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(net_h, out_h, net_o, out_o), each of shape (2,)."""
    net_h = w[:4].reshape(2, 2) @ x + b[0]
    out_h = _sigmoid(net_h)
    net_o = w[4:].reshape(2, 2) @ out_h + b[1]
    return net_h, out_h, net_o, _sigmoid(net_o)


def forward(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """The forward pass of the seed 001 §3.2.5 network.

    x: (2,) inputs (i1, i2); w: (8,) weights w1..w8; b: (2,) biases (b1, b2).
    Returns a dict with every intermediate named as in the text (see ``NAMES``):
    net_h1 = w1 i1 + w2 i2 + b1, out_h1 = σ(net_h1), ..., out_o2 = σ(net_o2).
    For the text's numbers: net_h1 = 0.3775, out_h1 = 0.593269992, out_o1 = 0.75136507.
    """
    x, _, w, b = _check(x, None, w, b)
    net_h, out_h, net_o, out_o = _layers(x, w, b)
    values = np.concatenate([net_h, out_h, net_o, out_o])
    return {name: float(v) for name, v in zip(NAMES, values, strict=True)}


def total_error(target: np.ndarray, output: np.ndarray) -> float:
    """E_total = Σ_k ½ (target_k − output_k)², the squared error of seed 001 §3.2.5 (seed 000:
    E(w) = ½ Σ_d (t_d − o_d)²). target, output: arrays of the same shape; returns a number."""
    target = as_array(target, "target")
    output = as_array(output, "output")
    if target.shape != output.shape:
        raise ValueError(f"{public_name()}: target and output must have the same shape; got "
                         f"{target.shape} and {output.shape}.")
    return float(0.5 * np.sum((target - output) ** 2))


def w5_chain_factors(x: np.ndarray, target: np.ndarray, w: np.ndarray, b: np.ndarray,
                     ) -> tuple[float, float, float]:
    """The three factors of ∂E/∂w5 by the chain rule (seed 001 §3.2.5):

        ∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5
               = (out_o1 − t1) · out_o1 (1 − out_o1) · out_h1.

    x: (2,), target: (2,), w: (8,), b: (2,). Returns the three factors (their product is the
    gradient: 0.74136507 · 0.186815602 · 0.593269992 = 0.082167041 for the text's numbers).
    """
    x, target, w, b = _check(x, target, w, b)
    _, out_h, _, out_o = _layers(x, w, b)
    return (float(out_o[0] - target[0]), float(out_o[0] * (1.0 - out_o[0])), float(out_h[0]))


def output_deltas(x: np.ndarray, target: np.ndarray, w: np.ndarray, b: np.ndarray,
                  ) -> np.ndarray:
    """δ_o = ∂E/∂net_o = (out_o − t) ⊙ out_o (1 − out_o), shape (2,): the first two chain-rule
    factors of every output-layer weight at once."""
    x, target, w, b = _check(x, target, w, b)
    out_o = _layers(x, w, b)[3]
    return (out_o - target) * out_o * (1.0 - out_o)


def output_layer_gradients(x: np.ndarray, target: np.ndarray, w: np.ndarray, b: np.ndarray,
                           ) -> np.ndarray:
    """(∂E/∂w5, ∂E/∂w6, ∂E/∂w7, ∂E/∂w8), shape (4,).

    ∂E/∂w_{o,h} = δ_o · out_h: the outer product δ_o ⊗ out_h, flattened in the text's order
    (w5: o1←h1, w6: o1←h2, w7: o2←h1, w8: o2←h2).
    """
    x, target, w, b = _check(x, target, w, b)
    out_h = _layers(x, w, b)[1]
    return np.outer(output_deltas(x, target, w, b), out_h).ravel()


def hidden_deltas(x: np.ndarray, target: np.ndarray, w: np.ndarray, b: np.ndarray,
                  ) -> np.ndarray:
    """δ_h = ∂E/∂net_h = (W_oᵀ δ_o) ⊙ out_h (1 − out_h), shape (2,).

    W_oᵀ δ_o is ∂E/∂out_h: each hidden unit collects the errors of both outputs it feeds,
    e.g. ∂E/∂out_h1 = δ_o1·w5 + δ_o2·w7 (seed 001 §3.2.1: ∂E/∂y_k = Σ_l w_kl ∂E/∂z_l).
    """
    x, target, w, b = _check(x, target, w, b)
    out_h = _layers(x, w, b)[1]
    dE_dout_h = w[4:].reshape(2, 2).T @ output_deltas(x, target, w, b)
    return dE_dout_h * out_h * (1.0 - out_h)


def hidden_layer_gradients(x: np.ndarray, target: np.ndarray, w: np.ndarray, b: np.ndarray,
                           ) -> np.ndarray:
    """(∂E/∂w1, ∂E/∂w2, ∂E/∂w3, ∂E/∂w4), shape (4,): δ_h ⊗ x flattened
    (w1: h1←i1, w2: h1←i2, w3: h2←i1, w4: h2←i2). Uses the current w5..w8, not updated ones."""
    x, target, w, b = _check(x, target, w, b)
    return np.outer(hidden_deltas(x, target, w, b), x).ravel()


def gradients(x: np.ndarray, target: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """∂E/∂w for all eight weights, shape (8,), in the order w1..w8: the hidden-layer
    gradients δ_h ⊗ x followed by the output-layer ones δ_o ⊗ out_h."""
    x, target, w, b = _check(x, target, w, b)
    return _gradients(x, target, w, b)[0]


def chain_rule_table(x: np.ndarray, target: np.ndarray, w: np.ndarray, b: np.ndarray,
                     ) -> np.ndarray:
    """The chain-rule factors of every weight, shape (8, 4), one row per weight w1..w8:

        columns: ∂E/∂out, ∂out/∂net, ∂net/∂w, and their product ∂E/∂w,

    where "out" and "net" belong to the unit the weight feeds (h1, h1, h2, h2, o1, o1, o2, o2).
    For a hidden unit ∂E/∂out_h = Σ_o δ_o w_{o,h} sums over both outputs.
    """
    x, target, w, b = _check(x, target, w, b)
    _, out_h, _, out_o = _layers(x, w, b)
    d_out = np.concatenate([w[4:].reshape(2, 2).T @ output_deltas(x, target, w, b),
                            out_o - target])           # ∂E/∂out for h1, h2, o1, o2
    d_net = np.concatenate([out_h * (1 - out_h), out_o * (1 - out_o)])  # σ'(net) = out(1 − out)
    unit = np.repeat(np.arange(4), 2)                  # the unit each weight feeds
    source = np.concatenate([x, x, out_h, out_h])      # ∂net/∂w: the input the weight scales
    return np.column_stack([d_out[unit], d_net[unit], source,
                            d_out[unit] * d_net[unit] * source])


def update_step(x: np.ndarray, target: np.ndarray, w: np.ndarray, b: np.ndarray,
                lr: float) -> np.ndarray:
    """One step of gradient descent on the weights: w_new = w − lr·∂E/∂w, shape (8,).

    Every gradient is taken at the old weights (the hidden-layer gradients use the old w5..w8);
    the biases stay as they are, as in the text. Returns a new array; w is not modified.
    """
    lr = real_in_range(lr, "lr", low=0.0, low_open=True)
    return np.asarray(w, dtype=np.float64) - lr * gradients(x, target, w, b)


def _gradients(x: np.ndarray, target: np.ndarray, w: np.ndarray, b: np.ndarray,
               ) -> tuple[np.ndarray, float]:
    """∂E/∂w (8,) and E at w, without argument checks (the training loops call it often)."""
    _, out_h, _, out_o = _layers(x, w, b)
    delta_o = (out_o - target) * out_o * (1.0 - out_o)
    delta_h = (delta_o @ w[4:].reshape(2, 2)) * out_h * (1.0 - out_h)  # = W_oᵀ δ_o ⊙ σ'
    grad = np.concatenate([np.outer(delta_h, x).ravel(), np.outer(delta_o, out_h).ravel()])
    return grad, float(0.5 * np.sum((target - out_o) ** 2))


def weight_trajectory(x: np.ndarray, target: np.ndarray, w: np.ndarray, b: np.ndarray,
                      lr: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """The weights and the total error after 0, 1, ..., steps updates.

    Returns (weights: (steps + 1, 8), errors: (steps + 1,)); row k holds the weights after k
    updates and errors[k] their total error. ``train`` gives the same end point without
    keeping the history; this is for plots and the iteration slider.
    """
    x, target, w, b = _check(x, target, w, b)
    lr = real_in_range(lr, "lr", low=0.0, low_open=True)
    steps = positive_int(steps, "steps", minimum=0)
    weights = np.empty((steps + 1, 8))
    errors = np.empty(steps + 1)
    weights[0] = w
    for k in range(steps):
        grad, errors[k] = _gradients(x, target, weights[k], b)
        weights[k + 1] = weights[k] - lr * grad
    errors[steps] = _gradients(x, target, weights[steps], b)[1]
    return weights, errors


def train(x: np.ndarray, target: np.ndarray, w: np.ndarray, b: np.ndarray, lr: float,
          steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Repeat ``update_step`` ``steps`` times from w.

    Returns (w_final: (8,), errors: (steps + 1,)), where errors[k] is the total error after k
    updates: errors[0] is the error of the starting weights (0.298371109 for the text's
    network) and errors[-1] that of w_final. With η = 0.5 and 10,000 steps the text's network
    ends at E = 3.51018778e-05 (errors[9999], after 9,999 updates, is 3.51085481e-05).
    """
    x, target, w, b = _check(x, target, w, b)
    lr = real_in_range(lr, "lr", low=0.0, low_open=True)
    steps = positive_int(steps, "steps", minimum=0)
    errors = np.empty(steps + 1)
    for k in range(steps):
        grad, errors[k] = _gradients(x, target, w, b)
        w = w - lr * grad
    errors[steps] = _gradients(x, target, w, b)[1]
    return w, errors


def agrees_with_printed(value: float, printed: str) -> bool:
    """Whether ``value`` rounds to the number ``printed`` in the text, digit for digit.

    ``printed`` is the decimal string as the text prints it (e.g. ``"0.593269992"``): the value
    must round, at the printed number of decimals, to exactly those digits (half-up). So
    ``agrees_with_printed(0.5932699921, "0.593269992")`` is True and 0.5932699926 is not.
    """
    text = printed.strip()
    try:
        target = Decimal(text)
    except ArithmeticError:
        raise ValueError(f"{public_name()}: {printed!r} is not a decimal number.") from None
    exponent = target.as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(f"{public_name()}: {printed!r} is not a finite number.")
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(exponent),
                                                   rounding="ROUND_HALF_UP")
    return rounded == target
