"""Losses and their gradients against torch.nn.functional and torch autograd, in float64,
including extreme logits (±1000)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as nnf

from dlcourse import losses
from dlcourse.activations import softmax

RTOL, ATOL = 1e-10, 1e-12
SIZES = [(1, 2), (5, 3), (8, 10), (7, 1)]   # (N, K)


def tt(a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def torch_loss_and_grad(fn, x, *rest):
    t = tt(x, grad=True)
    out = fn(t, *rest)
    out.backward()
    return out.item(), t.grad.numpy()


def no_warnings(fn, *args):
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        return fn(*args)


# --- one-hot, log-softmax ------------------------------------------------------------------------

@pytest.mark.parametrize("shape,k", [((6,), 4), ((2, 3), 5), ((1,), 1), ((0,), 3)])
def test_one_hot_matches_torch(shape, k):
    labels = np.random.default_rng(k).integers(0, k, shape)
    out = losses.one_hot(labels, k)
    assert out.dtype == np.float64 and out.shape == (*shape, k)
    np.testing.assert_array_equal(out, nnf.one_hot(torch.tensor(labels), k).numpy())


def test_one_hot_seed_example():
    # seed 001 §3.10: the six states 0..5 as 1-of-6 codes (bit k set for state k)
    codes = losses.one_hot(np.arange(6), 6)
    np.testing.assert_array_equal(codes, np.eye(6))


def test_one_hot_rejects_bad_labels():
    with pytest.raises(TypeError, match=r"integer class indices .* labels.astype\(int\)"):
        losses.one_hot(np.array([0.0, 1.0]), 3)
    with pytest.raises(ValueError, match=r"class index in 0\.\.2; found 3"):
        losses.one_hot(np.array([0, 3]), 3)
    with pytest.raises(ValueError, match="found -1"):
        losses.one_hot(np.array([-1, 0]), 3)
    with pytest.raises(ValueError, match="num_classes must be at least 1"):
        losses.one_hot(np.array([0]), 0)


@pytest.mark.parametrize("shape,axis", [((7,), -1), ((4, 6), -1), ((4, 6), 0), ((2, 3, 4), 1)])
def test_log_softmax_matches_torch(shape, axis):
    z = np.random.default_rng(2).normal(0, 5, shape)
    np.testing.assert_allclose(losses.log_softmax(z, axis=axis),
                               nnf.log_softmax(tt(z), dim=axis).numpy(), rtol=RTOL, atol=ATOL)


def test_log_softmax_extreme_logits_stay_finite():
    z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]])
    out = no_warnings(losses.log_softmax, z)
    np.testing.assert_allclose(out, nnf.log_softmax(tt(z), dim=-1).numpy(), rtol=RTOL, atol=ATOL)
    assert out[0, 1] == -2000.0
    with pytest.raises(ValueError, match="at least one axis"):
        losses.log_softmax(1.0)


# --- cross-entropy --------------------------------------------------------------------------------

@pytest.mark.parametrize("n,k", SIZES)
def test_cross_entropy_and_grad_match_torch(n, k):
    rng = np.random.default_rng(n * k)
    z, y = rng.normal(0, 3, (n, k)), rng.integers(0, k, n)
    loss, grad = torch_loss_and_grad(nnf.cross_entropy, z, torch.tensor(y))
    assert losses.cross_entropy(z, y) == pytest.approx(loss, rel=RTOL, abs=ATOL)
    np.testing.assert_allclose(losses.cross_entropy_grad(z, y), grad, rtol=RTOL, atol=ATOL)
    fused_loss, fused_grad = losses.cross_entropy_with_grad(z, y)
    assert fused_loss == pytest.approx(loss, rel=RTOL, abs=ATOL)
    np.testing.assert_allclose(fused_grad, grad, rtol=RTOL, atol=ATOL)


def test_cross_entropy_grad_is_p_minus_y_over_n():
    rng = np.random.default_rng(4)
    z, y = rng.normal(size=(6, 4)), rng.integers(0, 4, 6)
    p = torch.softmax(tt(z), dim=1).numpy()
    np.testing.assert_allclose(losses.cross_entropy_grad(z, y), (p - np.eye(4)[y]) / 6, rtol=RTOL,
                               atol=ATOL)


def test_cross_entropy_extreme_logits():
    z = np.array([[1000.0, -1000.0, 0.0], [1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 1000.0]])
    y = np.array([0, 1, 2])
    loss, grad = torch_loss_and_grad(nnf.cross_entropy, z, torch.tensor(y))
    assert no_warnings(losses.cross_entropy, z, y) == pytest.approx(loss, rel=RTOL)
    np.testing.assert_allclose(no_warnings(losses.cross_entropy_grad, z, y), grad, rtol=RTOL,
                               atol=ATOL)
    fused_loss, fused_grad = no_warnings(losses.cross_entropy_with_grad, z, y)
    assert fused_loss == pytest.approx(loss, rel=RTOL)
    np.testing.assert_allclose(fused_grad, grad, rtol=RTOL, atol=ATOL)
    assert np.isfinite(loss) and loss > 600   # the middle row alone costs 2000


def test_cross_entropy_accepts_torch_tensors_and_leaves_inputs_alone():
    z, y = np.random.default_rng(5).normal(size=(3, 4)), np.array([1, 0, 3])
    z0, y0 = z.copy(), y.copy()
    assert losses.cross_entropy(torch.tensor(z), torch.tensor(y)) == pytest.approx(
        losses.cross_entropy(z, y), rel=1e-15)
    losses.cross_entropy_grad(z, y)
    losses.cross_entropy_with_grad(z, y)
    np.testing.assert_array_equal(z, z0)
    np.testing.assert_array_equal(y, y0)


def test_cross_entropy_errors():
    z = np.zeros((3, 4))
    with pytest.raises(ValueError, match=r"logits must be a 2-D array laid out as \(N, K\)"):
        losses.cross_entropy(np.zeros(4), np.array([1]))
    with pytest.raises(ValueError, match="number of rows of logits"):
        losses.cross_entropy(z, np.array([0, 1]))
    with pytest.raises(ValueError, match="use soft_cross_entropy"):
        losses.cross_entropy_grad(z, np.eye(4)[[0, 1, 2]])
    with pytest.raises(TypeError, match=r"integer class indices 0..3; got dtype float64"):
        losses.cross_entropy(z, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match=r"class index in 0\.\.3; found 4"):
        losses.cross_entropy(z, np.array([0, 1, 4]))
    with pytest.raises(ValueError, match=r"cross_entropy_with_grad: .*class index in 0\.\.3"):
        losses.cross_entropy_with_grad(z, np.array([0, 1, 4]))


@pytest.mark.parametrize("n,k", SIZES)
def test_soft_cross_entropy_matches_torch_probability_targets(n, k):
    rng = np.random.default_rng(n + k)
    z = rng.normal(0, 3, (n, k))
    t = softmax(rng.normal(size=(n, k)))
    loss, grad = torch_loss_and_grad(nnf.cross_entropy, z, tt(t))
    assert losses.soft_cross_entropy(z, t) == pytest.approx(loss, rel=RTOL, abs=ATOL)
    np.testing.assert_allclose(losses.soft_cross_entropy_grad(z, t), grad, rtol=RTOL, atol=ATOL)


def test_soft_cross_entropy_unnormalized_targets_and_one_hot_agreement():
    rng = np.random.default_rng(9)
    z, t = rng.normal(size=(4, 3)), rng.uniform(0, 2, (4, 3))
    _, grad = torch_loss_and_grad(nnf.cross_entropy, z, tt(t))
    np.testing.assert_allclose(losses.soft_cross_entropy_grad(z, t), grad, rtol=RTOL, atol=ATOL)
    y = np.array([2, 0, 1, 1])
    one_hot_loss = losses.soft_cross_entropy(z, losses.one_hot(y, 3))
    assert one_hot_loss == pytest.approx(losses.cross_entropy(z, y), rel=1e-14)
    with pytest.raises(ValueError, match="logits and targets must have the same shape"):
        losses.soft_cross_entropy(z, t[:, :2])


# --- binary cross-entropy -------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(5,), (4, 3), (2, 2, 3)])
@pytest.mark.parametrize("soft", [False, True])
def test_binary_cross_entropy_matches_torch(shape, soft):
    rng = np.random.default_rng(len(shape) + soft)
    p = rng.uniform(0.01, 0.99, shape)
    y = rng.uniform(0, 1, shape) if soft else rng.integers(0, 2, shape).astype(float)
    loss, grad = torch_loss_and_grad(nnf.binary_cross_entropy, p, tt(y))
    assert losses.binary_cross_entropy(p, y) == pytest.approx(loss, rel=RTOL, abs=ATOL)
    np.testing.assert_allclose(losses.binary_cross_entropy_grad(p, y), grad, rtol=RTOL, atol=ATOL)


def test_binary_cross_entropy_at_certain_probabilities_matches_torch_clamp():
    p = np.array([0.0, 1.0, 0.0, 1.0, 1e-10, 1 - 1e-12])
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.0, 0.0])
    expected = nnf.binary_cross_entropy(tt(p), tt(y)).item()
    assert no_warnings(losses.binary_cross_entropy, p, y) == pytest.approx(expected, rel=1e-12)
    assert losses.binary_cross_entropy(np.array([0.0]), np.array([1.0])) == 100.0
    assert np.all(np.isfinite(no_warnings(losses.binary_cross_entropy_grad, p, y)))


def test_binary_cross_entropy_rejects_logits():
    with pytest.raises(ValueError, match="binary_cross_entropy_with_logits"):
        losses.binary_cross_entropy(np.array([2.0, 0.5]), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="y must hold targets in"):
        losses.binary_cross_entropy_grad(np.array([0.2]), np.array([2.0]))
    with pytest.raises(ValueError, match="p and y must have the same shape"):
        losses.binary_cross_entropy(np.array([0.2, 0.3]), np.array([1.0]))


@pytest.mark.parametrize("scale", [1.0, 30.0, 1000.0])
def test_binary_cross_entropy_with_logits_matches_torch(scale):
    rng = np.random.default_rng(int(scale))
    z = rng.normal(0, scale, (6, 3))
    z[0, :2] = [1000.0, -1000.0]
    y = rng.integers(0, 2, (6, 3)).astype(float)
    y[0, :2] = [0.0, 1.0]
    loss, grad = torch_loss_and_grad(nnf.binary_cross_entropy_with_logits, z, tt(y))
    assert no_warnings(losses.binary_cross_entropy_with_logits, z, y) == pytest.approx(
        loss, rel=RTOL, abs=ATOL)
    grad_ours = no_warnings(losses.binary_cross_entropy_with_logits_grad, z, y)
    np.testing.assert_allclose(grad_ours, grad, rtol=RTOL, atol=ATOL)


def test_bce_with_logits_equals_bce_of_sigmoid_for_moderate_logits():
    rng = np.random.default_rng(1)
    z, y = rng.normal(size=10), rng.uniform(size=10)
    p = 1 / (1 + np.exp(-z))
    assert losses.binary_cross_entropy_with_logits(z, y) == pytest.approx(
        losses.binary_cross_entropy(p, y), rel=1e-12)
    # chain rule: dL/dz = dL/dp · σ'(z)
    np.testing.assert_allclose(losses.binary_cross_entropy_with_logits_grad(z, y),
                               losses.binary_cross_entropy_grad(p, y) * p * (1 - p), rtol=1e-10)


# --- regression losses and distances ------------------------------------------------------------

@pytest.mark.parametrize("loss_fn,grad_fn,ref", [
    (losses.mse_loss, losses.mse_loss_grad, nnf.mse_loss),
    (losses.l1_loss, losses.l1_loss_grad, nnf.l1_loss),
])
@pytest.mark.parametrize("shape", [(1,), (7,), (4, 3), (2, 5, 3)])
def test_regression_losses_match_torch(loss_fn, grad_fn, ref, shape):
    rng = np.random.default_rng(len(shape))
    pred, target = rng.normal(size=shape), rng.normal(size=shape)
    pred.flat[0] = target.flat[0]   # a tie, where |·| has its kink
    before = pred.copy(), target.copy()
    loss, grad = torch_loss_and_grad(ref, pred, tt(target))
    assert loss_fn(pred, target) == pytest.approx(loss, rel=RTOL, abs=ATOL)
    np.testing.assert_allclose(grad_fn(pred, target), grad, rtol=RTOL, atol=ATOL)
    np.testing.assert_array_equal(pred, before[0])
    np.testing.assert_array_equal(target, before[1])


def test_regression_losses_reject_shape_mismatch():
    # torch would broadcast (4, 1) against (4,) with only a warning; we refuse
    with pytest.raises(ValueError, match="pred and target must have the same shape"):
        losses.mse_loss(np.zeros((4, 1)), np.zeros(4))
    with pytest.raises(ValueError, match="pred and target"):
        losses.l1_loss_grad(np.zeros(3), np.zeros(2))


@pytest.mark.parametrize("p", [1.0, 1.5, 2.0, 3.0, 7.0])
@pytest.mark.parametrize("shape", [(5,), (4, 3), (2, 3, 6)])
def test_lp_distance_and_grad_match_torch(p, shape):
    rng = np.random.default_rng(int(10 * p))
    a, b = rng.normal(size=shape), rng.normal(size=shape)
    ta = tt(a, grad=True)
    dist = torch.linalg.vector_norm(ta - tt(b), ord=p, dim=-1)
    dist.sum().backward()
    out = losses.lp_distance(a, b, p)
    assert out.shape == shape[:-1]
    np.testing.assert_allclose(out, dist.detach().numpy(), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(losses.lp_distance_grad(a, b, p), ta.grad.numpy(), rtol=1e-9,
                               atol=ATOL)


def test_lp_distance_zero_rows_and_seed_loss():
    a = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    b = np.array([[1.0, 2.0, 3.0], [3.0, -4.0, 0.0]])
    np.testing.assert_allclose(losses.lp_distance(a, b, 2), [0.0, 5.0])
    np.testing.assert_allclose(losses.lp_distance(a, b, 1), [0.0, 7.0])
    grad = no_warnings(losses.lp_distance_grad, a, b, 2.0)
    np.testing.assert_allclose(grad, [[0, 0, 0], [-0.6, 0.8, 0]])
    # seed 002's L_p loss Σ|y - a|^p is the p-th power of the distance
    assert losses.lp_distance(a[1], b[1], 3) ** 3 == pytest.approx(27 + 64)
    with pytest.raises(ValueError, match="p must be ≥ 1"):
        losses.lp_distance(a, b, 0.5)
    with pytest.raises(ValueError, match="got scalars"):
        losses.lp_distance(1.0, 2.0)
