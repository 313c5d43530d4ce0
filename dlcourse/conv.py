"""Convolution and pooling from scratch, in NumPy.

What deep-learning libraries call "convolution" is **cross-correlation**: the kernel slides over
the image *without* being flipped,

    A[i, j] = Σ_m Σ_n  K[m, n] · X[i·S + m, j·S + n]        (seed 001 §3.2.3)

(true convolution flips the kernel by 180° first). PyTorch's ``conv2d`` does the same, and so does
everything here. The flip comes back in the backward pass: the gradient with respect to the input
is a *full* convolution of the upstream gradient with the 180°-rotated kernel (seed 004, CNN
back-propagation with rot180).

Contents, in teaching order:

- ``conv2d_naive``: one channel, two loops over output pixels, the formula above;
- ``conv_output_size`` and ``conv_transpose_output_size``: the arithmetic of sizes;
- ``conv2d_forward`` / ``conv2d_backward``: batches, channels and filters, vectorized with
  im2col (every receptive field becomes one column, the convolution one matrix product);
- ``conv2d_backward_naive``: the rot180 rule spelled out for one channel;
- ``conv_transpose2d_forward`` / ``conv_transpose2d_backward``: the transposed convolution,
  which is exactly the input-gradient of ``conv2d``;
- ``max_pool2d_*`` and ``avg_pool2d_*``; ``conv_param_count``;
- ``CLASSIC_KERNELS`` and ``filter_image``: hand-made filters of seed 004.

Layouts follow PyTorch: images (N, C, H, W), conv weights (F, C, KH, KW), transposed-conv weights
(C_in, C_out, KH, KW). All arrays are float64; no function modifies its inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from dlcourse._validate import as_array, check_same_size, one_of, positive_int

__all__ = [
    "CLASSIC_KERNELS",
    "avg_pool2d_backward",
    "avg_pool2d_forward",
    "conv2d_backward",
    "conv2d_backward_naive",
    "conv2d_forward",
    "conv2d_naive",
    "conv_output_size",
    "conv_param_count",
    "conv_transpose2d_backward",
    "conv_transpose2d_forward",
    "conv_transpose_output_size",
    "filter_image",
    "max_pool2d_backward",
    "max_pool2d_forward",
]

Pair = tuple[int, int]


# --------------------------------------------------------------------------- argument helpers

def _nonneg_int(value: Any, name: str, *, func: str) -> int:
    return positive_int(value, name, func=func, minimum=0)


def _pair(value: Any, name: str, *, func: str, minimum: int = 1) -> Pair:
    """An int or a pair of ints (height, width), as PyTorch accepts them."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(
                f"{func}: {name} must be an integer or a pair (height, width); got {value!r}."
            )
        return (positive_int(value[0], name, func=func, minimum=minimum),
                positive_int(value[1], name, func=func, minimum=minimum))
    v = positive_int(value, name, func=func, minimum=minimum)
    return v, v


# --------------------------------------------------------------------------- output sizes

def conv_output_size(n: int, kernel_size: int, stride: int = 1, padding: int = 0,
                     dilation: int = 1) -> int:
    """Length of a convolution's (or pooling's) output along one axis.

        out = ⌊(n + 2P − D·(F − 1) − 1) / S⌋ + 1

    With dilation D = 1 this is the seed's W₂ = (W₁ − F + 2P)/S + 1 (seed 001 §3.2.3), rounded
    down: when S does not divide W₁ − F + 2P, the last rows that do not fill a whole window are
    skipped. A dilated kernel has holes: its F taps span D·(F − 1) + 1 pixels.

    >>> conv_output_size(5, 3), conv_output_size(5, 3, stride=2), conv_output_size(5, 3, 2, 1)
    (3, 2, 3)
    """
    func = "conv_output_size"
    n = positive_int(n, "n (the input length)", func=func)
    f = positive_int(kernel_size, "kernel_size", func=func)
    s = positive_int(stride, "stride", func=func)
    p = _nonneg_int(padding, "padding", func=func)
    d = positive_int(dilation, "dilation", func=func)
    span = d * (f - 1) + 1
    if span > n + 2 * p:
        what = f"kernel_size {f}" + (f" dilated by {d} (spanning {span} pixels)" if d > 1 else "")
        raise ValueError(
            f"{func}: the {what} is larger than the padded input ({n} + 2·{p} = {n + 2 * p}); "
            "use a smaller kernel or dilation, or more padding."
        )
    return (n + 2 * p - span) // s + 1


