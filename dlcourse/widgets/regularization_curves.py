"""Chapter 09's explorer: regularize a network that overfits, and watch it generalize.

A small ReLU network (2 → 128 → 128 → 2) is trained with full-batch gradient descent on 40
noisy points of the XOR clouds (``dlcourse.data.make_xor``, noise 0.7) and measured on 300 more
from the same distribution. Unregularized, it fits the 40 points perfectly and its validation
loss climbs after a few dozen epochs: overfitting. Two sliders set the L2 strength α (weight
decay, w ← (1 − lr·α)w − lr·∇J, weights only) and the dropout rate p (inverted dropout after
each hidden layer); the explorer trains the net and draws the training and
validation loss per epoch and the decision regions over the training points. Play, pause,
step and reset train it animated (``RegularizationTrainer`` on ``live.Animation``); moving a
slider starts a fresh network at epoch 0 and never trains.

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
from dlcourse.viz.boundaries import (
    CLASS_COLORS,
    padded_limits,
    plot_decision_regions,
    region_grid,
)
from dlcourse.widgets import live

HIDDEN = 128
LR = 0.3
EPOCHS = 300


def make_overfitting_data(seed: int = 0, n_train: int = 40, n_val: int = 300,
                          noise: float = 0.7) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                       np.ndarray]:
    """(X_train (n_train, 2), y_train, X_val (n_val, 2), y_val): one draw of the XOR clouds,
    ``make_xor(n_train + n_val, noise=noise, seed=seed)``, split into its first ``n_train``
    points and the rest. The clouds overlap, so no boundary classifies every point right."""
    n_train = positive_int(n_train, "n_train", minimum=4)
    n_val = positive_int(n_val, "n_val")
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


class RegularizedRun:
    """``train_regularized_mlp``'s network and loop, one epoch at a time.

    ``epoch()`` takes one full-batch step (forward with dropout, backward, the weight-decay
    step) and appends the data losses and accuracies (evaluation mode, no penalty) to
    ``history``; the random numbers come from one ``np.random.default_rng(seed)`` (weights
    first, then the dropout masks), so n epochs here equal ``train_regularized_mlp(...,
    epochs=n)``."""

    def __init__(self, X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray,
                 y_val: np.ndarray, *, weight_decay: float = 0.0, dropout: float = 0.0,
                 hidden: int = HIDDEN, lr: float = LR, seed: int = 0):
        func = "train_regularized_mlp"
        self.weight_decay = real_in_range(weight_decay, "weight_decay", func=func, low=0.0)
        self.p = real_in_range(dropout, "dropout", func=func, low=0.0, high=1.0,
                               high_open=True)
        hidden = positive_int(hidden, "hidden", func=func)
        self.lr = real_in_range(lr, "lr", func=func, low=0.0, low_open=True)
        self.data = (X_train, y_train, X_val, y_val)
        self.rng = np.random.default_rng(seed)
        n_classes = int(max(np.max(y_train), np.max(y_val))) + 1
        sizes = [X_train.shape[1], hidden, hidden, n_classes]
        self.params: list[np.ndarray] = []
        for fan_in, fan_out in itertools.pairwise(sizes):
            self.params += [he_normal((fan_in, fan_out), rng=self.rng), np.zeros(fan_out)]
        self.history: dict[str, list[float]] = {k: [] for k in ("train_loss", "val_loss",
                                                                "train_acc", "val_acc")}

    def epoch(self) -> None:
        """One full-batch step, then the measurements."""
        X_train, y_train, X_val, y_val = self.data
        params, p, rng = self.params, self.p, self.rng
        n_layers = len(params) // 2
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
            params[i] = (sgd_weight_decay_step(param, grad, self.lr, self.weight_decay)
                         if i % 2 == 0 else param - self.lr * grad)
        for split, (X, y) in (("train", (X_train, y_train)), ("val", (X_val, y_val))):
            logits = mlp_logits(params, X)
            self.history[f"{split}_loss"].append(cross_entropy(logits, y))
            self.history[f"{split}_acc"].append(float(np.mean(logits.argmax(axis=1) == y)))


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
    the penalty, after each step), ``train_acc``, ``val_acc``. (``RegularizedRun`` is the same
    loop, one epoch at a time.)
    """
    epochs = positive_int(epochs, "epochs")
    run = RegularizedRun(X_train, y_train, X_val, y_val, weight_decay=weight_decay,
                         dropout=dropout, hidden=hidden, lr=lr, seed=seed)
    for _ in range(epochs):
        run.epoch()
    return run.params, {k: np.array(v) for k, v in run.history.items()}


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


