"""Chapter 15's fine-tuning explorer: accuracy against the number of labels, way by way.

The results of the chapter's experiment (every way of reusing a pre-trained network, and
training from scratch, for several numbers of labels per class and several seeds) are computed
once in the notebook; the slider picks a number of labels. The left panel shows the mean test
accuracy of every way against the number of labels, the right one each way's runs at the chosen
number (bars: the mean over seeds, dots: single seeds). Slide from one label per class to many
and watch which gaps close and which stay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dlcourse._validate import public_name
from dlcourse.widgets import live

PALETTE = ("#000000", "#D55E00", "#E69F00", "#0072B2", "#009E73", "#CC79A7", "#56B4E9")


@dataclass(frozen=True)
class TransferView:
    """Everything the explorer draws for one position of the slider."""

    counts: np.ndarray        # (c,) labels per class, increasing
    ways: tuple[str, ...]
    means: np.ndarray         # (ways, c) mean accuracy over seeds
    runs: np.ndarray          # (ways, seeds) accuracies at the chosen count
    chosen: int               # index into counts

    @property
    def title(self) -> str:
        count = int(self.counts[self.chosen])
        best = self.ways[int(np.argmax(self.runs.mean(axis=1)))]
        return f"{count} label{'s' if count > 1 else ''} per class: best on average, {best}"


def transfer_view(results: Mapping[str, np.ndarray], counts: Sequence[int],
                  labels_per_class: int) -> TransferView:
    """``results[way]``: accuracies of shape (len(counts), seeds); ``labels_per_class`` must be
    one of ``counts``."""
    counts = np.asarray(counts, dtype=np.int64)
    if not results:
        raise ValueError(f"{public_name()}: give the results of at least one way.")
    ways = tuple(results)
    table = np.stack([np.asarray(results[w], dtype=float) for w in ways])
    if table.ndim != 3 or table.shape[1] != len(counts):
        raise ValueError(f"{public_name()}: each way's results must have shape (len(counts), "
                         f"seeds) = ({len(counts)}, seeds); got {table.shape[1:]}.")
    matches = np.flatnonzero(counts == labels_per_class)
    if len(matches) != 1:
        raise ValueError(f"{public_name()}: labels_per_class must be one of {counts.tolist()}; got "
                         f"{labels_per_class!r}.")
    chosen = int(matches[0])
    return TransferView(counts, ways, table.mean(axis=2), table[:, chosen, :], chosen)


def transfer_scene(view: TransferView, width: int = 920, height: int = 420) -> dict:
    """The live figure: mean accuracy against labels per class (left), and each way's runs at
    the chosen count (right: bars the mean, dots the seeds; the legend names the colours)."""
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(view.ways))]
    left = [live.line(view.counts, view.means[i], color=colors[i], width=2, marker="o",
                      markersize=6, dash="dashed" if "autoencoder" in way else None, label=way)
            for i, way in enumerate(view.ways)]
    left.append(live.vline(float(view.counts[view.chosen]), color="#888888", dash="dotted"))
    k = len(view.ways)
    means = view.runs.mean(axis=1)
    right = [live.bars([i], [means[i]], width=0.7, color=colors[i], alpha=0.6, label=way)
             for i, way in enumerate(view.ways)]
    seeds = view.runs.shape[1]
    offsets = np.linspace(-0.2, 0.2, seeds) if seeds > 1 else np.zeros(1)
    for i in range(k):
        right.append(live.scatter(i + offsets, view.runs[i], size=7, color="#000000"))
    lo = float(min(view.means.min(), view.runs.min()))
    ylim = (max(0.0, lo - 0.05), 1.0)
    boxes = live.grid_boxes(width, height, ncols=2, ratios=[1.1, 1.0], bottom=110)
    return live.scene(width, height, [
        live.panel(boxes[0], left, xlim=(0.8 * view.counts[0], 1.25 * view.counts[-1]),
                   ylim=ylim, xscale="log", xticks=view.counts.tolist(),
                   xticklabels=[str(c) for c in view.counts], xlabel="labels per class",
                   ylabel="test accuracy (mean over seeds)", grid=True),
        live.panel(boxes[1], right, xlim=(-0.6, k - 0.4), ylim=ylim, xticks=[],
                   title=view.title, legend="below", legend_cols=3, grid=True),
    ])


def draw_transfer(view: TransferView, axes) -> None:
    """Draw a ``TransferView`` on two matplotlib axes."""
    ax, ax_runs = axes
    for i, way in enumerate(view.ways):
        ax.plot(view.counts, view.means[i], "o--" if "autoencoder" in way else "o-",
                color=PALETTE[i % len(PALETTE)], label=way)
    ax.axvline(view.counts[view.chosen], color="0.6", ls=":")
    ax.set_xscale("log")
    ax.set_xticks(view.counts, [str(c) for c in view.counts])
    ax.set_xlabel("labels per class")
    ax.set_ylabel("test accuracy (mean over seeds)")
    ax.legend(fontsize=8)
    k = len(view.ways)
    ax_runs.bar(np.arange(k), view.runs.mean(axis=1), alpha=0.6,
                color=[PALETTE[i % len(PALETTE)] for i in range(k)])
    for i in range(k):
        ax_runs.plot(np.full(view.runs.shape[1], i), view.runs[i], "k.")
    ax_runs.set_xticks(np.arange(k), view.ways, rotation=20, ha="right", fontsize=8)
    ax_runs.set_title(view.title, fontsize=10)


def transfer_explorer(results: Mapping[str, np.ndarray], counts: Sequence[int]):
    """The widget: a labels-per-class slider over the precomputed results."""
    import ipywidgets as widgets

    counts = [int(c) for c in counts]
    controls = {"labels_per_class": widgets.SelectionSlider(
        options=counts, value=counts[0], description="labels/class")}

    def draw(labels_per_class):
        return transfer_scene(transfer_view(results, counts, labels_per_class))

    return live.Explorer(controls, draw).widget
