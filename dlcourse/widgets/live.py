"""Live figures: the explorers' pictures drawn in the browser, redrawn while a slider moves.

An explorer shows a *scene*: a plain dict that says what to draw (panels with axes and marks:
lines, points, images, bars, ...). A pure function builds the scene from a view (the numbers a
``*_view`` function computed); ``LiveFigure`` (an anywidget) sends it to the browser, where a
small canvas renderer (``live_figure.js``) paints it in one animation frame. Sending a scene
costs a few milliseconds in the kernel, so every slider can update while it is dragged.
``render_png`` draws the same scene with matplotlib: the picture a notebook shows where no
kernel runs (GitHub, nbviewer).

Scene format (every key optional unless marked)::

    {"width": 900, "height": 360,          # CSS pixels (required)
     "title": "above everything",
     "panels": [                           # required
        {"box": [left, top, width, height],  # the plot area, fractions of the figure (required)
         "title", "xlabel", "ylabel": str,
         "xlim", "ylim": [lo, hi],          # required unless "frame" is False
         "xscale", "yscale": "linear" | "log",
         "aspect": "auto" | "equal",
         "xticks", "yticks": [values], "xticklabels", "yticklabels": [str],
         "grid": bool, "frame": bool (False: no axes, e.g. a diagram),
         "legend": None | "upper right" | "upper left" | "lower right" | "lower left" | "below",
         "legend_cols": int (for "below"),
         "marks": [mark, ...]},
     ]}

Marks are built by the functions below (``line``, ``scatter``, ``image``, ``fill``, ``bars``,
``hline``, ``vline``, ``hspan``, ``vspan``, ``text``, ``rect``, ``circle``; ``contour`` makes a
``line``); arrays are NumPy
arrays (sent as float32 or uint8 binary buffers). Colours are CSS hex strings.

Animation (training explorers): ``Animation`` wraps a ``Trainer`` (reset / step / scene) in play,
pause, step and reset buttons; playing runs on the kernel's asyncio loop in frames of at most
``frame_budget`` seconds, so a click on pause is handled between two frames.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import math
import time
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from dlcourse._validate import public_name

JS_PATH = Path(__file__).with_name("live_figure.js")
CSS = """
.dlcourse-live { line-height: 0; }
.dlcourse-live canvas { display: block; }
"""
DEFAULT_MARGINS = {"left": 62, "right": 16, "top": 30, "bottom": 46}
"""Pixels around each panel for tick labels, axis labels and the title."""


# ---------------------------------------------------------------- marks


def _style(kind: str, **style: Any) -> dict:
    return {"kind": kind, **{k: v for k, v in style.items() if v is not None}}


def line(x, y, *, color: str | None = None, width: float | None = None, dash: str | None = None,
         alpha: float | None = None, label: str | None = None, marker: str | None = None,
         markersize: float | None = None, step: str | None = None,
         markerfacecolor: str | None = None, markeredgecolor: str | None = None) -> dict:
    """A polyline through (x, y); NaN breaks it. dash: "dashed", "dotted", "dashdot", or
    "none" (markers only); marker: "o", "s", "^", "v", "D", "*", "x", "+"; step="mid"."""
    return _style("line", x=np.asarray(x, dtype=float), y=np.asarray(y, dtype=float),
                  color=color, width=width, dash=dash, alpha=alpha, label=label, marker=marker,
                  markersize=markersize, step=step, markerfacecolor=markerfacecolor,
                  markeredgecolor=markeredgecolor)


def scatter(x, y, *, color: str | None = None, colors: Sequence[str] | None = None,
            size: float | None = None, sizes=None, marker: str | None = None,
            edgecolor: str | None = None, edgewidth: float | None = None,
            fill: bool | None = None, alpha: float | None = None,
            label: str | None = None) -> dict:
    """Points; ``size`` is the marker's width in pixels (``sizes`` one per point), ``colors``
    one CSS colour per point; fill=False draws rings."""
    return _style("scatter", x=np.asarray(x, dtype=float), y=np.asarray(y, dtype=float),
                  color=color, colors=None if colors is None else list(colors), size=size,
                  sizes=None if sizes is None else np.asarray(sizes, dtype=float),
                  marker=marker, edgecolor=edgecolor, edgewidth=edgewidth, fill=fill,
                  alpha=alpha, label=label)


@lru_cache(maxsize=64)
def colormap_lut(cmap: str | tuple[str, ...]) -> np.ndarray:
    """(256, 3) uint8 colours of a matplotlib colormap name, or of a tuple of colours blended
    evenly from the first (value 0) to the last (value 1)."""
    import matplotlib
    from matplotlib.colors import LinearSegmentedColormap

    cm = (matplotlib.colormaps[cmap] if isinstance(cmap, str)
          else LinearSegmentedColormap.from_list("blend", list(cmap)))
    lut = (cm(np.linspace(0, 1, 256))[:, :3] * 255).round().astype(np.uint8)
    lut.flags.writeable = False
    return lut


def image(values, extent: Sequence[float], *, cmap: str | tuple[str, ...] = "viridis",
          vmin: float | None = None, vmax: float | None = None, alpha: float | None = None,
          smooth: bool = False, label: str | None = None) -> dict:
    """A (h, w) array as a coloured image over ``extent`` = (x0, x1, y0, y1); row 0 is at y0
    (the bottom), like ``imshow(..., origin="lower")``. Values are scaled from [vmin, vmax]
    (default: their range) onto the colormap; NaN gets the lowest colour. An (h, w, 4) uint8
    array is taken as RGBA."""
    a = np.asarray(values)
    if a.ndim == 3 and a.shape[2] == 4:
        return _style("image", rgba=np.ascontiguousarray(a, dtype=np.uint8),
                      shape=[int(a.shape[0]), int(a.shape[1])],
                      extent=[float(e) for e in extent], alpha=alpha, smooth=smooth,
                      label=label)
    if a.ndim != 2:
        raise ValueError(f"{public_name()}: values must be (h, w) or (h, w, 4); got shape "
                         f"{a.shape}.")
    if a.dtype == np.uint8 and vmin is None and vmax is None:
        codes = a
    else:
        a = a.astype(float)
        finite = a[np.isfinite(a)]
        lo = float(vmin) if vmin is not None else (float(finite.min()) if finite.size else 0.0)
        hi = float(vmax) if vmax is not None else (float(finite.max()) if finite.size else 1.0)
        scaled = (a - lo) / (hi - lo) if hi > lo else np.zeros_like(a)
        codes = np.nan_to_num(np.clip(scaled, 0, 1) * 255, nan=0.0).round().astype(np.uint8)
    lut = colormap_lut(cmap)
    top = "#{:02x}{:02x}{:02x}".format(*(int(c) for c in lut[-1]))  # the legend's swatch
    return _style("image", values=np.ascontiguousarray(codes), lut=lut, color=top,
                  shape=[int(a.shape[0]), int(a.shape[1])], extent=[float(e) for e in extent],
                  alpha=alpha, smooth=smooth, label=label)


def fill(x, y1, y2=0.0, *, color: str | None = None, alpha: float | None = None,
         step: str | None = None, label: str | None = None) -> dict:
    """The area between y1 and y2 (arrays or numbers) over x; step="mid" for histograms."""
    def arr(v):
        return float(v) if np.isscalar(v) else np.asarray(v, dtype=float)
    return _style("fill", x=np.asarray(x, dtype=float), y1=arr(y1), y2=arr(y2), color=color,
                  alpha=alpha, step=step, label=label)


def bars(x, height, *, width: float = 0.8, bottom=0.0, color: str | None = None,
         colors: Sequence[str] | None = None, edgecolor: str | None = None,
         alpha: float | None = None, label: str | None = None) -> dict:
    """Vertical bars centred at x."""
    return _style("bars", x=np.asarray(x, dtype=float), height=np.asarray(height, dtype=float),
                  width=float(width),
                  bottom=float(bottom) if np.isscalar(bottom) else np.asarray(bottom, float),
                  color=color, colors=None if colors is None else list(colors),
                  edgecolor=edgecolor, alpha=alpha, label=label)


def hline(y: float, *, color: str | None = None, width: float | None = None,
          dash: str | None = None, alpha: float | None = None, label: str | None = None) -> dict:
    return _style("hline", y=float(y), color=color, width=width, dash=dash, alpha=alpha,
                  label=label)


def vline(x: float, *, color: str | None = None, width: float | None = None,
          dash: str | None = None, alpha: float | None = None, label: str | None = None) -> dict:
    return _style("vline", x=float(x), color=color, width=width, dash=dash, alpha=alpha,
                  label=label)


def hspan(lo: float, hi: float, *, color: str | None = None, alpha: float | None = None,
          label: str | None = None) -> dict:
    return _style("hspan", lo=float(lo), hi=float(hi), color=color, alpha=alpha, label=label)


def vspan(lo: float, hi: float, *, color: str | None = None, alpha: float | None = None,
          label: str | None = None) -> dict:
    return _style("vspan", lo=float(lo), hi=float(hi), color=color, alpha=alpha, label=label)


def text(x: float, y: float, s: str, *, color: str | None = None, size: float | None = None,
         ha: str | None = None, va: str | None = None, coords: str | None = None,
         bbox: str | None = None, weight: str | None = None, clip: bool | None = None) -> dict:
    """Text at (x, y): data coordinates, or coords="axes" for fractions of the panel; ha
    left/center/right, va top/middle/bottom; bbox: a background colour; clip=False lets it
    leave the panel."""
    return _style("text", x=float(x), y=float(y), text=str(s), color=color, size=size, ha=ha,
                  va=va, coords=coords, bbox=bbox, weight=weight, clip=clip)


def rect(x: float, y: float, w: float, h: float, *, edgecolor: str | None = None,
         facecolor: str | None = None, width: float | None = None, dash: str | None = None,
         alpha: float | None = None, label: str | None = None) -> dict:
    """A rectangle with lower-left corner (x, y), in data coordinates."""
    return _style("rect", x=float(x), y=float(y), w=float(w), h=float(h), edgecolor=edgecolor,
                  facecolor=facecolor, width=width, dash=dash, alpha=alpha, label=label)


def circle(x: float, y: float, r: float, *, edgecolor: str | None = None,
           facecolor: str | None = None, width: float | None = None, dash: str | None = None,
           alpha: float | None = None, label: str | None = None) -> dict:
    """A circle of radius r (data units) around (x, y)."""
    return _style("circle", x=float(x), y=float(y), r=float(r), edgecolor=edgecolor,
                  facecolor=facecolor, width=width, dash=dash, alpha=alpha, label=label)


def contour(xs, ys, values, level: float, *, color: str | None = None,
            width: float | None = None, dash: str | None = None,
            label: str | None = None) -> dict:
    """The line where ``values`` (len(ys), len(xs)) crosses ``level`` (marching squares,
    ``contourpy``), as one ``line`` mark with NaN between its pieces."""
    import contourpy

    lines = contourpy.contour_generator(np.asarray(xs, float), np.asarray(ys, float),
                                        np.asarray(values, float),
                                        line_type="Separate").lines(float(level))
    x = [v for piece in lines for v in (*piece[:, 0], np.nan)]
    y = [v for piece in lines for v in (*piece[:, 1], np.nan)]
    return line(x, y, color=color, width=width, dash=dash, label=label)


def panel(box: Sequence[float], marks: Sequence[dict], **axes: Any) -> dict:
    """A plot area: ``box`` = (left, top, width, height) as fractions of the figure, its marks,
    and the axis settings of the scene format (xlim, ylim, title, xlabel, ...)."""
    spec = {"box": [float(b) for b in box], "marks": list(marks)}
    for key, value in axes.items():
        if value is None:
            continue
        if key in ("xlim", "ylim"):
            value = [float(value[0]), float(value[1])]
        elif key in ("xticks", "yticks"):
            value = [float(v) for v in value]
        spec[key] = value
    return spec


def grid_boxes(width: int, height: int, ncols: int = 1, nrows: int = 1, *,
               ratios: Sequence[float] | None = None, left: float = DEFAULT_MARGINS["left"],
               right: float = DEFAULT_MARGINS["right"], top: float = DEFAULT_MARGINS["top"],
               bottom: float = DEFAULT_MARGINS["bottom"], wspace: float | None = None,
               hspace: float | None = None) -> list[list[float]]:
    """Boxes (fractions of the figure) for ``nrows`` × ``ncols`` panels, row by row, with
    ``left``/``right``/``top``/``bottom`` pixels of margin around each panel (``wspace``,
    ``hspace``: pixels between panels, default the margins); ``ratios``: relative widths."""
    ratios = list(ratios or [1.0] * ncols)
    if len(ratios) != ncols:
        raise ValueError(f"{public_name()}: give one ratio per column ({ncols}); got {ratios}.")
    wspace = left + right if wspace is None else wspace
    hspace = top + bottom if hspace is None else hspace
    usable_w = width - left - right - wspace * (ncols - 1)
    usable_h = height - top - bottom - hspace * (nrows - 1)
    if usable_w <= 0 or usable_h <= 0:
        raise ValueError(f"{public_name()}: {width}×{height} px is too small for {nrows}×{ncols} "
                         "panels with these margins.")
    widths = [usable_w * r / sum(ratios) for r in ratios]
    cell_h = usable_h / nrows
    boxes = []
    for row in range(nrows):
        x = left
        for col in range(ncols):
            y = top + row * (cell_h + hspace)
            boxes.append([x / width, y / height, widths[col] / width, cell_h / height])
            x += widths[col] + wspace
    return boxes


def scene(width: int, height: int, panels: Sequence[dict], title: str | None = None) -> dict:
    """A whole picture: its size in CSS pixels and its panels."""
    out = {"width": int(width), "height": int(height), "panels": list(panels)}
    if title:
        out["title"] = title
    return out


def padded(lo: float, hi: float, pad: float = 0.08, *, log: bool = False) -> tuple[float, float]:
    """Limits around [lo, hi] with a margin of ``pad`` of the span (a factor on a log axis);
    a degenerate or non-finite range gets a sensible default."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return (1e-3, 1.0) if log else (0.0, 1.0)
    if log:
        lo, hi = max(lo, 1e-300), max(hi, 1e-300)
        if hi <= lo:
            return lo / 10, lo * 10
        span = math.log10(hi) - math.log10(lo)
        f = 10 ** (pad * span)
        return lo / f, hi * f
    if hi <= lo:
        half = max(abs(lo) * 0.1, 0.5)
        return lo - half, hi + half
    span = hi - lo
    return lo - pad * span, hi + pad * span


