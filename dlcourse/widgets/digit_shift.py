"""Chapter 12's explorer: move a test digit around and watch the networks' answers.

Pick a test digit and shift it by whole pixels (the uncovered border is filled with 0). The
plot shows the shifted image, the probabilities that the CNN (and, if given, the MLP) assign to
each class, and the CNN's first-layer feature maps. The maps move with the digit: a
convolution is *equivariant* to shifts (shift the input, and its feature maps shift the same
way), which pooling then turns into a little *invariance* (seed 003, "why CNN").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dlcourse._validate import as_array, positive_int, public_name
from dlcourse.regularization import shift_image
from dlcourse.widgets import live

CNN_COLOR, MLP_COLOR = "#0072B2", "#E69F00"


@dataclass(frozen=True)
class DigitShiftView:
    """Everything the explorer draws for one digit and one shift."""

    original: np.ndarray      # (H, W) the digit as given
    image: np.ndarray         # (H, W) shifted
    dx: int
    dy: int
    label: int | None
    probs: np.ndarray         # (k,) the CNN's class probabilities
    maps: np.ndarray          # (c1, H, W) the CNN's first-layer feature maps
    mlp_probs: np.ndarray | None

    @property
    def prediction(self) -> int:
        return int(np.argmax(self.probs))

    @property
    def mlp_prediction(self) -> int | None:
        return None if self.mlp_probs is None else int(np.argmax(self.mlp_probs))

    @property
    def title(self) -> str:
        head = f"shifted by ({self.dx:+d}, {self.dy:+d})"
        if self.label is not None:
            head = f"a {self.label}, " + head
        parts = [f"CNN says {self.prediction} ({self.probs.max():.0%})"]
        if self.mlp_probs is not None:
            parts.append(f"MLP says {self.mlp_prediction} ({self.mlp_probs.max():.0%})")
        return head + ": " + ", ".join(parts)


def first_layer_maps(model: Any, x: Any) -> Any:
    """ReLU(conv1(x)): the first layer's feature maps of a LeNet-style model, (N, c1, H, W).

    Uses ``model.feature_maps`` where the model has it, else ``model.conv1`` followed by ReLU.
    """
    import torch.nn.functional as F

    if hasattr(model, "feature_maps"):
        return model.feature_maps(x)
    if not hasattr(model, "conv1"):
        raise AttributeError(f"{public_name()}: the model needs a `conv1` layer (or a "
                             "`feature_maps` method) to show its first-layer maps.")
    return F.relu(model.conv1(x))


def _device_of(model: Any):
    import torch

    first = next(model.parameters(), None)
    return first.device if first is not None else torch.device("cpu")


def digit_shift_view(cnn: Any, image: np.ndarray, dx: int, dy: int, *, label: int | None = None,
                     mlp: Any = None) -> DigitShiftView:
    """Shift ``image`` (H, W) by (dx, dy) pixels (dx > 0: right, dy > 0: down) and run the
    networks on it, in eval mode without gradients, on the device their weights live on."""
    import torch

    img = as_array(image, "image", ndim=2, layout="(H, W)")
    shifted = shift_image(img, dx, dy)
    outputs = []
    for model in (cnn, mlp):
        if model is None:
            outputs.append(None)
            continue
        model.eval()
        x = torch.as_tensor(shifted, dtype=torch.float32, device=_device_of(model))[None, None]
        with torch.no_grad():
            probs = torch.softmax(model(x), dim=1)[0].cpu().numpy().astype(np.float64)
            maps = first_layer_maps(model, x)[0].cpu().numpy() if model is cnn else None
        outputs.append((probs, maps))
    (probs, maps), mlp_out = outputs[0], outputs[1]
    return DigitShiftView(img, shifted, int(dx), int(dy), None if label is None else int(label),
                          probs, maps.astype(np.float64), None if mlp_out is None else mlp_out[0])


def tile_maps(maps: np.ndarray, cols: int = 8) -> np.ndarray:
    """Lay (c, H, W) maps out on a grid with ``cols`` columns and a 1-pixel NaN gap between them
    (NaN draws as background in ``imshow``). Returns (rows·(H+1) − 1, cols·(W+1) − 1)."""
    m = as_array(maps, "maps", ndim=3, layout="(c, H, W)")
    cols = positive_int(cols, "cols")
    c, h, w = m.shape
    cols = min(cols, c)
    rows = -(-c // cols)
    canvas = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan)
    for i in range(c):
        r, q = divmod(i, cols)
        canvas[r * (h + 1):r * (h + 1) + h, q * (w + 1):q * (w + 1) + w] = m[i]
    return canvas


def digit_shift_scene(view: DigitShiftView, width: int = 1060, height: int = 330, *,
                      cols: int = 8) -> dict:
    """The live figure of a ``DigitShiftView``: the shifted digit, the class probabilities
    (CNN, and MLP if given; the true class shaded), the CNN's first-layer feature maps."""
    boxes = live.grid_boxes(width, height, ncols=3, ratios=[1, 1.4, 2.2], left=50, right=16,
                            top=50, wspace=60)
    h, w = view.image.shape
    digit = live.image(view.image[::-1], (0, w, 0, h), cmap="gray_r", vmin=0.0, vmax=1.0)
    classes = np.arange(len(view.probs))
    both = view.mlp_probs is not None
    bar_w = 0.4 if both else 0.8
    bars = []
    if view.label is not None:
        bars.append(live.vspan(view.label - 0.5, view.label + 0.5, color="#009E73", alpha=0.15,
                               label="true class"))
    bars.append(live.bars(classes - (bar_w / 2 if both else 0), view.probs, width=bar_w,
                          color=CNN_COLOR, label="CNN"))
    if both:
        bars.append(live.bars(classes + bar_w / 2, view.mlp_probs, width=bar_w,
                              color=MLP_COLOR, label="MLP"))
    tiles = tile_maps(view.maps, cols)
    th, tw = tiles.shape
    maps = live.image(tiles[::-1], (0, tw, 0, th), cmap="viridis")
    return live.scene(width, height, [
        live.panel(boxes[0], [digit], xlim=(0, w), ylim=(0, h), aspect="equal", frame=False,
                   title=f"input, shift ({view.dx:+d}, {view.dy:+d})"),
        live.panel(boxes[1], bars, xlim=(-0.6, len(classes) - 0.4), ylim=(0, 1),
                   xticks=classes.tolist(), xticklabels=[str(c) for c in classes],
                   xlabel="class", ylabel="probability", legend="upper right"),
        live.panel(boxes[2], [maps], xlim=(0, tw), ylim=(0, th), aspect="equal", frame=False,
                   title=f"the CNN's {len(view.maps)} first-layer feature maps")],
        title=view.title)


