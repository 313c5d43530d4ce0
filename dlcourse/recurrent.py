"""Recurrent cells from scratch: a vanilla RNN with backpropagation through time, LSTM and GRU.

Everything is in **row format**: one row per example. At time step t the input is ``x`` of shape
(N, D) and the hidden state ``h`` has shape (N, H); a whole sequence ``xs`` is (T, N, D), time
first, like ``torch.nn.RNN`` with its default ``batch_first=False``. Weights multiply from the
right (``x @ Wx``), so ``Wx`` is (D, G·H) and ``Wh`` is (H, G·H), where G is the number of gate
blocks (1 for the RNN, 4 for the LSTM, 3 for the GRU).

Copying weights to and from PyTorch (``torch.nn.RNNCell``, ``LSTMCell``, ``GRUCell`` and the
sequence modules):

- torch stores ``weight_ih`` as (G·H, D) and ``weight_hh`` as (G·H, H): ours are their
  transposes, ``Wx = weight_ih.T`` and ``Wh = weight_hh.T``;
- the gate blocks are stacked in torch's order: LSTM (i, f, g, o), GRU (r, z, n);
- torch has two bias vectors, ``bias_ih`` and ``bias_hh``. For the RNN and the LSTM they are only
  ever added together, so our single ``b = bias_ih + bias_hh``. The GRU needs both (``b_x``,
  ``b_h``) because its reset gate multiplies the hidden-side part of the candidate only.

The layer style follows the rest of the package: ``*_forward(...) -> (out, cache)`` and
``*_backward(dout, cache) -> gradients`` in the order of the forward's array arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dlcourse._validate import as_array, one_of, positive_int, public_name, real_in_range
from dlcourse.activations import sigmoid

GRU_CONVENTIONS = ("seed", "torch")


# ----------------------------------------------------------------------------- helpers


def _check_step(x: Any, h_prev: Any, Wx: Any, Wh: Any, gates: int,
                biases: Sequence[tuple[str, Any]]) -> tuple[np.ndarray, ...]:
    """Validate one step's arrays; return them as float64 arrays (x, h_prev, Wx, Wh, *biases)."""
    x = as_array(x, "x", ndim=2, layout="(N, D)")
    h_prev = as_array(h_prev, "h_prev", ndim=2, layout="(N, H)")
    out = _check_weights(x.shape[1], h_prev.shape[1], Wx, Wh, gates, biases)
    if x.shape[0] != h_prev.shape[0]:
        raise ValueError(f"{public_name()}: x and h_prev must have the same batch size N; got x "
                         f"{x.shape} and h_prev {h_prev.shape}.")
    return (x, h_prev, *out)


def _check_weights(D: int, H: int, Wx: Any, Wh: Any, gates: int,
                   biases: Sequence[tuple[str, Any]]) -> tuple[np.ndarray, ...]:
    GH = gates * H
    cols = "H" if gates == 1 else f"{gates}H"
    blocks = "" if gates == 1 else f" ({gates} gate blocks of H = {H} columns)"
    Wx = as_array(Wx, "Wx", ndim=2, layout=f"(D, {cols})")
    Wh = as_array(Wh, "Wh", ndim=2, layout=f"(H, {cols})")
    for name, W, rows, torch_name in (("Wx", Wx, D, "weight_ih"), ("Wh", Wh, H, "weight_hh")):
        if W.shape != (rows, GH):
            hint = (f" It looks like a torch {torch_name} ({GH}, {rows}): pass its transpose."
                    if W.shape == (GH, rows) else "")
            raise ValueError(f"{public_name()}: {name} must have shape "
                             f"({'D' if name == 'Wx' else 'H'}, {cols}) = ({rows}, {GH}){blocks}; "
                             f"got {W.shape}.{hint}")
    out = [Wx, Wh]
    for name, b in biases:
        b = as_array(b, name, ndim=1, layout=f"({cols},)")
        if b.shape != (GH,):
            raise ValueError(f"{public_name()}: {name} must have shape ({cols},) = ({GH},); got "
                             f"{b.shape}.")
        out.append(b)
    return tuple(out)


