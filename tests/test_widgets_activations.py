"""Chapter 03's activation explorer: its pure view against torch autograd and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as nnf

from dlcourse.widgets.activation_explorer import (
    NAMES,
    activation_explorer,
    activation_view,
    draw_activation,
)

TORCH = {
    "sigmoid": torch.sigmoid, "tanh": torch.tanh, "softsign": nnf.softsign, "relu": torch.relu,
    "leaky_relu": lambda t: nnf.leaky_relu(t, 0.3),
    "softplus": lambda t: nnf.softplus(t, threshold=100.0), "linear": lambda t: t * 1.0,
}


@pytest.mark.parametrize("name", sorted(TORCH))
def test_view_curves_and_tangent_match_autograd(name):
    rng = np.random.default_rng(len(name))
    for x0 in [*rng.uniform(-5.5, 5.5, size=4), 0.0]:
        view = activation_view(name, x0, alpha=0.3)
        xs = torch.tensor(view.xs, dtype=torch.float64, requires_grad=True)
        ys = TORCH[name](xs)
        ys.sum().backward()
        np.testing.assert_allclose(view.f, ys.detach().numpy(), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(view.df, xs.grad.numpy(), rtol=1e-12, atol=1e-12)
        t0 = torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)
        y0 = TORCH[name](t0)
        y0.backward()
        assert view.y0 == pytest.approx(y0.item(), abs=1e-12)
        assert view.slope == pytest.approx(t0.grad.item(), abs=1e-12)
        # the tangent is the line through (x0, f(x0)) with that slope
        np.testing.assert_allclose(view.tangent, y0.item() + t0.grad.item() * (view.xs - x0),
                                   rtol=1e-12, atol=1e-12)


def test_sigmoid_view_at_zero_and_its_saturation_edges():
    view = activation_view("sigmoid", 0.0)
    assert view.y0 == 0.5 and view.slope == 0.25 and not view.saturated_at_x0
    # σ(1 − σ) = 0.1  <=>  σ = (1 + √0.6)/2, so the edges are ±ln(σ/(1 − σ))
    s = (1 + math.sqrt(0.6)) / 2
    edge = math.log(s / (1 - s))
    (a0, a1), (b0, b1) = view.saturated
    assert (a0, b1) == (-6.0, 6.0)
    assert a1 == pytest.approx(-edge, abs=1e-9) and b0 == pytest.approx(edge, abs=1e-9)
    assert activation_view("sigmoid", 3.0).saturated_at_x0


def test_leaky_relu_saturation_depends_on_alpha_and_title_shows_it():
    low = activation_view("leaky_relu", -1.0, alpha=0.05)
    assert low.saturated_at_x0 and low.slope == 0.05
    assert low.saturated[0][0] == -6.0 and low.saturated[0][1] == pytest.approx(0.0, abs=1e-9)
    assert "α = 0.05" in low.title and "saturated" in low.title
    assert activation_view("leaky_relu", -1.0, alpha=0.2).saturated == []


def test_step_is_saturated_everywhere_and_linear_nowhere():
    assert activation_view("step", 1.0).saturated == [(-6.0, 6.0)]
    assert activation_view("linear", 1.0).saturated == []


def test_view_rejects_bad_input():
    with pytest.raises(ValueError, match="name"):
        activation_view("swish", 0.0)
    with pytest.raises((TypeError, ValueError), match="x0"):
        activation_view("relu", float("nan"))


def test_draw_and_widget_build():
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    for name in NAMES:
        fig, axes = plt.subplots(1, 2)
        draw_activation(activation_view(name, 1.0, 0.2), axes)
        plt.close(fig)
    ui = activation_explorer()
    controls = ui.children[0].children
    assert [c.description for c in controls] == ["function", "x", "leaky α"]
    assert isinstance(controls[1], widgets.FloatSlider) and controls[0].value == "sigmoid"


def test_scene_draws_f_its_tangent_and_the_saturated_ranges():
    from dlcourse.widgets import live
    from dlcourse.widgets.activation_explorer import activation_scene

    view = activation_view("tanh", 1.5)
    spec = activation_scene(view)
    live.validate_scene(spec)
    left, right = spec["panels"]
    spans = [m for m in left["marks"] if m["kind"] == "vspan"]
    assert [(m["lo"], m["hi"]) for m in spans] == [tuple(r) for r in view.saturated]
    f, tangent = (m for m in left["marks"] if m["kind"] == "line")
    np.testing.assert_array_equal(f["y"], view.f)
    np.testing.assert_array_equal(tangent["y"], view.tangent)
    point = next(m for m in right["marks"] if m["kind"] == "scatter")
    assert point["y"][0] == view.slope and spec["title"] == view.title
    threshold = next(m for m in right["marks"] if m["kind"] == "hline" and m.get("label"))
    assert threshold["y"] == view.threshold
