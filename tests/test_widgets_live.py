"""dlcourse.widgets.live: scenes, their wire format, the static PNG, Explorer and Animation."""

from __future__ import annotations

import asyncio
import base64
import io
import time

import numpy as np
import pytest

from dlcourse.widgets import live


def _small_scene(**axes) -> dict:
    marks = [live.line([0, 1, 2], [0, 1, 4], label="f"), live.scatter([1], [1], color="#000")]
    return live.scene(300, 200, [live.panel(live.grid_boxes(300, 200)[0], marks,
                                            xlim=(0, 2), ylim=(0, 4), **axes)])


def test_marks_keep_their_data_and_drop_unset_style():
    m = live.line([0, 1], [2, 3], color="#123456")
    assert m["kind"] == "line" and m["color"] == "#123456" and "width" not in m
    np.testing.assert_array_equal(m["y"], [2.0, 3.0])
    b = live.bars([0, 1], [3, -1], colors=["#000", "#fff"])
    assert b["colors"] == ["#000", "#fff"] and b["width"] == 0.8
    t = live.text(0.5, 1.0, "hi", coords="axes", ha="left")
    assert (t["x"], t["y"], t["text"], t["coords"]) == (0.5, 1.0, "hi", "axes")


def test_image_scales_values_onto_the_colormap():
    values = np.array([[0.0, 0.5], [1.0, np.nan]])
    m = live.image(values, (0, 1, 0, 1), cmap="gray")
    assert m["values"].dtype == np.uint8
    assert m["values"].tolist() == [[0, 128], [255, 0]]      # NaN gets the lowest colour
    assert m["lut"].shape == (256, 3) and m["lut"][0].tolist() == [0, 0, 0]
    assert m["lut"][-1].tolist() == [255, 255, 255] and m["color"] == "#ffffff"
    clipped = live.image(np.array([[-5.0, 5.0]]), (0, 1, 0, 1), vmin=0, vmax=1)
    assert clipped["values"].tolist() == [[0, 255]]
    blend = live.colormap_lut(("#000000", "#ff0000"))
    assert blend[0].tolist() == [0, 0, 0] and blend[-1].tolist() == [255, 0, 0]
    assert blend[128, 0] in (128, 129)
    rgba = live.image(np.zeros((2, 3, 4), np.uint8), (0, 1, 0, 1))
    assert rgba["shape"] == [2, 3] and "rgba" in rgba
    with pytest.raises(ValueError, match=r"\(h, w\)"):
        live.image(np.zeros(3), (0, 1, 0, 1))


def test_contour_finds_the_level_line():
    xs = ys = np.linspace(-1, 1, 41)
    radius = np.hypot(xs[None, :], ys[:, None])
    m = live.contour(xs, ys, radius, 0.5, dash="dashed")
    assert m["kind"] == "line" and m["dash"] == "dashed"
    finite = np.isfinite(m["x"])
    assert finite.sum() > 20 and np.isnan(m["x"][-1])
    np.testing.assert_allclose(np.hypot(m["x"][finite], m["y"][finite]), 0.5, atol=0.01)
    assert live.contour(xs, ys, radius, 5.0)["x"].size == 0       # no crossing: empty


def test_grid_boxes_tile_the_figure_with_the_margins():
    boxes = live.grid_boxes(1000, 400, ncols=2, ratios=[3, 1], left=50, right=10, top=20,
                            bottom=30, wspace=40)
    (l1, t1, w1, h1), (l2, _, w2, _) = boxes
    assert l1 == pytest.approx(50 / 1000) and t1 == pytest.approx(20 / 400)
    assert w1 == pytest.approx(3 * w2)
    assert l2 == pytest.approx(l1 + w1 + 40 / 1000)
    assert l2 + w2 == pytest.approx(1 - 10 / 1000) and t1 + h1 == pytest.approx(1 - 30 / 400)
    two_rows = live.grid_boxes(400, 400, nrows=2, top=10, bottom=10, hspace=20)
    assert two_rows[1][1] == pytest.approx(two_rows[0][1] + two_rows[0][3] + 20 / 400)
    with pytest.raises(ValueError, match="one ratio per column"):
        live.grid_boxes(100, 100, ncols=2, ratios=[1])
    with pytest.raises(ValueError, match="too small"):
        live.grid_boxes(50, 50)


