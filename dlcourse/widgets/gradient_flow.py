"""Chapter 13's explorer: how much error reaches each earlier time step, RNN against LSTM.

A loss on the last state of a sequence sends its error back through time. For a tanh RNN every
step back multiplies it by diag(1 − h²)·Whᵀ, so its size falls (or, with large weights, grows)
geometrically with the lag; an LSTM passes it back along the cell state through the forget gates
only, so with open forget gates it barely fades. Sliders: the sequence length (the largest lag),
the recurrent weights' scale (≈ the spectral radius of Wh) and the LSTM's forget-gate bias. The
curves are ``recurrent.gradient_norms_through_time`` for both cells on the same random inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._validate import positive_int, real_in_range
from dlcourse.recurrent import gradient_norms_through_time
from dlcourse.widgets import live

COLORS = {"rnn": "#D55E00", "lstm": "#0072B2"}


@dataclass(frozen=True)
class GradientFlowView:
    """Everything the explorer draws for one setting of the sliders."""

    seq_len: int
    weight_scale: float
    forget_bias: float
    lags: np.ndarray        # (T,) 0, 1, ..., T − 1
    rnn: np.ndarray         # (T,) ‖∂L/∂h_{T−k}‖ of the tanh RNN, by lag k
    lstm: np.ndarray        # (T,) the same for the LSTM

    @property
    def title(self) -> str:
        k = self.seq_len - 1
        return (f"gradient reaching lag {k}: RNN {self.rnn[-1]:.1e}, LSTM {self.lstm[-1]:.1e}")


def gradient_flow_view(seq_len: int = 50, weight_scale: float = 1.0, forget_bias: float = 1.0,
                       hidden: int = 16, seed: int = 0) -> GradientFlowView:
    """Gradient norm against the lag k = T − t for a random tanh RNN and a random LSTM."""
    T = positive_int(seq_len, "seq_len", minimum=2)
    scale = real_in_range(weight_scale, "weight_scale", low=0.0)
    fb = real_in_range(forget_bias, "forget_bias")
    curves = {cell: gradient_norms_through_time(cell, T, hidden, seed, scale, fb)[::-1]
              for cell in ("rnn", "lstm")}
    return GradientFlowView(T, scale, fb, np.arange(T), curves["rnn"], curves["lstm"])


FLOOR = 1e-30
"""A vanished gradient (exactly 0.0 after underflow) is drawn at this floor of the log axis."""


def gradient_flow_scene(view: GradientFlowView, width: int = 760, height: int = 400) -> dict:
    """The live figure of a ``GradientFlowView``: both curves against the lag, log scale."""
    rnn, lstm = np.maximum(view.rnn, FLOOR), np.maximum(view.lstm, FLOOR)
    both = np.concatenate([rnn, lstm])
    marks = [live.line(view.lags, rnn, color=COLORS["rnn"], marker="o", markersize=4,
                       label=f"tanh RNN (weight scale {view.weight_scale:g})"),
             live.line(view.lags, lstm, color=COLORS["lstm"], marker="s", markersize=4,
                       label=f"LSTM (forget bias {view.forget_bias:g})")]
    box = live.grid_boxes(width, height, left=70)[0]
    return live.scene(width, height, [live.panel(
        box, marks, xlim=(-0.5, view.seq_len - 0.5),
        ylim=live.padded(float(both.min()), float(both.max()), 0.05, log=True), yscale="log",
        xlabel="lag k: steps between the loss and the state", ylabel="‖∂L/∂h_{T−k}‖",
        title=view.title, grid=True, legend="lower left")])


def draw_gradient_flow(view: GradientFlowView, ax) -> None:
    """Draw a ``GradientFlowView`` on a matplotlib axis (log scale)."""
    floor = 1e-30  # a vanished gradient (exactly 0.0 after underflow) still gets a point
    ax.semilogy(view.lags, np.maximum(view.rnn, floor), "o-", ms=3, color=COLORS["rnn"],
                label=f"tanh RNN (weight scale {view.weight_scale:g})")
    ax.semilogy(view.lags, np.maximum(view.lstm, floor), "s-", ms=3, color=COLORS["lstm"],
                label=f"LSTM (forget bias {view.forget_bias:g})")
    ax.set_xlabel("lag k: steps between the loss and the state")
    ax.set_ylabel(r"$\|\partial L / \partial h_{T-k}\|$")
    ax.set_title(view.title, fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="lower left", fontsize=9)


def gradient_flow_explorer(seq_len: int = 50, weight_scale: float = 1.0,
                           forget_bias: float = 1.0):
    """The widget: sequence length, weight scale and forget bias sliders over the live plot."""
    import ipywidgets as widgets

    controls = {
        "seq_len": widgets.IntSlider(value=seq_len, min=2, max=200, step=1,
                                     description="length T"),
        "weight_scale": widgets.FloatSlider(value=weight_scale, min=0.1, max=3.0, step=0.05,
                                            description="weight scale"),
        "forget_bias": widgets.FloatSlider(value=forget_bias, min=-3.0, max=6.0, step=0.25,
                                           description="forget bias"),
    }

    def draw(seq_len, weight_scale, forget_bias):
        return gradient_flow_scene(gradient_flow_view(seq_len, weight_scale, forget_bias))

    return live.Explorer(controls, draw).widget
