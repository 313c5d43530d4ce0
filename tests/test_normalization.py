"""dlcourse.normalization against scikit-learn, torch.nn modules and autograd (float64)."""

from __future__ import annotations

import time
import zlib

import numpy as np
import pytest
import torch
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from dlcourse import normalization as nm
from dlcourse.normalization import (
    batch_norm_backward,
    batch_norm_forward,
    batch_norm_running_stats,
    batch_statistic_noise,
    group_norm_backward,
    group_norm_forward,
    layer_norm_backward,
    layer_norm_forward,
    local_response_norm,
    local_response_norm_backward,
    local_response_norm_forward,
    min_max_scale,
    weight_norm,
    weight_norm_backward,
    weight_norm_forward,
    z_score,
)

RTOL, ATOL = 1e-10, 1e-12


def seed_of(*parts) -> int:
    return zlib.crc32(repr(parts).encode())


def leaf(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float64, requires_grad=True)


def close(a, b, rtol: float = RTOL, atol: float = ATOL) -> None:
    b = b.detach().numpy() if isinstance(b, torch.Tensor) else b
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


# --------------------------------------------------------------------------- feature scaling

@pytest.fixture
def train_test():
    rng = np.random.default_rng(0)
    train = rng.normal(loc=[0, 5, -3, 100], scale=[1, 0.1, 4, 30], size=(40, 4))
    train[:, 2] = 7.0                                   # a constant feature
    test = rng.normal(loc=[0, 5, -3, 100], scale=[2, 1, 4, 60], size=(9, 4))
    return train, test


@pytest.mark.parametrize("feature_range", [(0.0, 1.0), (-1.0, 1.0), (2.0, 5.0)])
def test_min_max_scale_matches_sklearn(train_test, feature_range):
    train, test = train_test
    scaler = MinMaxScaler(feature_range).fit(train)
    close(min_max_scale(train, feature_range), scaler.transform(train))
    got = min_max_scale(test, feature_range, data_min=train.min(axis=0),
                        data_max=train.max(axis=0))
    close(got, scaler.transform(test))


def test_min_max_scale_one_feature_and_range():
    x = np.array([3.0, -1.0, 5.0, 1.0])
    close(min_max_scale(x), [4 / 6, 0.0, 1.0, 2 / 6])
    close(min_max_scale(x), MinMaxScaler().fit_transform(x[:, None])[:, 0])


def test_z_score_matches_sklearn(train_test):
    train, test = train_test
    scaler = StandardScaler().fit(train)
    close(z_score(train), scaler.transform(train))
    close(z_score(test, mean=train.mean(axis=0), std=train.std(axis=0)), scaler.transform(test))
    scaled = z_score(train)
    close(scaled.mean(axis=0), np.zeros(4))
    close(scaled[:, [0, 1, 3]].std(axis=0), np.ones(3))


def test_scaling_errors():
    x = np.ones((5, 3))
    with pytest.raises(ValueError, match="low < high"):
        min_max_scale(x, (1.0, 0.0))
    with pytest.raises(TypeError, match="pair"):
        min_max_scale(x, 1.0)
    with pytest.raises(ValueError, match=r"one value per feature, shape \(3,\)"):
        min_max_scale(x, data_min=np.zeros(4))
    with pytest.raises(ValueError, match="data_max must be"):
        min_max_scale(x, data_min=np.ones(3), data_max=np.zeros(3))
    with pytest.raises(ValueError, match=r"1-D or 2-D"):
        z_score(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="std must be"):
        z_score(x, std=-np.ones(3))
    with pytest.raises(ValueError, match="no rows"):
        z_score(np.ones((0, 3)))


# --------------------------------------------------------------------------- batch norm

def _torch_bn(shape, momentum, eps, gamma, beta):
    cls = {2: torch.nn.BatchNorm1d, 3: torch.nn.BatchNorm1d, 4: torch.nn.BatchNorm2d,
           5: torch.nn.BatchNorm3d}[len(shape)]
    layer = cls(shape[1], eps=eps, momentum=momentum).double()
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(gamma))
        layer.bias.copy_(torch.tensor(beta))
    return layer


