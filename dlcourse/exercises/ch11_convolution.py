"""Exercises of chapter 11, convolution arithmetic."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlcourse import conv
from dlcourse import locally_connected as lc
from dlcourse.checking import Case, Exercise, close, exact
from dlcourse.checking.compare import parts
from dlcourse.checking.drivers import forward_backward

CHAPTER = "11"
NOTEBOOK = "11_convolution.ipynb"

# seed 004 §1.2.2 (the picture seed 001 §3.2.3 means: see the errata in the notebook)
SEED_IMAGE = np.array([
    [1, 1, 1, 0, 0],
    [0, 1, 1, 1, 0],
    [0, 0, 1, 1, 1],
    [0, 0, 1, 1, 0],
    [0, 1, 1, 0, 0],
], dtype=float)
SEED_KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=float)


def _size(rng: np.random.Generator, span: int, padding: int, extra: int = 6) -> int:
    """An input length whose padded size holds a window spanning ``span`` pixels."""
    low = max(1, span - 2 * padding)
    return int(rng.integers(low, low + extra))


def _sentence(text: str) -> str:
    return text + "."


# ---------------------------------------------------------------- conv2d_naive


def _naive_cases() -> list[Case]:
    return [
        Case((SEED_IMAGE, SEED_KERNEL), label="the seed's 5×5 image ⊛ 3×3 kernel, stride 1",
             expected=np.array([[4.0, 3.0, 4.0], [2.0, 4.0, 3.0], [2.0, 3.0, 4.0]])),
        Case((SEED_IMAGE, SEED_KERNEL, 2), label="the same with stride 2",
             expected=np.array([[4.0, 4.0], [2.0, 4.0]])),
        Case((SEED_IMAGE, SEED_KERNEL, 1, 1), label="the same with padding 1 (5×5 out)"),
        Case((np.arange(12.0).reshape(3, 4), np.array([[1.0, 2.0], [0.0, -1.0]])),
             label="a non-symmetric 2×2 kernel on a 3×4 image (is the kernel flipped?)"),
    ]


def _naive_random(rng: np.random.Generator) -> Case:
    kh, kw = (int(k) for k in rng.integers(1, 5, size=2))
    stride, padding = int(rng.integers(1, 4)), int(rng.integers(0, 3))
    h, w = _size(rng, kh, padding), _size(rng, kw, padding)
    return Case((rng.normal(size=(h, w)), rng.normal(size=(kh, kw)), stride, padding))


def _naive_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    image, kernel, *rest = case.args
    if not isinstance(got, np.ndarray):
        return None
    if got.shape == expected.shape:
        flipped = conv.conv2d_naive(image, kernel[::-1, ::-1], *rest)
        if np.allclose(got, flipped) and not np.allclose(flipped, expected):
            return ("that is true convolution (the kernel flipped by 180°); deep-learning "
                    "'convolution' slides the kernel as it is: A[i,j] = Σ K[m,n]·X[i·S+m, j·S+n].")
    elif got.ndim == 2:
        return (f"the output must be {expected.shape}: (H − KH + 2P)//S + 1 rows and "
                "(W − KW + 2P)//S + 1 columns.")
    return None


# ---------------------------------------------------------------- output sizes


def _size_cases() -> list[Case]:
    return [
        Case((5, 3), label="W1 = 5, F = 3 (the seed's example, stride 1)", expected=3),
        Case((5, 3, 2), label="W1 = 5, F = 3, S = 2: (5 − 3 + 0)/2 + 1", expected=2),
        Case((5, 3, 2, 1), label="the 5×5 input padded by 1 (7×7), F = 3, S = 2", expected=3),
        Case((28, 5), label="LeNet's first layer: 28 − 5 + 1", expected=24),
        Case((6, 3, 2), label="S does not divide W1 − F: round down", expected=2),
        Case((7, 3, 1, 0, 2), label="dilation 2: the 3 taps span 5 pixels", expected=3),
        Case((10, 3, 3, 2, 3), label="everything at once: (10 + 4 − 7)//3 + 1", expected=3),
    ]


def _size_random(rng: np.random.Generator) -> Case:
    k, s, p, d = (int(rng.integers(1, 6)), int(rng.integers(1, 5)), int(rng.integers(0, 4)),
                  int(rng.integers(1, 4)))
    n = _size(rng, d * (k - 1) + 1, p, extra=20)
    return Case((n, k, s, p, d))


def _size_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    n, k, s, p, d = (list(case.args) + [1, 0, 1][len(case.args) - 2:])[:5]
    if not isinstance(got, (int, float)):
        return "return a single integer."
    span = d * (k - 1) + 1
    mistakes = {
        "the dilation is missing (a dilated kernel spans D·(F − 1) + 1 pixels)":
            (n + 2 * p - k) // s + 1,
        "it rounds up (a window that does not fit entirely is skipped: round down)":
            -(-(n + 2 * p - span) // s) + 1,
        "the + 1 is missing (the first window sits at position 0)": (n + 2 * p - span) // s,
        "the padding is counted on one side only (it adds P rows at the top and P at the "
        "bottom: + 2P)": (n + p - span) // s + 1,
        "the dilated span is taken as D·F (it is D·(F − 1) + 1)": (n + 2 * p - d * k) // s + 1,
    }
    found = [what for what, value in mistakes.items() if value == got and value != expected]
    return _sentence("; or ".join(found)) if found else None


def _tsize_cases() -> list[Case]:
    return [
        Case((2, 3, 2), label="undo 5 → 2 (F = 3, S = 2)", expected=5),
        Case((2, 3, 2, 0, 1), label="undo 6 → 2: output_padding picks 6", expected=6),
        Case((3, 3, 2, 1), label="undo the padded 5 → 3 (P = 1, S = 2)", expected=5),
        Case((3, 3, 1, 0, 0, 2), label="dilation 2: undo 7 → 3", expected=7),
        Case((4, 4, 2, 1), label="the classic ×2 upsampling: F = 4, S = 2, P = 1", expected=8),
    ]


def _tsize_random(rng: np.random.Generator) -> Case:
    k, s, d = int(rng.integers(1, 6)), int(rng.integers(1, 5)), int(rng.integers(1, 4))
    op = int(rng.integers(0, max(s, d)))
    n = int(rng.integers(1, 12))
    p = int(rng.integers(0, 4))
    while (n - 1) * s - 2 * p + d * (k - 1) + op + 1 < 1:
        p -= 1
    return Case((n, k, s, p, op, d))


def _tsize_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    _n, k, s, p, op, d = (list(case.args) + [1, 0, 0, 1][len(case.args) - 2:])[:6]
    if not isinstance(got, (int, float)):
        return "return a single integer."
    mistakes = {
        "it uses n·S (n outputs need only n − 1 strides between them: (n − 1)·S)":
            expected + s,
        "the output_padding is missing (it adds its rows to one side of the output)":
            expected - op,
        "the padding is added (it is cropped from the output: − 2P)": expected + 4 * p,
        "the dilation is missing (the kernel spans D·(F − 1) + 1 pixels)":
            expected - (d - 1) * (k - 1),
    }
    found = [what for what, value in mistakes.items() if value == got and value != expected]
    return _sentence("; or ".join(found)) if found else None


# ---------------------------------------------------------------- conv2d forward/backward


def _conv_case(x, w, b, stride=1, padding=0, dilation=1, rng=None, label="", ones=False):
    _, _, h, wd = x.shape
    f, _, kh, kw = w.shape
    oh = conv.conv_output_size(h, kh, stride, padding, dilation)
    ow = conv.conv_output_size(wd, kw, stride, padding, dilation)
    shape = (x.shape[0], f, oh, ow)
    dout = np.ones(shape) if ones else rng.normal(size=shape)
    return Case((x, w, b, stride, padding, dilation), {"dout": dout}, label=label)


def _conv_cases() -> list[Case]:
    rng = np.random.default_rng(11)
    x7 = rng.integers(0, 3, size=(1, 3, 5, 5)).astype(float)      # pixels 0..2, as in the figure
    w7 = rng.integers(-1, 2, size=(2, 3, 3, 3)).astype(float)     # weights −1, 0, 1
    return [
        _conv_case(SEED_IMAGE[None, None], SEED_KERNEL[None, None], np.zeros(1), ones=True,
                   label="the seed's 5×5 ⊛ 3×3 example, dout = 1"),
        _conv_case(x7, w7, np.array([1.0, 0.0]), 2, 1, rng=rng,
                   label="the seed's 7×7×3 padded input, two 3×3×3 filters, stride 2"),
        _conv_case(rng.normal(size=(2, 2, 6, 7)), rng.normal(size=(3, 2, 2, 3)),
                   rng.normal(size=3), 1, 0, 1, rng=rng, label="2 images, 2 channels, 3 filters"),
        _conv_case(rng.normal(size=(1, 2, 8, 8)), rng.normal(size=(2, 2, 3, 3)),
                   rng.normal(size=2), 2, 1, 2, rng=rng, label="stride 2, padding 1, dilation 2"),
        _timed_conv_case(rng),
    ]


# The speed check: a vectorized conv2d takes about as long as np.einsum's plain C loop over the
# same sizes (1 to 15 times on the reference machine, the most with threads fighting over busy
# cores; a loop over the 64 output positions 2 to 10 times); a Python loop over every example,
# filter and position takes about 250 times (and 21 s in the chapter's timing cell).
SPEED_FACTOR = 60.0


def _timed_conv_case(rng: np.random.Generator) -> Case:
    N, C, H, F, K = 32, 4, 10, 8, 3
    case = _conv_case(rng.normal(size=(N, C, H, H)), rng.normal(size=(F, C, K, K)),
                      rng.normal(size=F), rng=rng,
                      label=f"timed: 32 images, 4 channels, 8 filters, at most "
                            f"{SPEED_FACTOR:g}× NumPy's einsum of the same sizes")
    out = H - K + 1
    windows, weights, grads = (N, C, out, out, K, K), (F, C, K, K), (N, F, out, out)
    speed = {"factor": SPEED_FACTOR,
             "einsums": [["ncijkl,fckl->nfij", [windows, weights]],     # forward
                         ["nfij,ncijkl->fckl", [grads, windows]],       # dw
                         ["nfij,fckl->ncijkl", [grads, weights]]]}      # dx, window by window
    return Case(case.args, {**case.kwargs, "speed": speed}, label=case.label)


def _conv_random(rng: np.random.Generator) -> Case:
    n, c, f = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 5))
    kh, kw = (int(k) for k in rng.integers(1, 5, size=2))
    stride, padding, dilation = (int(rng.integers(1, 4)), int(rng.integers(0, 3)),
                                 int(rng.integers(1, 3)))
    h = _size(rng, dilation * (kh - 1) + 1, padding)
    wd = _size(rng, dilation * (kw - 1) + 1, padding)
    return _conv_case(rng.normal(size=(n, c, h, wd)), rng.normal(size=(f, c, kh, kw)),
                      rng.normal(size=f), stride, padding, dilation, rng=rng)


def _conv_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    x, w, b, *_ = case.args
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None
    out = got[0]
    if isinstance(out, np.ndarray) and out.shape == expected[0].shape:
        if np.allclose(out, expected[0] - b[None, :, None, None]) and np.any(b != 0):
            return "the bias is missing: add b[f] to every position of filter f's map."
        if not np.allclose(out, expected[0], rtol=1e-9, atol=1e-11):
            return None
        grads = got[1]
        if isinstance(grads, (tuple, list)) and len(grads) == 3:
            dx, dw, db = grads
            if isinstance(db, np.ndarray) and db.shape == expected[1][2].shape and \
                    not np.allclose(db, expected[1][2]):
                return "db[f] is the sum of dout[:, f] over the batch and every position."
            if isinstance(dx, np.ndarray) and dx.shape == x.shape and \
                    not np.allclose(dx, expected[1][0]):
                return ("dx is the full convolution of dout (spread out by the stride, with "
                        "S − 1 zeros between entries) with the kernel rotated by 180°, summed "
                        "over the filters; or scatter each window's share back with col2im.")
            if isinstance(dw, np.ndarray) and dw.shape == w.shape and \
                    not np.allclose(dw, expected[1][1]):
                return ("dw[f, c, m, n] sums dout[n, f, i, j] times the pixel that tap (m, n) "
                        "met in window (i, j): dw = dout_matrix @ colsᵀ with im2col.")
    return None


# ---------------------------------------------------------------- conv_param_count


def _params_cases() -> list[Case]:
    return [
        Case((3, 2, 3), label="two 3×3×3 filters: (3·3·3 + 1)·2", expected=56),
        Case((3, 2, 3, False), label="the same without biases", expected=54),
        Case((1, 6, 5), label="LeNet's C1: six 5×5 filters on a grey image", expected=156),
        Case((6, 16, 5), label="6 maps to 16, 5×5 (LeNet's C3 if every map were connected)",
             expected=2416),
        Case((64, 128, (3, 1)), label="a 3×1 kernel", expected=24704),
    ]


def _params_random(rng: np.random.Generator) -> Case:
    k = int(rng.integers(1, 8))
    kernel = k if rng.random() < 0.6 else (k, int(rng.integers(1, 8)))
    return Case((int(rng.integers(1, 65)), int(rng.integers(1, 129)), kernel,
                 bool(rng.random() < 0.7)))


def _params_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    cin, cout, k, *rest = case.args
    bias = rest[0] if rest else True
    kh, kw = (k, k) if isinstance(k, int) else k
    if got == cin * kh * kw * cout and bias:
        return "each filter also has one bias: (C_in·KH·KW + 1)·C_out."
    if got == (cin * kh * kw + 1) * cout and not bias:
        return "bias=False: no bias, so C_in·KH·KW·C_out."
    if got == (kh * kw + 1) * cout:
        return "a filter has one KH×KW slice per input channel: C_in·KH·KW weights."
    return None


# ---------------------------------------------------------------- pooling


def _pool_case(x, kernel_size, stride=None, padding=0, rng=None, label=""):
    s = kernel_size if stride is None else stride
    oh = conv.conv_output_size(x.shape[2], kernel_size, s, padding)
    ow = conv.conv_output_size(x.shape[3], kernel_size, s, padding)
    dout = rng.normal(size=(x.shape[0], x.shape[1], oh, ow))
    return Case((x, kernel_size, stride, padding), {"dout": dout}, label=label)


def _pool_cases(kind: str = "max") -> list[Case]:
    rng = np.random.default_rng(4)
    overlap = "ties for the max" if kind == "max" else "each pixel in up to four windows"
    maps = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], dtype=float)
    return [
        _pool_case(maps[None, None], 2, rng=rng, label="2×2 pooling of a 4×4 map"),
        _pool_case(SEED_IMAGE[None, None], 2, 1, rng=rng,
                   label=f"overlapping 2×2 windows at stride 1 ({overlap})"),
        _pool_case(-1.0 - rng.random((1, 2, 5, 5)), 3, 2, 1, rng=rng,
                   label="negative values with padding 1"),
        _pool_case(rng.normal(size=(2, 3, 7, 6)), 3, 2, rng=rng,
                   label="2 images, 3 channels, odd and even sizes, stride 2"),
    ]


def _avg_pool_cases() -> list[Case]:
    return _pool_cases("avg")


def _pool_random(rng: np.random.Generator) -> Case:
    k = int(rng.integers(1, 5))
    stride = None if rng.random() < 0.3 else int(rng.integers(1, 4))
    padding = int(rng.integers(0, k // 2 + 1))
    h, w = _size(rng, k, padding), _size(rng, k, padding)
    x = rng.normal(size=(int(rng.integers(1, 4)), int(rng.integers(1, 4)), h, w))
    return _pool_case(x, k, stride, padding, rng=rng)


def _max_pool_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None
    out, dx = got
    if isinstance(out, np.ndarray) and out.shape == expected[0].shape and \
            not np.allclose(out, expected[0]) and case.args[3] > 0:
        return "pad with −∞ (not 0), so that the padding never wins the maximum."
    if isinstance(dx, np.ndarray) and dx.shape == expected[1].shape and \
            np.allclose(out, expected[0]):
        return ("each window's dout goes to one element, its winner (on ties the first maximum "
                "in row-major order, as torch does); a pixel that wins several overlapping "
                "windows collects the sum (+=, not =).")
    return None


def _avg_pool_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None
    out, dx = got
    if isinstance(out, np.ndarray) and out.shape == expected[0].shape and \
            not np.allclose(out, expected[0]) and case.args[3] > 0:
        return ("divide every window by KH·KW, padding included (torch's "
                "count_include_pad=True).")
    if isinstance(dx, np.ndarray) and dx.shape == expected[1].shape and \
            np.allclose(out, expected[0]):
        return ("each pixel of a window receives dout/(KH·KW); overlapping windows add up "
                "(+=, not =).")
    return None


# ---------------------------------------------------------------- locally connected


def _lc_case(x, w, b, stride=1, padding=0, label="", expected=None) -> Case:
    if expected is None:
        return Case((x, w, b, stride, padding), label=label)
    return Case((x, w, b, stride, padding), label=label, expected=expected)


def _lc_cases() -> list[Case]:
    rng = np.random.default_rng(15)
    w_seed, b_seed = lc.tie_weights(SEED_KERNEL[None, None], np.zeros(1), 3)
    # by hand: each of the four positions has its own one-hot 2×2 kernel and its own bias
    picks = np.zeros((1, 2, 2, 1, 2, 2))
    picks[0, 0, 0, 0, 0, 0] = 1.0     # window (0, 0): its top-left pixel, 1
    picks[0, 0, 1, 0, 0, 1] = 1.0     # window (0, 1): its top-right pixel, 3
    picks[0, 1, 0, 0, 1, 0] = 1.0     # window (1, 0): its bottom-left pixel, 7
    picks[0, 1, 1, 0, 1, 1] = 1.0     # window (1, 1): its bottom-right pixel, 9
    x7 = rng.integers(0, 3, size=(1, 3, 5, 5)).astype(float)
    return [
        _lc_case(SEED_IMAGE[None, None], w_seed, b_seed,
                 label="tied weights (the seed's kernel at every position): the conv map",
                 expected=np.array([[[[4.0, 3.0, 4.0], [2.0, 4.0, 3.0], [2.0, 3.0, 4.0]]]])),
        _lc_case(np.arange(1.0, 10.0).reshape(1, 1, 3, 3), picks,
                 np.array([[[0.0, 10.0], [20.0, 30.0]]]),
                 label="a different one-hot 2×2 kernel and bias at each of the 4 positions",
                 expected=np.array([[[[1.0, 13.0], [27.0, 39.0]]]])),
        _lc_case(x7, rng.integers(-1, 2, size=(2, 3, 3, 3, 3, 3)).astype(float),
                 rng.integers(-1, 2, size=(2, 3, 3)).astype(float), 2, 1,
                 label="the seed's 5×5×3 input padded by 1, two filters per position, stride 2"),
        _lc_case(rng.normal(size=(2, 2, 6, 7)), rng.normal(size=(3, 5, 5, 2, 2, 3)),
                 rng.normal(size=(3, 5, 5)), label="2 images, 2 channels, 3 filters, 2×3 kernel"),
        _lc_case(rng.normal(size=(1, 1, 7, 5)), rng.normal(size=(2, 3, 2, 1, 3, 3)),
                 rng.normal(size=(2, 3, 2)), 3, 1,
                 label="stride 3 with padding 1: a 3×2 grid of positions"),
    ]


def _lc_random(rng: np.random.Generator) -> Case:
    n, c, f = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
    kh, kw = (int(k) for k in rng.integers(1, 4, size=2))
    stride, padding = int(rng.integers(1, 4)), int(rng.integers(0, 2))
    h, wd = _size(rng, kh, padding), _size(rng, kw, padding)
    oh = conv.conv_output_size(h, kh, stride, padding)
    ow = conv.conv_output_size(wd, kw, stride, padding)
    return _lc_case(rng.normal(size=(n, c, h, wd)), rng.normal(size=(f, oh, ow, c, kh, kw)),
                    rng.normal(size=(f, oh, ow)), stride, padding)


def _lc_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    x, w, b, stride, padding = case.args
    if not isinstance(got, np.ndarray) or got.shape != np.shape(expected):
        return (f"return one array of shape (N, F, OH, OW) = {np.shape(expected)}: OH and OW "
                "are w.shape[1] and w.shape[2].")
    if np.allclose(got, expected - b[None]) and np.any(b != 0):
        return "the bias is missing: add b[f, i, j], each position's own bias."
    shared, _ = conv.conv2d_forward(x, w[:, 0, 0], b[:, 0, 0], stride, padding)
    if np.allclose(got, shared) and not np.allclose(shared, expected):
        return ("that is a convolution with the filters of position (0, 0) everywhere: use "
                "w[:, i, j] and b[:, i, j], the filters of output position (i, j).")
    if np.allclose(got, expected - b[None] + b[None, :, :1, :1]) and np.any(b != b[:, :1, :1]):
        return "each position has its own bias: b[f, i, j], not one bias per filter."
    return ("window (i, j) starts at row i·stride and column j·stride of the zero-padded "
            "input, and meets the filters w[:, i, j] of its own position.")


# ---------------------------------------------------------------- the list

_TIGHT = dict(rtol=1e-9, atol=1e-11)

EXERCISES = [
    Exercise(
        id="11.conv2d_naive",
        title="a naive conv2d with two loops: one channel, stride and padding",
        functions=("conv2d_naive",),
        reference=(conv.conv2d_naive,),
        cases=_naive_cases,
        random_case=_naive_random,
        compare=close(**_TIGHT),
        diagnose=_naive_diagnose,
        hint="pad with np.pad(image, padding); out[i, j] = np.sum(window * kernel) with the "
             "window starting at row i·stride, column j·stride.",
    ),
    Exercise(
        id="11.conv_output_size",
        title="the output size of a convolution: padding, stride and dilation",
        functions=("conv_output_size",),
        reference=(conv.conv_output_size,),
        cases=_size_cases,
        random_case=_size_random,
        compare=exact(),
        diagnose=_size_diagnose,
        hint="out = (n + 2P − D·(F − 1) − 1)//S + 1, integer division.",
    ),
    Exercise(
        id="11.conv2d",
        title="a vectorized conv2d layer: forward and backward, channels, filters and bias",
        functions=("conv2d_forward", "conv2d_backward"),
        arg_names=("x", "w", "b", "stride", "padding", "dilation"),
        reference=(conv.conv2d_forward, conv.conv2d_backward),
        cases=_conv_cases,
        random_case=_conv_random,
        compare=parts(("out", ("dx", "dw", "db")), **_TIGHT),
        driver=forward_backward,
        diagnose=_conv_diagnose,
        hint="im2col: gather every receptive field into a column, then one matrix product; "
             "backward: db = Σ dout, dw = dout_mat @ colsᵀ, dx = rot180 full convolution.",
        points=3.0,
    ),
    Exercise(
        id="11.conv_param_count",
        title="the number of parameters of a conv layer",
        functions=("conv_param_count",),
        reference=(conv.conv_param_count,),
        cases=_params_cases,
        random_case=_params_random,
        compare=exact(),
        diagnose=_params_diagnose,
        hint="each of the C_out filters has C_in·KH·KW weights and (with bias) one bias.",
    ),
    Exercise(
        id="11.conv_transpose_output_size",
        title="the output size of a transposed convolution",
        functions=("conv_transpose_output_size",),
        reference=(conv.conv_transpose_output_size,),
        cases=_tsize_cases,
        random_case=_tsize_random,
        compare=exact(),
        diagnose=_tsize_diagnose,
        hint="solve the convolution's size formula for its input: "
             "(n − 1)·S − 2P + D·(F − 1) + output_padding + 1.",
    ),
    Exercise(
        id="11.max_pool2d",
        title="max pooling: forward and backward",
        functions=("max_pool2d_forward", "max_pool2d_backward"),
        arg_names=("x", "kernel_size", "stride", "padding"),
        reference=(conv.max_pool2d_forward, conv.max_pool2d_backward),
        cases=_pool_cases,
        random_case=_pool_random,
        compare=parts(("out", "dx"), **_TIGHT),
        driver=forward_backward,
        diagnose=_max_pool_diagnose,
        hint="forward: the max of each window (−∞ padding); remember which element won. "
             "backward: the window's dout goes to its winner only.",
        points=2.0,
    ),
    Exercise(
        id="11.avg_pool2d",
        title="average pooling: forward and backward",
        functions=("avg_pool2d_forward", "avg_pool2d_backward"),
        arg_names=("x", "kernel_size", "stride", "padding"),
        reference=(conv.avg_pool2d_forward, conv.avg_pool2d_backward),
        cases=_avg_pool_cases,
        random_case=_pool_random,
        compare=parts(("out", "dx"), **_TIGHT),
        driver=forward_backward,
        diagnose=_avg_pool_diagnose,
        hint="forward: the sum of each window divided by KH·KW (zero padding counts); "
             "backward: every pixel of a window gets dout/(KH·KW).",
        points=2.0,
    ),
    Exercise(
        id="11.locally_connected",
        title="a locally connected layer: a convolution whose positions do not share weights",
        functions=("locally_connected2d",),
        reference=(lc.locally_connected2d,),
        cases=_lc_cases,
        random_case=_lc_random,
        compare=close(**_TIGHT),
        diagnose=_lc_diagnose,
        hint="pad x; for each output position (i, j) take the window xp[:, :, i·S : i·S + KH, "
             "j·S : j·S + KW] and contract it with w[:, i, j] over (C, KH, KW), plus b[:, i, j].",
    ),
]
