"""Chapter 15's explorer: walk through a 2-D code space and watch the decoder draw digits.

The left panel shows the codes of the training digits, coloured by their label, and a cross at
the point (z1, z2) chosen with the sliders; the right panel shows what the decoder makes of that
point, as an 8×8 image. Moving between two clusters morphs one digit into another; points far
from every cluster show what the decoder invents where it has never been trained.

The decoder is any function from codes (k, 2) to pixel rows (k, 64): a trained autoencoder's
decoder, or PCA's ``pca_inverse_transform`` for comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dlcourse._validate import as_array, public_name, real_in_range
from dlcourse.viz.boundaries import CLASS_COLORS
from dlcourse.widgets import live

Decoder = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class CodeSpaceView:
    """Everything the explorer draws for one position of the sliders."""

    point: np.ndarray        # (2,) the chosen code
    image: np.ndarray        # (8, 8) the decoded digit
    codes: np.ndarray        # (n, 2) codes of the training digits
    labels: np.ndarray       # (n,) their labels
    nearest_label: int       # the label of the training code closest to the point
    distance: float          # and its distance to the point

    @property
    def title(self) -> str:
        return (f"decoded at ({self.point[0]:.2f}, {self.point[1]:.2f}); nearest training "
                f"code is a {self.nearest_label} (distance {self.distance:.2f})")


def code_limits(codes: np.ndarray, pad: float = 0.1) -> tuple[tuple[float, float], ...]:
    """The range of each code coordinate, widened by ``pad`` of its span on both sides."""
    codes = as_array(codes, "codes", ndim=2, layout="(n, 2)")
    low, high = codes.min(axis=0), codes.max(axis=0)
    span = np.maximum(high - low, 1e-9)
    return tuple((float(lo - pad * s), float(hi + pad * s))
                 for lo, hi, s in zip(low, high, span, strict=True))


def code_space_view(decode: Decoder, codes: np.ndarray, labels: np.ndarray, z1: float,
                    z2: float) -> CodeSpaceView:
    """Decode the point (z1, z2) and find the nearest training code."""
    if not callable(decode):
        raise TypeError(f"{public_name()}: decode must be a function from codes (k, 2) to images "
                        f"(k, 64); got {type(decode).__name__}.")
    codes = as_array(codes, "codes", ndim=2, layout="(n, 2)")
    if codes.shape[1] != 2:
        raise ValueError(f"{public_name()}: codes must have 2 columns (a 2-D code); got "
                         f"{codes.shape}.")
    labels = np.asarray(labels)
    if labels.shape != (codes.shape[0],):
        raise ValueError(f"{public_name()}: one label per code; got {codes.shape[0]} codes and "
                         f"labels of shape {labels.shape}.")
    point = np.array([real_in_range(z1, "z1"), real_in_range(z2, "z2")])
    pixels = np.asarray(decode(point[None, :]), dtype=np.float64)
    if pixels.shape != (1, 64):
        raise ValueError(f"{public_name()}: decode must turn a (1, 2) code into a (1, 64) image "
                         f"row; got shape {pixels.shape}.")
    distances = np.linalg.norm(codes - point, axis=1)
    nearest = int(np.argmin(distances))
    return CodeSpaceView(point, pixels.reshape(8, 8), codes, labels, int(labels[nearest]),
                         float(distances[nearest]))


def code_space_scene(view: CodeSpaceView, width: int = 900, height: int = 400) -> dict:
    """The live figure of a ``CodeSpaceView``: the training codes by label with the chosen
    point, and the decoded 8×8 digit (dark = ink)."""
    left, right = live.grid_boxes(width, height, ncols=2, ratios=[1.5, 1], left=56, right=16,
                                  bottom=46, wspace=70)
    marks = []
    for digit in np.unique(view.labels):
        mask = view.labels == digit
        marks.append(live.scatter(view.codes[mask, 0], view.codes[mask, 1], size=4, alpha=0.7,
                                  color=CLASS_COLORS[int(digit) % len(CLASS_COLORS)],
                                  label=str(int(digit))))
    marks.append(live.scatter([view.point[0]], [view.point[1]], marker="x", size=16,
                              color="#000000", edgewidth=3))
    (x0, x1), (y0, y1) = code_limits(view.codes)
    xlim = (min(x0, view.point[0]), max(x1, view.point[0]))
    ylim = (min(y0, view.point[1]), max(y1, view.point[1]))
    digit = live.image(view.image[::-1], (0, 8, 0, 8), cmap="gray_r", vmin=0.0, vmax=1.0)
    return live.scene(width, height, [
        live.panel(left, marks, xlim=xlim, ylim=ylim, xlabel="z₁", ylabel="z₂",
                   title="codes of the training digits (colour: label)", legend="upper right"),
        live.panel(right, [digit], xlim=(0, 8), ylim=(0, 8), aspect="equal", frame=False,
                   title="the decoder's digit")], title=view.title)


def draw_code_space(view: CodeSpaceView, axes) -> None:
    """Draw a ``CodeSpaceView`` on two axes: the code scatter and the decoded image."""
    import matplotlib.pyplot as plt

    ax_codes, ax_image = axes
    cmap = plt.get_cmap("tab10")
    scatter = ax_codes.scatter(view.codes[:, 0], view.codes[:, 1], c=view.labels, cmap=cmap,
                               vmin=-0.5, vmax=9.5, s=8, alpha=0.7)
    ax_codes.plot(*view.point, marker="X", ms=14, color="k", markeredgecolor="white")
    (x0, x1), (y0, y1) = code_limits(view.codes)
    ax_codes.set_xlim(min(x0, view.point[0]), max(x1, view.point[0]))
    ax_codes.set_ylim(min(y0, view.point[1]), max(y1, view.point[1]))
    ax_codes.set_xlabel("$z_1$")
    ax_codes.set_ylabel("$z_2$")
    plt.colorbar(scatter, ax=ax_codes, ticks=range(10), label="digit")
    ax_image.imshow(view.image, cmap="gray_r", vmin=0.0, vmax=1.0)
    ax_image.set_xticks([])
    ax_image.set_yticks([])
    ax_image.set_title(view.title, fontsize=9)


def code_space_explorer(decode: Decoder, codes: np.ndarray, labels: np.ndarray):
    """The widget: z1 and z2 sliders spanning the codes, over the scatter and the decoded digit."""
    import ipywidgets as widgets

    limits = code_limits(codes, pad=0.25)
    start = np.asarray(codes, dtype=float).mean(axis=0)

    def slider(name, span, value):
        low, high = span
        return widgets.FloatSlider(value=float(value), min=low, max=high,
                                   step=(high - low) / 200, description=name)

    controls = {"z1": slider("z1", limits[0], start[0]), "z2": slider("z2", limits[1], start[1])}

    def draw(z1, z2):
        return code_space_scene(code_space_view(decode, codes, labels, z1, z2))

    return live.Explorer(controls, draw).widget
