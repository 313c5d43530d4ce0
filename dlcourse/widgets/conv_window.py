"""Chapter 11's explorer: slide a convolution window over an input grid.

Sliders for the input size, kernel size, stride, padding and dilation, and a step slider that
moves the window. Left: the zero-padded input, the current window's taps highlighted and its
span outlined; pixels that no window ever reaches (when the stride does not divide the length)
are hatched. Right: the output grid, the cell the window is computing highlighted. The title
fills in the output-size formula ⌊(n + 2P − D·(F − 1) − 1)/S⌋ + 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._validate import positive_int
from dlcourse.conv import conv_output_size
from dlcourse.viz.boundaries import CLASS_COLORS
from dlcourse.widgets import live


@dataclass(frozen=True)
class ConvWindowView:
    """Everything the explorer draws for one setting of the sliders (square inputs/kernels).

    Coordinates are (row, column) in the *padded* input, whose side is ``padded``; the real
    pixels are rows and columns ``padding … padding + size − 1``. When ``valid`` is False the
    kernel does not fit and ``message`` says why; the output fields are then empty.
    """

    size: int
    kernel_size: int
    stride: int
    padding: int
    dilation: int
    padded: int              # size + 2·padding
    span: int                # pixels a dilated kernel covers: D·(F − 1) + 1
    out_size: int            # 0 when the kernel does not fit
    valid: bool
    message: str
    step: int                # which window, 0 … out_size² − 1 (clamped)
    position: tuple[int, int]   # the output cell (i, j) of this window
    taps: np.ndarray         # (F·F, 2) padded coordinates of the pixels the taps read
    reached: np.ndarray      # (padded, padded) bool: pixels some window reads
    formula: str

    @property
    def n_steps(self) -> int:
        return self.out_size * self.out_size

    @property
    def origin(self) -> tuple[int, int]:
        """Top-left corner of the current window, in padded coordinates."""
        return self.position[0] * self.stride, self.position[1] * self.stride


def _formula(n: int, f: int, s: int, p: int, d: int, out: int | None) -> str:
    result = f" = {out}" if out is not None else " < 1: the kernel does not fit"
    return f"⌊({n} + 2·{p} − {d}·({f} − 1) − 1) / {s}⌋ + 1{result}"


def conv_window_view(size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                     dilation: int = 1, step: int = 0) -> ConvWindowView:
    """Compute the picture for an input of ``size``×``size`` and a square kernel.

    ``step`` numbers the windows in row-major order (the order the output is filled in); it is
    clamped to the last window, so a slider whose range lags behind never breaks the picture.
    """
    n = positive_int(size, "size")
    f = positive_int(kernel_size, "kernel_size")
    s = positive_int(stride, "stride")
    p = positive_int(padding, "padding", minimum=0)
    d = positive_int(dilation, "dilation")
    step = positive_int(step, "step", minimum=0)
    padded, span = n + 2 * p, d * (f - 1) + 1
    try:
        out = conv_output_size(n, f, s, p, d)
    except ValueError:
        return ConvWindowView(n, f, s, p, d, padded, span, 0, False,
                              f"the kernel spans {span} pixels but the padded input has only "
                              f"{padded}: shrink the kernel or the dilation, or pad more.",
                              0, (0, 0), np.zeros((0, 2), dtype=int),
                              np.zeros((padded, padded), dtype=bool),
                              _formula(n, f, s, p, d, None))
    step = min(step, out * out - 1)
    i, j = divmod(step, out)
    offsets = np.arange(f) * d
    rows, cols = np.meshgrid(i * s + offsets, j * s + offsets, indexing="ij")
    taps = np.stack([rows.ravel(), cols.ravel()], axis=1)
    starts = np.arange(out) * s
    hit = np.zeros(padded, dtype=bool)
    hit[(starts[:, None] + offsets[None, :]).ravel()] = True
    reached = hit[:, None] & hit[None, :]
    return ConvWindowView(n, f, s, p, d, padded, span, out, True, "", step, (i, j), taps,
                          reached, _formula(n, f, s, p, d, out))


def _rgba(hex_color: str, alpha: float = 1.0) -> np.ndarray:
    h = hex_color.lstrip("#")
    return np.array([int(h[i:i + 2], 16) for i in (0, 2, 4)] + [round(255 * alpha)], np.uint8)


def _grid_lines(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The lines of an n×n grid of unit cells, as one polyline with NaN breaks."""
    xs, ys = [], []
    for k in range(n + 1):
        xs += [0, n, np.nan, k, k, np.nan]
        ys += [k, k, np.nan, 0, n, np.nan]
    return np.array(xs, dtype=float), np.array(ys, dtype=float)