def test_padded_limits():
    assert live.padded(0.0, 10.0, 0.1) == (-1.0, 11.0)
    assert live.padded(2.0, 2.0) == (1.5, 2.5)                   # degenerate: widened
    lo, hi = live.padded(1e-3, 1e1, 0.25, log=True)              # a quarter decade each side
    assert lo == pytest.approx(1e-4) and hi == pytest.approx(1e2)
    assert live.padded(float("nan"), 1.0) == (0.0, 1.0)


def test_to_wire_packs_arrays_into_binary_buffers():
    wire = live.to_wire({"a": np.array([1.5, np.nan]), "b": [np.arange(3, dtype=np.uint8)],
                         "c": np.float64(2.0), "d": float("inf"), "e": "x"})
    assert wire["a"]["dtype"] == "float32" and wire["a"]["shape"] == [2]
    back = np.frombuffer(wire["a"]["buffer"], dtype=np.float32)
    assert back[0] == 1.5 and np.isnan(back[1])
    assert wire["b"][0]["dtype"] == "uint8" and bytes(wire["b"][0]["buffer"]) == b"\x00\x01\x02"
    assert wire["c"] == 2.0 and isinstance(wire["c"], float)
    assert wire["d"] is None and wire["e"] == "x"


def test_validate_scene_rejects_what_the_renderer_cannot_draw():
    live.validate_scene(_small_scene())
    bad_lim = _small_scene()
    bad_lim["panels"][0]["xlim"] = [1.0, 1.0]
    with pytest.raises(ValueError, match="distinct xlim"):
        live.validate_scene(bad_lim)
    with pytest.raises(ValueError, match="log x axis"):
        live.validate_scene(_small_scene(xscale="log"))
    unknown = _small_scene()
    unknown["panels"][0]["marks"].append({"kind": "pie"})
    with pytest.raises(ValueError, match="unknown kind 'pie'"):
        live.validate_scene(unknown)
    with pytest.raises(ValueError, match="integers"):
        live.validate_scene({"width": 1.5, "height": 2, "panels": []})


def test_render_png_draws_every_kind_of_mark_at_the_scene_size():
    from PIL import Image

    x = np.linspace(0.1, 2, 20)
    marks = [live.line(x, x ** 2, dash="dashed", marker="o", label="line"),
             live.scatter(x, x, colors=["#000"] * 20, marker="s", edgecolor="#fff"),
             live.scatter([1], [1], fill=False, edgecolor="#D55E00", label="ring"),
             live.image(np.random.default_rng(0).random((4, 5)), (0, 2, 0, 4)),
             live.fill(x, x, 0.0, step="mid"), live.bars([0.5, 1.5], [1, 2]),
             live.hline(1.0, dash="dotted"), live.vline(1.0), live.hspan(0, 1),
             live.vspan(0, 0.5), live.text(0.5, 0.5, "t", coords="axes", bbox="#fff"),
             live.rect(0, 0, 1, 1, edgecolor="#000"), live.circle(1, 1, 0.5, edgecolor="#000")]
    boxes = live.grid_boxes(500, 300, ncols=2)
    spec = live.scene(500, 300, [
        live.panel(boxes[0], marks, xlim=(0, 2), ylim=(0.01, 4), yscale="log",
                   legend="below", title="t", xlabel="x", ylabel="y", grid=True),
        live.panel(boxes[1], [live.text(0.5, 0.5, "diagram")], frame=False, xlim=(0, 1),
                   ylim=(0, 1), xticks=[0, 1], xticklabels=["a", "b"])], title="all")
    live.validate_scene(spec)
    png = live.render_png(spec)
    picture = Image.open(io.BytesIO(png))
    assert picture.size == (500, 300)
    pixels = np.asarray(picture.convert("RGB")).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 20                # something was drawn


