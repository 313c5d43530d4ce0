"""Chapter 02's playground: the computed view (data, training, decision regions, loss curves)
is right, repeatable and fast, and the widget builds."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlcourse.widgets.playground import LIMITS, draw_playground, playground, playground_view


@pytest.fixture(scope="module")
def xor_view():
    return playground_view("xor", [4], "tanh", 0.03, 150, device="cpu")


def test_view_shapes_and_ranges(xor_view):
    v = xor_view
    assert v.X_train.shape == v.X_test.shape == (200, 2)
    assert v.xx.shape == v.yy.shape == v.prob.shape == (80, 80)
    assert v.xx.min() == LIMITS[0][0] and v.yy.max() == LIMITS[1][1]
    assert np.all((v.prob >= 0) & (v.prob <= 1))
    assert v.train_loss.shape == v.test_loss.shape == (150,)
    assert v.n_params == (2 * 4 + 4) + (4 * 2 + 2)
    assert v.title.startswith("xor: 2 → 4 → 2, tanh")


def test_a_hidden_layer_solves_xor_and_none_cannot(xor_view):
    assert xor_view.train_acc >= 0.99 and xor_view.test_acc >= 0.99
    assert xor_view.train_loss[-1] < 0.2 * xor_view.train_loss[0]
    linear = playground_view("xor", [], "tanh", 0.03, 150, device="cpu")
    assert linear.n_params == 6 and linear.test_acc < 0.8


def test_grid_probabilities_are_the_models_predictions(xor_view):
    # the region colours must agree with the labels the model gives the training points:
    # look the grid up at the nearest cell for each confidently classified training point
    v = xor_view
    cols = np.abs(v.xx[0][None, :] - v.X_train[:, :1]).argmin(axis=1)
    rows = np.abs(v.yy[:, 0][None, :] - v.X_train[:, 1:]).argmin(axis=1)
    confident = np.abs(v.prob[rows, cols] - 0.5) > 0.4
    assert confident.mean() > 0.7
    assert np.mean((v.prob[rows, cols] > 0.5)[confident] == v.y_train[confident]) > 0.97


def test_same_seed_same_result_other_seed_other_result():
    a = playground_view("circles", [6], "relu", 0.05, 40, device="cpu", resolution=10)
    b = playground_view("circles", [6], "relu", 0.05, 40, device="cpu", resolution=10)
    c = playground_view("circles", [6], "relu", 0.05, 40, device="cpu", resolution=10, seed=1)
    np.testing.assert_array_equal(a.train_loss, b.train_loss)
    np.testing.assert_array_equal(a.prob, b.prob)
    assert not np.array_equal(a.train_loss, c.train_loss)


@pytest.mark.parametrize("dataset", ["circles", "blobs", "spiral"])
def test_every_data_set_trains_and_fits_the_box(dataset):
    v = playground_view(dataset, [16, 16], "tanh", 0.03, 200, device="cpu", resolution=20)
    lo, hi = LIMITS[0]
    assert np.all((v.X_train > lo) & (v.X_train < hi))
    assert v.test_acc >= 0.9
    assert np.unique(v.y_train).tolist() == [0, 1]


def test_mini_batches_and_speed():
    v = playground_view("spiral", [16, 16], "tanh", 0.03, 300, device="cpu", resolution=20)
    assert v.test_acc >= 0.95
    assert v.seconds < 10  # ≈ 0.3 s on a quiet laptop core; generous for shared CI machines
    mb = playground_view("xor", [4], "tanh", 0.03, 20, batch_size=32, device="cpu",
                         resolution=10)
    assert mb.train_loss.shape == (20,)


def test_bad_input_raises_clear_errors():
    with pytest.raises(ValueError, match="dataset"):
        playground_view("moons")
    with pytest.raises(ValueError, match="activation"):
        playground_view("xor", [4], "swish")
    with pytest.raises(TypeError, match="list of layer sizes"):
        playground_view("xor", 4)
    with pytest.raises(ValueError, match="at least 1"):
        playground_view("xor", [4, 0])
    with pytest.raises(ValueError, match="lr"):
        playground_view("xor", [4], "tanh", -0.1)


def test_drawing_and_widget_build():
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    v = playground_view("xor", [2], "tanh", 0.05, 10, device="cpu", resolution=10)
    fig, axes = plt.subplots(1, 2)
    draw_playground(v, axes)
    assert axes[1].get_yscale() == "log" and len(axes[1].lines) == 2
    plt.close(fig)
    torch.manual_seed(0)
    ui = playground(epochs=10)
    controls = ui.children[0].children
    assert [c.description for c in controls] == [
        "data set", "hidden layers", "units / layer", "activation", "learning rate", "epochs",
        "Train"]
    assert isinstance(controls[4], widgets.FloatLogSlider)
    plt.close("all")
