"""Chapter 14's explorer: step through a GAN's training, snapshot by snapshot.

``dlcourse.gan.train_gan`` stores, every ``snapshot_every`` steps, the samples the generator
makes from a fixed batch of noise and the discriminator's probability D(x) on a grid. A slider
(and a play button) moves through these snapshots; the plot shows D's surface (blue where D
says "real", red where it says "fake"), the real data, the generated samples, and how many of
the modes the samples cover (green circles: covered modes; dotted red: missed ones). Nothing
is trained while you drag: every picture is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._validate import positive_int, real_in_range
from dlcourse.gan import GANRun, mode_coverage

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
    func = "gan_snapshot_view"
    n = len(run.snapshots)
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not -n <= index < n:
        raise IndexError(f"{func}: index must be an integer in [{-n}, {n - 1}] (the run has "
                         f"{n} snapshots); got {index!r}.")
    radius = real_in_range(radius, "radius", func=func, low=0.0, low_open=True)
    min_count = positive_int(min_count, "min_count", func=func)
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


def gan_snapshots_explorer(run: GANRun, *, radius: float = 0.25, min_count: int = 20):
    """The widget: a step slider with a play button, and switches for the surface and data."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    options = [(str(s.step), i) for i, s in enumerate(run.snapshots)]
    step = widgets.SelectionSlider(options=options, value=len(options) - 1,
                                   description="step", continuous_update=True,
                                   layout=widgets.Layout(width="420px"))
    play = widgets.Play(min=0, max=len(options) - 1, value=len(options) - 1, interval=400,
                        description="play")
    widgets.jslink((play, "value"), (step, "index"))
    surface = widgets.Checkbox(value=True, description="D's surface")
    real = widgets.Checkbox(value=True, description="real data")

    def show(i, show_surface, show_real):
        _, ax = plt.subplots(figsize=(5.6, 5.2))
        view = gan_snapshot_view(run, i, radius=radius, min_count=min_count)
        draw_gan_snapshot(view, ax, show_surface=show_surface, show_real=show_real,
                          colorbar=show_surface)
        ax.set_title(f"{run.loss} loss, {view.title}", fontsize=9)
        ax.legend(loc="lower left", fontsize=8)
        plt.show()

    output = widgets.interactive_output(show, {"i": step, "show_surface": surface,
                                               "show_real": real})
    controls = widgets.HBox([play, step, surface, real])
    return widgets.VBox([controls, output])