# ---------------------------------------------------------------- wire format


def to_wire(value: Any) -> Any:
    """The scene as the widget sends it: NumPy arrays become {dtype, shape, buffer} with a
    binary buffer (float32, or uint8 for uint8/bool), NumPy scalars plain numbers."""
    if isinstance(value, np.ndarray):
        dtype = np.uint8 if value.dtype in (np.uint8, np.bool_) else np.float32
        data = np.ascontiguousarray(value, dtype=dtype)
        return {"dtype": np.dtype(dtype).name, "shape": list(data.shape),
                "buffer": memoryview(data.tobytes())}
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def validate_scene(spec: dict) -> None:
    """Raise ValueError if ``spec`` does not follow the scene format (used by the tests)."""
    kinds = {"line", "scatter", "image", "fill", "bars", "hline", "vline", "hspan", "vspan",
             "text", "rect", "circle"}
    if not isinstance(spec.get("width"), int) or not isinstance(spec.get("height"), int):
        raise ValueError("scene: width and height must be integers (CSS pixels).")
    for i, p in enumerate(spec.get("panels", [])):
        box = p.get("box")
        if box is None or len(box) != 4 or not all(-0.01 <= b <= 1.01 for b in box):
            raise ValueError(f"scene: panel {i} needs a box of 4 fractions; got {box}.")
        if p.get("frame", True):
            for key in ("xlim", "ylim"):
                lim = p.get(key)
                if lim is None or not all(math.isfinite(v) for v in lim) or lim[0] == lim[1]:
                    raise ValueError(f"scene: panel {i} needs finite, distinct {key}; "
                                     f"got {lim}.")
                scale = p.get(key[0] + "scale", "linear")
                if scale == "log" and min(lim) <= 0:
                    raise ValueError(f"scene: panel {i} has a log {key[0]} axis with limits "
                                     f"{lim}; they must be positive.")
        for m in p.get("marks", []):
            if m.get("kind") not in kinds:
                raise ValueError(f"scene: panel {i} has a mark of unknown kind "
                                 f"{m.get('kind')!r}.")


