"""How an exercise is checked: the model of exercises and cases, and how a result is judged.

``exercise`` holds the model (exercises, cases, ``run_exercise``, ``judge``, ``Report``),
``compare`` the comparators, ``drivers`` how a case calls the student's code, ``studentside``
what runs next to that code (also inside the grader's sandbox), ``status`` the one vocabulary of
verdicts, ``hints`` the hints for exceptions the student's code raised.

This package is the bottom of the checking stack: it imports nothing else from ``dlcourse``.
The registry of exercises and the notebook's ``check`` are in ``dlcourse.exercises``; the class
grader is ``dlcourse.grading``.
"""

from dlcourse.checking.compare import Verdict, close, compare_values, describe, exact
from dlcourse.checking.exercise import (
    RANDOM,
    TEXT,
    Case,
    CaseResult,
    Exercise,
    Report,
    judge,
    run_exercise,
)

__all__ = [
    "RANDOM", "TEXT", "Case", "CaseResult", "Exercise", "Report", "Verdict", "close",
    "compare_values", "describe", "exact", "judge", "run_exercise",
]
