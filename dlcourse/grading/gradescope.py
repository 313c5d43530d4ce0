"""A Gradescope autograder for one chapter: the zip to upload, and what runs inside it.

    python -m dlcourse.grading.gradescope build --chapter 01 autograder-01.zip

writes the zip Gradescope's "Configure Autograder" page takes
(https://gradescope-autograders.readthedocs.io/en/latest/specs/): at its root

- ``setup.sh``, which Gradescope runs once, as root, to build the image: it installs
  bubblewrap (the grader's sandbox), a Python 3.11 or newer, and the course's pinned
  requirements (``requirements-cpu.txt`` by default: PyTorch's CPU-only build, since the
  autograder has no GPU) into ``/opt/dlcourse-venv``;
- ``run_autograder``, which Gradescope runs for every submission;
- the course's source: ``dlcourse/``, the chapter's solution notebook (the grader's reference
  set-up), ``pyproject.toml``, the requirements and the licences.

``run_autograder`` calls ``python -m dlcourse.grade --gradescope --chapter NN``, which (``run``
here) finds the student's notebook in ``/autograder/submission``, grades it as a class of one
(the same sandbox, hidden cases and feedback as for a class) and writes
``/autograder/results/results.json``: the total score and one test per exercise (see
``exports.gradescope_results``). It always writes a results file, with 0 points and the reason
when there is no notebook to grade. ``--gradescope-root`` (``$AUTOGRADER_ROOT`` in
``run_autograder``) replaces ``/autograder``, so the layout can be tried in a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import shlex
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dlcourse.grading import batch, exports
from dlcourse.grading.batch import Options

PROJECT = Path(__file__).resolve().parents[2]
DEFAULT_ROOT = Path("/autograder")
VENV = "/opt/dlcourse-venv"
TOP_FILES = ("pyproject.toml", "README.md", "LICENSE", "LICENSE-CC-BY-4.0.txt",
             "requirements.txt", "requirements-cpu.txt")

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu). It
# installs bubblewrap (the grader's sandbox), Python 3.11+ and the course's pinned requirements.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends bubblewrap ca-certificates python3 python3-venv
PYTHON=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    # Ubuntu 22.04's python3 is 3.10; the pinned numpy, matplotlib and scikit-learn need 3.11
    apt-get install -y --no-install-recommends python3.11 python3.11-venv
    PYTHON=python3.11
fi
"$PYTHON" -m venv {venv}
cd /autograder/source
{venv}/bin/python -m pip install --upgrade pip
{venv}/bin/python -m pip install -r {requirements}
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission: the student's files are in /autograder/submission,
# the results go to /autograder/results/results.json. AUTOGRADER_ROOT and DLCOURSE_PYTHON let
# the same script run in a folder laid out like Gradescope's, for a test.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{DLCOURSE_PYTHON:-{venv}/bin/python}}"
cd "$ROOT/source"
exec "$PYTHON" -m dlcourse.grade --gradescope --gradescope-root "$ROOT" --chapter {chapter}{extra}
"""


# ---------------------------------------------------------------- inside the autograder


def chapter_points(chapter: str) -> float:
    from dlcourse.exercises import chapter_exercises

    return float(sum(ex.points for ex in chapter_exercises(chapter).values()))


def find_notebook(submission: Path, chapter: str) -> Path | str:
    """The notebook to grade in the submission folder, or why there is none."""
    wanted = exports.assignment_name(chapter) + ".ipynb"
    found = sorted(p for p in submission.rglob("*.ipynb")
                   if p.is_file() and not p.is_symlink()
                   and not any(part.startswith(".") for part in p.relative_to(submission).parts))
    named = [p for p in found if p.name == wanted]
    if len(named) == 1:
        return named[0]
    if len(found) == 1 and not named:
        return found[0]
    if not found:
        return f"No notebook in your submission: upload your {wanted}."
    return (f"Your submission holds {len(found)} notebooks "
            f"({', '.join(p.name for p in found[:5])}); upload only your {wanted}.")


