"""The class report: ``grades/report.html``, one self-contained page an instructor looks at first.

From the records in ``grades.json`` (see ``dlcourse.grading.exports``) it shows

- the problems at a glance: submissions that could not be graded, timeouts, crashes (a crash,
  ``sys.exit``, a memory blow-up), code that calls the reference, tamper flags;
- the score distribution (a histogram of each student's total, in % of the maximum) and the
  outcome per exercise (a stacked bar: passed, partly, failed, not attempted);
- for each exercise the most frequent mistakes, grouped by the check's diagnosis (its hint) or,
  where it gives none, by the failing case's label or what the code did (raised, timed out),
  each counted once per student, with one student's example (input, expected, got) and no name;
- every student's score, status and problems, with a link to their feedback file.

The figures are drawn with matplotlib and embedded as PNG data URIs, the page is rendered with a
Jinja2 template (``templates/report.html.j2``); the page loads nothing from the network.

    python -m dlcourse.grading.report grades/      # (re)write grades/report.html
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from dlcourse.checking.status import (
    CRASHES,
    ERROR,
    FAILED,
    GRADED,
    NO_VALUE,
    NOT_ATTEMPTED,
    PARTIAL,
    PASSED,
    TIMEOUT,
    UNGRADED,
    USES_REFERENCE,
)
from dlcourse.grading.exports import assignment_name, load_grades

TEMPLATES = Path(__file__).resolve().parent / "templates"
UNATTEMPTED = "not attempted"  # the outcome bar's fourth part: not attempted, or not graded
COLORS = {PASSED: "#2e8b57", PARTIAL: "#e0a526", FAILED: "#c0392b", UNATTEMPTED: "#b8b8b8"}


# ---------------------------------------------------------------- what the page says


def mistake_key(case: Mapping[str, Any]) -> str:
    """How a failing case is grouped: the check's hint, else what the code did, else the case."""
    status = str(case.get("status", FAILED))
    if status in NO_VALUE:
        why = str(case.get("why", "")).split("\n")[0]
        raised = why.split(":", 1)[0].strip() if ":" in why else ""
        return f"{status}: {raised}" if raised and status == ERROR else status
    if case.get("hint"):
        return str(case["hint"])
    prop = case.get("failing_property")
    label = case.get("label") or "a case"
    return f"wrong {prop} on case {label!r}" if prop else f"fails case {label!r}"


def _example(case: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(key, _short(str(case[key]))) for key in ("inputs", "expected", "got", "why")
            if case.get(key)][:4]


