"""The check machinery: plain data, calling student code safely, comparing, reporting."""

from __future__ import annotations

import base64
import functools
import json
import math
import time

import numpy as np
import pytest
import torch

from dlcourse.checking import Case, Exercise, close, compare_values, describe, exact, status
from dlcourse.checking import studentside as ss
from dlcourse.checking.exercise import run_exercise
from dlcourse.checking.status import outcome_status
from dlcourse.exercises import ExerciseFailed, ExerciseNotImplemented, check

# ---------------------------------------------------------------- plain data


def test_to_plain_keeps_arrays_numbers_and_structure():
    value = (np.arange(3), 2, 1.5, True, None, "x", [np.float32(2.5)], {"k": np.int64(4)})
    plain = ss.to_plain(value)
    assert isinstance(plain, tuple) and isinstance(plain[6], list)
    assert plain[6][0] == 2.5 and type(plain[6][0]) is float
    assert plain[7] == {"k": 4} and type(plain[7]["k"]) is int
    assert plain[0].dtype == np.arange(3).dtype


def test_to_plain_converts_tensors_even_with_grad():
    t = torch.ones(2, 3, dtype=torch.float64, requires_grad=True) * 2
    out = ss.to_plain(t)
    assert isinstance(out, np.ndarray) and out.shape == (2, 3) and out.dtype == np.float64


def test_to_plain_returns_a_copy():
    a = np.zeros(3)
    out = ss.to_plain(a)
    a[0] = 1
    assert out[0] == 0


@pytest.mark.parametrize("bad", [object(), np.array(["a", "b"]), np.array([object()]),
                                 {1: 2}, lambda: 0, np.zeros(2, dtype=complex)])
def test_to_plain_refuses_objects_with_a_message(bad):
    with pytest.raises(ss.PlainDataError, match="the result"):
        ss.to_plain(bad)


def test_to_plain_refuses_an_object_that_claims_equality():
    class Liar:
        def __eq__(self, other):
            return True

    with pytest.raises(ss.PlainDataError, match="Liar"):
        ss.to_plain(Liar())


def test_encode_decode_round_trip():
    value = ([np.arange(4.0).reshape(2, 2), (1, float("nan"), float("-inf"))],
             {"a": np.array([True, False])}, None, np.zeros((0, 3), dtype=np.int32),
             np.array(2.5), np.arange(6.0).reshape(2, 3).T, np.arange(3, dtype=">i4"))
    back = ss.decode(json.loads(json.dumps(ss.encode(value))))
    assert np.array_equal(back[0][0], value[0][0])
    assert back[0][1][0] == 1 and math.isnan(back[0][1][1]) and back[0][1][2] == -math.inf
    assert back[1]["a"].dtype == bool and back[2] is None
    assert isinstance(back[0][1], tuple) and back[3].shape == (0, 3)
    assert back[3].dtype == np.int32
    assert back[4].shape == () and back[4] == 2.5  # 0-d stays 0-d
    assert np.array_equal(back[5], value[5])       # a transposed (non-contiguous) array
    assert np.array_equal(back[6], [0, 1, 2])      # big-endian data arrives as numbers


def _array_node(dtype="<f8", shape=(2,), data=None):
    if data is None:
        raw = np.zeros(int(np.prod(shape)), dtype=np.float64 if dtype == "|O" else dtype)
        data = base64.b64encode(raw.tobytes()).decode()
    return {"__array__": [dtype, list(shape), data]}


@pytest.mark.parametrize(("tree", "phrase"), [
    (_array_node("|O"), "not allowed"),                       # objects would mean pickles
    (_array_node("<c16"), "not allowed"),                     # complex
    (_array_node(">f8"), "not allowed"),                      # byte order not ours
    (_array_node(shape=(3,), data=base64.b64encode(b"x" * 8).decode()), "does not match"),
    (_array_node(shape=(10**4, 10**4), data=""), "elements"),
    (_array_node(data="!!!!"), "does not match"),
    ({"__float__": "1e999"}, "nan, inf"),
    ({"__array__": "x"}, "dtype, shape, data"),
    ({"status": "passed"}, "unexpected node"),
    ({"__tuple__": [1], "__dict__": {}}, "unexpected dict"),
    (functools.reduce(lambda inner, _: [inner], range(ss.MAX_DEPTH + 3), 1), "levels deep"),
    ("x" * (ss.MAX_TEXT + 1), "characters"),
    ([0] * (ss.MAX_NODES + 1), "values"),
])
def test_decode_refuses_what_encode_cannot_have_made(tree, phrase):
    with pytest.raises(ss.WireError, match=phrase):
        ss.decode(tree)


# ---------------------------------------------------------------- calling student code


def _call(fn, *args, timeout=None):
    return ss.call_student(lambda impls, a, k: impls[0](*a, **k), (fn,), args, {},
                           timeout=timeout)


def test_call_student_records_each_failure_mode():
    def boom(x):
        raise ValueError("bad input")

    def todo(x):
        raise NotImplementedError("01.x: write your code here")

    def leave(x):
        raise SystemExit(3)

    assert _call(lambda x: x + 1, 1) == {"value": 2}
    failed = _call(boom, 1)
    assert failed["raised"] == "ValueError" and failed["message"] == "bad input"
    assert outcome_status(failed) == status.ERROR
    assert outcome_status(_call(todo, 1)) == status.NOT_IMPLEMENTED
    assert outcome_status(_call(leave, 1)) == status.EXIT
    assert outcome_status(_call(lambda x: object(), 1)) == status.WRONG_TYPE
    # an outcome never carries a status: the trusted side derives it
    assert all("status" not in _call(f, 1) for f in (boom, todo, leave, lambda x: 1))


