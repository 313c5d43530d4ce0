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
- ``conv2d_forward`` / ``conv2d_backward``: batches, channels and filters, vectorized as the
  chapter does it: ``sliding_window_view`` shows every receptive field, ``tensordot`` sums each
  window times each filter, and dx is the full convolution with the rotated filters;
- ``conv2d_backward_naive``: the rot180 rule spelled out for one channel;
- ``conv_transpose2d_forward`` / ``conv_transpose2d_backward``: the transposed convolution,
  which is exactly the input-gradient of ``conv2d``;
- ``max_pool2d_*`` and ``avg_pool2d_*``; ``conv_param_count``;
- ``CLASSIC_KERNELS`` and ``filter_image``: hand-made filters of seed 004.

Each public function is the readable version, the algorithm chapter 11 teaches. Where that is
slow on a large batch, a fast path sits right after it (``_conv2d_backward_fast``,
``_max_pool2d_forward_fast``, ``_max_pool2d_backward_fast``, ``_avg_pool2d_forward_fast``): the
same result by a route that moves less memory, tested equal to the readable one
(tests/test_conv.py) and timed beside it by ``python -m dlcourse.bench --only ratios``.

Layouts follow PyTorch: images (N, C, H, W), conv weights (F, C, KH, KW), transposed-conv weights
(C_in, C_out, KH, KW). All arrays are float64; no function modifies its inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from dlcourse._validate import as_array, check_same_size, one_of, positive_int, public_name

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

def _nonneg_int(value: Any, name: str) -> int:
    return positive_int(value, name, minimum=0)


