"""Chapter 09's explorer: regularize a network that overfits, and watch it generalize.

A small ReLU network (2 → 128 → 128 → 2) is trained with full-batch gradient descent on 40
noisy points of the XOR clouds (``dlcourse.data.make_xor``, noise 0.7) and measured on 300 more
from the same distribution. Unregularized, it fits the 40 points perfectly and its validation
loss climbs after a few dozen epochs: overfitting. Two sliders set the L2 strength α (weight
decay, w ← (1 − lr·α)w − lr·∇J, weights only) and the dropout rate p (inverted dropout after
each hidden layer); a Train button trains the net (about a second) and draws the training and
validation loss per epoch and the decision regions over the training points.

``train_regularized_mlp`` is the training loop, built from the course's reference layers
(``dlcourse.layers``, ``dlcourse.losses``, ``dlcourse.regularization``); it is the same loop
that chapter 09's notebook writes out with the student's functions.
``regularization_curves_view`` computes everything that is drawn; ``draw_regularization_curves``
draws it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from dlcourse._validate import positive_int, real_in_range
from dlcourse.data import make_xor
from dlcourse.init import he_normal
from dlcourse.layers import activation_backward, activation_forward, dense_backward, dense_forward
from dlcourse.losses import cross_entropy, cross_entropy_grad
from dlcourse.regularization import dropout_backward, dropout_forward, sgd_weight_decay_step
from dlcourse.viz.boundaries import padded_limits, plot_decision_regions, region_grid

HIDDEN = 128
LR = 0.3
EPOCHS = 300


def make_overfitting_data(seed: int = 0, n_train: int = 40, n_val: int = 300,
                          noise: float = 0.7) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                       np.ndarray]:
    """(X_train (n_train, 2), y_train, X_val (n_val, 2), y_val): one draw of the XOR clouds,
    ``make_xor(n_train + n_val, noise=noise, seed=seed)``, split into its first ``n_train``
    points and the rest. The clouds overlap, so no boundary classifies every point right."""
    n_train = positive_int(n_train, "n_train", func="make_overfitting_data", minimum=4)
    n_val = positive_int(n_val, "n_val", func="make_overfitting_data")
    X, y = make_xor(n_train + n_val, noise=noise, seed=seed)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def mlp_logits(params: list[np.ndarray], X: np.ndarray) -> np.ndarray:
    """The logits (N, classes) of the ReLU network [W1, b1, W2, b2, ...] in evaluation mode
    (no dropout)."""
    a = X
    n_layers = len(params) // 2
    for layer in range(n_layers):
        a, _ = dense_forward(a, params[2 * layer], params[2 * layer + 1])
        if layer < n_layers - 1:
            a, _ = activation_forward(a, "relu")
    return a


def train_regularized_mlp(X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray,
                          y_val: np.ndarray, *, weight_decay: float = 0.0, dropout: float = 0.0,
                          hidden: int = HIDDEN, lr: float = LR, epochs: int = EPOCHS,
                          seed: int = 0) -> tuple[list[np.ndarray], dict[str, np.ndarray]]:
    """Full-batch gradient descent on a 2-hidden-layer ReLU net with L2 and dropout.

    Layers: dense → ReLU → dropout(p) → dense → ReLU → dropout(p) → dense (logits), loss:
    softmax cross-entropy (mean over the batch). Weights start He-normal, biases at 0, drawn
    from ``np.random.default_rng(seed)``, which then also draws the dropout masks. Each epoch
    is one step on all training points: the weights take the weight-decay step
    w ← (1 − lr·α)·w − lr·∇J (α = ``weight_decay``), the biases w ← w − lr·∇J.

    Returns ``(params, history)``: params [W1, b1, W2, b2, W3, b3] and a history of arrays of
    length ``epochs``: ``train_loss``, ``val_loss`` (the data loss in evaluation mode, without
    the penalty, after each step), ``train_acc``, ``val_acc``.
    """
    func = "train_regularized_mlp"
    weight_decay = real_in_range(weight_decay, "weight_decay", func=func, low=0.0)
    p = real_in_range(dropout, "dropout", func=func, low=0.0, high=1.0, high_open=True)
    hidden = positive_int(hidden, "hidden", func=func)
    lr = real_in_range(lr, "lr", func=func, low=0.0, low_open=True)
    epochs = positive_int(epochs, "epochs", func=func)
    rng = np.random.default_rng(seed)
    n_classes = int(max(np.max(y_train), np.max(y_val))) + 1
    sizes = [X_train.shape[1], hidden, hidden, n_classes]
    params: list[np.ndarray] = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        params += [he_normal((fan_in, fan_out), rng=rng), np.zeros(fan_out)]
    history: dict[str, list[float]] = {k: [] for k in ("train_loss", "val_loss", "train_acc",
                                                       "val_acc")}
    n_layers = len(params) // 2
    for _ in range(epochs):
        # forward, keeping what the backward pass needs
        a, caches = X_train, []
        for layer in range(n_layers):
            z, dense_cache = dense_forward(a, params[2 * layer], params[2 * layer + 1])
            if layer == n_layers - 1:
                caches.append((dense_cache, None, None))
                break
            h, act_cache = activation_forward(z, "relu")
            a, drop_cache = dropout_forward(h, p, training=True, rng=rng)
            caches.append((dense_cache, act_cache, drop_cache))
        # backward and the update
        delta = cross_entropy_grad(z, y_train)
        grads: list[np.ndarray] = [np.empty(0)] * len(params)
        for layer in reversed(range(n_layers)):
            dense_cache, act_cache, drop_cache = caches[layer]
            if act_cache is not None:
                delta = activation_backward(dropout_backward(delta, drop_cache), act_cache)
            delta, grads[2 * layer], grads[2 * layer + 1] = dense_backward(delta, dense_cache)
        for i, (param, grad) in enumerate(zip(params, grads, strict=True)):
            params[i] = (sgd_weight_decay_step(param, grad, lr, weight_decay) if i % 2 == 0
                         else param - lr * grad)
        for split, (X, y) in (("train", (X_train, y_train)), ("val", (X_val, y_val))):
            logits = mlp_logits(params, X)
            history[f"{split}_loss"].append(cross_entropy(logits, y))
            history[f"{split}_acc"].append(float(np.mean(logits.argmax(axis=1) == y)))
    return params, {k: np.array(v) for k, v in history.items()}


@dataclass(frozen=True)
class RegularizationView:
    """Everything the explorer draws for one training run."""

    weight_decay: float
    dropout: float
    history: dict[str, np.ndarray]   # per-epoch train/val loss and accuracy
    params: list[np.ndarray]         # the trained network
    X_train: np.ndarray
    y_train: np.ndarray
    limits: tuple[tuple[float, float], tuple[float, float]]

    @property
    def best_epoch(self) -> int:
        """The epoch (1-based) with the lowest validation loss."""
        return int(np.argmin(self.history["val_loss"])) + 1

    @property
    def gap(self) -> float:
        """Final validation loss minus final training loss: how much the net overfits."""
        return float(self.history["val_loss"][-1] - self.history["train_loss"][-1])

    @property
    def title(self) -> str:
        h = self.history
        return (f"L2 α = {self.weight_decay:g}, dropout p = {self.dropout:g}: train loss "
                f"{h['train_loss'][-1]:.3f}, val loss {h['val_loss'][-1]:.3f} "
                f"(best {h['val_loss'].min():.3f} at epoch {self.best_epoch}), "
                f"val acc {h['val_acc'][-1]:.2f}")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predicted classes for points X (m, 2)."""
        return mlp_logits(self.params, X).argmax(axis=1)