# ---------------------------------------------------------------- the static picture


_DASHES = {None: "-", "solid": "-", "dashed": "--", "dotted": ":", "dashdot": "-.",
           "none": "none"}
_LEGEND_LOC = {"upper right": "upper right", "upper left": "upper left",
               "lower right": "lower right", "lower left": "lower left"}


def _draw_mark(ax, m: dict) -> None:
    kind, label = m["kind"], m.get("label")
    alpha = m.get("alpha")
    if kind == "line":
        ls = _DASHES[m.get("dash")]
        ax.plot(m["x"], m["y"], color=m.get("color", "#0072B2"), lw=m.get("width", 1.5),
                ls=ls, marker=m.get("marker") or "", ms=m.get("markersize", 4) * 0.75,
                mfc=m.get("markerfacecolor", m.get("color", "#0072B2")),
                mec=m.get("markeredgecolor", m.get("markerfacecolor",
                                                   m.get("color", "#0072B2"))),
                alpha=alpha, label=label, drawstyle="steps-mid" if m.get("step") else "default")
    elif kind == "scatter":
        size = m.get("sizes", m.get("size", 6))
        marker = m.get("marker", "o")
        open_ = m.get("fill") is False
        colors = m.get("colors") or m.get("color", "#0072B2")
        line_marker = marker in ("x", "+")
        edges = ((m.get("edgecolor") or colors) if open_ or m.get("edgecolor")
                 else "none")
        ax.scatter(m["x"], m["y"], s=(np.asarray(size) * 0.75) ** 2,
                   c="none" if open_ and not line_marker else colors,
                   edgecolors=None if line_marker else edges,
                   linewidths=m.get("edgewidth", 1.5 if open_ else 0.6), marker=marker,
                   alpha=alpha, label=label, zorder=3)
    elif kind == "image":
        x0, x1, y0, y1 = m["extent"]
        if "rgba" in m:
            pixels = np.asarray(m["rgba"], dtype=np.uint8)
        else:
            pixels = np.asarray(m["lut"])[np.asarray(m["values"], dtype=np.uint8)]
        ax.imshow(pixels, extent=(x0, x1, y0, y1), origin="lower", aspect="auto",
                  interpolation="bilinear" if m.get("smooth") else "nearest",
                  alpha=alpha if alpha is not None else 1.0, zorder=0)
    elif kind == "fill":
        ax.fill_between(m["x"], m["y1"], m["y2"], color=m.get("color", "#0072B2"),
                        alpha=alpha if alpha is not None else 0.3, lw=0,
                        step="mid" if m.get("step") else None, label=label)
    elif kind == "bars":
        ax.bar(m["x"], m["height"], width=m.get("width", 0.8), bottom=m.get("bottom", 0.0),
               color=m.get("colors") or m.get("color", "#0072B2"),
               edgecolor=m.get("edgecolor"), alpha=alpha, label=label)
    elif kind in ("hline", "vline"):
        draw = ax.axhline if kind == "hline" else ax.axvline
        draw(m["y"] if kind == "hline" else m["x"], color=m.get("color", "#000"),
             lw=m.get("width", 1.0), ls=_DASHES[m.get("dash")], alpha=alpha, label=label)
    elif kind in ("hspan", "vspan"):
        draw = ax.axhspan if kind == "hspan" else ax.axvspan
        draw(m["lo"], m["hi"], color=m.get("color", "#D55E00"),
             alpha=alpha if alpha is not None else 0.15, lw=0, label=label)
    elif kind == "text":
        extra = {"transform": ax.transAxes} if m.get("coords") == "axes" else {}
        bbox = ({"boxstyle": "square,pad=0.25", "fc": m["bbox"], "ec": "#666", "lw": 0.8}
                if m.get("bbox") else None)
        ax.text(m["x"], m["y"], m["text"], color=m.get("color", "#000"),
                fontsize=m.get("size", 11) * 0.72, ha=m.get("ha", "center"),
                va={"middle": "center"}.get(m.get("va", "middle"), m.get("va")),
                fontweight=m.get("weight", "normal"), bbox=bbox,
                clip_on=m.get("clip", True), **extra)
    elif kind in ("rect", "circle"):
        from matplotlib.patches import Circle, Rectangle

        style = {"fill": m.get("facecolor") is not None, "fc": m.get("facecolor", "none"),
                 "ec": m.get("edgecolor", "none"), "lw": m.get("width", 1.0),
                 "ls": _DASHES[m.get("dash")], "alpha": alpha, "label": label}
        ax.add_patch(Rectangle((m["x"], m["y"]), m["w"], m["h"], **style) if kind == "rect"
                     else Circle((m["x"], m["y"]), m["r"], **style))


