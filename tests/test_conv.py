"""dlcourse.conv against PyTorch (float64, autograd) and the numbers printed in the seeds."""

from __future__ import annotations

import itertools
import zlib

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse import conv
from dlcourse.conv import (
    CLASSIC_KERNELS,
    avg_pool2d_backward,
    avg_pool2d_forward,
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_forward,
    conv2d_naive,
    conv_output_size,
    conv_param_count,
    conv_transpose2d_backward,
    conv_transpose2d_forward,
    conv_transpose_output_size,
    filter_image,
    max_pool2d_backward,
    max_pool2d_forward,
)

RTOL, ATOL = 1e-10, 1e-12

# seed 004 (and the feature map printed in seed 001 §3.2.3)
IMAGE = np.array([
    [1, 1, 1, 0, 0],
    [0, 1, 1, 1, 0],
    [0, 0, 1, 1, 1],
    [0, 0, 1, 1, 0],
    [0, 1, 1, 0, 0],
], dtype=float)
KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=float)


def seed_of(*parts) -> int:
    """A stable seed per test case (Python's str hash changes from run to run)."""
    return zlib.crc32(repr(parts).encode())


def leaf(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float64, requires_grad=True)


def close(a, b) -> None:
    b = b.detach().numpy() if isinstance(b, torch.Tensor) else b
    np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)


# --------------------------------------------------------------------------- the seed example

def test_seed_feature_map_stride_1():
    expected = np.array([[4, 3, 4], [2, 4, 3], [2, 3, 4]], dtype=float)  # seed 001 §3.2.3
    np.testing.assert_array_equal(conv2d_naive(IMAGE, KERNEL), expected)


def test_seed_feature_map_stride_2():
    expected = np.array([[4, 4], [2, 4]], dtype=float)                   # seed 001 §3.2.3
    np.testing.assert_array_equal(conv2d_naive(IMAGE, KERNEL, stride=2), expected)


def test_seed_001_misprinted_row_gives_a_different_map():
    """Errata: seed 001 prints row 2 as 0 1 1 0 0; the printed map needs 0 1 1 1 0 (seed 004)."""
    misprinted = IMAGE.copy()
    misprinted[1] = [0, 1, 1, 0, 0]
    got = conv2d_naive(misprinted, KERNEL)
    np.testing.assert_array_equal(got, [[4, 3, 3], [2, 3, 3], [2, 3, 4]])
    assert not np.array_equal(got, conv2d_naive(IMAGE, KERNEL))


def test_seed_example_matches_torch():
    for stride in (1, 2):
        ref = F.conv2d(torch.tensor(IMAGE)[None, None], torch.tensor(KERNEL)[None, None],
                       stride=stride)[0, 0]
        close(conv2d_naive(IMAGE, KERNEL, stride=stride), ref)


def test_seed_output_size_formula():
    # W2 = (W1 − F + 2P)/S + 1 = (5 − 3 + 0)/2 + 1 = 2
    assert conv_output_size(5, 3, stride=2) == 2
    assert conv_output_size(5, 3) == 3
    # the 5×5×3 input padded by 1 (7×7×3), 3×3 filters, stride 2 → 3×3
    assert conv_output_size(5, 3, stride=2, padding=1) == 3


def test_seed_two_filter_volume():
    """Seed 001 §3.2.3: 7×7×3 padded input, two 3×3×3 filters, stride 2 → 3×3×2 output."""
    rng = np.random.default_rng(11)
    x = rng.integers(0, 3, size=(1, 3, 5, 5)).astype(float)    # the figure uses pixels 0..2
    w = rng.integers(-1, 2, size=(2, 3, 3, 3)).astype(float)   # and weights −1, 0, 1
    b = np.array([1.0, 0.0])                                   # b0 = 1, b1 = 0
    assert np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1))).shape[1:] == (3, 7, 7)
    out, _ = conv2d_forward(x, w, b, stride=2, padding=1)
    assert out.shape == (1, 2, 3, 3)
    close(out, F.conv2d(torch.tensor(x), torch.tensor(w), torch.tensor(b), stride=2, padding=1))
    assert conv_param_count(3, 2, 3) == 56 == w.size + b.size


