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

from dlcourse._validate import one_of, positive_int, public_name, real_in_range
from dlcourse.data import TOY_DATASETS, make_toy
from dlcourse.viz.boundaries import CLASS_COLORS, plot_points
from dlcourse.widgets import live

PLAYGROUND_ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
MAX_LAYERS, MAX_UNITS = 4, 8
"""The widget's largest network (as TensorFlow Playground: a few layers of up to 8 units,
each of which gets its own small map)."""
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


class PlaygroundTrainer:
    """One playground run that can be reset, advanced epoch by epoch and drawn (a
    ``live.Trainer``): the data, a torch ``MLP`` on ``device``, Adam, and the loss history.

    An epoch shuffles the training points (a seeded ``torch.Generator``) and takes one Adam
    step per batch of ``batch_size`` (None: the full batch); the training loss of an epoch is
    the mean over its batches, the test loss is measured after it, in eval mode.
    ``reset()`` re-seeds and rebuilds the network, so a run is repeatable.
    """

    def __init__(self, dataset: str = "xor", hidden: Sequence[int] = (4,),
                 activation: str = "tanh", lr: float = 0.03, *, n: int = 200,
                 noise: float | None = None, batch_size: int | None = None, seed: int = 0,
                 resolution: int = 80, unit_resolution: int = 24, max_epochs: int = 100_000,
                 device: Any = None):
        from dlcourse.device import get_device

        func = "playground_view"
        self.dataset = one_of(dataset, TOY_DATASETS, "dataset", func=func)
        self.activation = one_of(activation, PLAYGROUND_ACTIVATIONS, "activation", func=func)
        if isinstance(hidden, (str, bytes)) or not isinstance(hidden, Sequence):
            raise TypeError(f"{func}: hidden must be a list of layer sizes, e.g. [8, 8], or [] "
                            f"for no hidden layer; got {hidden!r}.")
        self.hidden = tuple(positive_int(h, "every hidden layer size", func=func)
                            for h in hidden)
        self.lr = real_in_range(lr, "lr", func=func, low=0.0, low_open=True)
        n = positive_int(n, "n", func=func, minimum=4)
        self.resolution = positive_int(resolution, "resolution", func=func, minimum=2)
        self.unit_resolution = positive_int(unit_resolution, "unit_resolution", func=func,
                                            minimum=2)
        self.batch_size = n if batch_size is None else positive_int(batch_size, "batch_size",
                                                                    func=func)
        self.seed = seed
        self.max_epochs = max_epochs
        self.device = get_device(device) if device is None or isinstance(device, str) else device
        X_train, y_train = make_toy(self.dataset, n, noise=noise, seed=seed)
        X_test, y_test = make_toy(self.dataset, n, noise=noise, seed=seed + 1)
        self.X_train, self.y_train = _scale(self.dataset, X_train), y_train
        self.X_test, self.y_test = _scale(self.dataset, X_test), y_test
        self.xx, self.yy = np.meshgrid(np.linspace(*LIMITS[0], self.resolution),
                                       np.linspace(*LIMITS[1], self.resolution))
        self.seconds = 0.0
        self.reset()

    def reset(self) -> None:
        """Fresh weights (seeded), epoch 0, an empty history."""
        import torch

        from dlcourse.device import seed_everything
        from dlcourse.nets.mlp import MLP

        seed_everything(self.seed)
        self.model = MLP([2, *self.hidden, 2], self.activation).to(self.device)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=self.lr)
        self.generator = torch.Generator().manual_seed(self.seed)
        t = {k: torch.as_tensor(v, device=self.device) for k, v in (
            ("X_train", self.X_train.astype(np.float32)), ("X_test", self.X_test.astype(
                np.float32)), ("y_train", self.y_train), ("y_test", self.y_test))}
        self._t = t
        self.train_loss: list[float] = []
        self.test_loss: list[float] = []
        self.seconds = 0.0

    def set_lr(self, lr: float) -> None:
        """Change the learning rate of the running optimizer (no reset)."""
        self.lr = real_in_range(lr, "lr", low=0.0, low_open=True)
        for group in self.optimizer.param_groups:
            group["lr"] = self.lr

    @property
    def position(self) -> int:
        return len(self.train_loss)

    @property
    def done(self) -> bool:
        return self.position >= self.max_epochs

    def step(self, n: int = 1) -> None:
        """Train ``n`` more epochs."""
        import torch
        import torch.nn.functional as F

        start = time.perf_counter()
        X, y = self._t["X_train"], self._t["y_train"]
        count = len(X)
        self.model.train()
        for _ in range(n):
            order = torch.randperm(count, generator=self.generator).to(self.device)
            total = 0.0
            for begin in range(0, count, self.batch_size):
                batch = order[begin:begin + self.batch_size]
                loss = F.cross_entropy(self.model(X[batch]), y[batch])
                self.optimizer.zero_grad(set_to_none=True)
                loss.backward()
                self.optimizer.step()
                total += loss.item() * len(batch)
            self.train_loss.append(total / count)
            with torch.no_grad():
                self.model.eval()
                self.test_loss.append(float(F.cross_entropy(self.model(self._t["X_test"]),
                                                            self._t["y_test"])))
                self.model.train()
        self.seconds += time.perf_counter() - start

    def _grid(self, resolution: int):
        import torch

        xs, ys = np.linspace(*LIMITS[0], resolution), np.linspace(*LIMITS[1], resolution)
        xx, yy = np.meshgrid(xs, ys)
        return torch.as_tensor(np.column_stack([xx.ravel(), yy.ravel()]), dtype=torch.float32,
                               device=self.device)

    def probabilities(self, resolution: int | None = None) -> np.ndarray:
        """(r, r) predicted probability of class 1 on the grid over LIMITS (row 0 at the
        bottom)."""
        import torch

        r = resolution or self.resolution
        self.model.eval()
        with torch.no_grad():
            prob = torch.softmax(self.model(self._grid(r)), dim=1)[:, 1]
        self.model.train()
        return prob.cpu().numpy().astype(np.float64).reshape(r, r)

    def unit_maps(self, resolution: int | None = None) -> list[np.ndarray]:
        """What each hidden unit computes: per hidden layer an array (units, r, r) of the
        unit's activation over the grid (row 0 at the bottom)."""
        import torch

        r = resolution or self.unit_resolution
        maps = []
        a = self._grid(r)
        self.model.eval()
        with torch.no_grad():
            for module in self.model.layers[:-1]:
                a = module(a)
                if not isinstance(module, torch.nn.Linear):   # after each activation
                    maps.append(a.T.reshape(-1, r, r).cpu().numpy().astype(np.float64))
        self.model.train()
        return maps

    def accuracy(self, split: str = "train") -> float:
        import torch

        X, y = self._t[f"X_{split}"], self._t[f"y_{split}"]
        self.model.eval()
        with torch.no_grad():
            acc = (self.model(X).argmax(dim=1) == y).float().mean()
        self.model.train()
        return float(acc)

    def view(self) -> PlaygroundView:
        """The current state as a ``PlaygroundView`` (at least one epoch trained)."""
        if not self.train_loss:
            raise ValueError(f"{public_name()}: train at least one epoch first.")
        return PlaygroundView(
            self.dataset, self.hidden, self.activation, self.lr, self.position, self.X_train,
            self.y_train, self.X_test, self.y_test, self.xx, self.yy, self.probabilities(),
            np.array(self.train_loss), np.array(self.test_loss), self.accuracy("train"),
            self.accuracy("test"), sum(int(p.numel()) for p in self.model.parameters()),
            self.seconds)

    def scene(self) -> dict:
        return playground_scene(self)


