"""Self-check quizzes: a few multiple-choice questions at the end of each chapter.

The questions live in ``dlcourse/quizzes/chNN.py`` (a list ``QUESTIONS``), so the notebook shows
the questions but not the answers. ``show_quiz("01")`` displays them as radio buttons with a
"Check" button each; ``Question.grade`` is the pure logic behind the button.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """A multiple-choice question; ``answer`` is the index of the right choice."""

    prompt: str
    choices: tuple[str, ...]
    answer: int
    explanation: str

    def __post_init__(self):
        if not 0 <= self.answer < len(self.choices):
            raise ValueError(f"Question {self.prompt[:40]!r}: answer {self.answer} is not the "
                             f"index of one of its {len(self.choices)} choices.")

    def grade(self, choice: int | None) -> tuple[bool, str]:
        """Whether ``choice`` (an index, or None) is right, and the feedback to show."""
        if choice is None:
            return False, "Pick an answer first."
        if not 0 <= choice < len(self.choices):
            raise ValueError(f"choice must be between 0 and {len(self.choices) - 1}; "
                             f"got {choice}.")
        if choice == self.answer:
            return True, f"✓ Right. {self.explanation}"
        return False, "✗ Not quite; think again (the explanation appears with the right answer)."


def questions_for(chapter: str) -> list[Question]:
    """The quiz questions of a chapter (``"01"``)."""
    try:
        module = importlib.import_module(f"dlcourse.quizzes.ch{int(chapter):02d}")
    except (ModuleNotFoundError, ValueError):
        raise KeyError(f"no quiz for chapter {chapter!r}.") from None
    return list(module.QUESTIONS)


def show_quiz(chapter: str):
    """Display the chapter's quiz as widgets (one radio group and Check button per question)."""
    import ipywidgets as w

    boxes = []
    for number, question in enumerate(questions_for(chapter), start=1):
        prompt = w.HTML(f"<b>{number}.</b> {question.prompt}")
        options = w.RadioButtons(options=[(c, i) for i, c in enumerate(question.choices)],
                                 value=None, layout=w.Layout(width="auto"))
        button = w.Button(description="Check", button_style="info",
                          layout=w.Layout(width="90px"))
        feedback = w.HTML()

        def on_click(_, q=question, opts=options, out=feedback):
            ok, text = q.grade(opts.value)
            color = "green" if ok else "#b00"
            out.value = f"<span style='color:{color}'>{text}</span>"

        button.on_click(on_click)
        boxes.append(w.VBox([prompt, options, w.HBox([button, feedback])]))
    return w.VBox(boxes)