# --------------------------------------------------------------------------- output sizes

def test_conv_output_size_matches_torch_on_a_grid():
    checked = 0
    for n, k, s, p, d in itertools.product(range(1, 10), range(1, 5), range(1, 4), range(3),
                                           range(1, 3)):
        x = torch.zeros(1, 1, n, 1, dtype=torch.float64)
        w = torch.zeros(1, 1, k, 1, dtype=torch.float64)
        try:
            expected = F.conv2d(x, w, stride=(s, 1), padding=(p, 0), dilation=(d, 1)).shape[2]
        except RuntimeError:
            with pytest.raises(ValueError, match="larger than the padded input"):
                conv_output_size(n, k, s, p, d)
            continue
        assert conv_output_size(n, k, s, p, d) == expected, (n, k, s, p, d)
        if d == 1 and (n - k + 2 * p) % s == 0:
            assert expected == (n - k + 2 * p) // s + 1       # the seed's formula, exactly
        checked += 1
    assert checked > 500


def test_conv_transpose_output_size_matches_torch_on_a_grid():
    checked = 0
    for n, k, s, p, op, d in itertools.product(range(1, 6), range(1, 4), range(1, 4), range(3),
                                               range(3), range(1, 3)):
        x = torch.zeros(1, 1, n, 1, dtype=torch.float64)
        w = torch.zeros(1, 1, k, 1, dtype=torch.float64)
        try:
            expected = F.conv_transpose2d(x, w, stride=(s, 1), padding=(p, 0),
                                          output_padding=(op, 0), dilation=(d, 1)).shape[2]
        except RuntimeError:
            with pytest.raises(ValueError):
                conv_transpose_output_size(n, k, s, p, op, d)
            continue
        got = conv_transpose_output_size(n, k, s, p, op, d)
        assert got == expected, (n, k, s, p, op, d)
        # the convolution with the same settings maps the output back to n
        assert conv_output_size(got, k, s, p, d) == n or op >= s
        checked += 1
    assert checked > 300


@pytest.mark.parametrize("call, match", [
    (lambda: conv_output_size(4, 5), "larger than the padded input"),
    (lambda: conv_output_size(4, 3, dilation=2), "dilated by 2"),
    (lambda: conv_output_size(5, 3, stride=0), "stride must be at least 1"),
    (lambda: conv_output_size(5, 3, padding=-1), "padding must be at least 0"),
    (lambda: conv_output_size(0, 3), "n \\(the input length\\) must be at least 1"),
    (lambda: conv_output_size(5, 0), "kernel_size must be at least 1"),
    (lambda: conv_output_size(5, 3, dilation=0), "dilation must be at least 1"),
    (lambda: conv_transpose_output_size(4, 3, stride=2, output_padding=2), "output_padding"),
    (lambda: conv_transpose_output_size(1, 1, padding=1), "removes the whole output"),
])
def test_output_size_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("bad", [1.5, "2", True, None])
def test_output_size_rejects_non_integers(bad):
    with pytest.raises(TypeError, match="must be an integer"):
        conv_output_size(5, 3, stride=bad)


# --------------------------------------------------------------------------- naive conv

@pytest.mark.parametrize("H, W, KH, KW, stride, padding", [
    (5, 5, 3, 3, 1, 0), (6, 7, 2, 3, 1, 1), (8, 5, 3, 2, 2, 0), (9, 10, 4, 4, 3, 2),
    (4, 4, 4, 4, 1, 0), (7, 6, 1, 1, 2, 1),
])
def test_conv2d_naive_matches_torch(H, W, KH, KW, stride, padding):
    rng = np.random.default_rng(H * 100 + W)
    image, kernel = rng.normal(size=(H, W)), rng.normal(size=(KH, KW))
    ref = F.conv2d(torch.tensor(image)[None, None], torch.tensor(kernel)[None, None],
                   stride=stride, padding=padding)[0, 0]
    close(conv2d_naive(image, kernel, stride, padding), ref)


