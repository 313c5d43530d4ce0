"""Grade a class: ``python -m dlcourse.grade SUBMISSIONS... [options]``.

Every submitted notebook is graded against the course's reference solutions, exercise by
exercise, and the results are written to the output folder:

    grades.csv              one row per student: status, total, one column per exercise
    report.html             the class at a glance: score histogram, pass rate per exercise,
                            the most frequent mistakes, timeouts, crashes and flags
    grades.json             per student and exercise: score, max, status, feedback, the failing
                            cases (input, expected, got, why, hint), tamper flags; plus the run's
                            settings (chapter, seed of the hidden cases, mode, isolation used)
    feedback/<student>.md   what each student reads: scores, what failed and why, hints (for
                            hidden cases only which property failed, never expected values)
    records/<student>.json  one file per graded submission (used to resume an interrupted run)
    canvas.csv, moodle.csv  with --lms: the gradebook to import into the LMS

With --gradescope it runs as Gradescope's autograder instead (see
``python -m dlcourse.grading.gradescope build`` for the zip to upload).

How it works: each submission runs in a bubblewrap sandbox of its own (read-only system, a
private size-limited /tmp, no network, no access to the course package, the solutions, the
class folder, the output folder or the other submissions), with a wall-clock limit per
exercise and per submission, and limits on memory, CPU, file size and processes. For each
exercise the sandbox runs the set-up and exercise cells and calls the student's functions on
the cases from the text and on hidden random cases (fresh each run unless --seed is given); it
sends back values only, and the grader validates them and compares them with the reference
here. By default the earlier exercises an exercise calls are replaced by the course's versions,
so that one mistake costs one exercise (--cumulative grades with the student's own).

A student is named after the notebook's file name (its folder and name where two files share
a name; unusual names get a short hash). Re-running with the same --out skips the submissions
whose file has not changed since it was graded (--force regrades them).

Exit status: 0 when every submission was graded, 1 when some could not be (malformed or odd
files, grader errors; see the status column), 2 for a usage error (including no sandbox and
an output folder in use by another grader), 130 when interrupted (run again to resume).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dlcourse.grading.batch import EXIT_USAGE, Options, UsageError, grade_class
from dlcourse.grading.sandbox import Limits


def parse_args(argv: list[str] | None) -> tuple[Options, Path | None]:
    """The options, and Gradescope's root folder when running as its autograder."""
    parser = argparse.ArgumentParser(
        prog="python -m dlcourse.grade",
        description="Grade students' notebooks against the course's reference solutions.",
        epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", nargs="*",
                        help="notebooks, folders (searched recursively; in nbgrader's "
                             "submitted/<student>/<assignment>/ layout the student ids come "
                             "from it) or glob patterns")
    parser.add_argument("--chapter", help="chapter number, e.g. 01 (default: read from the "
                                          "notebooks' metadata or file names)")
    parser.add_argument("--out", type=Path, default=Path("grades"),
                        help="output folder (default: ./grades)")
    parser.add_argument("--jobs", type=int, default=max(1, min(4, os.cpu_count() or 1)),
                        help="submissions graded at the same time (default: up to 4)")
    parser.add_argument("--timeout", type=float, default=20.0,
                        help="seconds allowed per exercise, its cells and cases (default: 20)")
    parser.add_argument("--submission-timeout", type=float, default=0.0,
                        help="seconds allowed per submission in all (default: the per-exercise "
                             "timeout times the number of exercises plus one)")
    parser.add_argument("--memory", type=int, default=4096,
                        help="memory limit per submission in MB (default: 4096)")
    parser.add_argument("--random-cases", type=int, default=None,
                        help="hidden random cases per exercise (default: each exercise's own)")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed of the hidden cases (default: fresh for every run)")
    parser.add_argument("--cumulative", action="store_true",
                        help="grade each exercise with the student's own versions of the "
                             "earlier exercises it calls (default: the course's versions, so "
                             "that one mistake costs one exercise)")
    parser.add_argument("--force", action="store_true",
                        help="regrade submissions already graded in --out")
    parser.add_argument("--unsafe-process-isolation", action="store_true",
                        help="where bubblewrap is not available, run student code as a plain "
                             "process anyway: it can then read and change your files")
    parser.add_argument("--no-report", dest="report", action="store_false",
                        help="do not write report.html (the class report with its figures)")
    parser.add_argument("--lms", choices=("canvas", "moodle"),
                        help="also write the gradebook CSV that Canvas or Moodle imports "
                             "(OUT/canvas.csv or OUT/moodle.csv)")
    parser.add_argument("--roster", type=Path,
                        help="with --lms: a CSV of the LMS's students (e.g. its gradebook "
                             "export) to match the grader's student ids against")
    parser.add_argument("--roster-key", default="student",
                        help="with --roster: the column that holds the grader's student ids "
                             "(default: student)")
    parser.add_argument("--gradescope", action="store_true",
                        help="run as Gradescope's autograder: grade the notebook in "
                             "ROOT/submission and write ROOT/results/results.json "
                             "(needs --chapter)")
    parser.add_argument("--gradescope-root", type=Path, default=Path("/autograder"),
                        help="with --gradescope: Gradescope's folder (default: /autograder)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    args = parser.parse_args(argv)
    if args.gradescope and not args.chapter:
        parser.error("--gradescope needs --chapter NN")
    if not args.gradescope and not args.submissions:
        parser.error("name the submissions to grade (notebooks, folders or patterns)")
    if args.roster and not args.lms:
        parser.error("--roster goes with --lms canvas or --lms moodle")
    if args.jobs < 1 or args.timeout <= 0 or args.memory < 256 or args.submission_timeout < 0:
        parser.error("--jobs must be ≥ 1, --timeout > 0, --submission-timeout ≥ 0 and "
                     "--memory ≥ 256")
    if args.random_cases is not None and args.random_cases < 0:
        parser.error("--random-cases must be ≥ 0")
    limits = Limits(timeout=args.timeout, submission_timeout=args.submission_timeout,
                    memory_mb=args.memory)
    options = Options(submissions=args.submissions, out=args.out, chapter=args.chapter,
                      jobs=args.jobs, limits=limits, n_random=args.random_cases, seed=args.seed,
                      force=args.force, quiet=args.quiet, cumulative=args.cumulative,
                      unsafe=args.unsafe_process_isolation, report=args.report, lms=args.lms,
                      roster=args.roster, roster_key=args.roster_key)
    return options, (args.gradescope_root if args.gradescope else None)


def main(argv: list[str] | None = None) -> int:
    options, gradescope_root = parse_args(argv)
    try:
        if gradescope_root is not None:
            from dlcourse.grading import gradescope

            chapter = options.chapter
            key = f"{int(chapter):02d}" if chapter.isdigit() else chapter
            gradescope.run(gradescope_root, key, options)
            return 0
        return grade_class(options)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted: what was graded is in the output folder's records/; run the same "
              "command again to finish", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
