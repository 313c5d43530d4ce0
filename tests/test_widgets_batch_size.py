"""Chapter 07's batch-size explorer: its view against the runs, its scene and the widget (it
replays a sweep, so it is built here with a small one)."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.batch_size import sweep_batch_sizes
from dlcourse.data import load_digits_split
from dlcourse.widgets import live
from dlcourse.widgets.batch_size_tradeoff import (
    batch_size_explorer,
    batch_size_scene,
    batch_size_view,
)


@pytest.fixture(scope="module")
def runs():
    d = load_digits_split()
    return sweep_batch_sizes(d.X_train[:200], d.y_train[:200], [4, 50, 200], target=1.2,
                             max_epochs=100, device="cpu")


def test_view_axes(runs):
    for axis in ("epochs", "updates", "seconds"):
        view = batch_size_view(runs, 50, axis)
        assert view.chosen == 1
        run = runs[1]
        expected = {"epochs": run.epochs, "updates": run.epochs * 4, "seconds": run.seconds}
        np.testing.assert_allclose(view.xs[1], expected[axis])
    view = batch_size_view(runs, 4)
    np.testing.assert_array_equal(view.updates, [50, 4, 1])
    assert list(view.epochs_needed) == [r.epochs_to_target for r in runs]
    assert view.title.startswith("B = 4: 50 updates per epoch")


def test_scene_and_errors(runs):
    spec = batch_size_scene(batch_size_view(runs, 200, "seconds"))
    live.validate_scene(spec)
    assert [p["xlabel"] for p in spec["panels"]] == ["seconds", "batch size B", "batch size B"]
    with pytest.raises(ValueError, match="no run with batch size 7"):
        batch_size_view(runs, 7)
    with pytest.raises(ValueError, match="unknown axis"):
        batch_size_view(runs, 4, "hours")


def test_explorer(runs):
    ui = batch_size_explorer(runs)
    assert ui.figure.current["title"].startswith("B = 4")
    ui.explorer.controls["batch_size"].value = 200
    assert ui.figure.current["title"].startswith("B = 200: 1 updates per epoch")
    ui.explorer.controls["axis"].value = "updates"
    assert ui.figure.current["panels"][0]["xlabel"] == "updates"
