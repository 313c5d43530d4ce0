"""The course as an nbgrader course, round-tripped through the real nbgrader.

``python -m dlcourse.authoring nbgrader`` writes the course; ``nbgrader generate_assignment``
releases chapter 01 without solutions and without the seed of the hidden cases; two students
submit in nbgrader's ``submitted/<student>/<assignment>/`` layout (one solved everything, one
the first three exercises); ``nbgrader autograde`` scores them in their kernels, and
``python -m dlcourse.grade`` grades the same files in its sandbox. Both must agree, exercise by
exercise. The unit tests below pin the pieces: the cell metadata nbgrader reads, the hidden
seed, and ``score``, the number an nbgrader test cell reports.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from dlcourse import grade
from dlcourse import notebook as nbu
from dlcourse.authoring import SOLUTIONS
from dlcourse.authoring import main as authoring_main
from dlcourse.exercises import chapter_exercises
from dlcourse.nbgrader_course import (
    HIDDEN_BEGIN,
    HIDDEN_END,
    NbgraderExportError,
    export_course,
    hidden_seed_for,
    score,
    source_notebook,
    submitted_notebooks,
)

ASSIGNMENT = "01_perceptron"
SOLUTION = SOLUTIONS / f"{ASSIGNMENT}.ipynb"
EXERCISES = chapter_exercises("01")
SEED = 20260101


def nbgrader(course: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stderr[-4000:]}"
    return done.stderr


# ---------------------------------------------------------------- the source notebook


def test_exercise_and_check_cells_carry_nbgrader_metadata():
    nb = source_notebook(nbu.read_notebook(SOLUTION), SEED, SOLUTION.name)
    solutions = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert [nbu.exercise_id(c) for c in solutions] == list(EXERCISES)
    assert [c.metadata.nbgrader.grade_id for c in tests] == \
        [f"check_{ex.replace('.', '_')}" for ex in EXERCISES]
    for cell, ex in zip(tests, EXERCISES.values(), strict=True):
        meta = cell.metadata.nbgrader
        assert meta.points == ex.points and meta.locked and meta.schema_version == 3
        seed = hidden_seed_for(SEED, ex.id)
        hidden = cell.source.split(HIDDEN_BEGIN)[1].split(HIDDEN_END)[0]
        assert f"hidden_seed={seed}" in hidden
        assert f"hidden_seed={seed}" not in cell.source.split(HIDDEN_BEGIN)[0]
    assert all(not c.get("outputs") for c in nb.cells)
    assert "widgets" not in nb.metadata


def test_hidden_seeds_differ_per_exercise_and_per_course():
    seeds = {hidden_seed_for(SEED, ex) for ex in EXERCISES}
    assert len(seeds) == len(EXERCISES)
    assert hidden_seed_for(SEED, "01.step") != hidden_seed_for(SEED + 1, "01.step")


def test_a_check_cell_with_more_than_the_call_is_refused():
    nb = nbu.read_notebook(SOLUTION)
    check = next(c for c in nb.cells if nbu.CHECK_TAG in nbu.tags(c))
    check.source += "\nprint('and something else')"
    with pytest.raises(NbgraderExportError, match="exactly one call"):
        source_notebook(nb, SEED, "broken.ipynb")


def test_export_refuses_to_overwrite_a_released_course_without_force(tmp_path):
    export_course(tmp_path, [SOLUTION], seed=SEED)
    with pytest.raises(NbgraderExportError, match="--force"):
        export_course(tmp_path, [SOLUTION], seed=SEED + 1)
    export_course(tmp_path, [SOLUTION], seed=SEED + 1, force=True)
    text = (tmp_path / "source" / ASSIGNMENT / SOLUTION.name).read_text(encoding="utf-8")
    assert f"hidden_seed={hidden_seed_for(SEED + 1, '01.step')}" in text


def test_the_command_line_writes_the_course(tmp_path, capsys):
    assert authoring_main(["nbgrader", str(tmp_path), str(SOLUTION), "--seed", "5"]) == 0
    assert (tmp_path / "nbgrader_config.py").is_file()
    assert (tmp_path / "source" / ASSIGNMENT / SOLUTION.name).is_file()
    assert "generate_assignment" in capsys.readouterr().out


def test_submitted_notebooks_reads_nbgraders_layout(tmp_path):
    for student, assignment, name in [("alice", "01_perceptron", "01_perceptron.ipynb"),
                                      ("bob", "01_perceptron", "01_perceptron.ipynb"),
                                      ("bob", "02_mlp", "02_mlp.ipynb"),
                                      ("bob", "01_perceptron/.ipynb_checkpoints", "x.ipynb"),
                                      (".hidden", "01_perceptron", "y.ipynb")]:
        (tmp_path / "submitted" / student / assignment).mkdir(parents=True, exist_ok=True)
        (tmp_path / "submitted" / student / assignment / name).write_text("{}")
    (tmp_path / "submitted" / "bob" / "01_perceptron" / "timestamp.txt").write_text("now")
    everything = submitted_notebooks(tmp_path)
    assert [(s, a, p.name) for s, a, p in everything] == [
        ("alice", "01_perceptron", "01_perceptron.ipynb"),
        ("bob", "01_perceptron", "01_perceptron.ipynb"), ("bob", "02_mlp", "02_mlp.ipynb")]
    assert [s for s, _, _ in submitted_notebooks(tmp_path / "submitted", "02_mlp")] == ["bob"]


# ---------------------------------------------------------------- score, in the kernel


def _wrong_sign(z):  # sign(0) = +1: wrong on the zeros, right elsewhere
    return np.where(np.asarray(z) >= 0, 1.0, -1.0)


def _strict_update(w, b, x, y, lr=1.0):  # misses the points on the boundary
    if y * (x @ w + b) < 0:
        return w + lr * y * x, b + lr * y
    return w, b


# A plausible mistake that fails one of the five fixed cases whatever the seed (XOR has no
# weights), so both graders give it the same partial credit.
XOR_CLAIM = '''def logic_gate_weights(gate):
    table = {"AND": ([1.0, 1.0], -1.5), "OR": ([1.0, 1.0], -0.5), "NAND": ([-2.0, -2.0], 3.0),
             "NOR": ([-1.0, -1.0], 0.5), "XOR": ([1.0, 1.0], -1.0)}
    w, b = table[gate]
    return np.array(w), b
'''


def test_score_is_the_fraction_of_cases_times_the_points(capsys):
    from dlcourse.checking.exercise import run_exercise

    ex = EXERCISES["01.train_perceptron"]
    from dlcourse.perceptron import train_perceptron

    assert score(ex.id, train_perceptron) == ex.points
    assert score(ex.id, train_perceptron, hidden_seed=123) == ex.points
    update = EXERCISES["01.perceptron_update"]
    report = run_exercise(update, (_strict_update,), seed=77)
    expected = round(update.points * report.n_passed / len(report.results), 4)
    assert 0 < report.n_passed < len(report.results)
    assert score(update.id, _strict_update, hidden_seed=77) == expected


def test_score_with_hidden_cases_prints_counts_only(capsys):
    score("01.sign", _wrong_sign, hidden_seed=77)
    out = capsys.readouterr().out
    assert "with hidden cases" in out and "cases passed" in out
    assert "expected" not in out and "inputs" not in out


def test_score_never_writes_to_stderr(capsys):
    def noisy(z):
        import warnings

        warnings.warn("from student code", RuntimeWarning, stacklevel=1)
        print("to stderr", file=sys.stderr)
        return np.where(np.asarray(z) > 0, 1.0, 0.0)

    assert score("01.step", noisy) == EXERCISES["01.step"].points
    assert capsys.readouterr().err == ""


def test_score_of_an_unfinished_exercise_is_zero_not_an_error():
    def step(z):
        raise NotImplementedError

    assert score("01.step", step) == 0.0


# ---------------------------------------------------------------- the round trip


def _submission(release: dict, solution: dict, answers: dict[str, str | None]) -> dict:
    """The released notebook with answers pasted in: for each exercise in ``answers`` its
    code, or the solution's code where the answer is None."""
    code = {c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in solution["cells"]
            if c["metadata"].get("nbgrader", {}).get("solution")}
    nb = copy.deepcopy(release)
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id] or code[grade_id]
    return nb


