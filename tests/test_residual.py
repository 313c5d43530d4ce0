"""Residual and plain blocks and deep nets (chapter 16) against NumPy formulas and autograd."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.layer_gradients import layer_gradient_norms
from dlcourse.nets.residual import (
    DeepMLP,
    PlainBlock,
    ResidualBlock,
    gradient_profile,
    he_init_,
    linear_layers,
    weight_gradient_norms,
)


def _relu(z):
    return np.maximum(z, 0.0)


def _weights(block):
    return [p.detach().numpy() for p in (block.fc1.weight, block.fc1.bias, block.fc2.weight,
                                         block.fc2.bias)]


@pytest.mark.parametrize(("width", "hidden"), [(1, 1), (4, 7), (6, 2)])
def test_blocks_follow_their_formulas(width, hidden):
    torch.manual_seed(width * 10 + hidden)
    x = np.random.default_rng(hidden).normal(size=(5, width))
    for cls, formula in ((ResidualBlock, lambda x, f: _relu(x + f)),
                         (PlainBlock, lambda x, f: _relu(f))):
        block = cls(width, hidden).double()
        W1, b1, W2, b2 = _weights(block)
        f = _relu(x @ W1.T + b1) @ W2.T + b2
        with torch.no_grad():
            out = block(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(out, formula(x, f), rtol=1e-12, atol=1e-14)


def test_residual_block_jacobian_is_mask_times_identity_plus_jacobian_of_f():
    """∂y/∂x = D (I + W₂ D₁ W₁) for one input, D and D₁ the ReLU masks; autograd agrees."""
    torch.manual_seed(0)
    block = ResidualBlock(5, 3).double()
    W1, b1, W2, b2 = _weights(block)
    x = np.random.default_rng(1).normal(size=5)
    z1 = W1 @ x + b1
    pre = x + W2 @ _relu(z1) + b2
    expected = np.diag(pre > 0) @ (np.eye(5) + W2 @ np.diag(z1 > 0) @ W1)
    jac = torch.autograd.functional.jacobian(block, torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(jac, expected, rtol=1e-12, atol=1e-14)
    # with F's weights zero, the block is the identity on positive inputs: gradient 1
    with torch.no_grad():
        for p in block.parameters():
            p.zero_()
    xp = torch.tensor([0.5, 1.0, 2.0, 3.0, 4.0], dtype=torch.float64)
    np.testing.assert_array_equal(torch.autograd.functional.jacobian(block, xp).numpy(),
                                  np.eye(5))


def test_deep_mlp_layers_and_shared_initial_weights():
    torch.manual_seed(3)
    plain = DeepMLP(4, width=8, residual=False)
    torch.manual_seed(3)
    res = DeepMLP(4, width=8, residual=True)
    assert len(linear_layers(plain)) == 2 * 4 + 2
    for a, b in zip(plain.parameters(), res.parameters(), strict=True):
        assert torch.equal(a, b)
    x = torch.randn(6, 64)
    assert plain(x).shape == res(x).shape == (6, 10)
    assert not torch.allclose(plain(x), res(x))


def test_plain_net_gradients_equal_the_numpy_backprop_of_chapter_16():
    """A plain DeepMLP is a ReLU MLP with a linear last layer: its weight-gradient norms must
    equal dlcourse.layer_gradients' NumPy backpropagation for the cross-entropy's dout."""
    torch.manual_seed(5)
    net = DeepMLP(3, width=6, residual=False, in_features=4, num_classes=3).double()
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(7, 4)), rng.integers(0, 3, size=7)
    norms = weight_gradient_norms(net, X, y)
    layers = linear_layers(net)
    weights = [layer.weight.detach().numpy().T for layer in layers]
    biases = [layer.bias.detach().numpy() for layer in layers]
    with torch.no_grad():
        p = torch.softmax(net(torch.from_numpy(X)), dim=1).numpy()
    dout = (p - np.eye(3)[y]) / len(y)
    np.testing.assert_allclose(norms, layer_gradient_norms(X, weights, biases, "relu", dout),
                               rtol=1e-10, atol=1e-14)


def test_weight_gradient_norms_match_autograd_on_a_residual_net():
    torch.manual_seed(8)
    net = DeepMLP(2, width=5, residual=True, in_features=3, num_classes=4).double()
    X = torch.randn(6, 3, dtype=torch.float64)
    y = torch.tensor([0, 1, 2, 3, 0, 1])
    norms = weight_gradient_norms(net, X, y)
    layers = linear_layers(net)
    grads = torch.autograd.grad(F.cross_entropy(net(X), y), [m.weight for m in layers])
    np.testing.assert_allclose(norms, [float(g.norm()) for g in grads], rtol=1e-12)


def test_he_init():
    torch.manual_seed(0)
    net = he_init_(DeepMLP(2, width=400, residual=True, in_features=300))
    for layer in linear_layers(net):
        assert torch.all(layer.bias == 0)
        fan_in = layer.weight.shape[1]
        assert float(layer.weight.detach().std()) == pytest.approx(np.sqrt(2 / fan_in), rel=0.05)


def test_gradient_profile_shows_the_shortcut_at_work():
    plain = gradient_profile(15, residual=False)
    res = gradient_profile(15, residual=True)
    assert plain.shape == res.shape == (32,)
    assert plain[0] / plain[-1] < 1e-6            # vanished with torch's default init
    assert 0.1 < res[0] / res[-1] < 10            # the same order of magnitude
    he = gradient_profile(15, residual=False, init="he")
    assert 0.1 < he[0] / he[-1] < 100             # He init keeps the plain net's gradient alive
    np.testing.assert_array_equal(gradient_profile(15, True, seed=1),
                                  gradient_profile(15, True, seed=1))


def test_gradient_profile_leaves_the_global_random_state_alone():
    torch.manual_seed(42)
    expected = torch.rand(3)
    torch.manual_seed(42)
    gradient_profile(3, residual=True, seed=7)
    assert torch.equal(torch.rand(3), expected)


def test_bad_input():
    with pytest.raises(ValueError, match="init"):
        gradient_profile(3, residual=True, init="xavier")
    with pytest.raises(ValueError, match="depth"):
        DeepMLP(0)
    with pytest.raises(ValueError, match="X must be"):
        weight_gradient_norms(DeepMLP(1), np.zeros((2, 3, 4)), np.zeros(2, dtype=int))