BN_SHAPES = [(8, 5), (3, 4), (6, 3, 7), (4, 3, 5, 6), (2, 4, 3, 3), (3, 2, 3, 4, 2)]


@pytest.mark.parametrize("shape", BN_SHAPES)
@pytest.mark.parametrize("momentum, eps", [(0.1, 1e-5), (0.3, 1e-3)])
def test_batch_norm_matches_torch_train_then_eval(shape, momentum, eps):
    rng = np.random.default_rng(seed_of(shape, momentum))
    C = shape[1]
    gamma, beta = rng.normal(size=C), rng.normal(size=C)
    layer = _torch_bn(shape, momentum, eps, gamma, beta)
    running_mean, running_var = np.zeros(C), np.ones(C)
    for _ in range(4):                                   # several training steps
        x = rng.normal(loc=2.0, scale=3.0, size=shape)
        xt = leaf(x)
        ref = layer.train()(xt)
        out, cache = batch_norm_forward(x, gamma, beta, running_mean, running_var,
                                        training=True, eps=eps)
        running_mean, running_var = batch_norm_running_stats(x, running_mean, running_var,
                                                             momentum=momentum)
        close(out, ref)
        close(running_mean, layer.running_mean)
        close(running_var, layer.running_var)
        dout = rng.normal(size=shape)
        layer.zero_grad()
        ref.backward(torch.tensor(dout))
        dx, dgamma, dbeta = batch_norm_backward(dout, cache)
        close(dx, xt.grad)
        close(dgamma, layer.weight.grad)
        close(dbeta, layer.bias.grad)
    x = rng.normal(loc=2.0, scale=3.0, size=shape)
    xt = leaf(x)
    ref = layer.eval()(xt)
    out, cache = batch_norm_forward(x, gamma, beta, running_mean, running_var,
                                    training=False, eps=eps)
    close(out, ref)
    close(running_mean, layer.running_mean)           # inference left torch's alone too
    dout = rng.normal(size=shape)
    layer.zero_grad()
    ref.backward(torch.tensor(dout))
    dx, dgamma, dbeta = batch_norm_backward(dout, cache)
    close(dx, xt.grad)
    close(dgamma, layer.weight.grad)
    close(dbeta, layer.bias.grad)


@pytest.mark.parametrize("shape", [*BN_SHAPES, (64, 16, 7, 7)])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_fast_path_equals_the_readable_one(shape, training):
    rng = np.random.default_rng(seed_of(shape, training, "fast"))
    C = shape[1]
    x, dout = rng.normal(3.0, 2.0, size=shape), rng.normal(size=shape)
    gamma, beta = rng.normal(size=C), rng.normal(size=C)
    rm, rv = rng.normal(size=C), rng.uniform(0.5, 2.0, size=C)
    x0 = x.copy()
    out, cache = batch_norm_forward(x, gamma, beta, rm, rv, training=training, eps=1e-3)
    fast_out, fast_cache = nm._batch_norm_forward_fast(x, gamma, beta, rm, rv,
                                                       training=training, eps=1e-3)
    np.testing.assert_array_equal(x, x0)
    close(fast_out, out, rtol=1e-12, atol=1e-13)
    grads = batch_norm_backward(dout, cache)
    for backward in (batch_norm_backward, nm._batch_norm_backward_fast):
        for c in (cache, fast_cache):                     # either backward takes either cache
            for fast, readable in zip(backward(dout, c), grads, strict=True):
                close(fast, readable, rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="dout must have x's shape"):
        nm._batch_norm_backward_fast(dout[:1], fast_cache)