def test_conv2d_naive_is_cross_correlation_not_convolution():
    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=(6, 6)), rng.normal(size=(3, 3))
    flipped = conv2d_naive(image, kernel[::-1, ::-1])
    assert not np.allclose(conv2d_naive(image, kernel), flipped)


def test_conv2d_naive_errors():
    with pytest.raises(ValueError, match=r"image must be a 2-D array laid out as \(H, W\)"):
        conv2d_naive(np.zeros((1, 5, 5)), KERNEL)
    with pytest.raises(ValueError, match="larger than the padded input"):
        conv2d_naive(np.zeros((2, 2)), KERNEL)


# --------------------------------------------------------------------------- conv2d vectorized

CONV_CASES = [
    # N, C, H, W, F, KH, KW, stride, padding, dilation
    (2, 3, 7, 8, 4, 3, 3, 1, 0, 1),
    (1, 1, 5, 5, 1, 3, 3, 2, 0, 1),
    (3, 2, 8, 6, 5, 3, 2, 2, 1, 1),
    (2, 4, 9, 9, 3, 3, 3, 1, 2, 2),
    (4, 1, 10, 7, 2, 2, 4, (2, 1), (0, 2), (1, 2)),
    (1, 3, 6, 6, 2, 1, 1, 3, 1, 1),
    (2, 2, 11, 12, 3, 5, 5, 3, 2, 1),
    (2, 3, 4, 4, 2, 4, 4, 1, 0, 1),
    (5, 2, 12, 10, 3, 3, 3, 2, (1, 0), 3),
]


@pytest.mark.parametrize("case", CONV_CASES)
def test_conv2d_forward_backward_match_torch(case):
    N, C, H, W, Fo, KH, KW, stride, padding, dilation = case
    rng = np.random.default_rng(seed_of(case))
    x, w, b = rng.normal(size=(N, C, H, W)), rng.normal(size=(Fo, C, KH, KW)), rng.normal(size=Fo)
    xt, wt, bt = leaf(x), leaf(w), leaf(b)
    ref = F.conv2d(xt, wt, bt, stride, padding, dilation)
    out, cache = conv2d_forward(x, w, b, stride, padding, dilation)
    assert out.shape == tuple(ref.shape)
    close(out, ref)
    dout = rng.normal(size=out.shape)
    ref.backward(torch.tensor(dout))
    dx, dw, db = conv2d_backward(dout, cache)
    close(dx, xt.grad)
    close(dw, wt.grad)
    close(db, bt.grad)


@pytest.mark.parametrize("H, W, KH, KW, stride, padding", [
    (5, 5, 3, 3, 1, 0), (7, 6, 3, 2, 1, 0), (8, 9, 3, 3, 2, 0), (7, 7, 2, 3, 3, 1),
    (6, 5, 4, 2, 2, 2),
])
def test_rot180_rule_equals_vectorized_backward(H, W, KH, KW, stride, padding):
    rng = np.random.default_rng(H * KH + W)
    image, kernel = rng.normal(size=(H, W)), rng.normal(size=(KH, KW))
    out, cache = conv2d_forward(image[None, None], kernel[None, None], np.zeros(1), stride,
                                padding)
    dout = rng.normal(size=out.shape[2:])
    dx, dw, _ = conv2d_backward(dout[None, None], cache)
    dimage, dkernel = conv2d_backward_naive(dout, image, kernel, stride, padding)
    close(dimage, dx[0, 0])
    close(dkernel, dw[0, 0])
    if stride == 1 and padding == 0:
        # dX = full convolution of dout with the kernel turned by 180°
        full = np.pad(dout, ((KH - 1, KH - 1), (KW - 1, KW - 1)))
        close(dimage, conv2d_naive(full, np.rot90(kernel, 2)))


