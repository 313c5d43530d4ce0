"""Self-check quizzes: a few questions at the end of each chapter, with a reason for every option.

Writing questions
-----------------
The questions of chapter NN live in ``dlcourse/quizzes/chNN.py``, as a list ``QUESTIONS``, so
a notebook shows the questions but not the answers. Each option says why it is right or wrong;
the student sees that reason as soon as they pick the option::

    from dlcourse.quiz import Question, right, wrong

    QUESTIONS = [
        Question(
            "What is the largest value of the sigmoid's derivative?",
            right("1/4, at x = 0", "σ(0) = 1/2, so σ′(0) = 1/2 · 1/2 = 1/4 ..."),
            wrong("1, at x = 0", "That is tanh′(0). For the sigmoid, σ′(0) = σ(0)(1 − σ(0)) ..."),
            wrong("1/2, at x = 0", "1/2 is σ(0) itself, the value, not the slope ..."),
            wrong("it grows without bound", "σ′ = σ(1 − σ) is a product of two numbers in ..."),
        ),
        Question(
            "Which of these layers have learnable parameters?",
            right("a dense layer", "its weights W and bias b are trained."),
            right("batch norm", "γ and β are trained; the running statistics are not."),
            wrong("ReLU", "max(0, x) has nothing to learn."),
            wrong("max pooling", "it picks the largest entry of each window; nothing is learned."),
            multi=True,
        ),
    ]

Rules, checked when the question is built (``ValueError`` says which rule broke) and by
``tests/test_quiz_and_env.py``:

- write the options in any order, the right one first if you like: the notebook shows them
  shuffled (see below), so the source order never leaks the answer;
- a single-choice question has exactly one ``right`` option; a ``multi=True`` question ("pick all
  that apply") has at least one, is graded all or nothing, and gives feedback on every option
  ticked;
- every option has its own reason, not empty and different from the others. A wrong option's
  reason says *why* it is wrong (which mistake leads to it, what it would take to be true), not
  just "no"; the right option's reason is the explanation shown once the student gets there;
- options and prompts are plain text (they are HTML-escaped when shown).

What the student sees
---------------------
``show_quiz("01")`` shows each question with radio buttons (single choice) or check boxes
(multi), a Check button, the feedback, and under the whole quiz a line "k of n right" that
follows the student's latest check of each question.

The options are shuffled with a seed fixed per chapter (``display_orders``), so a student sees the
same order every time, and balanced: the shuffle places each single right answer at the position
that has held the fewest right answers so far in the chapter. No "always pick position k"
strategy can therefore score more than ⌈n/m⌉ of a chapter's n questions with m options
(``position_strategy_scores`` computes what it does score; the tests keep it at most 40 %).

Everything but ``show_quiz`` is pure logic without widgets, unit-tested on its own.
"""

from __future__ import annotations

import hashlib
import html
import importlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

RIGHT_MARK = "✓"
WRONG_MARK = "✗"


@dataclass(frozen=True)
class Choice:
    """One option of a question: its text, whether it is right, and why (shown when picked)."""

    text: str
    correct: bool
    why: str


def right(text: str, why: str) -> Choice:
    """A right option, with the explanation shown when the student picks it."""
    return Choice(text, True, why)


