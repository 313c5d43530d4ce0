"""Chapter 16's explorer: weight-gradient norms layer by layer."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse.layer_gradients import deep_net_gradient_profile
from dlcourse.widgets.layer_gradients import (
    draw_layer_gradients,
    layer_gradients_explorer,
    layer_gradients_view,
)


def test_view_holds_the_reference_profile():
    view = layer_gradients_view(depth=7, activation="tanh", width=12, seed=4)
    np.testing.assert_array_equal(view.norms, deep_net_gradient_profile("tanh", 7, 12, seed=4))
    assert view.ratio == pytest.approx(view.norms[0] / view.norms[-1])
    assert view.title.startswith("tanh, 7 layers")


def test_default_and_relu_settings():
    assert layer_gradients_view().ratio < 1e-4                       # sigmoid, 10 layers
    assert layer_gradients_view(activation="relu").ratio > 1e-1
    assert layer_gradients_view(depth=20).ratio < layer_gradients_view(depth=5).ratio


def test_draw_and_explorer():
    import ipywidgets as widgets

    fig, ax = plt.subplots()
    draw_layer_gradients(layer_gradients_view(depth=4), ax)
    assert len(ax.patches) == 4 and ax.get_yscale() == "log"
    plt.close(fig)
    ui = layer_gradients_explorer(depth=6, activation="relu")
    controls = ui.children[0].children
    assert isinstance(controls[0], widgets.IntSlider) and controls[0].value == 6
    assert isinstance(controls[1], widgets.Dropdown) and controls[1].value == "relu"


def test_bad_input():
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        layer_gradients_view(activation="softmax")
    with pytest.raises(ValueError, match="depth must be at least 2"):
        layer_gradients_view(depth=1)


def test_scene_has_one_bar_per_layer_from_the_axis_floor():
    from dlcourse.widgets import live
    from dlcourse.widgets.layer_gradients import layer_gradients_scene

    view = layer_gradients_view(12, "tanh")
    spec = layer_gradients_scene(view)
    live.validate_scene(spec)
    (p,) = spec["panels"]
    (bars,) = p["marks"]
    floor = p["ylim"][0]
    assert bars["bottom"] == floor and floor < view.norms.min()
    np.testing.assert_allclose(bars["height"] + floor, view.norms)   # tops at the norms
    np.testing.assert_array_equal(bars["x"], np.arange(1, 13))