def render_png(spec: dict, dpi: float = 100.0) -> bytes:
    """The scene drawn with matplotlib (Agg), as PNG bytes of width × height pixels at
    ``dpi`` = 100: the static picture of an explorer for notebooks viewed without a kernel."""
    from matplotlib.figure import Figure

    width, height = spec["width"], spec["height"]
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    for p in spec.get("panels", []):
        left, top, w, h = p["box"]
        ax = fig.add_axes((left, 1 - top - h, w, h))
        ax.tick_params(labelsize=7.5, length=3)
        for m in p.get("marks", []):
            _draw_mark(ax, m)
        if not p.get("frame", True):
            ax.axis("off")
        if "xlim" in p:
            ax.set_xscale(p.get("xscale", "linear"))
            ax.set_xlim(*p["xlim"])
        if "ylim" in p:
            ax.set_yscale(p.get("yscale", "linear"))
            ax.set_ylim(*p["ylim"])
        if p.get("aspect") == "equal":
            ax.set_aspect("equal", adjustable="box", anchor="C")
        if "xticks" in p:
            ax.set_xticks(p["xticks"], p.get("xticklabels"))
        if "yticks" in p:
            ax.set_yticks(p["yticks"], p.get("yticklabels"))
        for axis, key in ((ax.xaxis, "xscale"), (ax.yaxis, "yscale")):
            if p.get(key) == "log":
                from matplotlib.ticker import NullFormatter

                axis.set_minor_formatter(NullFormatter())
        if p.get("grid"):
            ax.grid(True, alpha=0.3)
        ax.set_title(p.get("title", ""), fontsize=8.5)
        ax.set_xlabel(p.get("xlabel", ""), fontsize=8)
        ax.set_ylabel(p.get("ylabel", ""), fontsize=8)
        legend = p.get("legend")
        if legend and any(m.get("label") for m in p.get("marks", [])):
            if legend == "below":
                ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16),
                          ncol=p.get("legend_cols", 2), fontsize=7, frameon=False,
                          markerscale=0.6)
            else:
                ax.legend(loc=_LEGEND_LOC.get(legend, "best"), fontsize=7, framealpha=0.85,
                          markerscale=0.6)
    if spec.get("title"):
        fig.suptitle(spec["title"], fontsize=9.5, y=1 - 4 / height, va="top")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