def test_conv2d_backward_naive_matches_autograd():
    rng = np.random.default_rng(3)
    image, kernel, dout = rng.normal(size=(6, 7)), rng.normal(size=(3, 3)), None
    it, kt = leaf(image), leaf(kernel)
    ref = F.conv2d(it[None, None], kt[None, None], stride=2, padding=1)[0, 0]
    dout = rng.normal(size=tuple(ref.shape))
    ref.backward(torch.tensor(dout))
    dimage, dkernel = conv2d_backward_naive(dout, image, kernel, stride=2, padding=1)
    close(dimage, it.grad)
    close(dkernel, kt.grad)


def test_conv2d_accepts_torch_tensors_and_returns_float64():
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(1, 2, 5, 5, generator=gen)
    w = torch.randn(3, 2, 3, 3, generator=gen)
    out, _ = conv2d_forward(x, w, torch.zeros(3))
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    np.testing.assert_allclose(out, F.conv2d(x.double(), w.double()).numpy(), rtol=1e-10)


def test_conv2d_errors_are_clear():
    x, w, b = np.zeros((2, 3, 6, 6)), np.zeros((4, 3, 3, 3)), np.zeros(4)
    with pytest.raises(ValueError, match=r"\(N, C, H, W\).*x\[None\]"):
        conv2d_forward(np.zeros((3, 6, 6)), w, b)
    with pytest.raises(ValueError, match="channels of x"):
        conv2d_forward(np.zeros((2, 2, 6, 6)), w, b)
    with pytest.raises(ValueError, match="biases b"):
        conv2d_forward(x, w, np.zeros(3))
    with pytest.raises(ValueError, match="larger than the padded input"):
        conv2d_forward(np.zeros((1, 3, 2, 2)), w, b)
    with pytest.raises(ValueError, match="stride must be at least 1"):
        conv2d_forward(x, w, b, stride=0)
    with pytest.raises(ValueError, match="pair"):
        conv2d_forward(x, w, b, stride=(1, 2, 3))
    with pytest.raises(TypeError, match="array-like of numbers"):
        conv2d_forward("image", w, b)
    _, cache = conv2d_forward(x, w, b)
    with pytest.raises(ValueError, match="forward output's shape"):
        conv2d_backward(np.zeros((2, 4, 3, 3)), cache)


# --------------------------------------------------------------------------- transposed conv

TRANSPOSE_CASES = [
    # N, C_in, H, W, C_out, KH, KW, stride, padding, output_padding, dilation
    (2, 3, 4, 5, 2, 3, 3, 1, 0, 0, 1),
    (1, 2, 5, 5, 3, 3, 3, 2, 1, 1, 1),
    (3, 4, 3, 6, 2, 2, 4, (2, 3), (0, 1), (1, 2), 1),
    (2, 1, 4, 4, 2, 3, 2, 1, 1, 1, 2),
    (2, 2, 6, 3, 1, 4, 4, 3, 2, 2, 1),
    (1, 3, 3, 3, 4, 3, 3, 2, 0, 0, (2, 3)),
]


@pytest.mark.parametrize("case", TRANSPOSE_CASES)
def test_conv_transpose2d_matches_torch(case):
    N, Cin, H, W, Cout, KH, KW, stride, padding, output_padding, dilation = case
    rng = np.random.default_rng(seed_of(case))
    x, w, b = (rng.normal(size=(N, Cin, H, W)), rng.normal(size=(Cin, Cout, KH, KW)),
               rng.normal(size=Cout))
    xt, wt, bt = leaf(x), leaf(w), leaf(b)
    ref = F.conv_transpose2d(xt, wt, bt, stride, padding, output_padding, 1, dilation)
    out, cache = conv_transpose2d_forward(x, w, b, stride, padding, output_padding, dilation)
    assert out.shape == tuple(ref.shape)
    close(out, ref)
    dout = rng.normal(size=out.shape)
    ref.backward(torch.tensor(dout))
    dx, dw, db = conv_transpose2d_backward(dout, cache)
    close(dx, xt.grad)
    close(dw, wt.grad)
    close(db, bt.grad)


