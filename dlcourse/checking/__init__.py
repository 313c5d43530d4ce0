"""Exercise checks: ``check("01.neuron_forward", neuron_forward)`` in a notebook's check cell.

See ``exercise`` for the model (exercises, cases, drivers, comparators) and ``studentside`` for
what runs next to the student's code.
"""

from dlcourse.checking.compare import Verdict, close, compare_values, describe, exact
from dlcourse.checking.exercise import (
    RANDOM,
    TEXT,
    Case,
    CaseResult,
    Exercise,
    ExerciseFailed,
    ExerciseNotImplemented,
    Report,
    check,
    judge,
    run_exercise,
)

__all__ = [
    "RANDOM", "TEXT", "Case", "CaseResult", "Exercise", "ExerciseFailed",
    "ExerciseNotImplemented", "Report", "Verdict", "check", "close", "compare_values",
    "describe", "exact", "judge", "run_exercise",
]
