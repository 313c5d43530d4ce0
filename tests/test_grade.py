"""The class grader, against a corpus of submissions built from the solution notebooks.

One batch (graded once per test session) holds the solution, the untouched student notebook,
wrong variants, every attack of issue 6 and malformed files. Each test then reads the verdict
of one submission. Where the course has several chapters, every solution notebook must score
full marks and every student notebook zero.
"""

from __future__ import annotations

import copy
import csv
import json
import shutil
import subprocess
import sys

import nbformat
import pytest
from variants import all_variants

from dlcourse import grade
from dlcourse import notebook as nbu
from dlcourse.authoring import NOTEBOOKS, SOLUTIONS
from dlcourse.exercises import chapter_exercises, notebook_chapter
from dlcourse.grading.sandbox import isolation

CHAPTER = "01"
SOLUTION = SOLUTIONS / "01_perceptron.ipynb"
STUDENT = NOTEBOOKS / "01_perceptron.ipynb"
EXERCISES = chapter_exercises(CHAPTER)
VARIANTS = all_variants()
SOLVED_STEP = "def step(z):\n    return np.where(z > 0, 1.0, 0.0)\n"
WRONG_STEP = "def step(z):\n    return np.where(z >= 0, 1.0, 0.0)\n"

# name -> (exercise whose cell is replaced, new source). Each must cost exactly that exercise.
ATTACKS = {
    "allclose_patch": ("01.step", "np.allclose = lambda *a, **k: True\n"
                       "np.testing.assert_allclose = lambda *a, **k: None\n" + WRONG_STEP),
    "checker_patch": ("01.step", "import builtins\nbuiltins.check = lambda *a, **k: None\n"
                      "def check(*a, **k):\n    print('PASSED')\n" + WRONG_STEP),
    "ipython_transformer": ("01.step", "get_ipython().input_transformers_post.append("
                            "lambda lines: [])\n" + WRONG_STEP),
    "imports_reference": ("01.step", "from dlcourse.activations import step\n"),
    "calls_reference": ("01.step", "def step(z):\n    import dlcourse.activations as a\n"
                        "    return a.step(z)\n"),
    # the next three hide their target from the static scan: the sandbox must stop them
    "imports_reference_by_name": ("01.step", "def step(z):\n    name = ''.join(['dl', 'cour',"
                                  " 'se.activations'])\n"
                                  "    return __import__(name, fromlist=['x']).step(z)\n"),
    "reads_solutions": ("01.step", "def step(z):\n    import glob, json, os\n"
                        f"    folder = os.path.join({str(SOLUTIONS.parent)!r}, 'solu' + 'tions')\n"
                        "    nb = json.load(open(glob.glob(folder + '/01_*')[0]))\n"
                        "    return np.where(z > 0, 1.0, 0.0) if nb else None\n"),
    "reads_package_source": ("01.step", "def step(z):\n    import os\n"
                             f"    folder = os.path.join({str(SOLUTIONS.parent)!r}, 'dl' + "
                             "'course')\n"
                             "    source = open(os.path.join(folder, 'activations.py')).read()\n"
                             "    namespace = {}\n    exec(source, namespace)\n"
                             "    return namespace['step'](z)\n"),
    "endless_loop": ("01.step", "def step(z):\n    while True:\n        pass\n"),
    "endless_loop_in_cell": ("01.step", "while True:\n    pass\n" + SOLVED_STEP),
    "catches_everything_in_loop": ("01.step", "def step(z):\n    while True:\n        try:\n"
                                   "            pass\n        except BaseException:\n"
                                   "            pass\n"),
    "ten_gigabytes": ("01.step", "def step(z):\n    big = np.ones(10**10)\n"
                      "    return big[:z.size].reshape(z.shape)\n"),
    "os_exit_in_function": ("01.step", "def step(z):\n    import os\n    os._exit(0)\n"),
    "os_exit_in_cell": ("01.step", "import os\nos._exit(3)\n" + SOLVED_STEP),
    "sys_exit": ("01.step", "def step(z):\n    import sys\n    sys.exit()\n"),
    "prints_megabytes": ("01.step", "def step(z):\n    for _ in range(30):\n"
                         "        print('PASSED ' * 200_000)\n    return None\n"),
    "eq_always_true": ("01.step", "class Yes:\n    def __eq__(self, other):\n        return True\n"
                       "    __array_priority__ = 1000\n"
                       "def step(z):\n    return Yes()\n"),
    "returns_nan": ("01.step", "def step(z):\n    return np.full(z.shape, np.nan)\n"),
    "kills_parent": ("01.step", "def step(z):\n    import os, signal\n"
                     "    os.kill(os.getppid(), signal.SIGKILL)\n"),
    "forges_results": ("01.step", "import json, os\n"
                       "os.makedirs('results', exist_ok=True)\n"
                       "json.dump({'records': [{'status': 'ok', 'value': 1.0}]},"
                       " open('results/01.step.json', 'w'))\n" + WRONG_STEP),
}


