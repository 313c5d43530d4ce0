"""Grading a whole class: the pipeline from a folder of notebooks to the output files.

    find and open the files (intake) → parse and locate the exercises (submission)
    → plan the passes (plan) → run them in sandboxes (runner, sandbox)
    → judge the outcomes (scoring) → write the tables and feedback (results)

Each submission is graded inside its own error boundary: whatever happens to one (an odd
file, a crash of the grader's own code) becomes that student's row, and every other row is
still written. A lock keeps a second grader off the same output folder; Ctrl-C (or SIGTERM)
stops starting new work at once, kills the running sandboxes, keeps what was graded (a re-run
resumes) and exits with status 130.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import secrets
import signal
import sys
import threading
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlcourse import notebook as nbu
from dlcourse.checking.status import GRADED, GRADER_ERROR, MALFORMED, NOT_GRADED
from dlcourse.checking.studentside import plain_bytes
from dlcourse.exercises import chapters
from dlcourse.grading import intake, results, scoring
from dlcourse.grading.plan import ChapterPlan, plan_passes
from dlcourse.grading.runner import GradingInterrupted, run_submission
from dlcourse.grading.sandbox import (
    BUBBLEWRAP,
    PROCESS,
    Launcher,
    Limits,
    SandboxUnavailable,
    bubblewrap_problem,
    seccomp_available,
)
from dlcourse.grading.submission import Submission, locate, parse_submission

EXIT_OK, EXIT_SOME_NOT_GRADED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
TORCH_MB = 1536  # the least --memory a chapter whose set-up imports torch can work in
INSTALL_BWRAP = ("install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: "
                 "sudo dnf install bubblewrap) and make sure unprivileged user namespaces are "
                 "allowed; or, on a machine you do not mind student code reading and writing, "
                 "pass --unsafe-process-isolation")


class UsageError(Exception):
    """A problem with the command line or the set-up, reported with exit status 2."""


@dataclass
class Options:
    """What ``python -m dlcourse.grade`` was asked to do."""

    submissions: list[str]
    out: Path = Path("grades")
    chapter: str | None = None
    jobs: int = 2
    limits: Limits = field(default_factory=Limits)
    n_random: int | None = None
    seed: int | None = None
    force: bool = False
    quiet: bool = False
    cumulative: bool = False
    unsafe: bool = False
    report: bool = True            # write report.html
    lms: str | None = None         # "canvas" or "moodle": write that gradebook's CSV
    roster: Path | None = None     # the LMS roster the CSV is matched against
    roster_key: str = "student"    # the roster's column that holds the student ids


@dataclass
class Intake:
    """One submission after reading: parsed, or the reason it was not."""

    found: intake.Found
    text: str
    submission: Submission | None
    problem: str
    malformed: bool = False  # read, but not a notebook (rather than an odd file)


# ---------------------------------------------------------------- the run


def grade_class(options: Options) -> int:
    """Grade every submission and write the output folder; return the exit status."""
    out = options.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"cannot create the output folder {out}: {err.strerror}") from None
    with _locked(out):
        return _grade_locked(options)


@contextlib.contextmanager
def _locked(out: Path):
    """Hold an exclusive lock on the output folder, or refuse at once."""
    try:
        import fcntl
    except ImportError:  # no fcntl (Windows): no lock
        yield
        return
    path = out / ".grader.lock"
    try:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole run
    except OSError as err:
        raise UsageError(f"cannot write to the output folder {out}: {err.strerror}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise UsageError(f"another grader is writing to {out} ({holder}); wait for it to "
                             "finish, or use another --out") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.flush()
        yield
    finally:
        handle.close()


def _grade_locked(options: Options) -> int:
    out = options.out
    try:
        found = intake.find_submissions(options.submissions, exclude=[str(out)])
    except intake.IntakeError as err:
        raise UsageError(str(err)) from None
    items = [_read(f) for f in found]
    chapter_id = _chapter_of(items, options.chapter)
    isolation = _isolation(options.unsafe)
    seed = options.seed if options.seed is not None else secrets.randbelow(2**31)
    plan = ChapterPlan(chapter_id, seed, options.n_random)
    limits = _limits_for(options.limits, plan)
    if "torch" in nbu.imported_modules(plan.standard_setup) and limits.memory_mb < TORCH_MB:
        raise UsageError(f"chapter {chapter_id} uses torch, whose import alone takes about "
                         f"650 MB of address space; use --memory {TORCH_MB} or more (the "
                         "default is 4096)")
    roots = sorted({os.path.realpath(p) for p in options.submissions if os.path.isdir(p)} |
                   {os.path.dirname(f.path) for f in found})
    try:
        launcher = Launcher(isolation, limits, hidden=[*roots, str(out.resolve())])
    except SandboxUnavailable as err:
        raise UsageError(str(err)) from None
    mode = "cumulative" if options.cumulative else "reference"

    records_dir = out / "records"
    records: dict[str, dict[str, Any]] = {}
    todo: list[Intake] = []
    for item in items:
        old = _saved(records_dir / f"{item.found.student}.json")
        if (not options.force and old and old.get("sha256") == intake.sha256_of(item.text)
                and old.get("chapter") == chapter_id and old.get("mode") == mode
                and item.text):
            records[item.found.student] = old
        else:
            todo.append(item)

    def grade_one(item: Intake) -> dict[str, Any] | None:
        record = grade_submission(item, plan, launcher, cumulative=options.cumulative)
        if record is not None:
            record.update(mode=mode, seed=seed, isolation=isolation)
            try:
                results.atomic_write(records_dir / f"{record['student']}.json",
                                     json.dumps(record, default=str))
            except (OSError, ValueError) as err:  # a full disk costs the resume, not the run
                print(f"warning: could not save the record of {record['student']} ({err}); "
                      "a re-run will grade it again", file=sys.stderr)
        return record

    start = time.monotonic()
    interrupted = False
    previous = _sigterm_as_interrupt()
    try:
        with _progress(len(todo), chapter_id, options.quiet) as bar, \
                ThreadPoolExecutor(max_workers=options.jobs) as pool:
            pending = {pool.submit(grade_one, item) for item in todo}
            try:
                while pending:
                    done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                    for future in done:
                        record = future.result()
                        if record is not None:
                            records[record["student"]] = record
                        bar.update(1)
            except KeyboardInterrupt:
                interrupted = True
                launcher.kill_all()
                for future in pending:
                    future.cancel()
                for future in pending:
                    with contextlib.suppress(BaseException):
                        record = future.result()
                        if record is not None:
                            records[record["student"]] = record
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    elapsed = time.monotonic() - start

    ordered = [records[i.found.student] for i in items if i.found.student in records]
    # earlier runs' students stay listed, unless their file is graded now under another id
    # (a new "Alice.ipynb" makes "alice.ipynb" alice-<hash>: the old row would be stale)
    current = {i.found.student for i in items}
    files = {i.found.shown for i in items}
    for saved in sorted(records_dir.glob("*.json")):
        if saved.stem not in records and saved.stem not in current:
            old = _saved(saved)
            if (old and old.get("chapter") == chapter_id and "exercises" in old
                    and old.get("file") not in files):
                ordered.append(old)
    meta = {"chapter": chapter_id, "seed": seed, "mode": mode, "isolation": isolation,
            "seccomp": seccomp_available(),
            "timeout": options.limits.timeout,
            "submission_timeout": options.limits.for_submission(len(plan.exercises)),
            "memory_mb": options.limits.memory_mb,
            "exercises": {ex.id: {"title": ex.title, "max": ex.points} for ex in plan.exercises},
            "graded_now": len(todo), "seconds": round(elapsed, 2),
            "python": sys.version.split()[0], "interrupted": interrupted}
    write_outputs(out, ordered, plan, meta)
    write_extras(options)
    if interrupted:
        left = len(todo) - sum(i.found.student in records for i in todo)
        print(f"interrupted: {left} notebook(s) not graded; the {len(ordered)} graded are in "
              f"{out}/. Run the same command again to grade the rest.", file=sys.stderr)
        return EXIT_INTERRUPTED
    bad = [r for r in ordered if r["status"] != GRADED]
    if not options.quiet:
        print(f"graded {len(todo)} notebook(s) in {elapsed:.1f} s "
              f"({len(ordered) - len(todo)} unchanged, skipped); isolation: {isolation}; "
              f"results in {out}/")
        for r in bad:
            print(f"  {r['student']}: {r['status']}: {_terminal_safe(r['message'])}")
    return EXIT_SOME_NOT_GRADED if bad else EXIT_OK


def grade_submission(item: Intake, plan: ChapterPlan, launcher: Launcher, *,
                     cumulative: bool) -> dict[str, Any] | None:
    """One student's record; never raises (None only when the run is interrupted)."""
    found = item.found
    record = scoring.new_record(found.student, found.shown, plan.chapter,
                                intake.sha256_of(item.text) if item.text else "")
    try:
        if item.problem:
            status = MALFORMED if item.malformed else NOT_GRADED
            return scoring.not_graded(record, plan, status, item.problem)
        sub = item.submission
        if sub.chapter and sub.chapter != plan.chapter:
            return scoring.not_graded(record, plan, NOT_GRADED,
                                      f"this notebook is chapter {sub.chapter}'s, not "
                                      f"{plan.chapter}'s")
        where = locate(sub, plan.exercises)
        passes = plan_passes(sub, where, plan, cumulative=cumulative,
                             timeout=launcher.limits.timeout)
        run = run_submission(passes, launcher, exercises=len(plan.exercises))
        return scoring.score_submission(record, plan, where, run, cumulative=cumulative)
    except GradingInterrupted:
        return None
    except Exception as err:  # the grader's own failure: this row says so, the run goes on
        if launcher.stopped:
            return None
        return scoring.not_graded(record, plan, GRADER_ERROR,
                                  f"grader error: {type(err).__name__}: {err}"[:500],
                                  exercise_status=GRADER_ERROR)