class RegularizationTrainer:
    """A ``live.Trainer`` over ``RegularizedRun`` on ``make_overfitting_data(seed)``: reset,
    train epoch by epoch up to ``epochs``, draw."""

    def __init__(self, weight_decay: float = 0.0, dropout: float = 0.0, *,
                 epochs: int = EPOCHS, seed: int = 0, resolution: int = 48):
        self.weight_decay, self.dropout, self.seed = float(weight_decay), float(dropout), seed
        self.epochs = positive_int(epochs, "epochs")
        self.resolution = resolution
        self.data = make_overfitting_data(seed)
        self.limits = padded_limits(np.vstack([self.data[0], self.data[2]]), pad=0.05)
        self.reset()

    def reset(self) -> None:
        self.run = RegularizedRun(*self.data, weight_decay=self.weight_decay,
                                  dropout=self.dropout, seed=self.seed)

    @property
    def position(self) -> int:
        return len(self.run.history["train_loss"])

    @property
    def done(self) -> bool:
        return self.position >= self.epochs

    def step(self, n: int = 1) -> None:
        for _ in range(min(n, self.epochs - self.position)):
            self.run.epoch()

    def view(self) -> RegularizationView:
        return RegularizationView(self.weight_decay, self.dropout,
                                  {k: np.array(v) for k, v in self.run.history.items()},
                                  self.run.params, self.data[0], self.data[1], self.limits)

    def scene(self) -> dict:
        return regularization_scene(self.view(), self.epochs, self.resolution)


def regularization_scene(view: RegularizationView, epochs: int, resolution: int = 48,
                         width: int = 1060, height: int = 400) -> dict:
    """The live figure of a run so far: the loss curves on an axis as long as the whole run
    (``epochs``; the best epoch marked) and the decision regions with the training points."""
    h = view.history
    curves, boundary = [], []
    left, right = live.grid_boxes(width, height, ncols=2, ratios=[1.25, 1], top=50, wspace=70)
    top = 1.0
    if len(h["train_loss"]):
        e = np.arange(1, len(h["train_loss"]) + 1)
        curves = [live.line(e, h["train_loss"], color="#0072B2", label="training loss"),
                  live.line(e, h["val_loss"], color="#D55E00", label="validation loss"),
                  live.vline(view.best_epoch, color="#808080", dash="dotted",
                             label=f"lowest validation loss (epoch {view.best_epoch})")]
        # the first few steps can overshoot far; scale the axis to the rest of the run
        skip = min(5, len(e) - 1)
        top = max(float(np.nanmax(h["val_loss"][skip:])),
                  float(np.nanmax(h["train_loss"][skip:])), 0.5)
        title = view.title
    else:
        title = (f"L2 α = {view.weight_decay:g}, dropout p = {view.dropout:g}: press play to "
                 "train")
    (x0, x1), (y0, y1) = view.limits
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    xx, yy = np.meshgrid(xs, ys)
    labels = view.predict(np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    boundary.append(live.image(labels.astype(float), (x0, x1, y0, y1),
                               cmap=(CLASS_COLORS[0], CLASS_COLORS[1]), vmin=0.0, vmax=1.0,
                               alpha=0.3))
    for cls in (0, 1):
        mask = view.y_train == cls
        boundary.append(live.scatter(view.X_train[mask, 0], view.X_train[mask, 1], size=9,
                                     color=CLASS_COLORS[cls], marker="os"[cls],
                                     edgecolor="#000000", label=f"class {cls}"))
    return live.scene(width, height, [
        live.panel(left, curves, xlim=(0.5, epochs + 0.5), ylim=(0, 1.15 * top),
                   xlabel="epoch", ylabel="cross-entropy", legend="upper right", grid=True),
        live.panel(right, boundary, xlim=(x0, x1), ylim=(y0, y1), aspect="equal",
                   title="decision regions and the 40 training points",
                   legend="upper right")], title=title)


def regularization_curves_explorer(weight_decay: float = 0.0, dropout: float = 0.0,
                                   epochs: int = EPOCHS):
    """The widget: L2 and dropout sliders with play, pause, step and reset over the two plots.
    Shown, it has trained the starting setting for ``epochs`` epochs; a slider starts a fresh
    network at epoch 0, and play trains it, animated, up to ``EPOCHS``."""
    import ipywidgets as widgets

    controls = {
        "weight_decay": widgets.FloatSlider(value=weight_decay, min=0.0, max=0.03, step=0.001,
                                            description="L2 α", readout_format=".3f"),
        "dropout": widgets.FloatSlider(value=dropout, min=0.0, max=0.8, step=0.05,
                                       description="dropout p"),
    }
    trainer = RegularizationTrainer(weight_decay, dropout, epochs=max(EPOCHS, epochs))
    trainer.step(epochs)
    figure = live.LiveFigure()
    animation = live.Animation(trainer, figure, max_per_frame=10)

    def draw(weight_decay, dropout):
        current = animation.trainer
        if (weight_decay, dropout) != (current.weight_decay, current.dropout):
            animation.pause()
            animation.trainer = RegularizationTrainer(weight_decay, dropout,
                                                      epochs=current.epochs)
            animation.counter.value = animation.count_text()
        return animation.trainer.scene()

    return live.Explorer(controls, draw, animation=animation).widget
