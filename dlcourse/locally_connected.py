"""The locally connected layer: a convolution whose weights are not shared (seed 001 §3.15).

A convolution layer slides *one* bank of filters over the image: the unit at output position
(i, j) uses the same weights as every other position (*weight sharing*). A **locally connected**
layer ("local-conv", "unshared convolution", Keras' ``LocallyConnected2D``) keeps the local
receptive field but gives every output position its own filters and biases:

    out[n, f, i, j] = b[f, i, j] + Σ_c Σ_m Σ_k w[f, i, j, c, m, k] · xp[n, c, i·S + m, j·S + k]

with xp the input zero-padded by P. The convolution is the special case w[f, i, j] = w_conv[f]
and b[f, i, j] = b_conv[f] at every position (``tie_weights``). Seed 001 §3.15's rule: share
the weights when the same local features can appear anywhere in the input; use local-conv when
different regions hold different kinds of features (aligned faces: eyes always at the top).
The price is the parameter count, which grows with the number of output positions
(``locally_connected_param_count``).

Contents:

- ``locally_connected2d_naive``: loops over images, filters and output positions, the formula;
- ``locally_connected2d_forward`` / ``locally_connected2d_backward``: vectorized, with a cache;
- ``locally_connected2d``: the forward's output alone (like ``torch.nn.functional.conv2d``);
- ``tie_weights``: a convolution's weights copied to every position;
- ``locally_connected_param_count``.

Layouts follow PyTorch where it has one: x (N, C, H, W), out (N, F, OH, OW); the weights are
(F, OH, OW, C, KH, KW), one (C, KH, KW) filter per filter f and output position (i, j), and the
biases (F, OH, OW). PyTorch has no locally connected layer; ``tests/test_locally_connected.py``
builds one from ``torch.nn.functional.unfold`` and compares, forward and backward. All arrays
are float64; no function modifies its inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from dlcourse._validate import as_array, check_same_size, positive_int, public_name
from dlcourse.conv import conv_output_size

__all__ = [
    "locally_connected2d",
    "locally_connected2d_backward",
    "locally_connected2d_forward",
    "locally_connected2d_naive",
    "locally_connected_param_count",
    "tie_weights",
]


def _check(x: Any, w: Any, b: Any, stride: Any,
           padding: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """Validate the arguments of a forward pass; the weights must match the output size."""
    x = as_array(x, "x", ndim=4, layout="(N, C, H, W)")
    w = as_array(w, "w", ndim=6, layout="(F, OH, OW, C, KH, KW)")
    b = as_array(b, "b", ndim=3, layout="(F, OH, OW)")
    stride = positive_int(stride, "stride")
    padding = positive_int(padding, "padding", minimum=0)
    _, C, H, W = x.shape
    F, OH, OW, Cw, KH, KW = w.shape
    check_same_size(C, Cw, "the channels of x (axis 1) and of w (axis 3)")
    if H + 2 * padding < KH or W + 2 * padding < KW:
        raise ValueError(f"{public_name()}: the {KH}×{KW} kernel does not fit the input of "
                         f"{H}×{W} padded by {padding}.")
    expected = (conv_output_size(H, KH, stride, padding), conv_output_size(W, KW, stride, padding))
    if expected != (OH, OW):
        raise ValueError(
            f"{public_name()}: w has filters for {OH}×{OW} output positions, but a {KH}×{KW} "
            f"kernel with stride {stride} and padding {padding} on a {H}×{W} input gives "
            f"{expected[0]}×{expected[1]}; make w of shape {(F, *expected, C, KH, KW)}.")
    if b.shape != (F, OH, OW):
        raise ValueError(f"{public_name()}: b must have shape (F, OH, OW) = {(F, OH, OW)}, one "
                         f"bias per filter and position; got {b.shape}.")
    return x, w, b, stride, padding


def _pad(x: np.ndarray, padding: int) -> np.ndarray:
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))


def locally_connected2d_naive(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1,
                              padding: int = 0) -> np.ndarray:
    """The layer as a loop over images, filters and output positions: the formula, slowly.

    x: (N, C, H, W); w: (F, OH, OW, C, KH, KW); b: (F, OH, OW). Returns out (N, F, OH, OW),
    out[n, f, i, j] = b[f, i, j] + Σ w[f, i, j] · xp[n, :, i·S : i·S + KH, j·S : j·S + KW].
    """
    x, w, b, S, P = _check(x, w, b, stride, padding)
    xp = _pad(x, P)
    N = x.shape[0]
    F, OH, OW, _, KH, KW = w.shape
    out = np.empty((N, F, OH, OW))
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    window = xp[n, :, i * S:i * S + KH, j * S:j * S + KW]
                    out[n, f, i, j] = b[f, i, j] + np.sum(w[f, i, j] * window)
    return out


def locally_connected2d_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1,
                                padding: int = 0) -> tuple[np.ndarray, tuple]:
    """A locally connected layer's forward pass: returns (out, cache).

    x: (N, C, H, W); w: (F, OH, OW, C, KH, KW); b: (F, OH, OW); out: (N, F, OH, OW), with
    OH = ⌊(H + 2P − KH)/S⌋ + 1 (``conv_output_size``) and

        out[n, f, i, j] = b[f, i, j] + Σ_c Σ_m Σ_k w[f, i, j, c, m, k] · xp[n, c, i·S + m, j·S + k]

    How: ``sliding_window_view`` gives every receptive field, win[n, c, i, j, m, k], without a
    copy; one ``einsum`` multiplies each window with the filters of *its own* position (the
    index i, j appears in both operands, where a convolution's weights have no i, j).
    """
    x, w, b, S, P = _check(x, w, b, stride, padding)
    KH, KW = w.shape[4:]
    xp = _pad(x, P)
    win = sliding_window_view(xp, (KH, KW), axis=(2, 3))[:, :, ::S, ::S]  # (N, C, OH, OW, KH, KW)
    out = np.einsum("ncijmk,fijcmk->nfij", win, w, optimize=True) + b
    return out, (x.shape, w, win, S, P)


def locally_connected2d_backward(dout: np.ndarray, cache: tuple,
                                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``locally_connected2d_forward``: returns (dx, dw, db).

    dout: (N, F, OH, OW). As for a convolution, but nothing is summed over positions:

    - db[f, i, j] = Σ_n dout[n, f, i, j]                       (each position's own bias)
    - dw[f, i, j] = Σ_n dout[n, f, i, j] · window(n, i, j)     (each position's own filters)
    - dx: every window hands Σ_f dout[n, f, i, j] · w[f, i, j] back to the pixels it read;
      overlapping windows add up.
    """
    x_shape, w, win, S, P = cache
    N, C, H, W = x_shape
    F, OH, OW, _, KH, KW = w.shape
    dout = as_array(dout, "dout", ndim=4, layout="(N, F, OH, OW)")
    if dout.shape != (N, F, OH, OW):
        raise ValueError(f"{public_name()}: dout must have the forward output's shape "
                         f"{(N, F, OH, OW)}; got {dout.shape}.")
    db = dout.sum(axis=0)
    dw = np.einsum("nfij,ncijmk->fijcmk", dout, win, optimize=True)
    dwin = np.einsum("nfij,fijcmk->ncijmk", dout, w, optimize=True)
    dxp = np.zeros((N, C, H + 2 * P, W + 2 * P))
    for m in range(KH):          # scatter each kernel tap back onto the pixels it read
        for k in range(KW):
            dxp[:, :, m:m + S * (OH - 1) + 1:S, k:k + S * (OW - 1) + 1:S] += dwin[..., m, k]
    return np.ascontiguousarray(dxp[:, :, P:P + H, P:P + W]), dw, db


def locally_connected2d(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1,
                        padding: int = 0) -> np.ndarray:
    """The output (N, F, OH, OW) of ``locally_connected2d_forward``, without the cache."""
    return locally_connected2d_forward(x, w, b, stride, padding)[0]


def tie_weights(w_conv: np.ndarray, b_conv: np.ndarray, out_size: int | tuple[int, int],
                ) -> tuple[np.ndarray, np.ndarray]:
    """A convolution's filters copied to every output position: (w, b) of a locally connected
    layer that computes exactly ``conv2d(x, w_conv, b_conv)``.

    w_conv: (F, C, KH, KW); b_conv: (F,); out_size: OH, or (OH, OW). Returns w of shape
    (F, OH, OW, C, KH, KW) and b of shape (F, OH, OW) (writable copies, not views).
    """
    w_conv = as_array(w_conv, "w_conv", ndim=4, layout="(F, C, KH, KW)")
    b_conv = as_array(b_conv, "b_conv", ndim=1, layout="(F,)")
    check_same_size(w_conv.shape[0], b_conv.shape[0], "the filters of w_conv and b_conv")
    OH, OW = out_size if isinstance(out_size, (tuple, list)) else (out_size, out_size)
    OH, OW = positive_int(OH, "out_size"), positive_int(OW, "out_size")
    F, C, KH, KW = w_conv.shape
    w = np.broadcast_to(w_conv[:, None, None], (F, OH, OW, C, KH, KW)).copy()
    b = np.broadcast_to(b_conv[:, None, None], (F, OH, OW)).copy()
    return w, b


def locally_connected_param_count(in_channels: int, out_channels: int,
                                  kernel_size: int | tuple[int, int],
                                  out_size: int | tuple[int, int], bias: bool = True) -> int:
    """Learnable parameters of a locally connected layer: (C_in·KH·KW + 1)·C_out·OH·OW.

    A convolution with the same settings has (C_in·KH·KW + 1)·C_out (``conv_param_count``):
    untying multiplies that by the number of output positions OH·OW.
    """
    cin = positive_int(in_channels, "in_channels")
    cout = positive_int(out_channels, "out_channels")
    kh, kw = kernel_size if isinstance(kernel_size, (tuple, list)) else (kernel_size,) * 2
    oh, ow = out_size if isinstance(out_size, (tuple, list)) else (out_size,) * 2
    kh, kw = positive_int(kh, "kernel_size"), positive_int(kw, "kernel_size")
    oh, ow = positive_int(oh, "out_size"), positive_int(ow, "out_size")
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"{public_name()}: bias must be True or False; got {bias!r}.")
    return (cin * kh * kw + int(bias)) * cout * oh * ow