@pytest.mark.parametrize("H, K, stride, padding, dilation", [
    (7, 3, 2, 1, 1), (8, 3, 2, 1, 1), (9, 2, 3, 0, 1), (10, 3, 1, 2, 2), (11, 3, 3, 1, 2),
])
def test_conv_transpose_is_the_input_gradient_of_conv(H, K, stride, padding, dilation):
    rng = np.random.default_rng(H + K)
    x, w = rng.normal(size=(2, 3, H, H)), rng.normal(size=(4, 3, K, K))
    out, cache = conv2d_forward(x, w, np.zeros(4), stride, padding, dilation)
    dout = rng.normal(size=out.shape)
    dx, _, _ = conv2d_backward(dout, cache)
    # the rows the convolution's last window did not reach come back as output_padding
    extra = (H + 2 * padding - dilation * (K - 1) - 1) % stride
    up, _ = conv_transpose2d_forward(dout, w, np.zeros(3), stride, padding, extra, dilation)
    assert up.shape == x.shape
    close(up, dx)


# --------------------------------------------------------------------------- pooling

POOL_CASES = [
    # N, C, H, W, kernel, stride, padding
    (2, 3, 8, 8, 2, None, 0),
    (1, 2, 7, 9, 3, 2, 1),
    (3, 1, 6, 5, 3, 1, 1),
    (2, 2, 9, 8, (2, 3), (1, 2), (1, 1)),
    (1, 4, 5, 5, 5, None, 2),
    (2, 3, 10, 7, 4, 3, 2),
]


@pytest.mark.parametrize("case", POOL_CASES)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pooling_matches_torch(case, kind):
    N, C, H, W, k, s, p = case
    fwd, bwd, ref_fn = {
        "max": (max_pool2d_forward, max_pool2d_backward, F.max_pool2d),
        "avg": (avg_pool2d_forward, avg_pool2d_backward, F.avg_pool2d),
    }[kind]
    rng = np.random.default_rng(seed_of(case, kind))
    x = rng.normal(size=(N, C, H, W))
    xt = leaf(x)
    ref = ref_fn(xt, k, s, p)
    out, cache = fwd(x, k, s, p)
    assert out.shape == tuple(ref.shape)
    close(out, ref)
    dout = rng.normal(size=out.shape)
    ref.backward(torch.tensor(dout))
    close(bwd(dout, cache), xt.grad)


@pytest.mark.parametrize("case", POOL_CASES)
def test_max_pool_ties_route_like_torch(case):
    """Small integer images have many ties; the first maximum of a window gets the gradient."""
    N, C, H, W, k, s, p = case
    rng = np.random.default_rng(5)
    x = rng.integers(0, 3, size=(N, C, H, W)).astype(float)
    xt = leaf(x)
    ref = F.max_pool2d(xt, k, s, p)
    out, cache = max_pool2d_forward(x, k, s, p)
    close(out, ref)
    dout = rng.normal(size=out.shape)
    ref.backward(torch.tensor(dout))
    close(max_pool2d_backward(dout, cache), xt.grad)


def _torch_max_pool(x, k, s, p, dout):
    xt = leaf(x)
    ref = F.max_pool2d(xt, k, s, p)
    ref.backward(torch.tensor(dout))
    return ref.detach().numpy(), xt.grad.numpy()


MINUS_INF_AND_NAN_CASES = [(1, 1, 3, 3, 3, 1, 1), (2, 2, 5, 6, 3, 2, 1), (1, 3, 4, 4, 2, 1, 1),
                           (2, 1, 7, 5, (3, 2), (2, 1), (1, 1)), (1, 2, 6, 6, 4, 2, 2)]


