"""Quizzes and the environment report."""

from __future__ import annotations

import pytest

from dlcourse import env
from dlcourse.quiz import Question, questions_for, show_quiz


def test_question_grading():
    q = Question("2 + 2?", ("3", "4"), 1, "Two and two make four.")
    assert q.grade(1) == (True, "✓ Right. Two and two make four.")
    ok, text = q.grade(0)
    assert not ok and "Not quite" in text and "four" not in text
    assert q.grade(None) == (False, "Pick an answer first.")
    with pytest.raises(ValueError, match="between 0 and 1"):
        q.grade(5)
    with pytest.raises(ValueError, match="not the index"):
        Question("?", ("a",), 3, "")


def test_every_chapter_with_a_notebook_has_a_quiz():
    from dlcourse.authoring import SOLUTIONS

    for path in SOLUTIONS.glob("[0-9][0-9]_*.ipynb"):
        questions = questions_for(path.name[:2])
        assert len(questions) >= 3, path.name
        assert len({q.prompt for q in questions}) == len(questions)
    with pytest.raises(KeyError, match="no quiz"):
        questions_for("99")


def test_quiz_widget_buttons_give_feedback():
    ui = show_quiz("01")
    first = ui.children[0]
    options, row = first.children[1], first.children[2]
    button, feedback = row.children
    options.value = questions_for("01")[0].answer
    button.click()
    assert "Right" in feedback.value


def test_report_prints_versions_and_device(capsys, monkeypatch):
    monkeypatch.setenv("DLCOURSE_DEVICE", "cpu")
    env.report()
    out = capsys.readouterr().out
    assert "numpy" in out and "torch" in out and "runs on: cpu" in out


def test_environment_problems_are_named(monkeypatch):
    real = env._version
    monkeypatch.setattr(env, "_version", lambda d: None if d == "torch" else real(d))
    assert any("torch is not installed" in p for p in env.environment_problems())
    monkeypatch.setattr(env, "_version",
                        lambda d: None if d == "jupyterlab_widgets" else real(d))
    assert any("front-end" in p for p in env.environment_problems())
