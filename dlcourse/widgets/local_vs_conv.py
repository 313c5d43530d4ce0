"""Chapter 11's explorer: shared weights make a layer translation-equivariant; untied ones don't.

A digit sits in the middle of a 14×14 canvas. Two layers look at it with one 3×3 filter: a
convolution (the same edge filter at every position) and a locally connected layer whose filter
at each position is that edge filter plus ``untie`` times its own random perturbation
(``untie = 0``: every position holds the same filter, so the layer *is* the convolution). A
slider shifts the digit by ``shift`` pixels to the right and down.

For each layer the explorer shows f(x), f(shifted x) and how far f(shifted x) is from the
shifted f(x). The convolution's difference is exactly 0 for every shift: moving the input moves
the feature map (translation equivariance, a consequence of weight sharing). The locally
connected layer's difference grows with ``untie``: a pattern met at a new position meets
different weights there. The titles give both parameter counts (1 filter + 1 bias, against
one filter and bias per output position).

``local_vs_conv_view`` computes everything (pure, a few milliseconds); ``local_vs_conv_scene``
turns it into a live figure, ``draw_local_vs_conv`` into a matplotlib one (for the notebook's
static copy); ``local_vs_conv_explorer`` is the thin widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral

import numpy as np

from dlcourse._validate import public_name, real_in_range
from dlcourse.conv import conv_param_count
from dlcourse.locally_connected import (
    locally_connected2d,
    locally_connected_param_count,
    tie_weights,
)
from dlcourse.widgets import live

CANVAS = 14            # the digit (8×8) sits with a margin of 3 pixels on each side
MAX_SHIFT = 3
EDGE = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])  # Sobel, vertical edges


@lru_cache(maxsize=1)
def _canvas_digit() -> np.ndarray:
    from dlcourse.data import load_digits_split

    digit = load_digits_split().images(load_digits_split().X_train)[0]
    canvas = np.zeros((CANVAS, CANVAS))
    canvas[3:11, 3:11] = digit
    return canvas


def _shift(img: np.ndarray, d: int) -> np.ndarray:
    """``img`` moved d pixels right and down, zeros shifted in (d may be negative)."""
    out = np.zeros_like(img)
    H, W = img.shape
    src = img[max(-d, 0):H - max(d, 0), max(-d, 0):W - max(d, 0)]
    out[max(d, 0):max(d, 0) + src.shape[0], max(d, 0):max(d, 0) + src.shape[1]] = src
    return out


@lru_cache(maxsize=4)
def _perturbation(out_size: int, seed: int) -> np.ndarray:
    """One random 3×3 perturbation per output position, (1, OH, OW, 1, 3, 3)."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(1, out_size, out_size, 1, 3, 3))


@dataclass(frozen=True)
class LocalVsConvView:
    """Everything the explorer draws for one shift and one amount of untying."""

    shift: int
    untie: float
    image: np.ndarray            # (14, 14) the digit on its canvas
    shifted: np.ndarray          # the image moved `shift` pixels right and down
    conv_out: np.ndarray         # (12, 12) conv of the image
    conv_shifted: np.ndarray     # conv of the shifted image
    local_out: np.ndarray        # locally connected layer on the image
    local_shifted: np.ndarray    # ... on the shifted image
    conv_params: int
    local_params: int

    @property
    def conv_gap(self) -> np.ndarray:
        """|f(shifted x) − shifted f(x)| for the convolution: 0 everywhere."""
        return np.abs(self.conv_shifted - _shift(self.conv_out, self.shift))

    @property
    def local_gap(self) -> np.ndarray:
        """The same for the locally connected layer."""
        return np.abs(self.local_shifted - _shift(self.local_out, self.shift))


def local_vs_conv_view(shift: int = 2, untie: float = 0.5, seed: int = 0) -> LocalVsConvView:
    """Both layers on the digit and on the digit shifted by ``shift`` (−3 … 3) pixels.

    The locally connected layer's filter at position (i, j) is EDGE + untie·P[i, j], P drawn
    once from N(0, 1) with ``seed``; no biases (so the zero border maps to 0 in both layers).
    """
    if isinstance(shift, bool) or not isinstance(shift, Integral):
        raise TypeError(f"{public_name()}: shift must be an integer; got {shift!r}.")
    if abs(shift) > MAX_SHIFT:
        raise ValueError(f"{public_name()}: shift must be between −{MAX_SHIFT} and {MAX_SHIFT}; "
                         f"got {shift} (the digit would leave the canvas).")
    shift = int(shift)
    untie = real_in_range(untie, "untie", low=0.0)
    image = _canvas_digit()
    shifted = _shift(image, shift)
    out_size = CANVAS - 2
    w_tied, b = tie_weights(EDGE[None, None], np.zeros(1), out_size)
    w_local = w_tied + untie * _perturbation(out_size, seed)
    x = np.stack([image, shifted])[:, None]                       # (2, 1, 14, 14)
    conv = locally_connected2d(x, w_tied, b)[:, 0]                # tied: the convolution
    local = locally_connected2d(x, w_local, b)[:, 0]
    return LocalVsConvView(shift, untie, image, shifted, conv[0], conv[1], local[0], local[1],
                           conv_param_count(1, 1, 3),
                           locally_connected_param_count(1, 1, 3, out_size))


