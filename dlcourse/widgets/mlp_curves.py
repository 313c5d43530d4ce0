"""Chapter 06's explorer: train the from-scratch MLP on the digits and watch its loss curves.

Sliders for the hidden-layer size, the learning rate (logarithmic) and the number of epochs; a
Train button starts the run, so dragging a slider never blocks the notebook. The plot shows the
training and validation loss after each epoch (left) and the accuracies (right), and marks the
epoch with the lowest validation loss.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._validate import positive_int, real_in_range
from dlcourse.data import load_digits_split
from dlcourse.layers import MLP, train_mlp

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
    func = "mlp_curves_view"
    hidden = positive_int(hidden, "hidden", func=func)
    lr = real_in_range(lr, "lr", func=func, low=0.0, low_open=True)
    epochs = positive_int(epochs, "epochs", func=func)
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


def mlp_curves_explorer(hidden: int = DEFAULTS["hidden"], lr: float = DEFAULTS["lr"],
                        epochs: int = DEFAULTS["epochs"]):
    """The widget: hidden size, log-scale learning rate and epochs sliders, a Train button,
    and the curves of the last run (drawn once for the starting values)."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    hidden_slider = widgets.IntSlider(value=hidden, min=2, max=128, step=2,
                                      description="hidden", continuous_update=False)
    lr_slider = widgets.FloatLogSlider(value=lr, base=10, min=-3, max=1, step=0.1,
                                       description="learning rate", continuous_update=False)
    epochs_slider = widgets.IntSlider(value=epochs, min=2, max=60, description="epochs",
                                      continuous_update=False)
    button = widgets.Button(description="Train", button_style="primary", icon="play")
    output = widgets.Output()

    def train(_=None):
        button.disabled = True
        try:
            view = mlp_curves_view(hidden_slider.value, lr_slider.value, epochs_slider.value)
            with output:
                output.clear_output(wait=True)
                _, axes = plt.subplots(1, 2, figsize=(11, 3.8))
                draw_mlp_curves(view, axes)
                plt.tight_layout()
                plt.show()
        finally:
            button.disabled = False

    button.on_click(train)
    train()
    controls = widgets.HBox([hidden_slider, lr_slider, epochs_slider, button])
    return widgets.VBox([controls, output])
