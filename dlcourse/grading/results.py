"""The output files of a run, written atomically: the class tables and each student's feedback.

- ``grades.csv``: one row per student: status, total, one score column per exercise, flags;
- ``grades.json``: every record (see ``scoring``) and the run's settings, for the instructor;
  failing hidden cases keep their inputs, expected and actual values there;
- ``feedback/<student>.md``: what the student reads. Hidden cases show only which property
  failed (shape, type, NaN, values) and the exercise's general hint, never the expected
  values or a hint computed from them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from dlcourse.checking.exercise import RANDOM
from dlcourse.checking.status import GRADED, PASSED

_UMASK = os.umask(0o022)  # read once, at import (os.umask can only be read by setting it)
os.umask(_UMASK)


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half.
    The file gets the usual permissions (0666 less the umask), not mkstemp's private 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def spreadsheet_safe(text: Any) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula: a file name such as
    ``=HYPERLINK(...).ipynb`` ends up in a message, and a cell that starts with ``=``, ``+``,
    ``-``, ``@`` or a control character is a formula to Excel and LibreOffice."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(records: list[dict[str, Any]], exercise_ids: list[str]) -> str:
    """One row per student: total, then one score column per exercise, status and flags.
    The text columns are spreadsheet-safe (see ``spreadsheet_safe``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student", "file", "status", "total", "max", *exercise_ids, "flags",
                     "message"])
    for rec in sorted(records, key=lambda r: r["student"]):
        scores = [rec["exercises"].get(ex, {}).get("score", 0.0) for ex in exercise_ids]
        writer.writerow([spreadsheet_safe(rec["student"]), spreadsheet_safe(rec["file"]),
                         rec["status"], rec["total"], rec["max_total"], *scores,
                         len(rec.get("flags", [])), spreadsheet_safe(rec.get("message", ""))])
    return out.getvalue()


def is_hidden(case: dict[str, Any]) -> bool:
    """Whether a case is one of the hidden ones drawn fresh for each run."""
    return bool(case.get("hidden")) or case.get("group") == RANDOM


def student_case(case: dict[str, Any]) -> dict[str, str]:
    """What the student may see of a failing case, as text: everything for a case from the
    text; for a hidden case, its label, status, the property that failed and the general hint.
    The feedback files and Gradescope's results both show cases through this."""
    if not is_hidden(case):
        return {k: str(case[k]) for k in ("label", "status", "inputs", "expected", "got", "why",
                                          "hint") if case.get(k)}
    shown = {"label": str(case.get("label", "hidden case")), "status": str(case.get("status")),
             "why": f"hidden case: {case.get('failing_property') or case.get('status')}"}
    if case.get("general_hint"):
        shown["hint"] = str(case["general_hint"])
    return shown


def feedback_markdown(record: dict[str, Any], titles: dict[str, str]) -> str:
    """The feedback a student reads: scores, what failed and why, with hints."""
    lines = [f"# Feedback for {record['student']}: chapter {record.get('chapter') or '?'}", ""]
    if record["status"] != GRADED:
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
        for case in [student_case(c) for c in ex.get("failures", [])[:2]]:
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
