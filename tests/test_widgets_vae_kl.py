"""Chapter 15's VAE explorer: the posterior, the reparameterized samples and the KL term."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch.distributions import Normal, kl_divergence

from dlcourse.widgets import live
from dlcourse.widgets.vae_kl import draw_vae_kl, kl_1d, vae_kl_explorer, vae_kl_scene, vae_kl_view


@pytest.mark.parametrize(("mu", "logvar"), [(0.0, 0.0), (1.3, -2.0), (-2.5, 1.5)])
def test_kl_matches_torch(mu, logvar):
    expected = kl_divergence(Normal(torch.tensor(mu, dtype=torch.float64),
                                    torch.tensor(np.exp(0.5 * logvar), dtype=torch.float64)),
                             Normal(torch.tensor(0.0, dtype=torch.float64),
                                    torch.tensor(1.0, dtype=torch.float64)))
    assert float(kl_1d(mu, logvar)) == pytest.approx(float(expected), rel=1e-12, abs=1e-14)
    assert vae_kl_view(mu, logvar).kl == pytest.approx(float(expected), rel=1e-12, abs=1e-14)


def test_samples_are_the_same_noise_moved_and_stretched():
    a, b = vae_kl_view(0.0, 0.0), vae_kl_view(1.5, np.log(4.0))
    np.testing.assert_allclose(b.samples, 1.5 + 2.0 * a.samples, rtol=1e-12)
    assert len(a.samples) == 30


def test_densities_and_the_kl_curve():
    view = vae_kl_view(0.7, -1.0)
    dz = view.z[1] - view.z[0]
    assert np.sum(view.posterior) * dz == pytest.approx(1.0, abs=1e-3)
    assert np.sum(view.prior) * dz == pytest.approx(1.0, abs=1e-3)
    assert view.logvars[np.argmin(view.kl_curve)] == pytest.approx(0.0, abs=0.03)
    assert view.kl_curve.min() == pytest.approx(view.kl_mean_part, abs=1e-4)
    assert view.sigma == pytest.approx(np.exp(-0.5))


def test_scene_draw_and_explorer():
    view = vae_kl_view(-1.0, 0.5)
    scene = vae_kl_scene(view)
    live.validate_scene(scene)
    assert scene["panels"][0]["title"] == view.title
    fig, axes = plt.subplots(1, 2)
    draw_vae_kl(view, axes)
    plt.close(fig)
    ui = vae_kl_explorer()
    ui.explorer.controls["mu"].value = 2.0
    assert ui.explorer.figure.current["panels"][0]["title"].startswith("μ = +2.00")


def test_bad_input():
    with pytest.raises(ValueError, match="logvar"):
        vae_kl_view(0.0, 50.0)
    with pytest.raises((TypeError, ValueError), match="mu"):
        vae_kl_view("big", 0.0)
