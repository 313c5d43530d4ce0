"""Chapter 07's explorer: the pure view behind the optimizer race, its drawing and its controls."""

from __future__ import annotations

import time

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse.surfaces import SURFACES, optimizer_paths
from dlcourse.widgets.optimizer_paths import (
    EXPLORER_SURFACES,
    draw_optimizer_paths,
    optimizer_paths_explorer,
    optimizer_paths_view,
)


@pytest.mark.parametrize("surface", EXPLORER_SURFACES)
def test_view_holds_the_paths_of_dlcourse_surfaces(surface):
    names = ["sgd", "nesterov", "adam"]
    view = optimizer_paths_view(surface, names, 1e-3, momentum=0.8, steps=40, grid=30)
    expected = optimizer_paths(surface, names, 1e-3, momentum=0.8, steps=40)
    assert list(view.paths) == names
    for name in names:
        np.testing.assert_array_equal(view.paths[name], expected[name])
        end = view.paths[name][-1]
        assert view.final_values[name] == pytest.approx(float(SURFACES[surface].value(*end)))
        assert not view.diverged[name]
    assert view.X.shape == view.Y.shape == view.Z.shape == (30, 30)
    assert np.all(np.diff(view.levels) > 0)
    np.testing.assert_array_equal(view.start, SURFACES[surface].start)


def test_a_diverging_run_is_flagged_and_its_value_taken_before_it_left():
    # on the bowl the steep direction has curvature 4: lr = 0.6 > 2/4 makes SGD diverge
    view = optimizer_paths_view("bowl", ["sgd", "adam"], 0.6, steps=100, grid=20)
    sgd = view.paths["sgd"]
    assert view.diverged["sgd"] and not view.diverged["adam"]
    assert np.isnan(sgd[-1]).all() and np.isfinite(sgd[0]).all()
    last = sgd[np.all(np.isfinite(sgd), axis=1)][-1]
    assert view.final_values["sgd"] == pytest.approx(float(SURFACES["bowl"].value(*last)))
    assert view.legend_label("sgd") == "SGD: diverged"
    assert view.legend_label("adam").startswith("Adam: (")


def test_momentum_slider_reaches_momentum_and_beta1():
    slow = optimizer_paths_view("bowl", ["momentum", "adam"], 0.05, momentum=0.0, steps=30,
                                grid=10)
    fast = optimizer_paths_view("bowl", ["momentum", "adam"], 0.05, momentum=0.9, steps=30,
                                grid=10)
    for name in ("momentum", "adam"):
        assert not np.allclose(slow.paths[name], fast.paths[name])


def test_title_names_the_settings():
    view = optimizer_paths_view("Rosenbrock", "adam", 0.003, momentum=0.85, steps=20, grid=10)
    assert view.surface == "rosenbrock"
    assert view.title.startswith("rosenbrock: f = (1 − x)² + 100·(y − x²)²")
    assert "lr = 0.003" in view.title and "0.85" in view.title and "20 steps" in view.title


def test_bad_settings_give_clear_errors():
    with pytest.raises(ValueError, match="unknown surface"):
        optimizer_paths_view("bumpy", ["sgd"], 0.1)
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimizer_paths_view("bowl", ["lbfgs"], 0.1)
    with pytest.raises(ValueError, match="at least one optimizer"):
        optimizer_paths_view("bowl", [], 0.1)
    with pytest.raises(ValueError, match="momentum"):
        optimizer_paths_view("bowl", ["sgd"], 0.1, momentum=1.0)


def test_drawing_puts_every_path_and_the_markers_on_the_axis():
    view = optimizer_paths_view("bowl", ["sgd", "momentum", "rmsprop", "adam"], 0.1, grid=40)
    fig, ax = plt.subplots()
    draw_optimizer_paths(view, ax)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[-2:] == ["start", "minimum"]
    assert sum(label.startswith(("SGD", "Momentum", "RMSProp", "Adam")) for label in labels) == 4
    plt.close(fig)


def test_saddle_has_no_minimum_marker():
    view = optimizer_paths_view("saddle", ["sgd"], 0.05, grid=20)
    fig, ax = plt.subplots()
    draw_optimizer_paths(view, ax)
    assert "minimum" not in [line.get_label() for line in ax.get_lines()]
    plt.close(fig)


def test_default_view_is_quick():
    optimizer_paths_view("bowl", ["sgd"], 0.1)  # warm the grid cache
    start = time.perf_counter()
    optimizer_paths_view("bowl", ["sgd", "momentum", "rmsprop", "adam"], 0.1, steps=100)
    assert time.perf_counter() - start < 1.0


def test_explorer_builds_with_its_controls():
    import ipywidgets as widgets

    ui = optimizer_paths_explorer()
    controls = {c.description: c for c in ui.explorer.controls.values()}
    assert set(controls) == {"surface", "optimizers", "lr", "momentum", "steps"}
    assert isinstance(controls["lr"], widgets.FloatLogSlider)
    assert controls["surface"].options == EXPLORER_SURFACES
    assert controls["optimizers"].value == ("sgd", "momentum", "rmsprop", "adam")


def test_contour_lines_lie_on_the_levels_and_the_scene_holds_the_paths():
    from dlcourse.surfaces import get_surface
    from dlcourse.widgets import live
    from dlcourse.widgets.optimizer_paths import contour_lines, optimizer_paths_scene

    x, y = contour_lines("bowl")
    finite = np.isfinite(x)
    assert finite.sum() > 100 and (~finite).sum() >= 5           # several pieces
    values = get_surface("bowl").value(x[finite], y[finite])
    levels = optimizer_paths_view("bowl", ["sgd"], 0.1).levels
    gaps = np.min(np.abs(values[:, None] - levels[None, :]), axis=1)
    assert np.all(gaps <= 0.05 * np.abs(levels).max())         # every point near a level
    view = optimizer_paths_view("rosenbrock", ["sgd", "adam"], 0.01, steps=50)
    spec = optimizer_paths_scene(view)
    live.validate_scene(spec)
    paths = [m for m in spec["panels"][0]["marks"] if m.get("label", "").startswith(("SGD",
                                                                                   "Adam"))]
    assert [m["label"] for m in paths] == [view.legend_label("sgd"), view.legend_label("adam")]
    np.testing.assert_array_equal(paths[1]["x"], view.paths["adam"][:, 0])


def test_explorer_says_so_when_no_optimizer_is_picked():
    ui = optimizer_paths_explorer()
    picked = ui.explorer.controls["optimizers"]
    before = ui.figure.current
    picked.value = ()
    assert "Pick at least one optimizer" in ui.explorer.message.value
    assert ui.figure.current is before
    picked.value = ("adam",)
    assert ui.explorer.message.value == ""
