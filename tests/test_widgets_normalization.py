"""Chapter 10's normalization-noise explorer: its pure view function and the widget."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.normalization import batch_statistic_noise
from dlcourse.widgets.norm_noise import EPS, norm_noise_explorer, norm_noise_view


def test_batch_norm_noise_shrinks_like_one_over_root_batch_and_group_norm_stays():
    view = norm_noise_view(4, num_draws=2000)
    noise = batch_statistic_noise(view.batch_sizes, num_draws=2000)
    pixels = 4 * 4                                         # batch_statistic_noise's default
    theory = np.sqrt(noise.true_var / (view.batch_sizes * pixels))
    np.testing.assert_allclose(view.bn_mean_std, theory, rtol=0.1)
    assert view.gn_mean_std.max() / view.gn_mean_std.min() < 1.2
    assert view.bn_mean_std[0] > view.gn_mean_std[0] > view.bn_mean_std[-1]


def test_errors_are_the_estimates_at_the_current_batch_size():
    view = norm_noise_view(5, num_draws=50, seed=3)
    noise = batch_statistic_noise(view.batch_sizes, num_draws=50, seed=3)
    assert view.batch_sizes.tolist() == [1, 2, 4, 5, 8, 16, 32, 64] and view.index == 3
    np.testing.assert_array_equal(view.bn_errors, noise.bn_means[3] - noise.true_mean)
    np.testing.assert_array_equal(view.gn_errors, noise.gn_means[3] - noise.true_group_mean)
    assert view.batch_mean == noise.bn_means[3, 0] and view.batch_var == noise.bn_vars[3, 0]


def test_gamma_and_beta_scale_and_shift_the_normalized_values():
    plain = norm_noise_view(8)
    expected = (plain.activations - plain.batch_mean) / np.sqrt(plain.batch_var + EPS)
    np.testing.assert_allclose(plain.normalized, expected, rtol=1e-12)
    moved = norm_noise_view(8, gamma=2.5, beta=-1.0)
    np.testing.assert_allclose(moved.normalized, 2.5 * plain.normalized - 1.0, rtol=1e-12)


def test_a_large_batch_gives_nearly_the_target_distribution_and_a_tiny_one_does_not():
    big = norm_noise_view(64, gamma=2.0, beta=1.0)
    assert abs(big.normalized.mean() - 1.0) < 0.15 and abs(big.normalized.std() - 2.0) < 0.2
    shifts = [abs(norm_noise_view(1, gamma=2.0, beta=1.0, seed=s).normalized.mean() - 1.0)
              for s in range(10)]
    assert max(shifts) > 0.3


def test_bad_input():
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        norm_noise_view(0)
    with pytest.raises(ValueError, match="gamma must be finite"):
        norm_noise_view(4, gamma=float("inf"))


def test_explorer_builds():
    import ipywidgets as widgets

    ui = norm_noise_explorer()
    controls = ui.children[0].children
    assert [c.description for c in controls] == ["batch size", "γ", "β"]
    assert isinstance(controls[0], widgets.IntSlider) and controls[0].value == 4


def test_drawing():
    import matplotlib.pyplot as plt

    from dlcourse.widgets.norm_noise import draw_norm_noise

    fig, axes = plt.subplots(1, 3)
    draw_norm_noise(norm_noise_view(3, gamma=0.5, beta=1.0, num_draws=20), axes)
    assert "γ = 0.5, β = 1" in axes[2].get_title()
    plt.close(fig)


def test_scene_and_the_cache_per_batch_size():
    from dlcourse.widgets import live
    from dlcourse.widgets.norm_noise import norm_noise_scene

    view = norm_noise_view(6, gamma=2.0, beta=-1.0)
    again = norm_noise_view(6, gamma=0.5, beta=1.0)              # same batch size: cached
    np.testing.assert_array_equal(view.bn_errors, again.bn_errors)
    spec = norm_noise_scene(view)
    live.validate_scene(spec)
    curve, strip, hist = spec["panels"]
    np.testing.assert_array_equal(curve["marks"][0]["x"], view.batch_sizes)
    assert 6 in view.batch_sizes.tolist()
    np.testing.assert_array_equal(strip["marks"][0]["x"], view.bn_errors)
    counts = hist["marks"][0]["height"]
    widths = hist["marks"][0]["width"]
    inside = np.mean(np.abs(view.normalized - view.beta) <= 4.5 * view.gamma)
    assert float(np.sum(counts) * widths) == pytest.approx(inside, rel=1e-9)   # a density
    assert hist["title"].startswith("γ = 2, β = -1")
