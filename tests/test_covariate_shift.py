"""dlcourse.covariate_shift against scipy, and the recording networks of dlcourse.nets.shift_mlp."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.stats import wasserstein_distance

from dlcourse.covariate_shift import distribution_drift, wasserstein_1d
from dlcourse.data import load_digits_split
from dlcourse.nets.shift_mlp import ShiftMLP, train_recording_shift


@pytest.mark.parametrize(("n", "d"), [(1, 1), (2, 3), (17, 4), (200, 2)])
def test_wasserstein_against_scipy(n, d):
    rng = np.random.default_rng(n * 10 + d)
    a = rng.normal(size=(n, d))
    b = rng.standard_t(3, size=(n, d)) * rng.uniform(0.2, 3, size=d) + rng.normal(size=d)
    got = wasserstein_1d(a, b)
    expected = [wasserstein_distance(a[:, j], b[:, j]) for j in range(d)]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)
    assert wasserstein_1d(a[:, 0], b[:, 0]) == pytest.approx(expected[0], rel=1e-12)


def test_wasserstein_properties():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(50, 3))
    np.testing.assert_allclose(wasserstein_1d(a, a + 1.5), 1.5)              # a shift
    np.testing.assert_allclose(wasserstein_1d(a, rng.permutation(a)), 0.0)   # reordered
    np.testing.assert_allclose(wasserstein_1d(a, 2 * a), np.mean(np.abs(a), axis=0))
    b = a.copy()
    wasserstein_1d(a, b[::-1])
    np.testing.assert_array_equal(a, b)                                       # not modified
    with pytest.raises(ValueError, match="same shape"):
        wasserstein_1d(np.zeros((3, 2)), np.zeros((4, 2)))


def test_distribution_drift_equals_its_definitions():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(6, 40, 5)) + np.arange(6)[:, None, None] * 0.3
    drift = distribution_drift(z)
    np.testing.assert_allclose(drift.mean, z.mean(axis=1))
    np.testing.assert_allclose(drift.std, z.std(axis=1))
    for k in range(1, 6):
        np.testing.assert_allclose(drift.step_w1[k - 1], wasserstein_1d(z[k - 1], z[k]))
        np.testing.assert_allclose(drift.start_w1[k], wasserstein_1d(z[0], z[k]))
    np.testing.assert_allclose(drift.percentiles[2, 1], np.median(z[2], axis=0))
    assert drift.path == pytest.approx(drift.step_w1.sum(axis=0).mean())
    assert drift.mean_path == pytest.approx(np.abs(np.diff(drift.mean, axis=0)).sum(0).mean())
    assert drift.mean_path > 1.0     # the means moved by 0.3 per moment, 1.5 in all


def test_shift_mlp_versions():
    torch.manual_seed(0)
    x = torch.randn(64, 8)
    plain, bn, noisy = (ShiftMLP(n, depth=2, width=16, n_in=8) for n in ("none", "batch",
                                                                             "noisy"))
    for net in (plain, bn, noisy):
        assert net(x).shape == (64, 10) and len(net.inputs) == 2
    bn(x)
    z = bn.inputs[-1]
    torch.testing.assert_close(z.mean(0), torch.zeros(16), atol=1e-5, rtol=0)   # β = 0
    torch.testing.assert_close(z.std(0, unbiased=False), torch.ones(16), atol=1e-3, rtol=0)
    noisy.load_state_dict(bn.state_dict())
    noisy.resample_noise(torch.Generator().manual_seed(3))
    assert torch.all((noisy.scale >= 1) & (noisy.scale <= 3)) and torch.all(noisy.shift.abs() <= 2)
    noisy(x)
    torch.testing.assert_close(noisy.inputs[0], bn.inputs[0] * noisy.scale[0] + noisy.shift[0])
    with pytest.raises(ValueError, match="unknown norm"):
        ShiftMLP("layer")


def test_recording():
    d = load_digits_split()
    kwargs = dict(steps=20, record_every=10, depth=2, width=16, device="cpu")
    runs = {n: train_recording_shift(d.X_train, d.y_train, d.X_val[:50], norm=n, **kwargs)
            for n in ("none", "batch", "noisy")}
    for run in runs.values():
        np.testing.assert_array_equal(run.steps, [0, 10, 20])
        assert run.z.shape == (3, 50, 16) and run.loss.shape == (3,)
    again = train_recording_shift(d.X_train, d.y_train, d.X_val[:50], norm="noisy", **kwargs)
    np.testing.assert_array_equal(again.z, runs["noisy"].z)
    np.testing.assert_allclose(runs["batch"].z[0].mean(axis=0), 0.0, atol=1e-5)
    with pytest.raises(ValueError, match="layer must index"):
        train_recording_shift(d.X_train, d.y_train, d.X_val, layer=2, **kwargs)