def _cell_of(nb, exercise_id):
    return next(c for c in nb.cells if nbu.exercise_id(c) == exercise_id)


def _with_cell(exercise_id: str, source: str, base=SOLUTION):
    nb = nbformat.read(base, as_version=4)
    _cell_of(nb, exercise_id).source = source
    return nb


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """Build the corpus, grade it in one batch, and return (records by student, out dir)."""
    root = tmp_path_factory.mktemp("corpus")
    subs = root / "submissions"
    subs.mkdir()

    def write(name, nb_or_text):
        path = subs / f"{name}.ipynb"
        if isinstance(nb_or_text, str):
            path.write_text(nb_or_text, encoding="utf-8")
        else:
            nbformat.write(nb_or_text, path)

    shutil.copy(SOLUTION, subs / "solution.ipynb")
    shutil.copy(STUDENT, subs / "untouched.ipynb")
    for ex_id in EXERCISES:
        _description, source = VARIANTS[ex_id][0]
        write(f"variant_{ex_id.split('.')[1]}", _with_cell(ex_id, source))
    for name, (ex_id, source) in ATTACKS.items():
        write(f"attack_{name}", _with_cell(ex_id, source))
    setup_exit = nbformat.read(SOLUTION, as_version=4)
    setup_cell = next(c for c in setup_exit.cells if nbu.is_setup(c))
    setup_cell.source += "\nraise SystemExit\n"
    write("attack_setup_system_exit", setup_exit)
    # the tag of one exercise deleted: found by its function name
    untagged = nbformat.read(SOLUTION, as_version=4)
    cell = _cell_of(untagged, "01.sign")
    cell.metadata.pop("dlcourse")
    cell.metadata["tags"] = []
    write("untagged_sign", untagged)
    # a helper function in its own cell
    helper = _with_cell("01.step", "def step(z):\n    return _fire(z)\n")
    helper.cells.insert(3, nbformat.v4.new_code_cell(
        "def _fire(z):\n    return (z > 0).astype(float)\n"))
    write("helper_cell", helper)
    # exercise cell deleted entirely
    missing = nbformat.read(SOLUTION, as_version=4)
    missing.cells = [c for c in missing.cells if nbu.exercise_id(c) != "01.sign"]
    write("missing_sign", missing)
    # duplicate tags: the later (wrong) definition counts, as in a kernel run top to bottom
    dup = nbformat.read(SOLUTION, as_version=4)
    index = dup.cells.index(_cell_of(dup, "01.step"))
    extra = copy.deepcopy(dup.cells[index])
    extra.source, extra.id = WRONG_STEP, "duplicate-step"
    dup.cells.insert(index + 2, extra)
    write("duplicate_tags", dup)
    # malformed files
    text = SOLUTION.read_text(encoding="utf-8")
    write("bad_json", "{ this is not json")
    write("truncated", text[: len(text) // 2])
    empty = nbformat.v4.new_notebook()
    empty.metadata["dlcourse"] = {"chapter": CHAPTER}
    write("no_cells", empty)
    null = nbformat.read(SOLUTION, as_version=4)
    _cell_of(null, "01.sign").source = "def sign(z):\x00\n    return z\n"
    write("null_bytes", null)
    renamed = subs / "my homework (final).ipynb"
    shutil.copy(SOLUTION, renamed)

    out = root / "grades"
    code = grade.main([str(subs), "--out", str(out), "--jobs", "2", "--timeout", "3",
                       "--memory", "2048", "--quiet", "--seed", "7"])
    data = json.loads((out / "grades.json").read_text())
    return {"students": data["students"], "meta": data["meta"], "out": out, "code": code,
            "subs": subs}


def _ex(graded, student, ex_id):
    return graded["students"][student]["exercises"][ex_id]


def _full_marks_except(graded, student, bad: set[str], *, partial_ok: bool = False):
    """Full marks on every exercise but ``bad``, which scores 0 (or less than full with
    ``partial_ok``: partial credit is the fraction of cases passed)."""
    record = graded["students"][student]
    for ex_id, ex in record["exercises"].items():
        if ex_id in bad and partial_ok:
            assert ex["score"] < ex["max"], (student, ex_id, ex["status"], ex["feedback"])
        elif ex_id in bad:
            assert ex["score"] == 0, (student, ex_id, ex["status"], ex["feedback"])
        else:
            assert ex["score"] == ex["max"], (student, ex_id, ex["status"], ex["feedback"])


def test_solution_scores_full_marks(graded):
    record = graded["students"]["solution"]
    assert record["status"] == "graded" and record["total"] == record["max_total"] > 0
    assert record["flags"] == []


def test_untouched_student_notebook_scores_zero_as_not_implemented(graded):
    record = graded["students"]["untouched"]
    assert record["total"] == 0
    assert {ex["status"] for ex in record["exercises"].values()} == {"not implemented"}


def _callers(ex_id: str) -> set[str]:
    """Exercises whose solution calls ex_id's functions: they inherit its mistakes."""
    nb = nbformat.read(SOLUTION, as_version=4)
    names = set(EXERCISES[ex_id].functions)
    return {other for other in EXERCISES if other != ex_id
            and nbu.loaded_names(_cell_of(nb, other).source) & names}


@pytest.mark.parametrize("ex_id", list(EXERCISES))
def test_wrong_variant_loses_exactly_its_exercise(graded, ex_id):
    student = f"variant_{ex_id.split('.')[1]}"
    _full_marks_except(graded, student, {ex_id} | _callers(ex_id), partial_ok=True)
    ex = _ex(graded, student, ex_id)
    assert ex["score"] < ex["max"] and ex["failures"]


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_attack_costs_only_the_affected_exercise(graded, attack):
    _full_marks_except(graded, f"attack_{attack}", {ATTACKS[attack][0]})
    assert graded["students"][f"attack_{attack}"]["status"] == "graded"


@pytest.mark.parametrize(("attack", "status"), [
    ("imports_reference", "uses reference"), ("calls_reference", "uses reference"),
    ("endless_loop", "timeout"), ("endless_loop_in_cell", "timeout"),
    ("catches_everything_in_loop", "timeout"), ("ten_gigabytes", "memory"),
    ("os_exit_in_function", "exit"), ("os_exit_in_cell", "exit"), ("sys_exit", "exit"),
    ("eq_always_true", "wrong type"), ("returns_nan", "failed"),
    ("prints_megabytes", "failed"), ("imports_reference_by_name", "error"),
    ("reads_solutions", "error"), ("reads_package_source", "error"),
])
def test_attack_gets_a_status_that_says_why(graded, attack, status):
    assert _ex(graded, f"attack_{attack}", "01.step")["status"] == status


@pytest.mark.parametrize(("attack", "phrase"), [
    ("allclose_patch", "patches np.allclose"), ("checker_patch", "redefines check()"),
    ("ipython_transformer", "get_ipython"), ("reads_solutions", "blocked reading"),
    ("kills_parent", "blocked os.kill"), ("imports_reference_by_name", "blocked import"),
    ("reads_package_source", "blocked reading"),
])
def test_tampering_is_flagged_for_the_instructor(graded, attack, phrase):
    flags = graded["students"][f"attack_{attack}"]["flags"]
    assert any(phrase in f for f in flags), flags


def test_raise_system_exit_in_a_setup_cell_is_survived(graded):
    record = graded["students"]["attack_setup_system_exit"]
    assert record["total"] == record["max_total"]
    assert any("SystemExit" in note for note in record["notes"])


def test_exercise_found_by_name_when_its_tag_is_gone(graded):
    ex = _ex(graded, "untagged_sign", "01.sign")
    assert ex["score"] == ex["max"] and ex["found_by"] == "name"
    assert any("found by name" in n for n in ex["notes"])


def test_helper_in_another_cell_is_run(graded):
    ex = _ex(graded, "helper_cell", "01.step")
    assert ex["score"] == ex["max"] and any("also ran cell" in n for n in ex["notes"])


def test_missing_exercise_scores_zero_with_a_message(graded):
    _full_marks_except(graded, "missing_sign", {"01.sign"})
    ex = _ex(graded, "missing_sign", "01.sign")
    assert ex["status"] == "not found" and "exercise 01.sign not found" in ex["feedback"]


def test_duplicate_tags_run_in_order(graded):
    _full_marks_except(graded, "duplicate_tags", {"01.step"})
    assert any("2 cells are tagged" in n for n in _ex(graded, "duplicate_tags", "01.step")["notes"])


@pytest.mark.parametrize(("student", "phrase"), [
    ("bad_json", "not valid JSON"), ("truncated", "not valid JSON"),
    ("no_cells", "no code cells"),
])
def test_malformed_files_get_a_clear_row(graded, student, phrase):
    record = graded["students"][student]
    assert record["status"] == "malformed" and phrase in record["message"]
    assert record["total"] == 0 and len(record["exercises"]) == len(EXERCISES)


def test_null_bytes_cost_only_their_exercise(graded):
    _full_marks_except(graded, "null_bytes", {"01.sign"})


def test_renamed_notebook_is_graded_by_its_metadata(graded):
    record = graded["students"]["my_homework__final_"]
    assert record["total"] == record["max_total"]


def test_outputs_tables_and_feedback(graded):
    out = graded["out"]
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert {r["student"] for r in rows} == set(graded["students"])
    solution = next(r for r in rows if r["student"] == "solution")
    assert float(solution["total"]) == float(solution["max"])
    assert list(rows[0])[:5] == ["student", "file", "status", "total", "max"]
    assert [k for k in rows[0] if k.startswith("01.")] == list(EXERCISES)
    text = (out / "feedback" / "variant_step.md").read_text()
    assert "01.step" in text and "expected:" in text and "got:" in text
    meta = graded["meta"]
    assert meta["seed"] == 7 and meta["chapter"] == CHAPTER
    assert meta["isolation"] == isolation()
    assert graded["code"] == 1  # malformed submissions: not everything could be graded


def test_an_interrupted_run_resumes_without_regrading(graded, tmp_path):
    out = graded["out"]
    before = {p.name: p.stat().st_mtime_ns for p in (out / "records").glob("*.json")}
    (out / "grades.csv").unlink()
    grade.main([str(graded["subs"]), "--out", str(out), "--quiet"])
    after = {p.name: p.stat().st_mtime_ns for p in (out / "records").glob("*.json")}
    assert before == after and (out / "grades.csv").exists()


def test_hidden_cases_change_with_the_seed():
    a = grade.Chapter(CHAPTER, seed=1, n_random=3)
    b = grade.Chapter(CHAPTER, seed=2, n_random=3)
    step_a = [c.args[0].tolist() for c in a.cases["01.step"] if c.group == "random"]
    step_b = [c.args[0].tolist() for c in b.cases["01.step"] if c.group == "random"]
    assert step_a and step_a != step_b


def test_every_chapter_solution_full_and_student_zero(tmp_path):
    for solution in sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb")):
        chapter = notebook_chapter(solution.name)
        if chapter is None:
            continue
        out = tmp_path / chapter
        grade.main([str(solution), str(NOTEBOOKS / solution.name), "--out", str(out),
                    "--quiet", "--jobs", "2"])
        data = json.loads((out / "grades.json").read_text())["students"]
        sol, stu = data[f"solutions__{solution.stem}"], data[f"notebooks__{solution.stem}"]
        assert sol["total"] == sol["max_total"], (solution.name, sol["exercises"])
        assert stu["total"] == 0
        assert {e["status"] for e in stu["exercises"].values()} == {"not implemented"}


def test_command_line_help_and_usage_errors(tmp_path):
    run = [sys.executable, "-m", "dlcourse.grade"]
    result = subprocess.run([*run, "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for option in ("--chapter", "--out", "--jobs", "--timeout", "--memory", "--force"):
        assert option in result.stdout
    result = subprocess.run([*run, str(tmp_path / "nothing*.ipynb")], capture_output=True,
                            text=True)
    assert result.returncode == 2 and "no such file" in result.stderr
    loose = tmp_path / "loose.ipynb"
    loose.write_text(nbformat.writes(nbformat.v4.new_notebook()))
    result = subprocess.run([*run, str(loose), "--out", str(tmp_path / "o")],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "--chapter" in result.stderr


def test_without_namespaces_the_audit_hook_still_blocks(tmp_path, monkeypatch):
    """Where unshare is unavailable the child runs as a plain process: the hook must hold."""
    from dlcourse.grading import sandbox

    monkeypatch.setattr(sandbox, "isolation", lambda: "process")
    subs = tmp_path / "subs"
    subs.mkdir()
    chosen = ["reads_solutions", "reads_package_source", "imports_reference_by_name",
              "kills_parent", "os_exit_in_function"]
    for name in chosen:
        nbformat.write(_with_cell(*ATTACKS[name]), subs / f"{name}.ipynb")
    shutil.copy(SOLUTION, subs / "solution.ipynb")
    out = tmp_path / "out"
    assert grade.main([str(subs), "--out", str(out), "--quiet", "--timeout", "3"]) == 0
    students = json.loads((out / "grades.json").read_text())["students"]
    assert students["solution"]["total"] == students["solution"]["max_total"]
    for name in chosen:
        record = students[name]
        assert record["exercises"]["01.step"]["score"] == 0, name
        others = [e for k, e in record["exercises"].items() if k != "01.step"]
        assert all(e["score"] == e["max"] for e in others), name
    assert any("blocked" in f for f in students["reads_solutions"]["flags"])


def test_other_submissions_are_hidden_from_student_code(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    spy = _with_cell("01.step", "def step(z):\n    import os\n"
                     f"    os.listdir({str(subs)!r})\n    return np.where(z > 0, 1.0, 0.0)\n")
    nbformat.write(spy, subs / "spy.ipynb")
    out = tmp_path / "out"
    grade.main([str(subs), "--out", str(out), "--quiet", "--timeout", "3"])
    record = json.loads((out / "grades.json").read_text())["students"]["spy"]
    assert record["exercises"]["01.step"]["score"] == 0