# ---------------------------------------------------------------- the widgets


def _live_figure_class():
    import anywidget
    import traitlets

    class LiveFigure(anywidget.AnyWidget):
        """A canvas in the browser that paints a scene; ``show(scene)`` replaces it."""

        _esm = JS_PATH
        _css = CSS
        scene = traitlets.Dict().tag(sync=True)

        def __init__(self, initial: dict | None = None, **kwargs):
            super().__init__(**kwargs)
            self.current: dict = {}
            if initial is not None:
                self.show(initial)

        def show(self, spec: dict) -> None:
            """Paint ``spec`` (a scene): the kernel's whole share of a redraw. Every call sends
            (a counter makes each scene differ from the last, so an equal picture is repainted
            too)."""
            self.current = spec
            self.version = getattr(self, "version", 0) + 1
            self.scene = {**to_wire(spec), "version": self.version}

        def png(self) -> bytes:
            """The current scene drawn with matplotlib (``render_png``)."""
            return render_png(self.current)

    return LiveFigure


@lru_cache(maxsize=1)
def live_figure_class():
    """The ``LiveFigure`` widget class (built on first use: anywidget is imported lazily)."""
    return _live_figure_class()


def LiveFigure(initial: dict | None = None, **kwargs):  # noqa: N802 - a class factory
    """A new ``LiveFigure`` widget, showing ``initial`` (a scene) if given."""
    return live_figure_class()(initial, **kwargs)


