"""The VAE pieces of chapter 15 against torch.distributions and autograd."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch.distributions import Independent, Normal, kl_divergence

from dlcourse.nets.vae import (
    VAE,
    importance_weighted_bound,
    kl_to_standard_normal,
    latent_grid,
    negative_elbo_terms,
    reparameterize,
)


def _torch_kl(mu, logvar):
    q = Independent(Normal(mu, torch.exp(0.5 * logvar)), 1)
    p = Independent(Normal(torch.zeros_like(mu), torch.ones_like(mu)), 1)
    return kl_divergence(q, p)


@pytest.mark.parametrize(("n", "k", "scale"), [(1, 1, 1.0), (7, 2, 1.0), (5, 6, 3.0)])
def test_kl_equals_torch_distributions(n, k, scale):
    gen = torch.Generator().manual_seed(n * 10 + k)
    mu = scale * torch.randn(n, k, generator=gen, dtype=torch.float64)
    logvar = scale * torch.randn(n, k, generator=gen, dtype=torch.float64)
    torch.testing.assert_close(kl_to_standard_normal(mu, logvar), _torch_kl(mu, logvar),
                               rtol=1e-12, atol=1e-12)


def test_kl_special_values_and_extremes():
    mu = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 0.0], [100.0, 0.0], [0.0, 0.0]],
                      dtype=torch.float64)
    logvar = torch.tensor([[0.0, 0.0], [0.0, 0.0], [math.log(4.0), 0.0], [0.0, 0.0],
                           [-30.0, 10.0]], dtype=torch.float64)
    kl = kl_to_standard_normal(mu, logvar)
    expected = [0.0, 0.5, 0.5 * (4 - math.log(4) - 1), 5000.0,
                0.5 * (math.exp(-30) + 30 - 1) + 0.5 * (math.exp(10) - 10 - 1)]
    torch.testing.assert_close(kl, torch.tensor(expected, dtype=torch.float64), rtol=1e-12,
                               atol=1e-12)
    torch.testing.assert_close(kl, _torch_kl(mu, logvar), rtol=1e-10, atol=1e-10)


def test_kl_against_a_monte_carlo_estimate():
    gen = torch.Generator().manual_seed(3)
    mu = torch.tensor([[0.7, -1.2]], dtype=torch.float64)
    logvar = torch.tensor([[-0.5, 0.8]], dtype=torch.float64)
    eps = torch.randn(200_000, 2, generator=gen, dtype=torch.float64)
    z = reparameterize(mu.expand(len(eps), 2), logvar.expand(len(eps), 2), eps)
    q = Normal(mu, torch.exp(0.5 * logvar))
    samples = (q.log_prob(z) - Normal(0.0, 1.0).log_prob(z)).sum(dim=1)
    se = float(samples.std()) / math.sqrt(len(samples))
    assert abs(float(samples.mean()) - float(kl_to_standard_normal(mu, logvar))) < 4 * se


def test_reparameterize_value_and_gradients():
    mu = torch.tensor([[0.3, -2.0]], dtype=torch.float64, requires_grad=True)
    logvar = torch.tensor([[0.4, -1.0]], dtype=torch.float64, requires_grad=True)
    eps = torch.tensor([[1.5, -0.25]], dtype=torch.float64)
    z = reparameterize(mu, logvar, eps)
    torch.testing.assert_close(z, mu + torch.exp(0.5 * logvar) * eps)
    z.sum().backward()
    torch.testing.assert_close(mu.grad, torch.ones_like(mu))
    torch.testing.assert_close(logvar.grad, 0.5 * torch.exp(0.5 * logvar.detach()) * eps)


def test_reparameterized_gradient_of_an_expectation():
    """E[z²] = μ² + σ²: the reparameterized Monte Carlo gradient matches 2μ and σ² (for log σ²)."""
    gen = torch.Generator().manual_seed(0)
    mu = torch.tensor([[0.8]], dtype=torch.float64, requires_grad=True)
    logvar = torch.tensor([[-0.4]], dtype=torch.float64, requires_grad=True)
    eps = torch.randn(400_000, 1, generator=gen, dtype=torch.float64)
    reparameterize(mu.expand(len(eps), 1), logvar.expand(len(eps), 1), eps).pow(2).mean() \
        .backward()
    assert float(mu.grad) == pytest.approx(2 * 0.8, rel=0.01)
    assert float(logvar.grad) == pytest.approx(math.exp(-0.4), rel=0.01)


def test_vae_shapes_and_modes():
    torch.manual_seed(0)
    model = VAE(10, 8, 3)
    x = torch.rand(4, 10)
    recon, mu, logvar = model(x)
    assert recon.shape == (4, 10) and mu.shape == logvar.shape == (4, 3)
    assert torch.all((recon > 0) & (recon < 1))
    model.eval()
    first, second = model(x)[0], model(x)[0]
    assert torch.equal(first, second) and torch.equal(first, model.decode(model.encode(x)[0]))
    model.train()
    assert not torch.equal(model(x)[0], model(x)[0])


def test_negative_elbo_terms():
    x = torch.tensor([[0.0, 0.5, 1.0]], dtype=torch.float64)
    recon = torch.tensor([[0.1, 0.5, 0.8]], dtype=torch.float64)
    mu, logvar = torch.zeros(1, 2, dtype=torch.float64), torch.zeros(1, 2, dtype=torch.float64)
    rec, kl = negative_elbo_terms(x, recon, mu, logvar)
    expected = -(x * recon.log() + (1 - x) * (1 - recon).log()).sum()
    torch.testing.assert_close(rec, expected.reshape(1))
    torch.testing.assert_close(kl, torch.zeros(1, dtype=torch.float64))


def test_importance_weighted_bound_is_above_the_elbo_and_equal_for_one_sample():
    torch.manual_seed(1)
    model = VAE(6, 5, 2).double()
    x = torch.rand(9, 6, dtype=torch.float64)
    elbo, iw = importance_weighted_bound(model, x, k=50,
                                         generator=torch.Generator().manual_seed(2))
    assert elbo.shape == iw.shape == (9,)
    assert torch.all(iw >= elbo)
    elbo1, iw1 = importance_weighted_bound(model, x, k=1,
                                           generator=torch.Generator().manual_seed(2))
    torch.testing.assert_close(elbo1, iw1)
    # one sample's weight, written with torch.distributions
    eps = torch.randn((1, 9, 2), generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    mu, logvar = model.encode(x)
    z = (mu + torch.exp(0.5 * logvar) * eps)[0]
    recon = model.decode(z)
    w = (-torch.nn.functional.binary_cross_entropy(recon, x, reduction="none").sum(1)
         + Normal(0.0, 1.0).log_prob(z).sum(1)
         - Normal(mu, torch.exp(0.5 * logvar)).log_prob(z).sum(1))
    torch.testing.assert_close(elbo1, w.detach())


def test_latent_grid():
    grid = latent_grid(12)
    assert grid.shape == (144, 2)
    q = np.sort(np.unique(grid[:, 0].numpy()))
    assert q[0] == pytest.approx(-1.95996, abs=1e-4) and q[-1] == pytest.approx(1.95996, abs=1e-4)
    assert grid[0, 1] > 0 and grid[-1, 1] < 0 and grid[0, 0] < grid[1, 0]


def test_bad_input():
    with pytest.raises(ValueError, match=r"\(N, latent\)"):
        kl_to_standard_normal(torch.zeros(3), torch.zeros(3))
    with pytest.raises(TypeError, match="torch tensors"):
        kl_to_standard_normal(np.zeros((2, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="eps must have"):
        reparameterize(torch.zeros(2, 2), torch.zeros(2, 2), torch.zeros(2, 3))
