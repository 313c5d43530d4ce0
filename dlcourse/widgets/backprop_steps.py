"""Chapter 05's explorer: step through gradient descent on the worked example of seed 001 §3.2.5.

An iteration slider (and a learning-rate slider) picks a point of the training run; the plots
show the error curve with that point marked, the two outputs against their targets, and the
paths of the eight weights; a table lists, for every weight, the three chain-rule factors of its
gradient at that iteration and their product.

``backprop_steps_view`` computes everything (from one cached run of ``weight_trajectory``) and
``factor_table_html`` the table; both are unit-tested. ``backprop_steps`` is the widget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dlcourse import worked_backprop as wb
from dlcourse._validate import positive_int, public_name, real_in_range
from dlcourse.widgets import live

MAX_STEPS = 10_000
UNITS = ("h1", "h1", "h2", "h2", "o1", "o1", "o2", "o2")
SOURCES = ("i1", "i2", "i1", "i2", "out_h1", "out_h2", "out_h1", "out_h2")


@dataclass(frozen=True)
class BackpropStepsView:
    """The state of the worked example after ``iteration`` updates with learning rate ``lr``."""

    iteration: int
    lr: float
    weights: np.ndarray        # (8,) w1..w8 after `iteration` updates
    values: dict               # forward pass at these weights (net_h1, ..., out_o2)
    outputs: np.ndarray        # (2,) out_o1, out_o2
    targets: np.ndarray        # (2,)
    error: float               # E at these weights
    errors: np.ndarray         # (steps + 1,) the whole error curve
    history: np.ndarray        # (steps + 1, 8) the whole weight trajectory
    table: np.ndarray          # (8, 4) ∂E/∂out, ∂out/∂net, ∂net/∂w, ∂E/∂w at these weights
    next_weights: np.ndarray   # (8,) after one more update: weights − lr·table[:, 3]


LR_EXPONENTS = (-2.0, 1.0, 0.1)
"""The η slider's range and step, as powers of 10."""