def test_explorer_redraws_times_and_reports_bad_settings():
    import ipywidgets as widgets

    a = widgets.FloatSlider(value=1.0, min=0.0, max=4.0, continuous_update=False)
    pick = widgets.Dropdown(options=["ok", "bad"], value="ok")

    def draw(a, pick):
        if pick == "bad":
            raise ValueError("pick something else")
        return _small_scene(title=f"a = {a}")

    ui = live.Explorer({"a": a, "pick": pick}, draw).widget
    assert a.continuous_update, "Explorer must make every slider update while dragged"
    explorer = ui.explorer
    assert ui.figure.current["panels"][0]["title"] == "a = 1.0"
    a.value = 2.0
    assert ui.figure.current["panels"][0]["title"] == "a = 2.0"
    assert explorer.message.value == ""
    pick.value = "bad"
    assert "pick something else" in explorer.message.value
    assert ui.figure.current["panels"][0]["title"] == "a = 2.0"   # the last good picture stays
    assert len(explorer.timings) == 3 and all(t >= 0 for t in explorer.timings)
    with pytest.raises(ValueError, match="layout"):
        live.Explorer({"a": a}, draw, layout="right")


def test_explorer_displays_with_a_png_of_its_picture():
    import ipywidgets as widgets
    from PIL import Image

    ui = live.Explorer({"a": widgets.IntSlider(value=1)}, lambda a: _small_scene()).widget
    bundle = ui._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == live.STATIC_NOTE
    png = base64.b64decode(bundle["image/png"])
    assert Image.open(io.BytesIO(png)).size == (300, 200)
    assert live.serialized_size(ui.figure) > 0


class _Counter:
    """A trainer whose step takes ``cost`` seconds per unit."""

    def __init__(self, cost: float = 0.0, end: int = 10**9):
        self.position, self.cost, self.end, self.resets = 0, cost, end, 0

    def reset(self):
        self.position, self.resets = 0, self.resets + 1

    def step(self, n):
        time.sleep(self.cost * n)
        self.position += n

    def scene(self):
        return _small_scene(title=f"{self.position}")

    @property
    def done(self):
        return self.position >= self.end


def test_animation_without_an_event_loop_plays_a_bounded_number_of_frames():
    anim = live.Animation(_Counter(end=10**9), live.LiveFigure(), max_sync_frames=7,
                          max_per_frame=3)
    anim.play()
    assert anim.frames == 7 and not anim.playing
    assert anim.trainer.position == 1 + 2 + 3 * 5            # per frame doubles up to the cap
    anim.step()
    assert anim.trainer.position == 19 and anim.figure.current["panels"][0]["title"] == "19"
    anim.reset()
    assert anim.trainer.position == 0 and anim.trainer.resets == 1
    assert "epoch 0" in anim.counter.value
    short = live.Animation(_Counter(end=4), live.LiveFigure(), max_per_frame=1)
    short.play()
    assert short.trainer.position == 4 and short.frames == 4  # stops when the run is done
    short.play()                                              # a finished run starts again
    assert short.trainer.resets == 1 and short.trainer.position == 4 and short.frames == 8


def test_animation_plays_on_the_event_loop_and_pauses_within_a_frame():
    async def scenario():
        anim = live.Animation(_Counter(cost=0.004), live.LiveFigure(), frame_budget=0.05,
                              frame_interval=0.1)
        anim.play_button.click()                      # play
        assert anim.playing and anim.play_button.description == "pause"
        await asyncio.sleep(1.0)
        assert anim.frames >= 5, f"only {anim.frames} frames in a second of playing"
        assert max(np.diff(anim.frame_times)) < 0.2
        clicked = time.perf_counter()
        anim.play_button.click()                      # pause
        frames = anim.frames
        await asyncio.sleep(0.3)
        assert not anim.playing and anim.frames == frames, "a frame started after the pause"
        await anim.wait()
        took = time.perf_counter() - clicked
        position = anim.trainer.position
        await asyncio.sleep(0.2)
        assert anim.trainer.position == position
        return took, anim.per_frame

    took, per_frame = asyncio.run(scenario())
    assert took < 0.5
    assert 2 <= per_frame <= 25                        # ~0.05 s of 0.004 s steps


def test_animation_yields_to_other_tasks_between_frames():
    """A click arrives as another task on the same loop: it must run while playing."""
    async def scenario():
        anim = live.Animation(_Counter(cost=0.01), live.LiveFigure(), frame_budget=0.06,
                              frame_interval=0.0)    # frames back to back: the worst case
        anim.play()
        delays = []
        for _ in range(5):
            start = time.perf_counter()
            await asyncio.sleep(0)                     # like a message handler's turn
            delays.append(time.perf_counter() - start)
            await asyncio.sleep(0.05)
        anim.pause()
        await anim.wait()
        return delays

    delays = asyncio.run(scenario())
    assert max(delays) < 0.2, delays