@pytest.mark.parametrize("shape", [*BN_SHAPES, (64, 16, 7, 7)])
def test_batch_norm_fast_training_step_equals_forward_then_running_stats(shape):
    rng = np.random.default_rng(seed_of(shape, "fast step"))
    C = shape[1]
    x = rng.normal(3.0, 2.0, size=shape)
    gamma, beta = rng.normal(size=C), rng.normal(size=C)
    rm, rv = rng.normal(size=C), rng.uniform(0.5, 2.0, size=C)
    x0, rm0, rv0 = x.copy(), rm.copy(), rv.copy()
    out, cache = batch_norm_forward(x, gamma, beta, rm, rv, training=True, eps=1e-3)
    mean, var = batch_norm_running_stats(x, rm, rv, momentum=0.3)
    f_out, f_cache, f_mean, f_var = nm._batch_norm_train_step_fast(x, gamma, beta, rm, rv,
                                                                   momentum=0.3, eps=1e-3)
    for a, b in zip((x, rm, rv), (x0, rm0, rv0), strict=True):
        np.testing.assert_array_equal(a, b)  # nothing changed in place
    close(f_out, out, rtol=1e-12, atol=1e-13)
    close(f_mean, mean, rtol=1e-12, atol=1e-14)
    close(f_var, var, rtol=1e-12, atol=1e-14)
    dout = rng.normal(size=shape)
    for fast, readable in zip(nm._batch_norm_backward_fast(dout, f_cache),
                              batch_norm_backward(dout, cache), strict=True):
        close(fast, readable, rtol=1e-10, atol=1e-12)


def test_batch_norm_running_variance_is_unbiased():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(6, 3, 2, 2))
    rm, rv = batch_norm_running_stats(x, np.full(3, 9.0), np.full(3, 9.0), momentum=1.0)
    close(rm, x.mean(axis=(0, 2, 3)))
    close(rv, x.var(axis=(0, 2, 3), ddof=1))
    rm, rv = batch_norm_running_stats(x, np.zeros(3), np.ones(3), momentum=0.25)
    close(rm, 0.25 * x.mean(axis=(0, 2, 3)))
    close(rv, 0.75 + 0.25 * x.var(axis=(0, 2, 3), ddof=1))
    rm, rv = batch_norm_running_stats(x, np.full(3, 2.0), np.full(3, 5.0))   # torch's 0.1
    close(rm, 1.8 + 0.1 * x.mean(axis=(0, 2, 3)))
    close(rv, 4.5 + 0.1 * x.var(axis=(0, 2, 3), ddof=1))


def test_batch_norm_running_stats_match_torch_update_stats():
    """torch.batch_norm_update_stats takes the same arguments and updates them in place."""
    rng = np.random.default_rng(11)
    for shape in BN_SHAPES:
        x = rng.normal(1.0, 2.0, size=shape)
        rm, rv = rng.normal(size=shape[1]), rng.uniform(0.5, 2.0, size=shape[1])
        trm, trv = torch.tensor(rm), torch.tensor(rv)
        torch.batch_norm_update_stats(torch.tensor(x), trm, trv, 0.3)
        new_mean, new_var = batch_norm_running_stats(x, rm, rv, momentum=0.3)
        close(new_mean, trm)
        close(new_var, trv)
        biased = 0.7 * rv + 0.3 * x.var(axis=(0, *range(2, x.ndim)))
        assert not np.allclose(biased, trv.numpy(), rtol=RTOL, atol=ATOL)


def test_batch_norm_output_is_standardized_and_the_seed_formula_is_not():
    """Errata, seed 001 §3.6.10: (x + μ)/(√σ² + ε) is printed; (x − μ)/√(σ² + ε) is right."""
    rng = np.random.default_rng(2)
    x = rng.normal(loc=4.0, scale=2.0, size=(50, 3))
    eps = 1e-5
    out, _ = batch_norm_forward(x, np.ones(3), np.zeros(3), np.zeros(3), np.ones(3),
                                training=True, eps=eps)
    var = x.var(axis=0)
    close(out.mean(axis=0), np.zeros(3))
    close(out.var(axis=0), var / (var + eps))
    misprinted = (x + x.mean(axis=0)) / (np.sqrt(var) + eps)
    assert np.all(np.abs(misprinted.mean(axis=0)) > 1.0)