def playground_view(dataset: str = "xor", hidden: Sequence[int] = (4,),
                    activation: str = "tanh", lr: float = 0.03, epochs: int = 200, *,
                    n: int = 200, noise: float | None = None, batch_size: int | None = None,
                    seed: int = 0, resolution: int = 80, device: Any = None) -> PlaygroundView:
    """Train a small MLP on a 2-D toy set and compute what the playground shows.

    dataset: xor, circles, blobs or spiral (``dlcourse.data.make_toy``; n training points, n
    test points from another seed); hidden: units per hidden layer, () for none (a linear
    classifier); activation: tanh, relu, sigmoid or linear; lr: Adam's learning rate; epochs:
    passes over the data; batch_size: None for full batch. Returns a ``PlaygroundView``
    (``PlaygroundTrainer`` trained for ``epochs``).
    """
    epochs = positive_int(epochs, "epochs")
    trainer = PlaygroundTrainer(dataset, hidden, activation, lr, n=n, noise=noise,
                                batch_size=batch_size, seed=seed, resolution=resolution,
                                device=device)
    trainer.step(epochs)
    return trainer.view()


UNIT_COLORS = ("#0072B2", "#FFFFFF", "#E69F00")
"""Blue for negative (class 0), orange for positive (class 1), as TensorFlow Playground."""
_UNIT_RANGE = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}


