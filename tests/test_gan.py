"""dlcourse.gan against torch (float64, autograd), brute force and the theory's identities."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse import gan
from dlcourse.gan import (
    GANRun,
    discriminator_loss,
    discriminator_surface,
    gaussian_pdf,
    generator_logit_grads,
    generator_loss_nonsaturating,
    generator_loss_saturating,
    mode_coverage,
    optimal_discriminator,
    ring_centers,
    sample_ring,
    train_gan,
)
from dlcourse.nets.gan import Discriminator, Generator, mlp

RTOL, ATOL = 1e-10, 1e-12


def t64(a) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float64)


def random_logits(rng, scale=4.0):
    return rng.normal(scale=scale, size=int(rng.integers(1, 40)))


# ------------------------------------------------------------------------------ losses


@pytest.mark.parametrize("seed", range(6))
def test_discriminator_loss_is_bce_with_labels_one_and_zero(seed):
    rng = np.random.default_rng(seed)
    real, fake = random_logits(rng), random_logits(rng)
    ones, zeros = torch.ones(len(real), dtype=torch.float64), torch.zeros(len(fake),
                                                                           dtype=torch.float64)
    expected = (F.binary_cross_entropy_with_logits(t64(real), ones)
                + F.binary_cross_entropy_with_logits(t64(fake), zeros))
    assert discriminator_loss(real, fake) == pytest.approx(float(expected), rel=RTOL, abs=ATOL)


@pytest.mark.parametrize("seed", range(6))
def test_discriminator_loss_is_minus_the_value_function(seed):
    rng = np.random.default_rng(seed)
    real, fake = random_logits(rng, 2.0), random_logits(rng, 2.0)
    d_real, d_fake = torch.sigmoid(t64(real)), torch.sigmoid(t64(fake))
    value = torch.log(d_real).mean() + torch.log(1 - d_fake).mean()
    assert discriminator_loss(real, fake) == pytest.approx(-float(value), rel=1e-9)


def test_at_the_equilibrium_d_is_one_half_and_the_loss_is_log_4():
    assert discriminator_loss(np.zeros(5), np.zeros(3)) == pytest.approx(np.log(4.0), rel=RTOL)
    assert generator_loss_saturating(np.zeros(2)) == pytest.approx(-np.log(2.0), rel=RTOL)
    assert generator_loss_nonsaturating(np.zeros(2)) == pytest.approx(np.log(2.0), rel=RTOL)


@pytest.mark.parametrize("seed", range(6))
def test_generator_losses_against_torch(seed):
    rng = np.random.default_rng(seed)
    fake = random_logits(rng)
    zeros, ones = torch.zeros(len(fake), dtype=torch.float64), torch.ones(len(fake),
                                                                          dtype=torch.float64)
    # log(1 − σ(l)) = −BCE(l, 0) and −log σ(l) = BCE(l, 1)
    sat = -F.binary_cross_entropy_with_logits(t64(fake), zeros)
    ns = F.binary_cross_entropy_with_logits(t64(fake), ones)
    assert generator_loss_saturating(fake) == pytest.approx(float(sat), rel=RTOL, abs=ATOL)
    assert generator_loss_nonsaturating(fake) == pytest.approx(float(ns), rel=RTOL, abs=ATOL)
    direct = torch.log(1 - torch.sigmoid(t64(fake) / 4)).mean()   # moderate logits: no rounding
    assert generator_loss_saturating(fake / 4) == pytest.approx(float(direct), rel=1e-9)


def test_losses_stay_finite_for_extreme_logits():
    big = np.array([-1000.0, -80.0, 0.0, 80.0, 1000.0])
    for value in (discriminator_loss(big, big), generator_loss_saturating(big),
                  generator_loss_nonsaturating(big)):
        assert np.isfinite(value)
    assert generator_loss_nonsaturating(np.array([-800.0])) == pytest.approx(800.0)
    assert generator_loss_saturating(np.array([800.0])) == pytest.approx(-800.0)


@pytest.mark.parametrize("seed", range(6))
def test_generator_logit_grads_against_autograd(seed):
    rng = np.random.default_rng(seed)
    fake = rng.normal(scale=6.0, size=(int(rng.integers(1, 6)), int(rng.integers(1, 6))))
    leaf = torch.tensor(fake, dtype=torch.float64, requires_grad=True)
    sat_per_sample = torch.log1p(-torch.sigmoid(leaf))       # log(1 − D)
    ns_per_sample = -F.logsigmoid(leaf)                        # −log D
    (g_sat,) = torch.autograd.grad(sat_per_sample.sum(), leaf)
    (g_ns,) = torch.autograd.grad(ns_per_sample.sum(), leaf)
    ours_sat, ours_ns = generator_logit_grads(fake)
    np.testing.assert_allclose(ours_sat, g_sat.numpy(), rtol=1e-9, atol=ATOL)
    np.testing.assert_allclose(ours_ns, g_ns.numpy(), rtol=1e-9, atol=ATOL)
    assert ours_sat.shape == ours_ns.shape == fake.shape


def test_saturation_in_numbers():
    d = np.array([0.5, 0.1, 0.01, 0.001])
    sat, ns = generator_logit_grads(np.log(d / (1 - d)))
    np.testing.assert_allclose(sat, -d, rtol=1e-12)
    np.testing.assert_allclose(ns, d - 1, rtol=1e-12)
    assert abs(sat[-1]) < 1e-3 < 0.99 < abs(ns[-1])


def test_losses_reject_bad_input_and_leave_it_alone():
    logits = np.array([1.0, -2.0])
    before = logits.copy()
    discriminator_loss(logits, logits)
    generator_logit_grads(logits)
    np.testing.assert_array_equal(logits, before)
    with pytest.raises(ValueError, match="fake_logits is empty"):
        generator_loss_saturating(np.array([]))
    with pytest.raises(TypeError, match="real_logits must be array-like of numbers"):
        discriminator_loss("abc", logits)


# ------------------------------------------------------------------------------ optimal D


@pytest.mark.parametrize("seed", range(5))
def test_optimal_discriminator_zeroes_the_derivative_of_the_pointwise_value(seed):
    """At y = D*(x) the pointwise objective a·log y + b·log(1 − y) is stationary (autograd) and
    concave, and no y on a fine grid does better."""
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(0.01, 2.0, size=7), rng.uniform(0.01, 2.0, size=7)
    d_star = optimal_discriminator(a, b)
    y = torch.tensor(d_star, dtype=torch.float64, requires_grad=True)
    objective = (t64(a) * torch.log(y) + t64(b) * torch.log(1 - y)).sum()
    (grad,) = torch.autograd.grad(objective, y, create_graph=True)
    np.testing.assert_allclose(grad.detach().numpy(), 0.0, atol=1e-10)
    (curv,) = torch.autograd.grad(grad.sum(), y)
    assert (curv.numpy() < 0).all()
    grid = np.linspace(1e-4, 1 - 1e-4, 20001)
    values = a[:, None] * np.log(grid) + b[:, None] * np.log1p(-grid)
    np.testing.assert_allclose(grid[values.argmax(axis=1)], d_star, atol=1e-4)


def test_optimal_discriminator_edge_cases_and_errors():
    np.testing.assert_allclose(optimal_discriminator(np.array([0.4, 0.1, 0.0, 0.2, 0.0]),
                                                     np.array([0.1, 0.1, 0.3, 0.0, 0.0])),
                               [0.8, 0.5, 0.0, 1.0, 0.5])
    with pytest.raises(ValueError, match="same shape"):
        optimal_discriminator(np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="non-negative"):
        optimal_discriminator(np.array([-0.1]), np.array([0.2]))


def test_value_at_the_optimum_is_minus_log_4_plus_twice_the_jensen_shannon_divergence():
    x = np.linspace(-12, 12, 40001)
    p_data = 0.5 * gaussian_pdf(x, -1.0, 0.5) + 0.5 * gaussian_pdf(x, 1.5, 0.7)
    p_g = gaussian_pdf(x, 0.5, 1.0)
    d = optimal_discriminator(p_data, p_g)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.trapezoid(np.where(p_data > 0, p_data * np.log(d), 0.0)
                             + np.where(p_g > 0, p_g * np.log1p(-d), 0.0), x)
        m = (p_data + p_g) / 2
        kl = lambda p: np.trapezoid(np.where(p > 0, p * np.log(p / m), 0.0), x)  # noqa: E731
    jsd = 0.5 * kl(p_data) + 0.5 * kl(p_g)
    assert value == pytest.approx(-np.log(4.0) + 2 * jsd, rel=1e-6)
    assert 0 < jsd < np.log(2.0)


def test_gaussian_pdf_against_torch():
    x = np.linspace(-4, 5, 31)
    expected = torch.distributions.Normal(t64(0.7), t64(1.3)).log_prob(t64(x)).exp().numpy()
    np.testing.assert_allclose(gaussian_pdf(x, 0.7, 1.3), expected, rtol=1e-12)
    with pytest.raises(ValueError, match="std must be >"):
        gaussian_pdf(x, 0.0, 0.0)


# ------------------------------------------------------------------------------ the ring


def test_ring_centers_lie_on_the_circle_evenly_spaced():
    c = ring_centers(8, 2.0)
    np.testing.assert_allclose(np.linalg.norm(c, axis=1), 2.0, rtol=1e-12)
    np.testing.assert_allclose(c[0], [2.0, 0.0], atol=1e-12)
    gaps = np.linalg.norm(np.diff(np.vstack([c, c[:1]]), axis=0), axis=1)
    np.testing.assert_allclose(gaps, 2 * 2.0 * np.sin(np.pi / 8), rtol=1e-12)


def test_sample_ring_is_seeded_and_follows_the_mixture():
    X, modes = sample_ring(8000, std=0.05, rng=3)
    X2, modes2 = sample_ring(8000, std=0.05, rng=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(modes, modes2)
    assert X.shape == (8000, 2) and modes.dtype == np.int64
    centers = ring_centers()
    resid = X - centers[modes]
    assert abs(resid.std() - 0.05) < 0.003 and np.abs(resid.mean(axis=0)).max() < 0.005
    assert np.bincount(modes, minlength=8).min() > 850      # ≈ 1000 each
    rng = np.random.default_rng(0)
    first, _ = sample_ring(5, rng=rng)
    second, _ = sample_ring(5, rng=rng)
    assert not np.array_equal(first, second)                 # a Generator advances


def _coverage_by_loops(samples, centers, radius, min_count):
    counts = [0] * len(centers)
    for x in samples:
        dists = [float(np.sqrt(np.sum((x - c) ** 2))) for c in centers]
        k = int(np.argmin(dists))
        if dists[k] <= radius:
            counts[k] += 1
    return sum(c >= min_count for c in counts), np.array(counts)


@pytest.mark.parametrize("seed", range(5))
def test_mode_coverage_against_loops(seed):
    rng = np.random.default_rng(seed)
    centers = ring_centers(int(rng.integers(3, 10)), 2.0)
    X = rng.uniform(-2.5, 2.5, size=(int(rng.integers(20, 200)), 2))
    radius, min_count = float(rng.uniform(0.2, 0.6)), int(rng.integers(1, 4))
    n, counts = mode_coverage(X, centers, radius, min_count)
    n_ref, counts_ref = _coverage_by_loops(X, centers, radius, min_count)
    assert n == n_ref
    np.testing.assert_array_equal(counts, counts_ref)
    assert counts.dtype == np.int64


def test_mode_coverage_of_the_real_data_is_complete_and_errors_are_clear():
    X, _ = sample_ring(2000, std=0.05, rng=1)
    n, counts = mode_coverage(X, ring_centers(), 0.25, 10)
    assert n == 8 and counts.sum() == 2000
    collapsed = np.repeat(ring_centers()[:2], 500, axis=0)
    assert mode_coverage(collapsed, ring_centers(), 0.25, 10)[0] == 2
    with pytest.raises(ValueError, match="2 coordinates but centers have 3"):
        mode_coverage(X, np.zeros((4, 3)), 0.25)
    with pytest.raises(ValueError, match=r"samples must be a 2-D array laid out as \(n, d\)"):
        mode_coverage(X[0], ring_centers(), 0.25)


# ------------------------------------------------------------------------------ training


def test_discriminator_surface_layout_and_mode():
    torch.manual_seed(0)
    D = Discriminator(hidden=8)
    D.train()
    xs, ys, probs = discriminator_surface(D, limit=2.0, resolution=5)
    assert probs.shape == (5, 5) and D.training                 # mode restored
    i, j = 1, 3
    with torch.no_grad():
        direct = torch.sigmoid(D(torch.tensor([[xs[j], ys[i]]], dtype=torch.float32)))
    assert probs[i, j] == pytest.approx(float(direct), rel=1e-5)
    assert ((probs > 0) & (probs < 1)).all()


def _small_run(**kw):
    args = dict(steps=40, batch_size=32, hidden=8, snapshot_every=20, n_samples=50,
                resolution=9, device="cpu", progress=False, seed=1)
    args.update(kw)
    return train_gan(**args)


def test_train_gan_stores_snapshots_and_history():
    run = _small_run(steps=50)
    assert isinstance(run, GANRun) and run.loss == "nonsaturating"
    assert run.steps.tolist() == [0, 20, 40, 50]
    assert all(s.samples.shape == (50, 2) and s.surface.shape == (9, 9) for s in run.snapshots)
    assert set(run.history) == {"d_loss", "g_loss", "d_real", "d_fake", "g_grad_norm"}
    assert all(h.shape == (50,) and np.isfinite(h).all() for h in run.history.values())
    assert (run.history["g_loss"] > 0).all()                  # −log D > 0
    assert run.device == "cpu" and run.seconds > 0
    assert isinstance(run.generator, Generator) and isinstance(run.discriminator, Discriminator)
    n, counts = run.coverage(0.25, 1)
    assert 0 <= n <= 8 and counts.shape == (8,)


def test_train_gan_is_repeatable_and_the_losses_differ():
    a, b = _small_run(), _small_run()
    np.testing.assert_array_equal(a.snapshots[-1].samples, b.snapshots[-1].samples)
    np.testing.assert_array_equal(a.history["d_loss"], b.history["d_loss"])
    sat = _small_run(loss="saturating")
    assert (sat.history["g_loss"] < 0).all()                  # log(1 − D) < 0
    np.testing.assert_array_equal(sat.snapshots[0].samples, a.snapshots[0].samples)
    assert not np.array_equal(sat.snapshots[-1].samples, a.snapshots[-1].samples)


def test_warm_up_makes_d_confident_and_the_saturating_gradient_small():
    kw = dict(steps=1, optimizer="sgd", lr=0.05, d_warmup=300, batch_size=128, hidden=32)
    ns, sat = _small_run(**kw), _small_run(loss="saturating", **kw)
    assert ns.history["d_fake"][0] == sat.history["d_fake"][0] < 0.1
    ratio = sat.history["g_grad_norm"][0] / ns.history["g_grad_norm"][0]
    assert ratio < 0.2


def test_train_gan_explains_bad_arguments():
    with pytest.raises(ValueError, match="unknown loss 'wasserstein'"):
        train_gan(loss="wasserstein", device="cpu")
    with pytest.raises(ValueError, match="steps must be at least 1"):
        train_gan(steps=0, device="cpu")
    with pytest.raises(ValueError, match="unknown optimizer"):
        train_gan(optimizer="rmsprop", device="cpu")


def test_nets_shapes_and_errors():
    torch.manual_seed(0)
    G, D = Generator(z_dim=3, hidden=16, depth=3), Discriminator(hidden=16)
    assert G(torch.zeros(5, 3)).shape == (5, 2) and D(torch.zeros(5, 2)).shape == (5,)
    assert sum(isinstance(m, torch.nn.Linear) for m in G.modules()) == 4
    with pytest.raises(ValueError, match=r"z must have shape \(N, 3\)"):
        G(torch.zeros(5, 2))
    with pytest.raises(ValueError, match=r"x must have shape \(N, 2\)"):
        D(torch.zeros(5))
    with pytest.raises(ValueError, match="depth must be at least 1"):
        mlp(2, 4, 0, 1)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_train_gan_on_cuda_uses_the_same_data_as_the_cpu():
    cpu, gpu = _small_run(), _small_run(device="cuda")
    assert gpu.device.startswith("cuda")
    np.testing.assert_allclose(gpu.snapshots[0].samples, cpu.snapshots[0].samples, atol=1e-5)
    assert np.isfinite(gpu.history["d_loss"]).all()


def test_module_has_no_top_level_torch_import():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(gan))
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert not any("torch" in ast.unparse(n) for n in top)
