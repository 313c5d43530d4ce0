"""Chapter 16's residual explorer: per-layer gradients of the same deep net with and without
identity shortcuts.

Pick the number of blocks and the initialisation; the two curves show ‖∂L/∂W‖ for every linear
layer of a fresh ``DeepMLP`` at initialisation (``dlcourse.nets.residual.gradient_profile``),
plain and residual, on a log scale. With torch's default initialisation the plain net's
gradient falls by a constant factor per block, so the first layer of a deep net gets almost
nothing, while the residual net's stays within a small factor of its last layer's. He
initialisation rescues the plain net at the start; chapter 16's training curves show that
this is not the end of the story.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dlcourse._validate import one_of, positive_int
from dlcourse.nets.residual import INITS, gradient_profile
from dlcourse.widgets import live

COLORS = {"plain": "#D55E00", "residual": "#0072B2"}


@dataclass(frozen=True)
class ResidualGradientsView:
    """Everything the explorer draws for one setting of the controls."""

    blocks: int
    init: str
    plain: np.ndarray        # (2·blocks + 2,) ‖∂L/∂W‖ per linear layer, first layer first
    residual: np.ndarray

    @staticmethod
    def ratio(norms: np.ndarray) -> float:
        """First layer's gradient norm over the last layer's."""
        return float(norms[0] / norms[-1])

    @property
    def title(self) -> str:
        return (f"{self.blocks} blocks ({len(self.plain)} layers), {self.init} init: "
                f"first/last = {self.ratio(self.plain):.0e} plain, "
                f"{self.ratio(self.residual):.1f} residual")


@lru_cache(maxsize=128)
def _profiles(blocks: int, init: str) -> tuple[np.ndarray, np.ndarray]:
    plain, residual = gradient_profile(blocks, False, init), gradient_profile(blocks, True, init)
    for a in (plain, residual):
        a.flags.writeable = False
    return plain, residual


def residual_gradients_view(blocks: int = 15, init: str = "default") -> ResidualGradientsView:
    """Per-layer gradient norms at initialisation of the plain and the residual ``DeepMLP``
    with ``blocks`` blocks of width 32 (the same random weights for both)."""
    blocks = positive_int(blocks, "blocks")
    init = one_of(init, INITS, "init")
    plain, residual = _profiles(blocks, init)
    return ResidualGradientsView(blocks, init, plain, residual)


def residual_gradients_scene(view: ResidualGradientsView, width: int = 820,
                             height: int = 380) -> dict:
    """The live figure: both profiles on a log scale."""
    layers = np.arange(1, len(view.plain) + 1)
    marks = [live.line(layers, view.plain, color=COLORS["plain"], width=2, marker="o",
                       markersize=5, label="plain"),
             live.line(layers, view.residual, color=COLORS["residual"], width=2, marker="o",
                       markersize=5, label="residual (identity shortcuts)")]
    both = np.concatenate([view.plain, view.residual])
    lo, hi = live.padded(float(both.min()), float(both.max()), 0.08, log=True)
    box = live.grid_boxes(width, height, left=72)[0]
    return live.scene(width, height, [live.panel(
        box, marks, xlim=(0.5, len(layers) + 0.5), ylim=(lo, hi), yscale="log",
        xlabel="linear layer (1 = next to the input)", ylabel="‖∂L/∂W‖ at initialisation",
        title=view.title, legend="lower right", grid=True)])


def draw_residual_gradients(view: ResidualGradientsView, ax) -> None:
    """Draw a ``ResidualGradientsView`` on a matplotlib axis."""
    layers = np.arange(1, len(view.plain) + 1)
    ax.semilogy(layers, view.plain, "o-", color=COLORS["plain"], ms=4, label="plain")
    ax.semilogy(layers, view.residual, "o-", color=COLORS["residual"], ms=4,
                label="residual (identity shortcuts)")
    ax.set_xlabel("linear layer (1 = next to the input)")
    ax.set_ylabel(r"$\|\partial L / \partial W\|$ at initialisation")
    ax.set_title(view.title, fontsize=10)
    ax.legend()


def residual_gradients_explorer(blocks: int = 15, init: str = "default"):
    """The widget: a blocks slider and an initialisation picker over the live curves."""
    import ipywidgets as widgets

    controls = {
        "blocks": widgets.IntSlider(value=blocks, min=1, max=30, step=1, description="blocks"),
        "init": widgets.Dropdown(options=list(INITS), value=init, description="init"),
    }

    def draw(blocks, init):
        return residual_gradients_scene(residual_gradients_view(blocks, init))

    return live.Explorer(controls, draw).widget
