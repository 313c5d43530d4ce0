"""Chapter 06's explorer: train the from-scratch MLP on the digits and watch its loss curves.

Sliders for the hidden-layer size, the learning rate (logarithmic) and the length of the run;
play, pause, step and reset buttons train it epoch by epoch, animated (``MLPCurvesTrainer`` on
``live.Animation``), so dragging a slider never blocks the notebook: it only starts a fresh
network at epoch 0. The plot shows the training and validation loss after each epoch (left) and
the accuracies (right), and marks the epoch with the lowest validation loss.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._validate import positive_int, real_in_range
from dlcourse.data import load_digits_split
from dlcourse.layers import MLP, train_mlp
from dlcourse.widgets import live

DEFAULTS = {"hidden": 32, "lr": 0.3, "epochs": 15}


@dataclass(frozen=True)
class MLPCurvesView:
    """Everything the explorer draws for one training run."""

    hidden: int
    lr: float
    epochs: int
    train_loss: np.ndarray    # (epochs,) cross-entropy on the training set after each epoch
    val_loss: np.ndarray      # (epochs,) on the validation set
    train_acc: np.ndarray     # (epochs,)
    val_acc: np.ndarray       # (epochs,)

    @property
    def best_epoch(self) -> int:
        """The epoch (1-based) with the lowest validation loss."""
        return int(np.argmin(self.val_loss)) + 1

    @property
    def diverged(self) -> bool:
        """True when the training loss became NaN/inf or ended above where it started."""
        return bool(not np.all(np.isfinite(self.train_loss))
                    or self.train_loss[-1] > self.train_loss[0])

    @property
    def title(self) -> str:
        if not np.isfinite(self.train_loss[-1]):
            return f"hidden {self.hidden}, lr {self.lr:.3g}: the loss blew up (lr too large)"
        return (f"hidden {self.hidden}, lr {self.lr:.3g}: val loss {self.val_loss.min():.3f} at "
                f"epoch {self.best_epoch}, final val accuracy {self.val_acc[-1]:.1%}")


def mlp_curves_view(hidden: int, lr: float, epochs: int = DEFAULTS["epochs"], *,
                    batch_size: int = 32, seed: int = 0) -> MLPCurvesView:
    """Train ``layers.MLP([64, hidden, 10])`` (ReLU, softmax) with ``layers.train_mlp`` on the
    course's digits split and return its per-epoch losses and accuracies."""
    hidden = positive_int(hidden, "hidden")
    lr = real_in_range(lr, "lr", low=0.0, low_open=True)
    epochs = positive_int(epochs, "epochs")
    data = load_digits_split()
    model = MLP([64, hidden, 10], activation="relu", seed=seed)
    with np.errstate(all="ignore"):   # a far too large lr overflows: shown, not raised
        history = train_mlp(model, data.X_train, data.y_train, lr=lr, epochs=epochs,
                            batch_size=batch_size, seed=seed, X_val=data.X_val,
                            y_val=data.y_val)
    return MLPCurvesView(hidden, float(lr), epochs,
                         *(np.array(history[k]) for k in ("train_loss", "val_loss",
                                                          "train_acc", "val_acc")))


def draw_mlp_curves(view: MLPCurvesView, axes) -> None:
    """Draw an ``MLPCurvesView`` on two matplotlib axes: losses, accuracies."""
    ax_loss, ax_acc = axes
    epochs = np.arange(1, view.epochs + 1)
    ax_loss.plot(epochs, view.train_loss, "o-", ms=3, label="training")
    ax_loss.plot(epochs, view.val_loss, "s-", ms=3, label="validation")
    if np.all(np.isfinite(view.val_loss)):
        ax_loss.axvline(view.best_epoch, color="0.5", ls=":", lw=1,
                        label=f"lowest validation loss (epoch {view.best_epoch})")
        ax_loss.set_yscale("log")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("cross-entropy loss")
    ax_loss.legend(fontsize=8)
    ax_acc.plot(epochs, view.train_acc, "o-", ms=3, label="training")
    ax_acc.plot(epochs, view.val_acc, "s-", ms=3, label="validation")
    ax_acc.set_ylim(0, 1.02)
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("accuracy")
    ax_acc.legend(fontsize=8, loc="lower right")
    ax_loss.figure.suptitle(view.title, fontsize=10)