def serialized_size(figure) -> int:
    """Bytes the figure's state takes on the wire (JSON plus binary buffers): what one redraw
    sends. Also does the work of serializing, for timing it."""
    import json

    from ipywidgets.widgets.widget import _remove_buffers

    state, _, buffers = _remove_buffers(figure.get_state(key="scene"))
    return len(json.dumps(state)) + sum(len(b) for b in buffers)


STATIC_NOTE = ("(A live explorer: run the notebook in JupyterLab to move its controls; "
               "the picture shows its starting state.)")


def _explorer_box_class():
    import ipywidgets as widgets

    class ExplorerBox(widgets.VBox):
        """The explorer's outermost widget. Displayed, it also carries a PNG of its current
        picture, which notebook viewers without widgets (GitHub, nbviewer) show instead."""

        figure = None
        explorer = None
        animation = None

        def _repr_mimebundle_(self, **kwargs):
            bundle = super()._repr_mimebundle_(**kwargs)
            bundle["text/plain"] = STATIC_NOTE
            if self.figure is not None and self.figure.current:
                png = self.figure.png()
                bundle["image/png"] = base64.b64encode(png).decode("ascii")
            return bundle

    return ExplorerBox


@lru_cache(maxsize=1)
def explorer_box_class():
    return _explorer_box_class()


def _make_continuous(control) -> None:
    if hasattr(control, "continuous_update"):
        control.continuous_update = True