def conv_transpose_output_size(n: int, kernel_size: int, stride: int = 1, padding: int = 0,
                               output_padding: int = 0, dilation: int = 1) -> int:
    """Length of a transposed convolution's output along one axis.

        out = (n − 1)·S − 2P + D·(F − 1) + output_padding + 1

    It inverts ``conv_output_size`` (Dumoulin & Visin, "A guide to convolution arithmetic",
    relationships 8 to 14): a convolution with these settings maps an input of length ``out``
    back to ``n``. Because that convolution rounds down, up to S − 1 input lengths give the same
    ``n``; ``output_padding`` (smaller than the stride or the dilation, as in PyTorch) picks one.
    This is PyTorch's formula for ``conv_transpose2d``.
    """
    func = "conv_transpose_output_size"
    n = positive_int(n, "n (the input length)", func=func)
    f = positive_int(kernel_size, "kernel_size", func=func)
    s = positive_int(stride, "stride", func=func)
    p = _nonneg_int(padding, "padding", func=func)
    op = _nonneg_int(output_padding, "output_padding", func=func)
    d = positive_int(dilation, "dilation", func=func)
    if op >= max(s, d):
        raise ValueError(
            f"{func}: output_padding must be smaller than the stride or the dilation; got "
            f"output_padding={op} with stride={s}, dilation={d}."
        )
    out = (n - 1) * s - 2 * p + d * (f - 1) + op + 1
    if out < 1:
        raise ValueError(
            f"{func}: the padding {p} removes the whole output (length {out + 2 * p} before "
            "cropping 2·padding); use less padding."
        )
    return out


# --------------------------------------------------------------------------- naive, one channel

def conv2d_naive(image: np.ndarray, kernel: np.ndarray, stride: int = 1,
                 padding: int = 0) -> np.ndarray:
    """Slide ``kernel`` over ``image`` with two explicit loops (a teaching version).

    image: (H, W), kernel: (KH, KW) → feature map (OH, OW), with OH = (H − KH + 2P)//S + 1.

        A[i, j] = Σ_m Σ_n  kernel[m, n] · X[i·S + m, j·S + n]     (seed 001 §3.2.3, no bias)

    where X is ``image`` surrounded by ``padding`` rings of zeros. As in every deep-learning
    library this is cross-correlation: the kernel is not flipped.
    """
    func = "conv2d_naive"
    X = as_array(image, "image", func=func, ndim=2, layout="(H, W)")
    K = as_array(kernel, "kernel", func=func, ndim=2, layout="(KH, KW)")
    stride = positive_int(stride, "stride", func=func)
    padding = _nonneg_int(padding, "padding", func=func)
    KH, KW = K.shape
    OH = conv_output_size(X.shape[0], KH, stride, padding)
    OW = conv_output_size(X.shape[1], KW, stride, padding)
    X = np.pad(X, padding)
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = X[i * stride: i * stride + KH, j * stride: j * stride + KW]
            out[i, j] = np.sum(window * K)
    return out