def write_outputs(out: Path, records: list[dict[str, Any]], plan: ChapterPlan,
                  meta: dict[str, Any]) -> None:
    """The class tables and every student's feedback; one unwritable file costs only itself."""
    ids = [ex.id for ex in plan.exercises]
    titles = {ex.id: f"({ex.title})" for ex in plan.exercises}
    results.atomic_write(out / "grades.csv", results.csv_text(records, ids))
    results.atomic_write(out / "grades.json", results.class_json(records, meta))
    for record in records:
        try:
            results.atomic_write(out / "feedback" / f"{record['student']}.md",
                                 results.feedback_markdown(record, titles))
        except (OSError, ValueError) as err:
            print(f"warning: could not write the feedback of {record['student']}: {err}",
                  file=sys.stderr)


def write_extras(options: Options) -> None:
    """The class report and the LMS gradebook, from the tables just written. A failure here
    is reported and costs only that file: the grades are already safe."""
    from dlcourse.grading import exports, report

    out = options.out
    if options.report:
        try:
            report.write_report(out)
        except Exception as err:
            print(f"warning: report.html could not be written: {type(err).__name__}: {err}",
                  file=sys.stderr)
    if options.lms:
        try:
            roster = exports.read_roster(options.roster, options.roster_key) \
                if options.roster else None
            grades = [exports.load_grades(out)]
            write = exports.canvas_csv if options.lms == "canvas" else exports.moodle_csv
            results.atomic_write(out / f"{options.lms}.csv", write(grades, roster))
            for student in exports.missing_from_roster(grades, roster) if roster else []:
                print(f"warning: {student} is not in the roster {options.roster}; left out of "
                      f"{options.lms}.csv", file=sys.stderr)
        except (OSError, ValueError, KeyError) as err:
            print(f"warning: {options.lms}.csv could not be written: {err}", file=sys.stderr)


