"""Chapter 10's second explorer: watch a hidden unit's inputs drift, with and without batch norm.

The notebook trains three networks (``dlcourse.nets.shift_mlp.train_recording_shift``): no
normalization, batch norm, and batch norm followed by a random shift and scale redrawn at
every step ("noisy"), and records the inputs of the third hidden layer's units on the probe
digits every few steps. The explorer replays those recordings: a slider picks the moment of
training, another the unit. Top row: for each network, the histogram of the unit's inputs at
that moment (coloured) over the histogram before training (grey outline), on an axis that is
fixed for the whole run, so a drifting distribution visibly moves. Bottom row: the training
loss of the three networks, and how far the unit's distribution has moved from its start (the
1-D Wasserstein distance W₁), with the chosen moment marked.

What to see: the plain network's unit drifts steadily; batch norm pins it (mean β, spread γ);
the noisy network's unit jumps around at every step, yet its loss falls as fast as batch
norm's, much faster than the plain network's.

``covariate_shift_view`` computes what is drawn from the recordings (pure, about a
millisecond), ``covariate_shift_scene`` the live figure, ``covariate_shift_explorer`` is the
thin widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from dlcourse._validate import public_name
from dlcourse.covariate_shift import wasserstein_1d
from dlcourse.nets.shift_mlp import ShiftRecording
from dlcourse.widgets import live

NAMES = {"none": "no normalization", "batch": "batch norm", "noisy": "batch norm + noise"}
COLORS = {"none": "#D55E00", "batch": "#0072B2", "noisy": "#009E73"}
BINS = 30


@dataclass(frozen=True)
class CovariateShiftView:
    """One moment (``index`` into the recordings' steps) and one unit, for every network."""

    index: int
    unit: int
    norms: tuple[str, ...]
    steps: np.ndarray            # (K,) the recorded steps
    edges: list[np.ndarray]      # per network: (BINS + 1,) bin edges, fixed over the run
    now: list[np.ndarray]        # per network: (BINS,) density at the chosen moment
    start: list[np.ndarray]      # per network: (BINS,) density before training
    mean: np.ndarray             # (networks,) the unit's mean input at the moment
    std: np.ndarray              # (networks,) its spread
    loss: np.ndarray             # (networks, K) training loss
    moved: np.ndarray            # (networks, K) W₁ of the unit's inputs from the start

    @property
    def step(self) -> int:
        return int(self.steps[self.index])


def covariate_shift_view(recordings: Sequence[ShiftRecording], index: int,
                         unit: int = 0) -> CovariateShiftView:
    """The histograms, losses and distances for moment ``index`` and unit ``unit``."""
    if not recordings or not all(isinstance(r, ShiftRecording) for r in recordings):
        raise TypeError(f"{public_name()}: recordings must be a non-empty list of ShiftRecording.")
    steps = recordings[0].steps
    if any(not np.array_equal(r.steps, steps) for r in recordings):
        raise ValueError(f"{public_name()}: the recordings must share their steps.")
    for value, name, size in ((index, "index", len(steps)),
                              (unit, "unit", recordings[0].z.shape[2])):
        if isinstance(value, bool) or not isinstance(value, Integral) or not 0 <= value < size:
            raise ValueError(f"{public_name()}: {name} must be an integer from 0 to {size - 1}; "
                             f"got {value!r}.")
    edges, now, start, mean, std, loss, moved = [], [], [], [], [], [], []
    for rec in recordings:
        z = rec.z[:, :, unit]                                   # (K, N)
        lo, hi = np.percentile(z, [0.5, 99.5])
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        e = np.linspace(lo, hi, BINS + 1)
        edges.append(e)
        now.append(np.histogram(np.clip(z[index], lo, hi), e, density=True)[0])
        start.append(np.histogram(np.clip(z[0], lo, hi), e, density=True)[0])
        mean.append(float(z[index].mean()))
        std.append(float(z[index].std()))
        loss.append(rec.loss)
        moved.append(wasserstein_1d(np.repeat(z[:1], len(z), axis=0).T, z.T))
    return CovariateShiftView(int(index), int(unit), tuple(r.norm for r in recordings), steps,
                              edges, now, start, np.array(mean), np.array(std),
                              np.array(loss), np.array(moved))


def covariate_shift_scene(view: CovariateShiftView, width: int = 1000,
                          height: int = 560) -> dict:
    """The live figure: a histogram per network (top), loss and drift curves (bottom)."""
    n = len(view.norms)
    top = live.grid_boxes(width, height // 2, ncols=n, top=40, bottom=46, left=48,
                          wspace=56)
    bottom = live.grid_boxes(width, height // 2, ncols=2, top=34, bottom=52, left=62,
                             wspace=90)
    panels = []
    for k, norm in enumerate(view.norms):
        e = view.edges[k]
        centres, w = (e[:-1] + e[1:]) / 2, e[1] - e[0]
        marks = [live.bars(centres, view.now[k], width=w, color=COLORS[norm], alpha=0.7,
                           label=f"step {view.step}"),
                 live.line(centres, view.start[k], color="#707070", step="mid",
                           label="before training")]
        box = [b for b in top[k]]
        box[1], box[3] = box[1] / 2, box[3] / 2
        ymax = max(float(view.now[k].max()), float(view.start[k].max()), 1e-9)
        panels.append(live.panel(box, marks, xlim=(e[0], e[-1]), ylim=(0, 1.1 * ymax),
                                 xlabel="input of the unit",
                                 title=f"{NAMES[norm]}: mean {view.mean[k]:.2f}, "
                                       f"std {view.std[k]:.2f}",
                                 legend="upper right" if k == 0 else None))
    loss_marks, moved_marks = [], []
    for k, norm in enumerate(view.norms):
        loss_marks.append(live.line(view.steps, np.maximum(view.loss[k], 1e-4),
                                    color=COLORS[norm], label=NAMES[norm]))
        moved_marks.append(live.line(view.steps, view.moved[k], color=COLORS[norm],
                                     label=NAMES[norm]))
    for marks in (loss_marks, moved_marks):
        marks.append(live.vline(view.step, color="#000000", dash="dotted"))
    xlim = (0, float(view.steps[-1]))
    for (box, marks, ylabel, yscale, ylim) in (
            (bottom[0], loss_marks, "training loss", "log",
             live.padded(float(np.maximum(view.loss, 1e-4).min()), float(view.loss.max()),
                         log=True)),
            (bottom[1], moved_marks, f"W₁ of unit {view.unit}'s inputs from the start",
             "linear", (0.0, 1.1 * max(float(view.moved.max()), 1e-9)))):
        box = list(box)
        box[1], box[3] = 0.5 + box[1] / 2, box[3] / 2
        panels.append(live.panel(box, marks, xlim=xlim, ylim=ylim, yscale=yscale,
                                 xlabel="training step", ylabel=ylabel, grid=True,
                                 legend="upper right"))
    return live.scene(width, height, panels,
                      title=f"unit {view.unit} of the recorded hidden layer, step {view.step}")


def covariate_shift_explorer(recordings: Sequence[ShiftRecording], index: int | None = None,
                             unit: int = 0):
    """The widget: a slider over the recorded moments and one over the units."""
    import ipywidgets as widgets

    steps = [int(s) for s in recordings[0].steps]
    index = len(steps) - 1 if index is None else index
    controls = {
        "index": widgets.SelectionSlider(options=[(str(s), i) for i, s in enumerate(steps)],
                                         value=index, description="step"),
        "unit": widgets.IntSlider(value=unit, min=0, max=recordings[0].z.shape[2] - 1,
                                  description="unit"),
    }

    def draw(index, unit):
        return covariate_shift_scene(covariate_shift_view(recordings, index, unit))

    return live.Explorer(controls, draw).widget
