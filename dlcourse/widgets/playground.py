"""Chapter 02's playground, in the spirit of TensorFlow Playground (seed 003 points to it for XOR
and the spiral): pick a data set, the hidden layers and units, the activation, the learning rate
and the number of epochs; press Train; see the decision regions and the loss curves.

``playground_view`` does all the computing (data, a torch ``MLP``, the course's ``fit`` loop on
the chosen device, the grid of predicted probabilities) and is unit-tested; ``draw_playground``
only draws; ``playground`` is the thin ipywidgets shell with a Train button, so moving a slider
never starts a training run.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dlcourse._validate import one_of, positive_int, real_in_range
from dlcourse.data import TOY_DATASETS, make_toy
from dlcourse.viz.boundaries import CLASS_COLORS, plot_points

PLAYGROUND_ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
LIMITS = ((-2.0, 2.0), (-2.0, 2.0))
"""The plotted box; the toy sets are scaled into it (see ``_scale``)."""
_SCALE = {"xor": 1.0, "circles": 1.5, "blobs": 0.6, "spiral": 1.6}


@dataclass(frozen=True)
class PlaygroundView:
    """Everything the playground draws for one setting, after training."""

    dataset: str
    hidden: tuple[int, ...]
    activation: str
    lr: float
    epochs: int
    X_train: np.ndarray       # (n, 2)
    y_train: np.ndarray       # (n,)
    X_test: np.ndarray        # (n, 2), a fresh sample of the same distribution
    y_test: np.ndarray
    xx: np.ndarray            # (r, r) grid coordinates over LIMITS
    yy: np.ndarray
    prob: np.ndarray          # (r, r) predicted probability of class 1 on the grid
    train_loss: np.ndarray    # (epochs,) cross-entropy per epoch
    test_loss: np.ndarray     # (epochs,)
    train_acc: float          # accuracy after training
    test_acc: float
    n_params: int
    seconds: float            # wall-clock training time (varies from run to run)

    @property
    def title(self) -> str:
        layers = " → ".join(["2", *map(str, self.hidden), "2"])
        return (f"{self.dataset}: {layers}, {self.activation}; "
                f"train {self.train_acc:.0%}, test {self.test_acc:.0%}")


def _scale(name: str, X: np.ndarray) -> np.ndarray:
    return X * _SCALE[name]


def playground_view(dataset: str = "xor", hidden: Sequence[int] = (4,),
                    activation: str = "tanh", lr: float = 0.03, epochs: int = 200, *,
                    n: int = 200, noise: float | None = None, batch_size: int | None = None,
                    seed: int = 0, resolution: int = 80, device: Any = None) -> PlaygroundView:
    """Train a small MLP on a 2-D toy set and compute what the playground shows.

    dataset: xor, circles, blobs or spiral (``dlcourse.data.make_toy``; n training points, n
    test points from another seed); hidden: units per hidden layer, () for none (a linear
    classifier); activation: tanh, relu, sigmoid or linear; lr: Adam's learning rate; epochs:
    passes over the data; batch_size: None for full batch. Returns a ``PlaygroundView``.
    """
    import torch

    from dlcourse.device import get_device, seed_everything
    from dlcourse.nets.mlp import MLP
    from dlcourse.training import evaluate, fit

    func = "playground_view"
    dataset = one_of(dataset, TOY_DATASETS, "dataset", func=func)
    activation = one_of(activation, PLAYGROUND_ACTIVATIONS, "activation", func=func)
    if isinstance(hidden, (str, bytes)) or not isinstance(hidden, Sequence):
        raise TypeError(f"{func}: hidden must be a list of layer sizes, e.g. [8, 8], or [] for "
                        f"no hidden layer; got {hidden!r}.")
    hidden = tuple(positive_int(h, "every hidden layer size", func=func) for h in hidden)
    lr = real_in_range(lr, "lr", func=func, low=0.0, low_open=True)
    epochs = positive_int(epochs, "epochs", func=func)
    n = positive_int(n, "n", func=func, minimum=4)
    resolution = positive_int(resolution, "resolution", func=func, minimum=2)
    batch_size = n if batch_size is None else positive_int(batch_size, "batch_size", func=func)
    device = get_device(device) if device is None or isinstance(device, str) else device

    X_train, y_train = make_toy(dataset, n, noise=noise, seed=seed)
    X_test, y_test = make_toy(dataset, n, noise=noise, seed=seed + 1)
    X_train, X_test = _scale(dataset, X_train), _scale(dataset, X_test)

    seed_everything(seed)
    model = MLP([2, *hidden, 2], activation).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    start = time.perf_counter()
    history = fit(model, X_train, y_train, X_val=X_test, y_val=y_test, optimizer=optimizer,
                  epochs=epochs, batch_size=batch_size, device=device, seed=seed,
                  progress=False)
    seconds = time.perf_counter() - start
    loss_fn = torch.nn.functional.cross_entropy
    _, train_acc = evaluate(model, X_train, y_train, loss_fn, device=device)

    xs, ys = np.linspace(*LIMITS[0], resolution), np.linspace(*LIMITS[1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    grid = torch.as_tensor(np.column_stack([xx.ravel(), yy.ravel()]), dtype=torch.float32,
                           device=device)
    model.eval()
    with torch.no_grad():
        prob = torch.softmax(model(grid), dim=1)[:, 1].cpu().numpy().astype(np.float64)
    return PlaygroundView(
        dataset, hidden, activation, lr, epochs, X_train, y_train, X_test, y_test, xx, yy,
        prob.reshape(xx.shape), np.array(history.train_loss), np.array(history.val_loss),
        float(train_acc), float(history.val_acc[-1]),
        sum(int(p.numel()) for p in model.parameters()), seconds)


def draw_playground(view: PlaygroundView, axes) -> None:
    """Draw a ``PlaygroundView`` on two matplotlib axes: regions and points, loss curves."""
    from matplotlib.colors import LinearSegmentedColormap

    ax_regions, ax_loss = axes
    cmap = LinearSegmentedColormap.from_list("classes", [CLASS_COLORS[0], "white",
                                                         CLASS_COLORS[1]])
    ax_regions.contourf(view.xx, view.yy, view.prob, levels=np.linspace(0, 1, 11), cmap=cmap,
                        alpha=0.55)
    ax_regions.contour(view.xx, view.yy, view.prob, levels=[0.5], colors="k", linewidths=1.5)
    plot_points(ax_regions, view.X_train, view.y_train, size=18)
    ax_regions.scatter(view.X_test[:, 0], view.X_test[:, 1], s=10, c="none", edgecolors="0.35",
                       linewidths=0.6, label="test points")
    ax_regions.set_xlim(*LIMITS[0])
    ax_regions.set_ylim(*LIMITS[1])
    ax_regions.set_aspect("equal")
    ax_regions.set_title(view.title, fontsize=10)
    ax_regions.legend(loc="upper right", fontsize=7, framealpha=0.8)
    epochs = np.arange(1, view.epochs + 1)
    ax_loss.plot(epochs, view.train_loss, label="training loss")
    ax_loss.plot(epochs, view.test_loss, label="test loss")
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("cross-entropy")
    ax_loss.set_title(f"{view.n_params} parameters, trained in {view.seconds:.1f} s",
                      fontsize=10)
    ax_loss.legend()


def playground(dataset: str = "xor", layers: int = 1, units: int = 4, activation: str = "tanh",
               lr: float = 0.03, epochs: int = 200):
    """The widget: data set, hidden layers and units, activation, learning rate (log slider),
    epochs, and a Train button; it trains the default setting once when shown."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    style = {"description_width": "90px"}
    controls = {
        "dataset": widgets.Dropdown(options=list(TOY_DATASETS), value=dataset,
                                    description="data set", style=style),
        "layers": widgets.IntSlider(value=layers, min=0, max=4, description="hidden layers",
                                    style=style),
        "units": widgets.IntSlider(value=units, min=1, max=32, description="units / layer",
                                   style=style),
        "activation": widgets.Dropdown(options=list(PLAYGROUND_ACTIVATIONS), value=activation,
                                       description="activation", style=style),
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=-4, max=0, step=0.25,
                                     description="learning rate", readout_format=".4f",
                                     style=style),
        "epochs": widgets.IntSlider(value=epochs, min=10, max=1000, step=10,
                                    description="epochs", style=style),
    }
    button = widgets.Button(description="Train", button_style="primary", icon="play")
    output = widgets.Output()

    def train_and_draw():
        c = {k: w.value for k, w in controls.items()}
        view = playground_view(c["dataset"], [c["units"]] * c["layers"], c["activation"],
                               c["lr"], c["epochs"])
        with output:
            output.clear_output(wait=True)
            fig, axes = plt.subplots(1, 2, figsize=(11, 4.6))
            draw_playground(view, axes)
            fig.tight_layout()
            plt.show()

    def on_click(_):
        button.disabled = True  # one training run at a time
        try:
            train_and_draw()
        finally:
            button.disabled = False

    button.on_click(on_click)
    train_and_draw()
    return widgets.HBox([widgets.VBox([*controls.values(), button]), output])
