"""dlcourse.init against torch.nn.init: exact scale formulas and sample statistics."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import torch
from torch.nn import init as tinit

from dlcourse import init as dinit

SHAPES = [(300, 1200), (1200, 300), (64, 64), (5, 17)]


@pytest.mark.parametrize("shape", SHAPES)
def test_fans_are_torch_fans_of_the_transpose(shape):
    fan_in, fan_out = dinit.fan_in_and_fan_out(shape)
    t_in, t_out = tinit._calculate_fan_in_and_fan_out(torch.empty(shape[1], shape[0]))
    assert (fan_in, fan_out) == (t_in, t_out) == shape


@pytest.mark.parametrize("name, param", [("linear", None), ("sigmoid", None), ("tanh", None),
                                         ("relu", None), ("leaky_relu", None),
                                         ("leaky_relu", 0.2), ("selu", None), ("TanH", None)])
def test_gain_equals_torch(name, param):
    assert dinit.calculate_gain(name, param) == pytest.approx(
        tinit.calculate_gain(name.lower(), param), rel=1e-15)


def torch_scale(scheme, shape, gain=None):
    """The std (normal) or bound (uniform) that torch.nn.init uses, from torch's own helpers."""
    fan_in, fan_out = tinit._calculate_fan_in_and_fan_out(torch.empty(shape[1], shape[0]))
    if scheme == "randn_sqrt_n":
        g = tinit.calculate_gain("linear") if gain is None else gain
        return g / math.sqrt(fan_in)
    if scheme.startswith("xavier"):
        std = (1.0 if gain is None else gain) * math.sqrt(2.0 / (fan_in + fan_out))
        return std if scheme.endswith("normal") else math.sqrt(3.0) * std
    g = tinit.calculate_gain("leaky_relu", 0) if gain is None else gain
    std = g / math.sqrt(fan_in)
    return std if scheme.endswith("normal") else math.sqrt(3.0) * std


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("scheme", dinit.RANDOM_SCHEMES)
@pytest.mark.parametrize("gain", [None, 5.0 / 3.0])
def test_scale_formulas_equal_torch(scheme, shape, gain):
    assert dinit.init_scale(scheme, shape, gain) == pytest.approx(torch_scale(scheme, shape, gain),
                                                              rel=1e-14)


def torch_sample(scheme, shape):
    w = torch.empty(shape[1], shape[0])          # torch layout (fan_out, fan_in)
    if scheme == "randn_sqrt_n":
        tinit.kaiming_normal_(w, mode="fan_in", nonlinearity="linear")
    elif scheme == "xavier_uniform":
        tinit.xavier_uniform_(w)
    elif scheme == "xavier_normal":
        tinit.xavier_normal_(w)
    elif scheme == "he_normal":
        tinit.kaiming_normal_(w, mode="fan_in", nonlinearity="relu")
    else:
        tinit.kaiming_uniform_(w, mode="fan_in", nonlinearity="relu")
    return w.T.numpy()


OURS = {
    "randn_sqrt_n": lambda shape, rng: dinit.randn_sqrt_n(shape, rng=rng),
    "xavier_uniform": lambda shape, rng: dinit.xavier_uniform(shape, rng=rng),
    "xavier_normal": lambda shape, rng: dinit.xavier_normal(shape, rng=rng),
    "he_normal": lambda shape, rng: dinit.he_normal(shape, rng=rng),
    "he_uniform": lambda shape, rng: dinit.he_uniform(shape, rng=rng),
}


def kurtosis(w):
    z = (w - w.mean()) / w.std()
    return float(np.mean(z**4))


@pytest.mark.parametrize("shape", [(300, 1200), (1200, 300)])
@pytest.mark.parametrize("scheme", dinit.RANDOM_SCHEMES)
def test_sample_statistics_match_torch(scheme, shape):
    """Standard deviations agree within 1.5 % (sampling error ≈ 0.1 %): a wrong gain (√2) or a
    wrong fan (fan_in vs (fan_in + fan_out)/2, a factor 1.58 here) fails."""
    torch.manual_seed(0)
    ours = OURS[scheme](shape, np.random.default_rng(0))
    theirs = torch_sample(scheme, shape)
    assert ours.shape == theirs.shape == shape and ours.dtype == np.float64
    std_ours, std_torch = ours.std(), float(theirs.std())
    assert std_ours == pytest.approx(std_torch, rel=0.015)
    uniform = scheme.endswith("uniform")
    expected_std = dinit.init_scale(scheme, shape) / (math.sqrt(3.0) if uniform else 1.0)
    assert std_ours == pytest.approx(expected_std, rel=0.01)
    assert abs(ours.mean()) < 0.01 * expected_std
    # shape of the distribution: uniform has kurtosis 1.8, normal 3
    assert kurtosis(ours) == pytest.approx(1.8 if uniform else 3.0, abs=0.05)
    assert kurtosis(theirs) == pytest.approx(1.8 if uniform else 3.0, abs=0.05)
    if uniform:
        b = dinit.init_scale(scheme, shape)
        for w in (ours, theirs):
            assert np.abs(w).max() <= b and np.abs(w).max() > 0.999 * b