def _pair(value: Any, name: str, *, minimum: int = 1) -> Pair:
    """An int or a pair of ints (height, width), as PyTorch accepts them."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(
                f"{public_name()}: {name} must be an integer or a pair (height, width); "
                f"got {value!r}."
            )
        return (positive_int(value[0], name, minimum=minimum),
                positive_int(value[1], name, minimum=minimum))
    v = positive_int(value, name, minimum=minimum)
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
    n = positive_int(n, "n (the input length)")
    f = positive_int(kernel_size, "kernel_size")
    s = positive_int(stride, "stride")
    p = _nonneg_int(padding, "padding")
    d = positive_int(dilation, "dilation")
    span = d * (f - 1) + 1
    if span > n + 2 * p:
        what = f"kernel_size {f}" + (f" dilated by {d} (spanning {span} pixels)" if d > 1 else "")
        raise ValueError(
            f"{public_name()}: the {what} is larger than the padded input ({n} + 2·{p} = "
            f"{n + 2 * p}); use a smaller kernel or dilation, or more padding."
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
    n = positive_int(n, "n (the input length)")
    f = positive_int(kernel_size, "kernel_size")
    s = positive_int(stride, "stride")
    p = _nonneg_int(padding, "padding")
    op = _nonneg_int(output_padding, "output_padding")
    d = positive_int(dilation, "dilation")
    if op >= max(s, d):
        raise ValueError(
            f"{public_name()}: output_padding must be smaller than the stride or the dilation; got "
            f"output_padding={op} with stride={s}, dilation={d}."
        )
    out = (n - 1) * s - 2 * p + d * (f - 1) + op + 1
    if out < 1:
        raise ValueError(
            f"{public_name()}: the padding {p} removes the whole output (length {out + 2 * p} "
            "before cropping 2·padding); use less padding."
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
    X = as_array(image, "image", ndim=2, layout="(H, W)")
    K = as_array(kernel, "kernel", ndim=2, layout="(KH, KW)")
    stride = positive_int(stride, "stride")
    padding = _nonneg_int(padding, "padding")
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
    X = as_array(image, "image", ndim=2, layout="(H, W)")
    K = as_array(kernel, "kernel", ndim=2, layout="(KH, KW)")
    G = as_array(dout, "dout", ndim=2, layout="(OH, OW)")
    stride = positive_int(stride, "stride")
    padding = _nonneg_int(padding, "padding")
    KH, KW = K.shape
    OH = conv_output_size(X.shape[0], KH, stride, padding)
    OW = conv_output_size(X.shape[1], KW, stride, padding)
    if G.shape != (OH, OW):
        raise ValueError(f"{public_name()}: dout must have the output's shape {(OH, OW)}; got "
                         f"{G.shape}.")

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


# --------------------------------------------------------------------------- shared helpers

def _pad_hw(x: np.ndarray, padding: Pair, value: float = 0.0) -> np.ndarray:
    """x (N, C, H, W) with ``padding`` rows and columns of ``value`` around every image."""
    ph, pw = padding
    if ph == 0 and pw == 0:
        return x                                          # nothing to pad: no copy
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=value)


def _windows(xp: np.ndarray, kernel: Pair, stride: Pair, dilation: Pair) -> np.ndarray:
    """Every receptive field of the (padded) images xp: a read-only view (N, C, OH, OW, KH, KW).

    Element [n, c, i, j, m, k] is xp[n, c, i·SH + m·DH, j·SW + k·DW]. ``sliding_window_view``
    gives the windows of the dilated kernel's whole span at every position; slicing keeps every
    stride-th position and every dilation-th tap. No pixel is copied.
    """
    (KH, KW), (SH, SW), (DH, DW) = kernel, stride, dilation
    span = (DH * (KH - 1) + 1, DW * (KW - 1) + 1)
    win = sliding_window_view(xp, span, axis=(2, 3))      # (N, C, H', W', span_h, span_w)
    return win[:, :, ::SH, ::SW, ::DH, ::DW]


def _correlate(xp: np.ndarray, w: np.ndarray, stride: Pair, dilation: Pair) -> np.ndarray:
    """Σ_c Σ_m Σ_k w[f, c, m, k] · (window (i, j) of xp)[c, m, k]: (N, F, OH, OW), no bias.

    One ``tensordot`` contracts each window with each filter over channels and taps.
    """
    win = _windows(xp, w.shape[2:], stride, dilation)           # (N, C, OH, OW, KH, KW)
    out = np.tensordot(win, w, axes=([1, 4, 5], [1, 2, 3]))     # (N, OH, OW, F)
    return out.transpose(0, 3, 1, 2)


def _filter_grad(xp: np.ndarray, dout: np.ndarray, kernel: Pair, stride: Pair,
                 dilation: Pair) -> np.ndarray:
    """∂L/∂w of ``_correlate``: tap (m, k) of filter f met the pixels in its row of every window,
    weighted by dout. dout: (N, F, OH, OW) → (F, C, KH, KW)."""
    win = _windows(xp, kernel, stride, dilation)                 # (N, C, OH, OW, KH, KW)
    return np.tensordot(dout, win, axes=([0, 2, 3], [0, 2, 3]))


def _input_grad(dout: np.ndarray, w: np.ndarray, padded_hw: Pair, stride: Pair,
                dilation: Pair) -> np.ndarray:
    """∂L/∂xp of ``_correlate``: the **full** convolution of dout with the rotated filters.

    dout: (N, F, OH, OW), w: (F, C, KH, KW) → (N, C, *padded_hw). The seed-004 rule: spread
    dout by the stride (S − 1 zeros between its entries: the positions the stride skipped),
    pad it with the dilated kernel's span minus one, and cross-correlate it with every filter
    turned by 180°, filters and channels swapped. Rows that no window reached (when the stride
    does not divide the input) get no gradient.
    """
    N, F, OH, OW = dout.shape
    _, C, KH, KW = w.shape
    (SH, SW), (DH, DW) = stride, dilation
    spread = np.zeros((N, F, (OH - 1) * SH + 1, (OW - 1) * SW + 1))
    spread[:, :, ::SH, ::SW] = dout
    full = _pad_hw(spread, (DH * (KH - 1), DW * (KW - 1)))
    rot180 = w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)           # (C, F, KH, KW)
    reached = _correlate(full, rot180, (1, 1), dilation)
    dxp = np.zeros((N, C, *padded_hw))
    dxp[:, :, : reached.shape[2], : reached.shape[3]] = reached
    return dxp


def _input_grad_fast(dout: np.ndarray, w: np.ndarray, padded_hw: Pair, stride: Pair,
                     dilation: Pair) -> np.ndarray:
    """Fast path of ``_input_grad``, the same result: every window hands its gradient back.

    Window (i, j) of the forward read xp[:, :, i·S + m·D, j·S + k·D] for every tap (m, k), so
    its gradient w[:, :, m, k] · dout[:, :, i, j] (summed over filters) goes back there. With
    one ``tensordot`` for all windows and taps, then one strided slice per tap to add them up,
    this moves far less memory than reading the windows of the full, spread dout.
    """
    N, _, OH, OW = dout.shape
    _, C, KH, KW = w.shape
    grads = np.tensordot(w, dout, axes=([0], [1]))                # (C, KH, KW, N, OH, OW)
    dxp = np.zeros((C, N, *padded_hw))
    for m in range(KH):
        for k in range(KW):
            dxp[_tap(m, k, stride, dilation, (OH, OW))] += grads[:, m, k]
    return dxp.transpose(1, 0, 2, 3)


def _tap(m: int, k: int, stride: Pair, dilation: Pair, out_hw: Pair) -> tuple[slice, ...]:
    """The index of the pixels that kernel tap (m, k) meets in every window, (OH, OW) of them,
    in an (..., H, W) array: rows m·DH, m·DH + SH, ..., and the same for the columns."""
    (SH, SW), (DH, DW), (OH, OW) = stride, dilation, out_hw
    return (..., slice(m * DH, m * DH + SH * (OH - 1) + 1, SH),
            slice(k * DW, k * DW + SW * (OW - 1) + 1, SW))


def _crop_hw(xp: np.ndarray, padding: Pair, hw: tuple[int, int]) -> np.ndarray:
    """The inverse of ``_pad_hw``: the (H, W) interior, a contiguous copy."""
    (ph, pw), (H, W) = padding, hw
    return np.ascontiguousarray(xp[:, :, ph: ph + H, pw: pw + W])


def _check_images(x: Any, name: str) -> np.ndarray:
    return as_array(x, name, ndim=4, layout="(N, C, H, W)")


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

    How: ``sliding_window_view`` shows every receptive field as an (N, C, OH, OW, KH, KW) view
    of the padded images, and ``tensordot`` multiplies each window with each filter and sums
    over (C, KH, KW), the formula above in one call.
    """
    x = _check_images(x, "x")
    w = as_array(w, "w", ndim=4, layout="(F, C, KH, KW)")
    b = as_array(b, "b", ndim=1, layout="(F,)")
    stride = _pair(stride, "stride")
    padding = _pair(padding, "padding", minimum=0)
    dilation = _pair(dilation, "dilation")
    _, C, H, W = x.shape
    F, Cw, KH, KW = w.shape
    check_same_size(C, Cw, "the channels of x (axis 1) and of w (axis 1)")
    check_same_size(F, b.shape[0], "the number of filters w.shape[0] and of biases b")
    conv_output_size(H, KH, stride[0], padding[0], dilation[0])     # refuses a kernel too large
    conv_output_size(W, KW, stride[1], padding[1], dilation[1])

    out = _correlate(_pad_hw(x, padding), w, stride, dilation) + b[None, :, None, None]
    cache = (x, w, stride, padding, dilation)
    return out, cache


