"""The digit-shift explorer's pure function, tiling, drawing and widget."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.data import load_digits_split
from dlcourse.nets.lenet import MLP, LeNet
from dlcourse.regularization import shift_image
from dlcourse.widgets.digit_shift import (
    digit_shift_explorer,
    digit_shift_view,
    draw_digit_shift,
    first_layer_maps,
    tile_maps,
)

DIGITS = np.array(load_digits_split().X_test[:4]).reshape(-1, 8, 8)


def _nets():
    torch.manual_seed(0)
    return LeNet(c1=4, c2=6, hidden=8), MLP(hidden=12)


def test_view_runs_both_networks_on_the_shifted_digit():
    cnn, mlp = _nets()
    view = digit_shift_view(cnn, DIGITS[0], 1, -2, label=3, mlp=mlp)
    np.testing.assert_array_equal(view.image, shift_image(DIGITS[0], 1, -2))
    x = torch.tensor(view.image, dtype=torch.float32)[None, None]
    with torch.no_grad():
        np.testing.assert_allclose(view.probs, torch.softmax(cnn(x), 1)[0].numpy(), rtol=1e-6)
        np.testing.assert_allclose(view.mlp_probs, torch.softmax(mlp(x), 1)[0].numpy(),
                                   rtol=1e-6)
        np.testing.assert_allclose(view.maps, F.relu(cnn.conv1(x))[0].numpy(), rtol=1e-6)
    assert view.probs.sum() == pytest.approx(1.0) and view.maps.shape == (4, 8, 8)
    assert view.prediction == int(np.argmax(view.probs))
    assert view.title.startswith("a 3, shifted by (+1, -2): CNN says")
    assert "MLP says" in view.title


def test_feature_maps_follow_the_digit():
    cnn, _ = _nets()
    still = digit_shift_view(cnn, DIGITS[1], 0, 0)
    moved = digit_shift_view(cnn, DIGITS[1], 1, 0)
    assert still.mlp_probs is None and still.mlp_prediction is None
    # away from the border, the maps of the moved digit are the maps moved (equivariance)
    np.testing.assert_allclose(moved.maps[:, 1:-1, 2:-1], still.maps[:, 1:-1, 1:-2], rtol=1e-5,
                               atol=1e-6)


def test_first_layer_maps_needs_conv1():
    with pytest.raises(AttributeError, match="needs a `conv1` layer"):
        first_layer_maps(MLP(), torch.zeros(1, 1, 8, 8))

    class Plain(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = torch.nn.Conv2d(1, 2, 3, padding=1)

    plain = Plain()
    x = torch.rand(1, 1, 8, 8)
    torch.testing.assert_close(first_layer_maps(plain, x), F.relu(plain.conv1(x)))


def test_tile_maps_lays_maps_out_with_gaps():
    maps = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    canvas = tile_maps(maps, cols=2)
    assert canvas.shape == (3 * 3 - 1, 2 * 4 - 1)
    np.testing.assert_array_equal(canvas[0:2, 4:7], maps[1])
    np.testing.assert_array_equal(canvas[6:8, 0:3], maps[4])
    assert np.isnan(canvas[2]).all() and np.isnan(canvas[6:8, 4:7]).all()
    assert tile_maps(maps, cols=8).shape == (2, 5 * 4 - 1)


def test_drawing_and_the_widget():
    cnn, mlp = _nets()
    fig = plt.figure()
    draw_digit_shift(digit_shift_view(cnn, DIGITS[2], 0, 1, label=2, mlp=mlp), fig)
    assert len(fig.axes) == 3
    plt.close(fig)
    ui = digit_shift_explorer(cnn, DIGITS, np.arange(4), mlp=mlp)
    sliders = ui.children[0].children
    assert [s.description for s in sliders] == ["test digit", "dx (right)", "dy (down)"]
    assert sliders[0].max == 3 and sliders[1].min == -3
    with pytest.raises(ValueError, match=r"image must be a 2-D array laid out as \(H, W\)"):
        digit_shift_view(cnn, DIGITS, 0, 0)


def test_scene_holds_the_digit_the_probabilities_and_the_maps():
    from dlcourse.widgets import live
    from dlcourse.widgets.digit_shift import digit_shift_scene

    cnn, mlp = _nets()
    image = load_digits_split().X_test[0].reshape(8, 8)
    view = digit_shift_view(cnn, image, 1, -1, label=3, mlp=mlp)
    spec = digit_shift_scene(view)
    live.validate_scene(spec)
    digit, probs, maps = spec["panels"]
    assert digit["marks"][0]["shape"] == [8, 8]
    bars = [m for m in probs["marks"] if m["kind"] == "bars"]
    np.testing.assert_allclose(bars[0]["height"], view.probs)
    np.testing.assert_allclose(bars[1]["height"], view.mlp_probs)
    assert probs["marks"][0]["kind"] == "vspan" and probs["marks"][0]["lo"] == 2.5
    assert maps["marks"][0]["shape"] == list(tile_maps(view.maps).shape)
    assert spec["title"] == view.title
