"""Chapter 04's explorer: logits in, probabilities, cross-entropy loss and its gradient out.

One slider per logit and a picker for the true class. The plot shows the logits, the softmax
probabilities (the true class highlighted) and the gradient of the cross-entropy with respect
to the logits, p − y: the true class is pulled up, every other class pushed down in
proportion to its probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dlcourse._validate import as_array, public_name
from dlcourse.activations import softmax
from dlcourse.losses import log_softmax, one_hot
from dlcourse.widgets import live

LOGIT_RANGE = (-8.0, 8.0)
DEFAULT_LOGITS = (3.0, 1.0, -3.0)    # seed 001 §3.4.9's example


@dataclass(frozen=True)
class SoftmaxView:
    """Everything the explorer draws for one setting of its controls."""

    logits: np.ndarray        # (K,) z
    target: int               # the true class
    probs: np.ndarray         # (K,) softmax(z)
    loss: float               # −log p_target
    grad: np.ndarray          # (K,) ∂loss/∂z = p − one_hot(target)

    @property
    def predicted(self) -> int:
        return int(np.argmax(self.probs))

    @property
    def title(self) -> str:
        verdict = "right" if self.predicted == self.target else f"wrong (predicts {self.predicted})"
        return (f"true class {self.target}: p = {self.probs[self.target]:.4f}, "
                f"loss −ln p = {self.loss:.4f}; prediction {verdict}")


def softmax_view(logits: Sequence[float] | np.ndarray, target: int) -> SoftmaxView:
    """Probabilities, the cross-entropy loss of the class ``target`` and its gradient for one
    vector of logits (K,). The loss uses the log-sum-exp form, so it stays finite."""
    z = as_array(logits, "logits", ndim=1, layout="(K,)")
    if z.size < 2:
        raise ValueError(f"{public_name()}: give at least two logits; got {z.size}.")
    if isinstance(target, bool) or not isinstance(target, (int, np.integer)) or not (
            0 <= target < z.size):
        raise ValueError(f"{public_name()}: target must be a class index 0..{z.size - 1}; "
                         f"got {target!r}.")
    target = int(target)
    probs = softmax(z)
    loss = float(-log_softmax(z)[target])
    return SoftmaxView(z, target, probs, loss, probs - one_hot(np.array(target), z.size))


def draw_softmax(view: SoftmaxView, axes) -> None:
    """Draw a ``SoftmaxView`` on three matplotlib axes: logits, probabilities, gradient."""
    k = np.arange(view.logits.size)
    colors = ["#0072B2" if i != view.target else "#D55E00" for i in k]
    ax_z, ax_p, ax_g = axes
    ax_z.bar(k, view.logits, color="0.6")
    ax_z.set_ylim(*LOGIT_RANGE)
    ax_z.set_title("logits z")
    ax_p.bar(k, view.probs, color=colors)
    for i, p in zip(k, view.probs, strict=True):
        ax_p.text(i, p + 0.02, f"{p:.3f}", ha="center", fontsize=8)
    ax_p.set_ylim(0, 1.1)
    ax_p.set_title("softmax(z) (true class in orange)")
    ax_g.bar(k, view.grad, color=colors)
    ax_g.set_ylim(-1.05, 1.05)
    ax_g.axhline(0, color="k", lw=0.8)
    ax_g.set_title("∂loss/∂z = p − y")
    for ax in axes:
        ax.set_xticks(k)
        ax.set_xlabel("class")
    ax_p.figure.suptitle(view.title, fontsize=10)


def softmax_scene(view: SoftmaxView, width: int = 900, height: int = 300) -> dict:
    """The live figure of a ``SoftmaxView``: bars of the logits, the probabilities (with their
    values) and the gradient p − y; the true class in orange."""
    k = np.arange(view.logits.size)
    colors = ["#0072B2" if i != view.target else "#D55E00" for i in k]
    boxes = live.grid_boxes(width, height, ncols=3, left=50, top=50, wspace=60)
    x_lim = (-0.6, view.logits.size - 0.4)
    ticks = {"xticks": k.tolist(), "xticklabels": [str(i) for i in k], "xlabel": "class"}
    labels = [live.text(i, p + 0.03, f"{p:.3f}", size=10, va="bottom")
              for i, p in zip(k, view.probs, strict=True)]
    return live.scene(width, height, [
        live.panel(boxes[0], [live.bars(k, view.logits, color="#999999"),
                              live.hline(0.0, color="#000000", width=0.8)],
                   xlim=x_lim, ylim=LOGIT_RANGE, title="logits z", **ticks),
        live.panel(boxes[1], [live.bars(k, view.probs, colors=colors), *labels],
                   xlim=x_lim, ylim=(0, 1.1), title="softmax(z) (true class in orange)",
                   **ticks),
        live.panel(boxes[2], [live.bars(k, view.grad, colors=colors),
                              live.hline(0.0, color="#000000", width=0.8)],
                   xlim=x_lim, ylim=(-1.05, 1.05), title="∂loss/∂z = p − y", **ticks)],
        title=view.title)


def softmax_explorer(logits: Sequence[float] = (*DEFAULT_LOGITS, -8.0), target: int = 0):
    """The widget: one slider per logit and a picker for the true class."""
    import ipywidgets as widgets

    controls = {f"z{i}": widgets.FloatSlider(value=float(v), min=LOGIT_RANGE[0],
                                             max=LOGIT_RANGE[1], step=0.1, description=f"z{i}")
                for i, v in enumerate(logits)}
    controls["target"] = widgets.Dropdown(options=list(range(len(logits))), value=target,
                                          description="true class")

    def draw(target, **zs):
        return softmax_scene(softmax_view([zs[f"z{i}"] for i in range(len(zs))], target))

    return live.Explorer(controls, draw).widget