def conv2d_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``conv2d_forward``: returns (dx, dw, db).

    dout: (N, F, OH, OW), the gradient of the loss with respect to out.

    - db[f] = Σ dout[:, f]                 (the bias is added at every position)
    - dw[f, c, m, k] = Σ_n Σ_i Σ_j dout[n, f, i, j] · xp[n, c, i·S + m·D, j·S + k·D]
                                           (each tap met one pixel of every window)
    - dx = the full convolution of dout (spread by the stride) with the filters turned by 180°,
      summed over filters, cropped by the padding (seed 004's rot180 rule;
      ``conv2d_backward_naive`` writes it out for one channel).
    """
    x, w, stride, padding, dilation = cache
    dout = _check_conv_dout(dout, x.shape, w.shape, stride, padding, dilation)
    xp = _pad_hw(x, padding)
    db = dout.sum(axis=(0, 2, 3))
    dw = _filter_grad(xp, dout, w.shape[2:], stride, dilation)
    dxp = _input_grad(dout, w, xp.shape[2:], stride, dilation)
    return _crop_hw(dxp, padding, x.shape[2:]), dw, db


def _conv2d_backward_fast(dout: np.ndarray, cache: tuple,
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fast path of ``conv2d_backward``: the same (dx, dw, db), dx computed by scattering.

    The readable dx reads a (KH, KW) window of the padded, spread dout at every input pixel,
    for every filter: N·F·H·W·KH·KW numbers (75 MB for a LeNet batch). Here each window's
    gradient, w · dout (N·C·OH·OW·KH·KW numbers, F times fewer for LeNet's first layer), is
    added back onto the pixels it was read from, one kernel tap at a time
    (``_input_grad_fast``). ``tests/test_conv.py`` checks that the two agree.
    """
    x, w, stride, padding, dilation = cache
    dout = _check_conv_dout(dout, x.shape, w.shape, stride, padding, dilation)
    xp = _pad_hw(x, padding)
    db = dout.sum(axis=(0, 2, 3))
    dw = _filter_grad(xp, dout, w.shape[2:], stride, dilation)
    dxp = _input_grad_fast(dout, w, xp.shape[2:], stride, dilation)
    return _crop_hw(dxp, padding, x.shape[2:]), dw, db


