"""dlcourse.regularization against torch, scikit-learn and scipy."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.nn import functional

from dlcourse import regularization as reg

RTOL, ATOL = 1e-10, 1e-12


# ---------------------------------------------------------------------------------------------
# L2 and L1
# ---------------------------------------------------------------------------------------------

def data_loss_torch(w, c):
    """An arbitrary smooth unregularized loss J for the autograd checks."""
    return torch.sum(torch.sin(w) * c) + 0.5 * torch.sum((w - 0.3) ** 2)


@pytest.mark.parametrize("shape", [(4,), (3, 5), (2, 3, 4)])
def test_l2_penalty_and_gradient_against_autograd(shape):
    rng = np.random.default_rng(0)
    w, c = rng.standard_normal(shape), rng.standard_normal(shape)
    alpha = 0.37
    wt = torch.tensor(w, requires_grad=True)
    J = data_loss_torch(wt, torch.tensor(c))
    (J + alpha / 2 * torch.sum(wt**2)).backward()
    wt2 = torch.tensor(w, requires_grad=True)
    data_loss_torch(wt2, torch.tensor(c)).backward()
    assert reg.l2_penalty(w, alpha) == pytest.approx(alpha / 2 * float(np.sum(w**2)), rel=1e-14)
    np.testing.assert_allclose(reg.l2_grad(w, alpha, wt2.grad.numpy()), wt.grad.numpy(),
                               rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(reg.l2_grad(w, alpha), alpha * w, rtol=1e-15)


def test_penalties_sum_over_a_list_of_arrays():
    rng = np.random.default_rng(1)
    ws = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    ts = [torch.tensor(w) for w in ws]
    l2 = 0.1 / 2 * sum(torch.sum(t**2) for t in ts)
    l1 = 0.2 * sum(torch.sum(torch.abs(t)) for t in ts)
    assert reg.l2_penalty(ws, 0.1) == pytest.approx(l2.item(), rel=1e-14)
    assert reg.l1_penalty(ws, 0.2) == pytest.approx(l1.item(), rel=1e-14)
    assert reg.l2_penalty(ws, 0.0) == 0.0


def test_l1_subgradient_against_autograd_including_zeros():
    rng = np.random.default_rng(2)
    w = rng.standard_normal((4, 6))
    w[0, :3] = 0.0
    c = rng.standard_normal(w.shape)
    alpha = 0.25
    wt = torch.tensor(w, requires_grad=True)
    (data_loss_torch(wt, torch.tensor(c)) + alpha * torch.sum(torch.abs(wt))).backward()
    wt2 = torch.tensor(w, requires_grad=True)
    data_loss_torch(wt2, torch.tensor(c)).backward()
    np.testing.assert_allclose(reg.l1_subgradient(w, alpha, wt2.grad.numpy()), wt.grad.numpy(),
                               rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(reg.l1_subgradient(w, alpha)[0, :3], 0.0)
    assert reg.l1_penalty(w, alpha) == pytest.approx(alpha * np.abs(w).sum(), rel=1e-14)


def test_weight_decay_step_equals_torch_sgd_weight_decay():
    rng = np.random.default_rng(3)
    A = rng.standard_normal((8, 5))
    b = rng.standard_normal(8)
    lr, alpha = 0.05, 0.3

    def grad_j(w):
        return A.T @ (A @ w - b) / 8

    w = rng.standard_normal(5)
    wt = torch.tensor(w.copy(), requires_grad=True)
    opt = torch.optim.SGD([wt], lr=lr, weight_decay=alpha)
    for _ in range(100):
        g = grad_j(w)
        w_new = reg.sgd_weight_decay_step(w, g, lr, alpha)
        # the seed's form is a gradient step on J + α/2‖w‖²
        np.testing.assert_allclose(w_new, w - lr * reg.l2_grad(w, alpha, g), rtol=1e-13,
                                   atol=1e-15)
        w = w_new
        wt.grad = torch.from_numpy(grad_j(wt.detach().numpy()))
        opt.step()
        np.testing.assert_allclose(w, wt.detach().numpy(), rtol=RTOL, atol=ATOL)
    # the minimizer of J + α/2‖w‖²: (AᵀA/8 + αI) w = Aᵀb/8
    w_star = np.linalg.solve(A.T @ A / 8 + alpha * np.eye(5), A.T @ b / 8)
    for _ in range(2000):
        w = reg.sgd_weight_decay_step(w, grad_j(w), lr, alpha)
    np.testing.assert_allclose(w, w_star, atol=1e-10)


def test_soft_threshold_and_ista_step_equal_torch_softshrink():
    rng = np.random.default_rng(4)
    w = rng.standard_normal(200)
    g = rng.standard_normal(200)
    np.testing.assert_allclose(reg.soft_threshold(w, 0.4),
                               functional.softshrink(torch.tensor(w), 0.4).numpy(), rtol=1e-15)
    np.testing.assert_allclose(reg.ista_step(w, g, 0.1, 2.0),
                               functional.softshrink(torch.tensor(w - 0.1 * g), 0.2).numpy(),
                               rtol=1e-15)
    assert np.sum(reg.soft_threshold(w, 0.4) == 0) == np.sum(np.abs(w) <= 0.4)


def test_l1_gives_exact_zeros_where_l2_gives_none():
    from sklearn.linear_model import Lasso, Ridge

    r = reg.l1_vs_l2_sparsity(alpha_l1=0.1, alpha_l2=0.1, n=100, features=20, informative=5)
    assert np.count_nonzero(r.w_true) == 5
    n_zero_l1, n_zero_l2 = np.sum(r.w_l1 == 0), np.sum(r.w_l2 == 0)
    assert n_zero_l1 >= 10 and n_zero_l2 == 0
    assert np.all(r.w_l1[:5] != 0), "the informative features survive"
    # same solutions as scikit-learn's lasso (1/(2n)‖y − Xw‖² + α‖w‖₁) and ridge
    # (‖y − Xw‖² + α'‖w‖², α' = n·α)
    lasso = Lasso(alpha=0.1, fit_intercept=False, tol=1e-14, max_iter=100_000).fit(r.X, r.y)
    np.testing.assert_allclose(r.w_l1, lasso.coef_, atol=1e-8)
    np.testing.assert_array_equal(r.w_l1 == 0, lasso.coef_ == 0)
    ridge = Ridge(alpha=0.1 * 100, fit_intercept=False).fit(r.X, r.y)
    np.testing.assert_allclose(r.w_l2, ridge.coef_, atol=1e-10)
    # subgradient steps hover near the lasso solution without reaching exact zeros
    assert np.sum(r.w_l1_subgradient == 0) == 0
    assert np.max(np.abs(r.w_l1_subgradient - lasso.coef_)) < 0.2


@pytest.mark.parametrize("call, exc, match", [
    (lambda: reg.l2_penalty(np.ones(3), -0.1), ValueError, "alpha"),
    (lambda: reg.l2_penalty([], 0.1), ValueError, "empty"),
    (lambda: reg.l1_penalty("abc", 0.1), TypeError, "array-like"),
    (lambda: reg.l2_grad(np.ones(3), 0.1, np.ones(4)), ValueError, "shape"),
    (lambda: reg.l1_subgradient(np.ones(3), 0.1, np.ones((3, 1))), ValueError, "shape"),
    (lambda: reg.sgd_weight_decay_step(np.ones(3), None, 0.1, 0.1), TypeError, "grad"),
    (lambda: reg.sgd_weight_decay_step(np.ones(3), np.ones(3), -0.1, 0.1), ValueError, "lr"),
    (lambda: reg.ista_step(np.ones(3), None, 0.1, 0.1), TypeError, "grad"),
    (lambda: reg.soft_threshold(np.ones(3), -1.0), ValueError, "threshold"),
    (lambda: reg.l1_vs_l2_sparsity(features=3, informative=5), ValueError, "informative"),
])
def test_penalty_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_penalty_functions_leave_inputs_alone():
    w, g = np.array([1.0, -2.0, 0.0]), np.array([0.5, 0.5, 0.5])
    w0, g0 = w.copy(), g.copy()
    for f in (lambda: reg.l2_grad(w, 0.1, g), lambda: reg.l1_subgradient(w, 0.1, g),
              lambda: reg.sgd_weight_decay_step(w, g, 0.1, 0.1),
              lambda: reg.ista_step(w, g, 0.1, 1),
              lambda: reg.soft_threshold(w, 0.5)):
        f()
        np.testing.assert_array_equal(w, w0)
        np.testing.assert_array_equal(g, g0)


# ---------------------------------------------------------------------------------------------
# Dropout
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_statistics_match_torch(p):
    x = np.ones((1000, 1000))
    out, _ = reg.dropout_forward(x, p, training=True, rng=np.random.default_rng(0))
    torch.manual_seed(0)
    tout = functional.dropout(torch.ones(1000, 1000, dtype=torch.float64), p, training=True).numpy()
    keep = 1 - p
    for o in (out, tout):
        assert np.mean(o == 0) == pytest.approx(p, abs=0.003)
        assert o.mean() == pytest.approx(1.0, abs=0.01)               # expected activation kept
        assert o.var() == pytest.approx(p / keep, rel=0.03)           # Bernoulli/(1−p)²
        np.testing.assert_allclose(o[o != 0], 1 / keep, rtol=1e-15)   # kept ones scaled by 1/(1−p)
    assert np.mean(out == 0) == pytest.approx(np.mean(tout == 0), abs=0.004)


def test_dropout_keeps_the_expected_activation_of_every_unit():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(20)
    outs = np.array([reg.dropout_forward(x, 0.4, training=True, rng=rng)[0]
                     for _ in range(20000)])
    se = np.abs(x) * np.sqrt(0.4 / 0.6) / np.sqrt(20000)
    assert np.all(np.abs(outs.mean(axis=0) - x) < 5 * se + 1e-12)


def test_dropout_mask_is_the_documented_draw():
    x = np.random.default_rng(2).standard_normal((6, 7))
    out, _ = reg.dropout_forward(x, 0.3, training=True, rng=np.random.default_rng(9))
    keep = np.random.default_rng(9).random((6, 7)) >= 0.3
    np.testing.assert_allclose(out, x * keep / 0.7, rtol=1e-15)


def test_dropout_eval_is_identity_like_torch():
    x = np.random.default_rng(3).standard_normal((5, 4))
    out, cache = reg.dropout_forward(x, 0.5, training=False)
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(
        out, functional.dropout(torch.tensor(x), 0.5, training=False).numpy())
    assert out is not x
    dout = np.ones_like(x)
    np.testing.assert_array_equal(reg.dropout_backward(dout, cache), dout)
    out, _ = reg.dropout_forward(x, 0.0, training=True)                # p = 0: nothing dropped
    np.testing.assert_array_equal(out, x)
    out, cache = reg.dropout_forward(x, 1.0, training=True, rng=np.random.default_rng())
    np.testing.assert_array_equal(
        out, functional.dropout(torch.tensor(x), 1.0, training=True).numpy())
    np.testing.assert_array_equal(reg.dropout_backward(dout, cache), 0.0)


def test_dropout_backward_uses_the_forward_mask_like_torch():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((50, 30)) + 3.0      # no zeros in x, so out == 0 means dropped
    dout = rng.standard_normal(x.shape)
    x0, d0 = x.copy(), dout.copy()
    out, cache = reg.dropout_forward(x, 0.35, training=True, rng=rng)
    dx = reg.dropout_backward(dout, cache)
    np.testing.assert_allclose(dx, dout * out / x, rtol=1e-14)
    np.testing.assert_array_equal(dx == 0, out == 0)
    xt = torch.tensor(x, requires_grad=True)
    tout = functional.dropout(xt, 0.35, training=True)
    tout.backward(torch.tensor(dout))
    np.testing.assert_allclose(xt.grad.numpy(), dout * tout.detach().numpy() / x, rtol=1e-14)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(dout, d0)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: reg.dropout_forward(np.ones(3), 1.5, training=True, rng=np.random.default_rng()),
     ValueError, "p"),
    (lambda: reg.dropout_forward(np.ones(3), 0.5, training="yes"), TypeError, "training"),
    (lambda: reg.dropout_forward(np.ones(3), 0.5, training=True), TypeError, "rng"),
    (lambda: reg.dropout_backward(np.ones(4), np.ones(3)), ValueError, "shape"),
])
def test_dropout_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---------------------------------------------------------------------------------------------
# Early stopping
# ---------------------------------------------------------------------------------------------

def run_curve(curve, patience, min_delta=0.0):
    stopper = reg.EarlyStopping(patience, min_delta)
    w = np.zeros(2)
    b = np.zeros(1)
    stopped_at = None
    for epoch, loss in enumerate(curve):
        w[:] = epoch          # "training" changes the parameters in place
        b[:] = -epoch
        if stopper.step(loss, [w, b]):
            stopped_at = epoch
            break
    return stopper, stopped_at, w, b


def test_early_stopping_on_a_scripted_curve():
    stopper, stopped_at, w, b = run_curve([1.0, 0.8, 0.6, 0.65, 0.62, 0.61, 0.7, 0.5], 3)
    assert stopped_at == 5                      # three checks in a row without a new best
    assert stopper.best_epoch == 2 and stopper.best_loss == 0.6
    assert stopper.stopped and stopper.num_bad_epochs == 3 and stopper.epoch == 6
    np.testing.assert_array_equal(w, 5.0)
    restored = stopper.restore()
    assert restored[0] is w and restored[1] is b
    np.testing.assert_array_equal(w, 2.0)
    np.testing.assert_array_equal(b, -2.0)


def test_early_stopping_min_delta_and_reset():
    stopper, stopped_at, _, _ = run_curve([1.0, 0.97, 0.90, 0.88, 0.86, 0.84], 2, 0.05)
    assert stopped_at == 4 and stopper.best_epoch == 2 and stopper.best_loss == 0.90
    stopper, stopped_at, _, _ = run_curve([1.0, 2.0, 3.0, 0.5, 2.0, 3.0, 4.0], 3)
    assert stopped_at == 6 and stopper.best_epoch == 3
    stopper, stopped_at, _, _ = run_curve([1.0, 0.9, 0.8, 0.7], 1)
    assert stopped_at is None and stopper.best_epoch == 3 and not stopper.stopped
    stopper, stopped_at, _, _ = run_curve([1.0, float("nan"), 0.9], 1)
    assert stopped_at == 1


def test_early_stopping_keeps_copies_and_restores_elsewhere():
    stopper = reg.EarlyStopping(patience=2)
    w = np.array([1.0, 2.0])
    stopper.step(0.5, [w])
    w *= 10
    np.testing.assert_array_equal(stopper.best_params[0], [1.0, 2.0])
    other = np.zeros(2)
    stopper.restore([other])
    np.testing.assert_array_equal(other, [1.0, 2.0])
    np.testing.assert_array_equal(w, [10.0, 20.0])


@pytest.mark.parametrize("call, exc, match", [
    (lambda: reg.EarlyStopping(0), ValueError, "patience"),
    (lambda: reg.EarlyStopping(2, -0.1), ValueError, "min_delta"),
    (lambda: reg.EarlyStopping(2).restore(), RuntimeError, "nothing to restore"),
    (lambda: reg.EarlyStopping(2).step(0.3, np.zeros(3)), TypeError, "list of arrays"),
    (lambda: reg.EarlyStopping(2).step("low", [np.zeros(3)]), TypeError, "number"),
    (lambda: reg.EarlyStopping(2).step(0.3, [[1.0, 2.0]]), TypeError, "NumPy array"),
])
def test_early_stopping_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---------------------------------------------------------------------------------------------
# Label smoothing
# ---------------------------------------------------------------------------------------------

def test_smooth_labels_follow_the_seed():
    q = reg.smooth_labels([0, 2, 1], 4, 0.2)
    assert q.shape == (3, 4)
    np.testing.assert_allclose(q.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(q[0], [1 - 3 * 0.2 / 4, 0.05, 0.05, 0.05], rtol=1e-15)
    np.testing.assert_allclose(q[1, 2], 1 - 3 * 0.2 / 4, rtol=1e-15)
    np.testing.assert_array_equal(reg.smooth_labels([1, 0], 3, 0.0), np.eye(3)[[1, 0]])
    np.testing.assert_allclose(reg.smooth_labels([1], 5, 1.0), [[0.2] * 5], rtol=1e-15)


@pytest.mark.parametrize("N, k", [(1, 2), (7, 3), (16, 10)])
@pytest.mark.parametrize("eps", [0.0, 0.1, 0.35, 1.0])
def test_label_smoothing_cross_entropy_equals_torch(N, k, eps):
    rng = np.random.default_rng(N * k)
    logits = 3 * rng.standard_normal((N, k))
    labels = rng.integers(0, k, N)
    zt = torch.tensor(logits, requires_grad=True)
    loss = torch.nn.CrossEntropyLoss(label_smoothing=eps)(zt, torch.tensor(labels))
    loss.backward()
    assert reg.label_smoothing_cross_entropy(logits, labels, eps) == pytest.approx(loss.item(),
                                                                                rel=1e-12)
    np.testing.assert_allclose(reg.label_smoothing_cross_entropy_grad(logits, labels, eps),
                               zt.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_label_smoothing_is_stable_for_huge_logits():
    logits = np.array([[1000.0, -1000.0, 0.0]])
    expected = torch.nn.CrossEntropyLoss(label_smoothing=0.1)(torch.tensor(logits),
                                                              torch.tensor([0])).item()
    assert reg.label_smoothing_cross_entropy(logits, [0], 0.1) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: reg.smooth_labels([0, 3], 3, 0.1), ValueError, "0..2"),
    (lambda: reg.smooth_labels([0.0, 1.0], 3, 0.1), ValueError, "integer"),
    (lambda: reg.smooth_labels([0, 1], 3, 1.5), ValueError, "epsilon"),
    (lambda: reg.smooth_labels([0, 1], 1, 0.1), ValueError, "num_classes"),
    (lambda: reg.label_smoothing_cross_entropy(np.zeros(3), [0], 0.1), ValueError, "2-D"),
    (lambda: reg.label_smoothing_cross_entropy(np.zeros((2, 3)), [0], 0.1), ValueError, "match"),
])
def test_label_smoothing_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---------------------------------------------------------------------------------------------
# Augmentation
# ---------------------------------------------------------------------------------------------

def shifted_by_slicing(img, dx, dy):
    H, W = img.shape
    out = np.zeros_like(img)
    if abs(dx) >= W or abs(dy) >= H:
        return out
    out[max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \
        img[max(-dy, 0):H - max(dy, 0), max(-dx, 0):W - max(dx, 0)]
    return out


@pytest.mark.parametrize("H, W", [(8, 8), (7, 10)])
@pytest.mark.parametrize("dx, dy", [(0, 0), (1, 0), (0, -2), (-3, 2), (2, 5), (12, 0),
                                    (-1, -11)])
def test_shift_image_exactly(H, W, dx, dy):
    from scipy import ndimage

    img = np.random.default_rng(5).random((H, W))
    out = reg.shift_image(img, dx, dy)
    np.testing.assert_array_equal(out, shifted_by_slicing(img, dx, dy))
    np.testing.assert_array_equal(out, ndimage.shift(img, (dy, dx), order=0, mode="constant"))
    batch = np.stack([img, 2 * img])
    np.testing.assert_array_equal(reg.shift_image(batch, dx, dy), np.stack([out, 2 * out]))


def test_shift_direction():
    img = np.zeros((3, 3))
    img[1, 1] = 1.0
    assert reg.shift_image(img, 1, 0)[1, 2] == 1.0     # dx > 0: right
    assert reg.shift_image(img, 0, 1)[2, 1] == 1.0     # dy > 0: down


@pytest.mark.parametrize("H, W", [(8, 8), (9, 9), (6, 11)])
@pytest.mark.parametrize("deg", [0.0, 3.0, -10.0, 25.5, 90.0, -150.0])
def test_rotate_image_against_scipy(H, W, deg):
    from scipy import ndimage

    img = np.random.default_rng(6).random((H, W))
    expected = ndimage.rotate(img, deg, reshape=False, order=1, mode="grid-constant", cval=0.0)
    np.testing.assert_allclose(reg.rotate_image(img, deg), expected, rtol=1e-12, atol=1e-13)
    batch = np.stack([img, img[::-1]])
    out = reg.rotate_image(batch, deg)
    np.testing.assert_allclose(out[1], ndimage.rotate(img[::-1], deg, reshape=False, order=1,
                                                      mode="grid-constant"), atol=1e-13)


def test_rotate_special_angles():
    img = np.arange(64.0).reshape(8, 8)
    np.testing.assert_allclose(reg.rotate_image(img, 90), np.rot90(img), atol=1e-12)
    np.testing.assert_allclose(reg.rotate_image(img, -90), np.rot90(img, -1), atol=1e-12)
    np.testing.assert_allclose(reg.rotate_image(img, 180), img[::-1, ::-1], atol=1e-12)
    np.testing.assert_array_equal(reg.rotate_image(img, 0), img)
    img = np.zeros((5, 5))
    img[0, 2] = 1.0
    assert reg.rotate_image(img, 90)[2, 0] == pytest.approx(1.0)   # counterclockwise as displayed


def test_add_noise():
    img = np.random.default_rng(7).random((300, 300))
    out = reg.add_noise(img, 0.2, np.random.default_rng(8))
    np.testing.assert_allclose(out, img + 0.2 * np.random.default_rng(8).standard_normal(
        img.shape), rtol=1e-15)
    assert (out - img).std() == pytest.approx(0.2, rel=0.01)
    np.testing.assert_array_equal(reg.add_noise(img, 0.0, np.random.default_rng()), img)


def test_augment_batch_is_the_documented_composition():
    from sklearn.datasets import load_digits

    images = load_digits().images[:12] / 16.0
    before = images.copy()
    out = reg.augment_batch(images, np.random.default_rng(10), max_shift=2, max_degrees=15,
                          noise_std=0.1)
    np.testing.assert_array_equal(images, before)
    rng = np.random.default_rng(10)
    angles = rng.uniform(-15, 15, 12)
    dx = rng.integers(-2, 3, 12)
    dy = rng.integers(-2, 3, 12)
    noise = rng.standard_normal(images.shape)
    for i in range(12):
        expected = reg.shift_image(reg.rotate_image(images[i], angles[i]), int(dx[i]), int(dy[i]))
        np.testing.assert_allclose(out[i], expected + 0.1 * noise[i], rtol=1e-12, atol=1e-14)
    still = reg.augment_batch(images, np.random.default_rng(), max_shift=0, max_degrees=0,
                            noise_std=0)
    np.testing.assert_allclose(still, images, atol=1e-15)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: reg.shift_image(np.zeros(8), 1, 0), ValueError, "(H, W)"),
    (lambda: reg.shift_image(np.zeros((8, 8)), 1.5, 0), TypeError, "whole number"),
    (lambda: reg.rotate_image(np.zeros((8, 8)), "10"), TypeError, "degrees"),
    (lambda: reg.augment_batch(np.zeros((8, 8)), np.random.default_rng()), ValueError,
     "(N, H, W)"),
    (lambda: reg.augment_batch(np.zeros((2, 8, 8)), 0), TypeError, "Generator"),
    (lambda: reg.augment_batch(np.zeros((2, 8, 8)), np.random.default_rng(), max_shift=-1),
     ValueError, "max_shift"),
    (lambda: reg.add_noise(np.zeros(3), -1.0, np.random.default_rng()), ValueError, "std"),
])
def test_augmentation_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---------------------------------------------------------------------------------------------
# Max-norm constraint
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("shape", "axis", "dim"), [((6, 9), 0, 1), ((9, 6), 1, 0),
                                                   ((5, 3, 3, 3), (1, 2, 3), 0)])
@pytest.mark.parametrize("c", [0.5, 2.0, 3.5])
def test_max_norm_against_torch_renorm(shape, axis, dim, c):
    rng = np.random.default_rng(int(10 * c) + len(shape))
    W = rng.normal(size=shape)
    norms = np.sqrt(np.sum(W * W, axis=axis, keepdims=True))
    targets = c * np.linspace(0.3, 2.0, norms.size).reshape(norms.shape)   # short and long
    W = W / norms * rng.permutation(targets.ravel()).reshape(norms.shape)
    norms = np.sqrt(np.sum(W * W, axis=axis, keepdims=True))
    got = reg.max_norm(W, c, axis=axis)
    theirs = torch.renorm(torch.tensor(W), 2, dim, c).numpy()
    assert np.any(norms > c) and np.any(norms < c), "the test needs long and short units"
    # torch scales the long units by c / (n + 1e-7) instead of c / n
    np.testing.assert_allclose(got * np.where(norms > c, norms / (norms + 1e-7), 1.0), theirs,
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(got, theirs, rtol=1e-6)


def test_max_norm_is_a_projection():
    W = np.array([[3.0, 0.3, 0.0], [4.0, 0.4, 0.0]])      # column norms 5, 0.5, 0
    got = reg.max_norm(W, 1.0)
    np.testing.assert_allclose(got, [[0.6, 0.3, 0.0], [0.8, 0.4, 0.0]], rtol=1e-15)
    np.testing.assert_array_equal(reg.max_norm(got, 1.0), got)         # idempotent
    np.testing.assert_array_equal(reg.max_norm(W, 5.0), W)             # inside: untouched
    assert np.all(np.linalg.norm(reg.max_norm(W * 10, 1.0), axis=0) <= 1.0 + 1e-12)
    np.testing.assert_array_equal(W, [[3.0, 0.3, 0.0], [4.0, 0.4, 0.0]])   # not modified


def test_max_norm_bad_input():
    with pytest.raises(ValueError, match="c must be > 0"):
        reg.max_norm(np.ones((2, 2)), 0.0)
    with pytest.raises(ValueError, match="axis 2 does not fit W of shape"):
        reg.max_norm(np.ones((2, 2)), 1.0, axis=2)
