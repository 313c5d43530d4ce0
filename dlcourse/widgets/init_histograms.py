"""Chapter 08's explorer: how an initialization scheme shapes the activations of a deep net.

Pickers for the scheme and the activation, a slider for the depth. Random data goes through a
stack of dense layers (256 units each, no biases) initialized with the scheme; the left plot
stacks the histogram of every layer's activations, first layer at the bottom, the right plot
follows their standard deviation layer by layer (log scale), so a signal that dies out
(vanishing) or blows up (exploding) is plain to see.

``init_histograms_view`` computes everything that is drawn (the same numbers as
``dlcourse.init.activation_stats``, kept per scheme and activation and extended layer by layer,
so the depth slider only ever computes layers it has not seen); ``init_histograms_scene`` is the
live figure; ``draw_init_histograms`` draws it with matplotlib.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dlcourse._validate import one_of, positive_int
from dlcourse.init import _ACTIVATIONS, _INITS, ActivationStats
from dlcourse.widgets import live

SCHEMES = ("zeros", "small_random", "randn_sqrt_n", "xavier_uniform", "xavier_normal",
           "he_normal", "he_uniform")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
SCHEME_LABELS = {"zeros": "zeros", "small_random": "0.01·N(0, 1)",
                 "randn_sqrt_n": "N(0, 1)/√n", "xavier_uniform": "Xavier uniform",
                 "xavier_normal": "Xavier normal", "he_normal": "He normal",
                 "he_uniform": "He uniform"}
STD_FLOOR = 1e-12  # standard deviations below this are drawn at the floor of the log axis


@dataclass(frozen=True)
class InitHistogramsView:
    """Everything the explorer draws for one setting of its controls."""

    scheme: str
    activation: str
    densities: np.ndarray   # (depth, bins) each layer's histogram scaled to a peak of 1
    edges: np.ndarray       # (bins + 1,) common bin edges
    means: np.ndarray       # (depth,) mean activation per layer
    stds: np.ndarray        # (depth,) standard deviation per layer

    @property
    def depth(self) -> int:
        return len(self.stds)

    @property
    def verdict(self) -> str:
        """A one-word diagnosis from the last layer's spread relative to the first's."""
        first, last = self.stds[0], self.stds[-1]
        if first < STD_FLOOR:
            return "no spread at all: every unit the same"
        if last < 1e-3 * first or last < 1e-6:
            return "vanishing"
        if last > 10 * first:
            return "exploding"
        return "stable" if last > 0.1 * first else "shrinking"

    @property
    def title(self) -> str:
        return (f"{SCHEME_LABELS[self.scheme]}, {self.activation}, {self.depth} layers: "
                f"std {self.stds[0]:.2g} → {self.stds[-1]:.2g} ({self.verdict})")


class _GrowingStats:
    """``activation_stats`` of one net, computed for as many layers as asked so far.

    Layer l of a deeper net is layer l of a shallower one (the draws come in the same order:
    x, then W_1, W_2, ...), so asking for more layers only computes the new ones."""

    def __init__(self, scheme: str, activation: str, width: int, n: int, seed: int, bins: int):
        self.init = _INITS[scheme]
        self.f, (self.lo, self.hi) = _ACTIVATIONS[activation]
        self.width, self.bins = width, bins
        self.rng = np.random.default_rng(seed)
        self.a = self.rng.standard_normal((n, width))
        self.edges = np.linspace(self.lo, self.hi, bins + 1)
        self.means: list[float] = []
        self.stds: list[float] = []
        self.counts: list[np.ndarray] = []
        self.lock = threading.Lock()

    def stats(self, depth: int) -> ActivationStats:
        with self.lock:
            while len(self.means) < depth:
                W = np.asarray(self.init((self.width, self.width), self.rng), dtype=np.float64)
                self.a = self.f(self.a @ W)
                self.means.append(self.a.mean())
                self.stds.append(self.a.std())
                idx = np.clip((self.a.ravel() - self.lo) * (self.bins / (self.hi - self.lo)),
                              0, self.bins - 1).astype(np.int64)
                self.counts.append(np.bincount(idx, minlength=self.bins))
            return ActivationStats(np.array(self.means[:depth]), np.array(self.stds[:depth]),
                                   np.array(self.counts[:depth]), self.edges.copy())


@lru_cache(maxsize=64)
def _growing(scheme: str, activation: str, width: int, n: int, seed: int,
             bins: int) -> _GrowingStats:
    return _GrowingStats(scheme, activation, width, n, seed, bins)


MAX_DEPTH = 20
"""The depth slider's maximum."""


def _fill_every_cache(width: int = 256, n: int = 256, seed: int = 0, bins: int = 40) -> None:
    for activation in ACTIVATIONS:
        for scheme in SCHEMES:
            _growing(scheme, activation, width, n, seed, bins).stats(MAX_DEPTH)