def regularization_curves_view(weight_decay: float = 0.0, dropout: float = 0.0, *,
                               epochs: int = EPOCHS, seed: int = 0) -> RegularizationView:
    """Train on ``make_overfitting_data(seed)`` with the given L2 strength and dropout rate
    (``train_regularized_mlp``, same seed) and collect what is drawn."""
    X_train, y_train, X_val, y_val = make_overfitting_data(seed)
    params, history = train_regularized_mlp(X_train, y_train, X_val, y_val,
                                            weight_decay=weight_decay, dropout=dropout,
                                            epochs=epochs, seed=seed)
    limits = padded_limits(np.vstack([X_train, X_val]), pad=0.05)
    return RegularizationView(float(weight_decay), float(dropout), history, params, X_train,
                              y_train, limits)


def decision_grid(view: RegularizationView, resolution: int = 120,
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The predicted class on a grid over the view's limits: (xx, yy, labels)."""
    return region_grid(view.predict, *view.limits, resolution)


def draw_regularization_curves(view: RegularizationView, ax_curves, ax_boundary=None) -> None:
    """Loss curves on ``ax_curves``; decision regions and training points on ``ax_boundary``."""
    h = view.history
    epochs = np.arange(1, len(h["train_loss"]) + 1)
    ax_curves.plot(epochs, h["train_loss"], color="#0072B2", label="training loss")
    ax_curves.plot(epochs, h["val_loss"], color="#D55E00", label="validation loss")
    ax_curves.axvline(view.best_epoch, color="0.5", ls=":", lw=1,
                      label=f"lowest validation loss (epoch {view.best_epoch})")
    ax_curves.set_xlabel("epoch")
    ax_curves.set_ylabel("cross-entropy")
    # the first few steps can overshoot far; scale the axis to the rest of the run
    skip = min(5, len(epochs) - 1)
    top = max(float(h["val_loss"][skip:].max()), float(h["train_loss"][skip:].max()), 0.5)
    ax_curves.set_ylim(0, 1.15 * top)
    ax_curves.legend(fontsize=8)
    ax_curves.set_title(view.title, fontsize=9)
    if ax_boundary is not None:
        plot_decision_regions(ax_boundary, view.predict, view.X_train, view.y_train,
                              resolution=120, limits=view.limits)
        ax_boundary.set_title("decision regions and the 40 training points", fontsize=9)
        ax_boundary.set_aspect("equal")


def regularization_curves_explorer(weight_decay: float = 0.0, dropout: float = 0.0):
    """The widget: L2 and dropout sliders and a Train button over the two plots."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    l2 = widgets.FloatSlider(value=weight_decay, min=0.0, max=0.03, step=0.001,
                             description="L2 α", readout_format=".3f")
    drop = widgets.FloatSlider(value=dropout, min=0.0, max=0.8, step=0.05,
                               description="dropout p")
    button = widgets.Button(description="Train", button_style="primary")
    output = widgets.Output()

    def train(_=None):
        button.disabled = True
        button.description = "training..."
        try:
            view = regularization_curves_view(l2.value, drop.value)
            with output:
                output.clear_output(wait=True)
                fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.8))
                draw_regularization_curves(view, ax1, ax2)
                fig.tight_layout()
                plt.show()
        finally:
            button.disabled = False
            button.description = "Train"

    button.on_click(train)
    train()
    return widgets.VBox([widgets.HBox([l2, drop, button]), output])