def _check_conv_dout(dout: Any, x_shape: tuple[int, ...], w_shape: tuple[int, ...],
                     stride: Pair, padding: Pair, dilation: Pair) -> np.ndarray:
    N, _, H, W = x_shape
    F, _, KH, KW = w_shape
    OH = conv_output_size(H, KH, stride[0], padding[0], dilation[0])
    OW = conv_output_size(W, KW, stride[1], padding[1], dilation[1])
    dout = as_array(dout, "dout", ndim=4, layout="(N, F, OH, OW)")
    if dout.shape != (N, F, OH, OW):
        raise ValueError(
            f"{public_name()}: dout must have the forward output's shape {(N, F, OH, OW)}; "
            f"got {dout.shape}."
        )
    return dout


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
    input-gradient of the convolution with the same w, stride, padding and dilation (which is
    why it upsamples by the stride), and it is computed here that way, as a full convolution
    with the rotated filters.
    """
    x = _check_images(x, "x")
    w = as_array(w, "w", ndim=4, layout="(C_in, C_out, KH, KW)")
    b = as_array(b, "b", ndim=1, layout="(C_out,)")
    stride = _pair(stride, "stride")
    padding = _pair(padding, "padding", minimum=0)
    output_padding = _pair(output_padding, "output_padding", minimum=0)
    dilation = _pair(dilation, "dilation")
    _, Cin, H, W = x.shape
    Cw, Cout, KH, KW = w.shape
    check_same_size(Cin, Cw, "the channels of x (axis 1) and w.shape[0]")
    check_same_size(Cout, b.shape[0], "the output channels w.shape[1] and the biases b")
    OH = conv_transpose_output_size(H, KH, stride[0], padding[0], output_padding[0], dilation[0])
    OW = conv_transpose_output_size(W, KW, stride[1], padding[1], output_padding[1], dilation[1])

    padded_hw = (OH + 2 * padding[0], OW + 2 * padding[1])
    outp = _input_grad(x, w, padded_hw, stride, dilation)        # stamp the filters
    out = _crop_hw(outp, padding, (OH, OW)) + b[None, :, None, None]
    cache = (x, w, stride, padding, dilation)
    return out, cache


def conv_transpose2d_backward(dout: np.ndarray, cache: tuple,
                              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``conv_transpose2d_forward``: returns (dx, dw, db).

    dout: (N, C_out, OH, OW). The adjoint of "stamp and crop" is "pad and read windows":
    dx is an ordinary convolution of dout with the same w, dw pairs each input pixel with the
    window of dout its stamp landed on, and db sums dout over all but the channel axis.
    """
    x, w, stride, padding, dilation = cache
    N, _, H, W = x.shape
    _, Cout, KH, KW = w.shape
    dout = as_array(dout, "dout", ndim=4, layout="(N, C_out, OH, OW)")
    if dout.shape[:2] != (N, Cout):
        raise ValueError(
            f"{public_name()}: dout must be laid out as (N, C_out) = {(N, Cout)} on its first two "
            f"axes; got {dout.shape}."
        )
    # the stamps of the H×W input pixels covered these rows and columns of the padded output
    # (output_padding adds some beyond, which no stamp reached)
    reach_h = (H - 1) * stride[0] + dilation[0] * (KH - 1) + 1
    reach_w = (W - 1) * stride[1] + dilation[1] * (KW - 1) + 1
    dp = _pad_hw(dout, padding)[:, :, :reach_h, :reach_w]
    dx = _correlate(dp, w, stride, dilation)                     # (N, C_in, H, W)
    dw = _filter_grad(dp, x, (KH, KW), stride, dilation)         # (C_in, C_out, KH, KW)
    db = dout.sum(axis=(0, 2, 3))
    return np.ascontiguousarray(dx), dw, db