def test_batch_norm_gamma_beta_set_the_output_distribution():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 2))
    out, _ = batch_norm_forward(x, np.array([2.0, 0.5]), np.array([-1.0, 3.0]), np.zeros(2),
                                np.ones(2), training=True, eps=1e-12)
    close(out.mean(axis=0), [-1.0, 3.0])
    close(out.std(axis=0), [2.0, 0.5], rtol=1e-9)


def test_batch_norm_errors():
    g, b, rm, rv = np.ones(3), np.zeros(3), np.zeros(3), np.ones(3)
    with pytest.raises(ValueError, match="more than one value per channel"):
        batch_norm_forward(np.ones((1, 3)), g, b, rm, rv, training=True)
    batch_norm_forward(np.ones((1, 3)), g, b, rm, rv, training=False)   # fine at inference
    with pytest.raises(ValueError, match="gamma and the channels of x"):
        batch_norm_forward(np.ones((4, 5)), g, b, rm, rv, training=True)
    with pytest.raises(ValueError, match="momentum must be ≤ 1"):
        batch_norm_running_stats(np.ones((4, 3)), rm, rv, momentum=1.5)
    with pytest.raises(ValueError, match="more than one value per channel"):
        batch_norm_running_stats(np.ones((1, 3)), rm, rv)
    with pytest.raises(ValueError, match="running_var and the channels of x"):
        batch_norm_running_stats(np.ones((4, 3)), rm, np.ones(4))
    with pytest.raises(TypeError, match="momentum"):
        batch_norm_forward(np.ones((4, 3)), g, b, rm, rv, training=True, momentum=0.1)
    with pytest.raises(ValueError, match="eps must be > 0"):
        batch_norm_forward(np.ones((4, 3)), g, b, rm, rv, training=True, eps=0.0)
    with pytest.raises(TypeError, match="training must be True or False"):
        batch_norm_forward(np.ones((4, 3)), g, b, rm, rv, training="yes")
    with pytest.raises(TypeError):
        batch_norm_forward(np.ones((4, 3)), g, b, rm, rv)   # training is required
    with pytest.raises(ValueError, match=r"\(N, C\)"):
        batch_norm_forward(np.ones(3), g, b, rm, rv, training=True)
    _, cache = batch_norm_forward(np.ones((4, 3)), g, b, rm, rv, training=True)
    with pytest.raises(ValueError, match="dout must have x's shape"):
        batch_norm_backward(np.ones((3, 3)), cache)


# --------------------------------------------------------------------------- layer norm

@pytest.mark.parametrize("shape, k", [((5, 7), 1), ((3, 4, 5), 1), ((2, 3, 4, 5), 3),
                                      ((4, 6, 2), 2), ((1, 9), 1)])
def test_layer_norm_matches_torch(shape, k):
    rng = np.random.default_rng(seed_of(shape, k))
    x = rng.normal(loc=1.0, scale=2.0, size=shape)
    normalized = shape[len(shape) - k:]
    gamma, beta = rng.normal(size=normalized), rng.normal(size=normalized)
    layer = torch.nn.LayerNorm(normalized, eps=1e-5).double()
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(gamma))
        layer.bias.copy_(torch.tensor(beta))
    xt = leaf(x)
    ref = layer(xt)
    out, cache = layer_norm_forward(x, gamma, beta)
    close(out, ref)
    dout = rng.normal(size=shape)
    ref.backward(torch.tensor(dout))
    dx, dgamma, dbeta = layer_norm_backward(dout, cache)
    close(dx, xt.grad)
    close(dgamma, layer.weight.grad)
    close(dbeta, layer.bias.grad)