# ---------------------------------------------------------------- helpers


def _read(found: intake.Found) -> Intake:
    """Read and parse one submission, in an error boundary of its own: whatever the file
    holds (JSON nested just under the parser's limit, say), the result is that student's row."""
    try:
        text, problem, malformed = intake.read_text(found)
        if problem:
            return Intake(found, "", None, problem, malformed)
        name = os.path.basename(found.rel)
        sub = parse_submission(text, found.student, found.shown, intake.printable(name))
    except Exception as err:  # RecursionError, MemoryError and the rest
        return Intake(found, "", None, f"the notebook could not be read ({type(err).__name__}: "
                                       f"{str(err)[:200]})", True)
    return Intake(found, text, sub, sub.error or "", bool(sub.error))


def _chapter_of(items: list[Intake], requested: str | None) -> str:
    if requested:
        key = f"{int(requested):02d}" if requested.isdigit() else requested
        if key not in chapters():
            raise UsageError(f"--chapter {requested}: no such chapter; chapters with "
                             f"exercises: {', '.join(chapters())}")
        return key
    counts = Counter(i.submission.chapter for i in items
                     if i.submission is not None and i.submission.chapter)
    found = sorted(counts)
    if len(found) > 1:
        # one student's notebook of another chapter must not stop the class: a chapter that
        # most notebooks belong to is graded, and the others get a row that says why not
        (top, n), = counts.most_common(1)
        if 2 * n <= sum(counts.values()):
            raise UsageError(f"the submissions belong to chapters {', '.join(found)}; grade "
                             "one chapter per run, or pass --chapter NN")
        others = sum(counts.values()) - n
        print(f"warning: {others} notebook(s) belong to chapter(s) "
              f"{', '.join(c for c in found if c != top)}; grading chapter {top}, which {n} of "
              f"them belong to (pass --chapter NN to choose)", file=sys.stderr)
        found = [top]
    if not found:
        raise UsageError("cannot tell the chapter (no notebook metadata, no NN_ file name); "
                         "pass --chapter NN")
    if found[0] not in chapters():
        raise UsageError(f"chapter {found[0]} has no graded exercises")
    return found[0]