# --------------------------------------------------------------------------- pooling

def _pool_args(x: Any, kernel_size: Any, stride: Any, padding: Any):
    x = _check_images(x, "x")
    kernel = _pair(kernel_size, "kernel_size")
    stride = kernel if stride is None else _pair(stride, "stride")
    padding = _pair(padding, "padding", minimum=0)
    for p, k in zip(padding, kernel, strict=True):
        if 2 * p > k:
            raise ValueError(
                f"{public_name()}: padding must be at most half the kernel size (as in PyTorch), "
                f"so that every window holds a real pixel; got padding={padding}, "
                f"kernel_size={kernel}."
            )
    OH = conv_output_size(x.shape[2], kernel[0], stride[0], padding[0])
    OW = conv_output_size(x.shape[3], kernel[1], stride[1], padding[1])
    return x, kernel, stride, padding, (OH, OW)


def max_pool2d_forward(x: np.ndarray, kernel_size: int | Pair, stride: int | Pair | None = None,
                       padding: int | Pair = 0) -> tuple[np.ndarray, tuple]:
    """Max pooling, as ``torch.nn.functional.max_pool2d``: returns (out, cache).

    x: (N, C, H, W) → out: (N, C, OH, OW); each channel is pooled on its own (seed 001 §3.2.4),
    out[n, c, i, j] = max of the KH×KW window at (i·S, j·S). ``stride`` defaults to the kernel
    size (non-overlapping windows); padding adds −∞ borders.

    The cache keeps which tap of each window won, the one ``max_pool2d_backward`` sends the
    gradient to, chosen as torch chooses it: the first maximum in row-major order; a padded
    position never wins (a window of −∞ sends it to its first real pixel); and a NaN beats
    every number (the window's output is NaN and its last NaN wins).
    """
    x, kernel, stride, padding, out_hw = _pool_args(x, kernel_size, stride, padding)
    N, C = x.shape[:2]
    taps = kernel[0] * kernel[1]
    windows = _windows(_pad_hw(x, padding, value=-np.inf), kernel, stride, (1, 1))
    flat = windows.reshape(N, C, *out_hw, taps)                 # (N, C, OH, OW, KH·KW)
    winner = flat.argmax(axis=-1)                               # the first maximum
    # a window whose maximum is −∞: its first real pixel wins, never a padded one
    real = _windows(_pad_hw(np.ones((1, 1, *x.shape[2:]), dtype=bool), padding),
                    kernel, stride, (1, 1)).reshape(*out_hw, taps)
    winner = np.where(flat.max(axis=-1) == -np.inf, real.argmax(axis=-1), winner)
    # a window holding NaN: its last NaN wins (torch's rule)
    is_nan = np.isnan(flat)
    winner = np.where(is_nan.any(axis=-1), taps - 1 - is_nan[..., ::-1].argmax(axis=-1), winner)
    out = np.take_along_axis(flat, winner[..., None], axis=-1)[..., 0]
    cache = (x.shape, winner, kernel, stride, padding)
    return out, cache


