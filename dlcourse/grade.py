"""Grade a class: ``python -m dlcourse.grade SUBMISSION.ipynb... [options]``.

Every submitted notebook is graded against the course's reference solutions, exercise by
exercise, and the results are written to the output folder:

    grades.csv              one row per student: status, total, one column per exercise
    grades.json             per student and exercise: score, max, status, feedback, the failing
                            cases (input, expected, got, why, hint), tamper flags; plus the run's
                            settings (chapter, seed of the hidden cases, isolation used)
    feedback/<student>.md   what each student reads: scores, what failed and why, hints
    records/<student>.json  one file per graded submission (used to resume an interrupted run)

How it works: each submission's exercise cells (found by their exercise tag, or by the
function name where the tag is gone) and setup cells run in a fresh child process with a
wall-clock timeout, a CPU-time and a memory limit, in an empty temporary folder, without the
grader's environment, without network and without access to the course package or the
solutions (Linux namespaces where available). The child calls the student's functions on the
cases from the text and on hidden random cases, drawn fresh for each run, and returns plain
data; the comparison with the reference happens here, in the grader's process. A crash, an
endless loop or a memory blow-up costs that exercise, never the others or the batch.

A student is named after the notebook's file name (without ``.ipynb``); where two files share
a name, the folder's name is put in front. Re-running with the same ``--out`` skips the
submissions whose file has not changed since it was graded (``--force`` regrades them).

Exit status: 0 when every submission was graded, 1 when some could not be (malformed files or
grader errors; see the ``status`` column), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import inspect
import json
import os
import secrets
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from dlcourse.checking import studentside
from dlcourse.checking.exercise import CaseResult, judge
from dlcourse.exercises import chapter_exercises, chapters
from dlcourse.grading import results as res
from dlcourse.grading.sandbox import CellRun, ExerciseJob, Limits, isolation, run_submission
from dlcourse.grading.submission import Submission, locate, read_submission

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_HIDDEN = [PACKAGE_DIR, PACKAGE_DIR.parent / "solutions"]


class UsageError(Exception):
    """A problem with the command line, reported with exit status 2."""


# ---------------------------------------------------------------- finding submissions


def find_submissions(patterns: list[str]) -> list[Path]:
    """Expand files, folders (searched recursively) and glob patterns into notebook paths."""
    found: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb")
                            if ".ipynb_checkpoints" not in p.parts)
        elif path.exists():
            found.append(path)
        else:
            matches = sorted(glob.glob(pattern, recursive=True))
            if not matches:
                raise UsageError(f"no such file, folder or pattern: {pattern}")
            found += [Path(m) for m in matches if m.endswith(".ipynb") or Path(m).is_file()]
    unique = list(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        raise UsageError("no notebooks to grade")
    return unique


def student_names(paths: list[Path]) -> dict[Path, str]:
    """A unique, file-system-safe name per submission (its file name, else folder/file)."""
    names: dict[Path, str] = {}
    stems = [p.stem for p in paths]
    for path in paths:
        name = path.stem if stems.count(path.stem) == 1 else f"{path.parent.name}__{path.stem}"
        base, k = name, 2
        while name in names.values():
            name, k = f"{base}_{k}", k + 1
        names[path] = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return names


# ---------------------------------------------------------------- the cases of a run


class Chapter:
    """A chapter's exercises with this run's cases and their expected values (computed once)."""

    def __init__(self, chapter: str, seed: int, n_random: int | None):
        self.chapter = chapter
        self.exercises = list(chapter_exercises(chapter).values())
        self.cases: dict[str, list] = {}
        self.expected: dict[str, list] = {}
        self.errors: dict[str, str] = {}
        for ex in self.exercises:
            try:
                cases = ex.all_cases(seed=seed + int.from_bytes(ex.id.encode()[:4], "big"),
                                     n_random=n_random)
                self.expected[ex.id] = [ex.expected(c) for c in cases]
                self.cases[ex.id] = cases
            except Exception as err:
                self.errors[ex.id] = f"{type(err).__name__}: {err}"

    def jobs(self, limits: Limits) -> list[ExerciseJob]:
        return [ExerciseJob(ex.id, ex.functions, inspect.getsource(ex.driver),
                            ex.driver.__name__,
                            [(c.args, c.kwargs) for c in self.cases[ex.id]],
                            min(ex.timeout, limits.timeout / 2))
                for ex in self.exercises if ex.id in self.cases]


# ---------------------------------------------------------------- grading one submission


def grade_submission(sub: Submission, chapter: Chapter, limits: Limits,
                     hidden: list[str]) -> dict[str, Any]:
    """Grade one parsed submission; never raises (a failure becomes a grader-error record)."""
    record: dict[str, Any] = {"student": sub.student, "file": str(sub.path),
                              "sha256": _sha256(sub.path), "chapter": chapter.chapter,
                              "status": "graded", "message": "", "exercises": {},
                              "flags": [], "notes": [], "seconds": 0.0}
    points = {ex.id: ex.points for ex in chapter.exercises}
    if sub.error:
        record.update(status="malformed", message=sub.error)
        for ex in chapter.exercises:
            record["exercises"][ex.id] = res.exercise_record(
                ex.points, [], status="not graded", message=sub.error)
        return _finish(record)
    try:
        locate(sub, chapter.exercises)
        cells = _cells_to_run(sub, chapter)
        runnable = [job for job in chapter.jobs(limits)
                    if sub.located[job.id].how != "missing" and job.id not in sub.uses_reference]
        run = run_submission(cells, runnable, limits=limits, hidden=hidden)
    except Exception as err:
        record.update(status="grader error", message=f"{type(err).__name__}: {err}")
        for ex in chapter.exercises:
            record["exercises"][ex.id] = res.exercise_record(
                ex.points, [], status="grader error", message=record["message"])
        return _finish(record)
    record["seconds"] = round(run.seconds, 3)
    record["flags"] = list(sub.flags) + [f"at run time: {event}" for event in run.events]
    for index, errors in sorted(run.cell_errors.items()):
        record["notes"].append(f"cell {index} raised while it was run: {'; '.join(errors)}")
    for index, failure in sorted(run.cell_failures.items()):
        record["notes"].append(f"cell {index} stopped the process ({failure}); it was skipped")
    for ex in chapter.exercises:
        located = sub.located[ex.id]
        notes = list(located.notes)
        if ex.id in chapter.errors:
            entry = res.exercise_record(points[ex.id], [], status="grader error",
                                        message=f"grader error: {chapter.errors[ex.id]}")
            record["status"] = "grader error"
        elif located.how == "missing":
            entry = res.exercise_record(
                points[ex.id], [], status="not found", found_by="missing",
                message=f"exercise {ex.id} not found: no cell is tagged with it and no cell "
                        f"defines {', '.join(ex.functions)}.")
        elif ex.id in sub.uses_reference:
            entry = res.exercise_record(
                points[ex.id], [], status="uses reference", found_by=located.how,
                message=f"no credit: {sub.uses_reference[ex.id]}. Exercises must be your own "
                        "code.", notes=notes)
        elif ex.id in run.failures:
            status, _, message = run.failures[ex.id].partition(": ")
            cases = [CaseResult(c.group, c.label, status, why=message)
                     for c in chapter.cases[ex.id]]
            entry = res.exercise_record(points[ex.id], cases, found_by=located.how,
                                        notes=notes, message=f"{status}: {message}")
            if status == "grader error":
                record["status"] = "grader error"
        else:
            judged = [judge(ex, case, expected, record_)
                      for case, expected, record_ in zip(chapter.cases[ex.id],
                                                         chapter.expected[ex.id],
                                                         run.records[ex.id], strict=True)]
            entry = res.exercise_record(points[ex.id], judged, found_by=located.how,
                                        notes=notes)
        record["exercises"][ex.id] = entry
    return _finish(record)


def _cells_to_run(sub: Submission, chapter: Chapter) -> list[CellRun]:
    roles: dict[int, str] = {i: "setup" for i in sub.setup}
    for ex in chapter.exercises:
        if ex.id in sub.uses_reference:
            continue
        for index in sub.located[ex.id].cells:
            roles.setdefault(index, ex.id)
    if not sub.setup:
        sub.flags.append("no cell is tagged 'setup'; the chapter's standard imports were used")
        roles[-1] = "setup"
    cells = []
    for index in sorted(roles):
        source = _standard_setup(chapter.chapter) if index == -1 else sub.sources[index]
        cells.append(CellRun(index, roles[index], _python_source(source)))
    return cells


def _python_source(source: str) -> str:
    from dlcourse.notebook import python_source

    return python_source(source)


def _standard_setup(chapter: str) -> str:
    """The setup cells of the chapter's solution notebook (the grader's own copy)."""
    from dlcourse import notebook as nbu

    for path in (PACKAGE_DIR.parent / "solutions").glob(f"{chapter}_*.ipynb"):
        nb = nbu.read_notebook(path, light=True)
        return "\n".join(c.source for c in nb.cells if nbu.is_setup(c))
    return "import numpy as np"


def _finish(record: dict[str, Any]) -> dict[str, Any]:
    record["total"], record["max_total"] = res.total(record)
    return record


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


# ---------------------------------------------------------------- the command


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m dlcourse.grade",
        description="Grade students' notebooks against the course's reference solutions.",
        epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", nargs="+",
                        help="notebooks, folders (searched recursively) or glob patterns")
    parser.add_argument("--chapter", help="chapter number, e.g. 01 (default: read from the "
                                          "notebooks' metadata or file names)")
    parser.add_argument("--out", type=Path, default=Path("grades"),
                        help="output folder (default: ./grades)")
    parser.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                        help="submissions graded at the same time (default: up to 4)")
    parser.add_argument("--timeout", type=float, default=20.0,
                        help="seconds allowed per exercise and per cell (default: 20)")
    parser.add_argument("--memory", type=int, default=4096,
                        help="memory limit per submission in MB (default: 4096)")
    parser.add_argument("--random-cases", type=int, default=None,
                        help="hidden random cases per exercise (default: each exercise's own)")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed of the hidden cases (default: fresh for each output folder)")
    parser.add_argument("--force", action="store_true",
                        help="regrade submissions already graded in --out")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.timeout <= 0 or args.memory < 256:
        parser.error("--jobs must be ≥ 1, --timeout > 0 and --memory ≥ 256")
    return args


def _chapter_of(subs: list[Submission], requested: str | None) -> str:
    if requested:
        key = f"{int(requested):02d}" if requested.isdigit() else requested
        if key not in chapters():
            raise UsageError(f"--chapter {requested}: no such chapter; chapters with "
                             f"exercises: {', '.join(chapters())}")
        return key
    found = sorted({s.chapter for s in subs if s.chapter})
    if len(found) > 1:
        raise UsageError(f"the submissions belong to chapters {', '.join(found)}; grade one "
                         "chapter per run, or pass --chapter NN")
    if not found:
        raise UsageError("cannot tell the chapter (no notebook metadata, no NN_ file name); "
                         "pass --chapter NN")
    if found[0] not in chapters():
        raise UsageError(f"chapter {found[0]} has no graded exercises")
    return found[0]


def _load_state(out: Path, chapter: str, seed: int | None, force: bool) -> dict[str, Any]:
    state_path = out / "state.json"
    state: dict[str, Any] = {}
    if state_path.exists():
        try:
            state = json.loads(state_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            state = {}
    if state.get("chapter") not in (None, chapter) and not force:
        raise UsageError(f"{out} holds grades of chapter {state['chapter']}; use another "
                         "--out, or --force to replace them")
    if seed is not None and state.get("seed") not in (None, seed):
        force = True  # new hidden cases: earlier grades are not comparable
    if force or state.get("chapter") != chapter:
        state = {}
    state.setdefault("chapter", chapter)
    state.setdefault("seed", seed if seed is not None else secrets.randbelow(2**31))
    res.atomic_write(state_path, json.dumps(state))
    return state


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
        paths = find_submissions(args.submissions)
        names = student_names(paths)
        subs = [read_submission(p, names[p]) for p in paths]
        chapter_id = _chapter_of(subs, args.chapter)
        out: Path = args.out
        state = _load_state(out, chapter_id, args.seed, args.force)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    limits = Limits(timeout=args.timeout, memory_mb=args.memory)
    # the course package, the solutions, the other submissions and the results stay out of sight
    hidden = [str(p) for p in [*DEFAULT_HIDDEN, *{p.parent for p in paths}, out] if p.exists()]
    chapter = Chapter(chapter_id, int(state["seed"]), args.random_cases)
    records_dir = out / "records"
    records: dict[str, dict[str, Any]] = {}
    todo: list[Submission] = []
    for sub in subs:
        saved = records_dir / f"{sub.student}.json"
        if saved.exists() and not args.force:
            try:
                old = json.loads(saved.read_text(encoding="utf-8"))
                if old.get("sha256") == _sha256(sub.path) and old.get("chapter") == chapter_id:
                    records[sub.student] = old
                    continue
            except (OSError, json.JSONDecodeError):
                pass
        todo.append(sub)

    from tqdm.auto import tqdm

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool, \
            tqdm(total=len(todo), desc=f"grading chapter {chapter_id}", unit="notebook",
                 disable=args.quiet or not todo) as bar:
        futures = {pool.submit(grade_submission, sub, chapter, limits, hidden): sub
                   for sub in todo}
        for future in as_completed(futures):
            record = future.result()
            res.atomic_write(records_dir / f"{record['student']}.json",
                             json.dumps(record, default=str))
            records[record["student"]] = record
            bar.update(1)
    elapsed = time.monotonic() - start

    ordered = [records[names[p]] for p in paths]
    for saved in sorted(records_dir.glob("*.json")):  # earlier runs' students stay in the tables
        if saved.stem not in records:
            try:
                old = json.loads(saved.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                continue
            if old.get("chapter") == chapter_id:
                ordered.append(old)
    exercise_ids = [ex.id for ex in chapter.exercises]
    titles = {ex.id: f"({ex.title})" for ex in chapter.exercises}
    meta = {"chapter": chapter_id, "seed": state["seed"], "isolation": isolation(),
            "timeout": limits.timeout, "memory_mb": limits.memory_mb,
            "exercises": {ex.id: {"title": ex.title, "max": ex.points}
                          for ex in chapter.exercises},
            "graded_now": len(todo), "seconds": round(elapsed, 2),
            "python": sys.version.split()[0], "studentside": Path(studentside.__file__).name}
    res.atomic_write(out / "grades.csv", res.csv_text(ordered, exercise_ids))
    res.atomic_write(out / "grades.json", res.class_json(ordered, meta))
    for record in ordered:
        res.atomic_write(out / "feedback" / f"{record['student']}.md",
                         res.feedback_markdown(record, titles))
    bad = [r for r in ordered if r["status"] != "graded"]
    if not args.quiet:
        print(f"graded {len(todo)} notebook(s) in {elapsed:.1f} s "
              f"({len(ordered) - len(todo)} unchanged, skipped); isolation: {isolation()}; "
              f"results in {out}/")
        for r in bad:
            print(f"  {r['student']}: {r['status']}: {r['message']}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