def _short(text: str, limit: int = 240) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def exercise_summaries(grades: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per exercise: outcome counts, mean score and the mistakes, most frequent first."""
    meta = grades.get("meta", {})
    records = list(grades.get("students", {}).values())
    ids = list(meta.get("exercises", {}))
    for record in records:
        ids += [ex for ex in record.get("exercises", {}) if ex not in ids]
    summaries = []
    for ex_id in ids:
        entries = [r["exercises"][ex_id] for r in records if ex_id in r.get("exercises", {})]
        outcome = Counter(_outcome(e) for e in entries)
        counts: Counter[str] = Counter()
        examples: dict[str, list[tuple[str, str]]] = {}
        for entry in entries:
            keys = set()
            for case in entry.get("failures", []):
                if str(case.get("status")) in NOT_ATTEMPTED:
                    continue
                key = mistake_key(case)
                keys.add(key)
                examples.setdefault(key, _example(case))
            counts.update(keys)
        info = meta.get("exercises", {}).get(ex_id, {})
        maximum = float(info.get("max") or max((float(e.get("max", 0)) for e in entries),
                                               default=0.0))
        summaries.append({
            "id": ex_id, "title": info.get("title", ""), "max": maximum,
            "mean": statistics.fmean(float(e.get("score", 0)) for e in entries) if entries
            else 0.0,
            "passed": outcome[PASSED], "partial": outcome[PARTIAL],
            "failed": outcome[FAILED], "not_attempted": outcome[UNATTEMPTED],
            "mistakes": [{"key": key, "count": n, "example": examples[key]}
                         for key, n in counts.most_common(5)]})
    return summaries


def _outcome(entry: Mapping[str, Any]) -> str:
    status = str(entry.get("status", ""))
    if status == PASSED:
        return PASSED
    if status in NOT_ATTEMPTED or status in UNGRADED:
        return UNATTEMPTED
    return PARTIAL if float(entry.get("score", 0)) > 0 else FAILED


def student_problems(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What an instructor should look at in one record (empty: nothing)."""
    problems = []
    if record.get("status") not in (None, GRADED):
        message = _short(str(record.get("message", "")), 120)
        problems.append({"text": f"{record['status']}: {message}", "flag": True})
    for ex_id, entry in record.get("exercises", {}).items():
        status = str(entry.get("status", ""))
        if status in CRASHES or status in (TIMEOUT, USES_REFERENCE):
            problems.append({"text": f"{ex_id}: {status}", "flag": status == USES_REFERENCE})
    problems += [{"text": f"flag: {_short(str(flag), 160)}", "flag": True}
                 for flag in record.get("flags", [])]
    return problems


def glance(records: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The cards at the top: how many students had each kind of problem."""
    def students_with(statuses: frozenset[str] | set[str]) -> int:
        return sum(any(str(e.get("status")) in statuses for e in r.get("exercises", {}).values())
                   for r in records)

    return [
        {"label": "graded", "count": sum(r.get("status") == GRADED for r in records),
         "alert": False},
        {"label": "could not be graded", "alert": True,
         "count": sum(r.get("status") not in (None, GRADED) for r in records)},
        {"label": "with a timeout", "count": students_with({TIMEOUT}), "alert": True},
        {"label": "with a crash", "count": students_with(CRASHES), "alert": True},
        {"label": "calling the reference", "count": students_with({USES_REFERENCE}),
         "alert": True},
        {"label": "with tamper flags", "count": sum(bool(r.get("flags")) for r in records),
         "alert": True},
    ]


# ---------------------------------------------------------------- the figures


def figure_png(fig) -> tuple[str, int, int]:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    width, height = _png_size(buffer.getvalue())
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(), width, height


def _png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def histogram(percents: list[float]) -> dict[str, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 3.2))
    ax = fig.subplots()
    ax.hist(percents, bins=[i * 10 for i in range(11)], color="#4a7ab5", edgecolor="white")
    ax.set_xlim(0, 100)
    ax.set_xlabel("total score (% of the maximum)")
    ax.set_ylabel("students")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Score distribution")
    src, width, height = figure_png(fig)
    return {"src": src, "width": width, "height": height,
            "alt": "histogram of the students' total scores in percent of the maximum",
            "caption": "Each student's total, in % of the maximum (bins of 10 %)."}


def outcome_bars(summaries: list[dict[str, Any]], n_students: int) -> dict[str, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 0.45 * len(summaries) + 1.3))
    ax = fig.subplots()
    labels = [s["id"] for s in summaries][::-1]
    left = [0.0] * len(summaries)
    for kind, key in ((PASSED, "passed"), (PARTIAL, "partial"), (FAILED, "failed"),
                      (UNATTEMPTED, "not_attempted")):
        share = [100 * s[key] / max(n_students, 1) for s in summaries][::-1]
        ax.barh(labels, share, left=left, color=COLORS[kind], label=str(kind))
        left = [a + b for a, b in zip(left, share, strict=True)]
    ax.set_xlim(0, 100)
    ax.set_xlabel("students (%)")
    ax.set_title("Outcome per exercise")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=4, frameon=False)
    src, width, height = figure_png(fig)
    return {"src": src, "width": width, "height": height,
            "alt": "stacked bars per exercise: the share of students who passed, passed partly, "
                   "failed or did not attempt it",
            "caption": "Pass rate per exercise: passed, partly (some cases), failed, not "
                       "attempted (or the notebook could not be graded)."}


# ---------------------------------------------------------------- the page


def render(template: str, **context: Any) -> str:
    """Render one of ``templates/`` with HTML escaping on (and a ``points`` filter: 2.5, 7)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["points"] = lambda x: f"{round(float(x), 2):g}"
    return env.get_template(template).render(**context)


def class_report(grades: Mapping[str, Any], *, feedback_dir: Path | None = None,
                 title: str | None = None) -> str:
    """The report's HTML for the class results ``grades`` (the content of grades.json).

    Links to ``feedback/<student>.md`` are relative (the page lives next to ``feedback/``);
    with ``feedback_dir`` given, only files that exist there are linked.
    """
    meta = grades.get("meta", {})
    records = sorted(grades.get("students", {}).values(), key=lambda r: str(r.get("student")))
    max_total = max((float(r.get("max_total", 0)) for r in records), default=0.0)
    percents = [100 * float(r.get("total", 0)) / max_total if max_total else 0.0
                for r in records]
    summaries = exercise_summaries(grades)
    chapter = str(meta.get("chapter", "?"))
    students = []
    for record in records:
        name = str(record.get("student"))
        feedback = f"{name}.md"
        exists = feedback_dir is None or (feedback_dir / feedback).is_file()
        students.append({"name": name, "total": float(record.get("total", 0)),
                         "max_total": float(record.get("max_total", 0)),
                         "status": record.get("status", ""),
                         "problems": student_problems(record),
                         "feedback": f"feedback/{quote(feedback)}" if exists else "",
                         "feedback_name": feedback})
    figures = [histogram(percents)] if records else []
    if summaries and records:
        figures.append(outcome_bars(summaries, len(records)))
    return render(
        "report.html.j2",
        title=title or f"Chapter {chapter} ({assignment_name(chapter)}): class report",
        meta=meta, n_students=len(records), max_total=max_total,
        mean_percent=statistics.fmean(percents) if percents else 0.0,
        median_percent=statistics.median(percents) if percents else 0.0,
        cards=glance(records), figures=figures, exercises=summaries, students=students)


def write_report(out: Path) -> Path:
    """Write ``out/report.html`` from ``out/grades.json``; return its path."""
    from dlcourse.grading.results import atomic_write

    html = class_report(load_grades(out), feedback_dir=out / "feedback")
    path = out / "report.html"
    atomic_write(path, html)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dlcourse.grading.report",
                                     description="Write report.html from a grader's output "
                                                 "folder (grades.json).")
    parser.add_argument("out", type=Path, help="the folder python -m dlcourse.grade wrote")
    args = parser.parse_args(argv)
    try:
        path = write_report(args.out)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