class Explorer:
    """Controls → a pure scene function → a ``LiveFigure``; the pattern of every explorer.

    ``controls``: name → ipywidgets control; ``draw(**values)`` returns the scene for the
    controls' values (by name). Every slider updates while it is dragged
    (``continuous_update=True`` is set here); each change recomputes the scene and sends it,
    and its kernel-side time is appended to ``timings`` (seconds). A ``ValueError`` from
    ``draw`` is shown under the figure instead of a picture. ``widget`` is what a notebook
    displays (``Explorer`` displays as it, too); ``layout``: "top" (controls above the figure)
    or "left"; ``extra``: more widgets beside the controls; ``footer``: widgets under the
    figure; ``figure``: a ``LiveFigure`` to draw on (default: a new one, or the animation's);
    ``animation``: a training explorer's ``Animation``, whose buttons go under the figure
    (``widget.animation`` then holds it).
    """

    def __init__(self, controls: Mapping[str, Any], draw: Callable[..., dict], *,
                 layout: str = "top", extra: Sequence[Any] = (), footer: Sequence[Any] = (),
                 figure: Any = None, animation: Animation | None = None):
        import ipywidgets as widgets

        if layout not in ("top", "left"):
            raise ValueError(f"{public_name()}: layout must be 'top' or 'left'; got {layout!r}.")
        self.controls = dict(controls)
        self.draw_scene = draw
        self.timings: list[float] = []
        self.message = widgets.HTML("")
        for control in self.controls.values():
            _make_continuous(control)
        if figure is None:
            figure = animation.figure if animation is not None else LiveFigure()
        self.figure = figure
        self.animation = animation
        if animation is not None:
            footer = [animation.bar, *footer]
        self.refresh()
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        boxed = [*self.controls.values(), *extra]
        if layout == "top":
            children = [widgets.HBox(boxed, layout=widgets.Layout(flex_flow="row wrap")),
                        self.figure, self.message, *footer]
        else:
            children = [widgets.HBox([widgets.VBox(boxed),
                                      widgets.VBox([self.figure, self.message, *footer])])]
        self.widget = explorer_box_class()(children)
        self.widget.figure = self.figure
        self.widget.explorer = self
        self.widget.animation = animation

    def values(self) -> dict[str, Any]:
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self) -> None:
        """Recompute the scene for the current values and send it."""
        start = time.perf_counter()
        try:
            spec = self.draw_scene(**self.values())
        except ValueError as err:
            self.message.value = f"<span style='color:#B00'>{err}</span>"
        else:
            self.message.value = ""
            self.figure.show(spec)
        self.timings.append(time.perf_counter() - start)

    def _changed(self, _change) -> None:
        self.refresh()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


_PRECOMPUTATIONS: list[Precompute] = []


def wait_for_precomputations(timeout: float = 60.0) -> bool:
    """Wait until every ``Precompute`` started so far has finished (the benchmark measures
    the explorers as a student meets them: their background caches filled). Returns False if
    some did not finish within ``timeout`` seconds."""
    deadline = time.perf_counter() + timeout
    for job in list(_PRECOMPUTATIONS):
        if not job._done.wait(max(0.0, deadline - time.perf_counter())):
            return False
    return True


class Precompute:
    """Run ``func(*args)`` once in a background (daemon) thread; ``result()`` waits for it.

    For caches that a control will need but that take too long to fill while a slider moves
    (every learning rate of a slider, every scheme of a picker): start them when the explorer
    is built, and the first change finds them ready."""

    def __init__(self, func: Callable[..., Any], *args: Any):
        import threading

        self._value: Any = None
        self._error: BaseException | None = None
        self._done = threading.Event()

        def work():
            try:
                self._value = func(*args)
            except BaseException as err:  # re-raised in result()
                self._error = err
            finally:
                self._done.set()

        _PRECOMPUTATIONS.append(self)
        threading.Thread(target=work, daemon=True, name=f"precompute {func.__name__}").start()

    @property
    def ready(self) -> bool:
        return self._done.is_set()

    def result(self, timeout: float | None = None) -> Any:
        if not self._done.wait(timeout):
            raise TimeoutError("the precomputation has not finished")
        if self._error is not None:
            raise self._error
        return self._value


# ---------------------------------------------------------------- animation


class Trainer(Protocol):
    """What ``Animation`` drives: a training run that can be reset, advanced and drawn."""

    def reset(self) -> None:
        """Start again from fresh weights (step 0)."""

    def step(self, n: int) -> None:
        """Advance the training by ``n`` units (epochs, steps)."""

    def scene(self) -> dict:
        """The current picture."""

    @property
    def position(self) -> int:
        """Units trained so far."""

    @property
    def done(self) -> bool:
        """True when the run has reached its end (playing stops there)."""


