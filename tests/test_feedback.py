"""Feedback a student can act on (issue 17 §5): each test pins one gap the student who worked
chapters 01, 05, 10 and 11 ran into, and fails without its fix."""

from __future__ import annotations

import re

import numpy as np
import pytest
from variants import build
from variants.ch05 import _forward, _update
from variants.ch10 import _GN, _LN, _WN, _mutate
from variants.ch11 import _CONV, _CONV_PER_PIXEL

from dlcourse.checking import compare_values, describe
from dlcourse.checking.exercise import run_exercise
from dlcourse.checking.hints import GENERAL_RULES, hint_for_error
from dlcourse.exercises import chapter_exercises, chapters, get_exercise

EXERCISES = [ex for ch in chapters() for ex in chapter_exercises(ch).values()]


def _report(exercise_id: str, source: str, seed: int = 2024):
    exercise = get_exercise(exercise_id)
    return run_exercise(exercise, build(source, exercise.functions), seed=seed)


def _first_failure(report):
    return next(r for r in report.results if not r.passed)


# ---------------------------------------------------------------- arrays changed in place


@pytest.mark.parametrize(("exercise_id", "source"), [
    ("05.update_step", _update("    w -= lr * _grad(x, target, w, b)\n    return w\n")),
    ("01.perceptron_update", "def perceptron_update(w, b, x, y, lr=1.0):\n"
                             "    if y * (x @ w + b) <= 0:\n        w += lr * y * x\n"
                             "    return w, b + lr * y\n"),
])
def test_an_update_done_in_place_is_named_as_such(exercise_id, source):
    failure = _first_failure(_report(exercise_id, source))
    assert "w was changed in place; return new arrays" in failure.why
    assert "copy" in failure.hint and "new" in failure.hint


# ---------------------------------------------------------------- parameter names


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.id)
def test_reports_name_the_inputs_not_arg0(exercise):
    for case in exercise.all_cases(seed=5):
        text = exercise.describe_inputs(case)
        assert not re.search(r"\barg\d+=", text), f"{exercise.id} {case.label!r}: {text[:200]}"


@pytest.mark.parametrize(("exercise_id", "names"), [
    ("11.conv2d", ("x=", "w=", "b=", "stride=", "padding=", "dilation=", "dout=")),
    ("11.max_pool2d", ("x=", "kernel_size=", "stride=", "padding=")),
    ("10.batch_norm", ("x=", "gamma=", "beta=", "running_mean=", "running_var=")),
    ("10.group_norm", ("x=", "gamma=", "beta=", "num_groups=", "eps=")),
    ("10.weight_norm", ("v=", "g=")),
])
def test_forward_backward_reports_show_the_parameter_names(exercise_id, names):
    exercise = get_exercise(exercise_id)
    text = exercise.describe_inputs(exercise.cases()[-1])
    for name in names:
        assert name in text, (name, text[:300])


# ---------------------------------------------------------------- hints for exceptions


@pytest.mark.parametrize(("exercise_id", "error", "phrase"), [
    ("01.neuron_forward", "ValueError: matmul: Input operand 1 has a mismatch in its core "
     "dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 4 is different from 2)",
     "row format"),
    ("06.dense", "ValueError: matmul: Input operand 1 has a mismatch in its core dimension 0, "
     "with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 4 is different from 2)", "order of the"),
    ("11.conv_param_count", "TypeError: can't multiply sequence by non-int of type 'tuple'",
     "kh, kw = (k, k) if isinstance(k, int) else k"),
    ("11.conv2d", "ValueError: could not broadcast input array from shape (2,3,5,5) into shape "
     "(2,3,0,0)", "a[P:-P] with P = 0"),
    ("11.conv2d", "RuntimeError: too slow: forward + backward took 358 ms", "sliding_window_view"),
    ("11.max_pool2d", "ValueError: zero-size array to reduction operation maximum which has no "
     "identity", "a[P:-P]"),
    ("03.relu", "ValueError: The truth value of an array with more than one element is "
     "ambiguous. Use a.any() or a.all()", "np.where"),
    ("05.update_step", "ValueError: w was changed in place; return new arrays", "a.copy()"),
    ("04.one_hot", "IndexError: index 3 is out of bounds for axis 1 with size 3", "size − 1"),
    ("11.conv_output_size", "TypeError: slice indices must be integers or None", "//"),
])
def test_common_exceptions_get_a_hint(exercise_id, error, phrase):
    hint = hint_for_error(get_exercise(exercise_id), None, error)
    assert hint and phrase in hint, hint


def test_an_empty_slice_hint_names_the_zero_padding_of_the_case():
    exercise = get_exercise("11.max_pool2d")
    error = "ValueError: zero-size array to reduction operation maximum which has no identity"
    no_padding = next(c for c in exercise.all_cases(seed=1) if c.args[3] == 0)
    assert "this case has padding 0" in hint_for_error(exercise, no_padding, error)
    padded = next(c for c in exercise.all_cases(seed=1) if c.args[3] > 0)
    assert "this case has padding" not in hint_for_error(exercise, padded, error)


def test_hint_for_error_is_quiet_on_what_it_does_not_know_and_never_raises():
    exercise = get_exercise("01.step")
    assert hint_for_error(exercise, None, "KeyError: 'net_h1'") is None
    assert hint_for_error(exercise, None, "") is None
    assert hint_for_error(None, None, None) is None
    # the strict driver of chapters 03-04 explains an overflow itself
    assert hint_for_error(get_exercise("03.sigmoid"), None,
                          "FloatingPointError: in sigmoid: NumPy reports 'overflow'") is None
    for pattern, _ in GENERAL_RULES:
        re.compile(pattern)


