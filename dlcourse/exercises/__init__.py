"""The registry of graded exercises, one module per chapter notebook.

A chapter module is named ``chNN_<topic>.py`` and defines:

- ``CHAPTER``: the two-digit chapter number, e.g. ``"01"``;
- ``NOTEBOOK``: the notebook's file name, e.g. ``"01_perceptron.ipynb"``;
- ``EXERCISES``: the list of ``dlcourse.checking.Exercise`` in notebook order.

Exercise ids are ``"<chapter>.<name>"``, e.g. ``"01.neuron_forward"``. Chapter modules are
imported only when asked for, so that ``check`` in chapter 01 never imports torch.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType

from dlcourse.checking.exercise import Exercise


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
