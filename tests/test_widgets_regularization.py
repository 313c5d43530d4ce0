"""Chapter 09's explorer: the training loop behind it (against torch), its view and its widget."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from dlcourse.data import make_xor
from dlcourse.init import he_normal
from dlcourse.widgets import regularization_curves as rc


def test_overfitting_data_is_one_draw_of_the_xor_clouds_split_in_two():
    X_train, y_train, X_val, y_val = rc.make_overfitting_data(seed=3, n_train=20, n_val=50)
    X, y = make_xor(70, noise=0.7, seed=3)
    np.testing.assert_array_equal(np.vstack([X_train, X_val]), X)
    np.testing.assert_array_equal(np.concatenate([y_train, y_val]), y)
    assert X_train.shape == (20, 2) and X_val.shape == (50, 2)


@pytest.mark.parametrize("weight_decay", [0.0, 0.02])
def test_training_equals_torch_sgd_with_weight_decay_on_the_weights(weight_decay):
    X_train, y_train, X_val, y_val = rc.make_overfitting_data(seed=1, n_train=24, n_val=40)
    hidden, lr, epochs = 16, 0.2, 15
    params, history = rc.train_regularized_mlp(X_train, y_train, X_val, y_val,
                                               weight_decay=weight_decay, hidden=hidden, lr=lr,
                                               epochs=epochs, seed=5)
    # the same start: He-normal weights drawn in the same order, zero biases
    rng = np.random.default_rng(5)
    sizes = [2, hidden, hidden, 2]
    layers = [torch.nn.Linear(a, b, dtype=torch.float64) for a, b in itertools.pairwise(sizes)]
    for layer, (a, b) in zip(layers, itertools.pairwise(sizes), strict=True):
        with torch.no_grad():
            layer.weight.copy_(torch.from_numpy(he_normal((a, b), rng=rng).T))
            layer.bias.zero_()
    net = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(), layers[2])
    opt = torch.optim.SGD([{"params": [m.weight for m in layers], "weight_decay": weight_decay},
                           {"params": [m.bias for m in layers], "weight_decay": 0.0}], lr=lr)
    Xt, yt = torch.from_numpy(X_train), torch.from_numpy(y_train)
    Xv, yv = torch.from_numpy(X_val), torch.from_numpy(y_val)
    val_losses = []
    for _ in range(epochs):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(Xt), yt).backward()
        opt.step()
        with torch.no_grad():
            val_losses.append(torch.nn.functional.cross_entropy(net(Xv), yv).item())
    np.testing.assert_allclose(history["val_loss"], val_losses, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(params[0], layers[0].weight.detach().numpy().T, rtol=1e-10,
                               atol=1e-12)
    logits = rc.mlp_logits(params, X_val)
    np.testing.assert_allclose(logits, net(Xv).detach().numpy(), rtol=1e-10, atol=1e-12)
    assert history["val_acc"][-1] == pytest.approx(float(np.mean(logits.argmax(1) == y_val)))


def test_dropout_changes_training_and_a_run_repeats_with_its_seed():
    data = rc.make_overfitting_data(seed=0, n_train=20, n_val=30)
    _, plain = rc.train_regularized_mlp(*data, hidden=16, epochs=10, seed=2)
    _, drop1 = rc.train_regularized_mlp(*data, dropout=0.5, hidden=16, epochs=10, seed=2)
    _, drop2 = rc.train_regularized_mlp(*data, dropout=0.5, hidden=16, epochs=10, seed=2)
    for key in plain:
        np.testing.assert_array_equal(drop1[key], drop2[key])
    assert not np.allclose(plain["train_loss"], drop1["train_loss"])


def test_bad_settings_give_clear_errors():
    data = rc.make_overfitting_data(n_train=8, n_val=8)
    with pytest.raises(ValueError, match="dropout"):
        rc.train_regularized_mlp(*data, dropout=1.0, epochs=1)
    with pytest.raises(ValueError, match="weight_decay"):
        rc.train_regularized_mlp(*data, weight_decay=-0.1, epochs=1)
    with pytest.raises(ValueError, match="epochs"):
        rc.train_regularized_mlp(*data, epochs=0)


def test_default_view_shows_overfitting_and_weight_decay_fixes_it():
    plain = rc.regularization_curves_view(0.0, 0.0)
    decayed = rc.regularization_curves_view(0.01, 0.0)
    h = plain.history
    assert set(h) == {"train_loss", "val_loss", "train_acc", "val_acc"}
    assert all(len(v) == rc.EPOCHS for v in h.values())
    assert h["train_acc"][-1] == 1.0 and h["val_loss"][-1] > 2 * h["val_loss"].min()
    assert plain.best_epoch == int(np.argmin(h["val_loss"])) + 1
    assert plain.gap == pytest.approx(h["val_loss"][-1] - h["train_loss"][-1])
    assert decayed.history["val_loss"][-1] < 0.6 * h["val_loss"][-1]
    assert plain.title.startswith("L2 α = 0, dropout p = 0: train loss ")
    xx, yy, labels = rc.decision_grid(plain, resolution=30)
    assert xx.shape == yy.shape == labels.shape == (30, 30)
    assert set(np.unique(labels)) <= {0, 1}
    fig, (ax1, ax2) = plt.subplots(1, 2)
    rc.draw_regularization_curves(plain, ax1, ax2)
    assert [line.get_label() for line in ax1.get_lines()][:2] == ["training loss",
                                                                    "validation loss"]
    plt.close(fig)


def test_run_epoch_by_epoch_equals_the_training_function():
    data = rc.make_overfitting_data(0)
    params, history = rc.train_regularized_mlp(*data, weight_decay=0.004, dropout=0.3,
                                               epochs=12, seed=2)
    run = rc.RegularizedRun(*data, weight_decay=0.004, dropout=0.3, seed=2)
    for _ in range(12):
        run.epoch()
    for a, b in zip(params, run.params, strict=True):
        np.testing.assert_array_equal(a, b)
    for key, values in history.items():
        np.testing.assert_array_equal(values, run.history[key])


def test_trainer_and_scene():
    from dlcourse.widgets import live

    trainer = rc.RegularizationTrainer(0.01, 0.2, epochs=30, resolution=20)
    live.validate_scene(trainer.scene())                          # epoch 0 draws too
    trainer.step(20)
    trainer.step(20)
    assert trainer.position == 30 and trainer.done
    view = trainer.view()
    direct = rc.regularization_curves_view(0.01, 0.2, epochs=30)
    np.testing.assert_array_equal(view.history["val_loss"], direct.history["val_loss"])
    spec = trainer.scene()
    live.validate_scene(spec)
    curves, regions = spec["panels"]
    np.testing.assert_array_equal(curves["marks"][0]["y"], view.history["train_loss"])
    assert curves["marks"][2]["x"] == view.best_epoch
    image = regions["marks"][0]
    _, _, labels = rc.decision_grid(view, resolution=20)
    np.testing.assert_array_equal(image["values"] > 127, labels == 1)
    assert spec["title"] == view.title


def test_explorer_builds_and_only_its_buttons_train():
    import ipywidgets as widgets

    ui = rc.regularization_curves_explorer(weight_decay=0.005, dropout=0.25, epochs=5)
    controls, animation = ui.explorer.controls, ui.animation
    assert set(controls) == {"weight_decay", "dropout"}
    assert all(isinstance(c, widgets.FloatSlider) for c in controls.values())
    assert animation.trainer.position == 5                       # the default picture, trained
    controls["dropout"].value = 0.5                              # a slider: a fresh network...
    assert animation.trainer.position == 0 and animation.trainer.dropout == 0.5
    animation.step_button.click()                                # ...the buttons train it
    assert animation.trainer.position == 1
    animation.reset_button.click()
    assert animation.trainer.position == 0