def test_small_random_zeros_constant():
    rng = np.random.default_rng(1)
    w = dinit.small_random((400, 500), rng=rng)
    torch.manual_seed(1)
    t = tinit.normal_(torch.empty(500, 400), std=0.01)
    assert w.std() == pytest.approx(0.01, rel=0.01)
    assert w.std() == pytest.approx(float(t.std()), rel=0.015)
    assert dinit.small_random((300, 300), 0.5, rng=rng).std() == pytest.approx(0.5, rel=0.01)
    f64 = torch.float64
    np.testing.assert_array_equal(dinit.zeros((3, 4)),
                                  tinit.zeros_(torch.empty(3, 4, dtype=f64)).numpy())
    np.testing.assert_array_equal(dinit.constant((2, 5), 0.3),
                                  tinit.constant_(torch.empty(2, 5, dtype=f64), 0.3).numpy())
    assert dinit.zeros(4).shape == (4,)


def test_draws_are_the_documented_ones():
    shape = (7, 3)
    b = dinit.init_scale("xavier_uniform", shape)
    np.testing.assert_array_equal(dinit.xavier_uniform(shape, rng=np.random.default_rng(3)),
                                  np.random.default_rng(3).uniform(-b, b, size=shape))
    s = dinit.init_scale("he_normal", shape)
    np.testing.assert_array_equal(dinit.he_normal(shape, rng=np.random.default_rng(3)),
                                  np.random.default_rng(3).standard_normal(shape) * s)
    np.testing.assert_allclose(dinit.randn_sqrt_n(shape, rng=np.random.default_rng(4)),
                               np.random.default_rng(4).standard_normal(shape) / np.sqrt(7),
                               rtol=1e-15)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: dinit.xavier_uniform((3, 4, 5), rng=np.random.default_rng()), ValueError, "2 axes"),
    (lambda: dinit.he_normal((3, 4), rng=np.random), TypeError, "default_rng"),
    (lambda: dinit.he_uniform((0, 4), rng=np.random.default_rng()), ValueError, "shape"),
    (lambda: dinit.small_random((3, 4), -1.0, rng=np.random.default_rng()), ValueError, "scale"),
    (lambda: dinit.zeros("3x4"), TypeError, "shape"),
    (lambda: dinit.constant((2, 2), "a"), TypeError, "value"),
    (lambda: dinit.calculate_gain("swish"), ValueError, "unknown nonlinearity"),
    (lambda: dinit.init_scale("orthogonal", (3, 3)), ValueError, "unknown scheme"),
    (lambda: dinit.xavier_normal((3, 4), gain=-1.0, rng=np.random.default_rng()), ValueError,
     "gain"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ---------------------------------------------------------------------------------------------
# activation statistics
# ---------------------------------------------------------------------------------------------

TORCH_ACT = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid,
             "linear": lambda z: z}
RANGES = {"tanh": (-1, 1), "relu": (0, 4), "sigmoid": (0, 1), "linear": (-4, 4)}


@pytest.mark.parametrize("init, act", [("xavier_normal", "tanh"), ("he_uniform", "relu"),
                                       ("small_random", "sigmoid"), ("randn_sqrt_n", "linear")])
def test_activation_stats_match_a_torch_forward_pass(init, act):
    depth, width, n, bins = 6, 48, 70, 30
    st = dinit.activation_stats(init, act, depth=depth, width=width, n=n, seed=5, bins=bins)
    rng = np.random.default_rng(5)
    a = torch.tensor(rng.standard_normal((n, width)))
    lo, hi = RANGES[act]
    np.testing.assert_allclose(st.edges, np.linspace(lo, hi, bins + 1))
    for layer in range(depth):
        W = torch.tensor(OURS_OR_SMALL[init]((width, width), rng))
        a = TORCH_ACT[act](a @ W)
        v = a.numpy()
        assert st.means[layer] == pytest.approx(v.mean(), rel=1e-10, abs=1e-14)
        assert st.stds[layer] == pytest.approx(v.std(), rel=1e-10)
        counts, _ = np.histogram(np.clip(v, lo, hi), bins=bins, range=(lo, hi))
        np.testing.assert_array_equal(st.counts[layer], counts)
    assert st.counts.shape == (depth, bins) and np.all(st.counts.sum(axis=1) == n * width)


OURS_OR_SMALL = {**OURS, "small_random": lambda shape, rng: dinit.small_random(shape, rng=rng)}