class Animation:
    """Play / pause / step / reset around a ``Trainer``, drawn on a ``LiveFigure``.

    Playing runs on the kernel's asyncio loop: each frame trains for at most ``frame_budget``
    seconds (the number of units per frame adapts to it, from 1 to ``max_per_frame``), sends the
    new picture, then yields to the loop for at least a millisecond, so that comm messages (a
    click on pause, a slider) are handled between frames: a pause takes effect within one
    frame. ``frame_interval`` spaces the frames (seconds from the start of one to the next).
    ``frames`` counts the pictures sent while playing; ``frame_times`` their start times.
    Outside a running event loop (a plain script, the tests) ``play`` runs synchronously until
    the trainer is done or ``max_sync_frames`` frames have been drawn.
    """

    def __init__(self, trainer: Trainer, figure, *, frame_budget: float = 0.07,
                 frame_interval: float = 0.1, max_per_frame: int = 1000,
                 unit: str = "epoch", max_sync_frames: int = 50):
        import ipywidgets as widgets

        self.trainer = trainer
        self.figure = figure
        self.frame_budget = frame_budget
        self.frame_interval = frame_interval
        self.max_per_frame = max_per_frame
        self.unit = unit
        self.max_sync_frames = max_sync_frames
        self.per_frame = 1
        self.frames = 0
        self.frame_times: list[float] = []
        self.playing = False
        self._task: asyncio.Task | None = None
        self.play_button = widgets.Button(description="play", icon="play",
                                          button_style="success", tooltip="train, animated",
                                          layout=widgets.Layout(width="90px"))
        self.step_button = widgets.Button(description="step", icon="step-forward",
                                          tooltip=f"train one {unit}",
                                          layout=widgets.Layout(width="80px"))
        self.reset_button = widgets.Button(description="reset", icon="undo",
                                           tooltip="start again from fresh weights",
                                           layout=widgets.Layout(width="80px"))
        self.counter = widgets.HTML(self.count_text())
        self.play_button.on_click(lambda _: self.pause() if self.playing else self.play())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.bar = widgets.HBox([self.play_button, self.step_button, self.reset_button,
                                 self.counter])

    def count_text(self) -> str:
        return (f"<span style='font-family:monospace'>{self.unit} "
                f"{self.trainer.position:,}</span>")

    def draw(self) -> None:
        self.figure.show(self.trainer.scene())
        self.counter.value = self.count_text()

    def _set_playing(self, playing: bool) -> None:
        self.playing = playing
        self.play_button.description = "pause" if playing else "play"
        self.play_button.icon = "pause" if playing else "play"
        self.play_button.button_style = "warning" if playing else "success"

    def frame(self) -> None:
        """Train one frame's worth (adapting the units per frame) and draw it."""
        start = time.perf_counter()
        self.frame_times.append(start)
        self.trainer.step(self.per_frame)
        spent = time.perf_counter() - start
        per_unit = spent / self.per_frame
        target = int(self.frame_budget / per_unit) if per_unit > 0 else self.max_per_frame
        self.per_frame = max(1, min(self.max_per_frame, target, 2 * self.per_frame))
        self.draw()
        self.frames += 1

    def play(self) -> None:
        """Start training, animated; a second call while playing does nothing. A run that
        has reached its end starts again from fresh weights."""
        if self.playing:
            return
        if self.trainer.done:
            self.trainer.reset()
        self._set_playing(True)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:
            try:
                for _ in range(self.max_sync_frames):
                    if not self.playing or self.trainer.done:
                        break
                    self.frame()
            finally:
                self._set_playing(False)
            return
        self._task = loop.create_task(self._run())

    async def _run(self) -> None:
        try:
            while self.playing and not self.trainer.done:
                start = time.perf_counter()
                self.frame()
                rest = self.frame_interval - (time.perf_counter() - start)
                await asyncio.sleep(max(0.001, rest))
        finally:
            self._set_playing(False)

    def pause(self) -> None:
        """Stop after the frame in progress (if any)."""
        self._set_playing(False)

    def step(self) -> None:
        """Pause, then train one unit and draw it."""
        self.pause()
        self.trainer.step(1)
        self.draw()

    def reset(self) -> None:
        """Pause, then start again from fresh weights."""
        self.pause()
        self.trainer.reset()
        self.draw()

    async def wait(self) -> None:
        """Wait until the playing task (if any) has stopped."""
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