@pytest.mark.parametrize("case", MINUS_INF_AND_NAN_CASES)
@pytest.mark.parametrize("fast", [False, True], ids=["readable", "fast"])
def test_max_pool_with_minus_infinity_never_routes_to_padding(case, fast):
    """A window whose real pixels are all −∞ sends its gradient to its first real pixel, as
    torch does; a padded position (also −∞) must never receive it."""
    N, C, H, W, k, s, p = case
    fwd, bwd = ((conv._max_pool2d_forward_fast, conv._max_pool2d_backward_fast) if fast
                else (max_pool2d_forward, max_pool2d_backward))
    rng = np.random.default_rng(seed_of(case))
    for x in (np.full((N, C, H, W), -np.inf),
              np.where(rng.random((N, C, H, W)) < 0.7, -np.inf, rng.normal(size=(N, C, H, W)))):
        out, cache = fwd(x, k, s, p)
        dout = rng.normal(size=out.shape)
        ref_out, ref_dx = _torch_max_pool(x, k, s, p, dout)
        np.testing.assert_array_equal(out, ref_out)
        close(bwd(dout, cache), ref_dx)
        assert np.isclose(bwd(dout, cache).sum(), dout.sum()), "gradient lost to the padding"


@pytest.mark.parametrize("case", MINUS_INF_AND_NAN_CASES + POOL_CASES)
@pytest.mark.parametrize("fast", [False, True], ids=["readable", "fast"])
def test_max_pool_routes_the_gradient_to_nan_like_torch(case, fast):
    """NaN beats every number: the window's output is NaN and its gradient goes to its last
    NaN (torch's kernel replaces the best so far by any NaN it meets)."""
    N, C, H, W, k, s, p = case
    fwd, bwd = ((conv._max_pool2d_forward_fast, conv._max_pool2d_backward_fast) if fast
                else (max_pool2d_forward, max_pool2d_backward))
    rng = np.random.default_rng(seed_of(case, "nan"))
    x = rng.integers(-2, 3, size=(N, C, H, W)).astype(float)      # ties too
    x[rng.random(x.shape) < 0.25] = np.nan
    x[rng.random(x.shape) < 0.15] = -np.inf
    out, cache = fwd(x, k, s, p)
    dout = rng.normal(size=out.shape)
    ref_out, ref_dx = _torch_max_pool(x, k, s, p, dout)
    np.testing.assert_array_equal(out, ref_out)                  # NaN where torch has NaN
    assert np.isnan(out).any()
    close(bwd(dout, cache), ref_dx)


def test_max_pool_nan_goes_to_the_last_nan_of_its_window():
    x = np.array([[[[np.nan, 5.0], [3.0, np.nan]]]])
    for fwd, bwd in ((max_pool2d_forward, max_pool2d_backward),
                     (conv._max_pool2d_forward_fast, conv._max_pool2d_backward_fast)):
        out, cache = fwd(x, 2)
        assert np.isnan(out[0, 0, 0, 0])
        np.testing.assert_array_equal(bwd(np.ones((1, 1, 1, 1)), cache)[0, 0], [[0, 0], [0, 1]])


# --------------------------------------------------------------------------- fast paths

@pytest.mark.parametrize("case", CONV_CASES)
def test_conv2d_fast_backward_equals_the_readable_one(case):
    N, C, H, W, Fo, KH, KW, stride, padding, dilation = case
    rng = np.random.default_rng(seed_of(case, "fast"))
    x, w, b = rng.normal(size=(N, C, H, W)), rng.normal(size=(Fo, C, KH, KW)), rng.normal(size=Fo)
    out, cache = conv2d_forward(x, w, b, stride, padding, dilation)
    dout = rng.normal(size=out.shape)
    for fast, readable in zip(conv._conv2d_backward_fast(dout, cache),
                              conv2d_backward(dout, cache), strict=True):
        close(fast, readable)
    with pytest.raises(ValueError, match="forward output's shape"):
        conv._conv2d_backward_fast(np.zeros((N, Fo, out.shape[2] + 1, out.shape[3])), cache)