def test_layer_norm_errors():
    with pytest.raises(ValueError, match="shape of x's last axes"):
        layer_norm_forward(np.ones((2, 3)), np.ones(4), np.zeros(4))
    with pytest.raises(ValueError, match="shape of x's last axes"):
        layer_norm_forward(np.ones((2, 3)), np.ones(3), np.zeros(2))


# --------------------------------------------------------------------------- group norm

@pytest.mark.parametrize("shape, groups", [((4, 6, 5, 5), 1), ((4, 6, 5, 5), 2),
                                           ((4, 6, 5, 5), 3), ((4, 6, 5, 5), 6),
                                           ((3, 4), 2), ((2, 6, 7), 3), ((2, 4, 3, 2, 2), 2)])
def test_group_norm_matches_torch(shape, groups):
    rng = np.random.default_rng(seed_of(shape, groups))
    C = shape[1]
    x = rng.normal(loc=-1.0, scale=3.0, size=shape)
    gamma, beta = rng.normal(size=C), rng.normal(size=C)
    layer = torch.nn.GroupNorm(groups, C, eps=1e-5).double()
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(gamma))
        layer.bias.copy_(torch.tensor(beta))
    xt = leaf(x)
    ref = layer(xt)
    out, cache = group_norm_forward(x, gamma, beta, groups)
    close(out, ref)
    dout = rng.normal(size=shape)
    ref.backward(torch.tensor(dout))
    dx, dgamma, dbeta = group_norm_backward(dout, cache)
    close(dx, xt.grad)
    close(dgamma, layer.weight.grad)
    close(dbeta, layer.bias.grad)


def test_group_norm_is_batch_independent_and_batch_norm_is_not():
    rng = np.random.default_rng(4)
    C = 4
    gamma, beta = np.ones(C), np.zeros(C)
    probe = rng.normal(size=(1, C, 3, 3))
    gn_rows, bn_rows = [], []
    for batch_size in (1, 2, 8):
        batch = np.concatenate([probe, rng.normal(size=(batch_size, C, 3, 3))])
        gn_rows.append(group_norm_forward(batch, gamma, beta, 2)[0][0])
        bn_rows.append(batch_norm_forward(batch, gamma, beta, np.zeros(C), np.ones(C),
                                          training=True)[0][0])
    for row in gn_rows[1:]:
        close(row, gn_rows[0])
    assert not np.allclose(bn_rows[0], bn_rows[1])
    assert not np.allclose(bn_rows[1], bn_rows[2])


def test_group_norm_errors():
    with pytest.raises(ValueError, match="cannot be split into 4 equal groups"):
        group_norm_forward(np.ones((2, 6, 3, 3)), np.ones(6), np.zeros(6), 4)
    with pytest.raises(ValueError, match="num_groups must be at least 1"):
        group_norm_forward(np.ones((2, 6, 3, 3)), np.ones(6), np.zeros(6), 0)


# --------------------------------------------------------------------------- weight norm

@pytest.mark.parametrize("module", ["linear", "conv"])
def test_weight_norm_matches_torch(module):
    from torch.nn.utils.parametrizations import weight_norm as torch_weight_norm

    rng = np.random.default_rng(5 if module == "linear" else 6)
    layer = (torch.nn.Linear(5, 3) if module == "linear" else torch.nn.Conv2d(3, 4, 3)).double()
    layer = torch_weight_norm(layer, dim=0)
    param = layer.parametrizations.weight
    v = rng.normal(size=tuple(param.original1.shape))
    g = rng.normal(size=v.shape[0])
    with torch.no_grad():
        param.original0.copy_(torch.tensor(g).reshape(param.original0.shape))
        param.original1.copy_(torch.tensor(v))
    close(weight_norm(v, g), layer.weight)
    close(weight_norm(v, g), torch._weight_norm(torch.tensor(v), torch.tensor(
        g.reshape(param.original0.shape)), 0))


