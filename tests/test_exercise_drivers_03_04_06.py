"""The custom drivers of chapters 03, 04 and 06: what they reject, and that the model the
06.train_mlp check trains is the course's MLP."""

from __future__ import annotations

import numpy as np
import pytest
from variants import build
from variants.ch06 import _BASE

from dlcourse import layers
from dlcourse.checking import studentside
from dlcourse.checking.drivers import call_strict, forward_backward
from dlcourse.checking.exercise import run_exercise
from dlcourse.checking.status import ERROR, outcome_status
from dlcourse.exercises import chapter_exercises
from dlcourse.exercises.ch03_activations import prelu_driver
from dlcourse.exercises.ch06_mlp_from_scratch import gradient_check_driver, train_driver


def test_call_strict_rejects_in_place_changes_and_overflow():
    def in_place(x):
        x *= 2
        return x

    record = studentside.call_student(call_strict, (in_place,), (np.ones(3),), {})
    assert outcome_status(record) == ERROR and "in place" in record["message"]
    record = studentside.call_student(call_strict, (lambda x: 1 / (1 + np.exp(-x)),),
                                      (np.array([-1000.0]),), {})
    assert outcome_status(record) == ERROR and "overflow" in record["message"]
    ok = studentside.call_student(call_strict, (np.tanh, np.cos), (np.zeros(2),), {})
    assert "value" in ok and len(ok["value"]) == 2


def test_prelu_and_layer_drivers_reject_in_place_changes():
    def prelu(x, alpha):
        x[x < 0] *= alpha
        return x

    record = studentside.call_student(prelu_driver, (prelu, prelu, prelu),
                                      (np.array([-1.0, 2.0]), 0.1), {})
    assert outcome_status(record) == ERROR and "in place" in record["message"]

    def forward(x, W, b):
        x += 1
        return x @ W + b, (x, W)

    record = studentside.call_student(forward_backward, (forward, layers.dense_backward),
                                      (np.ones((2, 2)), np.eye(2), np.zeros(2)),
                                      {"dout": np.ones((2, 2))})
    assert outcome_status(record) == ERROR and "in place" in record["message"]


def test_gradient_check_driver_rejects_a_changed_x():
    def sloppy(f, x, h=1e-6):
        x += 1e-3   # leaves the caller's x shifted
        return np.zeros_like(x)

    case = chapter_exercises("06")["06.gradient_check"].all_cases()[0]
    record = studentside.call_student(gradient_check_driver, (sloppy, lambda a, b: 0.0),
                                      case.args, {})
    assert outcome_status(record) == ERROR and "changed x" in record["message"]


def test_train_driver_model_is_the_course_mlp():
    exercise = chapter_exercises("06")["06.train_mlp"]
    for case in exercise.all_cases(seed=3, n_random=4):
        got = train_driver((layers.train_mlp,), case.args, {})
        sizes, act, out, wd, params, X, y, lr, epochs, batch, seed, X_val, y_val = case.args
        model = layers.MLP(sizes, activation=act, output=out, weight_decay=wd)
        for p, value in zip(model.params, params, strict=True):
            p[...] = value
        history = layers.train_mlp(model, X, y, lr, epochs, batch, seed=seed, X_val=X_val,
                                   y_val=y_val)
        assert set(got["history"]) == set(history)
        for key, values in history.items():
            np.testing.assert_allclose(got["history"][key], values, rtol=1e-12, atol=1e-15)
        for ours, theirs in zip(got["params"], model.params, strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("exercise_id", ["06.dense", "06.activation", "06.mse_loss",
                                         "06.cross_entropy", "06.mlp", "06.train_mlp"])
def test_the_correct_base_of_the_chapter_06_variants_passes(exercise_id):
    # each 06 variant is this base with one line changed, so each has exactly one mistake
    exercise = chapter_exercises("06")[exercise_id]
    report = run_exercise(exercise, build(_BASE, exercise.functions), seed=99)
    assert report.passed, report.text()