def _check_sequence(xs: Any, h0: Any) -> tuple[np.ndarray, np.ndarray]:
    xs = as_array(xs, "xs", ndim=3, layout="(T, N, D)")
    h0 = as_array(h0, "h0", ndim=2, layout="(N, H)")
    if xs.shape[0] == 0:
        raise ValueError(f"{public_name()}: xs must hold at least one time step; got shape "
                         f"{xs.shape}.")
    if xs.shape[1] != h0.shape[0]:
        raise ValueError(f"{public_name()}: xs (T, N, D) and h0 (N, H) must have the same batch "
                         f"size N; got xs {xs.shape} and h0 {h0.shape}.")
    return xs, h0


def _check_grad(name: str, d: Any, shape: tuple[int, ...], layout: str) -> np.ndarray:
    """Validate an array whose shape is fixed by another one (dh like h, c_prev like h_prev)."""
    d = as_array(d, name, ndim=len(shape), layout=layout)
    if d.shape != shape:
        raise ValueError(f"{public_name()}: {name} must have shape {layout} = {shape}; got "
                         f"{d.shape}.")
    return d


def _check_cache(cache: Any, kind: str, length: int) -> tuple:
    if not (isinstance(cache, tuple) and len(cache) == length and cache[0] == kind):
        raise TypeError(f"{public_name()}: cache must be the cache returned by the matching "
                        f"forward function ({kind}); got {type(cache).__name__}.")
    return cache


# ----------------------------------------------------------------------------- vanilla RNN


def rnn_step_forward(x: np.ndarray, h_prev: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
                     b: np.ndarray) -> tuple[np.ndarray, tuple]:
    """One step of a tanh RNN: ``h = tanh(x Wx + h_prev Wh + b)``.

    Seed 000 writes it S_t = tanh(U X_t + W S_{t−1}) in column format: U = Wxᵀ, W = Whᵀ, S = h.
    The output O_t = V S_t (or its softmax) is an ordinary dense layer on ``h``.

    x: (N, D), h_prev: (N, H), Wx: (D, H), Wh: (H, H), b: (H,)  ->  h: (N, H).
    Equals ``torch.nn.RNNCell`` with ``Wx = weight_ih.T``, ``Wh = weight_hh.T``,
    ``b = bias_ih + bias_hh``.
    """
    x, h_prev, Wx, Wh, b = _check_step(x, h_prev, Wx, Wh, 1, [("b", b)])
    h = np.tanh(x @ Wx + h_prev @ Wh + b)
    return h, ("rnn_step", x, h_prev, Wx, Wh, h)