@pytest.mark.parametrize("shape", [(3, 5), (4, 3, 3, 3), (2, 7, 4)])
def test_weight_norm_backward_matches_autograd(shape):
    rng = np.random.default_rng(seed_of(shape))
    v, g = rng.normal(size=shape), rng.normal(size=shape[0])
    vt, gt = leaf(v), leaf(g)
    axes = tuple(range(1, len(shape)))
    norm = torch.linalg.vector_norm(vt, dim=axes, keepdim=True)
    ref = gt.reshape((-1,) + (1,) * (len(shape) - 1)) * vt / norm
    w, cache = weight_norm_forward(v, g)
    close(w, ref)
    dw = rng.normal(size=shape)
    ref.backward(torch.tensor(dw))
    dv, dg = weight_norm_backward(dw, cache)
    close(dv, vt.grad)
    close(dg, gt.grad)
    close(np.sqrt(np.sum(w * w, axis=axes)), np.abs(g))     # each unit's length is |g|
    close(np.sum(dv * v, axis=axes), np.zeros(shape[0]))     # dv ⟂ v


def test_weight_norm_errors():
    with pytest.raises(ValueError, match=r"g\.reshape\(-1\)"):
        weight_norm(np.ones((3, 4)), np.ones((3, 1)))
    with pytest.raises(ValueError, match="length of g"):
        weight_norm(np.ones((3, 4)), np.ones(4))
    with pytest.raises(ValueError, match="all zeros"):
        weight_norm(np.zeros((3, 4)), np.ones(3))


# --------------------------------------------------------------------------- local response norm

@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 6, 9])
@pytest.mark.parametrize("shape", [(2, 7, 5), (2, 6, 3, 4), (1, 5, 2, 3, 2)])
def test_local_response_norm_matches_torch(size, shape):
    rng = np.random.default_rng(seed_of(size, shape))
    x = 3.0 * rng.normal(size=shape)
    alpha, beta, k = 0.3, 0.7, 1.5
    xt = leaf(x)
    ref = torch.nn.LocalResponseNorm(size, alpha=alpha, beta=beta, k=k)(xt)
    out, cache = local_response_norm_forward(x, size, alpha, beta, k)
    close(out, ref)
    close(local_response_norm(x, size, alpha, beta, k), ref)
    dout = rng.normal(size=shape)
    ref.backward(torch.tensor(dout))
    close(local_response_norm_backward(dout, cache), xt.grad)


def test_local_response_norm_default_parameters_match_torch():
    x = 10.0 * np.random.default_rng(7).normal(size=(2, 8, 3, 3))
    ref = torch.nn.LocalResponseNorm(5)(torch.tensor(x))
    close(local_response_norm(x, 5), ref)


def test_local_response_norm_alpha_is_divided_by_size():
    """Seed 001 §3.6.7 sums α·Σ a_j² over j = i − n/2 .. i + n/2; torch and we use (α/size)."""
    rng = np.random.default_rng(8)
    x = rng.normal(size=(2, 7, 3, 3))
    alpha, beta, k, radius = 0.2, 0.75, 2.0, 2              # seed: k = 2, n/2 = 2
    C = x.shape[1]
    seed_version = np.empty_like(x)
    for i in range(C):                                      # the seed's formula, literally
        lo, hi = max(0, i - radius), min(C - 1, i + radius)
        energy = sum(x[:, j] ** 2 for j in range(lo, hi + 1))
        seed_version[:, i] = x[:, i] / (k + alpha * energy) ** beta
    size = 2 * radius + 1
    close(local_response_norm(x, size, alpha * size, beta, k), seed_version)
    assert not np.allclose(local_response_norm(x, size, alpha, beta, k), seed_version)


def test_local_response_norm_errors():
    with pytest.raises(ValueError, match="size must be at least 1"):
        local_response_norm(np.ones((2, 3, 4)), 0)
    with pytest.raises(ValueError, match="k must be > 0"):
        local_response_norm(np.ones((2, 3, 4)), 3, k=0.0)
    with pytest.raises(ValueError, match=r"\(N, C, \.\.\.\)"):
        local_response_norm(np.ones(3), 3)


