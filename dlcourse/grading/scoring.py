"""Scores: judging a submission's outcomes against the expected values, exercise by exercise.

Every status is derived here, on the trusted side: a case passes only when the comparator says
its value matches the expected one; a case without a value gets the status of what it raised
or of what happened to the sandbox. An exercise scores the fraction of its cases passed times
its points.

A student's record is a plain dict (stored as JSON)::

    {"student", "file", "sha256", "chapter", "status", "message", "total", "max_total",
     "exercises": {id: {"score", "max", "status", "feedback", "found_by", "notes", "passed",
                        "cases_total", "failures": [case...], "other_mode": {...}?}},
     "flags": [...], "notes": [...], "seconds", "mode"}

``status`` is ``graded`` (every exercise got a verdict, whatever the score), ``malformed`` (the
file is not a readable notebook), ``not graded`` (an odd file: a link out of the class folder,
a FIFO, a huge file...) or ``grader error`` (the grader failed, not the student). Each failing
case says whether it is ``hidden``: the student's feedback shows only which property of a
hidden case failed.
"""

from __future__ import annotations

from typing import Any

from dlcourse.checking.exercise import CaseResult, judge
from dlcourse.checking.status import (
    ERROR,
    FAILED,
    GRADED,
    GRADER_ERROR,
    NOT_FOUND,
    NOT_GRADED,
    PARTIAL,
    PASSED,
    USES_REFERENCE,
    ZERO_SCORE,
)
from dlcourse.grading.plan import CUMULATIVE, REFERENCE, ChapterPlan
from dlcourse.grading.runner import SubmissionRun
from dlcourse.grading.submission import Location


def exercise_record(points: float, results: list[CaseResult], *, status: str | None = None,
                    message: str = "", found_by: str = "tag", notes: list[str] | None = None,
                    general_hint: str = "") -> dict[str, Any]:
    """Score one exercise: the fraction of cases passed times its points.

    ``status`` overrides the verdict when no case ran (not found, uses the reference, grader
    error...), scoring 0. ``general_hint`` (the exercise's own hint) is kept with each case:
    it is all the student is told about a hidden case besides the property that failed.
    """
    cases = [{**_cut(r.as_dict()), "general_hint": general_hint} for r in results]
    passed = sum(r.passed for r in results)
    if status is None:
        if results and passed == len(results):
            status = PASSED
        elif passed:
            status = PARTIAL
        else:
            statuses = {str(r.status) for r in results if not r.passed}
            status = statuses.pop() if len(statuses) == 1 else FAILED
    status = str(status)
    score = 0.0 if status in ZERO_SCORE or not results else \
        round(points * passed / len(results), 4)
    failures = [c for c in cases if c["status"] != PASSED]
    feedback = message or _summary(passed, len(results), failures)
    return {"score": score, "max": points, "status": status, "feedback": feedback,
            "found_by": found_by, "notes": notes or [], "passed": passed,
            "cases_total": len(results), "failures": failures[:3]}


MAX_CASE_TEXT = 2000  # characters of a case's description (what came back may be any string)


def _cut(case: dict[str, Any]) -> dict[str, Any]:
    """A case's texts cut to ``MAX_CASE_TEXT``: a returned string of 100,000 characters would
    otherwise be stored twice per failing case, in grades.json, the records and the feedback."""
    return {k: v[:MAX_CASE_TEXT] + " …" if isinstance(v, str) and len(v) > MAX_CASE_TEXT else v
            for k, v in case.items()}


def _summary(passed: int, total: int, failures: list[dict]) -> str:
    if not total:
        return "no case was run"
    if not failures:
        return f"all {total} cases passed"
    first = failures[0]
    if first["hidden"]:
        what = f"a hidden case ({first['label']}) failed: {first['failing_property']}"
    else:
        what = f"first failure ({first['label']}): {first['why']}"
    text = f"{passed} of {total} cases passed; {what}"
    hint = first.get("general_hint") if first["hidden"] else first.get("hint")
    if hint:
        text += f" Hint: {hint}"
    return text.split("\n")[0]


def new_record(student: str, file: str, chapter: str, sha256: str = "") -> dict[str, Any]:
    return {"student": student, "file": file, "sha256": sha256, "chapter": chapter,
            "status": GRADED, "message": "", "exercises": {}, "flags": [], "notes": [],
            "seconds": 0.0}


def not_graded(record: dict[str, Any], chapter: ChapterPlan, status: str, message: str,
               exercise_status: str = NOT_GRADED) -> dict[str, Any]:
    """A row for a submission none of whose code ran (malformed, odd file, grader error)."""
    record.update(status=status, message=message)
    for ex in chapter.exercises:
        record["exercises"][ex.id] = exercise_record(ex.points, [], status=exercise_status,
                                                     message=message)
    return finish(record)