def init_histograms_view(scheme: str, activation: str, depth: int = 10, *, width: int = 256,
                         n: int = 256, bins: int = 40, seed: int = 0) -> InitHistogramsView:
    """Per-layer activation histograms and statistics of a ``depth``-layer net at initialization.

    ``scheme``: one of ``SCHEMES``; ``activation``: tanh, relu, sigmoid or linear; ``width``
    units per layer; ``n`` random inputs ~ N(0, 1); see ``dlcourse.init.activation_stats`` for
    the net, the order of the draws and the histogram ranges. Each histogram is divided by its
    largest count so that every layer's shape is visible, however concentrated (for ReLU, by
    the largest count outside the bin at 0, which holds the half of the outputs that ReLU
    zeroes; that bar is clipped at 1).
    """
    scheme = one_of(scheme, SCHEMES, "scheme")
    activation = one_of(activation, ACTIVATIONS, "activation")
    depth = positive_int(depth, "depth")
    width = positive_int(width, "width")
    n = positive_int(n, "n")
    bins = positive_int(bins, "bins")
    stats = _growing(scheme, activation, width, n, seed, bins).stats(depth)
    counts = stats.counts.astype(np.float64)
    peak = counts.max(axis=1, keepdims=True)
    if activation == "relu":
        # half of a ReLU layer's outputs are exactly 0: scale by the tallest bar among the
        # others, so the shape of the positive part stays visible (the 0 bar is clipped)
        rest = counts[:, 1:].max(axis=1, keepdims=True)
        peak = np.where(rest > 0, rest, peak)
    densities = np.minimum(counts / peak, 1.0)
    return InitHistogramsView(scheme, activation, densities, stats.edges, stats.means,
                              stats.stds)


def _hex(color) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(round(255 * c) for c in color[:3]))


def init_histograms_scene(view: InitHistogramsView, width: int = 1000,
                          height: int = 420) -> dict:
    """The live figure of an ``InitHistogramsView``: the stacked per-layer histograms (first
    layer at the bottom) and the standard deviation per layer on a log axis."""
    centers = 0.5 * (view.edges[:-1] + view.edges[1:])
    bin_width = float(view.edges[1] - view.edges[0])
    colors = [_hex(c) for c in _layer_colors(view.depth)]
    hist_marks = [live.fill(centers, layer * 1.1 + 0.95 * view.densities[layer],
                            layer * 1.1, step="mid", color=colors[layer], alpha=0.85)
                  for layer in range(view.depth)]
    every = max(1, view.depth // 12)
    ticks = list(range(0, view.depth, every))
    layers = np.arange(1, view.depth + 1)
    left, right = live.grid_boxes(width, height, ncols=2, ratios=[1.4, 1], left=62)
    return live.scene(width, height, [
        live.panel(left, hist_marks, xlim=(view.edges[0] - bin_width,
                                           view.edges[-1] + bin_width),
                   ylim=(-0.1, view.depth * 1.1), yticks=[i * 1.1 + 0.45 for i in ticks],
                   yticklabels=[str(i + 1) for i in ticks], ylabel="layer",
                   xlabel=f"activation value ({view.activation})", title=view.title),
        live.panel(right, [live.line(layers, np.maximum(view.stds, STD_FLOOR), color="#0072B2",
                                     marker="o", markersize=5)],
                   xlim=(0.5, view.depth + 0.5), ylim=(STD_FLOOR / 2,
                                                       max(10.0, 2 * float(view.stds.max()))),
                   yscale="log", xlabel="layer", ylabel="std of the activations (log)",
                   grid=True, title="spread per layer")])


def draw_init_histograms(view: InitHistogramsView, ax_hist, ax_std=None) -> None:
    """Draw a view: stacked per-layer histograms on ``ax_hist`` and, if given, the standard
    deviation per layer on ``ax_std``."""
    centers = 0.5 * (view.edges[:-1] + view.edges[1:])
    width = view.edges[1] - view.edges[0]
    colors = _layer_colors(view.depth)
    for layer in range(view.depth):
        base = layer * 1.1
        ax_hist.fill_between(centers, base, base + 0.95 * view.densities[layer], step="mid",
                             color=colors[layer], alpha=0.85, lw=0)
    ax_hist.set_yticks([i * 1.1 + 0.45 for i in range(view.depth)])
    ax_hist.set_yticklabels([str(i + 1) for i in range(view.depth)], fontsize=7)
    ax_hist.set_ylabel("layer")
    ax_hist.set_xlabel(f"activation value ({view.activation})")
    ax_hist.set_xlim(view.edges[0] - width, view.edges[-1] + width)
    ax_hist.set_title(view.title, fontsize=10)
    if ax_std is not None:
        layers = np.arange(1, view.depth + 1)
        ax_std.semilogy(layers, np.maximum(view.stds, STD_FLOOR), "o-", color="#0072B2")
        ax_std.set_xlabel("layer")
        ax_std.set_ylabel("std of the activations (log)")
        ax_std.set_ylim(STD_FLOOR / 2, max(10.0, 2 * float(view.stds.max())))
        ax_std.set_xticks(layers if view.depth <= 20 else layers[:: view.depth // 10])
        ax_std.grid(True, which="major", alpha=0.3)
        ax_std.set_title("spread per layer", fontsize=10)


def _layer_colors(depth: int) -> list:
    import matplotlib

    cmap = matplotlib.colormaps["viridis"]
    return [cmap(0.15 + 0.7 * i / max(depth - 1, 1)) for i in range(depth)]


def init_histograms_explorer(scheme: str = "small_random", activation: str = "tanh",
                             depth: int = 10):
    """The widget: scheme and activation pickers and a depth slider over the two plots."""
    import ipywidgets as widgets

    controls = {
        "scheme": widgets.Dropdown(options=[(SCHEME_LABELS[s], s) for s in SCHEMES],
                                   value=scheme, description="scheme"),
        "activation": widgets.Dropdown(options=list(ACTIVATIONS), value=activation,
                                       description="activation"),
        "depth": widgets.IntSlider(value=depth, min=1, max=MAX_DEPTH, description="depth"),
    }
    live.Precompute(_fill_every_cache)  # every scheme and activation, in the background

    def draw(scheme, activation, depth):
        return init_histograms_scene(init_histograms_view(scheme, activation, depth))

    return live.Explorer(controls, draw).widget
