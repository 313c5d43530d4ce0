"""The one exercise of chapter 00, the tour: a warm-up to try the exercise-and-check cycle.

``accuracy`` is the fraction of predictions that equal their labels. The reference is
``dlcourse.model_selection.accuracy``; the diagnoses name the usual slips (counting instead of
averaging, the error rate, returning the array of comparisons).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlcourse import model_selection
from dlcourse.checking import Case, Exercise, close

CHAPTER = "00"
NOTEBOOK = "00_start_here.ipynb"


def _accuracy_cases() -> list[Case]:
    return [
        Case((np.array([1, 0, 1, 1]), np.array([1, 1, 1, 0])), label="two of four right",
             expected=0.5),
        Case((np.array([2, 0, 1]), np.array([2, 0, 1])), label="every prediction right",
             expected=1.0),
        Case((np.array([0, 0, 1, 1, 1]), np.array([1, 1, 0, 0, 0])),
             label="every prediction wrong", expected=0.0),
        Case((np.array([3]), np.array([3])), label="a single example", expected=1.0),
    ]


def _accuracy_random(rng: np.random.Generator) -> Case:
    n, classes = int(rng.integers(2, 40)), int(rng.integers(2, 6))
    y_true = rng.integers(0, classes, size=n)
    guesses = rng.integers(0, classes, size=n)
    y_pred = np.where(rng.random(n) < 0.6, y_true, guesses)  # mostly right, some wrong
    return Case((y_true, y_pred))


def _accuracy_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    y_true = case.args[0]
    if isinstance(got, np.ndarray) and got.shape == y_true.shape:
        return ("that is one comparison per example; return one number, the fraction of "
                "them that are True (np.mean of the comparisons).")
    try:
        value = float(got)
    except (TypeError, ValueError):
        return "return one number between 0 and 1."
    n = len(y_true)
    if n > 1 and expected > 0 and np.isclose(value, expected * n):
        return ("that is the number of correct predictions; divide it by the number of "
                "examples (np.mean does both at once).")
    if not np.isclose(expected, 0.5) and np.isclose(value, 1.0 - expected):
        return "that is the error rate, the fraction of *wrong* predictions; compare with ==."
    return None


EXERCISES = [
    Exercise(
        id="00.accuracy",
        title="accuracy: the fraction of correct predictions",
        functions=("accuracy",),
        reference=(model_selection.accuracy,),
        cases=_accuracy_cases,
        random_case=_accuracy_random,
        compare=close(rtol=1e-12, atol=1e-12, check_dtype=False),
        diagnose=_accuracy_diagnose,
        hint="y_true == y_pred compares element by element and gives booleans; the mean of "
             "booleans is the fraction of True values.",
    ),
]