def _curve(values: list[float], keep: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """(epochs, values) thinned to at most ``keep`` points for drawing."""
    y = np.asarray(values, dtype=float)
    x = np.arange(1, len(y) + 1)
    if len(y) > keep:
        idx = np.unique(np.linspace(0, len(y) - 1, keep).round().astype(int))
        x, y = x[idx], y[idx]
    return x, y


def playground_scene(trainer: PlaygroundTrainer, width: int = 1060, height: int = 440) -> dict:
    """The live figure of a playground run: one small map per hidden unit (columns: layers;
    blue negative, orange positive), the output's decision regions with the training points
    (filled) and the test points (rings), and the loss curves."""
    maps = trainer.unit_maps()
    layers = len(maps)
    unit_w = 64 * layers
    top, bottom = 54, 46
    panels = []
    col_w, cell = 64, 52.0
    if layers:
        most = max(m.shape[0] for m in maps)
        cell = min(52.0, (height - top - bottom - 6 * (most - 1)) / most)
    for layer, unit_maps in enumerate(maps):
        for u, unit in enumerate(unit_maps):
            if trainer.activation in _UNIT_RANGE:
                lo, hi = _UNIT_RANGE[trainer.activation]
            else:   # relu, linear: symmetric around 0, so that 0 is white
                top_abs = max(float(np.abs(unit).max()), 1e-6)
                lo, hi = -top_abs, top_abs
            left = 10 + layer * col_w
            y = top + u * (cell + 6)
            panels.append(live.panel(
                [left / width, y / height, cell / width, cell / height],
                [live.image(unit, (*LIMITS[0], *LIMITS[1]), cmap=UNIT_COLORS, vmin=lo, vmax=hi,
                            smooth=True)],
                xlim=LIMITS[0], ylim=LIMITS[1], frame=False,
                title=f"layer {layer + 1}" if u == 0 else None))
    rest = width - unit_w - 10
    left_px = unit_w + 10
    boxes = live.grid_boxes(rest, height, ncols=2, ratios=[1.05, 1], left=44, top=top,
                            bottom=bottom, wspace=80)
    boxes = [[(left_px + b[0] * rest) / width, b[1], b[2] * rest / width, b[3]] for b in boxes]
    prob = trainer.probabilities()
    regions = [live.image(prob, (*LIMITS[0], *LIMITS[1]), cmap=(CLASS_COLORS[0], "#FFFFFF",
                                                                CLASS_COLORS[1]),
                          vmin=0.0, vmax=1.0, alpha=0.6, smooth=True)]
    for cls in (0, 1):
        mask = trainer.y_train == cls
        regions.append(live.scatter(trainer.X_train[mask, 0], trainer.X_train[mask, 1],
                                    size=6, color=CLASS_COLORS[cls], marker="os"[cls],
                                    edgecolor="#000000", edgewidth=0.5,
                                    label=f"class {cls}"))
    regions.append(live.scatter(trainer.X_test[:, 0], trainer.X_test[:, 1], size=5, fill=False,
                                edgecolor="#595959", edgewidth=0.6, label="test points"))
    curves = []
    if trainer.train_loss:
        ex, train = _curve(trainer.train_loss)
        _, test = _curve(trainer.test_loss)
        curves = [live.line(ex, train, color=CLASS_COLORS[0], label="training loss"),
                  live.line(ex, test, color=CLASS_COLORS[5], label="test loss")]
        both = np.concatenate([train, test])
        finite = both[np.isfinite(both) & (both > 0)]
        ylim = live.padded(float(finite.min()), float(finite.max()), 0.05, log=True) \
            if finite.size else (1e-2, 1.0)
        xlim = (0.5, max(10.0, float(trainer.position) * 1.02))
        acc = (f"train {trainer.accuracy('train'):.0%}, test {trainer.accuracy('test'):.0%}")
    else:
        ylim, xlim, acc = (1e-2, 1.0), (0.5, 10.0), "untrained"
    layers_text = " → ".join(["2", *map(str, trainer.hidden), "2"])
    n_params = sum(int(p.numel()) for p in trainer.model.parameters())
    return live.scene(width, height, [
        *panels,
        live.panel(boxes[0], regions, xlim=LIMITS[0], ylim=LIMITS[1], aspect="equal",
                   title="output: P(class 1)", legend="upper right"),
        live.panel(boxes[1], curves, xlim=xlim, ylim=ylim, yscale="log", xlabel="epoch",
                   ylabel="cross-entropy", title=f"{n_params} parameters", legend="upper right",
                   grid=True)],
        title=(f"{trainer.dataset}: {layers_text}, {trainer.activation}, lr {trainer.lr:.3g}; "
               f"epoch {trainer.position}: {acc}"))


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
    """The widget: data set, hidden layers and units, activation and learning rate (log
    slider), with play, pause, step and reset, as in TensorFlow Playground. Shown, it has
    trained the starting setting for ``epochs`` epochs; play trains on, animated; changing the
    data or the network starts a fresh one (epoch 0), the learning rate applies at once."""
    import ipywidgets as widgets

    style = {"description_width": "90px"}
    controls = {
        "dataset": widgets.Dropdown(options=list(TOY_DATASETS), value=dataset,
                                    description="data set", style=style),
        "layers": widgets.IntSlider(value=layers, min=0, max=MAX_LAYERS,
                                    description="hidden layers", style=style),
        "units": widgets.IntSlider(value=units, min=1, max=MAX_UNITS,
                                   description="units / layer", style=style),
        "activation": widgets.Dropdown(options=list(PLAYGROUND_ACTIVATIONS), value=activation,
                                       description="activation", style=style),
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=-4, max=0, step=0.25,
                                     description="learning rate", readout_format=".4f",
                                     style=style),
    }

    def build(dataset, layers, units, activation, lr):
        return PlaygroundTrainer(dataset, [units] * layers, activation, lr, resolution=60)

    trainer = build(**{k: c.value for k, c in controls.items()})
    trainer.step(epochs)
    figure = live.LiveFigure()
    animation = live.Animation(trainer, figure, max_per_frame=20)

    def draw(dataset, layers, units, activation, lr):
        current = animation.trainer
        if (dataset, (units,) * layers, activation) != (current.dataset, current.hidden,
                                                        current.activation):
            animation.pause()
            animation.trainer = build(dataset, layers, units, activation, lr)
            animation.counter.value = animation.count_text()
        elif lr != current.lr:
            current.set_lr(lr)
        return animation.trainer.scene()

    return live.Explorer(controls, draw, animation=animation).widget
