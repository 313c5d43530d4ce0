"""Activations and their derivatives against torch (functions) and torch autograd (derivatives),
in float64, on a grid that includes ±50 and ±1000; the seed's numbers; the widget helpers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as nnf

from dlcourse import activations as act

RTOL, ATOL = 1e-12, 1e-14
GRID = np.concatenate([np.linspace(-50, 50, 2001), [-1000.0, -745.0, -709.0, -20.5, -1e-300,
                                                    0.0, 1e-300, 20.5, 709.0, 745.0, 1000.0]])
ALPHA = 0.2

# name -> (our f, our f', the torch function used as reference)
ELEMENTWISE = {
    "sigmoid": (act.sigmoid, act.sigmoid_grad, torch.sigmoid),
    "tanh": (act.tanh, act.tanh_grad, torch.tanh),
    "softsign": (act.softsign, act.softsign_grad, nnf.softsign),
    "relu": (act.relu, act.relu_grad, nnf.relu),
    "leaky_relu": (lambda x: act.leaky_relu(x, ALPHA), lambda x: act.leaky_relu_grad(x, ALPHA),
                   lambda t: nnf.leaky_relu(t, ALPHA)),
    # nnf.softplus returns x itself above its threshold (20); log(1 + e^x) = logaddexp(x, 0)
    "softplus": (act.softplus, act.softplus_grad,
                 lambda t: torch.logaddexp(t, torch.zeros_like(t))),
    "linear": (act.linear, act.linear_grad, lambda t: t * 1.0),
}


def torch_value_and_grad(fn, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    out = fn(t)
    out.sum().backward()
    return out.detach().numpy(), t.grad.numpy()


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_function_and_derivative_match_torch_on_grid(name):
    f, f_grad, ref = ELEMENTWISE[name]
    expected, expected_grad = torch_value_and_grad(ref, GRID)
    np.testing.assert_allclose(f(GRID), expected, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(f_grad(GRID), expected_grad, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("shape", [(), (7,), (2, 5), (3, 1, 4)])
def test_shapes_dtype_and_inputs_untouched(name, shape):
    f, f_grad, _ = ELEMENTWISE[name]
    x = np.random.default_rng(len(shape)).normal(0, 3, shape)
    before = x.copy()
    for fn in (f, f_grad):
        out = fn(x)
        assert out.shape == shape and out.dtype == np.float64
    np.testing.assert_array_equal(x, before)


def test_softplus_matches_torch_softplus_below_its_threshold():
    x = GRID[np.abs(GRID) <= 20]
    expected, expected_grad = torch_value_and_grad(nnf.softplus, x)
    np.testing.assert_allclose(act.softplus(x), expected, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(act.softplus_grad(x), expected_grad, rtol=RTOL, atol=ATOL)
    # above it torch switches to the identity; we keep log(1 + e^x), within 2.1e-9 of x
    big = np.array([20.5, 30.0, 1000.0])
    np.testing.assert_allclose(act.softplus(big), big, rtol=0, atol=2.1e-9)


@pytest.mark.parametrize("fn", [act.sigmoid, act.sigmoid_grad, act.tanh, act.tanh_grad,
                                act.softsign, act.softsign_grad, act.softplus,
                                act.softplus_grad, act.relu, act.leaky_relu])
def test_stable_for_huge_inputs_without_warnings(fn):
    x = np.array([-1000.0, -800.0, -50.0, 50.0, 800.0, 1000.0])
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        out = fn(x)
    assert np.all(np.isfinite(out))


def test_sigmoid_saturates_to_exact_limits():
    np.testing.assert_array_equal(act.sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(act.softplus(np.array([-1000.0, 1000.0])), [0.0, 1000.0])


def test_sigmoid_derivative_peaks_at_one_quarter_at_zero():
    x = np.linspace(-10, 10, 2001)
    g = act.sigmoid_grad(x)
    assert g.max() == 0.25 and x[np.argmax(g)] == 0.0
    assert np.all(g > 0)


def test_sigmoid_derivative_equals_textbook_form():
    x = np.linspace(-30, 30, 601)
    s = act.sigmoid(x)
    np.testing.assert_allclose(act.sigmoid_grad(x), s * (1 - s), rtol=1e-12, atol=1e-15)


def test_tanh_derivative_in_half_open_unit_interval():
    # errata for seed 001 §3.4.11: the range is (0, 1], with 1 attained at x = 0
    x = np.linspace(-18, 18, 3601)
    g = act.tanh_grad(x)
    assert np.all(g > 0) and np.all(g <= 1)
    assert act.tanh_grad(0.0) == 1.0
    np.testing.assert_allclose(act.tanh(x), 2 * act.sigmoid(2 * x) - 1, atol=1e-15)


def test_relu_family_at_the_kink_follows_torch():
    z = np.array([-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(act.relu_grad(z), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(act.leaky_relu_grad(z, 0.1), [0.1, 0.1, 1.0])
    np.testing.assert_array_equal(act.leaky_relu(z), [-0.01, 0.0, 1.0])   # default α = 0.01


def test_step_and_sign_conventions():
    z = np.array([-2.0, -0.0, 0.0, 1e-300, 3.0])
    np.testing.assert_array_equal(act.step(z), [0, 0, 0, 1, 1])
    at_zero = torch.tensor(0.0, dtype=torch.float64)
    np.testing.assert_array_equal(act.step(z), torch.heaviside(torch.tensor(z), at_zero).numpy())
    # sign(0) = -1 (perceptron), where np.sign(0) = 0
    np.testing.assert_array_equal(act.sign(z), [-1, -1, -1, 1, 1])
    nonzero = z != 0
    np.testing.assert_array_equal(act.sign(z)[nonzero], np.sign(z)[nonzero])
    for g in (act.step_grad, act.sign_grad):
        np.testing.assert_array_equal(g(z), np.zeros(5))
    assert act.step(np.zeros((2, 3))).shape == (2, 3)


# --- PReLU ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("per_feature", [False, True])
@pytest.mark.parametrize("shape", [(5, 3), (4, 1), (6, 7)])
def test_prelu_matches_torch(per_feature, shape):
    rng = np.random.default_rng(sum(shape))
    x = rng.normal(size=shape)
    x[0, 0] = 0.0
    alpha = rng.uniform(0, 0.5, shape[1]) if per_feature else 0.3
    xt = torch.tensor(x, requires_grad=True)
    at = torch.tensor(np.atleast_1d(alpha), requires_grad=True)
    out = nnf.prelu(xt, at)
    dout = rng.normal(size=shape)
    out.backward(torch.tensor(dout))
    np.testing.assert_allclose(act.prelu(x, alpha), out.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(dout * act.prelu_grad(x, alpha), xt.grad.numpy(),
                               rtol=RTOL, atol=ATOL)
    dalpha = (dout * act.prelu_alpha_grad(x)).sum(axis=0 if per_feature else None)
    np.testing.assert_allclose(np.atleast_1d(dalpha), at.grad.numpy(), rtol=RTOL, atol=ATOL)


def test_prelu_scalar_alpha_equals_leaky_relu():
    x = np.linspace(-3, 3, 13)
    np.testing.assert_array_equal(act.prelu(x, 0.25), act.leaky_relu(x, 0.25))
    np.testing.assert_array_equal(act.prelu_grad(x, 0.25), act.leaky_relu_grad(x, 0.25))


def test_prelu_rejects_alpha_of_wrong_length():
    with pytest.raises(ValueError, match="one slope per entry of x's last axis"):
        act.prelu(np.zeros((4, 3)), np.ones(2))
    with pytest.raises(ValueError, match="alpha must be a 0-D or 1-D"):
        act.prelu_grad(np.zeros((4, 3)), np.ones((3, 1)))


# --- softmax -------------------------------------------------------------------------------------

def test_softmax_seed_example():
    # seed 001 §3.4.9: logits (3, 1, -3)
    np.testing.assert_allclose(act.softmax(np.array([3.0, 1.0, -3.0])),
                               [0.8789, 0.1189, 0.0022], atol=5e-5)


@pytest.mark.parametrize("shape,axis", [((5,), -1), ((4, 3), -1), ((4, 3), 0), ((2, 3, 5), 1)])
def test_softmax_matches_torch(shape, axis):
    z = np.random.default_rng(3).normal(0, 4, shape)
    expected = torch.softmax(torch.tensor(z), dim=axis).numpy()
    p = act.softmax(z, axis=axis)
    np.testing.assert_allclose(p, expected, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=0, atol=1e-15)


def test_softmax_extreme_logits():
    z = np.array([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, -1000.0], [-1000.0, -1000.0, -999.0]])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise"):
        warnings.simplefilter("error")
        p = act.softmax(z)
    np.testing.assert_allclose(p, torch.softmax(torch.tensor(z), dim=-1).numpy(),
                               rtol=RTOL, atol=ATOL)
    assert np.all(np.isfinite(p))


@pytest.mark.parametrize("shape", [(4,), (1, 3), (5, 6)])
def test_softmax_jacobian_matches_autograd(shape):
    z = np.random.default_rng(7).normal(size=shape)
    J = act.softmax_jacobian(z)
    rows = z.reshape(-1, shape[-1])
    expected = np.stack([torch.autograd.functional.jacobian(
        lambda t: torch.softmax(t, dim=-1), torch.tensor(r)).numpy() for r in rows])
    assert J.shape == (*shape, shape[-1])
    np.testing.assert_allclose(J.reshape(expected.shape), expected, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("shape", [(6,), (3, 4), (2, 3, 5)])
def test_softmax_backward_matches_autograd(shape):
    rng = np.random.default_rng(11)
    z, dout = rng.normal(0, 3, shape), rng.normal(size=shape)
    zt = torch.tensor(z, requires_grad=True)
    torch.softmax(zt, dim=-1).backward(torch.tensor(dout))
    p = act.softmax(z)
    before = dout.copy()
    np.testing.assert_allclose(act.softmax_backward(dout, p), zt.grad.numpy(),
                               rtol=1e-10, atol=1e-13)
    np.testing.assert_array_equal(dout, before)


def test_softmax_backward_is_the_jacobian_product():
    rng = np.random.default_rng(12)
    z, dout = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    via_jacobian = np.einsum("ni,nij->nj", dout, act.softmax_jacobian(z))
    np.testing.assert_allclose(act.softmax_backward(dout, act.softmax(z)), via_jacobian,
                               rtol=1e-10, atol=1e-14)


def test_softmax_errors():
    with pytest.raises(ValueError, match="at least one axis"):
        act.softmax(3.0)
    with pytest.raises(ValueError, match="same shape"):
        act.softmax_backward(np.ones((2, 3)), np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"\(K,\) or \(N, K\)"):
        act.softmax_jacobian(np.ones((2, 3, 4)))


# --- registry and widget helpers ------------------------------------------------------------------

def test_registry_pairs_are_function_and_derivative():
    x = np.linspace(-4, 4, 81) + 0.013   # keep off the kinks
    h = 1e-6
    for name, (f, f_grad) in act.ACTIVATIONS.items():
        numeric = (f(x + h) - f(x - h)) / (2 * h)
        np.testing.assert_allclose(f_grad(x), numeric, rtol=1e-7, atol=1e-8, err_msg=name)
    assert set(act.ACTIVATIONS) >= {"sigmoid", "tanh", "softsign", "relu", "leaky_relu",
                                    "softplus", "linear", "step", "sign"}


def test_get_activation_binds_alpha_and_checks_name():
    f, f_grad = act.get_activation("Leaky_ReLU", alpha=0.3)
    expected, expected_grad = torch_value_and_grad(lambda t: nnf.leaky_relu(t, 0.3), GRID)
    np.testing.assert_allclose(f(GRID), expected, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(f_grad(GRID), expected_grad, rtol=RTOL, atol=ATOL)
    with pytest.raises(ValueError, match="unknown activation 'swish'; choose one of"):
        act.get_activation("swish")


@pytest.mark.parametrize("name,ref", [("sigmoid", torch.sigmoid), ("tanh", torch.tanh),
                                      ("softplus", nnf.softplus)])
def test_tangent_line_slope_is_autograd_derivative(name, ref):
    x0, xs = 0.7, np.linspace(-2, 2, 9)
    t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y = ref(t)
    y.backward()
    y0, slope, line = act.tangent_line(name, x0, xs)
    assert y0 == pytest.approx(y.item(), rel=1e-12)
    assert slope == pytest.approx(t.grad.item(), rel=1e-12)
    np.testing.assert_allclose(line, y.item() + t.grad.item() * (xs - x0), rtol=1e-12)


def test_tangent_line_uses_alpha():
    _, slope, line = act.tangent_line("leaky_relu", -1.0, np.array([-1.0, 0.0]), alpha=0.5)
    assert slope == 0.5
    np.testing.assert_allclose(line, [-0.5, 0.0])


def test_saturation_regions_match_closed_forms():
    t = 0.1
    s = (1 + np.sqrt(1 - 4 * t)) / 2          # σ(x)(1 - σ(x)) = t
    x_sig = np.log(s / (1 - s))
    x_tanh = np.arctanh(np.sqrt(1 - t))       # 1 - tanh² = t
    x_soft = 1 / np.sqrt(t) - 1               # 1 / (1 + |x|)² = t
    for name, edge in [("sigmoid", x_sig), ("tanh", x_tanh), ("softsign", x_soft)]:
        regions = act.saturation_regions(name, t, x_range=(-6.0, 6.0))
        np.testing.assert_allclose(np.array(regions), [[-6, -edge], [edge, 6]], atol=1e-9,
                                   err_msg=name)


def test_saturation_regions_piecewise_and_empty():
    (lo, hi), = act.saturation_regions("relu", 0.5, x_range=(-3.0, 2.0))
    assert lo == -3.0 and abs(hi) < 1e-9
    assert act.saturation_regions("leaky_relu", 0.5, alpha=0.9) == []
    assert act.saturation_regions("leaky_relu", 0.5, alpha=0.1, x_range=(0.5, 2.0)) == []
    assert act.saturation_regions("linear", 0.5) == []
    assert act.saturation_regions("step", 0.01, x_range=(-1.0, 1.0)) == [(-1.0, 1.0)]
    assert act.saturation_regions("sigmoid", 0.3) == [(-6.0, 6.0)]   # σ' ≤ 0.25 < 0.3


def test_saturation_regions_errors():
    with pytest.raises(ValueError, match="threshold must be >"):
        act.saturation_regions("tanh", 0.0)
    with pytest.raises(ValueError, match="low < high"):
        act.saturation_regions("tanh", 0.1, x_range=(2.0, 1.0))


def test_bad_input_errors():
    with pytest.raises(TypeError, match="sigmoid: x must be array-like of numbers"):
        act.sigmoid("abc")
    with pytest.raises(TypeError, match="alpha must be a real number"):
        act.leaky_relu(np.ones(3), alpha="big")
    with pytest.raises(ValueError, match="alpha must be finite"):
        act.leaky_relu_grad(np.ones(3), alpha=np.inf)


def test_linear_returns_a_new_array():
    x = np.arange(3.0)
    y = act.linear(x)
    y[0] = 5.0
    assert x[0] == 0.0