def conv_window_cells(view: ConvWindowView) -> tuple[np.ndarray, np.ndarray]:
    """RGBA colours (P, P, 4) of the padded input's cells and (out, out, 4) of the output's,
    row 0 at the top: padding grey, the taps orange; output cells done pale blue, the current
    one orange."""
    P, n, pad = view.padded, view.size, view.padding
    cells = np.tile(_rgba("#DDDDDD"), (P, P, 1))
    cells[pad:pad + n, pad:pad + n] = _rgba("#FFFFFF")
    if view.valid:
        cells[view.taps[:, 0], view.taps[:, 1]] = _rgba(CLASS_COLORS[1], 0.85)
    out = view.out_size
    done = np.arange(out * out).reshape(out, out)
    out_cells = np.where((done < view.step)[..., None], _rgba("#CFE3F2"), _rgba("#FFFFFF"))
    out_cells[done == view.step] = _rgba(CLASS_COLORS[1])
    return cells, out_cells.astype(np.uint8)


def conv_window_scene(view: ConvWindowView, width: int = 760, height: int = 420) -> dict:
    """The live figure of a ``ConvWindowView``: the padded input with the window's taps and
    span (× on pixels no window reaches), and the output grid with the current cell."""
    P, out = view.padded, view.out_size
    cells, out_cells = conv_window_cells(view)
    left, right = live.grid_boxes(width, height, ncols=2, ratios=[3, 2], left=16, right=16,
                                  bottom=16, top=64, wspace=40)
    gx, gy = _grid_lines(P)
    in_marks = [live.image(cells, (0, P, 0, P)), live.line(gx, gy, color="#888888", width=0.6)]
    unreached = np.argwhere(~view.reached) if view.valid else np.zeros((0, 2), int)
    if len(unreached):
        in_marks.append(live.scatter(unreached[:, 1] + 0.5, unreached[:, 0] + 0.5, marker="x",
                                     color="#888888", size=9, label="never read"))
    if view.valid:
        top, left_col = view.origin
        in_marks.append(live.rect(left_col, top, view.span, view.span,
                                  edgecolor=CLASS_COLORS[0], width=2.5))
    ox, oy = _grid_lines(out)
    out_marks = [live.image(out_cells, (0, out, 0, out)),
                 live.line(ox, oy, color="#888888", width=0.8)] if out else []
    if view.valid:
        i, j = view.position
        out_title = f"output {out}×{out}: cell ({i}, {j}), step {view.step + 1} of {view.n_steps}"
    else:
        out_title = "no output"
        out_marks.append(live.text(0.5, 0.5, view.message.replace(": ", ":\n"),
                                   coords="axes", size=11))
    n, pad = view.size, view.padding
    in_title = f"input {n}×{n}, padded to {P}×{P}" if pad else f"input {n}×{n}"
    return live.scene(width, height, [
        live.panel(left, in_marks, xlim=(0, max(P, 1)), ylim=(max(P, 1), 0), aspect="equal",
                   frame=False, title=in_title),
        live.panel(right, out_marks, xlim=(0, max(out, 1)), ylim=(max(out, 1), 0),
                   aspect="equal", frame=False, title=out_title)],
        title="output size " + view.formula)


