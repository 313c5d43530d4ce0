"""The registry of graded exercises, one module per chapter notebook, and the notebook's ``check``.

A chapter module is named ``chNN_<topic>.py`` and defines:

- ``CHAPTER``: the two-digit chapter number, e.g. ``"01"``;
- ``NOTEBOOK``: the notebook's file name, e.g. ``"01_perceptron.ipynb"``;
- ``EXERCISES``: the list of ``dlcourse.checking.Exercise`` in notebook order.

Exercise ids are ``"<chapter>.<name>"``, e.g. ``"01.neuron_forward"``. Chapter modules are
imported only when asked for, so that ``check`` in chapter 01 never imports torch.

``check("01.neuron_forward", neuron_forward)`` is what a notebook's check cell calls: it looks
the exercise up here, runs it (``dlcourse.checking.run_exercise``), prints the report and stops
"Run All" at an exercise that still needs work. The imports go one way: this package builds on
``dlcourse.checking``, never the reverse.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache
from types import ModuleType

from dlcourse.checking.exercise import Exercise, run_exercise


@cache
def _chapter_modules() -> dict[str, str]:
    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(__path__):
        name = info.name
        if name.startswith("ch") and name[2:4].isdigit() and name[4:5] == "_":
            found[name[2:4]] = f"{__name__}.{name}"
    return dict(sorted(found.items()))


def chapters() -> list[str]:
    """The chapter numbers that have exercises, in order, e.g. ``['01', '02']``."""
    return list(_chapter_modules())


def chapter_module(chapter: str | int) -> ModuleType:
    """The exercise module of a chapter (``"1"``, ``1`` and ``"01"`` all work)."""
    key = f"{int(chapter):02d}" if str(chapter).isdigit() else str(chapter)
    modules = _chapter_modules()
    if key not in modules:
        raise KeyError(f"no exercises for chapter {chapter!r}; chapters with exercises: "
                       f"{', '.join(modules) or 'none'}.")
    return importlib.import_module(modules[key])


def chapter_exercises(chapter: str | int) -> dict[str, Exercise]:
    """The exercises of a chapter by id, in notebook order."""
    return {ex.id: ex for ex in chapter_module(chapter).EXERCISES}


def get_exercise(exercise_id: str) -> Exercise:
    """Look an exercise up by its id, e.g. ``get_exercise("01.step")``."""
    if not isinstance(exercise_id, str) or "." not in exercise_id:
        raise KeyError(f"exercise ids look like '01.step'; got {exercise_id!r}.")
    chapter = exercise_id.split(".", 1)[0]
    exercises = chapter_exercises(chapter)
    if exercise_id not in exercises:
        raise KeyError(f"unknown exercise {exercise_id!r}; chapter {chapter} has: "
                       f"{', '.join(exercises)}.")
    return exercises[exercise_id]


def notebook_chapter(filename: str) -> str | None:
    """The chapter whose notebook has this file name (``01_perceptron.ipynb`` -> ``"01"``)."""
    for chapter in chapters():
        if filename == chapter_module(chapter).NOTEBOOK:
            return chapter
    return None


# ---------------------------------------------------------------- the check cell


class ExerciseNotImplemented(NotImplementedError):
    """Raised by ``check`` while an exercise still has its ``NotImplementedError`` placeholder."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a traceback
        return [f"\x1b[31mExerciseNotImplemented\x1b[0m: {self}"]


class ExerciseFailed(AssertionError):
    """Raised by ``check`` when some cases failed (the report above says which)."""

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[31mExerciseFailed\x1b[0m: {self}"]


def check(exercise_id: str, *impls: Callable, seed: int | None = None,
          n_random: int | None = None) -> None:
    """Check the student's implementation of an exercise and print the verdict.

    Usage in a check cell: ``check("01.neuron_forward", neuron_forward)``; exercises with
    several functions take them in the order their cell defines them.

    Raises ``ExerciseNotImplemented`` while the placeholder is still there and ``ExerciseFailed``
    when a case fails, so that "Run All" stops at the first exercise that needs work.
    """
    exercise = get_exercise(exercise_id)
    if len(impls) != len(exercise.functions):
        names = ", ".join(exercise.functions)
        raise TypeError(f"check({exercise_id!r}, ...) needs {len(exercise.functions)} "
                        f"function(s): {names}; got {len(impls)}.")
    for name, impl in zip(exercise.functions, impls, strict=True):
        if not callable(impl):
            raise TypeError(f"check({exercise_id!r}, ...): {name} must be the function (or "
                            f"class) you wrote, not a {type(impl).__name__}.")
    report = run_exercise(exercise, impls, seed=seed, n_random=n_random)
    print(report.text())
    if report.not_implemented:
        raise ExerciseNotImplemented(f"{exercise.id}: write {', '.join(exercise.functions)} "
                                     "in the exercise cell above, then run this check again.")
    if not report.passed:
        failed = len(report.results) - report.n_passed
        raise ExerciseFailed(f"{exercise.id}: {failed} of {len(report.results)} cases failed "
                             "(see the report above).")