def _max_pool2d_forward_fast(x: np.ndarray, kernel_size: int | Pair,
                             stride: int | Pair | None = None, padding: int | Pair = 0,
                             ) -> tuple[np.ndarray, tuple]:
    """Fast path of ``max_pool2d_forward``: the same (out, cache), by torch's own loop.

    Instead of copying every window into an (N, C, OH, OW, KH·KW) array, walk the KH·KW taps,
    each a strided slice of the padded input covering all windows at once, and keep the best
    value and its tap as torch's kernel does: a tap replaces the best so far when it is larger
    or NaN. Padded positions hold −∞, so they never replace anything, and each window starts
    from its first real pixel.
    """
    x, kernel, stride, padding, out_hw = _pool_args(x, kernel_size, stride, padding)
    xp = _pad_hw(x, padding, value=-np.inf)
    real = _pad_hw(np.ones((1, 1, *x.shape[2:]), dtype=bool), padding)
    best = np.full((*x.shape[:2], *out_hw), -np.inf)
    winner = np.full(out_hw, -1, dtype=np.intp)          # first real tap of each window
    for t, (m, k) in enumerate(np.ndindex(*kernel)):
        winner[(winner < 0) & real[0, 0][_tap(m, k, stride, (1, 1), out_hw)]] = t
    winner = np.broadcast_to(winner, best.shape)
    for t, (m, k) in enumerate(np.ndindex(*kernel)):
        value = xp[_tap(m, k, stride, (1, 1), out_hw)]
        better = (value > best) | np.isnan(value)
        winner = np.where(better, t, winner)
        np.maximum(best, value, out=best)              # NaN propagates: it stays the best
    return best, (x.shape, winner, kernel, stride, padding)


def max_pool2d_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """Gradient of ``max_pool2d_forward``: returns dx (N, C, H, W).

    Only the winner of each window moved the output, so it receives the window's upstream
    gradient; the other elements get 0. With overlapping windows a pixel that wins several
    times collects the sum (``np.add.at`` adds repeated indices, where ``+=`` would not).
    """
    x_shape, winner, kernel, stride, padding = cache
    dout = as_array(dout, "dout", ndim=4, layout="(N, C, OH, OW)")
    if dout.shape != winner.shape:
        raise ValueError(
            f"{public_name()}: dout must have the forward output's shape {winner.shape}; "
            f"got {dout.shape}."
        )
    N, C, H, W = x_shape
    OH, OW = winner.shape[2:]
    # where each winner sits in the padded image: its window's corner plus its tap (m, k)
    m, k = np.divmod(winner, kernel[1])
    rows = np.arange(OH)[:, None] * stride[0] + m
    cols = np.arange(OW)[None, :] * stride[1] + k
    n = np.arange(N)[:, None, None, None]
    c = np.arange(C)[None, :, None, None]
    dxp = np.zeros((N, C, H + 2 * padding[0], W + 2 * padding[1]))
    np.add.at(dxp, (n, c, rows, cols), dout)
    return _crop_hw(dxp, padding, (H, W))


