"""Chapter 11's conv-window explorer: its pure view function against torch, and the widget."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.widgets.conv_window import conv_window_explorer, conv_window_view

CONFIGS = [(n, f, s, p, d) for n, f, s, p, d in itertools.product(
    (4, 7), (1, 2, 3), (1, 3), (0, 1), (1, 2)) if d * (f - 1) + 1 <= n + 2 * p]


def _torch_reads(view, dout: np.ndarray) -> np.ndarray:
    """Which pixels of the padded input feed the outputs where ``dout`` is non-zero (autograd)."""
    x = torch.ones(1, 1, view.padded, view.padded, dtype=torch.float64, requires_grad=True)
    w = torch.ones(1, 1, view.kernel_size, view.kernel_size, dtype=torch.float64)
    out = F.conv2d(x, w, stride=view.stride, dilation=view.dilation)
    out.backward(torch.from_numpy(dout)[None, None])
    return x.grad[0, 0].numpy() != 0


@pytest.mark.parametrize(("n", "f", "s", "p", "d"), CONFIGS)
def test_view_matches_torch(n, f, s, p, d):
    view = conv_window_view(n, f, s, p, d)
    out = F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, f, f), stride=s, padding=p,
                   dilation=d)
    assert view.valid and view.out_size == out.shape[-1] and view.padded == n + 2 * p
    assert view.formula.endswith(f"= {view.out_size}")
    everything = _torch_reads(view, np.ones((view.out_size, view.out_size)))
    np.testing.assert_array_equal(view.reached, everything)
    for step in range(view.n_steps):
        view = conv_window_view(n, f, s, p, d, step)
        one_hot = np.zeros((view.out_size, view.out_size))
        one_hot[view.position] = 1.0
        expected = np.argwhere(_torch_reads(view, one_hot))
        got = view.taps[np.lexsort((view.taps[:, 1], view.taps[:, 0]))]
        np.testing.assert_array_equal(got, expected)
        assert divmod(step, view.out_size) == view.position


def test_seed_examples():
    assert conv_window_view(5, 3).formula == "⌊(5 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = 3"
    view = conv_window_view(5, 3, stride=2, step=3)
    assert view.out_size == 2 and view.position == (1, 1) and view.origin == (2, 2)
    assert conv_window_view(5, 3, stride=2, padding=1).out_size == 3   # the 7×7×3 example
    skipped = conv_window_view(6, 3, stride=2)                          # the last row is unread
    assert skipped.out_size == 2 and not skipped.reached[5].any() and skipped.reached[4, :5].all()


def test_step_is_clamped_and_bad_settings_are_reported():
    assert conv_window_view(5, 3, step=99).step == 8
    view = conv_window_view(3, 3, dilation=2)
    assert not view.valid and view.out_size == 0 and view.n_steps == 0
    assert "spans 5 pixels" in view.message and view.formula.endswith("does not fit")
    with pytest.raises(ValueError, match="stride must be at least 1"):
        conv_window_view(5, 3, stride=0)
    with pytest.raises(TypeError, match="size must be an integer"):
        conv_window_view(5.5, 3)


def test_explorer_builds_and_the_step_slider_follows_the_settings():
    import ipywidgets as widgets

    ui = conv_window_explorer()
    sliders = {s.description: s for s in ui.explorer.controls.values()
               if isinstance(s, widgets.IntSlider)}
    assert list(sliders) == ["input size", "kernel", "stride", "padding", "dilation", "step"]
    assert sliders["step"].max == 3 * 3 - 1                 # 5×5 padded to 7×7, stride 2: 3×3
    sliders["stride"].value = 1
    assert sliders["step"].max == 5 * 5 - 1
    sliders["kernel"].value = 6
    sliders["padding"].value = 0
    sliders["dilation"].value = 3                           # no longer fits
    assert sliders["step"].max == 0
    assert ui.figure.current["panels"][1]["title"] == "no output"


def test_scene_cells_taps_and_window():
    from dlcourse.widgets import live
    from dlcourse.widgets.conv_window import conv_window_cells, conv_window_scene

    view = conv_window_view(5, 3, 2, 1, step=4)                # 3×3 output, the middle cell
    cells, out_cells = conv_window_cells(view)
    assert cells.shape == (7, 7, 4) and out_cells.shape == (3, 3, 4)
    orange = cells[:, :, 0] == 0xE6
    assert sorted(map(tuple, np.argwhere(orange))) == sorted(map(tuple, view.taps))
    assert (cells[0, :, :3] == 0xDD).all()                      # the padding row is grey
    assert (out_cells[1, 1, :3] == [0xE6, 0x9F, 0x00]).all()   # the current output cell
    assert (out_cells[0, 0, :3] == [0xCF, 0xE3, 0xF2]).all()   # a finished one
    spec = conv_window_scene(view)
    live.validate_scene(spec)
    window = next(m for m in spec["panels"][0]["marks"] if m["kind"] == "rect")
    assert (window["x"], window["y"], window["w"]) == (2.0, 2.0, 3.0)
    assert spec["title"] == "output size " + view.formula
    gappy = conv_window_scene(conv_window_view(6, 2, 3))        # the last column is never read
    never = next(m for m in gappy["panels"][0]["marks"] if m.get("label") == "never read")
    crossed = {(r - 0.5, c - 0.5) for r, c in zip(never["y"], never["x"], strict=True)}
    assert crossed == {(r, c) for r in range(6) for c in range(6) if r in (2, 5) or c in (2, 5)}


def test_drawing_valid_and_invalid_settings():
    import matplotlib.pyplot as plt

    from dlcourse.widgets.conv_window import draw_conv_window

    for view in (conv_window_view(5, 3, 2, 1, step=4), conv_window_view(3, 3, dilation=2)):
        fig, axes = plt.subplots(1, 2)
        draw_conv_window(view, axes)
        assert view.formula in fig._suptitle.get_text()
        plt.close(fig)