@pytest.mark.parametrize("case", POOL_CASES)
def test_pooling_fast_paths_equal_the_readable_ones(case):
    N, C, H, W, k, s, p = case
    rng = np.random.default_rng(seed_of(case, "fast"))
    x = rng.integers(0, 3, size=(N, C, H, W)).astype(float)        # ties
    x[0, 0, 0, 0] = np.nan
    out, cache = max_pool2d_forward(x, k, s, p)
    fast_out, fast_cache = conv._max_pool2d_forward_fast(x, k, s, p)
    np.testing.assert_array_equal(fast_out, out)
    np.testing.assert_array_equal(fast_cache[1], cache[1])          # the same winners
    dout = rng.normal(size=out.shape)
    close(conv._max_pool2d_backward_fast(dout, cache), max_pool2d_backward(dout, cache))
    out, cache = avg_pool2d_forward(x, k, s, p)
    fast_out, fast_cache = conv._avg_pool2d_forward_fast(x, k, s, p)
    np.testing.assert_allclose(fast_out, out, rtol=1e-14, atol=0, equal_nan=True)
    assert fast_cache == cache


def test_pooling_stride_defaults_to_kernel_size():
    x = np.arange(2 * 16, dtype=float).reshape(1, 2, 4, 4)
    out, _ = max_pool2d_forward(x, 2)
    np.testing.assert_array_equal(out[0, 0], [[5, 7], [13, 15]])
    out, _ = avg_pool2d_forward(x, 2)
    np.testing.assert_array_equal(out[0, 0], [[2.5, 4.5], [10.5, 12.5]])


def test_pooling_errors():
    x = np.zeros((1, 1, 6, 6))
    with pytest.raises(ValueError, match="at most half the kernel size"):
        max_pool2d_forward(x, 2, padding=2)
    with pytest.raises(ValueError, match="larger than the padded input"):
        avg_pool2d_forward(x, 7)
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        max_pool2d_forward(np.zeros((6, 6)), 2)
    _, cache = max_pool2d_forward(x, 2)
    with pytest.raises(ValueError, match="forward output's shape"):
        max_pool2d_backward(np.zeros((1, 1, 2, 2)), cache)
    _, cache = avg_pool2d_forward(x, 2)
    with pytest.raises(ValueError, match="forward output's shape"):
        avg_pool2d_backward(np.zeros((1, 1, 2, 2)), cache)


# --------------------------------------------------------------------------- parameter count

def test_conv_param_count_seed():
    assert conv_param_count(3, 2, 3) == (3 * 3 * 3 + 1) * 2 == 56


@pytest.mark.parametrize("cin, cout, k, bias", [
    (1, 6, 5, True), (6, 16, 5, True), (3, 64, (3, 5), False), (16, 1, 1, True),
])
def test_conv_param_count_matches_torch(cin, cout, k, bias):
    layer = torch.nn.Conv2d(cin, cout, k, bias=bias)
    assert conv_param_count(cin, cout, k, bias) == sum(p.numel() for p in layer.parameters())


def test_conv_param_count_errors():
    with pytest.raises(ValueError, match="in_channels"):
        conv_param_count(0, 2, 3)
    with pytest.raises(TypeError, match="bias must be True or False"):
        conv_param_count(3, 2, 3, bias=1)


# --------------------------------------------------------------------------- classic kernels

def test_classic_kernels_are_the_seed_004_set():
    assert set(CLASSIC_KERNELS) == {
        "identity", "edge_diagonal", "edge_laplacian4", "edge_laplacian8", "sharpen",
        "box_blur", "gaussian_blur",
    }
    for k in CLASSIC_KERNELS.values():
        assert k.shape == (3, 3) and k.dtype == np.float64
        assert not k.flags.writeable
        np.testing.assert_array_equal(k, k[::-1, ::-1])   # correlation = convolution here
    for name in ("box_blur", "gaussian_blur", "identity", "sharpen"):
        assert np.isclose(CLASSIC_KERNELS[name].sum(), 1.0)
    for name in ("edge_diagonal", "edge_laplacian4", "edge_laplacian8"):
        assert CLASSIC_KERNELS[name].sum() == 0
    assert CLASSIC_KERNELS["gaussian_blur"][1, 1] == 4 / 16
    assert CLASSIC_KERNELS["box_blur"][0, 0] == 1 / 9