def fast_weight_trajectory(lr: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """``worked_backprop.weight_trajectory`` of the text's network, inputs and targets, with
    the same formulas written out on Python floats: (steps + 1, 8) weights and (steps + 1,)
    errors, equal to the reference to rounding, about ten times faster (a 2-2-2 network is
    too small for NumPy's per-call cost), so a new η costs tens of milliseconds."""
    lr = real_in_range(lr, "lr", low=0.0, low_open=True)
    steps = positive_int(steps, "steps", minimum=0)
    i1, i2 = (float(v) for v in wb.INPUTS)
    t1, t2 = (float(v) for v in wb.TARGETS)
    b1, b2 = (float(v) for v in wb.BIASES)
    w1, w2, w3, w4, w5, w6, w7, w8 = (float(v) for v in wb.WEIGHTS)
    exp = math.exp
    rows: list[tuple[float, ...]] = []
    errors: list[float] = []
    for k in range(steps + 1):
        rows.append((w1, w2, w3, w4, w5, w6, w7, w8))
        h1 = 1.0 / (1.0 + exp(-(w1 * i1 + w2 * i2 + b1)))     # out_h1 = σ(net_h1)
        h2 = 1.0 / (1.0 + exp(-(w3 * i1 + w4 * i2 + b1)))
        o1 = 1.0 / (1.0 + exp(-(w5 * h1 + w6 * h2 + b2)))     # out_o1 = σ(net_o1)
        o2 = 1.0 / (1.0 + exp(-(w7 * h1 + w8 * h2 + b2)))
        errors.append(0.5 * ((t1 - o1) ** 2 + (t2 - o2) ** 2))
        if k == steps:
            break
        d1 = (o1 - t1) * o1 * (1.0 - o1)                        # δ_o = ∂E/∂net_o
        d2 = (o2 - t2) * o2 * (1.0 - o2)
        e1 = (d1 * w5 + d2 * w7) * h1 * (1.0 - h1)              # δ_h = W_oᵀ δ_o ⊙ σ′
        e2 = (d1 * w6 + d2 * w8) * h2 * (1.0 - h2)
        w1, w2, w3, w4 = (w1 - lr * e1 * i1, w2 - lr * e1 * i2, w3 - lr * e2 * i1,
                          w4 - lr * e2 * i2)
        w5, w6, w7, w8 = (w5 - lr * d1 * h1, w6 - lr * d1 * h2, w7 - lr * d2 * h1,
                          w8 - lr * d2 * h2)
    return np.array(rows), np.array(errors)


@lru_cache(maxsize=64)
def _run(lr: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    weights, errors = fast_weight_trajectory(lr, steps)
    weights.flags.writeable = False
    errors.flags.writeable = False
    return weights, errors


def backprop_steps_view(iteration: int = 0, lr: float = wb.LEARNING_RATE,
                        steps: int = MAX_STEPS) -> BackpropStepsView:
    """The worked example after ``iteration`` steps of gradient descent (0 ≤ iteration ≤ steps).

    Trains once for ``steps`` steps per learning rate (``fast_weight_trajectory``, cached), so
    moving the iteration slider is instant and a new η takes tens of milliseconds.
    """
    steps = positive_int(steps, "steps")
    iteration = positive_int(iteration, "iteration", minimum=0)
    if iteration > steps:
        raise ValueError(f"{public_name()}: iteration must be at most steps = {steps}; got "
                         f"{iteration}.")
    lr = real_in_range(lr, "lr", low=0.0, low_open=True)
    history, errors = _run(lr, steps)
    w = history[iteration].copy()
    values = wb.forward(wb.INPUTS, w, wb.BIASES)
    table = wb.chain_rule_table(wb.INPUTS, wb.TARGETS, w, wb.BIASES)
    return BackpropStepsView(iteration, lr, w, values,
                             np.array([values["out_o1"], values["out_o2"]]),
                             np.array(wb.TARGETS), float(errors[iteration]), errors, history,
                             table, w - lr * table[:, 3])


def factor_table_html(view: BackpropStepsView) -> str:
    """An HTML table: one row per weight with its value, the three chain-rule factors, the
    gradient (their product) and the weight after the next update."""
    head = ("<tr><th>weight</th><th>value</th><th>∂E/∂out</th><th>∂out/∂net</th>"
            "<th>∂net/∂w</th><th>∂E/∂w</th><th>next value</th></tr>")
    rows = []
    for k in range(8):
        unit, source = UNITS[k], SOURCES[k]
        d_out, d_net, d_w, grad = view.table[k]
        rows.append(
            f"<tr><td>w{k + 1} ({source} → {unit})</td><td>{view.weights[k]:.9f}</td>"
            f"<td title='∂E/∂out_{unit}'>{d_out:+.6e}</td>"
            f"<td title='out_{unit}(1 − out_{unit})'>{d_net:.6f}</td>"
            f"<td title='{source}'>{d_w:.6f}</td><td><b>{grad:+.6e}</b></td>"
            f"<td>{view.next_weights[k]:.9f}</td></tr>")
    caption = (f"<caption>iteration {view.iteration}, η = {view.lr:g}: E = {view.error:.9g}; "
               f"out_o1 = {view.outputs[0]:.9f}, out_o2 = {view.outputs[1]:.9f}</caption>")
    return ("<table style='font-family: monospace; font-size: 12px'>" + caption + head
            + "".join(rows) + "</table>")


def draw_backprop_steps(view: BackpropStepsView, axes) -> None:
    """Draw the error curve, the outputs vs the targets, and the weight paths on three axes."""
    ax_err, ax_out, ax_w = axes
    last = len(view.errors) - 1
    steps = np.array(iteration_options(last, per_decade=100))  # log-spaced: light to draw
    ax_err.semilogy(steps, view.errors[steps], color="0.3")
    ax_err.semilogy([view.iteration], [view.error], "o", color="#D55E00", ms=8)
    ax_err.set_xscale("symlog", linthresh=10)
    ax_err.set_xlim(0, last)
    ax_err.set_xlabel("iteration (linear to 10, then log)")
    ax_err.set_ylabel("total error E")
    ax_err.set_title(f"E = {view.error:.4g} after {view.iteration} steps")
    positions = np.arange(2)
    ax_out.bar(positions - 0.18, view.outputs, width=0.36, label="output", color="#0072B2")
    ax_out.bar(positions + 0.18, view.targets, width=0.36, label="target", color="#E69F00")
    ax_out.set_xticks(positions, ["o1", "o2"])
    ax_out.set_ylim(0, 1.05)
    ax_out.set_title("outputs and targets")
    ax_out.legend(loc="upper left", fontsize=8)
    for k in range(8):
        ax_w.plot(steps, view.history[steps, k], lw=1.2, label=f"w{k + 1}")
    ax_w.axvline(view.iteration, color="#D55E00", lw=1)
    ax_w.set_xscale("symlog", linthresh=10)
    ax_w.set_xlim(0, last)
    ax_w.set_xlabel("iteration (linear to 10, then log)")
    ax_w.set_title("the weights")
    ax_w.legend(ncol=2, fontsize=7)


def symlog_position(iterations) -> np.ndarray:
    """Where an iteration sits on an axis that is linear up to 10 and logarithmic after:
    k for k ≤ 10, 10·(1 + log10(k/10)) beyond (like matplotlib's symlog, linthresh 10)."""
    k = np.asarray(iterations, dtype=float)
    return np.where(k <= 10, k, 10 * (1 + np.log10(np.maximum(k, 10) / 10)))


def backprop_steps_scene(view: BackpropStepsView, width: int = 1080,
                         height: int = 340) -> dict:
    """The live figure of a ``BackpropStepsView``: the error curve with the current point,
    the outputs against the targets, and the paths of the eight weights."""
    last = len(view.errors) - 1
    steps = np.array(iteration_options(last, per_decade=100))
    x = symlog_position(steps)
    here = float(symlog_position(view.iteration))
    ticks = [k for k in (0, 1, 5, 10, 100, 1000, 10_000, 100_000) if k <= last]
    axis = {"xlim": (0.0, float(symlog_position(last))), "xticks": symlog_position(ticks),
            "xticklabels": [f"{k:,}" for k in ticks],
            "xlabel": "iteration (linear to 10, then log)"}
    boxes = live.grid_boxes(width, height, ncols=3, ratios=[1.3, 0.8, 1.3], left=64, wspace=80)
    errors = view.errors[steps]
    err_marks = [live.line(x, errors, color="#4d4d4d"),
                 live.scatter([here], [view.error], color="#D55E00", size=10)]
    positions = np.arange(2)
    out_marks = [live.bars(positions - 0.18, view.outputs, width=0.36, color="#0072B2",
                           label="output"),
                 live.bars(positions + 0.18, view.targets, width=0.36, color="#E69F00",
                           label="target")]
    palette = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#7f7f7f")
    w_marks = [live.line(x, view.history[steps, k], color=palette[k], width=1.2,
                         label=f"w{k + 1}") for k in range(8)]
    w_marks.append(live.vline(here, color="#D55E00"))
    weights = view.history[steps]
    return live.scene(width, height, [
        live.panel(boxes[0], err_marks, yscale="log", ylabel="total error E",
                   ylim=live.padded(float(errors.min()), float(errors.max()), 0.05, log=True),
                   title=f"E = {view.error:.4g} after {view.iteration} steps", **axis),
        live.panel(boxes[1], out_marks, xlim=(-0.6, 1.6), ylim=(0, 1.05), xticks=[0, 1],
                   xticklabels=["o1", "o2"], title="outputs and targets",
                   legend="upper left"),
        live.panel(boxes[2], w_marks, ylim=live.padded(float(weights.min()),
                                                       float(weights.max()), 0.05),
                   title="the weights", legend="upper left", **axis)])


NODE_POSITIONS = {"i1": (0.0, 1.0), "i2": (0.0, 0.0), "h1": (1.0, 1.0), "h2": (1.0, 0.0),
                  "o1": (2.0, 1.0), "o2": (2.0, 0.0), "b1": (0.5, -0.75), "b2": (1.5, -0.75)}
EDGES = (("i1", "h1"), ("i2", "h1"), ("i1", "h2"), ("i2", "h2"),
         ("h1", "o1"), ("h2", "o1"), ("h1", "o2"), ("h2", "o2"))
"""The edge of each weight w1..w8, (from, to)."""


def draw_worked_network(ax, weights: np.ndarray = wb.WEIGHTS, biases: np.ndarray = wb.BIASES,
                        values: dict | None = None) -> None:
    """Draw the 2-2-2 network of seed 001 §3.2.5 with its weights on the edges; with
    ``values`` (a ``forward`` result) each hidden and output node also shows its output."""
    pos = NODE_POSITIONS
    for k, (a, b) in enumerate(EDGES):
        (x0, y0), (x1, y1) = pos[a], pos[b]
        ax.annotate("", xy=(x1 - 0.12, y1 + (y0 - y1) * 0.12), xytext=(x0 + 0.12, y0),
                    arrowprops={"arrowstyle": "->", "color": "0.45", "lw": 1.2})
        t, lift = (0.5, 0.07) if y0 == y1 else (0.24, 0.0)  # crossing edges: near the source
        ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0) + lift, f"w{k + 1}={weights[k]:.4g}",
                fontsize=8, ha="center", color="#0072B2",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    for name, bias, targets in (("b1", biases[0], ("h1", "h2")), ("b2", biases[1], ("o1", "o2"))):
        bx, by = pos[name]
        for t in targets:
            tx, ty = pos[t]
            ax.plot([bx, tx], [by, ty], ":", color="0.6", lw=1)
        ax.text(bx, by, f"{name}={bias:g}", ha="center", va="center", fontsize=8,
                bbox={"boxstyle": "round", "fc": "#F0E442", "ec": "0.4"})
    for name in ("i1", "i2", "h1", "h2", "o1", "o2"):
        x, y = pos[name]
        ax.scatter([x], [y], s=900, c="#E69F00" if name[0] == "o" else
                   ("#56B4E9" if name[0] == "h" else "0.85"), edgecolors="k", zorder=3)
        ax.text(x, y, name, ha="center", va="center", fontsize=10, zorder=4)
        if values is not None and name[0] in "ho":
            ax.text(x, y + (0.17 if y > 0.5 else -0.2), f"out={values['out_' + name]:.6f}",
                    ha="center", va="center", fontsize=8)
    ax.set_xlim(-0.35, 2.35)
    ax.set_ylim(-1.05, 1.3)
    ax.axis("off")


def iteration_options(steps: int = MAX_STEPS, per_decade: int = 13) -> list[int]:
    """Iterations 0..steps, every one up to 10, then about ``per_decade`` per factor of ten
    (the slider's positions, and the points the plots draw)."""
    steps = positive_int(steps, "steps")
    per_decade = positive_int(per_decade, "per_decade")
    dense = list(range(min(steps, 10) + 1))
    if steps <= 10:
        return dense
    count = max(2, int(np.ceil(per_decade * np.log10(steps / 10))) + 1)
    tail = np.unique(np.round(np.logspace(1, np.log10(steps), count)).astype(int))
    return sorted(set(dense) | {int(t) for t in tail} | {steps})


def backprop_steps(iteration: int = 1, lr: float = wb.LEARNING_RATE):
    """The widget: iteration slider (log-spaced positions) and learning-rate slider over the
    plots and the chain-rule table."""
    import ipywidgets as widgets

    options = iteration_options()
    controls = {
        "iteration": widgets.SelectionSlider(options=options, value=iteration,
                                             description="iteration"),
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=LR_EXPONENTS[0],
                                     max=LR_EXPONENTS[1], step=LR_EXPONENTS[2],
                                     description="η"),
    }
    table = widgets.HTML()

    def draw(iteration, lr):
        view = backprop_steps_view(iteration, lr)
        table.value = factor_table_html(view)
        return backprop_steps_scene(view)

    return live.Explorer(controls, draw, footer=[table]).widget
