"""How far you are: ``python -m dlcourse.progress [notebooks/] [--html progress.html]``.

Grades your own chapter notebooks with the class grader (``python -m dlcourse.grade``: the
same sandbox, the same cases from the text and hidden random cases, the same scores your
instructor's run would give) and prints one line per chapter: exercises passed, points, the
quiz score if the notebook saved it, a progress bar, and which exercises are still to do::

    chapter                          exercises   points  quiz  progress
    01 · The perceptron                  4 / 6    5 / 7   3/6  ██████████████░░░░░░  71 %

``--html FILE`` also writes the same as a one-page picture (a bar per chapter and the table).

Your notebooks are never changed: each is copied to a temporary folder and graded there. The
quiz score is the "Score: k of n right" line under the quiz as the notebook last saved it
(JupyterLab saves widget state when "Save Widget State Automatically" is on in the Settings
menu); "—" means it was not saved. Where bubblewrap (the grader's sandbox, Linux only) is not
installed, your code runs without it, as it does in the notebook itself.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlcourse.checking.status import GRADED, PASSED

NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
QUIZ_SCORE = re.compile(r"Score: (\d+) of (\d+) right")
BAR_WIDTH = 20


@dataclass
class ChapterProgress:
    """One chapter's line: what the grader found in the student's notebook."""

    chapter: str
    title: str
    notebook: Path
    n_exercises: int = 0
    passed: int = 0
    score: float = 0.0
    max_score: float = 0.0
    quiz: str | None = None
    todo: list[str] = field(default_factory=list)
    problem: str = ""

    @property
    def fraction(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0


# ---------------------------------------------------------------- reading a notebook


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def chapter_title(nb: dict[str, Any], fallback: str) -> str:
    """The notebook's first heading without its chapter number, e.g. "The perceptron"."""
    for cell in nb.get("cells", []):
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            for line in text.splitlines():
                if line.startswith("# "):
                    return re.sub(r"^\d\d\s*[·:.-]?\s*", "", line[2:].strip()) or fallback
    return fallback


def quiz_state(nb: dict[str, Any]) -> str | None:
    """The quiz score the notebook saved ("k/n"), or None if it saved none."""
    widgets = nb.get("metadata", {}).get("widgets", {})
    state = widgets.get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for model in state.values() if isinstance(state, dict) else ():
        value = model.get("state", {}).get("value") if isinstance(model, dict) else None
        match = QUIZ_SCORE.search(value) if isinstance(value, str) else None
        if match:
            return f"{match.group(1)}/{match.group(2)}"
    return None


# ---------------------------------------------------------------- grading


def _sandbox_missing() -> str | None:
    try:
        from dlcourse.grading.sandbox import bubblewrap_problem
    except ImportError as err:  # a platform without the sandbox's modules (Windows)
        return str(err)
    return bubblewrap_problem()


def grade_chapter(notebook: Path, chapter: str, work: Path, *, timeout: float,
                  unsafe: bool) -> dict[str, Any] | str:
    """Grade one notebook (a copy of it) with ``python -m dlcourse.grade``: its record, or why
    there is none."""
    folder = work / chapter / "class"
    folder.mkdir(parents=True)
    shutil.copyfile(notebook, folder / notebook.name)
    out = work / chapter / "grades"
    command = [sys.executable, "-m", "dlcourse.grade", str(folder), "--chapter", chapter,
               "--out", str(out), "--jobs", "1", "--timeout", str(timeout), "--quiet"]
    if unsafe:
        command.append("--unsafe-process-isolation")
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    grades = out / "grades.json"
    if not grades.is_file():
        lines = (done.stderr or done.stdout).strip().splitlines()
        return lines[-1] if lines else f"the grader stopped (exit status {done.returncode})"
    records = list(json.loads(grades.read_text(encoding="utf-8"))["students"].values())
    return records[0] if records else "the grader found nothing to grade"


def chapter_progress(notebook: Path, record: dict[str, Any] | str | None) -> ChapterProgress:
    nb = _read(notebook)
    chapter = notebook.name[:2]
    row = ChapterProgress(chapter, chapter_title(nb, notebook.stem[3:].replace("_", " ")),
                          notebook, quiz=quiz_state(nb))
    if isinstance(record, str):
        row.problem = record
    elif record is not None:
        exercises = record.get("exercises", {})
        row.n_exercises = len(exercises)
        row.passed = sum(e.get("status") == PASSED for e in exercises.values())
        row.score = float(record.get("total", 0.0))
        row.max_score = float(record.get("max_total", 0.0))
        row.todo = [ex.split(".", 1)[-1] for ex, e in exercises.items()
                    if e.get("status") != PASSED]
        if record.get("status") not in (None, GRADED):
            row.problem = f"{record['status']}: {record.get('message', '')}"
    return row