def draw_digit_shift(view: DigitShiftView, fig, *, cols: int = 8) -> None:
    """Draw a ``DigitShiftView`` on a matplotlib figure: digit, probabilities, feature maps."""
    fig.set_layout_engine("constrained")
    axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1, 1.4, 2.2]})
    ax_img, ax_bar, ax_maps = axes
    ax_img.imshow(view.image, cmap="gray_r", vmin=0, vmax=1)
    ax_img.set_title(f"input, shift ({view.dx:+d}, {view.dy:+d})", fontsize=9)
    ax_img.set_xticks([])
    ax_img.set_yticks([])
    classes = np.arange(len(view.probs))
    width = 0.4 if view.mlp_probs is not None else 0.8
    ax_bar.bar(classes - (width / 2 if view.mlp_probs is not None else 0), view.probs, width,
               color=CNN_COLOR, label="CNN")
    if view.mlp_probs is not None:
        ax_bar.bar(classes + width / 2, view.mlp_probs, width, color=MLP_COLOR, label="MLP")
    if view.label is not None:
        ax_bar.axvspan(view.label - 0.5, view.label + 0.5, color="#009E73", alpha=0.15,
                       label="true class")
    ax_bar.set_xticks(classes)
    ax_bar.set_ylim(0, 1)
    ax_bar.set_xlabel("class")
    ax_bar.set_ylabel("probability")
    ax_bar.legend(fontsize=8, loc="upper right")
    ax_maps.imshow(tile_maps(view.maps, cols), cmap="viridis")
    ax_maps.set_title(f"the CNN's {len(view.maps)} first-layer feature maps", fontsize=9)
    ax_maps.set_xticks([])
    ax_maps.set_yticks([])
    fig.suptitle(view.title, fontsize=10)


def digit_shift_explorer(cnn: Any, images: np.ndarray, labels: np.ndarray | None = None, *,
                         mlp: Any = None, index: int = 0, max_shift: int = 3):
    """The widget: a digit picker (index into ``images`` (n, H, W)) and dx, dy sliders."""
    import ipywidgets as widgets

    imgs = as_array(images, "images", ndim=3, layout="(n, H, W)")
    controls = {
        "i": widgets.IntSlider(value=index, min=0, max=len(imgs) - 1, description="test digit"),
        "dx": widgets.IntSlider(value=0, min=-max_shift, max=max_shift, description="dx (right)"),
        "dy": widgets.IntSlider(value=0, min=-max_shift, max=max_shift, description="dy (down)"),
    }

    def draw(i, dx, dy):
        label = None if labels is None else int(labels[i])
        return digit_shift_scene(digit_shift_view(cnn, imgs[i], dx, dy, label=label, mlp=mlp))

    return live.Explorer(controls, draw).widget
