"""Quizzes and the environment report."""

from __future__ import annotations

import html

import pytest

from dlcourse import env
from dlcourse.quiz import (
    Choice,
    Question,
    Quiz,
    display_orders,
    position_strategy_scores,
    questions_for,
    right,
    score_line,
    show_quiz,
    wrong,
)

CHAPTERS = [f"{c:02d}" for c in range(17)]


def _two_plus_two() -> Question:
    return Question("2 + 2?", wrong("3", "One short: count again."), right("4", "Two and two."),
                    wrong("22", "That glues the digits together."))


def test_single_choice_feedback_is_the_picked_options_reason():
    q = _two_plus_two()
    good = q.grade(1)
    assert good.correct and good.headline.startswith("✓ Right")
    assert good.picked == (("4", True, "Two and two."),)
    bad = q.grade(2)
    assert not bad.correct and "Not quite" in bad.headline
    assert "glues the digits" in bad.text()
    assert "Two and two" not in bad.text() and "4" not in bad.text()  # no answer leaked
    none = q.grade(None)
    assert not none.correct and none.text() == "Pick an answer first."
    with pytest.raises(ValueError, match="between 0 and 2"):
        q.grade(5)
    with pytest.raises(ValueError, match="takes one index"):
        q.grade([0, 1])


def test_multi_select_is_all_or_nothing_with_feedback_per_ticked_option():
    q = Question("Even numbers?", right("2", "2 = 2·1."), right("4", "4 = 2·2."),
                 wrong("5", "5 = 2·2 + 1 leaves a remainder."), wrong("7", "7 is odd."),
                 multi=True)
    assert q.answers == {0, 1}
    full = q.grade({0, 1})
    assert full.correct and len(full.picked) == 4  # once right, every option's reason
    part = q.grade([0])
    assert not part.correct and part.missing == 1 and "not ticked" in part.text()
    assert "4 = 2·2" not in part.text()  # the missing option is not revealed
    mixed = q.grade([0, 1, 2])
    assert not mixed.correct and "1 ticked option is wrong" in mixed.headline
    assert ("5", False, "5 = 2·2 + 1 leaves a remainder.") in mixed.picked
    assert not q.grade([]).correct and "Tick at least one" in q.grade([]).headline


def test_questions_are_checked_when_built():
    with pytest.raises(ValueError, match="exactly one right option; it has 2"):
        Question("?", right("a", "x"), right("b", "y"))
    with pytest.raises(ValueError, match="exactly one right option; it has 0"):
        Question("?", wrong("a", "x"), wrong("b", "y"))
    with pytest.raises(ValueError, match="at least one right option"):
        Question("?", wrong("a", "x"), wrong("b", "y"), multi=True)
    with pytest.raises(ValueError, match="same text"):
        Question("?", right("a", "x"), wrong("a", "y"))
    with pytest.raises(ValueError, match="at least two options"):
        Question("?", right("a", "x"))
    with pytest.raises(ValueError, match="'b' has no reason; say why it is wrong"):
        Question("?", right("a", "x"), wrong("b", " "))
    with pytest.raises(ValueError, match="share one reason"):
        Question("?", right("a", "x"), wrong("b", "x"))
    with pytest.raises(TypeError, match=r"right\(text, why\)"):
        Question("?", ("a", "b"), 0, "old format")
    assert isinstance(right("a", "b"), Choice)


def test_display_orders_are_seeded_permutations_that_spread_the_answers():
    # 12 questions whose right option is always written first: the shown positions spread out.
    questions = [Question(f"q{i}?", right("r", "r."), wrong("a", "a."), wrong("b", "b."),
                          wrong("c", "c.")) for i in range(12)]
    orders = display_orders(questions, seed=7)
    assert all(sorted(order) == [0, 1, 2, 3] for order in orders)
    assert orders == display_orders(questions, seed=7)  # stable for the student
    assert orders != display_orders(questions, seed=8)
    positions = [order.index(0) for order in orders]
    assert sorted(positions.count(p) for p in range(4)) == [3, 3, 3, 3]
    # the wrong options are shuffled too, not kept in their written order
    assert len({tuple(i for i in order if i) for order in orders}) > 1


