"""The GAN snapshot explorer's pure function, drawing and widget, on a hand-made run."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse.gan import GANRun, GANSnapshot, ring_centers, sample_ring
from dlcourse.widgets.gan_snapshots import (
    draw_gan_snapshot,
    gan_snapshot_view,
    gan_snapshots_explorer,
)


def _run() -> GANRun:
    """Three snapshots: all samples at the origin, at two modes, at all eight."""
    centers = ring_centers()
    xs = np.linspace(-3, 3, 7)
    surface = np.full((7, 7), 0.5)
    collapsed = np.repeat(centers[:2], 50, axis=0)
    rng = np.random.default_rng(0)
    spread = np.concatenate([np.repeat(centers, 12, axis=0) + 0.02 * rng.normal(size=(96, 2)),
                             np.zeros((4, 2))])
    snaps = [GANSnapshot(0, np.zeros((100, 2)), surface), GANSnapshot(100, collapsed, surface),
             GANSnapshot(200, spread, surface * 0.9)]
    real, _ = sample_ring(100, rng=1)
    return GANRun("nonsaturating", None, None, snaps, {}, centers, real, (xs, xs), 1.0, "cpu")


def test_view_counts_the_modes_of_each_snapshot():
    run = _run()
    first, mid, last = (gan_snapshot_view(run, i, radius=0.25, min_count=5) for i in (0, 1, -1))
    assert (first.covered, mid.covered, last.covered) == (0, 2, 8)
    assert first.good_fraction == 0.0 and mid.good_fraction == 1.0
    assert last.good_fraction == 0.96 and last.counts.tolist() == [12] * 8
    assert mid.counts.tolist() == [50, 50, 0, 0, 0, 0, 0, 0]
    assert last.step == 200 and last.index == 2
    np.testing.assert_array_equal(last.surface, run.snapshots[2].surface)
    assert mid.title == "step 100: 2/8 modes covered, 100% near a mode"


def test_view_explains_a_bad_index():
    with pytest.raises(IndexError, match=r"index must be an integer in \[-3, 2\]"):
        gan_snapshot_view(_run(), 3)
    with pytest.raises(ValueError, match="radius must be >"):
        gan_snapshot_view(_run(), 0, radius=0.0)


def test_drawing_puts_samples_real_data_and_surface_on_the_axis():
    _, ax = plt.subplots()
    view = gan_snapshot_view(_run(), -1)
    draw_gan_snapshot(view, ax, colorbar=True)
    assert len(ax.collections) >= 3 and len(ax.patches) == 8
    mid = gan_snapshot_view(_run(), 1, min_count=5)
    _, ax3 = plt.subplots()
    draw_gan_snapshot(mid, ax3)
    styles = [p.get_linestyle() for p in ax3.patches]
    assert styles.count("-") == 2 and styles.count(":") == 6      # 2 covered, 6 missed
    assert ax.get_xlim() == (-3.0, 3.0)
    _, ax2 = plt.subplots()
    draw_gan_snapshot(view, ax2, show_surface=False, show_real=False)
    assert len(ax2.collections) == 1
    plt.close("all")


def test_explorer_builds_with_a_step_slider_over_the_snapshots():
    import ipywidgets as widgets

    ui = gan_snapshots_explorer(_run())
    controls = ui.children[0].children
    slider = ui.explorer.controls["i"]
    assert isinstance(slider, widgets.SelectionSlider)
    assert [label for label, _ in slider.options] == ["0", "100", "200"]
    assert slider.index == 2
    assert any(isinstance(c, widgets.Play) for c in controls)


def test_snapshot_scene_switches_and_coverage_circles():
    from dlcourse.widgets import live
    from dlcourse.widgets.gan_snapshots import gan_snapshot_scene

    view = gan_snapshot_view(_run(), 1, radius=0.25, min_count=20)
    spec = gan_snapshot_scene(view, loss="nonsaturating")
    live.validate_scene(spec)
    marks = spec["panels"][0]["marks"]
    assert [m["kind"] for m in marks[:4]] == ["image", "line", "scatter", "scatter"]
    assert marks[1]["dash"] == "dashed"                          # D(x) = 1/2
    circles = [m for m in marks if m["kind"] == "circle"]
    assert [c["edgecolor"] == "#009E73" for c in circles] == [True, True] + [False] * 6
    bare = gan_snapshot_scene(view, show_surface=False, show_real=False)
    assert [m["kind"] for m in bare["panels"][0]["marks"]][:1] == ["scatter"]
    assert spec["panels"][0]["title"] == f"nonsaturating loss, {view.title}"


def test_explorer_redraws_the_chosen_snapshot():
    ui = gan_snapshots_explorer(_run())
    step = ui.explorer.controls["i"]
    step.index = 0
    assert ui.figure.current["panels"][0]["title"].endswith(
        gan_snapshot_view(_run(), 0).title)


def test_gan_trainer_steps_repeat_and_the_scene():
    from dlcourse.widgets import live
    from dlcourse.widgets.gan_training import GANTrainer, gan_training_explorer

    a = GANTrainer(batch_size=32, hidden=8, n_samples=50, resolution=9, device="cpu")
    a.step(3)
    a.step(2)
    assert a.position == 5 and len(a.history["d_fake"]) == 5
    assert all(0.0 < v < 1.0 for v in a.history["d_real"])
    samples = a.samples()
    b = GANTrainer(batch_size=32, hidden=8, n_samples=50, resolution=9, device="cpu")
    b.step(5)
    np.testing.assert_allclose(b.samples(), samples, rtol=1e-5, atol=1e-6)  # repeatable
    a.reset()
    assert a.position == 0
    surface = b.surface()
    assert surface.shape == (9, 9) and np.all((surface > 0) & (surface < 1))
    spec = b.scene()
    live.validate_scene(spec)
    plane, curves = spec["panels"]
    np.testing.assert_allclose(plane["marks"][3]["x"], samples[:, 0])
    np.testing.assert_allclose(curves["marks"][0]["y"], b.history["d_real"])
    assert sum(m["kind"] == "circle" for m in plane["marks"]) == 8
    capped = GANTrainer(batch_size=8, hidden=4, n_samples=10, max_steps=3, device="cpu")
    capped.step(10)
    assert capped.position == 3 and capped.done
    ui = gan_training_explorer(steps=2)
    assert ui.animation.trainer.position == 2
    ui.explorer.controls["loss"].value = "saturating"
    assert ui.animation.trainer.position == 0 and ui.animation.trainer.loss == "saturating"
