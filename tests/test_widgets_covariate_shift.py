"""Chapter 10's covariate-shift explorer: its view against direct computations, its scene and
the widget (it replays recordings, so it is built here with small ones)."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.covariate_shift import distribution_drift
from dlcourse.data import load_digits_split
from dlcourse.nets.shift_mlp import train_recording_shift
from dlcourse.widgets import live
from dlcourse.widgets.covariate_shift import (
    covariate_shift_explorer,
    covariate_shift_scene,
    covariate_shift_view,
)


@pytest.fixture(scope="module")
def recordings():
    d = load_digits_split()
    return [train_recording_shift(d.X_train, d.y_train, d.X_val[:80], norm=n, steps=30,
                                  record_every=10, width=12, device="cpu")
            for n in ("none", "batch", "noisy")]


def test_view_numbers(recordings):
    view = covariate_shift_view(recordings, 2, unit=5)
    assert view.step == 20 and view.norms == ("none", "batch", "noisy")
    for k, rec in enumerate(recordings):
        z = rec.z[:, :, 5]
        assert view.mean[k] == pytest.approx(z[2].mean())
        assert view.std[k] == pytest.approx(z[2].std())
        np.testing.assert_allclose(view.moved[k], distribution_drift(rec.z).start_w1[:, 5])
        widths = np.diff(view.edges[k])
        assert np.sum(view.now[k] * widths) == pytest.approx(1.0)   # a density
        np.testing.assert_array_equal(view.loss[k], rec.loss)
    assert view.moved[:, 0].max() == 0.0


def test_scene_and_errors(recordings):
    spec = covariate_shift_scene(covariate_shift_view(recordings, 3, 0))
    live.validate_scene(spec)
    assert len(spec["panels"]) == 5
    assert spec["panels"][1]["title"].startswith("batch norm: mean")
    with pytest.raises(ValueError, match="index must be an integer from 0 to 3"):
        covariate_shift_view(recordings, 4)
    with pytest.raises(ValueError, match="unit must be an integer from 0 to 11"):
        covariate_shift_view(recordings, 0, unit=12)
    with pytest.raises(TypeError, match="ShiftRecording"):
        covariate_shift_view([], 0)


def test_explorer_replays_the_recordings(recordings):
    ui = covariate_shift_explorer(recordings)
    assert ui.figure.current["title"].endswith("step 30")
    ui.explorer.controls["index"].value = 1
    assert ui.figure.current["title"] == "unit 0 of the recorded hidden layer, step 10"
    ui.explorer.controls["unit"].value = 7
    assert ui.figure.current["title"].startswith("unit 7")