def test_a_chapters_order_is_fixed_and_grading_follows_the_shown_positions():
    quiz = Quiz.for_chapter("03")
    assert quiz.orders == Quiz.for_chapter("3").orders
    for number, question in enumerate(quiz.questions):
        shown = quiz.shown(number)
        assert sorted(shown, key=question.choices.index) == list(question.choices)
        if question.multi:
            ticked = quiz.right_positions(number)
            assert quiz.grade(number, ticked).correct
            assert {shown[p].text for p in ticked} == {c.text for c in question.choices
                                                        if c.correct}
            assert not quiz.grade(number, set(range(len(shown)))).correct
            continue
        for position, choice in enumerate(shown):
            assert quiz.grade(number, position).correct == choice.correct


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_always_pick_position_k_strategy_scores_above_40_percent(chapter):
    """On the order the student sees, always ticking position k (the first option, the second,
    ...) gets at most 40 % of a chapter's questions right."""
    quiz = Quiz.for_chapter(chapter)
    scores = position_strategy_scores(quiz)
    n = len(quiz.questions)
    assert max(scores.values()) <= 0.4 * n, (chapter, scores, n)
    # cross-check the counting against the grading itself
    for k, score in scores.items():
        graded = sum(quiz.grade(i, k).correct for i in range(n)
                     if k < len(quiz.orders[i]) and not quiz.questions[i].multi)
        graded += sum(quiz.grade(i, [k]).correct for i in range(n)
                      if k < len(quiz.orders[i]) and quiz.questions[i].multi)
        assert graded == score


def test_no_always_pick_position_k_strategy_scores_above_40_percent_overall():
    totals: dict[int, int] = {}
    n = 0
    for chapter in CHAPTERS:
        quiz = Quiz.for_chapter(chapter)
        n += len(quiz.questions)
        for k, score in position_strategy_scores(quiz).items():
            totals[k] = totals.get(k, 0) + score
    assert max(totals.values()) <= 0.4 * n, totals
    last = sum(quiz.right_positions(i) == {len(quiz.orders[i]) - 1}
               for quiz in map(Quiz.for_chapter, CHAPTERS) for i in range(len(quiz.questions)))
    assert last <= 0.4 * n  # "always the last option" is no better


def test_score_line_counts_the_latest_checks():
    assert score_line([None, None, None]) == "Score: 0 of 3 right"
    assert score_line([True, False, None]) == "Score: 1 of 3 right"
    assert score_line([True, True]) == "Score: 2 of 2 right (all of them!)"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_option_has_its_own_reason_and_a_wrong_pick_never_reveals_the_answer(chapter):
    for question in questions_for(chapter):
        whys = [c.why.strip() for c in question.choices]
        assert all(len(why) >= 15 for why in whys), question.prompt  # a reason, not a word
        assert len(set(whys)) == len(whys), question.prompt
        assert not any(why == c.text for why, c in zip(whys, question.choices, strict=True))
        secret = [c.why for c in question.choices if c.correct]
        for index, choice in enumerate(question.choices):
            if choice.correct:
                continue
            shown = question.grade({index} if question.multi else index).text()
            assert choice.why in shown
            assert not any(why in shown for why in secret), (question.prompt, choice.text)


def test_the_quizzes_count_and_use_multi_select():
    questions = [q for chapter in CHAPTERS for q in questions_for(chapter)]
    multi = [q for q in questions if q.multi]
    assert len(questions) >= 100 and len(multi) >= 8
    assert all(len(q.answers) >= 1 for q in multi)


