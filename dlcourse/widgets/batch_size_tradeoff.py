"""Chapter 07's batch-size explorer: the same training runs seen per epoch, per update and per
second.

The notebook sweeps the batch size (``dlcourse.batch_size.sweep_batch_sizes``: one MLP, one
learning rate, trained until the training loss reaches a target). The explorer replays the
runs: a slider picks a batch size, buttons pick the x axis of the loss curves, **epochs**
(passes over the data), **updates** (parameter steps) or **seconds** (measured training time).
Left: every run's loss curve in grey, the chosen one in colour, the target dashed. Middle: per
batch size, the updates per epoch and the epochs needed to reach the target. Right: the seconds
per epoch and the seconds needed to reach the target, as measured; the chosen batch size marked.

What to see: per epoch, small batches win (many updates); per update, large batches win (each
update is better averaged); per second, the winner lies in between, and where depends on the
machine.

``batch_size_view`` computes what is drawn (pure), ``batch_size_scene`` the live figure,
``batch_size_explorer`` is the thin widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dlcourse._validate import one_of, public_name
from dlcourse.batch_size import BatchSizeRun
from dlcourse.widgets import live

AXES = ("epochs", "updates", "seconds")
COLOR, GREY = "#0072B2", "#B0B0B0"


@dataclass(frozen=True)
class BatchSizeView:
    """The chosen run, the x axis, every run's curve and the trade-off per batch size."""

    chosen: int                      # index of the chosen run
    axis: str
    xs: list[np.ndarray]             # per run: the x of each loss measurement on this axis
    losses: list[np.ndarray]         # per run: the losses
    target: float
    batch_sizes: np.ndarray          # (m,)
    updates: np.ndarray              # (m,) updates per epoch
    epochs_needed: np.ndarray        # (m,) epochs to the target (inf: never)
    seconds_per_epoch: np.ndarray    # (m,)
    seconds_needed: np.ndarray       # (m,) training seconds to the target

    @property
    def title(self) -> str:
        k = self.chosen
        return (f"B = {self.batch_sizes[k]}: {self.updates[k]} updates per epoch, "
                f"{self.seconds_per_epoch[k] * 1e3:.1f} ms per epoch; the target after "
                f"{self.epochs_needed[k]:.3g} epochs, {self.seconds_needed[k]:.3g} s")


def batch_size_view(runs: Sequence[BatchSizeRun], batch_size: int,
                    axis: str = "epochs") -> BatchSizeView:
    """What the explorer draws for the run of ``batch_size`` with the loss curves against
    ``axis`` ("epochs", "updates" or "seconds")."""
    if not runs or not all(isinstance(r, BatchSizeRun) for r in runs):
        raise TypeError(f"{public_name()}: runs must be a non-empty list of BatchSizeRun.")
    axis = one_of(axis, AXES, "axis")
    sizes = np.array([r.batch_size for r in runs])
    if batch_size not in sizes:
        raise ValueError(f"{public_name()}: no run with batch size {batch_size!r}; the runs have "
                         f"{', '.join(map(str, sizes))}.")
    xs = [{"epochs": r.epochs, "updates": r.epochs * r.updates_per_epoch,
           "seconds": r.seconds}[axis] for r in runs]
    return BatchSizeView(int(np.flatnonzero(sizes == batch_size)[0]), axis, xs,
                         [r.losses for r in runs], runs[0].target, sizes,
                         np.array([r.updates_per_epoch for r in runs]),
                         np.array([r.epochs_to_target for r in runs]),
                         np.array([r.seconds_per_epoch for r in runs]),
                         np.array([r.seconds_to_target for r in runs]))


def batch_size_scene(view: BatchSizeView, width: int = 1080, height: int = 400) -> dict:
    """The live figure: loss curves, the per-epoch and the per-second trade-off."""
    boxes = live.grid_boxes(width, height, ncols=3, ratios=[1.3, 1, 1], top=50, bottom=82,
                            wspace=78)
    curves = []     # on the log axis, from the first measurement after the start
    for k, (x, loss) in enumerate(zip(view.xs, view.losses, strict=True)):
        if k != view.chosen:
            curves.append(live.line(x[x > 0], loss[x > 0], color=GREY, width=1))
    x, loss = view.xs[view.chosen], view.losses[view.chosen]
    curves += [live.line(x[x > 0], loss[x > 0], color=COLOR, width=2.5,
                         label=f"B = {view.batch_sizes[view.chosen]}"),
               live.hline(view.target, color="#000000", dash="dashed", label="target")]
    xmax = max(float(np.max(v)) for v in view.xs)
    xmin = min(float(np.min(v[v > 0])) for v in view.xs if np.any(v > 0))
    all_loss = np.concatenate(view.losses)
    sizes = view.batch_sizes.astype(float)
    chosen = [float(sizes[view.chosen])]

    def marked(values, color, label, dash=None):
        finite = np.isfinite(values)
        return [live.line(sizes[finite], values[finite], color=color, marker="o", dash=dash,
                          label=label),
                live.scatter(chosen, [values[view.chosen]], size=14, fill=False,
                             edgecolor="#000000", edgewidth=2)]

    per_epoch = marked(view.updates.astype(float), "#009E73", "updates per epoch") + \
        marked(view.epochs_needed, "#D55E00", "epochs to the target", "dashed")
    per_second = marked(view.seconds_per_epoch, "#009E73", "seconds per epoch") + \
        marked(view.seconds_needed, "#D55E00", "seconds to the target", "dashed")

    def span(*arrays):
        v = np.concatenate([a[np.isfinite(a) & (a > 0)] for a in arrays])
        return live.padded(float(v.min()), float(v.max()), log=True)

    xlim = live.padded(float(sizes.min()), float(sizes.max()), log=True)
    return live.scene(width, height, [
        live.panel(boxes[0], curves, xlim=live.padded(xmin, xmax, log=True), xscale="log",
                   ylim=live.padded(float(all_loss.min()), float(all_loss.max()), log=True),
                   yscale="log", xlabel=view.axis, ylabel="training loss", legend="below",
                   legend_cols=2, grid=True),
        live.panel(boxes[1], per_epoch, xlim=xlim, xscale="log", yscale="log",
                   ylim=span(view.updates.astype(float), view.epochs_needed),
                   xlabel="batch size B", ylabel="count", legend="below", grid=True),
        live.panel(boxes[2], per_second, xlim=xlim, xscale="log", yscale="log",
                   ylim=span(view.seconds_per_epoch, view.seconds_needed),
                   xlabel="batch size B", ylabel="seconds (measured)", legend="below",
                   grid=True)], title=view.title)


def batch_size_explorer(runs: Sequence[BatchSizeRun], batch_size: int | None = None,
                        axis: str = "epochs"):
    """The widget: a batch-size slider and the x-axis buttons over the sweep's runs."""
    import ipywidgets as widgets

    sizes = [r.batch_size for r in runs]
    controls = {
        "batch_size": widgets.SelectionSlider(options=sizes, value=batch_size or sizes[0],
                                              description="batch size"),
        "axis": widgets.ToggleButtons(options=list(AXES), value=axis, description="x axis"),
    }

    def draw(batch_size, axis):
        return batch_size_scene(batch_size_view(runs, batch_size, axis))

    return live.Explorer(controls, draw).widget
