"""The pure functions behind the widgets, and the widgets' construction."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.viz.boundaries import line_segment, padded_limits, region_grid
from dlcourse.widgets import live
from dlcourse.widgets.decision_line import (
    decision_line_explorer,
    decision_line_scene,
    decision_line_view,
    fires_grid,
)

BOX = ((-0.5, 1.5), (-0.5, 1.5))


def test_line_segment_end_points_lie_on_the_line_and_in_the_box():
    rng = np.random.default_rng(0)
    for _ in range(200):
        w1, w2, b = rng.normal(size=3)
        seg = line_segment(w1, w2, b, *BOX)
        if seg is None:
            continue
        for x, y in seg:
            assert abs(w1 * x + w2 * y + b) < 1e-9
            assert -0.5 - 1e-12 <= x <= 1.5 + 1e-12 and -0.5 - 1e-12 <= y <= 1.5 + 1e-12
        assert seg[0] != seg[1]


def test_line_segment_special_cases():
    assert line_segment(0.0, 0.0, 1.0, *BOX) is None          # no boundary at all
    assert line_segment(1.0, 0.0, -0.5, *BOX) == ((0.5, -0.5), (0.5, 1.5))  # vertical
    assert line_segment(0.0, 1.0, -1.0, *BOX) == ((-0.5, 1.0), (1.5, 1.0))  # horizontal
    assert line_segment(1.0, 1.0, 10.0, *BOX) is None         # misses the box
    seg = line_segment(1.0, -1.0, 0.0, *BOX)                  # through two corners
    assert sorted(seg) == [(-0.5, -0.5), (1.5, 1.5)]


def test_decision_line_view_for_the_seed_nand():
    view = decision_line_view("nand", -2.0, -2.0, 3.0)
    assert view.gate == "NAND" and view.accuracy == 1.0
    assert view.z.tolist() == [3.0, 1.0, 1.0, -1.0] and view.outputs.tolist() == [1, 1, 1, 0]
    assert view.title == "NAND: 4/4 correct"


def test_decision_line_view_can_never_get_xor_right():
    rng = np.random.default_rng(1)
    best = max(decision_line_view("XOR", *rng.uniform(-4, 4, size=3)).accuracy
               for _ in range(2000))
    assert best == 0.75


def test_region_grid_and_limits():
    xx, yy, values = region_grid(lambda p: (p[:, 0] > 0).astype(int), (-1, 1), (0, 2), 5)
    assert xx.shape == yy.shape == values.shape == (5, 5)
    assert values[:, -1].tolist() == [1] * 5 and values[:, 0].tolist() == [0] * 5
    with pytest.raises(ValueError, match="one value per point"):
        region_grid(lambda p: p, (0, 1), (0, 1), 4)
    (x0, x1), (y0, y1) = padded_limits(np.array([[0.0, 0.0], [1.0, 2.0]]), pad=0.5)
    assert (x0, x1, y0, y1) == (-0.5, 1.5, -1.0, 3.0)


def test_fires_grid_is_the_sign_of_z_row_0_at_the_bottom():
    view = decision_line_view("AND", 0.0, 1.0, -0.5)          # fires where x2 > 0.5
    grid = fires_grid(view, resolution=9)                     # ys = -0.5, -0.25, ..., 1.5
    assert grid.shape == (9, 9)
    assert not grid[:4].any() and grid[5:].all()              # rows below / above y = 0.5


def test_decision_line_scene_carries_the_view():
    view = decision_line_view("NAND", -2.0, -2.0, 3.0)
    spec = decision_line_scene(view)
    live.validate_scene(spec)
    (p,) = spec["panels"]
    assert p["title"] == "NAND: 4/4 correct" and p["aspect"] == "equal"
    kinds = [m["kind"] for m in p["marks"]]
    assert kinds == ["image", "line", "scatter", "scatter"]   # no ring: nothing misclassified
    line = p["marks"][1]
    for x, y in zip(line["x"], line["y"], strict=True):       # the boundary w·x + b = 0
        assert abs(-2 * x - 2 * y + 3) < 1e-9
    wrong = decision_line_scene(decision_line_view("NAND", 2.0, 2.0, -3.0))
    ring = wrong["panels"][0]["marks"][-1]
    assert ring["label"] == "misclassified" and len(ring["x"]) == 4


def test_explorer_builds_with_its_controls_and_redraws_on_change():
    ui = decision_line_explorer()
    controls = ui.explorer.controls
    assert [controls[k].value for k in ("w1", "w2", "b")] == [-2.0, -2.0, 3.0]
    assert all(controls[k].continuous_update for k in ("w1", "w2", "b"))
    assert ui.figure.current["panels"][0]["title"] == "NAND: 4/4 correct"
    controls["b"].value = -3.0
    assert ui.figure.current["panels"][0]["title"] == "NAND: 1/4 correct"
    controls["gate"].value = "AND"
    assert ui.figure.current["panels"][0]["title"].startswith("AND")
    assert len(ui.explorer.timings) == 3
