"""Numerical gradients against closed forms and torch autograd; relative error on known values;
gradient_check on a correct and on a broken model."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlcourse.gradcheck import gradient_check, numerical_gradient, relative_error
from dlcourse.layers import MLP, dense_backward, dense_forward


@pytest.mark.parametrize("shape", [(1,), (5,), (3, 4), (2, 3, 2)])
def test_numerical_gradient_of_closed_forms(shape):
    rng = np.random.default_rng(len(shape))
    x = rng.normal(size=shape)
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(np.sin(v)), x), np.cos(x),
                               rtol=1e-8, atol=1e-9)
    A = rng.normal(size=(x.size, x.size))
    quad = numerical_gradient(lambda v: v.ravel() @ A @ v.ravel(), x)
    np.testing.assert_allclose(quad, ((A + A.T) @ x.ravel()).reshape(shape), rtol=1e-7,
                               atol=1e-8)


def test_numerical_gradient_matches_autograd_and_leaves_x_alone():
    x = np.random.default_rng(0).normal(size=(4, 3))
    before = x.copy()
    t = torch.tensor(x, requires_grad=True)
    torch.logsumexp(t * t, dim=(0, 1)).backward()
    num = numerical_gradient(lambda v: np.log(np.sum(np.exp(v * v))), x)
    np.testing.assert_allclose(num, t.grad.numpy(), rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_checks_a_layer_backward():
    rng = np.random.default_rng(1)
    x, W, b, dout = (rng.normal(size=s) for s in [(3, 4), (4, 2), (2,), (3, 2)])
    _, cache = dense_forward(x, W, b)
    dx, dW, db = dense_backward(dout, cache)
    assert relative_error(dx, numerical_gradient(
        lambda v: np.sum(dense_forward(v, W, b)[0] * dout), x)) < 1e-8
    assert relative_error(dW, numerical_gradient(
        lambda v: np.sum(dense_forward(x, v, b)[0] * dout), W)) < 1e-8
    assert relative_error(db, numerical_gradient(
        lambda v: np.sum(dense_forward(x, W, v)[0] * dout), b)) < 1e-8


def test_numerical_gradient_errors():
    with pytest.raises(ValueError, match=r"f must return a scalar.*np.sum\(out \* dout\)"):
        numerical_gradient(lambda v: v * 2, np.ones(3))
    with pytest.raises(ValueError, match="h must be >"):
        numerical_gradient(np.sum, np.ones(3), h=0.0)


def test_relative_error_values():
    a = np.array([1.0, -2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(a, np.zeros(3)) == 1.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    # max |a - b| = 0.5 at the last entry, max(|a| + |b|) = 3 + 3.5
    assert relative_error(a, np.array([1.0, -2.1, 3.5])) == pytest.approx(0.5 / 6.5, rel=1e-15)
    # an entry that is ~0 in both does not blow the error up
    assert relative_error(np.array([1.0, 1e-12]), np.array([1.0, 2e-12])) < 1e-11
    assert relative_error(np.array([[2.0]]), np.array([[1.0]])) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.ones(3), np.ones(4))


def test_gradient_check_passes_a_correct_model_and_restores_params():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(5, 4)), rng.integers(0, 3, 5)
    model = MLP([4, 6, 3], activation="tanh", weight_decay=0.1, seed=0)
    saved = [p.copy() for p in model.params]
    ids = [id(p) for p in model.params]
    errors = gradient_check(model, x, y)
    assert len(errors) == 4 and max(errors) < 1e-7
    assert [id(p) for p in model.params] == ids
    for p, s in zip(model.params, saved, strict=True):
        np.testing.assert_array_equal(p, s)


class _BrokenMLP(MLP):
    """Forgets the weight-decay term in the gradient (a typical mistake)."""

    def loss(self, x, y):
        loss, grads = super().loss(x, y)
        grads[0] = grads[0] - self.weight_decay * self.params[0]
        return loss, grads


def test_gradient_check_catches_a_wrong_gradient():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(5, 4)), rng.integers(0, 3, 5)
    errors = gradient_check(_BrokenMLP([4, 6, 3], weight_decay=0.5, seed=0), x, y)
    assert errors[0] > 1e-3
    assert max(errors[1:]) < 1e-7