def test_call_student_stops_an_endless_loop():
    def spin(x):
        while True:
            try:  # noqa: SIM105 - a student's catch-all must not swallow the timeout
                x += 1
            except Exception:
                pass

    start = time.perf_counter()
    record = _call(spin, 0, timeout=0.3)
    assert outcome_status(record) == status.TIMEOUT
    assert time.perf_counter() - start < 3


def test_call_student_passes_copies_of_the_inputs():
    data = np.zeros(3)

    def mutate(a):
        a[:] = 7
        return a.sum()

    assert _call(mutate, data)["value"] == 21
    assert np.all(data == 0)


# ---------------------------------------------------------------- comparing


def test_compare_values_accepts_equal_within_tolerance():
    assert compare_values(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-12])).passed
    assert compare_values((np.ones(2), 3.0), [np.ones(2), 3.0]).passed
    assert compare_values(2.0, np.array(2.0)).passed
    assert compare_values(np.array([np.nan, 1.0]), np.array([np.nan, 1.0])).passed


@pytest.mark.parametrize(("got", "phrase"), [
    (np.array([1.0, 2.5]), "1 of 2 values differs"),
    (np.array([[1.0, 2.0]]), "shape (1, 2), expected (2,)"),
    (np.array([np.nan, 2.0]), "differs"),
    ((1.0, 2.0), "expected array"),
    (None, "expected array"),
])
def test_compare_values_explains_differences(got, phrase):
    verdict = compare_values(np.array([1.0, 2.0]), got)
    assert not verdict.passed
    assert phrase in verdict.why


def test_compare_values_names_recognisable_mistakes():
    e = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert "transpose" in compare_values(e, e.T).hint
    assert "sign" in compare_values(e, -e).hint
    assert "same amount" in compare_values(e, e + 0.5).hint
    assert "times" in compare_values(e, 2 * e).hint
    assert "NaN" in compare_values(e, e * np.nan).hint
    assert "transposed" in compare_values(np.ones((2, 3)), np.ones((3, 2))).hint


def test_exact_and_close_are_strict_where_they_must_be():
    assert not exact()(np.array([1.0]), np.array([1.0 + 1e-15]), None).passed
    assert close(1e-3, 0)(np.array([1.0]), np.array([1.0005]), None).passed
    assert not close(1e-4, 0)(np.array([1.0]), np.array([1.0005]), None).passed


def test_describe_is_short_and_informative():
    text = describe(np.arange(100.0))
    assert "float64 array of shape (100,)" in text and len(text) < 150


# ---------------------------------------------------------------- a whole check


def _square_exercise(**overrides):
    spec = dict(id="99.square", title="square numbers", functions=("square",),
                reference=(lambda x: x * x,),
                cases=lambda: [Case((np.array([1.0, 2.0, 3.0]),), label="1, 2, 3",
                                    expected=np.array([1.0, 4.0, 9.0]))],
                random_case=lambda rng: Case((rng.normal(size=4),)))
    spec.update(overrides)
    return Exercise(**spec)


def test_run_exercise_groups_results_and_passes_the_reference():
    report = run_exercise(_square_exercise(), (lambda x: x ** 2,))
    assert report.passed and len(report.results) == 6
    text = report.text()
    assert "✓ from the text: 1 of 1 passed" in text and "✓ random: 5 of 5 passed" in text


def test_run_exercise_reports_a_failure_with_inputs_expected_got_and_hint():
    ex = _square_exercise(hint="multiply x by itself")
    report = run_exercise(ex, (lambda x: 2 * x,))
    text = report.text()
    assert not report.passed
    for phrase in ("✗ from the text", "inputs:", "expected:", "got:", "why:", "hint:"):
        assert phrase in text


def test_run_exercise_stops_at_not_implemented():
    def square(x):
        raise NotImplementedError("99.square: write your code here")

    report = run_exercise(_square_exercise(), (square,))
    assert report.not_implemented and len(report.results) == 1
    assert "not implemented yet" in report.text()


def test_check_prints_and_raises(capsys):
    from dlcourse.activations import step

    check("01.step", step)
    assert "All 6 cases passed." in capsys.readouterr().out
    with pytest.raises(ExerciseFailed, match="01.step"):
        check("01.step", lambda z: np.where(z >= 0, 1.0, 0.0))
    assert "step(0) must be 0" in capsys.readouterr().out

    def step_todo(z):
        raise NotImplementedError("01.step: write your code here")

    with pytest.raises(ExerciseNotImplemented, match="01.step"):
        check("01.step", step_todo)
    assert isinstance(ExerciseNotImplemented("x"), NotImplementedError)


def test_check_rejects_bad_calls_clearly():
    with pytest.raises(KeyError, match="unknown exercise '01.nope'"):
        check("01.nope", print)
    with pytest.raises(TypeError, match="needs 1 function"):
        check("01.step", print, print)
    with pytest.raises(TypeError, match="not a int"):
        check("01.step", 3)
    with pytest.raises(KeyError, match="look like '01.step'"):
        check("step", print)


def test_exception_renders_without_a_traceback_in_ipython():
    assert ExerciseFailed("x")._render_traceback_()[0].endswith("x")
    assert "ExerciseNotImplemented" in ExerciseNotImplemented("y")._render_traceback_()[0]


def test_a_crashing_diagnose_does_not_break_the_verdict():
    def broken(case, expected, got):
        raise IndexError("hint code bug")

    report = run_exercise(_square_exercise(diagnose=broken, hint="fallback hint"),
                          (lambda x: x + 1,))
    assert not report.passed
    assert report.results[0].hint == "fallback hint"