def rnn_step_backward(dh: np.ndarray, cache: tuple) -> tuple[np.ndarray, ...]:
    """Gradients of one RNN step, given dL/dh of shape (N, H).

    With a = x Wx + h_prev Wh + b and tanh'(a) = 1 − h²:
    da = dh ⊙ (1 − h²), dx = da Wxᵀ, dh_prev = da Whᵀ, dWx = xᵀ da, dWh = h_prevᵀ da,
    db = Σ_n da.

    Returns ``(dx (N, D), dh_prev (N, H), dWx (D, H), dWh (H, H), db (H,))``.
    """
    _, x, h_prev, Wx, Wh, h = _check_cache(cache, "rnn_step", 6)
    dh = _check_grad("dh", dh, h.shape, "(N, H)")
    da = dh * (1.0 - h * h)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def rnn_forward(xs: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
                b: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Run the tanh RNN over a whole sequence, the same weights at every step.

    xs: (T, N, D), h0: (N, H), Wx: (D, H), Wh: (H, H), b: (H,)  ->  hs: (T, N, H), where
    ``hs[t]`` is the state after reading ``xs[t]`` (h0 itself is not in ``hs``). Equals
    ``torch.nn.RNN(D, H)`` (one layer, tanh) with the weights copied as in ``rnn_step_forward``.
    """
    xs, h0 = _check_sequence(xs, h0)
    Wx, Wh, b = _check_weights(xs.shape[2], h0.shape[1], Wx, Wh, 1, [("b", b)])
    hs = np.empty((xs.shape[0], *h0.shape))
    steps = []
    h = h0
    for t in range(xs.shape[0]):
        h, step_cache = rnn_step_forward(xs[t], h, Wx, Wh, b)
        hs[t] = h
        steps.append(step_cache)
    return hs, ("rnn", steps, xs.shape)


def rnn_backward(dhs: np.ndarray, cache: tuple) -> tuple[np.ndarray, ...]:
    """Backpropagation through time (BPTT) for ``rnn_forward``.

    ``dhs[t]`` is dL/dh_t coming from the output at step t only. Walking back from the last step,
    the state h_t receives two errors (seed 000, BPTT): the one from its own output, ``dhs[t]``,
    and the one flowing back from step t + 1 through Wh. Their sum goes through the step's
    backward pass; because the weights are shared, their gradients are the sum over all steps.

    Returns ``(dxs (T, N, D), dh0 (N, H), dWx (D, H), dWh (H, H), db (H,))``.
    """
    _, steps, xs_shape = _check_cache(cache, "rnn", 3)
    T, N, _ = xs_shape
    H = steps[0][5].shape[1]
    dhs = _check_grad("dhs", dhs, (T, N, H), "(T, N, H)")
    dxs = np.empty(xs_shape)
    dWx, dWh, db = 0.0, 0.0, 0.0
    dh_next = np.zeros((N, H))
    for t in reversed(range(T)):
        dxs[t], dh_next, dWx_t, dWh_t, db_t = rnn_step_backward(dhs[t] + dh_next, steps[t])
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return dxs, dh_next, dWx, dWh, db



# ----------------------------------------------------------------------------- inputs and outputs
#
# Seed 000's "Types of Recurrent Neural Networks" (after Karpathy, 2015): which steps receive an
# input and which produce an output. With the linear read-out y_t = h_t V + c (V: (H, K)):
#
#   one-to-one     x (N, D)      -> y (N, K)         a plain network, no recurrence
#   one-to-many    x (N, D)      -> ys (T, N, K)     x at the first step, zeros after
#   many-to-one    xs (T, N, D)  -> y (N, K)         read out the last state only
#   many-to-many   xs (T, N, D)  -> ys (T, N, K)     read out every state


def _read_out(hs: np.ndarray, V: Any, c: Any) -> np.ndarray:
    H = hs.shape[-1]
    V = as_array(V, "V", ndim=2, layout="(H, K)")
    c = as_array(c, "c", ndim=1, layout="(K,)")
    if V.shape[0] != H or c.shape[0] != V.shape[1]:
        raise ValueError(f"{public_name()}: V must be (H, K) = ({H}, K) and c (K,); got {V.shape} "
                         f"and {c.shape}.")
    return hs @ V + c


def rnn_one_to_many(x: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
                    b: np.ndarray, V: np.ndarray, c: np.ndarray, steps: int) -> np.ndarray:
    """One input, a sequence of outputs: x is read at the first step only (zeros after), and
    every state is read out: ys[t] = h_{t+1} V + c for t = 0 … steps − 1.

    x: (N, D), h0: (N, H), Wx: (D, H), Wh: (H, H), b: (H,), V: (H, K), c: (K,)  ->  ys
    (steps, N, K). The same as ``rnn_many_to_many`` on the sequence (x, 0, …, 0).
    """
    x = as_array(x, "x", ndim=2, layout="(N, D)")
    steps = positive_int(steps, "steps")
    xs = np.zeros((steps, *x.shape))
    xs[0] = x
    return rnn_many_to_many(xs, h0, Wx, Wh, b, V, c)


def rnn_many_to_one(xs: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
                    b: np.ndarray, V: np.ndarray, c: np.ndarray) -> np.ndarray:
    """A sequence in, one output: y = h_T V + c, the last state read out.
    xs: (T, N, D) -> y: (N, K)."""
    hs, _ = rnn_forward(xs, h0, Wx, Wh, b)
    return _read_out(hs[-1], V, c)


def rnn_many_to_many(xs: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
                     b: np.ndarray, V: np.ndarray, c: np.ndarray) -> np.ndarray:
    """A sequence in, one output per step: ys[t] = h_{t+1} V + c. xs: (T, N, D) -> ys:
    (T, N, K)."""
    hs, _ = rnn_forward(xs, h0, Wx, Wh, b)
    return _read_out(hs, V, c)

def bptt_gradient_norms(xs: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
                        b: np.ndarray, dh_last: np.ndarray | None = None) -> np.ndarray:
    """How much of the last step's error reaches earlier states: ‖∂L_T/∂h_{T−k}‖ for k = 0..T−1.

    L_T is a loss that depends on the final state only, through ``dh_last`` = ∂L_T/∂h_T of shape
    (N, H) (default: all ones, i.e. L_T = Σ h_T). Going back one step multiplies the error by
    diag(1 − h_t²) Whᵀ; with |tanh'| ≤ 1 and small weights each factor shrinks it, so the norms
    fall roughly geometrically with the lag k: the vanishing gradient (seed 000, "Recurrent
    Neural Network Problem"; seed 001 §3.1.5). Large weights can make them grow instead.

    Arguments as in ``rnn_forward``. Returns norms of shape (T,), ``norms[k]`` for lag k
    (Frobenius norm over the batch); ``norms[0] = ‖dh_last‖``.
    """
    hs, cache = rnn_forward(xs, h0, Wx, Wh, b)
    T = hs.shape[0]
    if dh_last is None:
        dh_last = np.ones_like(hs[-1])
    g = _check_grad("dh_last", dh_last, hs[-1].shape, "(N, H)")
    norms = np.empty(T)
    steps = cache[1]
    for k in range(T):
        norms[k] = np.linalg.norm(g)
        if k < T - 1:
            g = rnn_step_backward(g, steps[T - 1 - k])[1]
    return norms


# ----------------------------------------------------------------------------- LSTM


def lstm_step_forward(x: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, Wx: np.ndarray,
                      Wh: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple]:
    """One LSTM step (seed 004, "Illustrate LSTM Structure").

    With a = x Wx + h_prev Wh + b split into four blocks of H columns, in torch's order:

    - input gate      i = σ(a_i)       how much of the candidate to write
    - forget gate     f = σ(a_f)       how much of the old cell state to keep
    - candidate       g = tanh(a_g)    the new content (C̃_t in seed 004)
    - output gate     o = σ(a_o)       how much of the cell to show

    c = f ⊙ c_prev + i ⊙ g  and  h = o ⊙ tanh(c).

    Seed 004 writes each gate as σ(W · [h_{t−1}, x_t] + b): stacking our Wh above Wx gives its W.
    x: (N, D), h_prev and c_prev: (N, H), Wx: (D, 4H), Wh: (H, 4H), b: (4H,).
    Returns ``(h (N, H), c (N, H), cache)``. Equals ``torch.nn.LSTMCell`` with
    ``Wx = weight_ih.T``, ``Wh = weight_hh.T``, ``b = bias_ih + bias_hh``.
    """
    x, h_prev, Wx, Wh, b = _check_step(x, h_prev, Wx, Wh, 4, [("b", b)])
    c_prev = _check_grad("c_prev", c_prev, h_prev.shape, "(N, H)")
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh + b
    i = sigmoid(a[:, :H])
    f = sigmoid(a[:, H:2 * H])
    g = np.tanh(a[:, 2 * H:3 * H])
    o = sigmoid(a[:, 3 * H:])
    c = f * c_prev + i * g
    tanh_c = np.tanh(c)
    h = o * tanh_c
    return h, c, ("lstm_step", x, h_prev, c_prev, Wx, Wh, i, f, g, o, tanh_c)


def lstm_step_backward(dh: np.ndarray, dc: np.ndarray, cache: tuple) -> tuple[np.ndarray, ...]:
    """Gradients of one LSTM step, given dL/dh and dL/dc (each (N, H)).

    The cell receives error both directly (``dc``, from the next step) and through h:
    dc_total = dc + dh ⊙ o ⊙ (1 − tanh²c). Then do = dh ⊙ tanh c, di = dc_total ⊙ g,
    dg = dc_total ⊙ i, df = dc_total ⊙ c_prev and dc_prev = dc_total ⊙ f: the forget gate
    is the only factor on the cell-to-cell path, which is why an LSTM can carry error far back.
    Each gate's pre-activation gradient is its gradient times σ' = s(1 − s) (tanh' = 1 − g²).

    Returns ``(dx (N, D), dh_prev (N, H), dc_prev (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,))``.
    """
    _, x, h_prev, c_prev, Wx, Wh, i, f, g, o, tanh_c = _check_cache(cache, "lstm_step", 11)
    dh = _check_grad("dh", dh, h_prev.shape, "(N, H)")
    dc = _check_grad("dc", dc, h_prev.shape, "(N, H)")
    dc_total = dc + dh * o * (1.0 - tanh_c * tanh_c)
    da = np.concatenate([
        dc_total * g * i * (1.0 - i),          # input gate
        dc_total * c_prev * f * (1.0 - f),     # forget gate
        dc_total * i * (1.0 - g * g),          # candidate
        dh * tanh_c * o * (1.0 - o),           # output gate
    ], axis=1)
    return (da @ Wx.T, da @ Wh.T, dc_total * f, x.T @ da, h_prev.T @ da, da.sum(axis=0))


def lstm_forward(xs: np.ndarray, h0: np.ndarray, c0: np.ndarray, Wx: np.ndarray,
                 Wh: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple]:
    """Run the LSTM over a sequence.

    xs: (T, N, D), h0 and c0: (N, H), Wx: (D, 4H), Wh: (H, 4H), b: (4H,).
    Returns ``(hs (T, N, H), cs (T, N, H), cache)``: the hidden and cell states after each step.
    Equals ``torch.nn.LSTM(D, H)`` (one layer): its output is ``hs`` and its (h_n, c_n) are
    ``hs[-1], cs[-1]``.
    """
    xs, h0 = _check_sequence(xs, h0)
    c0 = _check_grad("c0", c0, h0.shape, "(N, H)")
    Wx, Wh, b = _check_weights(xs.shape[2], h0.shape[1], Wx, Wh, 4, [("b", b)])
    T = xs.shape[0]
    hs = np.empty((T, *h0.shape))
    cs = np.empty((T, *h0.shape))
    steps = []
    h, c = h0, c0
    for t in range(T):
        h, c, step_cache = lstm_step_forward(xs[t], h, c, Wx, Wh, b)
        hs[t], cs[t] = h, c
        steps.append(step_cache)
    return hs, cs, ("lstm", steps, xs.shape)


def lstm_backward(dhs: np.ndarray, cache: tuple) -> tuple[np.ndarray, ...]:
    """BPTT for ``lstm_forward``, where the loss depends on the hidden states ``hs``.

    ``dhs[t]`` (T, N, H) is dL/dh_t from step t's output; the errors on h and on c from step t + 1
    are added on the way back, as in ``rnn_backward``.
    Returns ``(dxs (T, N, D), dh0 (N, H), dc0 (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,))``.
    """
    _, steps, xs_shape = _check_cache(cache, "lstm", 3)
    T, N, _ = xs_shape
    H = steps[0][2].shape[1]
    dhs = _check_grad("dhs", dhs, (T, N, H), "(T, N, H)")
    dxs = np.empty(xs_shape)
    dWx, dWh, db = 0.0, 0.0, 0.0
    dh_next, dc_next = np.zeros((N, H)), np.zeros((N, H))
    for t in reversed(range(T)):
        dxs[t], dh_next, dc_next, dWx_t, dWh_t, db_t = lstm_step_backward(
            dhs[t] + dh_next, dc_next, steps[t])
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return dxs, dh_next, dc_next, dWx, dWh, db


# ----------------------------------------------------------------------------- GRU


def gru_step_forward(x: np.ndarray, h_prev: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
                     b_x: np.ndarray, b_h: np.ndarray, convention: str = "seed",
                     ) -> tuple[np.ndarray, tuple]:
    """One GRU step, in the seed's convention or in torch's.

    The gate blocks are stacked in torch's order (r, z, n) in both conventions:
    ax = x Wx + b_x and ah = h_prev Wh + b_h, each split into three blocks of H columns. Then
    r = σ(ax_r + ah_r) (reset gate) and z = σ(ax_z + ah_z) (update gate), and:

    ``convention='seed'`` (seed 000, "Gated Recurrent Unit"), r applied to the old state *before*
    the weights, z weighting the *new* candidate::

        h̃ = tanh(ax_n + (r ⊙ h_prev) Wh_n + b_h_n)
        h  = (1 − z) ⊙ h_prev + z ⊙ h̃

    ``convention='torch'`` (``torch.nn.GRUCell``), r applied *after* the weights and the
    hidden bias, z weighting the *old* state::

        n = tanh(ax_n + r ⊙ (h_prev Wh_n + b_h_n))
        h = (1 − z) ⊙ n + z ⊙ h_prev

    The z difference is only a relabelling: σ(−a) = 1 − σ(a), so negating the update-gate
    columns of Wx, Wh, b_x, b_h (``gru_flip_update_gate``) turns one z into the other's 1 − z.
    The r difference is real: (r ⊙ h) W_n ≠ r ⊙ (h W_n) unless r is the same for every hidden
    unit (e.g. H = 1, or r ≡ 1) and b_h_n = 0, so the two cells are different functions and no
    weight mapping makes them equal in general.

    x: (N, D), h_prev: (N, H), Wx: (D, 3H), Wh: (H, 3H), b_x and b_h: (3H,)  ->  h: (N, H).
    For torch, ``Wx = weight_ih.T``, ``Wh = weight_hh.T``, ``b_x = bias_ih``, ``b_h = bias_hh``.
    """
    conv = one_of(convention, GRU_CONVENTIONS, "convention")
    x, h_prev, Wx, Wh, b_x, b_h = _check_step(x, h_prev, Wx, Wh, 3, [("b_x", b_x), ("b_h", b_h)])
    H = h_prev.shape[1]
    ax = x @ Wx + b_x
    ah_rz = h_prev @ Wh[:, :2 * H] + b_h[:2 * H]
    r = sigmoid(ax[:, :H] + ah_rz[:, :H])
    z = sigmoid(ax[:, H:2 * H] + ah_rz[:, H:])
    if conv == "torch":
        hn = h_prev @ Wh[:, 2 * H:] + b_h[2 * H:]     # r multiplies this, bias included
        n = np.tanh(ax[:, 2 * H:] + r * hn)
        h = (1.0 - z) * n + z * h_prev
    else:
        hn = (r * h_prev) @ Wh[:, 2 * H:] + b_h[2 * H:]  # r multiplies h before the weights
        n = np.tanh(ax[:, 2 * H:] + hn)
        h = (1.0 - z) * h_prev + z * n
    return h, ("gru_step", conv, x, h_prev, Wx, Wh, r, z, n, hn)


def gru_step_backward(dh: np.ndarray, cache: tuple) -> tuple[np.ndarray, ...]:
    """Gradients of one GRU step (either convention), given dL/dh of shape (N, H).

    Returns ``(dx (N, D), dh_prev (N, H), dWx (D, 3H), dWh (H, 3H), db_x (3H,), db_h (3H,))``.
    """
    _, conv, x, h_prev, Wx, Wh, r, z, n, hn = _check_cache(cache, "gru_step", 10)
    dh = _check_grad("dh", dh, h_prev.shape, "(N, H)")
    H = h_prev.shape[1]
    if conv == "torch":
        dn, dz, dh_prev = dh * (1.0 - z), dh * (h_prev - n), dh * z
    else:
        dn, dz, dh_prev = dh * z, dh * (n - h_prev), dh * (1.0 - z)
    dan = dn * (1.0 - n * n)                        # gradient at the candidate's tanh input
    if conv == "torch":
        dr = dan * hn
        dah_n = dan * r                             # reaches h_prev Wh_n + b_h_n through r
    else:
        dah_n = dan                                 # reaches (r ⊙ h_prev) Wh_n + b_h_n directly
        d_rh = dan @ Wh[:, 2 * H:].T                # gradient w.r.t. r ⊙ h_prev
        dr = d_rh * h_prev
        dh_prev = dh_prev + d_rh * r
    dar = dr * r * (1.0 - r)
    daz = dz * z * (1.0 - z)
    dax = np.concatenate([dar, daz, dan], axis=1)
    dah = np.concatenate([dar, daz, dah_n], axis=1)
    if conv == "torch":
        dh_prev = dh_prev + dah @ Wh.T
        dWh = h_prev.T @ dah
    else:
        dh_prev = dh_prev + dah[:, :2 * H] @ Wh[:, :2 * H].T
        dWh = np.concatenate([h_prev.T @ dah[:, :2 * H], (r * h_prev).T @ dah_n], axis=1)
    return dax @ Wx.T, dh_prev, x.T @ dax, dWh, dax.sum(axis=0), dah.sum(axis=0)


def gru_flip_update_gate(Wx: np.ndarray, Wh: np.ndarray, b_x: np.ndarray, b_h: np.ndarray,
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Negate the update-gate block (the middle H columns) of the GRU's weights and biases.

    Since σ(−a) = 1 − σ(a), the flipped weights give z' = 1 − z: the seed's "(1 − z) keeps the
    old state" and torch's "z keeps the old state" then agree. Flipping twice gives the original.
    Wx: (D, 3H), Wh: (H, 3H), b_x and b_h: (3H,); returns new arrays of the same shapes.
    """
    Wx = as_array(Wx, "Wx", ndim=2, layout="(D, 3H)")
    Wh = as_array(Wh, "Wh", ndim=2, layout="(H, 3H)")
    D, H = Wx.shape[0], Wh.shape[0]
    Wx, Wh, b_x, b_h = _check_weights(D, H, Wx, Wh, 3, [("b_x", b_x), ("b_h", b_h)])
    sign = np.ones(3 * H)
    sign[H:2 * H] = -1.0
    return Wx * sign, Wh * sign, b_x * sign, b_h * sign


def gru_forward(xs: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray,
                b_x: np.ndarray, b_h: np.ndarray, convention: str = "seed",
                ) -> tuple[np.ndarray, tuple]:
    """Run the GRU over a sequence. xs: (T, N, D), h0: (N, H), weights as in
    ``gru_step_forward``  ->  hs: (T, N, H). With ``convention='torch'`` it equals
    ``torch.nn.GRU(D, H)`` (one layer)."""
    conv = one_of(convention, GRU_CONVENTIONS, "convention")
    xs, h0 = _check_sequence(xs, h0)
    Wx, Wh, b_x, b_h = _check_weights(xs.shape[2], h0.shape[1], Wx, Wh, 3,
                                      [("b_x", b_x), ("b_h", b_h)])
    hs = np.empty((xs.shape[0], *h0.shape))
    steps = []
    h = h0
    for t in range(xs.shape[0]):
        h, step_cache = gru_step_forward(xs[t], h, Wx, Wh, b_x, b_h, conv)
        hs[t] = h
        steps.append(step_cache)
    return hs, ("gru", steps, xs.shape)


def gru_backward(dhs: np.ndarray, cache: tuple) -> tuple[np.ndarray, ...]:
    """BPTT for ``gru_forward``; ``dhs[t]`` (T, N, H) is dL/dh_t from step t's output.

    Returns ``(dxs (T, N, D), dh0 (N, H), dWx (D, 3H), dWh (H, 3H), db_x (3H,), db_h (3H,))``.
    """
    _, steps, xs_shape = _check_cache(cache, "gru", 3)
    T, N, _ = xs_shape
    H = steps[0][3].shape[1]
    dhs = _check_grad("dhs", dhs, (T, N, H), "(T, N, H)")
    dxs = np.empty(xs_shape)
    grads = [0.0, 0.0, 0.0, 0.0]
    dh_next = np.zeros((N, H))
    for t in reversed(range(T)):
        dxs[t], dh_next, *step_grads = gru_step_backward(dhs[t] + dh_next, steps[t])
        grads = [acc + g for acc, g in zip(grads, step_grads, strict=True)]
    return (dxs, dh_next, *grads)


# ----------------------------------------------------------------------------- clipping


def _check_grads(grads: Any) -> list[np.ndarray]:
    if isinstance(grads, np.ndarray) or not isinstance(grads, (list, tuple)):
        raise TypeError(f"{public_name()}: grads must be a list of arrays (one per parameter); got "
                        f"{type(grads).__name__}. For a single array, pass [g].")
    return [as_array(g, f"grads[{k}]") for k, g in enumerate(grads)]


def clip_grad_norm(grads: list[np.ndarray], max_norm: float, norm_type: float = 2.0,
                   ) -> tuple[list[np.ndarray], float]:
    """Rescale all gradients together so that their joint norm is at most ``max_norm``.

    The total norm treats every gradient as one long vector:
    ‖g‖ = (Σ_k ‖g_k‖_p^p)^{1/p} (the largest |entry| for ``norm_type=inf``). Every gradient is
    multiplied by min(1, max_norm / (‖g‖ + 1e-6)): the direction is kept, only the length
    shrinks. The 1e-6 is torch's guard against dividing by zero, so a clipped norm comes out a
    hair below ``max_norm``. This is the usual cure for exploding gradients (seed 000).

    Returns ``(clipped, total_norm)``: new arrays of the same shapes and the norm *before*
    clipping. Equals ``torch.nn.utils.clip_grad_norm_`` (which clips in place).
    """
    grads = _check_grads(grads)
    max_norm = real_in_range(max_norm, "max_norm", low=0.0)
    if isinstance(norm_type, bool) or not isinstance(norm_type, (int, float)):
        raise TypeError(f"{public_name()}: norm_type must be a number (2.0, 1.0, float('inf'), "
                        f"...); got {norm_type!r}.")
    p = float(norm_type)
    if not p > 0:
        raise ValueError(f"{public_name()}: norm_type must be positive (or inf); got {norm_type}.")
    if not grads:
        return [], 0.0
    if np.isinf(p):
        total = max(float(np.max(np.abs(g), initial=0.0)) for g in grads)
    else:
        norms = np.array([np.linalg.norm(g.ravel(), ord=p) for g in grads])
        total = float(np.linalg.norm(norms, ord=p))
    coef = min(max_norm / (total + 1e-6), 1.0)
    return [g * coef for g in grads], total


def clip_grad_value(grads: list[np.ndarray], clip_value: float) -> list[np.ndarray]:
    """Clip every gradient entry to the interval [−clip_value, clip_value].

    Unlike ``clip_grad_norm`` this changes the gradient's direction. Returns new arrays; equals
    ``torch.nn.utils.clip_grad_value_`` (which clips in place).
    """
    grads = _check_grads(grads)
    c = real_in_range(clip_value, "clip_value", low=0.0)
    return [np.clip(g, -c, c) for g in grads]


# ----------------------------------------------------------------------------- widget helper


def gradient_norms_through_time(cell: str = "rnn", seq_len: int = 50, hidden: int = 16,
                                seed: int = 0, weight_scale: float = 1.0,
                                forget_bias: float = 1.0) -> np.ndarray:
    """Gradient norm reaching each time step, for a random RNN or LSTM (the widget's curve).

    Builds a cell with ``hidden`` units and inputs of size ``hidden``, feeds it ``seq_len``
    standard-normal inputs (batch of 1), and backpropagates a loss on the last state only,
    L = u · h_T with u a fixed unit vector, with this module's backward passes. Weights:
    Wx ~ N(0, 1/D), Wh ~ N(0, weight_scale²/H) (so Wh's spectral radius is about
    ``weight_scale``), biases 0 except the LSTM's forget gate, which gets ``forget_bias``
    (a common initialisation that makes the cell remember by default).

    Returns ``norms`` of shape (seq_len,): ``norms[t] = ‖∂L/∂h_t‖`` for t = 1..T at index t − 1,
    so ``norms[-1] = 1`` and ``norms[::-1]`` is ordered by lag. A tanh RNN's curve falls
    geometrically with the lag for weight_scale ≲ 1; an LSTM's falls far more slowly, because
    its cell state passes error back through the forget gate only.
    """
    kind = one_of(cell, ("rnn", "lstm"), "cell")
    T = positive_int(seq_len, "seq_len")
    H = positive_int(hidden, "hidden")
    scale = real_in_range(weight_scale, "weight_scale", low=0.0)
    forget_bias = real_in_range(forget_bias, "forget_bias")
    xs, h0, Wx, Wh, b, u = _random_cell(kind, T, H, seed, scale, forget_bias)
    norms = np.empty(T)
    if kind == "rnn":
        _, (_, steps, _) = rnn_forward(xs, h0, Wx, Wh, b)
        g = u
        for t in reversed(range(T)):
            norms[t] = np.linalg.norm(g)
            g = rnn_step_backward(g, steps[t])[1]
    else:
        _, _, (_, steps, _) = lstm_forward(xs, h0, h0, Wx, Wh, b)
        g, gc = u, np.zeros((1, H))
        for t in reversed(range(T)):
            norms[t] = np.linalg.norm(g)
            _, g, gc, *_ = lstm_step_backward(g, gc, steps[t])
    return norms


def _random_cell(kind: str, T: int, H: int, seed: int, scale: float, forget_bias: float,
                 ) -> tuple[np.ndarray, ...]:
    """The random inputs, weights and loss direction behind ``gradient_norms_through_time``."""
    rng = np.random.default_rng(seed)
    G = 1 if kind == "rnn" else 4
    Wx = rng.standard_normal((H, G * H)) / np.sqrt(H)
    Wh = rng.standard_normal((H, G * H)) * (scale / np.sqrt(H))
    b = np.zeros(G * H)
    if kind == "lstm":
        b[H:2 * H] = forget_bias
    xs = rng.standard_normal((T, 1, H))
    u = rng.standard_normal((1, H))
    u /= np.linalg.norm(u)
    return xs, np.zeros((1, H)), Wx, Wh, b, u