def test_vanishing_and_stable_regimes():
    small = dinit.activation_stats("small_random", "tanh")
    ratios = small.stds[1:] / small.stds[:-1]
    np.testing.assert_allclose(ratios, 0.01 * np.sqrt(256), rtol=0.05)  # shrinks ×0.16 a layer
    assert small.stds[-1] < 1e-6
    assert small.counts[-1, 24:26].sum() == 512 * 256   # everything in the two bins around 0
    xav = dinit.activation_stats("xavier_uniform", "tanh")
    assert 0.1 < xav.stds[-1] < xav.stds[0] < 1
    he = dinit.activation_stats("he_normal", "relu")
    assert np.all((he.stds > 0.5 * he.stds[0]) & (he.stds < 2 * he.stds[0]))
    xav_relu = dinit.activation_stats("xavier_normal", "relu")
    assert xav_relu.stds[-1] < 0.1 * xav_relu.stds[0]   # ×1/√2 a layer without He's gain
    zero = dinit.activation_stats("zeros", "tanh", depth=3)
    assert np.all(zero.stds == 0)


def test_activation_stats_takes_a_function_and_is_fast():
    st = dinit.activation_stats(lambda shape, rng: rng.standard_normal(shape), "tanh", depth=4)
    assert np.mean(np.abs(st.means)) < 0.1 and st.stds[-1] > 0.9   # saturated at ±1
    dinit.activation_stats("he_normal", "relu")
    t0 = time.perf_counter()
    dinit.activation_stats("xavier_normal", "tanh")
    assert time.perf_counter() - t0 < 1.0    # ~70 ms here
    with pytest.raises(ValueError, match="unknown activation"):
        dinit.activation_stats("he_normal", "gelu")
    with pytest.raises(ValueError, match="unknown init"):
        dinit.activation_stats("lecun", "relu")
    with pytest.raises(ValueError, match="returned shape"):
        dinit.activation_stats(lambda shape, rng: np.zeros((2, 2)), "relu")


# ---------------------------------------------------------------------------------------------
# symmetry
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("init", ["zeros", "constant"])
def test_symmetric_start_stays_symmetric(init):
    W1, W2 = dinit.symmetry_demo(init, hidden=4, steps=300)
    assert W1.shape == (3, 4) and W2.shape == (4, 1)
    np.testing.assert_allclose(W1, W1[:, :1].repeat(4, axis=1), rtol=0, atol=1e-12)
    np.testing.assert_allclose(W2, np.full((4, 1), W2[0, 0]), rtol=0, atol=1e-12)
    start = 0.0 if init == "zeros" else 0.5
    assert np.max(np.abs(W1 - start)) > 0.1, "the weights did train"


def test_random_start_breaks_the_symmetry():
    W1, _ = dinit.symmetry_demo("random", hidden=4)
    gaps = [np.max(np.abs(W1[:, i] - W1[:, j])) for i in range(4) for j in range(i + 1, 4)]
    assert min(gaps) > 0.1


def test_two_layer_trainer_equals_torch():
    rng = np.random.default_rng(2)
    X, Y = rng.standard_normal((10, 3)), rng.random((10, 2))
    W1, b1 = rng.standard_normal((3, 5)), rng.standard_normal(5)
    W2, b2 = rng.standard_normal((5, 2)), rng.standard_normal(2)
    args = [a.copy() for a in (X, Y, W1, b1, W2, b2)]
    out = dinit.train_two_layer_sigmoid(X, Y, W1, b1, W2, b2, lr=0.7, steps=40)
    for a, b in zip((X, Y, W1, b1, W2, b2), args, strict=True):
        np.testing.assert_array_equal(a, b)
    ts = [torch.tensor(a, requires_grad=True) for a in (W1, b1, W2, b2)]
    opt = torch.optim.SGD(ts, lr=0.7)
    Xt, Yt = torch.tensor(X), torch.tensor(Y)
    losses = []
    for _ in range(41):
        opt.zero_grad()
        out_t = torch.sigmoid(torch.sigmoid(Xt @ ts[0] + ts[1]) @ ts[2] + ts[3])
        loss = 0.5 * ((out_t - Yt) ** 2).sum() / 10
        losses.append(loss.item())
        loss.backward()
        if len(losses) <= 40:
            opt.step()
    for ours, theirs in zip(out[:4], ts, strict=True):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out[4], losses, rtol=1e-10)
    assert out[4][-1] < out[4][0]
    with pytest.raises(ValueError, match="do not fit"):
        dinit.train_two_layer_sigmoid(X, Y, W1, b1, W2[:, :1], b2, 0.1, 1)
    with pytest.raises(ValueError, match="unknown init"):
        dinit.symmetry_demo("ones")
