"""Wrong implementations of every exercise, as source code, one module per chapter.

Each module ``chNN.py`` defines ``VARIANTS: dict[exercise id, list[(description, source)]]``.
Every variant is a plausible mistake (a sign error, a transposed matrix, an off-by-one, a
forgotten bias...). ``tests/test_exercises.py`` requires at least three per exercise and
checks that each one fails its exercise's check; ``tests/test_grade.py`` plants them in
submissions and checks that they lose exactly their exercise's points.
Sources may use ``np`` (and ``torch`` where the exercise is a torch one) without importing it.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

import numpy as np


def all_variants() -> dict[str, list[tuple[str, str]]]:
    """Every chapter's variants, by exercise id."""
    found: dict[str, list[tuple[str, str]]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for exercise_id, variants in module.VARIANTS.items():
            found.setdefault(exercise_id, []).extend(variants)
    return found


def build(source: str, names: tuple[str, ...]) -> tuple[Callable, ...]:
    """Execute a variant's source and return the functions the exercise needs, in order."""
    namespace: dict = {"np": np}
    if "torch" in source:
        import torch

        namespace["torch"] = torch
    exec(compile(source, "<variant>", "exec"), namespace)
    return tuple(namespace[name] for name in names)