@pytest.mark.parametrize("name", sorted(CLASSIC_KERNELS))
def test_filter_image_matches_torch_and_keeps_size(name):
    rng = np.random.default_rng(len(name))
    image = rng.uniform(size=(9, 12))
    out = filter_image(image, name)
    assert out.shape == image.shape
    kernel = torch.tensor(np.array(CLASSIC_KERNELS[name]))[None, None]
    close(out, F.conv2d(torch.tensor(image)[None, None], kernel, padding=1)[0, 0])


def test_filter_image_behaviour():
    rng = np.random.default_rng(1)
    image = rng.uniform(size=(8, 8))
    close(filter_image(image, "identity"), image)
    # sharpen = identity − 4-neighbour Laplacian
    close(filter_image(image, "sharpen"), image - filter_image(image, "edge_laplacian4"))
    flat = np.full((6, 6), 0.7)
    for name in ("edge_diagonal", "edge_laplacian4", "edge_laplacian8"):
        close(filter_image(flat, name)[1:-1, 1:-1], np.zeros((4, 4)))
    for name in ("box_blur", "gaussian_blur"):
        close(filter_image(flat, name)[1:-1, 1:-1], np.full((4, 4), 0.7))
    custom = np.ones((5, 5)) / 25
    assert filter_image(image, custom).shape == image.shape
    assert filter_image(image, "Box_Blur").shape == image.shape


def test_filter_image_errors():
    with pytest.raises(ValueError, match=r"unknown kernel name 'blur'.*box_blur"):
        filter_image(np.zeros((4, 4)), "blur")
    with pytest.raises(ValueError, match="odd size"):
        filter_image(np.zeros((4, 4)), np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"\(H, W\)"):
        filter_image(np.zeros((1, 4, 4)), "identity")


# --------------------------------------------------------------------------- purity

def test_no_function_modifies_its_inputs():
    rng = np.random.default_rng(9)
    x, w, b = rng.normal(size=(2, 3, 7, 7)), rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4)
    originals = [a.copy() for a in (x, w, b)]
    out, cache = conv2d_forward(x, w, b, 2, 1, 1)
    dout = rng.normal(size=out.shape)
    dout0 = dout.copy()
    conv2d_backward(dout, cache)
    wt = rng.normal(size=(3, 2, 3, 3))
    wt0 = wt.copy()
    up, tcache = conv_transpose2d_forward(x, wt, b[:2], 2, 1, 1)
    conv_transpose2d_backward(np.ones_like(up), tcache)
    for fwd, bwd in ((max_pool2d_forward, max_pool2d_backward),
                     (avg_pool2d_forward, avg_pool2d_backward)):
        pooled, pcache = fwd(x, 3, 2, 1)
        g = np.ones_like(pooled)
        bwd(g, pcache)
        np.testing.assert_array_equal(g, 1.0)
    img, ker = x[0, 0].copy(), w[0, 0].copy()
    conv2d_naive(x[0, 0], w[0, 0], 2, 1)
    d = rng.normal(size=(4, 4))
    d0 = d.copy()
    conv2d_backward_naive(d, x[0, 0], w[0, 0], 2, 1)
    filter_image(x[0, 0], "sharpen")
    for a, a0 in zip((x, w, b), originals, strict=True):
        np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(dout, dout0)
    np.testing.assert_array_equal(wt, wt0)
    np.testing.assert_array_equal(d, d0)
    np.testing.assert_array_equal(x[0, 0], img)
    np.testing.assert_array_equal(w[0, 0], ker)


def test_public_api_is_listed():
    for name in conv.__all__:
        assert callable(getattr(conv, name)) or name == "CLASSIC_KERNELS"