def run(root: Path, chapter: str, options: Options | None = None) -> dict[str, Any]:
    """Grade the submission in ``root/submission`` as ``python -m dlcourse.grade`` would
    (``options``: the command's other settings); write and return ``results.json``."""
    results_dir = root / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    notebook = find_notebook(root / "submission", chapter)
    results: dict[str, Any]
    if isinstance(notebook, str):
        results = exports.gradescope_failure(notebook, chapter_points(chapter))
    else:
        with tempfile.TemporaryDirectory(prefix="dlcourse-gradescope-") as tmp:
            folder = Path(tmp) / "class"
            folder.mkdir()
            shutil.copyfile(notebook, folder / "submission.ipynb")
            out = Path(tmp) / "grades"
            settings = dataclasses.replace(options or Options([]), submissions=[str(folder)],
                                           chapter=chapter, out=out, jobs=1, quiet=True,
                                           report=False, lms=None)
            log = io.StringIO()
            try:
                with contextlib.redirect_stderr(log):
                    code = batch.grade_class(settings)
            except batch.UsageError as err:
                code = batch.EXIT_USAGE
                log.write(f"error: {err}\n")
            grades_file = out / "grades.json"
            if grades_file.is_file():
                grades = exports.load_grades(grades_file)
                (record,) = grades["students"].values()
                results = exports.gradescope_results(record, grades.get("meta"))
            else:
                results = exports.gradescope_failure(
                    "The autograder could not grade this submission; your instructor can see "
                    "why.", chapter_points(chapter))
            print(f"graded {notebook.name} for chapter {chapter}: exit status {code} "
                  f"(dlcourse from {Path(batch.__file__).parent.parent})")
            print(log.getvalue())
    (results_dir / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"score {results['score']:g}; results in {results_dir / 'results.json'}")
    return results


# ---------------------------------------------------------------- the zip


def build_zip(target: Path, chapter: str, *, requirements: str = "requirements-cpu.txt",
              grade_args: Sequence[str] = (), project: Path = PROJECT) -> Path:
    """Write the autograder zip for ``chapter`` to ``target``; return its path."""
    from dlcourse.exercises import chapter_module

    notebook = project / "solutions" / chapter_module(chapter).NOTEBOOK
    if requirements not in TOP_FILES:
        raise ValueError(f"requirements must be one of requirements.txt, requirements-cpu.txt; "
                         f"got {requirements!r}")
    extra = "".join(f" {shlex.quote(a)}" for a in grade_args)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        _add_text(zf, "setup.sh", SETUP.format(venv=VENV, requirements=requirements))
        _add_text(zf, "run_autograder", RUN.format(venv=VENV, chapter=chapter, extra=extra))
        for name in TOP_FILES:
            zf.write(project / name, name)
        zf.write(notebook, f"solutions/{notebook.name}")
        package = project / "dlcourse"
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                zf.write(path, path.relative_to(project).as_posix())
    return target


def _add_text(zf: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.external_attr = (0o100755 << 16)  # a regular, executable file
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dlcourse.grading.gradescope",
                                     description="A Gradescope autograder for one chapter.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="write the autograder zip to upload to Gradescope")
    p_build.add_argument("zip", type=Path, help="the zip file to write")
    p_build.add_argument("--chapter", required=True, help="chapter number, e.g. 01")
    p_build.add_argument("--requirements", default="requirements-cpu.txt",
                         help="requirements file setup.sh installs (default: "
                              "requirements-cpu.txt, PyTorch's CPU-only build)")
    p_build.add_argument("--grade-arg", action="append", default=[], dest="grade_args",
                         help="an option run_autograder passes to python -m dlcourse.grade, "
                              "e.g. --grade-arg=--timeout=30 (repeat for several)")
    args = parser.parse_args(argv)
    chapter = f"{int(args.chapter):02d}" if str(args.chapter).isdigit() else args.chapter
    try:
        path = build_zip(args.zip, chapter, requirements=args.requirements,
                         grade_args=args.grade_args)
        print(f"wrote {path}: upload it on the assignment's Configure Autograder page")
    except (KeyError, ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