def conv2d_backward_naive(dout: np.ndarray, image: np.ndarray, kernel: np.ndarray,
                          stride: int = 1, padding: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gradients of ``conv2d_naive`` for one channel, written as two more convolutions.

    dout: (OH, OW), the gradient of the loss with respect to the feature map;
    image: (H, W); kernel: (KH, KW). Returns (dimage (H, W), dkernel (KH, KW)).

    - dkernel = valid cross-correlation of the (padded) image with ``dout``: each kernel tap
      m, n met the pixels X[i·S + m, j·S + n], weighted by dout[i, j].
    - dimage = **full** convolution of ``dout`` with the kernel rotated by 180° (seed 004):
      pad ``dout`` with KH − 1, KW − 1 rings of zeros and cross-correlate it with
      ``rot180(kernel)``. Pixel X[a, b] fed every output A[i, j] whose window covered it, with
      weight kernel[a − i, b − j]; running i, j forwards runs the kernel backwards.

    With a stride S > 1, ``dout`` is first spread out with S − 1 zeros between its entries
    (the outputs that the stride skipped receive no gradient); with padding, the gradient of the
    padded image is cropped at the end. ``conv2d_backward`` computes the same thing vectorized.
    """
    func = "conv2d_backward_naive"
    X = as_array(image, "image", func=func, ndim=2, layout="(H, W)")
    K = as_array(kernel, "kernel", func=func, ndim=2, layout="(KH, KW)")
    G = as_array(dout, "dout", func=func, ndim=2, layout="(OH, OW)")
    stride = positive_int(stride, "stride", func=func)
    padding = _nonneg_int(padding, "padding", func=func)
    KH, KW = K.shape
    OH = conv_output_size(X.shape[0], KH, stride, padding)
    OW = conv_output_size(X.shape[1], KW, stride, padding)
    if G.shape != (OH, OW):
        raise ValueError(f"{func}: dout must have the output's shape {(OH, OW)}; got {G.shape}.")

    # the stride skipped positions: put zeros there, so that dout lines up with every window
    spread = np.zeros(((OH - 1) * stride + 1, (OW - 1) * stride + 1))
    spread[::stride, ::stride] = G
    Xp = np.pad(X, padding)
    used = Xp[: spread.shape[0] + KH - 1, : spread.shape[1] + KW - 1]   # rows the windows reached
    dkernel = conv2d_naive(used, spread)

    rot180 = K[::-1, ::-1]
    dused = conv2d_naive(np.pad(spread, ((KH - 1, KH - 1), (KW - 1, KW - 1))), rot180)
    dXp = np.zeros_like(Xp)
    dXp[: dused.shape[0], : dused.shape[1]] = dused   # rows no window reached get no gradient
    dimage = dXp[padding: padding + X.shape[0], padding: padding + X.shape[1]]
    return dimage, dkernel


# --------------------------------------------------------------------------- im2col machinery

def _windows(xp: np.ndarray, kernel: Pair, stride: Pair, dilation: Pair,
             out_hw: Pair) -> np.ndarray:
    """A read-only view (N, C, OH, OW, KH, KW) of every receptive field of ``xp`` (no copy).

    Element [n, c, i, j, m, k] is xp[n, c, i·SH + m·DH, j·SW + k·DW].
    """
    sN, sC, sH, sW = xp.strides
    (SH, SW), (DH, DW) = stride, dilation
    shape = (xp.shape[0], xp.shape[1], out_hw[0], out_hw[1], kernel[0], kernel[1])
    strides = (sN, sC, sH * SH, sW * SW, sH * DH, sW * DW)
    return as_strided(xp, shape=shape, strides=strides, writeable=False)


def _im2col(xp: np.ndarray, kernel: Pair, stride: Pair, dilation: Pair,
            out_hw: Pair) -> np.ndarray:
    """Receptive fields as columns: (C·KH·KW, N·OH·OW), rows ordered like w.reshape(F, -1)."""
    win = _windows(xp, kernel, stride, dilation, out_hw)           # (N, C, OH, OW, KH, KW)
    C = xp.shape[1]
    return win.transpose(1, 4, 5, 0, 2, 3).reshape(C * kernel[0] * kernel[1], -1)


def _tap(a: np.ndarray, m: int, k: int, stride: Pair, dilation: Pair, out_hw: Pair) -> np.ndarray:
    """View (N, C, OH, OW) of the pixels that kernel tap (m, k) meets in every window of ``a``."""
    (SH, SW), (DH, DW), (OH, OW) = stride, dilation, out_hw
    return a[:, :, m * DH: m * DH + SH * (OH - 1) + 1: SH, k * DW: k * DW + SW * (OW - 1) + 1: SW]


def _col2im(cols: np.ndarray, padded_shape: tuple[int, ...], kernel: Pair, stride: Pair,
            dilation: Pair, out_hw: Pair) -> np.ndarray:
    """The adjoint of ``_im2col``: add every column back onto the pixels it was read from.

    cols: (C·KH·KW, N·OH·OW). Loops over the KH·KW kernel offsets only; each step adds a whole
    (N, C, OH, OW) block onto a strided slice, so overlapping windows accumulate correctly.
    """
    N, C = padded_shape[:2]
    (KH, KW), (OH, OW) = kernel, out_hw
    blocks = cols.reshape(C, KH, KW, N, OH, OW)
    out = np.zeros(padded_shape)
    for m in range(KH):
        for k in range(KW):
            _tap(out, m, k, stride, dilation, out_hw)[...] += blocks[:, m, k].transpose(1, 0, 2, 3)
    return out


def _pad_hw(x: np.ndarray, padding: Pair, value: float = 0.0) -> np.ndarray:
    ph, pw = padding
    if ph == 0 and pw == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=value)


def _check_images(x: Any, name: str, func: str) -> np.ndarray:
    return as_array(x, name, func=func, ndim=4, layout="(N, C, H, W)")


# --------------------------------------------------------------------------- conv2d

def conv2d_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int | Pair = 1,
                   padding: int | Pair = 0, dilation: int | Pair = 1,
                   ) -> tuple[np.ndarray, tuple]:
    """A convolution layer, as ``torch.nn.functional.conv2d``: returns (out, cache).

    x: (N, C, H, W) images; w: (F, C, KH, KW) filters; b: (F,) one bias per filter.
    out: (N, F, OH, OW) with OH = ⌊(H + 2P − D·(KH − 1) − 1)/S⌋ + 1 (``conv_output_size``), and

        out[n, f, i, j] = b[f] + Σ_c Σ_m Σ_k w[f, c, m, k] · xp[n, c, i·S + m·D, j·S + k·D]

    (seed 001 §3.2.3, the formula for depth > 1), xp being x zero-padded by P.
    stride, padding and dilation are an int or a pair (height, width).

    How: im2col copies each receptive field into one column of a (C·KH·KW, N·OH·OW) matrix;
    then every filter meets every window in a single matrix product w.reshape(F, -1) @ cols.
    """
    func = "conv2d_forward"
    x = _check_images(x, "x", func)
    w = as_array(w, "w", func=func, ndim=4, layout="(F, C, KH, KW)")
    b = as_array(b, "b", func=func, ndim=1, layout="(F,)")
    stride = _pair(stride, "stride", func=func)
    padding = _pair(padding, "padding", func=func, minimum=0)
    dilation = _pair(dilation, "dilation", func=func)
    N, C, H, W = x.shape
    F, Cw, KH, KW = w.shape
    check_same_size(C, Cw, "the channels of x (axis 1) and of w (axis 1)", func=func)
    check_same_size(F, b.shape[0], "the number of filters w.shape[0] and of biases b", func=func)
    OH = conv_output_size(H, KH, stride[0], padding[0], dilation[0])
    OW = conv_output_size(W, KW, stride[1], padding[1], dilation[1])

    xp = _pad_hw(x, padding)
    cols = _im2col(xp, (KH, KW), stride, dilation, (OH, OW))       # (C·KH·KW, N·OH·OW)
    out = w.reshape(F, -1) @ cols + b[:, None]                       # (F, N·OH·OW)
    out = out.reshape(F, N, OH, OW).transpose(1, 0, 2, 3)
    cache = (x.shape, w, cols, stride, padding, dilation)
    return np.ascontiguousarray(out), cache


def conv2d_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``conv2d_forward``: returns (dx, dw, db).

    dout: (N, F, OH, OW). With G = dout laid out as (F, N·OH·OW) and cols the forward's im2col:

    - db[f] = Σ dout[:, f]                  (the bias is added at every position)
    - dw = G @ colsᵀ                         (each tap met the pixels stored in its row of cols)
    - dx = col2im(w_matᵀ @ G)                (every window hands its share back to its pixels)

    The last line *is* the seed-004 rule: dx is the full convolution of dout (spread by the
    stride) with the 180°-rotated filters, summed over filters (``conv2d_backward_naive``
    writes it out for one channel); col2im just evaluates it window by window.
    """
    func = "conv2d_backward"
    x_shape, w, cols, stride, padding, dilation = cache
    N, C, H, W = x_shape
    F, _, KH, KW = w.shape
    OH = conv_output_size(H, KH, stride[0], padding[0], dilation[0])
    OW = conv_output_size(W, KW, stride[1], padding[1], dilation[1])
    dout = as_array(dout, "dout", func=func, ndim=4, layout="(N, F, OH, OW)")
    if dout.shape != (N, F, OH, OW):
        raise ValueError(
            f"{func}: dout must have the forward output's shape {(N, F, OH, OW)}; got {dout.shape}."
        )
    G = dout.transpose(1, 0, 2, 3).reshape(F, -1)                    # (F, N·OH·OW)
    db = G.sum(axis=1)
    dw = (G @ cols.T).reshape(w.shape)
    dcols = w.reshape(F, -1).T @ G                                    # (C·KH·KW, N·OH·OW)
    padded = (N, C, H + 2 * padding[0], W + 2 * padding[1])
    dxp = _col2im(dcols, padded, (KH, KW), stride, dilation, (OH, OW))
    dx = dxp[:, :, padding[0]: padding[0] + H, padding[1]: padding[1] + W]
    return np.ascontiguousarray(dx), dw, db


# --------------------------------------------------------------------------- transposed conv

def conv_transpose2d_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray,
                             stride: int | Pair = 1, padding: int | Pair = 0,
                             output_padding: int | Pair = 0, dilation: int | Pair = 1,
                             ) -> tuple[np.ndarray, tuple]:
    """A transposed convolution, as ``torch.nn.functional.conv_transpose2d``: (out, cache).

    x: (N, C_in, H, W); w: (C_in, C_out, KH, KW) (PyTorch's layout for this layer); b: (C_out,).
    out: (N, C_out, OH, OW), OH = (H − 1)·S − 2P + D·(KH − 1) + output_padding + 1
    (``conv_transpose_output_size``).

    Every input pixel stamps a copy of its filter, scaled by the pixel, onto the output at stride
    S; overlapping stamps add up; P rows and columns are then cropped from each border. That is
    exactly what ``conv2d_backward`` does to dout to produce dx: a transposed convolution is the
    input-gradient of the convolution with the same w, stride, padding and dilation, which is why
    it upsamples by the stride.
    """
    func = "conv_transpose2d_forward"
    x = _check_images(x, "x", func)
    w = as_array(w, "w", func=func, ndim=4, layout="(C_in, C_out, KH, KW)")
    b = as_array(b, "b", func=func, ndim=1, layout="(C_out,)")
    stride = _pair(stride, "stride", func=func)
    padding = _pair(padding, "padding", func=func, minimum=0)
    output_padding = _pair(output_padding, "output_padding", func=func, minimum=0)
    dilation = _pair(dilation, "dilation", func=func)
    N, Cin, H, W = x.shape
    Cw, Cout, KH, KW = w.shape
    check_same_size(Cin, Cw, "the channels of x (axis 1) and w.shape[0]", func=func)
    check_same_size(Cout, b.shape[0], "the output channels w.shape[1] and the biases b", func=func)
    OH = conv_transpose_output_size(H, KH, stride[0], padding[0], output_padding[0], dilation[0])
    OW = conv_transpose_output_size(W, KW, stride[1], padding[1], output_padding[1], dilation[1])

    X = x.transpose(1, 0, 2, 3).reshape(Cin, -1)                    # (C_in, N·H·W)
    stamps = w.reshape(Cin, -1).T @ X                                # (C_out·KH·KW, N·H·W)
    padded = (N, Cout, OH + 2 * padding[0], OW + 2 * padding[1])
    outp = _col2im(stamps, padded, (KH, KW), stride, dilation, (H, W))
    out = outp[:, :, padding[0]: padding[0] + OH, padding[1]: padding[1] + OW]
    out = out + b[None, :, None, None]
    cache = (x, w, stride, padding, dilation)
    return out, cache


