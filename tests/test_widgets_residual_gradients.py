"""Chapter 16's residual explorer: per-layer gradients with and without shortcuts."""

from __future__ import annotations

import time

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse.nets.residual import gradient_profile
from dlcourse.widgets import live
from dlcourse.widgets.residual_gradients import (
    draw_residual_gradients,
    residual_gradients_explorer,
    residual_gradients_scene,
    residual_gradients_view,
)


def test_view_holds_the_reference_profiles():
    view = residual_gradients_view(6, "he")
    np.testing.assert_array_equal(view.plain, gradient_profile(6, False, "he"))
    np.testing.assert_array_equal(view.residual, gradient_profile(6, True, "he"))
    assert len(view.plain) == 14
    assert view.title.startswith("6 blocks (14 layers), he init")


def test_the_lesson_in_numbers():
    view = residual_gradients_view()                       # 15 blocks, torch's default init
    assert view.ratio(view.plain) < 1e-6
    assert 0.1 < view.ratio(view.residual) < 10
    deeper = residual_gradients_view(30)
    assert deeper.ratio(deeper.plain) < view.ratio(view.plain)


def test_scene_draw_explorer_and_speed():
    view = residual_gradients_view(3)
    scene = residual_gradients_scene(view)
    live.validate_scene(scene)
    np.testing.assert_array_equal(scene["panels"][0]["marks"][0]["y"], view.plain)
    fig, ax = plt.subplots()
    draw_residual_gradients(view, ax)
    assert ax.get_yscale() == "log"
    plt.close(fig)
    ui = residual_gradients_explorer(4)
    ui.explorer.controls["init"].value = "he"
    assert "he init" in ui.explorer.figure.current["panels"][0]["title"]
    start = time.perf_counter()
    residual_gradients_view(29, "he")                       # not cached yet
    assert time.perf_counter() - start < 1.0


def test_bad_input():
    with pytest.raises(ValueError, match="init"):
        residual_gradients_view(3, "xavier")
    with pytest.raises(ValueError, match="blocks"):
        residual_gradients_view(0)