def test_seed_000s_quiz_is_in_the_matching_chapters():
    """Seed 000 ends with four questions: CNN vs RNN for images (12), the GAN as unsupervised
    learning (14), which is not a deep network (13), the components of a CNN (12, multi)."""
    def from_seed(chapter):
        return [q for q in questions_for(chapter) if "seed 000's quiz" in q.prompt.lower()]

    assert len(from_seed("12")) == 2 and len(from_seed("13")) == 1 and len(from_seed("14")) == 1
    components = next(q for q in from_seed("12") if q.multi)
    assert {"convolution kernels", "pooling", "activation functions",
            "fully connected layers"} == {q.text for q in components.choices if q.correct}
    odd_one = from_seed("13")[0]
    assert [c.text for c in odd_one.choices if c.correct] == ["logistic regression"]
    for question in from_seed("12")[:1] + from_seed("14"):
        assert [c.text for c in question.choices if c.correct] == ["true"]


def test_saved_quiz_outputs_match_the_questions():
    """The quiz cell of each solution notebook saved the quiz as it is now (nbval compares the
    same text; this test says which chapter to re-execute after a question was added)."""
    import nbformat

    from dlcourse.authoring import SOLUTIONS

    for path in sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb")):
        chapter = path.name[:2]
        nb = nbformat.read(path, as_version=4)
        cells = [c for c in nb.cells if c.cell_type == "code"
                 and c.source.strip() == f'show_quiz("{chapter}")']
        assert len(cells) == 1, f"{path.name}: one cell show_quiz({chapter!r}) ends the chapter"
        assert "nbval-ignore-output" not in cells[0].metadata.get("tags", []), (
            f"{path.name}: the quiz's output is stable; let nbval compare it")
        saved = [o["data"]["text/plain"] for o in cells[0].outputs if "data" in o]
        n = len(questions_for(chapter))
        assert saved == [f"Quiz of chapter {chapter}: {n} questions. Score: 0 of {n} right."], (
            f"{path.name} saved {saved}; re-execute it: "
            f"python -m dlcourse.authoring execute solutions/{path.name}")


def test_every_chapter_with_a_notebook_has_a_quiz():
    from dlcourse.authoring import SOLUTIONS

    for path in SOLUTIONS.glob("[0-9][0-9]_*.ipynb"):
        questions = questions_for(path.name[:2])
        assert len(questions) >= 3, path.name
        assert len({q.prompt for q in questions}) == len(questions)
    with pytest.raises(KeyError, match="no quiz"):
        questions_for("99")


def test_quiz_widget_gives_feedback_and_keeps_score():
    ui = show_quiz("01")
    quiz = Quiz.for_chapter("01")
    *questions, score = ui.children
    n = len(quiz.questions)
    assert len(questions) == n and f"0 of {n} right" in score.value
    assert repr(ui) == f"Quiz of chapter 01: {n} questions. Score: 0 of {n} right."
    first = questions[0]
    options, button, feedback = first.children[-3:]
    wrong_at = next(p for p, c in enumerate(quiz.shown(0)) if not c.correct)
    options.value = wrong_at
    button.click()
    assert "Not quite" in feedback.value
    assert html.escape(quiz.shown(0)[wrong_at].why) in feedback.value
    assert f"0 of {n} right" in score.value
    options.value = next(iter(quiz.right_positions(0)))
    button.click()
    assert "Right" in feedback.value and f"1 of {n} right" in score.value
    options.value = wrong_at  # a later wrong check takes the point back
    button.click()
    assert f"0 of {n} right" in score.value


def test_multi_select_questions_show_check_boxes():
    import ipywidgets as w

    for chapter in CHAPTERS:
        quiz = Quiz.for_chapter(chapter)
        multi = [i for i, q in enumerate(quiz.questions) if q.multi]
        if not multi:
            continue
        ui = show_quiz(chapter)
        number = multi[0]
        box = ui.children[number]
        ticks, button, feedback = box.children[-3:]
        assert any("all that apply" in c.value for c in box.children[:-3])
        assert all(isinstance(t, w.Checkbox) for t in ticks.children)
        for position in quiz.right_positions(number):
            ticks.children[position].value = True
        button.click()
        assert "Right" in feedback.value and "1 of" in ui.children[-1].value
        return
    pytest.skip("no chapter has a multi-select question yet")


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
