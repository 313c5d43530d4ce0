"""Chapter 05's iteration explorer: the computed state at every slider position agrees with the
reference training run and with torch autograd, the table holds the chain-rule factors, and the
widget builds."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from dlcourse import worked_backprop as wb
from dlcourse.widgets.backprop_steps import (
    backprop_steps,
    backprop_steps_view,
    draw_backprop_steps,
    factor_table_html,
    iteration_options,
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
    slider, eta = ui.children[0].children
    assert isinstance(slider, widgets.SelectionSlider) and slider.value == 1
    assert slider.options[-1] == 10_000 and isinstance(eta, widgets.FloatLogSlider)
    assert isinstance(ui.children[1], widgets.Output)
    plt.close("all")
