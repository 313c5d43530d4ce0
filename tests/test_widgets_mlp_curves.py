"""Chapter 06's loss-curve explorer: its training run against the same run in torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as nnf

from dlcourse.data import load_digits_split
from dlcourse.layers import MLP
from dlcourse.widgets.mlp_curves import draw_mlp_curves, mlp_curves_explorer, mlp_curves_view


def _torch_curves(hidden, lr, epochs, batch_size, seed):
    """The same run in torch (float64): same initial weights, same batches, plain SGD."""
    data = load_digits_split()
    params = [torch.tensor(p, dtype=torch.float64, requires_grad=True)
              for p in MLP([64, hidden, 10], seed=seed).params]
    W1, b1, W2, b2 = params

    def scores(X):
        return torch.relu(torch.as_tensor(X) @ W1 + b1) @ W2 + b2

    X, y = data.X_train.copy(), torch.tensor(data.y_train)
    rng = np.random.default_rng(seed)
    train_loss, val_acc = [], []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            loss = nnf.cross_entropy(scores(X[batch]), y[batch])
            grads = torch.autograd.grad(loss, params)
            with torch.no_grad():
                for p, g in zip(params, grads, strict=True):
                    p -= lr * g
        with torch.no_grad():
            train_loss.append(nnf.cross_entropy(scores(X), y).item())
            val_acc.append((scores(data.X_val.copy()).argmax(1).numpy() == data.y_val).mean())
    return np.array(train_loss), np.array(val_acc)


def test_view_matches_the_same_run_in_torch():
    view = mlp_curves_view(8, 0.2, 3, batch_size=64, seed=1)
    train_loss, val_acc = _torch_curves(8, 0.2, 3, 64, 1)
    np.testing.assert_allclose(view.train_loss, train_loss, rtol=1e-10)
    np.testing.assert_array_equal(view.val_acc, val_acc)
    assert view.train_loss.shape == view.val_loss.shape == view.train_acc.shape == (3,)


def test_best_epoch_title_and_divergence():
    view = mlp_curves_view(16, 0.3, 6)
    assert view.best_epoch == int(np.argmin(view.val_loss)) + 1
    assert not view.diverged and view.val_acc[-1] > 0.8
    assert view.title.startswith("hidden 16, lr 0.3: val loss")
    wild = mlp_curves_view(16, 10.0, 3)
    assert wild.diverged


def test_view_rejects_bad_input():
    with pytest.raises(ValueError, match="lr"):
        mlp_curves_view(8, 0.0)
    with pytest.raises((TypeError, ValueError), match="hidden"):
        mlp_curves_view(0, 0.1)


def test_draw_and_widget_build_and_train_button():
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2)
    draw_mlp_curves(mlp_curves_view(4, 0.1, 2), axes)
    plt.close(fig)
    ui = mlp_curves_explorer(hidden=4, lr=0.1, epochs=2, run_epochs=5)
    controls, animation = ui.explorer.controls, ui.animation
    assert isinstance(controls["lr"], widgets.FloatLogSlider)
    assert controls["lr"].value == pytest.approx(0.1)
    assert animation.trainer.position == 2                       # shown trained
    controls["hidden"].value = 6                                 # a fresh network, untrained
    assert animation.trainer.position == 0 and animation.trainer.hidden == 6
    assert "press play" in ui.figure.current["title"]
    animation.step_button.click()
    assert animation.trainer.position == 1
    animation.play_button.click()                                # no event loop: plays to the end
    assert animation.trainer.position == 5 and not animation.playing
    assert ui.figure.current["title"].startswith("hidden 6")
    animation.reset_button.click()
    assert animation.trainer.position == 0
    plt.close("all")


def test_trainer_repeats_train_mlp_epoch_by_epoch():
    from dlcourse.widgets import live
    from dlcourse.widgets.mlp_curves import MLPCurvesTrainer, mlp_curves_scene

    trainer = MLPCurvesTrainer(8, 0.2, epochs=4)
    trainer.step(1)
    trainer.step(2)
    view = mlp_curves_view(8, 0.2, 3)
    for key in ("train_loss", "val_loss", "train_acc", "val_acc"):
        np.testing.assert_array_equal(getattr(trainer.view(), key), getattr(view, key))
    trainer.step(10)
    assert trainer.position == 4 and trainer.done             # never past the run's end
    spec = mlp_curves_scene(trainer.view(), 4)
    live.validate_scene(spec)
    losses = spec["panels"][0]["marks"]
    np.testing.assert_array_equal(losses[0]["y"], trainer.view().train_loss)
    assert losses[2]["kind"] == "vline" and losses[2]["x"] == trainer.view().best_epoch
    assert spec["panels"][0]["xlim"] == [0.5, 4.5]
    trainer.reset()
    assert trainer.view() is None
    live.validate_scene(trainer.scene())