def draw_conv_window(view: ConvWindowView, axes) -> None:
    """Draw a ``ConvWindowView`` on two matplotlib axes (input, output)."""
    from matplotlib.patches import Rectangle

    ax_in, ax_out = axes
    P, n = view.padded, view.size
    pad = view.padding
    for r in range(P):
        for c in range(P):
            real = pad <= r < pad + n and pad <= c < pad + n
            face = "white" if real else "#DDDDDD"
            hatch = "" if view.reached[r, c] or not view.valid else "///"
            ax_in.add_patch(Rectangle((c, r), 1, 1, facecolor=face, edgecolor="#888888",
                                      lw=0.6, hatch=hatch))
    if view.valid:
        for r, c in view.taps:
            ax_in.add_patch(Rectangle((c, r), 1, 1, facecolor=CLASS_COLORS[1], alpha=0.75,
                                      edgecolor="k", lw=1.0))
        top, left = view.origin
        ax_in.add_patch(Rectangle((left, top), view.span, view.span, fill=False,
                                  edgecolor=CLASS_COLORS[0], lw=2.5))
    ax_in.set_xlim(0, max(P, 1))
    ax_in.set_ylim(max(P, 1), 0)
    ax_in.set_aspect("equal")
    ax_in.set_xticks([])
    ax_in.set_yticks([])
    ax_in.set_title(f"input {n}×{n}, padded to {P}×{P}" if pad else f"input {n}×{n}",
                    fontsize=10)

    out = view.out_size
    for r in range(out):
        for c in range(out):
            k = r * out + c
            if k == view.step:
                face = CLASS_COLORS[1]
            elif k < view.step:
                face = "#CFE3F2"
            else:
                face = "white"
            ax_out.add_patch(Rectangle((c, r), 1, 1, facecolor=face, edgecolor="#888888",
                                       lw=0.8))
    ax_out.set_xlim(0, max(out, 1))
    ax_out.set_ylim(max(out, 1), 0)
    ax_out.set_aspect("equal")
    ax_out.set_xticks([])
    ax_out.set_yticks([])
    if view.valid:
        i, j = view.position
        ax_out.set_title(f"output {out}×{out}: cell ({i}, {j}), step {view.step + 1} of "
                         f"{view.n_steps}", fontsize=10)
    else:
        ax_out.set_title("no output", fontsize=10)
        ax_out.text(0.5, 0.5, view.message, ha="center", va="center", wrap=True, fontsize=9,
                    transform=ax_out.transAxes)
    ax_in.figure.suptitle("output size " + view.formula, fontsize=11)


def conv_window_explorer(size: int = 5, kernel_size: int = 3, stride: int = 2,
                         padding: int = 1, dilation: int = 1):
    """The widget: sliders for the five settings and the step, beside the live picture."""
    import ipywidgets as widgets

    def slider(value, low, high, description):
        return widgets.IntSlider(value=value, min=low, max=high, description=description,
                                 continuous_update=True)

    controls = {
        "size": slider(size, 1, 12, "input size"),
        "kernel_size": slider(kernel_size, 1, 6, "kernel"),
        "stride": slider(stride, 1, 4, "stride"),
        "padding": slider(padding, 0, 3, "padding"),
        "dilation": slider(dilation, 1, 3, "dilation"),
    }
    first = conv_window_view(size, kernel_size, stride, padding, dilation)
    controls["step"] = slider(0, 0, max(first.n_steps - 1, 0), "step")

    def follow(_change=None):
        view = conv_window_view(*(controls[k].value for k in
                                  ("size", "kernel_size", "stride", "padding", "dilation")))
        controls["step"].max = max(view.n_steps - 1, 0)

    for key in ("size", "kernel_size", "stride", "padding", "dilation"):
        controls[key].observe(follow, names="value")

    def draw(size, kernel_size, stride, padding, dilation, step):
        return conv_window_scene(conv_window_view(size, kernel_size, stride, padding,
                                                  dilation, step))

    return live.Explorer(controls, draw, layout="left").widget
