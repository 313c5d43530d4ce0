"""The grader's results in the formats that course platforms import.

Everything here reads the class results that ``python -m dlcourse.grade`` writes to
``grades.json``::

    {"meta": {"chapter", "exercises": {id: {"title", "max"}}, ...},
     "students": {student: {"total", "max_total", "status", "message",
                            "exercises": {id: {"score", "max", "status", "feedback",
                                               "failures": [case, ...]}}, "flags", ...}}}

- ``gradescope_results``: one submission's ``results.json`` for a Gradescope autograder, in
  Gradescope's documented format (https://gradescope-autograders.readthedocs.io/en/latest/specs/):
  the total ``score``, one test per exercise with ``score``, ``max_score``, ``status`` and the
  feedback as ``output``. A failing hidden case shows only which property failed, never its
  input or expected value.
- ``canvas_csv``: a gradebook CSV for Canvas's Grades > Import: the student columns
  ``Student, ID, SIS User ID, SIS Login ID, Section``, a ``Points Possible`` row, and one
  assignment column per chapter (Canvas matches a column to an assignment by its title and
  creates the assignment when none has it). The format is the one Canvas's own importer parses
  (``GradebookImporter`` in canvas-lms) and its gradebook export writes.
- ``moodle_csv``: a grade-import CSV for Moodle's Grades > Import > CSV file: one column that
  identifies the user (``Username``, or ``Email address`` / ``ID number`` from a roster) and one
  grade column per chapter, mapped to a grade item (or a new one) in the import dialog; ``-``
  means no grade (``gradeimport_csv_load_data`` in Moodle).

Student ids are the grader's (the notebook's file name, or nbgrader's student id). A roster maps
them to the LMS's identifiers: ``read_roster`` reads any CSV with a column holding our ids, for
instance the platform's own gradebook export.

    python -m dlcourse.grading.exports canvas grades-01/ grades-02/ --out canvas.csv \
        [--roster canvas-export.csv --roster-key "SIS Login ID"]
    python -m dlcourse.grading.exports moodle grades-*/ --out moodle.csv \
        [--roster users.csv --roster-key username]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from dlcourse.checking.status import GRADED
from dlcourse.grading.results import student_case

# Gradescope's own test statuses (its results.json format), not the course's verdicts.
GS_PASSED, GS_FAILED = "passed", "failed"
CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_IDENTITY_COLUMNS = ("Username", "Email address", "ID number")

Roster = Mapping[str, Mapping[str, str]]


def load_grades(path: str | Path) -> dict[str, Any]:
    """The class results from a ``grades.json`` file (or the folder holding it)."""
    path = Path(path)
    if path.is_dir():
        path = path / "grades.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("students"), dict):
        raise ValueError(f"{path}: not the grades.json of python -m dlcourse.grade "
                         "(no 'students').")
    return data


def assignment_name(chapter: str) -> str:
    """The name a chapter's assignment goes by everywhere: its notebook's name, e.g.
    ``01_perceptron`` (nbgrader's assignment, the LMS column)."""
    from dlcourse.exercises import chapter_module

    try:
        return Path(chapter_module(chapter).NOTEBOOK).stem
    except (KeyError, AttributeError, ImportError):
        return f"chapter {chapter}"


def _number(value: float) -> str:
    return f"{float(value):g}"


# ---------------------------------------------------------------- Gradescope


def _test_output(exercise: Mapping[str, Any]) -> str:
    lines = [str(exercise.get("feedback", ""))]
    lines += [f"note: {note}" for note in exercise.get("notes", [])]
    for case in exercise.get("failures", [])[:2]:
        shown = student_case(case)
        lines += ["", f"case {shown['label']} ({shown['status']})"]
        lines += [f"  {key}: {shown[key]}" for key in ("inputs", "expected", "got", "why", "hint")
                  if shown.get(key)]
    return "\n".join(lines).strip()


def gradescope_results(record: Mapping[str, Any], meta: Mapping[str, Any] | None = None, *,
                       visibility: str = "visible") -> dict[str, Any]:
    """``results.json`` for one student's record, in Gradescope's autograder format.

    ``visibility`` applies to every test (``visible``, ``after_due_date``, ``after_published``
    or ``hidden``). The grader's tamper flags and notes go to ``extra_data``, which Gradescope
    stores for the instructor and does not show the student.
    """
    meta = meta or {}
    titles = {ex: info.get("title", "") for ex, info in meta.get("exercises", {}).items()}
    tests = []
    for ex_id, exercise in record.get("exercises", {}).items():
        score, max_score = float(exercise.get("score", 0.0)), float(exercise.get("max", 0.0))
        title = f"{ex_id} · {titles[ex_id]}" if titles.get(ex_id) else ex_id
        tests.append({"name": title, "number": ex_id, "score": score, "max_score": max_score,
                      "status": GS_PASSED if score >= max_score > 0 else GS_FAILED,
                      "output": _test_output(exercise), "output_format": "text",
                      "visibility": visibility})
    summary = (f"{record.get('student', 'this submission')}: {_number(record.get('total', 0))} "
               f"of {_number(record.get('max_total', 0))} points")
    if record.get("status") not in (None, GRADED):
        summary += (f". Your notebook could not be graded ({record['status']}): "
                    f"{record.get('message', '')}")
    return {"score": float(record.get("total", 0.0)), "output": summary,
            "output_format": "text", "visibility": visibility, "stdout_visibility": "hidden",
            "execution_time": round(float(record.get("seconds", 0.0) or 0.0)),
            "tests": tests,
            "extra_data": {"status": record.get("status"), "flags": record.get("flags", []),
                           "notes": record.get("notes", []), "chapter": record.get("chapter")}}


def gradescope_failure(message: str, max_score: float = 0.0) -> dict[str, Any]:
    """``results.json`` for a submission that could not be graded at all (no notebook, a grader
    failure): no points, and the reason for the student."""
    return {"score": 0.0, "output": message, "output_format": "text",
            "stdout_visibility": "hidden",
            "tests": [{"name": "grading", "score": 0.0, "max_score": float(max_score),
                       "status": GS_FAILED, "output": message, "visibility": "visible"}]}


# ---------------------------------------------------------------- rosters and LMS gradebooks


def read_roster(path: str | Path, key: str) -> dict[str, dict[str, str]]:
    """Rows of a CSV by the value of its column ``key`` (the grader's student id).

    Any CSV works, e.g. Canvas's gradebook export (``key="SIS Login ID"``) or a Moodle user
    export (``key="username"``). Rows without a value in ``key`` (Canvas's ``Points Possible``
    row) are skipped.
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    if key not in (reader.fieldnames or []):
        raise ValueError(f"{path}: no column {key!r}; its columns are "
                         f"{', '.join(reader.fieldnames or [])}.")
    roster = {}
    for row in reader:
        value = (row.get(key) or "").strip()
        if value and "Points Possible" not in (row.get("Student") or ""):
            roster[value] = {k: (v or "").strip() for k, v in row.items() if k}
    return roster


def _by_student(classes: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[str],
                                                                 dict[str, dict[str, float]],
                                                                 dict[str, float]]:
    """Chapters in order, students sorted, scores[student][chapter], maximum per chapter."""
    chapters: list[str] = []
    scores: dict[str, dict[str, float]] = {}
    maxima: dict[str, float] = {}
    for results in classes:
        meta = results.get("meta", {})
        students = results.get("students", {})
        chapter = str(meta.get("chapter") or next(
            (r.get("chapter") for r in students.values() if r.get("chapter")), "?"))
        if chapter in chapters:
            raise ValueError(f"chapter {chapter} appears twice; give one grades.json per chapter.")
        chapters.append(chapter)
        exercise_max = sum(float(e.get("max", 0)) for e in meta.get("exercises", {}).values())
        maxima[chapter] = exercise_max or max(
            (float(r.get("max_total", 0)) for r in students.values()), default=0.0)
        for student, record in students.items():
            scores.setdefault(student, {})[chapter] = float(record.get("total", 0.0))
    return chapters, sorted(scores), scores, maxima


def canvas_csv(classes: Sequence[Mapping[str, Any]], roster: Roster | None = None,
               titles: Mapping[str, str] | None = None) -> str:
    """A Canvas gradebook import: one row per student, one assignment column per chapter.

    ``roster`` (our student id -> Canvas's columns, e.g. ``read_roster(export, "SIS Login ID")``
    on Canvas's own gradebook export) fills ``Student``, ``ID``, ``SIS User ID``, ``SIS Login
    ID`` and ``Section``; without it our id goes into ``Student`` and ``SIS Login ID`` (Canvas
    matches students by ID, then SIS User ID, then SIS Login ID, then name). ``titles`` renames
    the chapters' columns (default: the assignment name, e.g. ``01_perceptron``); a chapter a
    student was not graded in is left blank, which Canvas reads as "no change".
    """
    chapters, students, scores, maxima = _by_student(classes)
    names = [(titles or {}).get(ch) or assignment_name(ch) for ch in chapters]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CANVAS_STUDENT_COLUMNS, *names])
    writer.writerow(["Points Possible", "", "", "", "", *(_number(maxima[ch]) for ch in chapters)])
    for student in students:
        row = (roster or {}).get(student, {})
        identity = [row.get("Student") or student, row.get("ID", ""), row.get("SIS User ID", ""),
                    row.get("SIS Login ID") or ("" if row else student), row.get("Section", "")]
        writer.writerow([*identity, *(_number(scores[student][ch]) if ch in scores[student]
                                      else "" for ch in chapters)])
    return out.getvalue()


def moodle_csv(classes: Sequence[Mapping[str, Any]], roster: Roster | None = None,
               titles: Mapping[str, str] | None = None) -> str:
    """A Moodle grade import: identity columns, then one grade column per chapter.

    Map ``Username`` (or ``Email address`` / ``ID number``, filled from ``roster``: our student
    id -> a row with Moodle's ``username``, ``email`` and ``idnumber``, under those names or
    Moodle's export headings) to the user field of the same name in the import dialog, and each
    chapter column to its grade item. Moodle aborts the import on a user it does not know, so
    map the students first: with a ``roster``, students missing from it are left out (list them
    with ``missing_from_roster``). ``-`` marks a chapter a student was not graded in (no grade).
    """
    chapters, students, scores, _ = _by_student(classes)
    if roster is not None:
        students = [s for s in students if s in roster]
    names = [(titles or {}).get(ch) or assignment_name(ch) for ch in chapters]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*MOODLE_IDENTITY_COLUMNS, *names])
    for student in students:
        row = {k.lower(): v for k, v in (roster or {}).get(student, {}).items()}
        identity = [row.get("username") or student,
                    row.get("email") or row.get("email address", ""),
                    row.get("idnumber") or row.get("id number", "")]
        writer.writerow([*identity, *(_number(scores[student][ch]) if ch in scores[student]
                                      else "-" for ch in chapters)])
    return out.getvalue()


def missing_from_roster(classes: Sequence[Mapping[str, Any]], roster: Roster) -> list[str]:
    """The graded students a roster does not name (their grades need a manual match)."""
    return [s for s in _by_student(classes)[1] if s not in roster]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dlcourse.grading.exports",
                                     description="A gradebook CSV for Canvas or Moodle from the "
                                                 "grader's output folders, one per chapter.")
    parser.add_argument("lms", choices=("canvas", "moodle"))
    parser.add_argument("grades", nargs="+", type=Path,
                        help="output folders of python -m dlcourse.grade (or their grades.json)")
    parser.add_argument("--out", type=Path, required=True, help="the CSV file to write")
    parser.add_argument("--roster", type=Path, default=None,
                        help="a CSV naming the students as the LMS knows them")
    parser.add_argument("--roster-key", default=None,
                        help="the roster's column that holds the grader's student ids "
                             "(default: 'SIS Login ID' for Canvas, 'username' for Moodle)")
    args = parser.parse_args(argv)
    try:
        classes = [load_grades(path) for path in args.grades]
        key = args.roster_key or ("SIS Login ID" if args.lms == "canvas" else "username")
        roster = read_roster(args.roster, key) if args.roster else None
        write = canvas_csv if args.lms == "canvas" else moodle_csv
        args.out.write_text(write(classes, roster), encoding="utf-8")
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}")
    if roster is not None:
        missing = missing_from_roster(classes, roster)
        if missing:
            left = "left out" if args.lms == "moodle" else "to match by hand in Canvas"
            print(f"not in the roster ({left}): {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