def _limits_for(limits: Limits, plan: ChapterPlan) -> Limits:
    """The limits on what a sandbox may send, raised where this run's expected values need it
    (many --random-cases in a chapter with large results): a correct notebook always fits."""
    sizes = [sum(plain_bytes(v) for v in values) for values in plan.expected.values()]
    return dataclasses.replace(
        limits, pass_mb=max(limits.pass_mb, (3 * max(sizes, default=0) >> 20) + 1),
        results_mb=max(limits.results_mb, (4 * sum(sizes) >> 20) + 1))


def _isolation(unsafe: bool) -> str:
    problem = bubblewrap_problem()
    if problem is None:
        return BUBBLEWRAP
    if not unsafe:
        raise UsageError(f"the sandbox is not available: {problem}. To grade safely, "
                         f"{INSTALL_BWRAP}.")
    print(f"WARNING: {problem}; grading with --unsafe-process-isolation: student code runs as "
          "a plain process that can read and change your files, your environment and this "
          "grader. grades.json records this.", file=sys.stderr)
    return PROCESS


def _terminal_safe(text: str) -> str:
    """Text for the instructor's terminal: a file name may hold escape sequences (clear the
    screen, set the clipboard...); control characters are shown as \\xNN instead."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def _saved(path: Path) -> dict[str, Any] | None:
    """A record of an earlier run, if it is one this run can list (else it is graded again)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not (isinstance(data, dict) and isinstance(data.get("student"), str)
            and isinstance(data.get("exercises"), dict)
            and all(isinstance(data.get(k), (int, float)) for k in ("total", "max_total"))
            and all(isinstance(data.get(k), str) for k in ("file", "status"))
            and all(isinstance(e, dict) and {"score", "max", "status", "feedback"} <= set(e)
                    for e in data["exercises"].values())):
        return None
    return data


def _sigterm_as_interrupt():
    """SIGTERM stops the run like Ctrl-C (only possible from the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum, frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, handler)


@contextlib.contextmanager
def _progress(total: int, chapter: str, quiet: bool):
    from tqdm.auto import tqdm

    with tqdm(total=total, desc=f"grading chapter {chapter}", unit="notebook",
              disable=quiet or not total) as bar:
        yield bar
