"""``python -m dlcourse.progress``: a student's own notebooks graded by the class grader, one
line per chapter, and the notebooks left exactly as they were."""

from __future__ import annotations

import hashlib
import re
import shutil

import nbformat
import pytest
from graded_class import FIRES_AT_ZERO

from dlcourse import notebook as nbu
from dlcourse import progress
from dlcourse.authoring import NOTEBOOKS, SOLUTIONS
from dlcourse.exercises import chapter_exercises

CHAPTERS = ("00_start_here.ipynb", "01_perceptron.ipynb")


def fingerprint(folder):
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    """Student notebooks, solved ones and a partly solved chapter 01, graded in one run."""
    root = tmp_path_factory.mktemp("progress")
    folders = {kind: root / kind for kind in ("student", "solved", "partly")}
    for name in CHAPTERS:
        for kind, source in (("student", NOTEBOOKS), ("solved", SOLUTIONS)):
            folders[kind].mkdir(exist_ok=True)
            shutil.copyfile(source / name, folders[kind] / name)
    nb = nbformat.read(SOLUTIONS / CHAPTERS[1], as_version=4)
    for cell in nb.cells:
        if nbu.exercise_id(cell) == "01.step":
            cell.source = FIRES_AT_ZERO
    folders["partly"].mkdir()
    nbformat.write(nb, folders["partly"] / CHAPTERS[1])
    before = {kind: fingerprint(folder) for kind, folder in folders.items()}
    found = progress.progress(list(folders.values()), jobs=2, timeout=10)
    after = {kind: fingerprint(folder) for kind, folder in folders.items()}
    assert after == before, "progress changed a notebook"
    return {(row.notebook.parent.name, row.chapter): row for row in found}


def test_student_notebooks_have_everything_to_do(rows):
    for chapter in ("00", "01"):
        row = rows[("student", chapter)]
        exercises = chapter_exercises(chapter)
        assert (row.passed, row.score) == (0, 0.0)
        assert row.n_exercises == len(exercises)
        assert row.max_score == sum(ex.points for ex in exercises.values())
        assert row.todo == [ex.split(".", 1)[1] for ex in exercises]
        assert not row.problem


def test_solved_notebooks_are_complete(rows):
    for chapter in ("00", "01"):
        row = rows[("solved", chapter)]
        assert row.passed == row.n_exercises and row.score == row.max_score and not row.todo
    assert rows[("solved", "01")].title == "The perceptron"


def test_one_mistake_shows_in_its_chapter(rows):
    row = rows[("partly", "01")]
    assert (row.passed, row.score, row.todo) == (5, 6.0, ["step"])


def test_the_table_has_a_line_and_a_bar_per_chapter(rows):
    chosen = [rows[("student", "01")], rows[("partly", "01")], rows[("solved", "00")]]
    text = progress.table(chosen)
    lines = text.splitlines()
    assert len(lines) == 1 + len(chosen) + 1
    assert re.search(r"01 · The perceptron\s+5 / 6\s+6 / 7 .*█{17}░{3}\s+86 %\s+to do: step",
                     lines[2]), lines[2]
    assert "░" * progress.BAR_WIDTH in lines[1] and "to do: neuron_forward, step" in lines[1]
    assert lines[-1].startswith("all chapters") and "6 / 13" in lines[-1] and "7 / 15" in lines[-1]


def test_quiz_state_and_title_come_from_the_notebook():
    nb = {"metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {
        "a": {"model_name": "HTMLModel", "state": {"value": "<b>Score: 3 of 5 right</b>"}}}}}},
          "cells": [{"cell_type": "markdown", "source": ["# 04 · Losses\n", "text"]}]}
    assert progress.quiz_state(nb) == "3/5"
    assert progress.quiz_state({"metadata": {}}) is None
    assert progress.chapter_title(nb, "x") == "Losses"
    assert progress.chapter_title({"cells": []}, "fallback") == "fallback"
    assert progress.bar(0.5, 10) == "█████░░░░░" and progress.bar(2.0, 4) == "████"


def test_command_line_with_html(tmp_path, capsys):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copyfile(SOLUTIONS / CHAPTERS[0], folder / CHAPTERS[0])
    page = tmp_path / "progress.html"
    assert progress.main([str(folder), "--html", str(page)]) == 0
    out = capsys.readouterr().out
    assert "00 · Start here" in out and "100 %" in out and f"wrote {page}" in out
    html = page.read_text(encoding="utf-8")
    assert html.count('<img src="data:image/png;base64,') == 1
    assert "Start here" in html and "http" not in html.split("<body>", 1)[1]
    assert progress.main([str(tmp_path / "nowhere")]) == 2
