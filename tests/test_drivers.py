"""The drivers every chapter shares (dlcourse/checking/drivers.py): call, call_strict and
forward_backward, the one in-place check, and the ``parts`` comparator."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from dlcourse.checking import drivers, studentside
from dlcourse.checking.compare import parts
from dlcourse.checking.drivers import (
    call,
    call_strict,
    forward_backward,
    forward_stats_backward,
    refuse_changes,
)


def _affine_forward(x, w, scale=1.0):
    return scale * x @ w, (x, w, scale)


def _affine_backward(dout, cache):
    x, w, scale = cache
    return scale * dout @ w.T, scale * x.T @ dout


def test_forward_backward_feeds_the_students_own_cache_and_passes_keywords():
    rng = np.random.default_rng(0)
    x, w, dout = rng.normal(size=(3, 2)), rng.normal(size=(2, 4)), rng.normal(size=(3, 4))
    out, (dx, dw) = forward_backward((_affine_forward, _affine_backward), (x, w),
                                     {"scale": 2.0, "dout": dout})
    np.testing.assert_allclose(out, 2.0 * x @ w)
    np.testing.assert_allclose(dx, 2.0 * dout @ w.T)
    np.testing.assert_allclose(dw, 2.0 * x.T @ dout)


def test_drivers_refuse_a_forward_with_the_wrong_number_of_values():
    with pytest.raises(TypeError, match=r"<lambda> must return the pair \(out, cache\), like "
                                        r"every layer; got tuple of length 3"):
        forward_backward((lambda x: (x, x, x), None), (np.ones(2),), {"dout": np.ones(2)})
    bn_args = (np.arange(3.0)[:, None], None, None, np.zeros(1), np.ones(1))
    bn_kwargs = {"dout": np.ones((3, 1)), "momentum": 0.5}
    with pytest.raises(TypeError, match=r"pair \(out, cache\), like every layer; got tuple"):
        forward_stats_backward((lambda x, g, b, rm, rv: (x, None, rm, rv), None, None),
                               bn_args, bn_kwargs)
    with pytest.raises(TypeError, match=r"pair \(new_running_mean, new_running_var\)"):
        forward_stats_backward((lambda *a: (a[0], "c"), lambda d, c: (d, c),
                                lambda x, rm, rv, momentum: rm), bn_args, bn_kwargs)
    out = forward_stats_backward((lambda x, g, b, rm, rv: (2 * x, "c"), lambda d, c: (d, c),
                                  lambda x, rm, rv, momentum: (rm + momentum, x.var() + rv)),
                                 bn_args, bn_kwargs)
    assert out[1:3] == (0.5, 1 + 2 / 3) and out[3][1] == "c"


def test_drivers_are_self_contained():
    """Rebuilt from the module's source alone (as in the grader's sandbox), they still work."""
    def stats_forward(x, gamma, beta, running_mean, running_var):
        return x, x

    def running_stats(x, running_mean, running_var, momentum):
        return x.mean(axis=0), x.var(axis=0)

    cases = [(forward_backward, (_affine_forward, _affine_backward),
              (np.ones((1, 2)), np.ones((2, 1))), {}),
             (forward_stats_backward, (stats_forward, lambda d, c: d * c, running_stats),
              (np.ones((2, 2)), None, None, np.zeros(2), np.ones(2)), {"momentum": 0.1})]
    library = inspect.getsource(drivers)
    assert "dlcourse" not in library and "import dlcourse" not in library
    for driver, impls, args, kwargs in cases:
        rebuilt = studentside.load_driver(drivers.driver_sources(driver), driver.__name__)
        record = studentside.call_student(rebuilt, impls, args,
                                          {"dout": np.ones((1, 1)), **kwargs})
        assert "value" in record, record


def test_parts_names_the_first_part_that_differs():
    compare = parts(("out", ("dx", "dw")), rtol=1e-9, atol=1e-12)
    expected = (np.ones(3), (np.zeros(2), np.arange(4.0)))
    assert compare(expected, (np.ones(3), [np.zeros(2), np.arange(4.0)])).passed
    verdict = compare(expected, (np.ones(3), (np.zeros(2), np.arange(4.0) + 1e-6)))
    assert not verdict.passed and verdict.why.startswith("dw: 4 of 4 values differ")
    verdict = compare(expected, (np.ones(3), np.zeros(2)))
    assert not verdict.passed and "expected 2 values (dx, dw)" in verdict.why
    assert "(dx, dw)" in verdict.hint
    verdict = compare(expected, (np.ones(4), (np.zeros(2), np.arange(4.0))))
    assert verdict.why.startswith("out: shape (4,), expected (3,)")


def test_drivers_refuse_code_that_changes_its_inputs_in_place():
    def scaling_forward(x, gamma):
        gamma *= 2.0                                   # the mistake
        return x * gamma, gamma

    def scaling_backward(dout, cache):
        dout *= cache                                  # the same mistake in the backward
        return dout

    x, gamma = np.ones((2, 3)), np.ones(3)
    with pytest.raises(ValueError, match="gamma was changed in place"):
        forward_backward((scaling_forward, lambda d, c: d), (x, gamma), {"dout": np.ones((2, 3))})
    with pytest.raises(ValueError, match="dout was changed in place"):
        forward_backward((lambda x: (x, 2.0), scaling_backward), (x,), {"dout": np.ones((2, 3))})
    with pytest.raises(ValueError, match="running_mean was changed in place"):
        def running_stats(x, running_mean, running_var, momentum):
            running_mean += momentum
            return running_mean, running_var

        forward_stats_backward((lambda x, g, b, running_mean, rv: (x, None), lambda d, c: d,
                                running_stats), (x, gamma, gamma, np.zeros(3), np.ones(3)),
                               {"dout": x, "momentum": 0.1})


def test_a_forward_that_changes_its_own_copy_does_not_touch_the_callers_arrays():
    def forward(x, w):
        x *= 2.0
        return x @ w, None

    x, w = np.ones((2, 2)), np.eye(2)
    with pytest.raises(ValueError, match=r"^x was changed in place; return new arrays \(e\.g\. "
                                         r"x_new = x - \.\.\., not x -= \.\.\."):
        forward_backward((forward, lambda d, c: d), (x, w), {"dout": np.ones((2, 2))})
    assert np.array_equal(x, np.ones((2, 2)))     # each function works on copies


def test_the_backward_names_its_own_upstream_gradient():
    def rnn_backward(dh, cache):
        dh *= 0.5
        return dh

    with pytest.raises(ValueError, match="^dh was changed in place"):
        forward_backward((lambda x: (x, None), rnn_backward), (np.ones(2),),
                         {"dout": np.ones(2)})


def test_no_two_arguments_share_memory():
    # a case may pass the same array twice; a change through one name is blamed on that name
    shared = np.ones((1, 1))

    def forward(x, h):
        h += 1.0
        return x + h, None

    with pytest.raises(ValueError, match="^h was changed in place"):
        forward_backward((forward, lambda d, c: d), (shared, shared), {"dout": shared})


def test_call_and_call_strict_name_what_changed():
    def step(w, grad, lr):
        w -= lr * grad
        return w

    with pytest.raises(ValueError, match=r"^w was changed in place; return new arrays"):
        call((step,), (np.ones(2), np.ones(2), 0.1), {})
    with pytest.raises(ValueError, match=r"^params was changed in place"):
        call((lambda params: params["w"].fill(0),), ({"w": np.ones(2)},), {})

    def f(x):
        return np.tanh(x)

    def f_grad(x):
        x += 1.0
        return 1 - np.tanh(x - 1.0) ** 2

    with pytest.raises(ValueError, match=r"^x was changed in place by f_grad; return new"):
        call_strict((f, f_grad), (np.ones(3),), {})
    def f_exp(x):
        return np.exp(x)

    with pytest.raises(FloatingPointError, match="in f_exp: NumPy reports"):
        call_strict((f_exp,), (np.array([1000.0]),), {})


def test_refuse_changes_says_what_to_write_and_names_several():
    def fn(a, b):
        return a

    kept = [np.zeros(2), np.zeros(2)]
    with pytest.raises(ValueError, match=r"^a and b were changed in place; return new arrays "
                                         r"\(c = f \* c_prev\)\.$"):
        refuse_changes(fn, [np.ones(2), np.ones(2)], kept, example="c = f * c_prev")
    refuse_changes(fn, [np.zeros(2), np.array([np.nan])], [np.zeros(2), np.array([np.nan])])
