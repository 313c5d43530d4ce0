"""Per-layer gradient norms of deep nets (chapter 16) against torch autograd."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from dlcourse import init
from dlcourse.layer_gradients import (
    deep_net_gradient_profile,
    deep_net_params,
    layer_gradient_norms,
)

TORCH_ACT = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
             "softplus": torch.nn.functional.softplus, "linear": lambda z: z,
             "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01)}


def _autograd_norms(x, weights, biases, activation, dout):
    Ws = [torch.tensor(W, requires_grad=True) for W in weights]
    h = torch.tensor(x)
    for layer, (W, b) in enumerate(zip(Ws, biases, strict=True)):
        h = h @ W + torch.tensor(b)
        if layer < len(Ws) - 1:
            h = TORCH_ACT[activation](h)
    (h * torch.tensor(dout)).sum().backward()
    return np.array([float(W.grad.norm()) for W in Ws])


@pytest.mark.parametrize("activation", list(TORCH_ACT))
@pytest.mark.parametrize(("N", "sizes"), [(1, [3, 2]), (4, [5, 7, 6, 3]), (3, [2, 4, 4, 4, 4, 1])])
def test_norms_match_autograd(activation, N, sizes):
    rng = np.random.default_rng(len(sizes) * 10 + N)
    weights = [rng.normal(scale=0.8, size=(a, b)) for a, b in itertools.pairwise(sizes)]
    biases = [rng.normal(scale=0.3, size=b) for b in sizes[1:]]
    x, dout = rng.normal(size=(N, sizes[0])), rng.normal(size=(N, sizes[-1]))
    frozen = [a.copy() for a in (x, dout, *weights, *biases)]
    norms = layer_gradient_norms(x, weights, biases, activation, dout)
    np.testing.assert_allclose(norms, _autograd_norms(x, weights, biases, activation, dout),
                               rtol=1e-10, atol=1e-13)
    for a, b in zip((x, dout, *weights, *biases), frozen, strict=True):
        np.testing.assert_array_equal(a, b)


def test_seed_000_chain_of_single_sigmoid_units():
    """∂C/∂w_1 for seed 000's chain, written out as its product of σ'(z)·w factors."""
    ws = [0.9, 0.8, 0.7, 0.6]
    x, dC = 1.0, 1.0
    s = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    a, zs = x, []
    for w in ws[:-1]:
        zs.append(w * a)
        a = s(zs[-1])
    grad_w1 = dC * ws[3] * s(zs[2]) * (1 - s(zs[2])) * ws[2] * s(zs[1]) * (1 - s(zs[1])) \
        * ws[1] * s(zs[0]) * (1 - s(zs[0])) * x
    norms = layer_gradient_norms(np.array([[x]]), [np.array([[w]]) for w in ws],
                                 [np.zeros(1)] * 4, "sigmoid", np.array([[dC]]))
    assert np.isclose(norms[0], abs(grad_w1), rtol=1e-12)
    assert norms[-1] == pytest.approx(s(zs[2]))


def test_deep_net_params_use_the_course_initialisers():
    weights, biases = deep_net_params(4, 6, 3, 2, init_scheme="he", seed=7)
    assert [W.shape for W in weights] == [(3, 6), (6, 6), (6, 6), (6, 2)]
    assert all(np.array_equal(b, np.zeros(W.shape[1]))
               for W, b in zip(weights, biases, strict=True))
    rng = np.random.default_rng(7)
    expected = [init.he_normal(W.shape, rng=rng) for W in weights]
    for W, E in zip(weights, expected, strict=True):
        np.testing.assert_array_equal(W, E)
    xavier, _ = deep_net_params(3, 400, 400, 400, init_scheme="xavier", seed=0)
    assert abs(xavier[1].std() - np.sqrt(2 / 800)) < 0.01 * np.sqrt(2 / 800) * 5


def test_sigmoid_starves_the_first_layer_relu_does_not():
    sig = deep_net_gradient_profile("sigmoid", depth=10)
    relu = deep_net_gradient_profile("relu", depth=10)
    assert sig[0] / sig[-1] < 1e-4          # orders of magnitude
    assert relu[0] / relu[-1] > 1e-1        # within a small factor
    assert np.all(np.diff(np.log(sig[1:])) > 0)   # shrinking layer after layer going down


def test_bad_input():
    W = [np.ones((2, 3)), np.ones((3, 1))]
    b = [np.zeros(3), np.zeros(1)]
    with pytest.raises(ValueError, match=r"weights\[1\] must have 3 rows"):
        layer_gradient_norms(np.ones((1, 2)), [np.ones((2, 3)), np.ones((2, 1))], b, "relu",
                             np.ones((1, 1)))
    with pytest.raises(ValueError, match="one bias per layer"):
        layer_gradient_norms(np.ones((1, 2)), W, b[:1], "relu", np.ones((1, 1)))
    with pytest.raises(ValueError, match=r"dout must have the output's shape"):
        layer_gradient_norms(np.ones((1, 2)), W, b, "relu", np.ones((1, 2)))
    with pytest.raises(ValueError, match="unknown activation 'step'"):
        layer_gradient_norms(np.ones((1, 2)), W, b, "step", np.ones((1, 1)))
    with pytest.raises(TypeError, match="weights must be a non-empty list"):
        layer_gradient_norms(np.ones((1, 2)), np.ones((2, 3)), b, "relu", np.ones((1, 1)))
    with pytest.raises(ValueError, match="unknown init_scheme 'zeros'"):
        deep_net_params(3, 4, 2, 2, init_scheme="zeros")
