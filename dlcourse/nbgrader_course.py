"""The course as an nbgrader course, and the score an nbgrader test cell reports.

``python -m dlcourse.authoring nbgrader OUT/`` writes an nbgrader course folder::

    OUT/nbgrader_config.py           course id, execution timeout, root = OUT/
    OUT/source/<NN_topic>/<NN_topic>.ipynb   one assignment per chapter with exercises

Each source notebook is the chapter's solution notebook with

- every **exercise cell** marked as an nbgrader *solution* cell (its ``### BEGIN SOLUTION`` /
  ``### END SOLUTION`` region is what ``nbgrader generate_assignment`` removes);
- every **check cell** turned into an *autograded test* cell worth the exercise's points::

      score("01.step", step)                          # the cases the student sees
      ### BEGIN HIDDEN TESTS
      score("01.step", step, hidden_seed=1234567)     # the grade: text + hidden cases
      ### END HIDDEN TESTS

  ``generate_assignment`` strips the hidden part from the release, so the seed of the hidden
  cases never reaches a student; ``autograde`` puts it back. The cell's value is the points
  earned, the fraction of cases passed times the exercise's points, which nbgrader reads as
  partial credit, the same formula as ``python -m dlcourse.grade``.

``submitted_notebooks`` lists the notebooks of nbgrader's ``submitted/<student>/<assignment>/``
layout with the student ids it takes from the folders, for ``python -m dlcourse.grade``.

``score`` runs in the student's kernel, like every nbgrader test: a student who redefines
``score`` or patches NumPy can fool nbgrader's autograde, not ``python -m dlcourse.grade`` (which
runs student code in a sandbox and compares in its own process). README.md, "nbgrader", says
which grader to trust for what.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import secrets
import sys
import warnings
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import nbformat

from dlcourse import notebook as nbu

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
SCHEMA_VERSION = 3  # nbgrader's cell-metadata schema (nbgrader 0.6 and later)
CONFIG = '''\
# nbgrader configuration for the dlcourse course, written by
# `python -m dlcourse.authoring nbgrader`. Run nbgrader's commands from this folder.
import os

c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# A chapter's slowest cell trains a small network for a few seconds; widget cells may keep
# nbclient waiting until this timeout (jupyter/nbclient#312), which costs time, never points.
c.Execute.timeout = {timeout}
'''


class NbgraderExportError(ValueError):
    """A solution notebook that cannot be turned into an nbgrader source notebook."""


# ---------------------------------------------------------------- in the student's kernel


def score(exercise_id: str, *impls: Callable, hidden_seed: int | None = None) -> float:
    """Run an exercise's check and return the points earned (for nbgrader's partial credit).

    Without ``hidden_seed``: the cases the notebook's check uses, with the full report.
    With it: the cases from the text plus random cases drawn with that seed, which no
    notebook shows; only the counts are printed, never a hidden case's values.

    Never raises for a wrong or unfinished answer (nbgrader would score an error as 0, which
    is what a wrong answer earns anyway), and never writes to stderr: nbgrader scores any
    stderr output in a test cell as 0, so warnings from student code are caught here.
    """
    from dlcourse.checking.exercise import run_exercise
    from dlcourse.exercises import get_exercise

    exercise = get_exercise(exercise_id)
    if len(impls) != len(exercise.functions):
        raise TypeError(f"score({exercise_id!r}, ...) needs {len(exercise.functions)} "
                        f"function(s): {', '.join(exercise.functions)}; got {len(impls)}.")
    n_cases = len(exercise.all_cases(seed=hidden_seed))
    with warnings.catch_warnings(), contextlib.redirect_stderr(sys.stdout):
        warnings.simplefilter("ignore")
        report = run_exercise(exercise, impls, seed=hidden_seed)
    points = round(exercise.points * report.n_passed / n_cases, 4) if n_cases else 0.0
    if hidden_seed is None:
        print(report.text())
    else:
        print(f"{exercise.id} with hidden cases: {report.n_passed} of {n_cases} cases passed "
              f"({points:g} of {exercise.points:g} points)")
    return points


# ---------------------------------------------------------------- the course folder


def submitted_notebooks(folder: Path, assignment: str | None = None,
                        ) -> list[tuple[str, str, Path]]:
    """``(student, assignment, notebook)`` for each notebook in nbgrader's submitted layout.

    ``folder`` is the course folder (holding ``submitted/``) or ``submitted/`` itself (the same
    works for ``autograded/``); ``assignment`` keeps one assignment. Hidden entries and
    ``.ipynb_checkpoints`` are skipped, and so are links (a student's folder is theirs alone).
    """
    root = folder / "submitted" if (folder / "submitted").is_dir() else folder
    found = []
    for student in sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink()
                          and not p.name.startswith(".")):
        for work in sorted(p for p in student.iterdir() if p.is_dir() and not p.is_symlink()
                           and not p.name.startswith(".")):
            if assignment is not None and work.name != assignment:
                continue
            found += [(student.name, work.name, nb) for nb in sorted(work.glob("*.ipynb"))
                      if nb.is_file() and not nb.is_symlink() and not nb.name.startswith(".")]
    return found


def hidden_seed_for(course_seed: int, exercise_id: str) -> int:
    """The seed of an exercise's hidden cases in a course exported with ``course_seed``."""
    return (course_seed + zlib.crc32(exercise_id.encode())) % 2**31


def _grade_id(exercise_id: str, prefix: str = "") -> str:
    return prefix + exercise_id.replace(".", "_")  # nbgrader ids: letters, digits, _ and -


def _check_call(source: str, where: str) -> tuple[str, list[str]]:
    """The exercise id and the function arguments of a check cell ``check("NN.x", f, g)``."""
    try:
        tree = ast.parse(nbu.python_source(source))
    except SyntaxError as err:
        raise NbgraderExportError(f"{where}: the check cell is not valid Python ({err})") from None
    calls = [node.value for node in tree.body
             if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
             and isinstance(node.value.func, ast.Name) and node.value.func.id == "check"]
    if len(calls) != 1 or len(tree.body) != 1:
        raise NbgraderExportError(f"{where}: a check cell must hold exactly one call "
                                  "check(\"NN.name\", function, ...) and nothing else.")
    call = calls[0]
    first = call.args[0] if call.args else None
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)) or call.keywords:
        raise NbgraderExportError(f"{where}: check's first argument must be the exercise id "
                                  "as a string, followed by the functions only.")
    names = [ast.get_source_segment(source, arg) or "" for arg in call.args[1:]]
    return first.value, names


