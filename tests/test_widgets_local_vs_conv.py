"""Chapter 11's local-vs-conv explorer: its view against torch's conv2d, the equivariance it
shows, its live scene and the widget."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlcourse.widgets import live
from dlcourse.widgets.local_vs_conv import (
    EDGE,
    local_vs_conv_explorer,
    local_vs_conv_scene,
    local_vs_conv_view,
)


@pytest.mark.parametrize("shift", range(-3, 4))
def test_the_convolution_is_torchs_and_equivariant(shift):
    view = local_vs_conv_view(shift, 0.7)
    x = torch.tensor(np.stack([view.image, view.shifted]))[:, None]
    ref = F.conv2d(x, torch.tensor(EDGE)[None, None])[:, 0].numpy()
    np.testing.assert_allclose(view.conv_out, ref[0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(view.conv_shifted, ref[1], rtol=1e-12, atol=1e-12)
    assert view.conv_gap.max() < 1e-12
    if shift:
        assert view.local_gap.max() > 0.5            # untied weights: not equivariant
    np.testing.assert_array_equal(np.roll(view.image, (shift, shift), axis=(0, 1)), view.shifted)


def test_untie_zero_is_the_convolution_and_the_gap_grows_with_untie():
    tied = local_vs_conv_view(2, 0.0)
    np.testing.assert_array_equal(tied.local_out, tied.conv_out)
    gaps = [local_vs_conv_view(2, u).local_gap.max() for u in (0.0, 0.5, 1.0, 2.0)]
    assert gaps[0] == 0.0 and gaps == sorted(gaps)
    assert tied.conv_params == 10 and tied.local_params == 12 * 12 * 10


def test_scene_and_errors():
    view = local_vs_conv_view(-1, 1.0)
    spec = local_vs_conv_scene(view)
    live.validate_scene(spec)
    assert len(spec["panels"]) == 8
    assert spec["panels"][5]["title"].startswith("locally connected (untie 1)")
    with pytest.raises(ValueError, match="between −3 and 3"):
        local_vs_conv_view(4, 0.5)
    with pytest.raises(TypeError, match="shift must be an integer"):
        local_vs_conv_view(1.5, 0.5)
    with pytest.raises(ValueError, match="untie must be ≥ 0"):
        local_vs_conv_view(1, -0.5)


def test_explorer_redraws_on_every_control():
    ui = local_vs_conv_explorer()
    controls = ui.explorer.controls
    assert set(controls) == {"shift", "untie"}
    first = ui.figure.current["title"]
    controls["untie"].value = 0.0
    assert ui.figure.current["title"].endswith("layer's 0")
    controls["shift"].value = -2
    assert ui.figure.current["title"] != first and ui.figure.current["title"].startswith("shift -2")
    assert len(ui.explorer.timings) == 3