def _max_pool2d_backward_fast(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """Fast path of ``max_pool2d_backward``, the same dx: one strided slice per tap receives
    the gradient of the windows that tap won (``np.add.at`` is slow on large arrays)."""
    x_shape, winner, kernel, stride, padding = cache
    dout = as_array(dout, "dout", ndim=4, layout="(N, C, OH, OW)")
    if dout.shape != winner.shape:
        raise ValueError(f"{public_name()}: dout must have the forward output's shape "
                         f"{winner.shape}; got {dout.shape}.")
    N, C, H, W = x_shape
    dxp = np.zeros((N, C, H + 2 * padding[0], W + 2 * padding[1]))
    for t, (m, k) in enumerate(np.ndindex(*kernel)):
        dxp[_tap(m, k, stride, (1, 1), winner.shape[2:])] += np.where(winner == t, dout, 0.0)
    return _crop_hw(dxp, padding, (H, W))


def avg_pool2d_forward(x: np.ndarray, kernel_size: int | Pair, stride: int | Pair | None = None,
                       padding: int | Pair = 0) -> tuple[np.ndarray, tuple]:
    """Average pooling, as ``torch.nn.functional.avg_pool2d``: returns (out, cache).

    x: (N, C, H, W) → out: (N, C, OH, OW), the mean of each KH×KW window (seed 004,
    pool_avg(R) = Σ a / |R|). ``stride`` defaults to the kernel size. Zero padding counts in the
    mean (every window is divided by KH·KW), PyTorch's default ``count_include_pad=True``.
    """
    x, kernel, stride, padding, _ = _pool_args(x, kernel_size, stride, padding)
    windows = _windows(_pad_hw(x, padding), kernel, stride, (1, 1))
    return windows.mean(axis=(4, 5)), (x.shape, kernel, stride, padding)


def _avg_pool2d_forward_fast(x: np.ndarray, kernel_size: int | Pair,
                             stride: int | Pair | None = None, padding: int | Pair = 0,
                             ) -> tuple[np.ndarray, tuple]:
    """Fast path of ``avg_pool2d_forward``, the same (out, cache): the window sums are added
    up tap by tap, one strided slice of the padded input each, instead of averaging a strided
    window view (which NumPy reduces slowly)."""
    x, kernel, stride, padding, out_hw = _pool_args(x, kernel_size, stride, padding)
    xp = _pad_hw(x, padding)
    total = np.zeros((*x.shape[:2], *out_hw))
    for m, k in np.ndindex(*kernel):
        total += xp[_tap(m, k, stride, (1, 1), out_hw)]
    return total / (kernel[0] * kernel[1]), (x.shape, kernel, stride, padding)


def avg_pool2d_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """Gradient of ``avg_pool2d_forward``: returns dx (N, C, H, W).

    Each window's upstream gradient is shared equally, 1/(KH·KW) to each of its pixels: for
    each tap (m, k) of the window, one strided slice of the padded image (the pixels that tap
    covers in every window) receives its share.
    """
    x_shape, kernel, stride, padding = cache
    N, C, H, W = x_shape
    (KH, KW), (SH, SW) = kernel, stride
    OH = conv_output_size(H, KH, SH, padding[0])
    OW = conv_output_size(W, KW, SW, padding[1])
    dout = as_array(dout, "dout", ndim=4, layout="(N, C, OH, OW)")
    if dout.shape != (N, C, OH, OW):
        raise ValueError(
            f"{public_name()}: dout must have the forward output's shape {(N, C, OH, OW)}; "
            f"got {dout.shape}."
        )
    share = dout / (KH * KW)
    dxp = np.zeros((N, C, H + 2 * padding[0], W + 2 * padding[1]))
    for m in range(KH):
        for k in range(KW):
            dxp[:, :, m: m + SH * (OH - 1) + 1: SH, k: k + SW * (OW - 1) + 1: SW] += share
    return _crop_hw(dxp, padding, (H, W))


# --------------------------------------------------------------------------- parameter count

def conv_param_count(in_channels: int, out_channels: int, kernel_size: int | Pair,
                     bias: bool = True) -> int:
    """Number of learnable parameters of a conv layer: (C_in·KH·KW + 1)·C_out with bias.

    Each of the C_out filters has one weight per input channel and kernel tap, plus one bias;
    the count does not depend on the image size (weight sharing). Seed 001 §3.2.3: two
    3×3×3 filters → (3·3·3 + 1)·2 = 56.
    """
    cin = positive_int(in_channels, "in_channels")
    cout = positive_int(out_channels, "out_channels")
    kh, kw = _pair(kernel_size, "kernel_size")
    if not isinstance(bias, (bool, np.bool_)):
        raise TypeError(f"{public_name()}: bias must be True or False; got {bias!r}.")
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
    img = as_array(image, "image", ndim=2, layout="(H, W)")
    if isinstance(name, str):
        kernel = CLASSIC_KERNELS[one_of(name, CLASSIC_KERNELS, "kernel name")]
    else:
        kernel = as_array(name, "kernel", ndim=2, layout="(K, K)")
        if kernel.shape[0] != kernel.shape[1] or kernel.shape[0] % 2 == 0:
            raise ValueError(
                f"{public_name()}: a kernel given as an array must be square with an odd size, so "
                f"that 'same' padding exists; got shape {kernel.shape}."
            )
    pad = kernel.shape[0] // 2
    out, _ = conv2d_forward(img[None, None], kernel[None, None], np.zeros(1), padding=pad)
    return out[0, 0]
