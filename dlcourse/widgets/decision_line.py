"""Chapter 01's explorer: move a perceptron's line over the points of a logic gate.

Sliders for w1, w2 and b, a gate picker; the plot shows the line w1·x1 + w2·x2 + b = 0, the
half-plane where the neuron fires (z > 0) shaded, each point coloured by its target and ringed
when the neuron gets it wrong, and the accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse.data import GATES, logic_gate
from dlcourse.viz.boundaries import CLASS_COLORS, Segment, line_segment
from dlcourse.widgets import live

LIMITS = ((-0.5, 1.5), (-0.5, 1.5))


@dataclass(frozen=True)
class DecisionLineView:
    """Everything the explorer draws for one setting of the sliders."""

    gate: str
    w: np.ndarray           # (2,) weights
    b: float                # bias
    X: np.ndarray           # (4, 2) inputs
    targets: np.ndarray     # (4,) the gate's outputs
    z: np.ndarray           # (4,) pre-activations w·x + b
    outputs: np.ndarray     # (4,) step(z)
    segment: Segment | None
    accuracy: float

    @property
    def title(self) -> str:
        correct = round(self.accuracy * len(self.targets))
        return f"{self.gate}: {correct}/{len(self.targets)} correct"


def decision_line_view(gate: str, w1: float, w2: float, b: float) -> DecisionLineView:
    """Compute the explorer's picture for a gate and a setting of (w1, w2, b)."""
    X, targets = logic_gate(gate)
    w = np.array([w1, w2], dtype=float)
    z = X @ w + float(b)
    outputs = (z > 0).astype(np.int64)
    return DecisionLineView(gate.upper(), w, float(b), X, targets, z, outputs,
                            line_segment(w1, w2, b, *LIMITS),
                            float(np.mean(outputs == targets)))


def fires_grid(view: DecisionLineView, resolution: int = 120) -> np.ndarray:
    """(resolution, resolution) booleans over LIMITS, row 0 at the bottom: where z > 0."""
    (x0, x1), (y0, y1) = LIMITS
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    return (view.w[0] * xs[None, :] + view.w[1] * ys[:, None] + view.b) > 0


def decision_line_scene(view: DecisionLineView, width: int = 430, height: int = 470) -> dict:
    """The live figure of a ``DecisionLineView`` (a ``dlcourse.widgets.live`` scene): the
    shaded half-plane z > 0, the line, the points by target, rings around mistakes."""
    (x0, x1), (y0, y1) = LIMITS
    marks = [live.image(fires_grid(view).astype(float), (x0, x1, y0, y1),
                        cmap=("#FFFFFF", CLASS_COLORS[1]), vmin=0.0, vmax=1.0, alpha=0.3,
                        label="z > 0: output 1")]
    if view.segment is not None:
        (ax_, ay), (bx, by) = view.segment
        marks.append(live.line([ax_, bx], [ay, by], color="#000000", width=2.5,
                               label="w·x + b = 0"))
    for target in (0, 1):
        mask = view.targets == target
        marks.append(live.scatter(view.X[mask, 0], view.X[mask, 1], size=17,
                                  color=CLASS_COLORS[target], marker="os"[target],
                                  edgecolor="#000000", label=f"target {target}"))
    wrong = view.outputs != view.targets
    if wrong.any():
        marks.append(live.scatter(view.X[wrong, 0], view.X[wrong, 1], size=34, fill=False,
                                  edgecolor="#D55E00", edgewidth=2.5, label="misclassified"))
    box = live.grid_boxes(width, height, bottom=96, left=50)[0]
    return live.scene(width, height, [live.panel(
        box, marks, xlim=(x0, x1), ylim=(y0, y1), aspect="equal", xlabel="x₁", ylabel="x₂",
        title=view.title, legend="below", legend_cols=3)])


def draw_decision_line(view: DecisionLineView, ax) -> None:
    """Draw a ``DecisionLineView`` on a matplotlib axis."""
    from matplotlib.patches import Patch

    (x0, x1), (y0, y1) = LIMITS
    xs, ys = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 120))
    fires = (view.w[0] * xs + view.w[1] * ys + view.b) > 0
    ax.contourf(xs, ys, fires.astype(float), levels=[-0.5, 0.5, 1.5],
                colors=["white", CLASS_COLORS[1]], alpha=0.18)
    handles = [Patch(facecolor=CLASS_COLORS[1], alpha=0.3, label="z > 0: output 1")]
    if view.segment is not None:
        (ax_, ay), (bx, by) = view.segment
        handles += ax.plot([ax_, bx], [ay, by], color="k", lw=2, label="w·x + b = 0")
    for target in (0, 1):
        mask = view.targets == target
        handles.append(ax.scatter(view.X[mask, 0], view.X[mask, 1], s=160,
                                  c=CLASS_COLORS[target], marker="os"[target], edgecolors="k",
                                  zorder=3, label=f"target {target}"))
    wrong = view.outputs != view.targets
    if wrong.any():
        handles.append(ax.scatter(view.X[wrong, 0], view.X[wrong, 1], s=480,
                                  facecolors="none", edgecolors="#D55E00", linewidths=2.5,
                                  zorder=4, label="misclassified"))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(view.title)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3,
              fontsize=8, frameon=False)


def decision_line_explorer(gate: str = "NAND", w1: float = -2.0, w2: float = -2.0,
                           b: float = 3.0):
    """The widget: gate picker and w1, w2, b sliders beside the live plot."""
    import ipywidgets as widgets

    def slider(value, description):
        return widgets.FloatSlider(value=value, min=-4.0, max=4.0, step=0.1,
                                   description=description, continuous_update=True)

    controls = {
        "gate": widgets.Dropdown(options=list(GATES), value=gate.upper(), description="gate"),
        "w1": slider(w1, "w1"), "w2": slider(w2, "w2"), "b": slider(b, "b"),
    }

    def draw(gate, w1, w2, b):
        return decision_line_scene(decision_line_view(gate, w1, w2, b))

    return live.Explorer(controls, draw, layout="left").widget