def progress(paths: list[Path], *, jobs: int = 2, timeout: float = 20.0) -> list[ChapterProgress]:
    """Grade each chapter notebook in ``paths`` (notebooks or folders of them)."""
    from dlcourse.exercises import chapters

    notebooks = []
    for path in paths:
        if path.is_dir():
            notebooks += sorted(path.glob(NOTEBOOK_PATTERN))
        elif path.is_file():
            notebooks.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    if not notebooks:
        raise FileNotFoundError(f"no chapter notebooks (NN_topic.ipynb) in "
                                f"{', '.join(map(str, paths))}")
    graded = set(chapters())
    unsafe = _sandbox_missing() is not None
    with tempfile.TemporaryDirectory(prefix="dlcourse-progress-") as tmp, \
            ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {nb: pool.submit(grade_chapter, nb, nb.name[:2], Path(tmp) / f"{i:03d}",
                                   timeout=timeout, unsafe=unsafe)
                   for i, nb in enumerate(notebooks) if nb.name[:2] in graded}
        records = {nb: future.result() for nb, future in futures.items()}
    return [chapter_progress(nb, records.get(nb)) for nb in notebooks]


# ---------------------------------------------------------------- showing it


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def table(rows: list[ChapterProgress]) -> str:
    """The per-chapter table the command prints."""
    name_width = max([len("chapter"), *(len(f"{r.chapter} · {r.title}") for r in rows)])
    lines = [f"{'chapter':<{name_width}}  {'exercises':>9}  {'points':>11}  {'quiz':>5}  progress"]
    for r in rows:
        name = f"{r.chapter} · {r.title}"
        if not r.n_exercises:
            counts, points, shown = "—", "", "" if not r.problem else f"⚠ {r.problem}"
        else:
            counts = f"{r.passed} / {r.n_exercises}"
            points = f"{r.score:g} / {r.max_score:g}"
            shown = f"{bar(r.fraction)} {100 * r.fraction:3.0f} %"
            if r.problem:
                shown += f"  ⚠ {r.problem}"
            elif r.todo:
                shown += f"  to do: {', '.join(r.todo)}"
        lines.append(f"{name:<{name_width}}  {counts:>9}  {points:>11}  {r.quiz or '—':>5}  "
                     f"{shown}".rstrip())
    total = sum(r.n_exercises for r in rows)
    passed = sum(r.passed for r in rows)
    score, maximum = sum(r.score for r in rows), sum(r.max_score for r in rows)
    lines.append(f"{'all chapters':<{name_width}}  {f'{passed} / {total}':>9}  "
                 f"{f'{score:g} / {maximum:g}':>11}  {'':>5}  "
                 f"{bar(score / maximum if maximum else 0.0)}")
    return "\n".join(lines)


def html_page(rows: list[ChapterProgress], folder: str) -> str:
    """The one-page picture: a bar per chapter (points earned of the maximum) and the table."""
    from matplotlib.figure import Figure

    from dlcourse.grading.report import figure_png, render

    graded = [r for r in rows if r.n_exercises]
    fig = Figure(figsize=(7, 0.4 * max(len(graded), 1) + 1.2))
    ax = fig.subplots()
    labels = [f"{r.chapter} · {r.title}" for r in graded][::-1]
    ax.barh(labels, [100.0] * len(graded), color="#e6e6e6")
    ax.barh(labels, [100 * r.fraction for r in graded][::-1],
            color=["#2e8b57" if r.fraction == 1 else "#4a7ab5" for r in graded][::-1])
    for y, r in enumerate(graded[::-1]):
        ax.text(101, y, f"{r.passed}/{r.n_exercises}", va="center", fontsize=9)
    ax.set_xlim(0, 110)
    ax.set_xlabel("points earned (% of the chapter's maximum)")
    ax.set_title("Your progress, chapter by chapter")
    src, width, height = figure_png(fig)
    return render(
        "progress.html.j2", title="Your progress in the course", rows=rows, folder=folder,
        passed=sum(r.passed for r in rows), total=sum(r.n_exercises for r in rows),
        score=sum(r.score for r in rows), max_score=sum(r.max_score for r in rows),
        when=_dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        figure={"src": src, "width": width, "height": height,
                "alt": "a bar per chapter: the share of its points earned so far"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dlcourse.progress",
                                     description="Grade your own notebooks and show, chapter "
                                                 "by chapter, how far you are.")
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("notebooks")],
                        help="chapter notebooks or folders of them (default: notebooks/)")
    parser.add_argument("--html", type=Path, default=None, metavar="FILE",
                        help="also write a one-page picture to FILE (e.g. progress.html)")
    parser.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                        help="chapters graded at the same time (default: up to 4)")
    parser.add_argument("--timeout", type=float, default=20.0,
                        help="seconds allowed per exercise (default: 20)")
    args = parser.parse_args(argv)
    try:
        rows = progress(args.paths, jobs=args.jobs, timeout=args.timeout)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(table(rows))
    missing = _sandbox_missing()
    if missing:
        print(f"(graded without the sandbox: {missing})")
    if args.html:
        args.html.write_text(html_page(rows, ", ".join(map(str, args.paths))), encoding="utf-8")
        print(f"wrote {args.html}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
