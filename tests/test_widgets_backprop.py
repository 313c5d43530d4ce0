"""Chapter 05's iteration explorer: the computed state at every slider position agrees with the
reference training run and with torch autograd, the table holds the chain-rule factors, and the
widget builds."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlcourse import worked_backprop as wb
from dlcourse.widgets import live
from dlcourse.widgets.backprop_steps import (
    backprop_steps,
    backprop_steps_scene,
    backprop_steps_view,
    draw_backprop_steps,
    factor_table_html,
    fast_weight_trajectory,
    iteration_options,
    symlog_position,
)


def autograd_gradient(w):
    wt = torch.tensor(w, requires_grad=True)
    x, t = torch.tensor(wb.INPUTS), torch.tensor(wb.TARGETS)
    out_h = torch.sigmoid(wt[:4].reshape(2, 2) @ x + wb.BIASES[0])
    out_o = torch.sigmoid(wt[4:].reshape(2, 2) @ out_h + wb.BIASES[1])
    (0.5 * ((t - out_o) ** 2).sum()).backward()
    return wt.grad.numpy()


def test_view_at_zero_is_the_text_network():
    view = backprop_steps_view(0)
    np.testing.assert_array_equal(view.weights, wb.WEIGHTS)
    assert wb.agrees_with_printed(view.error, "0.298371109")
    assert wb.agrees_with_printed(view.outputs[0], "0.75136507")
    assert wb.agrees_with_printed(view.table[4, 3], "0.082167041")
    printed = ["0.149780716", "0.19956143", "0.24975114", "0.29950229",
               "0.35891648", "0.408666186", "0.511301270", "0.561370121"]
    assert all(wb.agrees_with_printed(v, p) for v, p in zip(view.next_weights, printed,
                                                            strict=True))


@pytest.mark.parametrize("iteration", [1, 7, 100, 2500, 10_000])
def test_view_matches_the_training_run_and_autograd(iteration):
    view = backprop_steps_view(iteration)
    w, errors = wb.train(wb.INPUTS, wb.TARGETS, wb.WEIGHTS, wb.BIASES, 0.5, iteration)
    np.testing.assert_allclose(view.weights, w, rtol=1e-12)
    assert view.error == pytest.approx(errors[-1], rel=1e-10)
    assert view.errors.shape == (10_001,) and view.history.shape == (10_001, 8)
    np.testing.assert_allclose(view.table[:, 3], autograd_gradient(view.weights), rtol=1e-9,
                               atol=1e-15)
    np.testing.assert_allclose(view.table[:, 0] * view.table[:, 1] * view.table[:, 2],
                               view.table[:, 3], rtol=1e-12)
    if iteration < 10_000:
        np.testing.assert_allclose(view.next_weights, view.history[iteration + 1], rtol=1e-12)


def test_final_error_and_learning_rate():
    assert f"{backprop_steps_view(10_000).error:.2e}" == "3.51e-05"
    slow = backprop_steps_view(10_000, lr=0.1)
    assert slow.error > backprop_steps_view(10_000).error
    assert slow.lr == 0.1


def test_factor_table_lists_every_weight_and_factor():
    view = backprop_steps_view(0)
    html = factor_table_html(view)
    assert html.count("<tr>") == 9
    for k in range(1, 9):
        assert f"<td>w{k} (" in html
    assert "0.082167041" in f"{view.table[4, 3]:.9f}" and "+8.216704e-02" in html
    assert "i1 → h1" in html and "out_h2 → o2" in html
    assert "E = 0.298371109" in html


def test_iteration_options_are_sorted_and_cover_the_range():
    options = iteration_options()
    assert options[:11] == list(range(11)) and options[-1] == 10_000
    assert options == sorted(set(options))
    assert iteration_options(5) == [0, 1, 2, 3, 4, 5]


def test_bad_input_raises_clear_errors():
    with pytest.raises(ValueError, match="at most steps"):
        backprop_steps_view(20, steps=10)
    with pytest.raises(ValueError, match="iteration"):
        backprop_steps_view(-1)
    with pytest.raises(ValueError, match="lr"):
        backprop_steps_view(0, lr=0.0)


def test_drawing_and_widget_build():
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3)
    draw_backprop_steps(backprop_steps_view(3), axes)
    assert axes[0].get_yscale() == "log" and len(axes[2].lines) == 9
    plt.close(fig)
    ui = backprop_steps()
    slider, eta = ui.explorer.controls["iteration"], ui.explorer.controls["lr"]
    assert isinstance(slider, widgets.SelectionSlider) and slider.value == 1
    assert slider.options[-1] == 10_000 and isinstance(eta, widgets.FloatLogSlider)
    table = ui.children[-1]
    assert "∂E/∂w" in table.value
    slider.value = 10
    assert ui.figure.current["panels"][0]["title"] == f"E = {backprop_steps_view(10).error:.4g} " \
        "after 10 steps"
    assert table.value == factor_table_html(backprop_steps_view(10))
    eta.value = 0.63
    assert ui.figure.current["panels"][0]["title"] == \
        f"E = {backprop_steps_view(10, 0.63).error:.4g} after 10 steps"
    plt.close("all")


@pytest.mark.parametrize("lr", [0.01, 0.5, 0.63, 10.0])
def test_fast_trajectory_equals_the_reference_run(lr):
    weights, errors = fast_weight_trajectory(lr, 500)
    w, e = wb.weight_trajectory(wb.INPUTS, wb.TARGETS, wb.WEIGHTS, wb.BIASES, lr, 500)
    assert weights.shape == (501, 8) and errors.shape == (501,)
    np.testing.assert_allclose(weights, w, rtol=0, atol=1e-13)
    np.testing.assert_allclose(errors, e, rtol=1e-12, atol=0)
    with pytest.raises(ValueError, match="lr"):
        fast_weight_trajectory(0.0, 5)


def test_symlog_position_and_the_scene():
    np.testing.assert_allclose(symlog_position([0, 5, 10, 100, 10_000]), [0, 5, 10, 20, 40])
    view = backprop_steps_view(100)
    spec = backprop_steps_scene(view)
    live.validate_scene(spec)
    err, out, weights = spec["panels"]
    assert err["marks"][1]["x"][0] == pytest.approx(20.0)           # the point at iteration 100
    assert err["marks"][1]["y"][0] == pytest.approx(view.error)
    np.testing.assert_allclose(out["marks"][0]["height"], view.outputs)
    assert len([m for m in weights["marks"] if m["kind"] == "line"]) == 8
