"""What to run for each exercise: the chapter's cases, and a submission's passes.

``ChapterPlan`` holds what every submission of a run is graded on: the chapter's exercises,
this run's cases (the ones from the text and hidden random ones drawn with the run's seed),
their expected values (computed here, never sent to the sandbox), each exercise's driver as
source text, and the reference version of each exercise cell (from ``solutions/``).

A *pass* grades one exercise in a fresh namespace of the sandbox. Its cells are the student's
set-up cells, the exercise's own cells and the helper cells they call, and for the earlier
exercises it calls (``dense_forward`` inside an MLP, say):

- by default, the **reference** versions, run after the student's cells so that they replace
  the student's: one mistake costs one exercise;
- with ``cumulative``, the **student's own** versions, run before, as a notebook run from the
  top would: an earlier mistake is inherited.

Where an exercise calls earlier ones, the other mode is planned too, so that the feedback can
say what the grade would have been under it.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dlcourse import notebook as nbu
from dlcourse.checking import studentside
from dlcourse.checking.drivers import driver_sources
from dlcourse.exercises import chapter_exercises
from dlcourse.grading.submission import Location, Submission

REFERENCE = "reference"
CUMULATIVE = "cumulative"
SOLUTIONS = Path(__file__).resolve().parent.parent.parent / "solutions"


@dataclass(frozen=True)
class Cell:
    """One cell a pass runs: ``label`` names it in notes ("cell 7", "reference 01.step")."""

    label: str
    role: str               # "setup", "exercise", "helper", "earlier" or "reference"
    source: str
    index: int | None = None  # the notebook's cell index, for the student's cells


@dataclass(frozen=True)
class Pass:
    """Everything the sandbox needs to grade one exercise, in one mode."""

    exercise: str
    mode: str
    cells: tuple[Cell, ...]
    functions: tuple[str, ...]
    drivers: tuple[str, ...]
    driver_name: str
    cases: tuple[Any, ...]   # encoded [args, kwargs] per case
    case_timeout: float

    def message(self, skip: set[int], nonce: str) -> dict[str, Any]:
        """The message that starts this pass, without the cells in ``skip`` (by index);
        every message of the pass must carry ``nonce`` back."""
        return {"kind": "pass", "pass": nonce,
                "cells": [{"label": c.label, "source": c.source} for c in self.live(skip)],
                "functions": list(self.functions), "drivers": list(self.drivers),
                "driver_name": self.driver_name, "cases": list(self.cases),
                "case_timeout": self.case_timeout}

    def live(self, skip: set[int]) -> list[Cell]:
        return [c for c in self.cells if c.index is None or c.index not in skip]


class ChapterPlan:
    """A chapter's exercises with this run's cases, expected values and reference cells."""

    def __init__(self, chapter: str, seed: int, n_random: int | None = None,
                 solutions: Path = SOLUTIONS):
        self.chapter = chapter
        self.seed = seed
        self.exercises = list(chapter_exercises(chapter).values())
        self.order = {ex.id: i for i, ex in enumerate(self.exercises)}
        self.cases: dict[str, list] = {}
        self.expected: dict[str, list] = {}
        self.encoded: dict[str, tuple] = {}
        self.errors: dict[str, str] = {}
        for ex in self.exercises:
            try:
                cases = ex.all_cases(seed=exercise_seed(seed, ex.id), n_random=n_random)
                self.expected[ex.id] = [ex.expected(c) for c in cases]
                self.encoded[ex.id] = tuple(
                    studentside.encode(studentside.to_plain([list(c.args), dict(c.kwargs)]))
                    for c in cases)
                self.cases[ex.id] = cases
            except Exception as err:
                self.errors[ex.id] = f"{type(err).__name__}: {err}"
        self.reference_cells, self.standard_setup = _solution_cells(chapter, solutions)
        self.drivers = {ex.id: tuple(driver_sources(ex.driver)) for ex in self.exercises}

    def earlier_called(self, ex_id: str, names: set[str]) -> list[str]:
        """The earlier exercises whose functions appear in ``names`` or in the reference version
        of ``ex_id``'s cell, and those that their reference versions call, in notebook order."""
        names = names | nbu.loaded_names(self.reference_cells.get(ex_id, ""))
        found: list[str] = []
        while True:  # the reference versions may call still earlier exercises
            more = [ex.id for ex in self.exercises[: self.order[ex_id]]
                    if ex.id not in found and set(ex.functions) & names]
            if not more:
                return sorted(found, key=self.order.__getitem__)
            found += more
            for e in more:
                names |= nbu.loaded_names(self.reference_cells.get(e, ""))