# --------------------------------------------------------------------------- BN vs GN noise

def test_batch_statistic_noise_follows_theory():
    sizes = (1, 2, 4, 8, 16, 32, 64)
    r = batch_statistic_noise(sizes, num_draws=400, seed=3, num_channels=8, num_groups=2,
                              spatial=4)
    assert r.bn_means.shape == r.gn_vars.shape == (len(sizes), 400)
    np.testing.assert_array_equal(r.batch_sizes, sizes)
    # BN's mean estimate averages B·16 values of channel 0: its spread is σ0/√(16·B)
    theory = np.sqrt(r.true_var / (16 * np.array(sizes)))
    np.testing.assert_allclose(r.bn_mean_std, theory, rtol=0.2)
    assert np.all(np.diff(r.bn_mean_std) < 0) and np.all(np.diff(r.bn_var_std) < 0)
    # unbiased on average
    assert abs(r.bn_means.mean() - r.true_mean) < 0.05
    assert abs(r.gn_means.mean() - r.true_group_mean) < 0.05
    # GN's spread does not depend on the batch size (only sampling noise)
    assert r.gn_mean_std.max() / r.gn_mean_std.min() < 1.4
    assert r.gn_var_std.max() / r.gn_var_std.min() < 1.4
    # with fewer examples than channels per group, BN is the noisier one
    assert r.bn_mean_std[0] > r.gn_mean_std[0]
    assert r.bn_mean_std[-1] < r.gn_mean_std[-1]
    close(r.bn_mean_std, r.bn_means.std(axis=1))


def test_batch_statistic_noise_is_seeded_and_cheap():
    a = batch_statistic_noise(seed=1)
    b = batch_statistic_noise(seed=1)
    c = batch_statistic_noise(seed=2)
    np.testing.assert_array_equal(a.bn_means, b.bn_means)
    assert not np.array_equal(a.bn_means, c.bn_means)
    start = time.perf_counter()
    batch_statistic_noise()
    assert time.perf_counter() - start < 0.5          # meant for a slider: a few milliseconds


def test_batch_statistic_noise_errors():
    with pytest.raises(ValueError, match="batch size must be at least 1"):
        batch_statistic_noise((0, 4))
    with pytest.raises(TypeError, match="list of integers"):
        batch_statistic_noise((1.5, 4))
    with pytest.raises(ValueError, match="num_groups must divide"):
        batch_statistic_noise(num_channels=6, num_groups=4)


# --------------------------------------------------------------------------- purity

def test_no_function_modifies_its_inputs():
    rng = np.random.default_rng(10)
    x = rng.normal(size=(4, 6, 3, 3))
    gamma, beta, rm, rv = rng.normal(size=6), rng.normal(size=6), np.zeros(6), np.ones(6)
    dout = rng.normal(size=x.shape)
    arrays = (x, gamma, beta, rm, rv, dout)
    saved = [a.copy() for a in arrays]
    for training in (True, False):
        _, cache = batch_norm_forward(x, gamma, beta, rm, rv, training=training)
        batch_norm_backward(dout, cache)
    batch_norm_running_stats(x, rm, rv, momentum=0.5)
    _, cache = group_norm_forward(x, gamma, beta, 3)
    group_norm_backward(dout, cache)
    _, cache = layer_norm_forward(x, np.ones((6, 3, 3)), np.zeros((6, 3, 3)))
    layer_norm_backward(dout, cache)
    _, cache = local_response_norm_forward(x, 3)
    local_response_norm_backward(dout, cache)
    _, cache = weight_norm_forward(x, gamma[:4])
    weight_norm_backward(dout, cache)
    flat = x.reshape(4, -1)
    min_max_scale(flat)
    z_score(flat)
    for a, a0 in zip(arrays, saved, strict=True):
        np.testing.assert_array_equal(a, a0)


def test_public_api_is_listed():
    for name in nm.__all__:
        assert hasattr(nm, name)
