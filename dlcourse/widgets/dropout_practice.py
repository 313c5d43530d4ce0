"""Chapter 09's second explorer: where to drop, how much, and what max-norm adds.

A ReLU network (64 → 128 → 128 → 10) learns from 200 digits, which it can memorize, with
full-batch SGD with momentum (``dlcourse.nets.dropout_mlp.DropoutTraining``). Sliders set the
dropout rate on the input pixels, the rate after each hidden layer, the max-norm radius c (0:
off) and the learning rate; a slider starts a fresh network, and play trains it, animated,
epoch by epoch (pause, step and reset as usual). Three panels: the training and validation
loss, the validation accuracy, and the largest incoming-weight norm of any unit (the radius c
dashed). A reference run (the notebook passes its plain network) is drawn in grey.

What to try: hidden p = 0.5 with input p = 0.2 (the seeds' rates) against no dropout; the
input rate pushed to 0.5 or more (the net can no longer fit: whatever a dropped pixel carried
is gone for every layer above); a large learning rate (0.5) with and without c = 3 (the norms
stop at c).

``DropoutTrainer`` is the ``live.Trainer``; ``dropout_practice_view`` collects what is drawn
from a run so far (pure), ``dropout_practice_scene`` turns it into a live figure, and
``dropout_practice_explorer`` is the thin widget.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._validate import positive_int, public_name, real_in_range
from dlcourse.nets.dropout_mlp import EPOCHS, DropoutRun, DropoutTraining, small_digits
from dlcourse.widgets import live

RUN_COLOR, REFERENCE_COLOR = "#0072B2", "#A0A0A0"
LOSS_LIMITS = (1e-4, 10.0)


@dataclass(frozen=True)
class DropoutPracticeView:
    """A run so far (possibly empty), the epochs the whole run will take, and a reference."""

    run: DropoutRun
    epochs: int
    reference: DropoutRun | None = None

    @property
    def title(self) -> str:
        r = self.run
        if not len(r.epochs):
            return f"{r.label}, lr {r.lr:g}: press play to train"
        return (f"{r.label}, lr {r.lr:g}, epoch {int(r.epochs[-1])}: train loss "
                f"{r.train_loss[-1]:.3f}, val loss {r.val_loss[-1]:.3f}, "
                f"val acc {r.val_acc[-1]:.3f}")


def dropout_practice_view(run: DropoutRun, epochs: int = EPOCHS,
                          reference: DropoutRun | None = None) -> DropoutPracticeView:
    """What the explorer draws for ``run`` (measured so far) on an axis of ``epochs``."""
    if not isinstance(run, DropoutRun):
        raise TypeError(f"{public_name()}: run must be a DropoutRun; got {type(run).__name__}.")
    epochs = positive_int(epochs, "epochs")
    return DropoutPracticeView(run, epochs, reference)


def _curves(run: DropoutRun, color: str, name: str, width: float) -> tuple[list, list, list]:
    e = run.epochs
    clip = np.clip
    loss = [live.line(e, clip(run.train_loss, *LOSS_LIMITS), color=color, width=width,
                      label=f"{name}: train"),
            live.line(e, clip(run.val_loss, *LOSS_LIMITS), color=color, width=width,
                      dash="dashed", label=f"{name}: validation")]
    acc = [live.line(e, run.val_acc, color=color, width=width, label=name)]
    norm = [live.line(e, run.unit_norm, color=color, width=width, label=name)]
    return loss, acc, norm


def dropout_practice_scene(view: DropoutPracticeView, width: int = 1060,
                           height: int = 380) -> dict:
    """The live figure: losses (log scale), validation accuracy, largest unit norm."""
    loss, acc, norm = [], [], []
    runs = [(view.reference, REFERENCE_COLOR, "reference", 1.5), (view.run, RUN_COLOR,
                                                                   "this run", 2.5)]
    top = 4.0
    for run, color, name, lw in runs:
        if run is None or not len(run.epochs):
            continue
        more = _curves(run, color, name, lw)
        loss += more[0]
        acc += more[1]
        norm += more[2]
        top = max(top, float(np.nanmax(run.unit_norm[np.isfinite(run.unit_norm)], initial=0)))
    if view.run.max_norm is not None:
        norm.append(live.hline(view.run.max_norm, color="#000000", dash="dashed",
                               label=f"c = {view.run.max_norm:g}"))
    boxes = live.grid_boxes(width, height, ncols=3, top=50, bottom=80, wspace=74)
    xlim = (0, view.epochs)
    return live.scene(width, height, [
        live.panel(boxes[0], loss, xlim=xlim, ylim=LOSS_LIMITS, yscale="log", xlabel="epoch",
                   ylabel="cross-entropy (dropout off)", legend="below", legend_cols=2,
                   grid=True),
        live.panel(boxes[1], acc, xlim=xlim, ylim=(0.0, 1.0), xlabel="epoch",
                   ylabel="validation accuracy", legend="below", legend_cols=2, grid=True),
        live.panel(boxes[2], norm, xlim=xlim, ylim=(0.0, min(1.1 * top, 40.0)),
                   xlabel="epoch", ylabel="largest ‖incoming weights‖", legend="below",
                   legend_cols=3, grid=True)], title=view.title)


class DropoutTrainer:
    """A ``live.Trainer`` over ``DropoutTraining`` on ``small_digits()``: reset, advance
    epoch by epoch up to ``epochs``, draw. ``finished``: a run of the same settings already
    trained to the end (the notebook's), shown until the first reset."""

    def __init__(self, p_input: float = 0.2, p_hidden: float = 0.5, max_norm: float = 0.0,
                 lr: float = 0.1, *, epochs: int = EPOCHS, reference: DropoutRun | None = None,
                 finished: DropoutRun | None = None, device=None):
        self.settings = dict(
            p_input=real_in_range(p_input, "p_input", low=0.0, high=1.0, high_open=True),
            p_hidden=real_in_range(p_hidden, "p_hidden", low=0.0, high=1.0, high_open=True),
            max_norm=real_in_range(max_norm, "max_norm", low=0.0) or None,
            lr=real_in_range(lr, "lr", low=0.0, low_open=True))
        self.epochs = positive_int(epochs, "epochs")
        self.reference, self.device = reference, device
        self.finished = finished
        self.reset()
        if finished is not None:
            self.finished = finished

    def reset(self) -> None:
        self.finished = None
        self.run = DropoutTraining(*small_digits(), **self.settings, device=self.device)

    @property
    def position(self) -> int:
        return self.epochs if self.finished is not None else self.run.epochs_done

    @property
    def done(self) -> bool:
        return self.position >= self.epochs

    def step(self, n: int = 1) -> None:
        for _ in range(min(n, self.epochs - self.position)):
            self.run.epoch()

    def view(self) -> DropoutPracticeView:
        run = self.finished if self.finished is not None else self.run.record()
        return dropout_practice_view(run, self.epochs, self.reference)

    def scene(self) -> dict:
        return dropout_practice_scene(self.view())


def dropout_practice_explorer(p_input: float = 0.2, p_hidden: float = 0.5,
                              max_norm: float = 0.0, lr: float = 0.1, *,
                              reference: DropoutRun | None = None,
                              finished: DropoutRun | None = None, device=None):
    """The widget: input and hidden dropout rates, the max-norm radius and the learning rate,
    with play, pause, step and reset. Shown, it has trained the starting setting (or shows
    ``finished``, a run of that setting already trained); a slider starts a fresh network at
    epoch 0, and play trains it. ``reference``: a run drawn in grey for comparison."""
    import ipywidgets as widgets

    controls = {
        "p_input": widgets.FloatSlider(value=p_input, min=0.0, max=0.8, step=0.1,
                                       description="input p"),
        "p_hidden": widgets.FloatSlider(value=p_hidden, min=0.0, max=0.8, step=0.1,
                                        description="hidden p"),
        "max_norm": widgets.FloatSlider(value=max_norm, min=0.0, max=5.0, step=0.5,
                                        description="max-norm c"),
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=-2, max=0, step=0.1,
                                     description="lr"),
    }
    trainer = DropoutTrainer(p_input, p_hidden, max_norm, lr, reference=reference,
                             finished=finished, device=device)
    if finished is None:
        trainer.step(trainer.epochs)
    animation = live.Animation(trainer, live.LiveFigure(), max_per_frame=3)  # ~4 s of play

    def draw(p_input, p_hidden, max_norm, lr):
        settings = dict(p_input=p_input, p_hidden=p_hidden, max_norm=max_norm or None, lr=lr)
        if settings != animation.trainer.settings:
            animation.pause()
            animation.trainer = DropoutTrainer(p_input, p_hidden, max_norm, lr,
                                               reference=reference, device=device)
            animation.counter.value = animation.count_text()
        return animation.trainer.scene()

    return live.Explorer(controls, draw, animation=animation).widget
