"""Plausible mistakes for chapter 11's exercises (convolution arithmetic).

Most variants are a correct solution with one line changed (``_mutate`` checks that the line is
really there), so each one differs from a right answer by exactly the mistake it names.
"""


def _mutate(source: str, old: str, new: str) -> str:
    assert old in source, f"variant template lost the line {old!r}"
    return source.replace(old, new)


_NAIVE = """
def conv2d_naive(image, kernel, stride=1, padding=0):
    KH, KW = kernel.shape
    X = np.pad(image, padding)
    OH = (X.shape[0] - KH) // stride + 1
    OW = (X.shape[1] - KW) // stride + 1
    out = np.zeros((OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = X[i * stride: i * stride + KH, j * stride: j * stride + KW]
            out[i, j] = np.sum(window * kernel)
    return out
"""

_SIZE = """
def conv_output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    span = dilation * (kernel_size - 1) + 1
    return (n + 2 * padding - span) // stride + 1
"""

_TSIZE = """
def conv_transpose_output_size(n, kernel_size, stride=1, padding=0, output_padding=0,
                               dilation=1):
    return (n - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1
"""

_CONV = """
def _windows(xp, KH, KW, S, D):
    win = np.lib.stride_tricks.sliding_window_view(
        xp, (D * (KH - 1) + 1, D * (KW - 1) + 1), axis=(2, 3))
    return win[:, :, ::S, ::S, ::D, ::D]

def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    F, C, KH, KW = w.shape
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    win = _windows(xp, KH, KW, stride, dilation)
    out = np.tensordot(win, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)
    out = out + b[None, :, None, None]
    return out, (x, w, stride, padding, dilation)

def conv2d_backward(dout, cache):
    x, w, S, p, D = cache
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    _, _, OH, OW = dout.shape
    db = dout.sum(axis=(0, 2, 3))
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dw = np.tensordot(dout, _windows(xp, KH, KW, S, D), axes=([0, 2, 3], [0, 2, 3]))
    spread = np.zeros((N, F, (OH - 1) * S + 1, (OW - 1) * S + 1))
    spread[:, :, ::S, ::S] = dout
    ph, pw = D * (KH - 1), D * (KW - 1)
    full = np.pad(spread, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    rot = w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)
    reached = conv2d_forward(full, rot, np.zeros(C), 1, 0, D)[0]
    dxp = np.zeros_like(xp)
    dxp[:, :, :reached.shape[2], :reached.shape[3]] = reached
    dx = dxp[:, :, p:p + H, p:p + W]
    return dx, dw, db
"""

_CONV_PER_PIXEL = """
def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    S, P, D = stride, padding, dilation
    xp = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
    OH = (H + 2 * P - D * (KH - 1) - 1) // S + 1
    OW = (W + 2 * P - D * (KW - 1) - 1) // S + 1
    out = np.zeros((N, F, OH, OW))
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    window = xp[n, :, i * S:i * S + D * (KH - 1) + 1:D,
                                j * S:j * S + D * (KW - 1) + 1:D]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out, (x, w, S, P, D)

def conv2d_backward(dout, cache):
    x, w, S, P, D = cache
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    _, _, OH, OW = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for n in range(N):
        for f in range(F):
            for i in range(OH):
                for j in range(OW):
                    rows = slice(i * S, i * S + D * (KH - 1) + 1, D)
                    cols = slice(j * S, j * S + D * (KW - 1) + 1, D)
                    dw[f] += dout[n, f, i, j] * xp[n, :, rows, cols]
                    dxp[n, :, rows, cols] += dout[n, f, i, j] * w[f]
    return dxp[:, :, P:P + H, P:P + W], dw, dout.sum(axis=(0, 2, 3))
"""

_PARAMS = """
def conv_param_count(in_channels, out_channels, kernel_size, bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return (in_channels * kh * kw + int(bias)) * out_channels
"""

_MAX = """
def max_pool2d_forward(x, kernel_size, stride=None, padding=0):
    k, s, p = kernel_size, stride or kernel_size, padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=-np.inf)
    win = np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(2, 3))[:, :, ::s, ::s]
    flat = win.reshape(*win.shape[:4], k * k)
    winner = flat.argmax(axis=-1)
    out = np.take_along_axis(flat, winner[..., None], axis=-1)[..., 0]
    return out, (x.shape, winner, k, s, p)

def max_pool2d_backward(dout, cache):
    (N, C, H, W), winner, k, s, p = cache
    OH, OW = winner.shape[2:]
    rows = np.arange(OH)[:, None] * s + winner // k
    cols = np.arange(OW)[None, :] * s + winner % k
    n = np.arange(N)[:, None, None, None]
    c = np.arange(C)[None, :, None, None]
    dxp = np.zeros((N, C, H + 2 * p, W + 2 * p))
    np.add.at(dxp, (n, c, rows, cols), dout)
    return dxp[:, :, p:p + H, p:p + W]
"""

