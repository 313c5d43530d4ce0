"""Chapter 16's explorer: the size of the weight gradient at every layer of a deep net.

Pick the depth and the activation; the bars show ‖∂L/∂W_l‖ for each layer l of a random net
(``layer_gradients.deep_net_gradient_profile``: Xavier initialisation for sigmoid and tanh, He for
ReLU), on a log scale. With sigmoid units every layer down divides the gradient by about four
(σ' ≤ 1/4, seed 000), so the first layer of a deep net gets almost nothing; with ReLU it stays
within a small factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._validate import one_of, positive_int
from dlcourse.layer_gradients import deep_net_gradient_profile
from dlcourse.widgets import live

ACTIVATION_CHOICES = ("sigmoid", "tanh", "relu", "leaky_relu")
COLORS = {"sigmoid": "#D55E00", "tanh": "#CC79A7", "relu": "#0072B2", "leaky_relu": "#009E73"}


@dataclass(frozen=True)
class LayerGradientsView:
    """Everything the explorer draws for one setting of the controls."""

    depth: int
    activation: str
    norms: np.ndarray       # (depth,) ‖∂L/∂W_l‖, first layer first

    @property
    def ratio(self) -> float:
        """First layer's gradient norm over the last layer's."""
        return float(self.norms[0] / self.norms[-1])

    @property
    def title(self) -> str:
        return (f"{self.activation}, {self.depth} layers: first/last layer gradient "
                f"= {self.ratio:.1e}")


def layer_gradients_view(depth: int = 10, activation: str = "sigmoid", width: int = 32,
                         seed: int = 0) -> LayerGradientsView:
    """Per-layer weight-gradient norms of a random ``depth``-layer net with this activation."""
    depth = positive_int(depth, "depth", minimum=2)
    key = one_of(activation, ACTIVATION_CHOICES, "activation")
    norms = deep_net_gradient_profile(key, depth=depth, width=width, seed=seed)
    return LayerGradientsView(depth, key, norms)


def layer_gradients_scene(view: LayerGradientsView, width: int = 760, height: int = 380) -> dict:
    """The live figure of a ``LayerGradientsView``: one bar per layer, log scale."""
    layers = np.arange(1, view.depth + 1)
    lo, hi = live.padded(float(view.norms.min()), float(view.norms.max()), 0.1, log=True)
    every = max(1, view.depth // 15)
    box = live.grid_boxes(width, height, left=70)[0]
    return live.scene(width, height, [live.panel(
        box, [live.bars(layers, view.norms - lo, bottom=lo, color=COLORS[view.activation],
                        alpha=0.85)],
        xlim=(0.4, view.depth + 0.6), ylim=(lo, hi), yscale="log",
        xticks=layers[::every].tolist(), xticklabels=[str(k) for k in layers[::every]],
        xlabel="layer (1 = next to the input)", ylabel="‖∂L/∂W_l‖", title=view.title,
        grid=True)])


def draw_layer_gradients(view: LayerGradientsView, ax) -> None:
    """Draw a ``LayerGradientsView`` as bars on a log scale."""
    layers = np.arange(1, view.depth + 1)
    ax.bar(layers, view.norms, color=COLORS[view.activation], alpha=0.85)
    ax.set_yscale("log")
    ax.set_xticks(layers)
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel(r"$\|\partial L / \partial W_l\|$")
    ax.set_title(view.title, fontsize=10)
    ax.grid(True, axis="y", which="major", alpha=0.3)


def layer_gradients_explorer(depth: int = 10, activation: str = "sigmoid"):
    """The widget: a depth slider and an activation picker over the live bar chart."""
    import ipywidgets as widgets

    controls = {
        "depth": widgets.IntSlider(value=depth, min=2, max=30, step=1, description="depth"),
        "activation": widgets.Dropdown(options=list(ACTIVATION_CHOICES), value=activation,
                                       description="activation"),
    }

    def draw(depth, activation):
        return layer_gradients_scene(layer_gradients_view(depth, activation))

    return live.Explorer(controls, draw).widget