def score_submission(record: dict[str, Any], chapter: ChapterPlan, where: Location,
                     run: SubmissionRun, *, cumulative: bool) -> dict[str, Any]:
    """Fill ``record`` with the verdict on every exercise of a graded submission."""
    primary = CUMULATIVE if cumulative else REFERENCE
    other = REFERENCE if cumulative else CUMULATIVE
    record["seconds"] = round(run.seconds, 3)
    record["flags"] = list(where.flags) + [f"the sandbox reported: {e}" for e in run.events] \
        + [f"the sandbox broke the protocol: {p}" for p in run.problems]
    record["notes"] = list(run.notes)
    if run.grader_error:
        record.update(status=GRADER_ERROR, message=run.grader_error)
    for ex in chapter.exercises:
        located = where.located[ex.id]
        notes = list(located.notes)
        if ex.id in chapter.errors:
            entry = exercise_record(ex.points, [], status=GRADER_ERROR,
                                    message=f"grader error: {chapter.errors[ex.id]}")
            record["status"] = GRADER_ERROR
        elif located.how == "missing":
            entry = exercise_record(
                ex.points, [], status=NOT_FOUND, found_by="missing",
                message=f"exercise {ex.id} not found: no cell is tagged with it and no cell "
                        f"defines {', '.join(ex.functions)}.")
        elif ex.id in where.uses_reference:
            entry = exercise_record(
                ex.points, [], status=USES_REFERENCE, found_by=located.how, notes=notes,
                message=f"no credit: {where.uses_reference[ex.id]}. Exercises must be your "
                        "own code.")
        else:
            result = run.passes[(ex.id, primary)]
            for label, errors in result.cell_errors.items():
                notes.append(f"{label} raised while it was run: {'; '.join(errors)[:500]}")
            entry = _judged(ex, chapter, result.outcomes, located.how, notes)
            if result.failure.startswith(GRADER_ERROR):
                entry = exercise_record(ex.points, [], status=GRADER_ERROR,
                                        message=result.failure)
            alternative = run.passes.get((ex.id, other))
            if alternative is not None and not alternative.ran_out:
                alt = _judged(ex, chapter, alternative.outcomes, located.how, [])
                if alt["score"] != entry["score"]:
                    entry["other_mode"] = {"mode": other, "score": alt["score"],
                                           "status": alt["status"]}
                    entry["notes"].append(_mode_note(ex, chapter, other, alt, primary))
        record["exercises"][ex.id] = entry
    return finish(record)


def _judged(ex, chapter: ChapterPlan, outcomes: list[dict], found_by: str,
            notes: list[str]) -> dict[str, Any]:
    judged = [_judge_case(ex, case, expected, outcome) for case, expected, outcome in
              zip(chapter.cases[ex.id], chapter.expected[ex.id], outcomes, strict=True)]
    return exercise_record(ex.points, judged, found_by=found_by, notes=notes,
                           general_hint=ex.hint)


def _judge_case(ex, case, expected, outcome: dict) -> CaseResult:
    """``judge``, in an error boundary of its own: a value that the comparison or its
    description cannot handle (an integer too large for a float, say) is an error for that
    case, never a grader error for the whole submission."""
    try:
        return judge(ex, case, expected, outcome)
    except Exception as err:
        return judge(ex, case, expected, {
            "status": ERROR, "message": f"the result could not be judged ({type(err).__name__}: "
                                        f"{str(err)[:200]})"})


def _mode_note(ex, chapter: ChapterPlan, other: str, alt: dict, primary: str) -> str:
    names = ", ".join(chapter.earlier_called(ex.id, set())) or "the earlier exercises"
    if primary == REFERENCE:
        return (f"graded with the course's versions of the earlier exercises it calls ({names}) "
                f"in place of yours, so that a mistake there costs only that exercise; with "
                f"your own versions it would score {alt['score']:g} / {ex.points:g} "
                f"({alt['status']}; the --cumulative grade).")
    return (f"graded with your own versions of the earlier exercises it calls (--cumulative); "
            f"with the course's versions of {names} it would score {alt['score']:g} / "
            f"{ex.points:g} ({alt['status']}).")


def finish(record: dict[str, Any]) -> dict[str, Any]:
    exercises = record.get("exercises", {})
    record["total"] = round(sum(e["score"] for e in exercises.values()), 4)
    record["max_total"] = round(sum(e["max"] for e in exercises.values()), 4)
    return record
