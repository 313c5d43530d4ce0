"""Scores and feedback: one record per student, the class tables, files written atomically.

A student's record is a plain dict (it is stored as JSON)::

    {"student", "file", "sha256", "chapter", "status", "message", "total", "max_total",
     "exercises": {id: {"score", "max", "status", "feedback", "found_by", "cases": [...]}},
     "flags": [...], "notes": [...], "seconds"}

``status`` is ``graded`` (every exercise got a verdict, whatever the score), ``malformed`` (the
file is not a readable notebook) or ``grader error`` (the grader failed, not the student).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

PASSED = "passed"
PARTIAL = "partial"
FAILED = "failed"


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def exercise_record(points: float, results: list, *, status: str | None = None,
                    message: str = "", found_by: str = "tag", notes: list[str] | None = None,
                    ) -> dict[str, Any]:
    """Score one exercise: the fraction of cases passed times its points.

    ``results`` are ``CaseResult``s; ``status`` overrides the verdict when no case ran
    (not found, uses the reference, timeout, crash...), scoring 0.
    """
    cases = [r.as_dict() for r in results]
    passed = sum(r.passed for r in results)
    if status is None:
        if results and passed == len(results):
            status = PASSED
        elif passed:
            status = PARTIAL
        else:
            statuses = {r.status for r in results if not r.passed}
            status = statuses.pop() if len(statuses) == 1 else FAILED
    score = 0.0 if status in _ZERO or not results else round(points * passed / len(results), 4)
    failures = [c for c in cases if c["status"] != PASSED]
    feedback = message or _summary(passed, len(results), failures)
    return {"score": score, "max": points, "status": status, "feedback": feedback,
            "found_by": found_by, "notes": notes or [], "passed": passed,
            "cases_total": len(results), "failures": failures[:3]}


_ZERO = {"not found", "uses reference", "grader error"}


def _summary(passed: int, total: int, failures: list[dict]) -> str:
    if not total:
        return "no case was run"
    if not failures:
        return f"all {total} cases passed"
    first = failures[0]
    text = f"{passed} of {total} cases passed; first failure ({first['label']}): {first['why']}"
    if first.get("hint"):
        text += f" Hint: {first['hint']}"
    return text.split("\n")[0]


def total(record: dict[str, Any]) -> tuple[float, float]:
    exercises = record.get("exercises", {})
    return (round(sum(e["score"] for e in exercises.values()), 4),
            round(sum(e["max"] for e in exercises.values()), 4))


def csv_text(records: list[dict[str, Any]], exercise_ids: list[str]) -> str:
    """One row per student: total, then one score column per exercise, status and flags."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student", "file", "status", "total", "max", *exercise_ids, "flags",
                     "message"])
    for rec in sorted(records, key=lambda r: r["student"]):
        scores = [rec["exercises"].get(ex, {}).get("score", 0.0) for ex in exercise_ids]
        writer.writerow([rec["student"], rec["file"], rec["status"], rec["total"],
                         rec["max_total"], *scores, len(rec.get("flags", [])),
                         rec.get("message", "")])
    return out.getvalue()


def feedback_markdown(record: dict[str, Any], titles: dict[str, str]) -> str:
    """The feedback a student reads: scores, what failed and why, with hints."""
    lines = [f"# Feedback for {record['student']}: chapter {record.get('chapter') or '?'}", ""]
    if record["status"] != "graded":
        lines += [f"**Your notebook could not be graded:** {record.get('message', '')}", ""]
    lines += [f"**Score: {record['total']:g} / {record['max_total']:g}**", "",
              "| exercise | score | result |", "|---|---|---|"]
    for ex_id, ex in record.get("exercises", {}).items():
        lines.append(f"| {ex_id} {titles.get(ex_id, '')} | {ex['score']:g} / {ex['max']:g} | "
                     f"{ex['status']} |")
    for ex_id, ex in record.get("exercises", {}).items():
        if ex["status"] == PASSED and not ex.get("notes"):
            continue
        lines += ["", f"## {ex_id}", "", ex["feedback"]]
        lines += [f"- note: {note}" for note in ex.get("notes", [])]
        for case in ex.get("failures", [])[:2]:
            lines += ["", f"Case *{case['label']}* ({case['status']}):", "```"]
            for key in ("inputs", "expected", "got", "why", "hint"):
                if case.get(key):
                    lines.append(f"{key + ':':9} {case[key]}")
            lines.append("```")
    if record.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {n}" for n in record["notes"]]
    return "\n".join(lines) + "\n"


def class_json(records: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    return json.dumps({"meta": meta, "students": {r["student"]: r for r in
                                                  sorted(records, key=lambda r: r["student"])}},
                      indent=1, default=str)
