"""Chapter 12's augmentation explorer: move the whole test set and watch each model's accuracy.

Sliders move every test digit by (dx, dy) whole pixels; the bars show the test accuracy of each
trained model on the moved set (the CNN and the MLP, with and without augmentation, the global-
average-pooling net), the right panel one moved digit. Near the centre every model is good;
one pixel off, only the models that saw shifted digits in training (or whose structure ignores
position) keep their accuracy; two pixels off, beyond anything augmentation showed, all drop.

The accuracies are computed once for every shift (``shift_accuracy_grid``, a few hundred
forward passes); moving a slider only looks them up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from dlcourse._validate import as_array, positive_int, public_name
from dlcourse.regularization import shift_image
from dlcourse.widgets import live

Predict = Callable[[np.ndarray], np.ndarray]
PALETTE = ("#0072B2", "#E69F00", "#56B4E9", "#D55E00", "#009E73", "#CC79A7", "#999999")


def shift_accuracy_grid(predict: Predict, images: np.ndarray, labels: np.ndarray,
                        max_shift: int = 2) -> np.ndarray:
    """Accuracy of ``predict`` on the images moved by every (dx, dy), |dx|, |dy| ≤ max_shift.

    ``predict`` maps images (n, H, W) to predicted labels (n,); the images move with chapter
    09's ``shift_image`` (zeros fill the uncovered border). Returns an array
    (2·max_shift + 1, 2·max_shift + 1) indexed [dy + max_shift, dx + max_shift].
    """
    images = as_array(images, "images", ndim=3, layout="(n, H, W)")
    labels = np.asarray(labels)
    if labels.shape != (images.shape[0],):
        raise ValueError(f"{public_name()}: one label per image; got {images.shape[0]} images and "
                         f"labels of shape {labels.shape}.")
    m = positive_int(max_shift, "max_shift", minimum=0)
    grid = np.zeros((2 * m + 1, 2 * m + 1))
    for dy in range(-m, m + 1):
        for dx in range(-m, m + 1):
            predicted = np.asarray(predict(shift_image(images, dx, dy)))
            grid[dy + m, dx + m] = float(np.mean(predicted == labels))
    return grid


@dataclass(frozen=True)
class ShiftedAccuracyView:
    """Everything the explorer draws for one position of the sliders."""

    dx: int
    dy: int
    names: tuple[str, ...]
    accuracies: np.ndarray   # (models,) accuracy of each model on the set moved by (dx, dy)
    digit: np.ndarray        # (H, W) one test digit, moved
    label: int               # its true label

    @property
    def title(self) -> str:
        return f"test digits moved by dx = {self.dx:+d}, dy = {self.dy:+d} pixels"


def shifted_accuracy_view(grids: Mapping[str, np.ndarray], images: np.ndarray,
                          labels: np.ndarray, dx: int = 0, dy: int = 0,
                          index: int = 0) -> ShiftedAccuracyView:
    """Look up every model's accuracy at (dx, dy) in its grid (``shift_accuracy_grid``) and
    move test digit ``index`` by (dx, dy)."""
    if not grids:
        raise ValueError(f"{public_name()}: give at least one model's accuracy grid.")
    names = tuple(grids)
    stacked = np.stack([np.asarray(grids[n], dtype=float) for n in names])
    side = stacked.shape[1]
    if stacked.ndim != 3 or stacked.shape[2] != side or side % 2 != 1:
        raise ValueError(f"{public_name()}: every grid must be square with an odd side, as "
                         f"shift_accuracy_grid returns; got shape {stacked.shape[1:]}.")
    m = side // 2
    for name, value in (("dx", dx), ("dy", dy)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or abs(value) > m:
            raise ValueError(f"{public_name()}: {name} must be a whole number between −{m} and "
                             f"{m}; got {value!r}.")
    images = as_array(images, "images", ndim=3, layout="(n, H, W)")
    if not 0 <= index < len(images):
        raise ValueError(f"{public_name()}: index must be between 0 and {len(images) - 1}; got "
                         f"{index}.")
    return ShiftedAccuracyView(int(dx), int(dy), names, stacked[:, dy + m, dx + m],
                               shift_image(images[index], int(dx), int(dy)),
                               int(np.asarray(labels)[index]))


def shifted_accuracy_scene(view: ShiftedAccuracyView, width: int = 880,
                           height: int = 360) -> dict:
    """The live figure: one bar per model (accuracy on the moved test set), the moved digit."""
    k = len(view.names)
    positions = np.arange(k)
    colors = [PALETTE[i % len(PALETTE)] for i in range(k)]
    marks = [live.bars(positions, view.accuracies, width=0.7, colors=colors),
             live.hline(0.1, color="#888888", dash="dotted", label="chance (10 %)")]
    marks += [live.text(float(i), float(a) + 0.02, f"{a:.0%}", ha="center", va="bottom",
                        size=11) for i, a in enumerate(view.accuracies)]
    boxes = live.grid_boxes(width, height, ncols=2, ratios=[2.6, 1.0], bottom=70, left=60)
    h, w = view.digit.shape
    return live.scene(width, height, [
        live.panel(boxes[0], marks, xlim=(-0.6, k - 0.4), ylim=(0.0, 1.08),
                   xticks=positions.tolist(), xticklabels=list(view.names),
                   ylabel="test accuracy", title=view.title, grid=True),
        live.panel(boxes[1], [live.image(view.digit[::-1], (0, w, 0, h), cmap="gray_r",
                                         vmin=0.0, vmax=1.0)],
                   xlim=(0, w), ylim=(0, h), aspect="equal", frame=False,
                   title=f"a test {view.label}, moved"),
    ])


def draw_shifted_accuracy(view: ShiftedAccuracyView, axes) -> None:
    """Draw a ``ShiftedAccuracyView`` on two matplotlib axes (bars, digit)."""
    ax_bars, ax_digit = axes
    k = len(view.names)
    ax_bars.bar(np.arange(k), view.accuracies, color=[PALETTE[i % len(PALETTE)]
                                                      for i in range(k)])
    for i, a in enumerate(view.accuracies):
        ax_bars.text(i, a + 0.02, f"{a:.0%}", ha="center", va="bottom")
    ax_bars.axhline(0.1, color="0.5", ls=":")
    ax_bars.set_xticks(np.arange(k), view.names)
    ax_bars.set_ylim(0, 1.08)
    ax_bars.set_ylabel("test accuracy")
    ax_bars.set_title(view.title)
    ax_digit.imshow(view.digit, cmap="gray_r", vmin=0, vmax=1)
    ax_digit.set_title(f"a test {view.label}, moved")
    ax_digit.axis("off")


def shifted_accuracy_explorer(grids: Mapping[str, np.ndarray], images: np.ndarray,
                              labels: np.ndarray, index: int = 0):
    """The widget: dx, dy and test-digit sliders over the bars of every model's accuracy."""
    import ipywidgets as widgets

    m = np.asarray(next(iter(grids.values()))).shape[0] // 2
    controls = {
        "dx": widgets.IntSlider(value=0, min=-m, max=m, description="dx (right)"),
        "dy": widgets.IntSlider(value=0, min=-m, max=m, description="dy (down)"),
        "index": widgets.IntSlider(value=index, min=0, max=len(images) - 1,
                                   description="test digit"),
    }

    def draw(dx, dy, index):
        return shifted_accuracy_scene(shifted_accuracy_view(grids, images, labels, dx, dy,
                                                            index))

    return live.Explorer(controls, draw).widget
