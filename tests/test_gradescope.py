"""The Gradescope autograder end to end, in a temporary folder laid out like Gradescope's.

The zip is built and unpacked into ``<root>/source``, ``run_autograder`` is copied to
``<root>/run_autograder`` and run from ``<root>`` (Gradescope's working directory) with a
student's notebook in ``<root>/submission``; ``<root>/results/results.json`` must be in
Gradescope's format with the grader's scores. ``setup.sh`` is checked, not run: it installs
system packages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from graded_class import FIRES_AT_ZERO
from test_grading_exports import check_gradescope_format

from dlcourse import notebook as nbu
from dlcourse.authoring import NOTEBOOKS, SOLUTIONS
from dlcourse.exercises import chapter_exercises
from dlcourse.grading import gradescope

CHAPTER = "01"
NOTEBOOK = "01_perceptron.ipynb"
POINTS = sum(ex.points for ex in chapter_exercises(CHAPTER).values())


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    return gradescope.build_zip(tmp_path_factory.mktemp("zip") / "autograder.zip", CHAPTER,
                                grade_args=["--timeout=5"])


def test_the_zip_has_gradescopes_two_scripts_at_its_root(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as zf:
        names = set(zf.namelist())
        assert {"setup.sh", "run_autograder"} <= names
        for script in ("setup.sh", "run_autograder"):
            info = zf.getinfo(script)
            assert (info.external_attr >> 16) & 0o111, f"{script} is not executable"
            assert zf.read(script).startswith(b"#!/usr/bin/env bash\n")
        assert f"solutions/{NOTEBOOK}" in names and "dlcourse/grade.py" in names
        assert "dlcourse/grading/templates/report.html.j2" in names
        assert {"pyproject.toml", "requirements.txt", "requirements-cpu.txt", "LICENSE"} <= names
        assert not [n for n in names if "__pycache__" in n or n.startswith("notebooks/")]
        assert not [n for n in names if n.startswith("solutions/") and NOTEBOOK not in n]
        setup = zf.read("setup.sh").decode()
        run = zf.read("run_autograder").decode()
    assert "apt-get install" in setup and "bubblewrap" in setup
    assert "pip install -r requirements-cpu.txt" in setup
    assert "python3.11" in setup, "Ubuntu 22.04's python3 is too old for the pins"
    assert "dlcourse.grade --gradescope" in run and f"--chapter {CHAPTER} --timeout=5" in run


def _layout(tmp_path: Path, autograder_zip: Path) -> Path:
    root = tmp_path / "autograder"
    with zipfile.ZipFile(autograder_zip) as zf:
        zf.extractall(root / "source")
    for script in ("setup.sh", "run_autograder"):
        (root / "source" / script).chmod(0o755)
    shutil.copyfile(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    (root / "submission").mkdir()
    (root / "results").mkdir()
    return root


def _run(root: Path) -> tuple[dict, str]:
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), DLCOURSE_PYTHON=sys.executable)
    done = subprocess.run([str(root / "run_autograder")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    check_gradescope_format(results)
    return results, done.stdout


@pytest.mark.slow
def test_run_autograder_in_a_gradescope_layout(tmp_path, autograder_zip):
    root = _layout(tmp_path, autograder_zip)
    # a student who uploads the notebook under another name, with one mistake
    nb = nbformat.read(SOLUTIONS / NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if nbu.exercise_id(cell) == "01.step":
            cell.source = FIRES_AT_ZERO
    nbformat.write(nb, root / "submission" / "my work.ipynb")
    results, stdout = _run(root)
    assert f"dlcourse from {root / 'source' / 'dlcourse'}" in stdout, "the zip's own package ran"
    assert results["score"] == POINTS - 1
    tests = {t["number"]: t for t in results["tests"]}
    assert list(tests) == list(chapter_exercises(CHAPTER))
    assert tests["01.step"]["status"] == "failed" and tests["01.step"]["score"] == 0.0
    assert "step(0) must be 0" in tests["01.step"]["output"]
    assert all(t["status"] == "passed" for n, t in tests.items() if n != "01.step")

    # the untouched student notebook, under its own name, next to a stray checkpoint copy
    (root / "submission" / "my work.ipynb").unlink()
    shutil.copyfile(NOTEBOOKS / NOTEBOOK, root / "submission" / NOTEBOOK)
    (root / "submission" / ".ipynb_checkpoints").mkdir()
    shutil.copyfile(SOLUTIONS / NOTEBOOK, root / "submission" / ".ipynb_checkpoints" / NOTEBOOK)
    results, _ = _run(root)
    assert results["score"] == 0.0 and len(results["tests"]) == len(chapter_exercises(CHAPTER))


def test_a_submission_without_a_notebook_gets_a_result_that_says_so(tmp_path):
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "answers.py").write_text("print('hi')\n")
    results = gradescope.run(root, CHAPTER)
    assert results["score"] == 0.0 and "upload your 01_perceptron.ipynb" in results["output"]
    assert json.loads((root / "results" / "results.json").read_text()) == results
    for name in ("a.ipynb", "b.ipynb"):
        nbformat.write(nbformat.v4.new_notebook(), root / "submission" / name)
    assert "holds 2 notebooks" in gradescope.run(root, CHAPTER)["output"]


def test_build_command_line(tmp_path, capsys):
    target = tmp_path / "ag.zip"
    assert gradescope.main(["build", str(target), "--chapter", "1"]) == 0
    assert zipfile.is_zipfile(target) and "Configure Autograder" in capsys.readouterr().out
    assert gradescope.main(["build", str(target), "--chapter", "99"]) == 2