_MAX_ALL_TIES = """
def max_pool2d_forward(x, kernel_size, stride=None, padding=0):
    k, s, p = kernel_size, stride or kernel_size, padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=-np.inf)
    win = np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(2, 3))[:, :, ::s, ::s]
    out = win.max(axis=(4, 5))
    return out, (xp, out, k, s, p)

def max_pool2d_backward(dout, cache):
    xp, out, k, s, p = cache
    OH, OW = out.shape[2:]
    dxp = np.zeros_like(xp)
    for i in range(OH):
        for j in range(OW):
            window = xp[:, :, i * s:i * s + k, j * s:j * s + k]
            mask = window == out[:, :, i, j][:, :, None, None]
            dxp[:, :, i * s:i * s + k, j * s:j * s + k] += mask * dout[:, :, i, j][:, :, None, None]
    H, W = xp.shape[2] - 2 * p, xp.shape[3] - 2 * p
    return dxp[:, :, p:p + H, p:p + W]
"""

_AVG = """
def avg_pool2d_forward(x, kernel_size, stride=None, padding=0):
    k, s, p = kernel_size, stride or kernel_size, padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (k, k), axis=(2, 3))[:, :, ::s, ::s]
    return win.mean(axis=(4, 5)), (x.shape, k, s, p)

def avg_pool2d_backward(dout, cache):
    (N, C, H, W), k, s, p = cache
    _, _, OH, OW = dout.shape
    dxp = np.zeros((N, C, H + 2 * p, W + 2 * p))
    for m in range(k):
        for n in range(k):
            dxp[:, :, m:m + s * (OH - 1) + 1:s, n:n + s * (OW - 1) + 1:s] += dout / (k * k)
    return dxp[:, :, p:p + H, p:p + W]
"""

_AVG_EXCLUDE_PAD = """
def avg_pool2d_forward(x, kernel_size, stride=None, padding=0):
    k, s, p = kernel_size, stride or kernel_size, padding
    pad = ((0, 0), (0, 0), (p, p), (p, p))
    view = np.lib.stride_tricks.sliding_window_view
    total = view(np.pad(x, pad), (k, k), axis=(2, 3))[:, :, ::s, ::s].sum(axis=(4, 5))
    count = view(np.pad(np.ones_like(x), pad), (k, k), axis=(2, 3))[:, :, ::s, ::s].sum(axis=(4, 5))
    return total / count, (x.shape, count, k, s, p)

def avg_pool2d_backward(dout, cache):
    (N, C, H, W), count, k, s, p = cache
    _, _, OH, OW = dout.shape
    dxp = np.zeros((N, C, H + 2 * p, W + 2 * p))
    for m in range(k):
        for n in range(k):
            dxp[:, :, m:m + s * (OH - 1) + 1:s, n:n + s * (OW - 1) + 1:s] += dout / count
    return dxp[:, :, p:p + H, p:p + W]
"""


_LOCAL = """
def locally_connected2d(x, w, b, stride=1, padding=0):
    F_, OH, OW, C, KH, KW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.empty((x.shape[0], F_, OH, OW))
    for i in range(OH):
        for j in range(OW):
            window = xp[:, :, i * stride:i * stride + KH, j * stride:j * stride + KW]
            out[:, :, i, j] = np.tensordot(window, w[:, i, j], axes=([1, 2, 3], [1, 2, 3]))
            out[:, :, i, j] += b[:, i, j]
    return out
"""

