"""Chapter 08's explorer: the pure view behind the per-layer activation histograms."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse.init import activation_stats
from dlcourse.widgets.init_histograms import (
    ACTIVATIONS,
    SCHEMES,
    draw_init_histograms,
    init_histograms_explorer,
    init_histograms_view,
)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_view_holds_the_statistics_of_activation_stats(activation):
    view = init_histograms_view("xavier_normal", activation, 4, width=32, n=40, bins=12)
    stats = activation_stats("xavier_normal", activation, depth=4, width=32, n=40, bins=12)
    np.testing.assert_array_equal(view.stds, stats.stds)
    np.testing.assert_array_equal(view.means, stats.means)
    np.testing.assert_array_equal(view.edges, stats.edges)
    assert view.densities.shape == (4, 12) and view.depth == 4
    assert np.all((view.densities >= 0) & (view.densities <= 1))
    # each row is its histogram scaled: same shape, peak 1 (ReLU: clipped at the zero bin)
    counts = stats.counts.astype(float)
    for row, dens in zip(counts, view.densities, strict=True):
        scale = row[1:].max() if activation == "relu" and row[1:].max() > 0 else row.max()
        np.testing.assert_allclose(dens, np.minimum(row / scale, 1.0))
        assert dens.max() == 1.0


def test_verdicts_name_what_happens_to_the_signal():
    assert init_histograms_view("small_random", "tanh", 10).verdict == "vanishing"
    assert init_histograms_view("xavier_normal", "tanh", 10).verdict == "stable"
    assert init_histograms_view("he_normal", "relu", 10).verdict == "stable"
    assert init_histograms_view("xavier_normal", "relu", 10).verdict == "shrinking"
    assert init_histograms_view("zeros", "sigmoid", 3).verdict.startswith("no spread")


def test_title_reads_the_settings():
    view = init_histograms_view("HE_normal", "RELU", 6)
    assert view.scheme == "he_normal" and view.activation == "relu"
    assert view.title.startswith("He normal, relu, 6 layers: std ")


def test_bad_settings_give_clear_errors():
    with pytest.raises(ValueError, match="unknown scheme"):
        init_histograms_view("orthogonal", "tanh")
    with pytest.raises(ValueError, match="unknown activation"):
        init_histograms_view("zeros", "gelu")
    with pytest.raises(ValueError, match="depth"):
        init_histograms_view("zeros", "tanh", 0)


def test_drawing_stacks_one_band_per_layer():
    view = init_histograms_view("small_random", "tanh", 5, width=32, n=20)
    fig, (ax1, ax2) = plt.subplots(1, 2)
    draw_init_histograms(view, ax1, ax2)
    assert len(ax1.collections) == 5
    assert [t.get_text() for t in ax1.get_yticklabels()] == ["1", "2", "3", "4", "5"]
    assert len(ax2.get_lines()) == 1
    np.testing.assert_allclose(ax2.get_lines()[0].get_ydata(), np.maximum(view.stds, 1e-12))
    plt.close(fig)


def test_explorer_builds_with_its_controls():
    import ipywidgets as widgets

    ui = init_histograms_explorer()
    controls = {c.description: c for c in ui.children[0].children}
    assert set(controls) == {"scheme", "activation", "depth"}
    assert [v for _, v in controls["scheme"].options] == list(SCHEMES)
    assert isinstance(controls["depth"], widgets.IntSlider) and controls["depth"].value == 10


def test_growing_cache_equals_activation_stats_at_every_depth():
    from dlcourse.widgets.init_histograms import _growing

    grown = _growing("xavier_normal", "sigmoid", 32, 16, 5, 10)
    for depth in (3, 7, 2, 9):                                   # out of order on purpose
        got = grown.stats(depth)
        want = activation_stats("xavier_normal", "sigmoid", depth=depth, width=32, n=16, seed=5,
                                bins=10)
        for a, b in zip(got, want, strict=True):
            np.testing.assert_array_equal(a, b)


def test_scene_stacks_one_histogram_per_layer():
    from dlcourse.widgets import live
    from dlcourse.widgets.init_histograms import init_histograms_scene

    view = init_histograms_view("he_normal", "relu", 6)
    spec = init_histograms_scene(view)
    live.validate_scene(spec)
    hist, std = spec["panels"]
    assert len(hist["marks"]) == 6
    third = hist["marks"][2]
    np.testing.assert_allclose(third["y1"], 2 * 1.1 + 0.95 * view.densities[2])
    assert third["y2"] == pytest.approx(2 * 1.1)
    np.testing.assert_allclose(std["marks"][0]["y"], view.stds)
    assert std["yscale"] == "log" and hist["title"] == view.title
