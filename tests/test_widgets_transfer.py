"""Chapter 15's fine-tuning explorer over precomputed results."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse.widgets import live
from dlcourse.widgets.transfer_curves import (
    draw_transfer,
    transfer_explorer,
    transfer_scene,
    transfer_view,
)

COUNTS = [1, 3, 10]
RESULTS = {"from scratch": np.array([[0.6, 0.7], [0.8, 0.84], [0.9, 0.92]]),
           "last layer": np.array([[0.4, 0.5], [0.6, 0.62], [0.7, 0.66]])}


def test_view_means_and_runs():
    view = transfer_view(RESULTS, COUNTS, 3)
    np.testing.assert_allclose(view.means, [[0.65, 0.82, 0.91], [0.45, 0.61, 0.68]])
    np.testing.assert_array_equal(view.runs, [[0.8, 0.84], [0.6, 0.62]])
    assert view.title == "3 labels per class: best on average, from scratch"
    assert transfer_view(RESULTS, COUNTS, 1).title.startswith("1 label per class")


def test_scene_draw_and_explorer():
    scene = transfer_scene(transfer_view(RESULTS, COUNTS, 10))
    live.validate_scene(scene)
    assert scene["panels"][0]["xscale"] == "log"
    fig, axes = plt.subplots(1, 2)
    draw_transfer(transfer_view(RESULTS, COUNTS, 1), axes)
    plt.close(fig)
    ui = transfer_explorer(RESULTS, COUNTS)
    ui.explorer.controls["labels_per_class"].value = 10
    assert ui.explorer.figure.current["panels"][1]["title"].startswith("10 labels per class")


def test_bad_input():
    with pytest.raises(ValueError, match="one of \\[1, 3, 10\\]"):
        transfer_view(RESULTS, COUNTS, 5)
    with pytest.raises(ValueError, match="shape \\(len\\(counts\\), seeds\\)"):
        transfer_view(RESULTS, [1, 3], 1)
    with pytest.raises(ValueError, match="at least one way"):
        transfer_view({}, COUNTS, 1)