def test_a_column_format_forward_gets_the_row_format_hint_in_the_report():
    failure = _first_failure(_report("01.neuron_forward",
                                     "def neuron_forward(X, w, b):\n    return w @ X + b\n"))
    assert "ValueError" in failure.why and "row format" in failure.hint


def test_an_empty_gradient_from_a_zero_padding_slice_is_explained():
    source = _mutate(_CONV, "    dx = dxp[:, :, p:p + H, p:p + W]",
                     "    dx = dxp[:, :, p:-p, p:-p]")
    report = _report("11.conv2d", source)
    failure = next(r for r in report.results if not r.passed and "dx" in r.why)
    assert "a[P:-P] with P = 0" in failure.hint


# ---------------------------------------------------------------- pinned hints


def test_weight_norm_hint_says_every_axis_except_0():
    wrong = _mutate(_WN, "length = np.sqrt(np.sum(v * v, axis=axes, keepdims=True))",
                    "length = np.sqrt(np.sum(v * v, axis=0, keepdims=True))")
    assert "every axis except 0" in _first_failure(_report("10.weight_norm", wrong)).hint
    wrong = _mutate(_WN, "return g.reshape(shape) * u,", "return g.reshape(shape) * u * 1.5,")
    hint = _first_failure(_report("10.weight_norm", wrong)).hint
    assert "every axis except 0" in hint and not hint.rstrip(".").endswith("axis 0")


@pytest.mark.parametrize(("exercise_id", "source"), [
    ("10.group_norm", _mutate(_GN, "dxhat = (dout * gamma.reshape(shape)).reshape(N, G, -1)",
                              "dxhat = dout.reshape(N, G, -1)")),
    ("10.layer_norm", _mutate(_LN, "dxhat = dout * gamma", "dxhat = dout")),
])
def test_a_backward_without_gamma_is_pinned(exercise_id, source):
    assert "dx forgets γ" in _first_failure(_report(exercise_id, source)).hint


def test_a_transposed_output_layer_is_pinned():
    source = _forward(net_o1="w[4] * out_h1 + w[6] * out_h2 + b[1]").replace(
        "net_o2 = w[6] * out_h1 + w[7] * out_h2 + b[1]",
        "net_o2 = w[5] * out_h1 + w[7] * out_h2 + b[1]")
    assert "output layer is transposed" in _first_failure(_report("05.forward", source)).hint


# ---------------------------------------------------------------- what "why" says


def test_why_names_the_largest_difference():
    why = compare_values(np.zeros(4), np.array([0.0, 1e-3, 5.0, 0.0])).why
    assert "2 of 4 values differ; the largest difference is at index (2,)" in why
    assert "expected 0.0, got 5.0" in why
    why = compare_values(np.zeros(4), np.array([0.0, 0.0, 5.0, 0.0])).why
    assert "1 of 4 values differs, at index (2,)" in why


def test_a_long_list_is_described_once():
    why = compare_values(np.arange(8.0), [float(v) for v in range(8)]).why
    assert why.startswith("got list of 8 items") and "list list" not in why
    assert "tuple tuple" not in compare_values(np.ones(2), (1.0, 2.0)).why
    assert describe(3.0) == "3.0" and describe(3) == "3"


# ---------------------------------------------------------------- contracts the text states


def test_step_must_return_numbers_not_booleans():
    failure = _first_failure(_report("01.step", "def step(z):\n    return z > 0\n"))
    assert "booleans" in failure.why and "astype(float)" in failure.hint


def test_conv_output_size_must_return_an_int():
    failure = _first_failure(_report(
        "11.conv_output_size", "def conv_output_size(n, kernel_size, stride=1, padding=0, "
        "dilation=1):\n    return float((n + 2 * padding - dilation * (kernel_size - 1) - 1) "
        "// stride + 1)\n"))
    assert "got the float 3.0, expected an integer (3)" in failure.why and "//" in failure.hint


def test_a_per_pixel_loop_in_the_vectorized_conv2d_is_too_slow():
    report = _report("11.conv2d", _CONV_PER_PIXEL)
    failed = [r for r in report.results if not r.passed]
    assert [r.label for r in failed] == [get_exercise("11.conv2d").cases()[-1].label]
    assert "too slow" in failed[0].why and "sliding_window_view" in failed[0].hint


def test_a_loop_over_output_positions_only_is_fast_enough():
    """The speed check is generous: vectorized over the batch, filters and channels, a loop
    over the output positions passes."""
    loop_over_positions = """
def conv2d_forward(x, w, b, stride=1, padding=0, dilation=1):
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    S, P, D = stride, padding, dilation
    xp = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
    OH = (H + 2 * P - D * (KH - 1) - 1) // S + 1
    OW = (W + 2 * P - D * (KW - 1) - 1) // S + 1
    out = np.zeros((N, F, OH, OW))
    for i in range(OH):
        for j in range(OW):
            win = xp[:, :, i * S:i * S + D * (KH - 1) + 1:D, j * S:j * S + D * (KW - 1) + 1:D]
            out[:, :, i, j] = np.tensordot(win, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, (x, w, S, P, D)

def conv2d_backward(dout, cache):
    x, w, S, P, D = cache
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    _, _, OH, OW = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for i in range(OH):
        for j in range(OW):
            at = (slice(None), slice(None), slice(i * S, i * S + D * (KH - 1) + 1, D),
                  slice(j * S, j * S + D * (KW - 1) + 1, D))
            dw += np.tensordot(dout[:, :, i, j], xp[at], axes=([0], [0]))
            dxp[at] += np.tensordot(dout[:, :, i, j], w, axes=([1], [0]))
    return dxp[:, :, P:P + H, P:P + W], dw, dout.sum(axis=(0, 2, 3))
"""
    report = _report("11.conv2d", loop_over_positions)
    assert report.passed, report.text()
