"""Argument checks name the public function that was called, without being told its name."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from dlcourse import layers
from dlcourse._validate import as_array, positive_int, public_name

# A small module that lives (by its __name__) inside dlcourse, so that the stack walk sees it.
SOURCE = textwrap.dedent('''
    def dense(x):
        return _check(x)

    def _check(x):
        return as_array(x, "x", ndim=2, layout="(N, D)")

    def sizes(values):
        return [positive_int(v, "size") for v in values]

    def report():
        return public_name()

    def outer():
        def inner():
            return public_name()
        return inner()

    class Model:
        def __init__(self, width):
            self.width = positive_int(width, "width")

        def step(self, lr):
            return _check_lr(lr)

    def _check_lr(lr):
        if lr <= 0:
            raise ValueError(f"{public_name()}: lr must be positive; got {lr}.")

    class _Hidden:
        def __init__(self):
            self.name = public_name()

    def builds_hidden():
        return _Hidden().name

    def named(x):
        return as_array(x, "x", func="somebody_else", ndim=1)

    def pool(x):
        return _pool_fast(x)

    def _pool_fast(x):
        return _check(x)

    def _other_fast(x):
        return _check(x)

    def calls_other(x):
        return _other_fast(x)
''')


@pytest.fixture(scope="module")
def fake():
    namespace = {"__name__": "dlcourse._fake_for_tests", "as_array": as_array,
                 "positive_int": positive_int, "public_name": public_name}
    exec(compile(SOURCE, "<dlcourse fake module>", "exec"), namespace)
    return namespace


def test_a_private_helper_reports_the_public_function(fake):
    with pytest.raises(ValueError, match=r"^dense: x must be a 2-D array laid out as \(N, D\)"):
        fake["dense"](np.zeros(3))


def test_comprehensions_nested_functions_and_own_calls(fake):
    with pytest.raises(TypeError, match=r"^sizes: size must be an integer; got 2\.5"):
        fake["sizes"]([1, 2.5])
    assert fake["report"]() == "report"
    assert fake["outer"]() == "inner"


def test_methods_and_constructors(fake):
    with pytest.raises(ValueError, match=r"^Model: width must be at least 1; got 0"):
        fake["Model"](0)
    with pytest.raises(ValueError, match=r"^Model\.step: lr must be positive"):
        fake["Model"](2).step(-1.0)
    assert fake["builds_hidden"]() == "builds_hidden"   # a private class is skipped too


def test_an_explicit_name_wins_and_outside_the_package_is_dlcourse(fake):
    with pytest.raises(ValueError, match=r"^somebody_else: x must be a 1-D array"):
        fake["named"](np.zeros((2, 2)))
    assert public_name() == "dlcourse"          # called from a test, not from dlcourse
    with pytest.raises(ValueError, match=r"^dlcourse: n must be at least 1"):
        positive_int(0, "n")


def test_real_functions_are_named():
    with pytest.raises(ValueError, match=r"^dense_forward: "):
        layers.dense_forward(np.zeros(3), np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"^MLP: "):
        layers.MLP([3], activation="relu")


def test_a_fast_path_reports_as_its_readable_twin(fake):
    with pytest.raises(ValueError, match=r"^pool: x must be"):
        fake["_pool_fast"](np.zeros(3))        # called directly, as the tests and bench do
    with pytest.raises(ValueError, match=r"^calls_other: x must be"):
        fake["calls_other"](np.zeros(3))       # no twin named other: the caller
