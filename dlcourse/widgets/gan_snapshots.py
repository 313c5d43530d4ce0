"""Chapter 14's explorer: step through a GAN's training, snapshot by snapshot.

``dlcourse.gan.train_gan`` stores, every ``snapshot_every`` steps, the samples the generator
makes from a fixed batch of noise and the discriminator's probability D(x) on a grid. A slider
(and a play button) moves through these snapshots; the plot shows D's surface (blue where D
says "real", red where it says "fake"), the real data, the generated samples, and how many of
the modes the samples cover (green circles: covered modes; dotted red: missed ones). Nothing
is trained while you drag: every picture is stored. (``gan_training`` trains one live.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._validate import positive_int, public_name, real_in_range
from dlcourse.gan import GANRun, mode_coverage
from dlcourse.widgets import live
from dlcourse.widgets.gan_training import SURFACE_COLORS

GENERATED_COLOR = "#E69F00"
REAL_COLOR = "#555555"


@dataclass(frozen=True)
class GANSnapshotView:
    """Everything the explorer draws for one snapshot."""

    index: int
    step: int
    loss: str
    samples: np.ndarray       # (n, 2) generated
    real: np.ndarray          # (m, 2) real data
    centers: np.ndarray       # (K, 2) the modes
    xs: np.ndarray            # (g,) grid of the surface
    ys: np.ndarray            # (g,)
    surface: np.ndarray       # (g, g) D(x) on the grid
    covered: int
    counts: np.ndarray        # (K,) samples near each mode
    good_fraction: float      # share of samples within the radius of some mode
    radius: float
    min_count: int

    @property
    def title(self) -> str:
        return (f"step {self.step}: {self.covered}/{len(self.centers)} modes covered, "
                f"{self.good_fraction:.0%} near a mode")


def gan_snapshot_view(run: GANRun, index: int, *, radius: float = 0.25,
                      min_count: int = 20) -> GANSnapshotView:
    """The picture of snapshot ``index`` of a ``GANRun`` (negative indices count from the end).

    ``radius`` and ``min_count`` define coverage as in ``dlcourse.gan.mode_coverage``.
    """
    n = len(run.snapshots)
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not -n <= index < n:
        raise IndexError(f"{public_name()}: index must be an integer in [{-n}, {n - 1}] (the run "
                         f"has {n} snapshots); got {index!r}.")
    radius = real_in_range(radius, "radius", low=0.0, low_open=True)
    min_count = positive_int(min_count, "min_count")
    index = int(index) % n
    snap = run.snapshots[index]
    covered, counts = mode_coverage(snap.samples, run.centers, radius, min_count)
    xs, ys = run.grid
    return GANSnapshotView(index, snap.step, run.loss, snap.samples, run.real, run.centers, xs,
                           ys, snap.surface, covered, counts,
                           float(counts.sum() / len(snap.samples)), radius, min_count)


def draw_gan_snapshot(view: GANSnapshotView, ax, *, show_surface: bool = True,
                      show_real: bool = True, colorbar: bool = False) -> None:
    """Draw a ``GANSnapshotView`` on a matplotlib axis."""
    from matplotlib.patches import Circle

    if show_surface:
        filled = ax.contourf(view.xs, view.ys, view.surface, levels=np.linspace(0, 1, 11),
                             cmap="RdBu", alpha=0.55)
        ax.contour(view.xs, view.ys, view.surface, levels=[0.5], colors="k", linewidths=0.8,
                   linestyles="--")
        if colorbar:
            ax.figure.colorbar(filled, ax=ax, label="D(x): probability 'real'", shrink=0.8)
    if show_real:
        ax.scatter(view.real[:, 0], view.real[:, 1], s=4, c=REAL_COLOR, alpha=0.4,
                   label="real data")
    ax.scatter(view.samples[:, 0], view.samples[:, 1], s=5, c=GENERATED_COLOR, alpha=0.7,
               label="generated")
    for center, count in zip(view.centers, view.counts, strict=True):
        covered = count >= view.min_count
        ax.add_patch(Circle(center, view.radius, fill=False, lw=1.2,
                            ec="#009E73" if covered else "#D55E00",
                            ls="-" if covered else ":"))
    limit = float(max(abs(view.xs[0]), abs(view.xs[-1])))
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_title(view.title, fontsize=9)


def gan_snapshot_scene(view: GANSnapshotView, *, loss: str = "", show_surface: bool = True,
                       show_real: bool = True, width: int = 560, height: int = 520) -> dict:
    """The live figure of a ``GANSnapshotView``: D's surface (optional), the real data
    (optional), the generated samples and the modes they cover."""
    limit = float(max(abs(view.xs[0]), abs(view.xs[-1])))
    marks = []
    if show_surface:
        marks.append(live.image(view.surface, (view.xs[0], view.xs[-1], view.ys[0],
                                               view.ys[-1]),
                                cmap=SURFACE_COLORS, vmin=0.0, vmax=1.0, alpha=0.55, smooth=True,
                                label="D(x): blue real, red fake"))
        marks.append(live.contour(view.xs, view.ys, view.surface, 0.5, color="#000000",
                                  width=0.8, dash="dashed", label="D(x) = 1/2"))
    if show_real:
        marks.append(live.scatter(view.real[:, 0], view.real[:, 1], size=3, color=REAL_COLOR,
                                  alpha=0.4, label="real data"))
    marks.append(live.scatter(view.samples[:, 0], view.samples[:, 1], size=4,
                              color=GENERATED_COLOR, alpha=0.7, label="generated"))
    for center, count in zip(view.centers, view.counts, strict=True):
        ok = count >= view.min_count
        marks.append(live.circle(center[0], center[1], view.radius, width=1.2,
                                 edgecolor="#009E73" if ok else "#D55E00",
                                 dash=None if ok else "dotted"))
    box = live.grid_boxes(width, height, left=50, top=36)[0]
    title = f"{loss} loss, {view.title}" if loss else view.title
    return live.scene(width, height, [live.panel(
        box, marks, xlim=(-limit, limit), ylim=(-limit, limit), aspect="equal", title=title,
        legend="lower left")])


def gan_snapshots_explorer(run: GANRun, *, radius: float = 0.25, min_count: int = 20):
    """The widget: a step slider with a play button (played in the browser), and switches for
    the surface and the data. Every picture is stored: nothing trains."""
    import ipywidgets as widgets

    options = [(str(s.step), i) for i, s in enumerate(run.snapshots)]
    step = widgets.SelectionSlider(options=options, value=len(options) - 1,
                                   description="step", layout=widgets.Layout(width="420px"))
    play = widgets.Play(min=0, max=len(options) - 1, value=len(options) - 1, interval=250,
                        description="play")
    widgets.jslink((play, "value"), (step, "index"))
    controls = {"i": step, "show_surface": widgets.Checkbox(value=True, description="D's surface"),
                "show_real": widgets.Checkbox(value=True, description="real data")}

    def draw(i, show_surface, show_real):
        view = gan_snapshot_view(run, i, radius=radius, min_count=min_count)
        return gan_snapshot_scene(view, loss=run.loss, show_surface=show_surface,
                                  show_real=show_real)

    return live.Explorer(controls, draw, extra=[play]).widget
