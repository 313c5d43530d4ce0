"""Chapter 02's playground: the computed view (data, training, decision regions, loss curves)
is right, repeatable and fast, and the widget builds."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlcourse.widgets.playground import (
    LIMITS,
    PlaygroundTrainer,
    draw_playground,
    playground,
    playground_scene,
    playground_view,
)


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
    ui = playground(epochs=10)
    controls, animation = ui.explorer.controls, ui.animation
    assert [c.description for c in controls.values()] == [
        "data set", "hidden layers", "units / layer", "activation", "learning rate"]
    assert isinstance(controls["lr"], widgets.FloatLogSlider)
    assert [b.description for b in animation.bar.children[:3]] == ["play", "step", "reset"]
    assert animation.trainer.position == 10
    controls["lr"].value = 0.1                            # applies to the running network
    assert animation.trainer.position == 10 and animation.trainer.lr == pytest.approx(0.1)
    controls["units"].value = 3                           # a new network: epoch 0
    assert animation.trainer.position == 0 and animation.trainer.hidden == (3,)
    animation.step_button.click()
    assert animation.trainer.position == 1
    plt.close("all")


def test_trainer_unit_maps_are_the_hidden_activations():
    trainer = PlaygroundTrainer("circles", [3, 2], "tanh", 0.03, device="cpu",
                                unit_resolution=5)
    trainer.step(5)
    maps = trainer.unit_maps()
    assert [m.shape for m in maps] == [(3, 5, 5), (2, 5, 5)]
    xs = np.linspace(*LIMITS[0], 5)
    point = torch.tensor([[xs[4], xs[1]]], dtype=torch.float32)   # column 4, row 1
    first, second = trainer.model.linears[:2]
    with torch.no_grad():
        h1 = torch.tanh(first(point))
        h2 = torch.tanh(second(h1))
    np.testing.assert_allclose(maps[0][:, 1, 4], h1[0].numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(maps[1][:, 1, 4], h2[0].numpy(), rtol=1e-5, atol=1e-6)
    linear = PlaygroundTrainer("xor", [], "tanh", device="cpu")
    assert linear.unit_maps() == []


def test_trainer_steps_equal_one_long_run_and_reset_repeats():
    a = PlaygroundTrainer("spiral", [8], "relu", 0.02, device="cpu", batch_size=50)
    a.step(3)
    a.step(4)
    b = playground_view("spiral", [8], "relu", 0.02, 7, batch_size=50, device="cpu")
    np.testing.assert_allclose(a.train_loss, b.train_loss, rtol=1e-6)
    np.testing.assert_allclose(a.probabilities(), b.prob, rtol=1e-5, atol=1e-6)
    first = list(a.train_loss)
    a.reset()
    assert a.position == 0
    a.step(7)
    np.testing.assert_array_equal(a.train_loss, first)


def test_scene_has_a_map_per_unit_the_regions_and_the_curves():
    from dlcourse.widgets import live

    trainer = PlaygroundTrainer("xor", [4, 2], "relu", device="cpu", resolution=12)
    live.validate_scene(playground_scene(trainer))               # untrained: still a picture
    trainer.step(20)
    spec = playground_scene(trainer)
    live.validate_scene(spec)
    panels = spec["panels"]
    assert len(panels) == 4 + 2 + 2                              # 6 unit maps, regions, curves
    assert panels[0]["title"] == "layer 1" and panels[4]["title"] == "layer 2"
    regions, curves = panels[-2], panels[-1]
    image = regions["marks"][0]
    assert image["shape"] == [12, 12]
    np.testing.assert_array_equal(image["values"],
                                  np.round(trainer.probabilities() * 255).astype(np.uint8))
    np.testing.assert_allclose(curves["marks"][0]["y"], trainer.train_loss)
    assert spec["title"].startswith("xor: 2 → 4 → 2 → 2, relu") and "epoch 20" in spec["title"]