def draw_local_vs_conv(view: LocalVsConvView, axes) -> None:
    """Draw a ``LocalVsConvView`` on a 2×4 grid of matplotlib axes."""
    scale = max(float(np.abs(view.conv_out).max()), float(np.abs(view.local_out).max()), 1e-9)
    rows = [("convolution", view.conv_out, view.conv_shifted, view.conv_gap, view.conv_params),
            (f"locally connected, untie = {view.untie:g}", view.local_out, view.local_shifted,
             view.local_gap, view.local_params)]
    inputs = [(view.image, "input x"), (view.shifted, f"x shifted by {view.shift} "
                                                       "(right and down)")]
    for row, (name, out, out_shifted, gap, params), (img, title) in zip(axes, rows, inputs,
                                                                          strict=True):
        row[0].imshow(img, cmap="gray_r")
        row[0].set_title(title, fontsize=9)
        row[1].imshow(out, cmap="RdBu_r", vmin=-scale, vmax=scale)
        row[1].set_title(f"{name}: f(x)\n{params} parameters", fontsize=9)
        row[2].imshow(out_shifted, cmap="RdBu_r", vmin=-scale, vmax=scale)
        row[2].set_title("f(shifted x)", fontsize=9)
        row[3].imshow(gap, cmap="Reds", vmin=0, vmax=scale)
        row[3].set_title(f"|f(shifted x) − shifted f(x)|\nlargest: {gap.max():.3g}", fontsize=9)
        for ax in row:
            ax.set_xticks([])
            ax.set_yticks([])


def local_vs_conv_scene(view: LocalVsConvView, width: int = 940, height: int = 520) -> dict:
    """The live figure of a ``LocalVsConvView`` (a ``dlcourse.widgets.live`` scene): for each
    layer, the input, f(x), f(shifted x) and the gap |f(shifted x) − shifted f(x)|."""
    scale = max(float(np.abs(view.conv_out).max()), float(np.abs(view.local_out).max()), 1e-9)
    boxes = live.grid_boxes(width, height, ncols=4, nrows=2, left=12, right=12, top=44,
                            bottom=12, wspace=24, hspace=56)
    n_in, n_out = view.image.shape[0], view.conv_out.shape[0]
    rows = [("convolution", view.image, "input x", view.conv_out, view.conv_shifted,
             view.conv_gap, view.conv_params),
            (f"locally connected (untie {view.untie:g})", view.shifted,
             f"x shifted by {view.shift}", view.local_out, view.local_shifted, view.local_gap,
             view.local_params)]
    panels = []
    for r, (name, img, img_title, out, out_shifted, gap, params) in enumerate(rows):
        pictures = [(img, n_in, "gray_r", 0.0, 1.0, img_title),
                    (out, n_out, "RdBu_r", -scale, scale, f"{name}: f(x), {params} parameters"),
                    (out_shifted, n_out, "RdBu_r", -scale, scale, "f(shifted x)"),
                    (gap, n_out, "Reds", 0.0, scale,
                     f"|f(shifted x) − shifted f(x)|: largest {gap.max():.3g}")]
        for c, (values, n, cmap, lo, hi, title) in enumerate(pictures):
            mark = live.image(values[::-1], (0, n, 0, n), cmap=cmap, vmin=lo, vmax=hi)
            panels.append(live.panel(boxes[4 * r + c], [mark], xlim=(0, n), ylim=(0, n),
                                     aspect="equal", frame=False, title=title))
    return live.scene(width, height, panels,
                      title=f"shift {view.shift:+d}: the convolution's gap is 0, the locally "
                            f"connected layer's {view.local_gap.max():.3g}")


def local_vs_conv_explorer(shift: int = 2, untie: float = 0.5):
    """The widget: a shift slider and an untie slider over the live picture."""
    import ipywidgets as widgets

    controls = {
        "shift": widgets.IntSlider(value=shift, min=-MAX_SHIFT, max=MAX_SHIFT,
                                   description="shift"),
        "untie": widgets.FloatSlider(value=untie, min=0.0, max=2.0, step=0.1,
                                     description="untie"),
    }

    def draw(shift, untie):
        return local_vs_conv_scene(local_vs_conv_view(shift, untie))

    return live.Explorer(controls, draw).widget