def exercise_seed(seed: int, exercise_id: str) -> int:
    """The seed of one exercise's hidden cases in a run with ``seed``."""
    return (seed + zlib.crc32(exercise_id.encode())) % 2**32


def _solution_cells(chapter: str, solutions: Path) -> tuple[dict[str, str], str]:
    """The solution notebook's exercise cells by exercise id, and its set-up cells."""
    for path in sorted(solutions.glob(f"{chapter}_*.ipynb")):
        nb = nbu.read_notebook(path, light=True)
        cells: dict[str, str] = {}
        for cell in nb.cells:
            ex_id = nbu.exercise_id(cell)
            if ex_id and cell.get("cell_type") == "code":
                cells[ex_id] = cells.get(ex_id, "") + nbu.python_source(cell.source) + "\n"
        setup = "\n".join(nbu.python_source(c.source) for c in nb.cells if nbu.is_setup(c))
        return cells, setup or "import numpy as np"
    return {}, "import numpy as np"


def plan_passes(sub: Submission, where: Location, chapter: ChapterPlan, *,
                cumulative: bool, timeout: float) -> list[Pass]:
    """The passes of one submission: one per exercise that can run, plus one in the other mode
    for each exercise that calls earlier ones. Exercises not found, using the reference, or
    without cases are left out (the scoring says why). The passes that grade come first: the
    other mode's, which only inform the feedback, use what is left of the submission's time."""
    setup = [Cell(f"cell {i}", "setup", nbu.python_source(sub.sources[i]), i)
             for i in sub.setup]
    if not setup:
        setup = [Cell("the chapter's standard set-up", "setup", chapter.standard_setup)]
    primary = CUMULATIVE if cumulative else REFERENCE
    passes: list[Pass] = []
    informative: list[Pass] = []
    for ex in chapter.exercises:
        located = where.located[ex.id]
        if (located.how == "missing" or ex.id in where.uses_reference
                or ex.id not in chapter.cases):
            continue
        own = located.all_cells
        names = set().union(*(nbu.loaded_names(sub.sources[i]) for i in own)) if own else set()
        earlier = chapter.earlier_called(ex.id, names)
        modes = [primary]
        if earlier and (primary == CUMULATIVE or all(e in chapter.reference_cells
                                                     for e in earlier)):
            modes.append(REFERENCE if primary == CUMULATIVE else CUMULATIVE)
        for mode in modes:
            cells = list(setup)
            if mode == CUMULATIVE and earlier:
                before = sorted({i for e in earlier for i in where.located[e].all_cells
                                 if where.located[e].how != "missing"} - set(own))
                cells += [Cell(f"cell {i}", "earlier", nbu.python_source(sub.sources[i]), i)
                          for i in before]
            own_cells = set(located.cells)
            cells += [Cell(f"cell {i}", "exercise" if i in own_cells else "helper",
                           nbu.python_source(sub.sources[i]), i) for i in own]
            if mode == REFERENCE:
                cells += [Cell(f"reference {e}", "reference", chapter.reference_cells[e])
                          for e in earlier if e in chapter.reference_cells]
            (passes if mode == primary else informative).append(
                Pass(ex.id, mode, tuple(cells), ex.functions, chapter.drivers[ex.id],
                     ex.driver.__name__, chapter.encoded[ex.id], min(ex.timeout, timeout)))
    return passes + informative


def preload_modules(passes: list[Pass]) -> list[str]:
    """The modules the passes' set-up cells import that the sandbox may import before any
    student code (so that each exercise's fresh worker does not import torch again)."""
    found: set[str] = set()
    for job in passes:
        for cell in job.cells:
            if cell.role == "setup":
                found |= nbu.imported_modules(cell.source)
    return sorted(found & (nbu.SETUP_MODULES - {"__future__"}))