class MLPCurvesTrainer:
    """``mlp_curves_view``'s training, one epoch at a time (a ``live.Trainer``).

    The same network, data and shuffling as ``layers.train_mlp`` (one
    ``np.random.default_rng(seed)`` permutes the rows of every epoch), so after n epochs the
    history equals ``mlp_curves_view(hidden, lr, n)``'s."""

    def __init__(self, hidden: int = DEFAULTS["hidden"], lr: float = DEFAULTS["lr"],
                 epochs: int = 60, *, batch_size: int = 32, seed: int = 0):
        self.hidden = positive_int(hidden, "hidden")
        self.lr = real_in_range(lr, "lr", low=0.0, low_open=True)
        self.epochs = positive_int(epochs, "epochs")
        self.batch_size = positive_int(batch_size, "batch_size")
        self.seed = seed
        self.data = load_digits_split()
        self.reset()

    def reset(self) -> None:
        self.model = MLP([64, self.hidden, 10], activation="relu", seed=self.seed)
        self.rng = np.random.default_rng(self.seed)
        self.history: dict[str, list[float]] = {k: [] for k in ("train_loss", "val_loss",
                                                                "train_acc", "val_acc")}

    @property
    def position(self) -> int:
        return len(self.history["train_loss"])

    @property
    def done(self) -> bool:
        return self.position >= self.epochs

    def step(self, n: int = 1) -> None:
        """Train ``n`` more epochs (not past ``epochs``)."""
        d = self.data
        with np.errstate(all="ignore"):   # a far too large lr overflows: shown, not raised
            for _ in range(min(n, self.epochs - self.position)):
                order = self.rng.permutation(len(d.X_train))
                for start in range(0, len(order), self.batch_size):
                    batch = order[start:start + self.batch_size]
                    self.model.train_step(d.X_train[batch], d.y_train[batch], self.lr)
                for split, X, y in (("train", d.X_train, d.y_train), ("val", d.X_val, d.y_val)):
                    scores = self.model.forward(X)
                    self.history[f"{split}_loss"].append(self.model.data_loss(scores, y)[0])
                    self.history[f"{split}_acc"].append(float(np.mean(scores.argmax(axis=1)
                                                                      == y)))

    def view(self) -> MLPCurvesView | None:
        """The curves so far (None before the first epoch)."""
        if not self.position:
            return None
        return MLPCurvesView(self.hidden, self.lr, self.position,
                             *(np.array(self.history[k]) for k in ("train_loss", "val_loss",
                                                                   "train_acc", "val_acc")))

    def scene(self) -> dict:
        return mlp_curves_scene(self.view(), self.epochs, hidden=self.hidden, lr=self.lr)


def mlp_curves_scene(view: MLPCurvesView | None, epochs: int, *, hidden: int | None = None,
                     lr: float | None = None, width: int = 980, height: int = 330) -> dict:
    """The live figure of the curves so far (``view``; None: nothing trained yet) on an epoch
    axis as long as the whole run (``epochs``): losses (log scale, the best epoch marked) and
    accuracies."""
    left, right = live.grid_boxes(width, height, ncols=2, top=50, left=64, wspace=80)
    xlim = (0.5, epochs + 0.5)
    loss_marks, acc_marks, ylim = [], [], (1e-2, 3.0)
    if view is None:
        title = (f"hidden {hidden}, lr {lr:.3g}: press play to train" if hidden is not None
                 else "press play to train")
    else:
        title = view.title
        e = np.arange(1, view.epochs + 1)
        loss_marks = [live.line(e, view.train_loss, marker="o", markersize=4,
                                label="training"),
                      live.line(e, view.val_loss, marker="s", markersize=4, color="#E69F00",
                                label="validation")]
        acc_marks = [live.line(e, view.train_acc, marker="o", markersize=4, label="training"),
                     live.line(e, view.val_acc, marker="s", markersize=4, color="#E69F00",
                               label="validation")]
        losses = np.concatenate([view.train_loss, view.val_loss])
        finite = losses[np.isfinite(losses) & (losses > 0)]
        if finite.size:
            ylim = live.padded(float(finite.min()), float(finite.max()), 0.08, log=True)
        if np.all(np.isfinite(view.val_loss)):
            loss_marks.append(live.vline(view.best_epoch, color="#808080", dash="dotted",
                                         label=f"lowest validation loss "
                                               f"(epoch {view.best_epoch})"))
    return live.scene(width, height, [
        live.panel(left, loss_marks, xlim=xlim, ylim=ylim, yscale="log", xlabel="epoch",
                   ylabel="cross-entropy loss", legend="upper right", grid=True),
        live.panel(right, acc_marks, xlim=xlim, ylim=(0, 1.02), xlabel="epoch",
                   ylabel="accuracy", legend="lower right", grid=True)], title=title)


def mlp_curves_explorer(hidden: int = DEFAULTS["hidden"], lr: float = DEFAULTS["lr"],
                        epochs: int = DEFAULTS["epochs"], run_epochs: int = 60):
    """The widget: hidden size, log-scale learning rate and run-length sliders, with play,
    pause, step and reset. Shown, it has trained ``epochs`` epochs of the starting setting;
    play trains on to ``run_epochs``, one epoch per frame; a slider starts a fresh network."""
    import ipywidgets as widgets

    controls = {
        "hidden": widgets.IntSlider(value=hidden, min=2, max=128, step=2, description="hidden"),
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=-3, max=1, step=0.1,
                                     description="learning rate"),
        "run_epochs": widgets.IntSlider(value=max(run_epochs, epochs), min=2, max=100,
                                        description="epochs"),
    }
    trainer = MLPCurvesTrainer(hidden, lr, controls["run_epochs"].value)
    trainer.step(epochs)
    figure = live.LiveFigure()
    animation = live.Animation(trainer, figure, max_per_frame=1)

    def draw(hidden, lr, run_epochs):
        current = animation.trainer
        if (hidden, lr) != (current.hidden, current.lr):
            animation.pause()
            animation.trainer = MLPCurvesTrainer(hidden, lr, run_epochs)
            animation.counter.value = animation.count_text()
        elif run_epochs != current.epochs:
            current.epochs = run_epochs      # a longer or shorter run, same network
        return animation.trainer.scene()

    return live.Explorer(controls, draw, animation=animation).widget
