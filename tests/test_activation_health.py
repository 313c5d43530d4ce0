"""dlcourse.activation_health against torch autograd: dead units get exactly zero gradient,
the saturation thresholds and the mean slope."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlcourse.activation_health import dead_units, layer_health, saturated_share


def test_dead_units_are_those_whose_weights_get_no_gradient():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, size=(200, 20))
    W = rng.normal(scale=0.3, size=(20, 50))
    b = rng.normal(-1.5, 1.0, size=50)
    z = X @ W + b
    z[:, 3] = np.minimum(z[:, 3], 0.0)                 # a unit that touches 0 but never fires
    z[:, 4] = -1.0
    z[5, 4] = 0.0
    Xt, Wt, bt = (torch.tensor(a, requires_grad=a is not X) for a in (X, W, b))
    zt = torch.tensor(z, requires_grad=True)
    out = torch.relu(zt) @ torch.tensor(rng.normal(size=(50, 3)))
    out.square().sum().backward()
    no_gradient = np.all(zt.grad.numpy() == 0, axis=0)
    dead = dead_units(z)
    assert 5 < dead.sum() < 45 and dead[3] and dead[4]
    np.testing.assert_array_equal(dead, no_gradient)
    # the weights of the real layer too
    torch.relu(Xt @ Wt + bt).sum().backward()
    np.testing.assert_array_equal(np.all(Wt.grad.numpy() == 0, axis=0), dead_units(X @ W + b))


@pytest.mark.parametrize(("name", "edge"), [("sigmoid", 5.99), ("tanh", 2.99)])
def test_saturated_share_thresholds(name, edge):
    z = np.linspace(-10, 10, 200001)
    share = saturated_share(z, name)
    assert share == pytest.approx((10 - edge) / 10, abs=2e-3)
    assert saturated_share(np.array([0.0, 0.5]), name) == 0.0
    assert saturated_share(np.array([-1.0, 0.0, 2.0]), "relu") == pytest.approx(2 / 3)
    assert saturated_share(np.array([-1.0, -2.0]), "leaky_relu") == 0.0     # slope α, alive


def test_layer_health_mean_slope_equals_autograd():
    rng = np.random.default_rng(1)
    X, W, b = rng.uniform(0, 16, size=(100, 8)), rng.normal(size=(8, 30)), rng.normal(size=30)
    for name, fn in (("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("relu", torch.relu)):
        health = layer_health(X, W, b, name)
        z = torch.tensor(X @ W + b, requires_grad=True)
        fn(z).sum().backward()
        assert health.mean_slope == pytest.approx(float(z.grad.abs().mean()), rel=1e-12)
        np.testing.assert_allclose(health.z, X @ W + b)
    assert layer_health(X, W, b, "sigmoid").relative_slope == pytest.approx(
        layer_health(X, W, b, "sigmoid").mean_slope / 0.25)
    with pytest.raises(ValueError, match="do not chain"):
        layer_health(X, W[:5], b, "relu")
    with pytest.raises(ValueError, match="no examples"):
        dead_units(np.zeros((0, 3)))
