"""Chapter 03's activation-health explorer: its view, scene and widget."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.activation_health import layer_health
from dlcourse.data import load_digits_split
from dlcourse.widgets import live
from dlcourse.widgets.activation_health import (
    activation_health_explorer,
    activation_health_scene,
    activation_health_view,
)


def test_view_is_the_layer_on_the_scaled_digits():
    view = activation_health_view("relu", 2.0, -0.3)
    X = load_digits_split().X_train
    rng = np.random.default_rng(0)
    W, b = rng.uniform(-1 / 8, 1 / 8, (64, 100)), rng.uniform(-1 / 8, 1 / 8, 100)
    direct = layer_health(2.0 * X, W, b - 0.3, "relu")
    np.testing.assert_allclose(view.health.z, direct.z, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(view.health.dead, direct.dead)
    assert view.counts.sum() == view.health.z.size
    assert np.all(np.diff(view.unit_slopes) <= 0)
    assert view.flat and view.flat[0][1] <= 0.0      # the ReLU is flat left of 0


def test_what_the_explorer_teaches():
    raw, scaled = activation_health_view("sigmoid", 16.0), activation_health_view("sigmoid", 1.0)
    assert raw.health.saturated > 0.1 and scaled.health.saturated == 0.0
    assert scaled.health.relative_slope > 0.9 > 0.5 > raw.health.relative_slope
    relu, leaky = activation_health_view("relu", 1.0, -0.5), activation_health_view(
        "leaky_relu", 1.0, -0.5)
    assert relu.health.dead_share > 0.4
    assert "units dead" in relu.title and "none dead" in leaky.title
    assert leaky.health.saturated == 0.0 and relu.health.saturated > 0.5
    assert "dead" not in raw.title
    with pytest.raises(ValueError, match="unknown activation"):
        activation_health_view("softmax")


def test_scene_and_widget():
    spec = activation_health_scene(activation_health_view("tanh", 5.0, 1.0))
    live.validate_scene(spec)
    ui = activation_health_explorer()
    assert ui.figure.current["title"].startswith("sigmoid, scale 16")
    ui.explorer.controls["name"].value = "relu"
    ui.explorer.controls["shift"].value = -1.0
    assert ui.figure.current["title"].startswith("relu, scale 16, shift -1")
