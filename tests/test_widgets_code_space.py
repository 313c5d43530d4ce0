"""Chapter 15's explorer: a point of a 2-D code space and the digit its decoder draws."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse.data import load_digits_split
from dlcourse.decomposition import pca_inverse_transform, pca_svd, pca_transform
from dlcourse.widgets.code_space import (
    code_limits,
    code_space_explorer,
    code_space_view,
    draw_code_space,
)


@pytest.fixture(scope="module")
def pca_space():
    digits = load_digits_split()
    X, y = np.array(digits.X_train), np.array(digits.y_train)
    components, _, mean = pca_svd(X, 2)

    def decode(z):
        return pca_inverse_transform(z, components, mean)

    return decode, pca_transform(X, components, mean), y


def test_view_decodes_the_point_and_finds_the_nearest_code(pca_space):
    decode, codes, labels = pca_space
    i = 17
    view = code_space_view(decode, codes, labels, *codes[i])
    np.testing.assert_allclose(view.image, decode(codes[i][None]).reshape(8, 8))
    assert view.nearest_label == labels[i] and view.distance == pytest.approx(0.0, abs=1e-12)
    off = code_space_view(decode, codes, labels, codes[i, 0] + 100.0, codes[i, 1])
    d = np.linalg.norm(codes - off.point, axis=1)
    assert off.distance == pytest.approx(d.min()) and off.nearest_label == labels[d.argmin()]
    assert "nearest training code is a" in view.title


def test_code_limits_cover_the_codes_with_a_margin():
    codes = np.array([[0.0, -1.0], [2.0, 3.0]])
    (x0, x1), (y0, y1) = code_limits(codes, pad=0.5)
    assert (x0, x1, y0, y1) == (-1.0, 3.0, -3.0, 5.0)


def test_draw_and_explorer(pca_space):
    import ipywidgets as widgets

    decode, codes, labels = pca_space
    _, axes = plt.subplots(1, 2)
    draw_code_space(code_space_view(decode, codes, labels, 0.0, 0.0), axes)
    assert len(axes[1].get_images()) == 1
    plt.close("all")
    ui = code_space_explorer(decode, codes, labels)
    sliders = [c for c in ui.children[0].children if isinstance(c, widgets.FloatSlider)]
    assert [s.description for s in sliders] == ["z1", "z2"]
    (lo, hi), _ = code_limits(codes, pad=0.25)
    assert sliders[0].min == pytest.approx(lo) and sliders[0].max == pytest.approx(hi)


def test_bad_input(pca_space):
    decode, codes, labels = pca_space
    with pytest.raises(TypeError, match="decode must be a function"):
        code_space_view(None, codes, labels, 0.0, 0.0)
    with pytest.raises(ValueError, match="one label per code"):
        code_space_view(decode, codes, labels[:-1], 0.0, 0.0)
    with pytest.raises(ValueError, match=r"into a \(1, 64\) image row"):
        code_space_view(lambda z: z, codes, labels, 0.0, 0.0)
    with pytest.raises(ValueError, match="must have 2 columns"):
        code_space_view(decode, np.zeros((3, 3)), np.zeros(3), 0.0, 0.0)


def test_scene_shows_the_codes_by_label_and_the_decoded_digit(pca_space):
    from dlcourse.widgets import live
    from dlcourse.widgets.code_space import code_space_scene

    decode, codes, labels = pca_space
    view = code_space_view(decode, codes, labels, 0.5, -1.0)
    spec = code_space_scene(view)
    live.validate_scene(spec)
    scatter, digit = spec["panels"]
    by_label = [m for m in scatter["marks"] if m.get("label")]
    assert [m["label"] for m in by_label] == [str(d) for d in range(10)]
    assert sum(len(m["x"]) for m in by_label) == len(codes)
    cross = scatter["marks"][-1]
    assert (cross["x"][0], cross["y"][0]) == (0.5, -1.0)
    image = digit["marks"][0]
    expected = np.round(np.clip(view.image[::-1], 0, 1) * 255).astype(np.uint8)
    np.testing.assert_array_equal(image["values"], expected)    # row 0 drawn at the bottom