def source_notebook(solution, course_seed: int, where: str = "notebook"):
    """The nbgrader source version of a solution notebook (see the module docstring)."""
    from dlcourse.exercises import get_exercise

    nb = copy.deepcopy(solution)
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("nbgrader", None)
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        exercise = nbu.exercise_id(cell)
        if exercise:
            cell.metadata["nbgrader"] = {
                "grade": False, "grade_id": _grade_id(exercise), "locked": False,
                "schema_version": SCHEMA_VERSION, "solution": True, "task": False}
        elif nbu.CHECK_TAG in nbu.tags(cell):
            exercise, functions = _check_call(cell.source, f"{where}, cell {index}")
            try:
                points = get_exercise(exercise).points
            except KeyError as err:
                raise NbgraderExportError(f"{where}, cell {index}: {err}") from None
            args = ", ".join([repr(exercise), *functions])
            seed = hidden_seed_for(course_seed, exercise)
            cell.source = "\n".join([
                f"# Autograded: {points:g} point(s), the fraction of cases passed. The grader "
                "adds hidden cases.",
                "from dlcourse.nbgrader_course import score",
                "",
                f"score({args})",
                HIDDEN_BEGIN,
                f"score({args}, hidden_seed={seed})",
                HIDDEN_END,
            ])
            cell.metadata["nbgrader"] = {
                "grade": True, "grade_id": _grade_id(exercise, "check_"), "locked": True,
                "points": points, "schema_version": SCHEMA_VERSION, "solution": False,
                "task": False}
    return nb


def export_course(out: Path, solutions: Sequence[Path], *, seed: int | None = None,
                  course_id: str = "dlcourse", timeout: int = 120,
                  force: bool = False) -> list[Path]:
    """Write an nbgrader course for the chapters of ``solutions`` into ``out``; return the
    files written. Refuses to overwrite a source notebook unless ``force`` (its hidden seeds
    would change under an existing gradebook)."""
    from dlcourse.exercises import chapters

    course_seed = secrets.randbelow(2**31) if seed is None else int(seed)
    graded = set(chapters())
    written: list[Path] = []
    jobs = []
    for path in solutions:
        assignment = path.stem
        if assignment[:2] not in graded:
            continue  # a chapter without exercises has nothing for nbgrader to grade
        target = out / "source" / assignment / path.name
        if target.exists() and not force:
            raise NbgraderExportError(f"{target} exists; pass --force to overwrite it (this "
                                      "changes the hidden cases of an assignment already "
                                      "released).")
        jobs.append((path, target))
    if not jobs:
        raise NbgraderExportError("no chapter with exercises among the notebooks given.")
    # every notebook is converted before any is written: an error leaves no half-made course
    made = [(source_notebook(nbu.read_notebook(path), course_seed, path.name), target)
            for path, target in jobs]
    for nb, target in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        written.append(target)
    config = out / "nbgrader_config.py"
    if force or not config.exists():
        config.write_text(CONFIG.format(course_id=course_id, timeout=int(timeout)),
                          encoding="utf-8")
        written.append(config)
    return written