def wrong(text: str, why: str) -> Choice:
    """A wrong option, with the reason it is wrong, shown when the student picks it."""
    return Choice(text, False, why)


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer.

    ``correct``: all or nothing. ``headline``: one line for the top. ``picked``: for each option
    the student picked, ``(text, is_right, why)``. ``missing``: how many right options of a
    multi-select question were not ticked (which ones is left for the student to find).
    """

    correct: bool
    headline: str
    picked: tuple[tuple[str, bool, str], ...] = ()
    missing: int = 0

    def text(self) -> str:
        """The feedback as plain text, one line per picked option."""
        lines = [self.headline]
        lines += [f"{RIGHT_MARK if ok else WRONG_MARK} {text}: {why}"
                  for text, ok, why in self.picked]
        if self.missing:
            lines.append(_missing_sentence(self.missing))
        return "\n".join(lines)


def _missing_sentence(missing: int) -> str:
    return (f"{missing} right option{'s are' if missing > 1 else ' is'} not ticked yet: "
            "look at the others again.")


class Question:
    """A quiz question: a prompt and its options (``right(...)`` / ``wrong(...)``).

    ``multi=True`` makes it "pick all that apply": graded all or nothing. See the module
    docstring for the rules an author follows.
    """

    __slots__ = ("choices", "multi", "prompt")

    def __init__(self, prompt: str, *choices: Choice, multi: bool = False):
        where = f"Question {prompt[:50]!r}"
        if not isinstance(prompt, str) or not prompt.strip():
            raise ValueError("A question needs a prompt (a non-empty string).")
        if len(choices) < 2:
            raise ValueError(f"{where}: give at least two options, each right(text, why) or "
                             f"wrong(text, why); got {len(choices)}.")
        for choice in choices:
            if not isinstance(choice, Choice):
                raise TypeError(f"{where}: every option must be right(text, why) or "
                                f"wrong(text, why) from dlcourse.quiz; got {choice!r}.")
            if not choice.text.strip():
                raise ValueError(f"{where}: an option has no text.")
        texts = [c.text for c in choices]
        if len(set(texts)) != len(texts):
            raise ValueError(f"{where}: two options have the same text.")
        for choice in choices:
            if not isinstance(choice.why, str) or not choice.why.strip():
                raise ValueError(f"{where}: option {choice.text!r} has no reason; say why it is "
                                 f"{'right' if choice.correct else 'wrong'}.")
        whys = [c.why.strip() for c in choices]
        if len(set(whys)) != len(whys):
            raise ValueError(f"{where}: two options share one reason; give each its own.")
        n_right = sum(c.correct for c in choices)
        if multi and n_right < 1:
            raise ValueError(f"{where}: a multi-select question needs at least one right option.")
        if not multi and n_right != 1:
            raise ValueError(f"{where}: a single-choice question needs exactly one right option; "
                             f"it has {n_right} (pass multi=True for 'pick all that apply').")
        self.prompt = prompt
        self.choices = tuple(choices)
        self.multi = bool(multi)

    def __repr__(self) -> str:
        return f"Question({self.prompt[:40]!r}…, {len(self.choices)} options, multi={self.multi})"

    @property
    def answers(self) -> frozenset[int]:
        """The indices (in the order written) of the right options."""
        return frozenset(i for i, c in enumerate(self.choices) if c.correct)

    def grade(self, picked: int | Iterable[int] | None) -> Feedback:
        """Grade an answer given as option indices in the order written.

        Single choice: an index or None. Multi-select: a collection of indices (possibly
        empty). A wrong pick is answered with that option's reason, never with the right answer.
        """
        if picked is None:
            return Feedback(False, "Pick an answer first.")
        chosen = [picked] if isinstance(picked, int) else sorted(set(picked))
        if not self.multi and len(chosen) != 1:
            raise ValueError(f"a single-choice question takes one index; got {picked!r}.")
        for index in chosen:
            if not isinstance(index, int) or not 0 <= index < len(self.choices):
                raise ValueError(f"choice must be between 0 and {len(self.choices) - 1}; "
                                 f"got {index!r}.")
        if not chosen:
            return Feedback(False, "Tick at least one option first.")
        details = tuple((self.choices[i].text, self.choices[i].correct, self.choices[i].why)
                        for i in chosen)
        correct = frozenset(chosen) == self.answers
        if not self.multi:
            headline = f"{RIGHT_MARK} Right." if correct else f"{WRONG_MARK} Not quite."
            return Feedback(correct, headline, details)
        if correct:
            everything = tuple((c.text, c.correct, c.why) for c in self.choices)
            return Feedback(True, f"{RIGHT_MARK} Right: exactly these {len(chosen)}. Why each "
                                  "option is in or out:", everything)
        wrong_ticks = sum(not ok for _, ok, _ in details)
        missing = len(self.answers - frozenset(chosen))
        headline = (f"{WRONG_MARK} Not quite: {wrong_ticks} ticked option"
                    f"{'s are' if wrong_ticks != 1 else ' is'} wrong."
                    if wrong_ticks else f"{WRONG_MARK} Not yet: all you ticked is right, "
                                        "but something is missing.")
        return Feedback(False, headline, details, missing)


# ---------------------------------------------------------------- a chapter's quiz, shuffled


def questions_for(chapter: str) -> list[Question]:
    """The quiz questions of a chapter (``"01"``), in the order written."""
    try:
        module = importlib.import_module(f"dlcourse.quizzes.ch{int(chapter):02d}")
    except (ModuleNotFoundError, ValueError):
        raise KeyError(f"no quiz for chapter {chapter!r}.") from None
    return list(module.QUESTIONS)


def chapter_seed(chapter: str) -> int:
    """The fixed seed of a chapter's shuffle (the same on every machine and Python)."""
    digest = hashlib.sha256(f"dlcourse quiz {int(chapter):02d}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def display_orders(questions: Sequence[Question], seed: int) -> list[tuple[int, ...]]:
    """For each question, the order its options are shown in: ``order[position] = index``.

    A seeded shuffle, balanced: a question with one right option gets it at the position (among
    its own) that has held the fewest right answers so far, ties broken at random; the other
    options are shuffled around it. Questions with several right options are shuffled freely
    (ticking one position never answers them).
    """
    rng = random.Random(seed)
    held: dict[int, int] = {}
    orders = []
    for question in questions:
        n = len(question.choices)
        answers = sorted(question.answers)
        others = [i for i in range(n) if i not in answers]
        rng.shuffle(others)
        if len(answers) == 1:
            fewest = min(held.get(p, 0) for p in range(n))
            target = rng.choice([p for p in range(n) if held.get(p, 0) == fewest])
            held[target] = held.get(target, 0) + 1
            order = [*others[:target], answers[0], *others[target:]]
        else:
            order = list(range(n))
            rng.shuffle(order)
        orders.append(tuple(order))
    return orders


@dataclass(frozen=True)
class Quiz:
    """A chapter's questions with the order each one's options are shown in."""

    chapter: str
    questions: tuple[Question, ...]
    orders: tuple[tuple[int, ...], ...]

    @classmethod
    def for_chapter(cls, chapter: str) -> Quiz:
        questions = questions_for(chapter)
        return cls(f"{int(chapter):02d}", tuple(questions),
                   tuple(display_orders(questions, chapter_seed(chapter))))

    def shown(self, number: int) -> list[Choice]:
        """The options of question ``number`` (0-based) in the order the student sees them."""
        question = self.questions[number]
        return [question.choices[i] for i in self.orders[number]]

    def grade(self, number: int, positions: int | Iterable[int] | None) -> Feedback:
        """Grade question ``number`` from the shown positions the student picked."""
        order = self.orders[number]
        if positions is None:
            return self.questions[number].grade(None)
        if isinstance(positions, int):
            return self.questions[number].grade(order[positions])
        return self.questions[number].grade([order[p] for p in positions])

    def right_positions(self, number: int) -> frozenset[int]:
        """The shown positions of question ``number``'s right options."""
        return frozenset(p for p, i in enumerate(self.orders[number])
                         if self.questions[number].choices[i].correct)


def position_strategy_scores(quiz: Quiz) -> dict[int, int]:
    """For each position k: how many questions "always pick option k" gets right.

    Computed on the shown order. Picking k answers a question only if k is its single right
    position (all or nothing: a multi-select question with two right options is never answered
    by one tick).
    """
    widest = max(len(q.choices) for q in quiz.questions)
    scores = dict.fromkeys(range(widest), 0)
    for number in range(len(quiz.questions)):
        right_at = quiz.right_positions(number)
        if len(right_at) == 1:
            scores[next(iter(right_at))] += 1
    return scores


def score_line(results: Sequence[bool | None]) -> str:
    """The line under a quiz: "k of n right", from each question's latest check (None: not yet)."""
    n = len(results)
    k = sum(r is True for r in results)
    tail = " (all of them!)" if n and k == n else ""
    return f"Score: {k} of {n} right{tail}"


def feedback_html(feedback: Feedback) -> str:
    """The feedback as HTML for the widget: green when right, red otherwise."""
    color = "green" if feedback.correct else "#b00"
    parts = [f"<div style='line-height:1.4'><div style='color:{color}'>"
             f"<b>{html.escape(feedback.headline)}</b></div>"]
    for text, ok, why in feedback.picked:
        mark, tint = (RIGHT_MARK, "green") if ok else (WRONG_MARK, "#b00")
        parts.append(f"<div><span style='color:{tint}'>{mark}</span> "
                     f"<i>{html.escape(text)}</i>: {html.escape(why)}</div>")
    if feedback.missing:
        parts.append(f"<div>{html.escape(_missing_sentence(feedback.missing))}</div>")
    return "".join(parts) + "</div>"


# ---------------------------------------------------------------- the widget shell


def show_quiz(chapter: str):
    """Display the chapter's quiz: per question its options, a Check button and the feedback,
    and under the quiz the line "k of n right", updated at every check."""
    import ipywidgets as w

    quiz = Quiz.for_chapter(chapter)
    results: list[bool | None] = [None] * len(quiz.questions)
    score = w.HTML(f"<b>{score_line(results)}</b>")

    class QuizBox(w.VBox):
        def __repr__(self) -> str:
            return (f"Quiz of chapter {quiz.chapter}: {len(quiz.questions)} questions. "
                    f"{score_line(results)}.")

    boxes = []
    for number, question in enumerate(quiz.questions):
        shown = quiz.shown(number)
        header = [w.HTML(f"<div style='line-height:1.4'><b>{number + 1}.</b> "
                         f"{html.escape(question.prompt)}</div>")]
        if question.multi:
            header.append(w.HTML("<i>Pick all that apply.</i>"))
            ticks = [w.Checkbox(value=False, description=c.text, indent=False,
                                layout=w.Layout(width="auto")) for c in shown]
            options = w.VBox(ticks)

            def picked(ticks=ticks):
                return [p for p, t in enumerate(ticks) if t.value]
        else:
            options = w.RadioButtons(options=[(c.text, p) for p, c in enumerate(shown)],
                                     value=None, layout=w.Layout(width="auto"))

            def picked(options=options):
                return options.value
        button = w.Button(description="Check", button_style="info",
                          layout=w.Layout(width="90px"))
        feedback = w.HTML()

        def on_click(_, number=number, picked=picked, out=feedback):
            verdict = quiz.grade(number, picked())
            if verdict.picked:
                results[number] = verdict.correct
            out.value = feedback_html(verdict)
            score.value = f"<b>{score_line(results)}</b>"

        button.on_click(on_click)
        boxes.append(w.VBox([*header, options, button, feedback]))
    return QuizBox([*boxes, score])
