"""Authoring tools: build the student notebooks from the solutions, and keep them in sync.

``solutions/NN_topic.ipynb`` is the single source of truth. The student twin in ``notebooks/`` is
generated from it, never edited by hand::

    python -m dlcourse.authoring build            # write notebooks/ from solutions/
    python -m dlcourse.authoring check            # lint solutions/, fail if notebooks/ is stale
    python -m dlcourse.authoring execute solutions/01_perceptron.ipynb   # run, save outputs, build
    python -m dlcourse.authoring import draft.py solutions/NN_topic.ipynb  # percent script -> ipynb
    python -m dlcourse.authoring nbgrader OUT/    # an nbgrader course: dlcourse.nbgrader_course

What ``build`` does to each solution notebook:

- every region between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` becomes
  ``raise NotImplementedError("<exercise id>: ...")`` (signature and docstring stay);
- outputs, execution counts and saved widget state are cleared;
- cells that use an exercise's functions (its check cell, and later cells calling them) get the
  tag ``raises-exception``, so that nbval accepts the NotImplementedError they raise until the
  student has done the exercise. ``tests/test_notebooks.py`` checks that these are the only
  errors and that each is the exercise's own NotImplementedError.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import nbformat

from dlcourse import notebook as nbu

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
NAME_PATTERN = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")
RAISES_TAG = "raises-exception"


class AuthoringError(ValueError):
    """A solution notebook that breaks the conventions; the message says where and how."""


# ---------------------------------------------------------------- solution -> student


def strip_solution(source: str, exercise: str, where: str = "cell") -> str:
    """Replace each solution region of a cell with a NotImplementedError placeholder."""
    out: list[str] = []
    inside = False
    for number, line in enumerate(source.split("\n"), start=1):
        marker = line.strip()
        if marker == nbu.BEGIN:
            if inside:
                raise AuthoringError(f"{where}, line {number}: {nbu.BEGIN} inside another one.")
            indent = line[: len(line) - len(line.lstrip())]
            if not indent:
                raise AuthoringError(f"{where}, line {number}: put the solution inside the "
                                     "function body (indented), so the cell still runs.")
            out.append(f"{indent}# YOUR CODE HERE")
            out.append(f'{indent}raise NotImplementedError("{exercise}: write your code here, '
                       'then run the check below.")')
            inside = True
        elif marker == nbu.END:
            if not inside:
                raise AuthoringError(f"{where}, line {number}: {nbu.END} without a BEGIN.")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise AuthoringError(f"{where}: {nbu.BEGIN} is never closed by {nbu.END}.")
    return "\n".join(out)


def exercise_functions(nb: nbformat.NotebookNode) -> set[str]:
    """All function/class names defined by the exercise cells of a notebook."""
    names: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type == "code" and nbu.exercise_id(cell):
            names |= nbu.defined_names(cell.source)
    return names


def dependent_cells(nb: nbformat.NotebookNode) -> dict[int, bool]:
    """Code cells that cannot run before the exercises are solved.

    Maps the cell's index to True when the cell calls an exercise's function itself (it will
    raise that exercise's NotImplementedError) and to False when it only reads a variable that
    such a cell was supposed to set (it would fail with a confusing NameError instead).
    """
    exercise_names = exercise_functions(nb)
    tainted: set[str] = set()  # variables set by cells that call exercises
    found: dict[int, bool] = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or nbu.exercise_id(cell):
            continue
        loaded, stored = nbu.loaded_names(cell.source), nbu.stored_names(cell.source)
        calls = bool(loaded & exercise_names)
        if calls or (loaded - stored) & tainted:  # names the cell reads before setting them
            found[index] = calls
            tainted |= stored
    return found


def student_version(solution: nbformat.NotebookNode, name: str = "notebook",
                    ) -> nbformat.NotebookNode:
    """The student notebook generated from a solution notebook (see the module docstring)."""
    nb = copy.deepcopy(solution)
    nb.metadata.pop("widgets", None)
    dependent = dependent_cells(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        exercise = nbu.exercise_id(cell)
        if exercise:
            cell.source = strip_solution(cell.source, exercise, f"{name}, cell {index}")
        elif index in dependent:
            cell_tags = nbu.tags(cell)
            if RAISES_TAG not in cell_tags:
                cell.metadata["tags"] = [*cell_tags, RAISES_TAG]
    return nb


def dumps(nb: nbformat.NotebookNode) -> str:
    """Serialise a notebook exactly as the repository stores it."""
    return nbformat.writes(nb) + "\n"


# ---------------------------------------------------------------- lint


def lint(path: Path, nb: nbformat.NotebookNode) -> list[str]:
    """Problems with a solution notebook's structure (empty list: none)."""
    from dlcourse.exercises import chapter_exercises

    problems: list[str] = []
    match = NAME_PATTERN.match(path.name)
    if not match:
        return [f"{path.name}: name it NN_topic.ipynb (two digits, lower-case words)."]
    chapter = match.group(1)
    meta = nb.metadata.get("dlcourse", {})
    if meta.get("chapter") != chapter:
        problems.append(f"{path.name}: metadata.dlcourse.chapter must be {chapter!r}; "
                        f"it is {meta.get('chapter')!r}.")
    try:
        expected = chapter_exercises(chapter)
    except KeyError:
        expected = {}
    seen: list[str] = []
    first_exercise = None
    checks: dict[str, int] = {}
    for index, cell in enumerate(nb.cells):
        where = f"{path.name}, cell {index}"
        if cell.cell_type != "code":
            continue
        if cell.execution_count is None:
            problems.append(f"{where}: not executed; solutions are saved with their outputs "
                            "(python -m dlcourse.authoring execute ...).")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and RAISES_TAG not in nbu.tags(cell):
                problems.append(f"{where}: the saved output is an error "
                                f"({output.get('ename')}: {output.get('evalue')}).")
        if cell.source.rstrip().endswith(";"):
            problems.append(f"{where}: ends with ';' to hide a value, which nbval does not honour "
                            "(it runs cells outside IPython's history); end plotting cells with "
                            "plt.show() instead.")
        exercise = nbu.exercise_id(cell)
        if nbu.is_setup(cell):
            bad = nbu.imported_modules(cell.source) - nbu.SETUP_MODULES
            if bad:
                problems.append(f"{where}: a setup cell may import only "
                                f"{', '.join(sorted(nbu.SETUP_MODULES))}; it imports "
                                f"{', '.join(sorted(bad))} (put those in another cell).")
            if first_exercise is not None:
                problems.append(f"{where}: setup cells must come before the first exercise.")
        for found in re.findall(r"""check\(\s*["'](\d\d\.\w+)["']""", cell.source):
            checks.setdefault(found, index)
            if nbu.CHECK_TAG not in nbu.tags(cell):
                problems.append(f"{where}: a check cell needs the tag 'check'.")
        if not exercise:
            if nbu.BEGIN in cell.source:
                problems.append(f"{where}: has a solution region but no exercise id in "
                                "metadata.dlcourse.exercise.")
            continue
        first_exercise = index if first_exercise is None else first_exercise
        seen.append(exercise)
        if nbu.EXERCISE_TAG not in nbu.tags(cell):
            problems.append(f"{where}: exercise cells carry the tag 'exercise'.")
        if exercise not in expected:
            problems.append(f"{where}: exercise {exercise!r} is not defined in "
                            f"dlcourse/exercises for chapter {chapter}.")
            continue
        missing = set(expected[exercise].functions) - nbu.defined_names(cell.source)
        if missing:
            problems.append(f"{where}: exercise {exercise} must define "
                            f"{', '.join(sorted(missing))}.")
        if nbu.BEGIN not in cell.source:
            problems.append(f"{where}: exercise {exercise} has no {nbu.BEGIN} region.")
        try:
            strip_solution(cell.source, exercise, where)
        except AuthoringError as err:
            problems.append(str(err))
    for index, calls_exercise in dependent_cells(nb).items():
        if not calls_exercise:
            problems.append(f"{path.name}, cell {index}: uses a result of a cell that calls an "
                            "exercise, so a student who has not solved it gets a NameError here; "
                            "compute and use the result in one cell.")
    if seen != list(expected):
        problems.append(f"{path.name}: exercise cells {seen} must match, in order, the chapter's "
                        f"exercises {list(expected)}.")
    for exercise in expected:
        if exercise not in checks:
            problems.append(f"{path.name}: no check cell calls check({exercise!r}, ...).")
    if expected and not any(nbu.is_setup(c) for c in nb.cells):
        problems.append(f"{path.name}: no setup cell (tag 'setup') with the imports exercises use.")
    return problems


# ---------------------------------------------------------------- commands


def _shown(path: Path) -> str:
    """A path relative to the repository where possible, for messages."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def solution_paths(names: Sequence[str] = ()) -> list[Path]:
    if names:
        return [Path(n).resolve() for n in names]
    return sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))


def build(paths: Sequence[Path] | None = None, out_dir: Path = NOTEBOOKS) -> list[Path]:
    """Write the student twin of each solution notebook; return the paths written."""
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in paths or solution_paths():
        nb = nbu.read_notebook(path)
        target = out_dir / path.name
        text = dumps(student_version(nb, path.name))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


def check_notebooks(paths: Sequence[Path] | None = None, out_dir: Path = NOTEBOOKS) -> list[str]:
    """Every problem: lint of each solution, and student notebooks out of date or orphaned."""
    problems: list[str] = []
    paths = list(paths or solution_paths())
    for path in paths:
        try:
            nb = nbu.read_notebook(path)
        except nbu.NotebookError as err:
            problems.append(str(err))
            continue
        problems += lint(path, nb)
        target = out_dir / path.name
        try:
            text = dumps(student_version(nb, path.name))
        except AuthoringError as err:
            problems.append(str(err))
            continue
        if not target.exists():
            problems.append(f"{_shown(target)} is missing: run "
                            "`python -m dlcourse.authoring build`.")
        elif target.read_text(encoding="utf-8") != text:
            problems.append(f"{_shown(target)} is out of date with "
                            f"solutions/{path.name}: run `python -m dlcourse.authoring build` "
                            "(never edit notebooks/ by hand).")
    solution_names = {p.name for p in solution_paths()}
    for orphan in sorted(out_dir.glob("[0-9][0-9]_*.ipynb")):
        if orphan.name not in solution_names:
            problems.append(f"{_shown(orphan)} has no solution in solutions/.")
    return problems


THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def execute(path: Path, timeout: int = 180, attempts: int = 3) -> float:
    """Run a solution notebook top to bottom in a fresh kernel and save it with its outputs.

    The kernel gets one thread per BLAS/torch pool, as under the test suite (conftest.py): the
    saved outputs are then exactly what nbval recomputes, last digits included. nbclient (which
    also saves the widgets' state) now and then misses the end of a widget cell until the cell's
    timeout (jupyter/nbclient#312); such a run is abandoned after ``timeout`` seconds and the
    notebook run again, up to ``attempts`` times.
    """
    import os

    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError

    for variable in THREAD_VARIABLES:
        os.environ.setdefault(variable, "1")
    for attempt in range(1, attempts + 1):
        nb = nbu.read_notebook(path)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}},
                                store_widget_state=True)
        start = time.perf_counter()
        try:
            client.execute()
        except CellTimeoutError:
            if attempt == attempts:
                raise
            print(f"{path.name}: a cell timed out (attempt {attempt}); running it again")
            continue
        elapsed = time.perf_counter() - start
        path.write_text(dumps(nb), encoding="utf-8")
        return elapsed
    raise AssertionError("unreachable")


_HEADER = re.compile(r"^# %%(?:\s+\[(?P<kind>\w+)\])?(?P<rest>.*)$")
_ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\[[^\]]*\])')


def import_script(script: Path, chapter: str) -> nbformat.NotebookNode:
    """Build an (unexecuted) notebook from a percent-format draft.

    Cells start with ``# %%`` lines; ``# %% [markdown]`` cells hold ``# ``-prefixed Markdown.
    Attributes follow on the header line: ``tags=["setup"]``, ``exercise="01.step"``.
    """
    nb = nbformat.v4.new_notebook()
    nb.metadata.update({
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                       "name": "python3"},
        "language_info": {"name": "python"},
        "dlcourse": {"chapter": chapter},
    })
    current: dict | None = None
    lines: list[str] = []

    def flush():
        if current is None:
            return
        text = "\n".join(lines).strip("\n")
        if current["kind"] == "markdown":
            text = "\n".join(ln[2:] if ln.startswith("# ") else ln.lstrip("#")
                             for ln in text.split("\n"))
            cell = nbformat.v4.new_markdown_cell(text)
        else:
            cell = nbformat.v4.new_code_cell(text)
        if current["tags"]:
            cell.metadata["tags"] = current["tags"]
        if current["exercise"]:
            ex = current["exercise"]
            cell.metadata["dlcourse"] = {"exercise": ex}
            cell.metadata["nbgrader"] = {"grade": False, "grade_id": ex.replace(".", "_"),
                                         "locked": False, "schema_version": 3, "solution": True}
        nb.cells.append(cell)

    for line in script.read_text(encoding="utf-8").split("\n"):
        header = _HEADER.match(line)
        if header:
            flush()
            attrs = {k: json.loads(v) for k, v in _ATTR.findall(header.group("rest"))}
            kind = header.group("kind") or "code"
            cell_tags = list(attrs.get("tags", []))
            exercise = attrs.get("exercise")
            if exercise and nbu.EXERCISE_TAG not in cell_tags:
                cell_tags.append(nbu.EXERCISE_TAG)
            current = {"kind": kind, "tags": cell_tags, "exercise": exercise}
            lines = []
        else:
            lines.append(line)
    flush()
    for cell in nb.cells:  # deterministic ids: the same draft gives the same notebook
        cell.id = f"c{nb.cells.index(cell):03d}"
    return nb


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dlcourse.authoring",
                                     description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="write notebooks/ from solutions/")
    p_build.add_argument("solutions", nargs="*", help="solution notebooks (default: all)")
    p_check = sub.add_parser("check", help="lint solutions/ and fail if notebooks/ is stale")
    p_check.add_argument("solutions", nargs="*", help="solution notebooks (default: all)")
    p_exec = sub.add_parser("execute", help="run solution notebooks, save outputs, then build")
    p_exec.add_argument("solutions", nargs="+", help="solution notebooks to execute")
    p_import = sub.add_parser("import", help="turn a percent-format draft into a notebook")
    p_import.add_argument("script", type=Path)
    p_import.add_argument("notebook", type=Path)
    p_nbg = sub.add_parser("nbgrader", help="write an nbgrader course folder (source/<chapter>/ "
                                            "with solution and autograded test cells)")
    p_nbg.add_argument("out", type=Path, help="the course folder to write")
    p_nbg.add_argument("solutions", nargs="*", help="solution notebooks (default: all)")
    p_nbg.add_argument("--seed", type=int, default=None,
                       help="seed of the hidden cases (default: fresh)")
    p_nbg.add_argument("--force", action="store_true",
                       help="overwrite source notebooks already there")
    args = parser.parse_args(argv)

    try:
        if args.command == "build":
            written = build(solution_paths(args.solutions))
            for path in written:
                print(f"wrote {_shown(path)}")
            print(f"{len(written)} notebook(s) updated.")
        elif args.command == "check":
            problems = check_notebooks(solution_paths(args.solutions))
            for problem in problems:
                print(f"- {problem}")
            if problems:
                print(f"{len(problems)} problem(s).", file=sys.stderr)
                return 1
            print("solutions/ and notebooks/ are consistent.")
        elif args.command == "execute":
            paths = solution_paths(args.solutions)
            outside = [p for p in paths if p.parent != SOLUTIONS]
            if outside:
                parser.error(f"execute runs solution notebooks only (in {_shown(SOLUTIONS)}/); "
                             f"got {', '.join(map(str, outside))}")
            for path in paths:
                print(f"{path.name}: executed in {execute(path):.1f} s")
            build(paths)
        elif args.command == "import":
            match = NAME_PATTERN.match(args.notebook.name)
            if not match:
                parser.error(f"{args.notebook.name}: name it NN_topic.ipynb")
            nb = import_script(args.script, match.group(1))
            args.notebook.write_text(dumps(nb), encoding="utf-8")
            print(f"wrote {args.notebook} ({len(nb.cells)} cells, not executed)")
        elif args.command == "nbgrader":
            from dlcourse.nbgrader_course import NbgraderExportError, export_course

            try:
                written = export_course(args.out, solution_paths(args.solutions),
                                        seed=args.seed, force=args.force)
            except NbgraderExportError as err:
                raise AuthoringError(str(err)) from None
            for path in written:
                print(f"wrote {path}")
            print(f"nbgrader course in {args.out}/: cd there, then `nbgrader generate_assignment "
                  "NN_topic` for each chapter (README.md, 'nbgrader').")
    except (AuthoringError, nbu.NotebookError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