def conv_transpose2d_backward(dout: np.ndarray, cache: tuple,
                              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``conv_transpose2d_forward``: returns (dx, dw, db).

    dout: (N, C_out, OH, OW). The adjoint of "stamp and crop" is "pad and read windows":
    dx is an ordinary convolution of dout with the same w (im2col), dw pairs each input pixel
    with the window of dout its stamp landed on, and db sums dout over all but the channel axis.
    """
    func = "conv_transpose2d_backward"
    x, w, stride, padding, dilation = cache
    N, Cin, H, W = x.shape
    _, Cout, KH, KW = w.shape
    dout = as_array(dout, "dout", func=func, ndim=4, layout="(N, C_out, OH, OW)")
    if dout.shape[:2] != (N, Cout):
        raise ValueError(
            f"{func}: dout must be laid out as (N, C_out) = {(N, Cout)} on its first two axes; "
            f"got {dout.shape}."
        )
    dp = _pad_hw(dout, padding)
    dcols = _im2col(dp, (KH, KW), stride, dilation, (H, W))         # (C_out·KH·KW, N·H·W)
    X = x.transpose(1, 0, 2, 3).reshape(Cin, -1)
    dx = (w.reshape(Cin, -1) @ dcols).reshape(Cin, N, H, W).transpose(1, 0, 2, 3)
    dw = (X @ dcols.T).reshape(w.shape)
    db = dout.sum(axis=(0, 2, 3))
    return np.ascontiguousarray(dx), dw, db


# --------------------------------------------------------------------------- pooling

def _pool_args(x: Any, kernel_size: Any, stride: Any, padding: Any, func: str):
    x = _check_images(x, "x", func)
    kernel = _pair(kernel_size, "kernel_size", func=func)
    stride = kernel if stride is None else _pair(stride, "stride", func=func)
    padding = _pair(padding, "padding", func=func, minimum=0)
    for p, k in zip(padding, kernel, strict=True):
        if 2 * p > k:
            raise ValueError(
                f"{func}: padding must be at most half the kernel size (as in PyTorch), so that "
                f"every window holds a real pixel; got padding={padding}, kernel_size={kernel}."
            )
    OH = conv_output_size(x.shape[2], kernel[0], stride[0], padding[0])
    OW = conv_output_size(x.shape[3], kernel[1], stride[1], padding[1])
    return x, kernel, stride, padding, (OH, OW)


def max_pool2d_forward(x: np.ndarray, kernel_size: int | Pair, stride: int | Pair | None = None,
                       padding: int | Pair = 0) -> tuple[np.ndarray, tuple]:
    """Max pooling, as ``torch.nn.functional.max_pool2d``: returns (out, cache).

    x: (N, C, H, W) → out: (N, C, OH, OW); each channel is pooled on its own (seed 001 §3.2.4),
    out[n, c, i, j] = max of the KH×KW window at (i·S, j·S). ``stride`` defaults to the kernel
    size (non-overlapping windows); padding adds −∞ borders, so it never wins the max.
    The cache keeps which tap of each window won (the first one in row-major order, on ties).

    Vectorized over pixels: the loop runs over the KH·KW taps, each a strided view of the input.
    """
    func = "max_pool2d_forward"
    x, kernel, stride, padding, out_hw = _pool_args(x, kernel_size, stride, padding, func)
    xp = _pad_hw(x, padding, value=-np.inf)
    taps = [_tap(xp, m, k, stride, (1, 1), out_hw)
            for m in range(kernel[0]) for k in range(kernel[1])]
    out = taps[0].copy()
    for tap in taps[1:]:
        np.maximum(out, tap, out=out)
    winner = np.full(out.shape, len(taps) - 1, dtype=np.int32)
    for t in range(len(taps) - 2, -1, -1):          # backwards, so the first maximum wins
        winner = np.where(taps[t] == out, np.int32(t), winner)
    cache = (x.shape, winner, kernel, stride, padding)
    return out, cache


def max_pool2d_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """Gradient of ``max_pool2d_forward``: returns dx (N, C, H, W).

    Only the winner of each window moved the output, so it receives the window's upstream
    gradient; the other elements get 0. With overlapping windows a pixel that wins several
    times collects the sum.
    """
    func = "max_pool2d_backward"
    x_shape, winner, kernel, stride, padding = cache
    dout = as_array(dout, "dout", func=func, ndim=4, layout="(N, C, OH, OW)")
    if dout.shape != winner.shape:
        raise ValueError(
            f"{func}: dout must have the forward output's shape {winner.shape}; got {dout.shape}."
        )
    N, C, H, W = x_shape
    out_hw = winner.shape[2:]
    dxp = np.zeros((N, C, H + 2 * padding[0], W + 2 * padding[1]))
    for m in range(kernel[0]):
        for k in range(kernel[1]):
            won = winner == m * kernel[1] + k
            _tap(dxp, m, k, stride, (1, 1), out_hw)[...] += np.where(won, dout, 0.0)
    return np.ascontiguousarray(dxp[:, :, padding[0]: padding[0] + H, padding[1]: padding[1] + W])


def avg_pool2d_forward(x: np.ndarray, kernel_size: int | Pair, stride: int | Pair | None = None,
                       padding: int | Pair = 0) -> tuple[np.ndarray, tuple]:
    """Average pooling, as ``torch.nn.functional.avg_pool2d``: returns (out, cache).

    x: (N, C, H, W) → out: (N, C, OH, OW), the mean of each KH×KW window (seed 004,
    pool_avg(R) = Σ a / |R|). ``stride`` defaults to the kernel size. Zero padding counts in the
    mean (every window is divided by KH·KW), PyTorch's default ``count_include_pad=True``.
    """
    func = "avg_pool2d_forward"
    x, kernel, stride, padding, out_hw = _pool_args(x, kernel_size, stride, padding, func)
    xp = _pad_hw(x, padding)
    total = np.zeros((x.shape[0], x.shape[1], *out_hw))
    for m in range(kernel[0]):
        for k in range(kernel[1]):
            total += _tap(xp, m, k, stride, (1, 1), out_hw)
    out = total / (kernel[0] * kernel[1])
    return out, (x.shape, kernel, stride, padding)


def avg_pool2d_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """Gradient of ``avg_pool2d_forward``: returns dx (N, C, H, W).

    Each window's upstream gradient is shared equally, 1/(KH·KW) to each of its pixels.
    """
    func = "avg_pool2d_backward"
    x_shape, kernel, stride, padding = cache
    N, C, H, W = x_shape
    out_hw = (conv_output_size(H, kernel[0], stride[0], padding[0]),
              conv_output_size(W, kernel[1], stride[1], padding[1]))
    dout = as_array(dout, "dout", func=func, ndim=4, layout="(N, C, OH, OW)")
    if dout.shape != (N, C, *out_hw):
        raise ValueError(
            f"{func}: dout must have the forward output's shape {(N, C, *out_hw)}; "
            f"got {dout.shape}."
        )
    share = dout / (kernel[0] * kernel[1])
    dxp = np.zeros((N, C, H + 2 * padding[0], W + 2 * padding[1]))
    for m in range(kernel[0]):
        for k in range(kernel[1]):
            _tap(dxp, m, k, stride, (1, 1), out_hw)[...] += share
    return np.ascontiguousarray(dxp[:, :, padding[0]: padding[0] + H, padding[1]: padding[1] + W])


# --------------------------------------------------------------------------- parameter count

def conv_param_count(in_channels: int, out_channels: int, kernel_size: int | Pair,
                     bias: bool = True) -> int:
    """Number of learnable parameters of a conv layer: (C_in·KH·KW + 1)·C_out with bias.

    Each of the C_out filters has one weight per input channel and kernel tap, plus one bias;
    the count does not depend on the image size (weight sharing). Seed 001 §3.2.3: two
    3×3×3 filters → (3·3·3 + 1)·2 = 56.
    """
    func = "conv_param_count"
    cin = positive_int(in_channels, "in_channels", func=func)
    cout = positive_int(out_channels, "out_channels", func=func)
    kh, kw = _pair(kernel_size, "kernel_size", func=func)
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"{func}: bias must be True or False; got {bias!r}.")
    return (cin * kh * kw + int(bias)) * cout


# --------------------------------------------------------------------------- classic kernels

def _frozen(rows: list[list[float]], scale: float = 1.0) -> np.ndarray:
    k = np.array(rows, dtype=np.float64) * scale
    k.setflags(write=False)
    return k


CLASSIC_KERNELS: dict[str, np.ndarray] = {
    # seed 004, "Convolution layer": the hand-made filters of image processing (read-only arrays)
    "identity": _frozen([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "edge_diagonal": _frozen([[1, 0, -1], [0, 0, 0], [-1, 0, 1]]),
    "edge_laplacian4": _frozen([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "edge_laplacian8": _frozen([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
    "sharpen": _frozen([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "box_blur": _frozen([[1, 1, 1], [1, 1, 1], [1, 1, 1]], 1 / 9),
    "gaussian_blur": _frozen([[1, 2, 1], [2, 4, 2], [1, 2, 1]], 1 / 16),
}
"""The seed-004 filters. Each is symmetric under a 180° turn, so cross-correlation and true
convolution give the same picture. The blurs sum to 1 (they keep the mean brightness); the edge
detectors sum to 0 (a flat region maps to 0); identity and sharpen sum to 1."""


def filter_image(image: np.ndarray, name: str | np.ndarray) -> np.ndarray:
    """Apply a classic kernel to a grey image, keeping its size.

    image: (H, W); name: a key of ``CLASSIC_KERNELS`` (or a (K, K) kernel with K odd).
    Returns (H, W): conv2d with stride 1 and padding (K − 1)/2 ("same" padding). The border
    pixels see zeros beyond the edge, so blurs darken the frame slightly.
    """
    func = "filter_image"
    img = as_array(image, "image", func=func, ndim=2, layout="(H, W)")
    if isinstance(name, str):
        kernel = CLASSIC_KERNELS[one_of(name, CLASSIC_KERNELS, "kernel name", func=func)]
    else:
        kernel = as_array(name, "kernel", func=func, ndim=2, layout="(K, K)")
        if kernel.shape[0] != kernel.shape[1] or kernel.shape[0] % 2 == 0:
            raise ValueError(
                f"{func}: a kernel given as an array must be square with an odd size, so that "
                f"'same' padding exists; got shape {kernel.shape}."
            )
    pad = kernel.shape[0] // 2
    out, _ = conv2d_forward(img[None, None], kernel[None, None], np.zeros(1), padding=pad)
    return out[0, 0]
