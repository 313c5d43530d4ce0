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
    ui = mlp_curves_explorer(hidden=4, lr=0.1, epochs=2)
    _, lr, epochs, button = ui.children[0].children
    assert isinstance(lr, widgets.FloatLogSlider) and lr.value == pytest.approx(0.1)
    assert isinstance(button, widgets.Button) and button.description == "Train"
    epochs.value = 3
    button.click()
    assert not button.disabled
    plt.close("all")