VARIANTS = {
    "11.conv2d_naive": [
        ("true convolution: the kernel flipped by 180°",
         _mutate(_NAIVE, "np.sum(window * kernel)", "np.sum(window * kernel[::-1, ::-1])")),
        ("ignores the padding", _mutate(_NAIVE, "X = np.pad(image, padding)", "X = image")),
        ("forgets to multiply the window position by the stride",
         _mutate(_NAIVE, "X[i * stride: i * stride + KH, j * stride: j * stride + KW]",
                 "X[i: i + KH, j: j + KW]")),
        ("output one row and column too small (no + 1)",
         _mutate(_mutate(_NAIVE, "OH = (X.shape[0] - KH) // stride + 1",
                         "OH = (X.shape[0] - KH) // stride"),
                 "OW = (X.shape[1] - KW) // stride + 1", "OW = (X.shape[1] - KW) // stride")),
        ("pads only the bottom and right",
         _mutate(_NAIVE, "X = np.pad(image, padding)", "X = np.pad(image, ((0, 2 * padding),) * 2)")),
    ],
    "11.conv_output_size": [
        ("forgets the dilation",
         _mutate(_SIZE, "span = dilation * (kernel_size - 1) + 1", "span = kernel_size")),
        ("rounds up", _mutate(_SIZE, "return (n + 2 * padding - span) // stride + 1",
                              "return -(-(n + 2 * padding - span) // stride) + 1")),
        ("pads one side only", _mutate(_SIZE, "n + 2 * padding", "n + padding")),
        ("dilated span taken as D·F", _mutate(_SIZE, "span = dilation * (kernel_size - 1) + 1",
                                              "span = dilation * kernel_size")),
        ("true division (a float)", _mutate(_SIZE, "// stride", "/ stride")),
        ("the right size as a float (np.floor of a true division)",
         _mutate(_SIZE, "return (n + 2 * padding - span) // stride + 1",
                 "return np.floor((n + 2 * padding - span) / stride) + 1")),
    ],
    "11.conv2d": [
        ("right values, but a Python loop over every example, filter and output position "
         "(far too slow)", _CONV_PER_PIXEL),
        ("forgets the bias in the forward pass",
         _mutate(_CONV, "out = out + b[None, :, None, None]", "out = out")),
        ("dx with the kernel not rotated by 180°",
         _mutate(_CONV, "rot = w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)",
                 "rot = w.transpose(1, 0, 2, 3)")),
        ("dx without swapping filters and channels (only works when F = C)",
         _mutate(_CONV, "rot = w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)",
                 "rot = w[:, :, ::-1, ::-1]")),
        ("db is a mean instead of a sum",
         _mutate(_CONV, "db = dout.sum(axis=(0, 2, 3))", "db = dout.mean(axis=(0, 2, 3))")),
        ("dw from the first example only",
         _mutate(_CONV, "dw = np.tensordot(dout, _windows(xp, KH, KW, S, D), axes=([0, 2, 3], [0, 2, 3]))",
                 "dw = np.tensordot(dout[:1], _windows(xp, KH, KW, S, D)[:1], "
                 "axes=([0, 2, 3], [0, 2, 3]))")),
        ("dx does not spread dout by the stride",
         _mutate(_mutate(_CONV, "    spread = np.zeros((N, F, (OH - 1) * S + 1, (OW - 1) * S + 1))\n", ""),
                 "spread[:, :, ::S, ::S] = dout", "spread = dout")),
    ],
    "11.conv_param_count": [
        ("forgets the biases", _mutate(_PARAMS, "+ int(bias)", "")),
        ("always counts the biases", _mutate(_PARAMS, "int(bias)", "1")),
        ("forgets the input channels", _mutate(_PARAMS, "in_channels * kh * kw", "kh * kw")),
        ("one bias per input channel",
         _mutate(_PARAMS, "+ int(bias)", "+ in_channels * int(bias)")),
    ],
    "11.conv_transpose_output_size": [
        ("n·S instead of (n − 1)·S", _mutate(_TSIZE, "(n - 1) * stride", "n * stride")),
        ("forgets output_padding", _mutate(_TSIZE, " + output_padding", "")),
        ("adds the padding", _mutate(_TSIZE, "- 2 * padding", "+ 2 * padding")),
        ("forgets the dilation", _mutate(_TSIZE, "dilation * (kernel_size - 1)",
                                         "(kernel_size - 1)")),
    ],
    "11.max_pool2d": [
        ("pads with zeros, which can win the max",
         _mutate(_MAX, "constant_values=-np.inf", "constant_values=0.0")),
        ("backward assigns instead of adding (overlapping windows)",
         _mutate(_MAX, "np.add.at(dxp, (n, c, rows, cols), dout)",
                 "dxp[n, c, rows, cols] = dout")),
        ("sends the gradient to every tied maximum", _MAX_ALL_TIES),
        ("on ties, the last maximum wins",
         _mutate(_MAX, "winner = flat.argmax(axis=-1)",
                 "winner = k * k - 1 - flat[..., ::-1].argmax(axis=-1)")),
        ("backward shares the gradient like average pooling",
         _mutate(_MAX, "np.add.at(dxp, (n, c, rows, cols), dout)",
                 "np.add.at(dxp, (n, c, rows, cols), dout / (k * k))")),
    ],
    "11.avg_pool2d": [
        ("excludes the padding from the count", _AVG_EXCLUDE_PAD),
        ("backward forgets to divide by the window size",
         _mutate(_AVG, "+= dout / (k * k)", "+= dout")),
        ("backward assigns instead of adding",
         _mutate(_AVG, "+= dout / (k * k)", "= dout / (k * k)")),
        ("stride defaults to 1",
         _mutate(_AVG, "k, s, p = kernel_size, stride or kernel_size, padding",
                 "k, s, p = kernel_size, stride or 1, padding")),
    ],
    "11.locally_connected": [
        ("shares position (0, 0)'s filters everywhere: a plain convolution",
         _mutate(_mutate(_LOCAL, "w[:, i, j], axes", "w[:, 0, 0], axes"), "b[:, i, j]", "b[:, 0, 0]")),
        ("forgets the bias", _mutate(_LOCAL, "            out[:, :, i, j] += b[:, i, j]\n", "")),
        ("one bias per filter, not per position", _mutate(_LOCAL, "b[:, i, j]", "b[:, 0, 0]")),
        ("windows step by one pixel whatever the stride",
         _mutate(_LOCAL, "xp[:, :, i * stride:i * stride + KH, j * stride:j * stride + KW]",
                 "xp[:, :, i:i + KH, j:j + KW]")),
        ("the grid of filters read transposed, w[:, j, i]",
         _mutate(_LOCAL, "w[:, i, j], axes", "w[:, j % OH, i % OW], axes")),
        ("forgets to pad", _mutate(_LOCAL, "(padding, padding), (padding, padding)", "(0, 0), (0, 0)")),
    ],
}