@pytest.mark.slow
def test_nbgrader_round_trip_agrees_with_the_class_grader(tmp_path):
    pytest.importorskip("nbgrader", reason="nbgrader is a contributor dependency: "
                                           "pip install -r requirements-dev.txt")
    course = tmp_path / "course"
    export_course(course, [SOLUTION], seed=SEED)
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    released = course / "release" / ASSIGNMENT / SOLUTION.name
    release = json.loads(released.read_text(encoding="utf-8"))
    text = released.read_text(encoding="utf-8")
    assert "hidden_seed" not in text and HIDDEN_BEGIN not in text, "the hidden seed leaked"
    assert nbu.BEGIN not in text and "NotImplementedError" in text, "the solutions leaked"

    solution = json.loads((course / "source" / ASSIGNMENT / SOLUTION.name)
                          .read_text(encoding="utf-8"))
    ids = [ex.replace(".", "_") for ex in EXERCISES]
    # alice solves everything; bob the first three (none calls a later one), gets the logic
    # gates 4/5 right and leaves the rest unsolved
    students = {"alice": dict.fromkeys(ids),
                "bob": {**dict.fromkeys(ids[:3]), "01_logic_gate_weights": XOR_CLAIM}}
    for student, answers in students.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nbformat.from_dict(_submission(release, solution, answers)),
                       folder / SOLUTION.name)
        (folder / "timestamp.txt").write_text("2026-12-01 12:00:00.000000 UTC")
    nbgrader(course, "autograde", ASSIGNMENT, "--create")

    from nbgrader.api import Gradebook

    theirs: dict[str, dict[str, float]] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in students:
            submission = gradebook.find_submission(ASSIGNMENT, student)
            theirs[student] = {g.name.removeprefix("check_"): g.score
                               for g in submission.notebooks[0].grades}
            assert submission.max_score == sum(ex.points for ex in EXERCISES.values())

    # the class grader on the same files, read in nbgrader's layout: the ids are nbgrader's
    listed = submitted_notebooks(course, ASSIGNMENT)
    assert [(s, a) for s, a, _ in listed] == [(s, ASSIGNMENT) for s in sorted(students)]
    out = tmp_path / "grades"
    assert grade.main([str(course / "submitted"), "--out", str(out), "--chapter", "01",
                       "--quiet"]) == 0
    ours = json.loads((out / "grades.json").read_text(encoding="utf-8"))["students"]

    maxima = {ex.id.replace(".", "_"): ex.points for ex in EXERCISES.values()}
    expected = {"alice": maxima,
                "bob": {k: (maxima[k] if k in ids[:3] else 0.0) for k in maxima}
                | {"01_logic_gate_weights": 0.8}}
    for student in students:
        mine = {ex.replace(".", "_"): v["score"] for ex, v in ours[student]["exercises"].items()}
        assert theirs[student] == expected[student], f"nbgrader, {student}"
        assert mine == expected[student], f"dlcourse.grade, {student}"
        assert ours[student]["total"] == pytest.approx(sum(theirs[student].values()))
