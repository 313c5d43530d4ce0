"""Chapter 13's explorer: gradient norms by time lag for a tanh RNN and an LSTM."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse.recurrent import gradient_norms_through_time
from dlcourse.widgets.gradient_flow import (
    draw_gradient_flow,
    gradient_flow_explorer,
    gradient_flow_view,
)


def test_view_holds_the_reference_curves_ordered_by_lag():
    view = gradient_flow_view(seq_len=30, weight_scale=0.8, forget_bias=2.0, hidden=8, seed=3)
    np.testing.assert_array_equal(view.lags, np.arange(30))
    np.testing.assert_array_equal(
        view.rnn, gradient_norms_through_time("rnn", 30, 8, 3, 0.8, 2.0)[::-1])
    np.testing.assert_array_equal(
        view.lstm, gradient_norms_through_time("lstm", 30, 8, 3, 0.8, 2.0)[::-1])
    assert view.rnn[0] == pytest.approx(1.0) and view.lstm[0] == pytest.approx(1.0)
    assert "lag 29" in view.title


def test_default_setting_teaches_the_point():
    view = gradient_flow_view()
    assert view.rnn[-1] < 1e-8                    # the tanh RNN's gradient has vanished
    assert view.lstm[-1] > 1e4 * view.rnn[-1]     # the LSTM keeps orders of magnitude more
    closed = gradient_flow_view(forget_bias=-3.0)
    assert closed.lstm[-1] < view.lstm[-1]         # closing the forget gates makes it forget


def test_draw_and_explorer():
    import ipywidgets as widgets

    fig, ax = plt.subplots()
    draw_gradient_flow(gradient_flow_view(seq_len=10), ax)
    assert len(ax.get_lines()) == 2 and ax.get_yscale() == "log"
    plt.close(fig)
    ui = gradient_flow_explorer(seq_len=40)
    sliders = [c for c in ui.children[0].children if isinstance(c, widgets.widgets.ValueWidget)]
    assert [s.description for s in sliders] == ["length T", "weight scale", "forget bias"]
    assert sliders[0].value == 40


def test_bad_input():
    with pytest.raises(ValueError, match="seq_len must be at least 2"):
        gradient_flow_view(seq_len=1)
    with pytest.raises(ValueError, match="weight_scale must be ≥ 0"):
        gradient_flow_view(weight_scale=-1.0)


def test_scene_plots_both_curves_on_a_log_axis_with_a_floor():
    from dlcourse.widgets import live
    from dlcourse.widgets.gradient_flow import FLOOR, gradient_flow_scene

    view = gradient_flow_view(40, 0.3, 1.0)
    spec = gradient_flow_scene(view)
    live.validate_scene(spec)
    (p,) = spec["panels"]
    rnn, lstm = p["marks"]
    np.testing.assert_array_equal(rnn["y"], np.maximum(view.rnn, FLOOR))
    np.testing.assert_array_equal(lstm["y"], np.maximum(view.lstm, FLOOR))
    assert p["yscale"] == "log" and p["ylim"][0] <= rnn["y"].min()
    assert p["ylim"][1] >= max(rnn["y"].max(), lstm["y"].max())
