"""Chapter 04's softmax explorer: its pure view against torch and the seed's numbers."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as nnf

from dlcourse.widgets.softmax_explorer import draw_softmax, softmax_explorer, softmax_view


@pytest.mark.parametrize("k", [2, 3, 4, 7])
def test_view_matches_torch_cross_entropy_and_autograd(k):
    rng = np.random.default_rng(k)
    for scale in (1.0, 5.0, 500.0):
        z = rng.normal(scale=scale, size=k)
        target = int(rng.integers(0, k))
        view = softmax_view(z, target)
        zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
        loss = nnf.cross_entropy(zt[None], torch.tensor([target]))
        loss.backward()
        np.testing.assert_allclose(view.probs, torch.softmax(zt, 0).detach().numpy(),
                                   rtol=1e-12, atol=1e-300)
        assert view.loss == pytest.approx(loss.item(), rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(view.grad, zt.grad.numpy(), rtol=1e-12, atol=1e-15)
        assert np.isfinite(view.loss)


def test_seed_example_and_title():
    view = softmax_view([3.0, 1.0, -3.0], 0)
    np.testing.assert_allclose(np.round(view.probs, 4), [0.8789, 0.1189, 0.0022])
    assert view.predicted == 0 and view.loss == pytest.approx(-np.log(view.probs[0]))
    assert view.title.startswith("true class 0: p = 0.8789") and "right" in view.title
    wrong = softmax_view([3.0, 1.0, -3.0], 2)
    assert "wrong (predicts 0)" in wrong.title and wrong.grad[2] < 0 < wrong.grad[0]


def test_view_keeps_input_and_rejects_bad_input():
    z = np.array([1.0, 2.0])
    softmax_view(z, 1)
    np.testing.assert_array_equal(z, [1.0, 2.0])
    with pytest.raises(ValueError, match="target must be a class index 0..1"):
        softmax_view(z, 2)
    with pytest.raises(ValueError, match="at least two logits"):
        softmax_view([1.0], 0)
    with pytest.raises(ValueError, match=r"\(K,\)"):
        softmax_view(np.zeros((2, 2)), 0)


def test_draw_and_widget_build():
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3)
    draw_softmax(softmax_view([0.5, -1.0, 2.0, 0.0], 3), axes)
    plt.close(fig)
    ui = softmax_explorer()
    controls = ui.children[0].children
    assert [c.description for c in controls] == ["z0", "z1", "z2", "z3", "true class"]
    assert isinstance(controls[0], widgets.FloatSlider) and controls[0].value == 3.0


def test_scene_bars_are_the_logits_probabilities_and_gradient():
    from dlcourse.widgets import live
    from dlcourse.widgets.softmax_explorer import softmax_scene

    view = softmax_view([2.0, -1.0, 0.5], 2)
    spec = softmax_scene(view)
    live.validate_scene(spec)
    logits, probs, grads = (p["marks"][0] for p in spec["panels"])
    np.testing.assert_array_equal(logits["height"], view.logits)
    np.testing.assert_array_equal(probs["height"], view.probs)
    np.testing.assert_array_equal(grads["height"], view.grad)
    assert probs["colors"] == ["#0072B2", "#0072B2", "#D55E00"]   # the true class stands out
    labels = [m["text"] for m in spec["panels"][1]["marks"] if m["kind"] == "text"]
    assert labels == [f"{p:.3f}" for p in view.probs]
    assert spec["title"] == view.title
