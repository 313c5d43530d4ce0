"""The student notebooks, executed as a student who has not started yet would run them.

nbval (configured in pyproject.toml) re-executes every notebook, and in the student notebooks
it accepts errors in the cells that ``dlcourse.authoring build`` tagged ``raises-exception``.
But nbval cannot say *which* error a cell raised (it also passes when nothing is raised, nbval
issue #108). This test closes that gap: it runs each student notebook in a fresh kernel
(``dlcourse.kernel``), lets it continue past errors, and asserts that

- every check cell stops with ``ExerciseNotImplemented`` naming its own exercise;
- every error anywhere is a NotImplementedError raised by an unsolved exercise of this chapter;
- no cell without the ``raises-exception`` tag fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from dlcourse import notebook as nbu
from dlcourse.authoring import NOTEBOOKS, RAISES_TAG, SOLUTIONS
from dlcourse.exercises import chapter_exercises
from dlcourse.kernel import run_notebook

STUDENT_NOTEBOOKS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
NOT_IMPLEMENTED = {"NotImplementedError", "ExerciseNotImplemented"}


def test_every_solution_has_a_student_notebook():
    solutions = {p.name for p in SOLUTIONS.glob("[0-9][0-9]_*.ipynb")}
    assert solutions, "no solution notebooks found"
    assert solutions == {p.name for p in STUDENT_NOTEBOOKS}


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: p.name)
def test_student_notebook_fails_only_on_unsolved_exercises(path: Path):
    nb = nbformat.read(path, as_version=4)
    chapter = path.name[:2]
    exercise_ids = set(chapter_exercises(chapter))
    runs = run_notebook(nb, path.parent, timeout=300)

    checked = set()
    for run in runs:
        cell = nb.cells[run.index]
        error = run.error
        where = f"{path.name}, cell {run.index}"
        if nbu.CHECK_TAG in nbu.tags(cell):
            own = re.search(r"""check\(\s*["'](\d\d\.\w+)""", cell.source).group(1)
            assert error and error["ename"] == "ExerciseNotImplemented", where
            assert error["evalue"].startswith(own), (where, error["evalue"])
            checked.add(own)
        if error:
            assert RAISES_TAG in nbu.tags(cell), f"{where}: unexpected {error['ename']}"
            assert error["ename"] in NOT_IMPLEMENTED, f"{where}: {error}"
            named = set(re.findall(r"\d\d\.\w+", error["evalue"]))
            assert named and named <= exercise_ids, f"{where}: {error['evalue']}"
    assert checked == exercise_ids, f"exercises without a failing check: {exercise_ids - checked}"
