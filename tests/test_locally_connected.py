"""dlcourse.locally_connected against a loop, against conv2d when tied, and against a locally
connected layer built in PyTorch from ``F.unfold`` (forward and autograd), in float64."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.conv import conv2d_forward, conv_output_size, conv_param_count
from dlcourse.locally_connected import (
    locally_connected2d,
    locally_connected2d_backward,
    locally_connected2d_forward,
    locally_connected2d_naive,
    locally_connected_param_count,
    tie_weights,
)

RTOL, ATOL = 1e-10, 1e-12
IMAGE = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0],
                  [0, 1, 1, 0, 0]], dtype=float)           # seed 004 / seed 001 §3.2.3
KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=float)

# (N, C, F, H, W, KH, KW, S, P): square and oblong, strides that skip pixels, padding
SETTINGS = [(1, 1, 1, 5, 5, 3, 3, 1, 0), (2, 3, 2, 5, 5, 3, 3, 2, 1), (3, 2, 4, 7, 6, 2, 3, 1, 0),
            (2, 1, 3, 6, 9, 3, 2, 2, 0), (1, 4, 2, 4, 4, 4, 4, 1, 2), (2, 2, 3, 8, 7, 3, 3, 3, 1),
            (1, 1, 1, 1, 1, 1, 1, 1, 0)]


def _random_layer(setting):
    N, C, F_, H, W, KH, KW, S, P = setting
    rng = np.random.default_rng(zlib.crc32(repr(setting).encode()))
    OH, OW = conv_output_size(H, KH, S, P), conv_output_size(W, KW, S, P)
    return (rng.normal(size=(N, C, H, W)), rng.normal(size=(F_, OH, OW, C, KH, KW)),
            rng.normal(size=(F_, OH, OW)), S, P)


def torch_locally_connected(x, w, b, stride, padding):
    """An independent locally connected layer: unfold every window, then one filter bank per
    position (einsum over channel·taps)."""
    F_, OH, OW, C, KH, KW = w.shape
    cols = F.unfold(x, (KH, KW), padding=padding, stride=stride)        # (N, C·KH·KW, OH·OW)
    cols = cols.reshape(x.shape[0], C * KH * KW, OH, OW)
    return torch.einsum("nrij,fijr->nfij", cols, w.reshape(F_, OH, OW, -1)) + b


def leaf(a):
    return torch.tensor(a, dtype=torch.float64, requires_grad=True)


@pytest.mark.parametrize("setting", SETTINGS, ids=str)
def test_forward_equals_the_loop_and_torch(setting):
    x, w, b, S, P = _random_layer(setting)
    out = locally_connected2d(x, w, b, S, P)
    np.testing.assert_allclose(out, locally_connected2d_naive(x, w, b, S, P), RTOL, ATOL)
    ref = torch_locally_connected(torch.tensor(x), torch.tensor(w), torch.tensor(b), S, P)
    np.testing.assert_allclose(out, ref.numpy(), RTOL, ATOL)


@pytest.mark.parametrize("setting", SETTINGS, ids=str)
def test_backward_equals_autograd(setting):
    x, w, b, S, P = _random_layer(setting)
    out, cache = locally_connected2d_forward(x, w, b, S, P)
    dout = np.random.default_rng(1).normal(size=out.shape)
    dx, dw, db = locally_connected2d_backward(dout, cache)
    xt, wt, bt = leaf(x), leaf(w), leaf(b)
    torch_locally_connected(xt, wt, bt, S, P).backward(torch.tensor(dout))
    for mine, theirs in ((dx, xt), (dw, wt), (db, bt)):
        assert mine.shape == theirs.shape
        np.testing.assert_allclose(mine, theirs.grad.numpy(), RTOL, ATOL)


@pytest.mark.parametrize("setting", SETTINGS, ids=str)
def test_tied_weights_give_conv2d(setting):
    N, C, F_, H, W, KH, KW, S, P = setting
    rng = np.random.default_rng(5)
    x, wc, bc = rng.normal(size=(N, C, H, W)), rng.normal(size=(F_, C, KH, KW)), rng.normal(size=F_)
    OH, OW = conv_output_size(H, KH, S, P), conv_output_size(W, KW, S, P)
    w, b = tie_weights(wc, bc, (OH, OW))
    assert w.shape == (F_, OH, OW, C, KH, KW) and b.shape == (F_, OH, OW)
    assert w.flags.writeable and not np.shares_memory(w, wc)
    out = locally_connected2d(x, w, b, S, P)
    ref = F.conv2d(torch.tensor(x), torch.tensor(wc), torch.tensor(bc), stride=S, padding=P)
    np.testing.assert_allclose(out, ref.numpy(), RTOL, ATOL)
    np.testing.assert_allclose(out, conv2d_forward(x, wc, bc, S, P)[0], RTOL, ATOL)


def test_untying_one_position_changes_only_that_output():
    x, w, b, S, P = _random_layer((2, 2, 3, 6, 6, 3, 3, 1, 0))
    before = locally_connected2d(x, w, b, S, P)
    w2 = w.copy()
    w2[1, 2, 3] += 1.0
    changed = locally_connected2d(x, w2, b, S, P) != before
    expected = np.zeros_like(changed)
    expected[:, 1, 2, 3] = True
    np.testing.assert_array_equal(changed, expected)


def test_seed_feature_map_with_tied_weights():
    w, b = tie_weights(KERNEL[None, None], np.zeros(1), 3)
    out = locally_connected2d(IMAGE[None, None], w, b)
    np.testing.assert_array_equal(out[0, 0], [[4, 3, 4], [2, 4, 3], [2, 3, 4]])
    w2, b2 = tie_weights(KERNEL[None, None], np.zeros(1), 2)
    np.testing.assert_array_equal(locally_connected2d(IMAGE[None, None], w2, b2, stride=2)[0, 0],
                                  [[4, 4], [2, 4]])


def test_param_counts():
    # seed 001's layer: 5×5×3 padded by 1, two 3×3×3 filters, stride 2 → 3×3 positions
    assert conv_param_count(3, 2, 3) == 56
    assert locally_connected_param_count(3, 2, 3, 3) == 9 * 56 == 504
    assert locally_connected_param_count(3, 2, (3, 3), (3, 3), bias=False) == 9 * 54
    for setting in SETTINGS:
        _, w, b, _, _ = _random_layer(setting)
        F_, OH, OW, C, KH, KW = w.shape
        assert locally_connected_param_count(C, F_, (KH, KW), (OH, OW)) == w.size + b.size
        assert (locally_connected_param_count(C, F_, (KH, KW), (OH, OW))
                == OH * OW * conv_param_count(C, F_, (KH, KW)))


def test_inputs_are_not_modified():
    x, w, b, S, P = _random_layer(SETTINGS[1])
    copies = [a.copy() for a in (x, w, b)]
    out, cache = locally_connected2d_forward(x, w, b, S, P)
    locally_connected2d_backward(np.ones_like(out), cache)
    for a, c in zip((x, w, b), copies, strict=True):
        np.testing.assert_array_equal(a, c)


def test_clear_errors():
    x = np.zeros((1, 2, 5, 5))
    with pytest.raises(ValueError, match=r"gives 3×3; make w of shape \(4, 3, 3, 2, 3, 3\)"):
        locally_connected2d(x, np.zeros((4, 2, 2, 2, 3, 3)), np.zeros((4, 2, 2)))
    with pytest.raises(ValueError, match="one bias per filter and position"):
        locally_connected2d(x, np.zeros((4, 3, 3, 2, 3, 3)), np.zeros((4, 3, 2)))
    with pytest.raises(ValueError, match="channels of x"):
        locally_connected2d(x, np.zeros((4, 3, 3, 1, 3, 3)), np.zeros((4, 3, 3)))
    with pytest.raises(ValueError, match="does not fit"):
        locally_connected2d(x, np.zeros((1, 1, 1, 2, 7, 7)), np.zeros((1, 1, 1)))
    with pytest.raises(ValueError, match=r"6-D array laid out as \(F, OH, OW, C, KH, KW\)"):
        locally_connected2d(x, np.zeros((4, 2, 3, 3)), np.zeros(4))
    _, cache = locally_connected2d_forward(x, np.zeros((4, 3, 3, 2, 3, 3)), np.zeros((4, 3, 3)))
    with pytest.raises(ValueError, match="forward output's shape"):
        locally_connected2d_backward(np.zeros((1, 4, 2, 2)), cache)
    with pytest.raises(TypeError, match="bias must be True or False"):
        locally_connected_param_count(3, 2, 3, 3, bias=1)
