"""Self-check quiz of chapter 00: how the course's notebooks work."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "You run a check cell before writing the exercise above it. What happens?",
        wrong("the check passes, since there is nothing to test yet", ""),
        right("it stops with ExerciseNotImplemented, naming the exercise to write",
              "The exercise still raises NotImplementedError, so the check says which exercise "
              "is not written yet, and Run All stops there."),
        wrong("the kernel restarts", ""),
        wrong("it quietly skips the exercise", ""),
    ),
    Question(
        "A check reports a failed case. Where do you look first?",
        wrong("in solutions/, for the answer", ""),
        right("at the case's inputs, the expected and the actual result, the why and the hint",
              "Each failing case lists its inputs, what was expected, what your code returned, "
              "what differs, and often a hint about the usual mistake behind it."),
        wrong("at the versions printed in the first cell", ""),
        wrong("nowhere: run the cell again", ""),
    ),
    Question(
        "Instead of sliders, a widget cell shows a line of text such as HBox(children=(...)). "
        "What is wrong?",
        wrong("the cell has a bug", ""),
        wrong("the kernel is busy", ""),
        right("JupyterLab lacks the widget front-end: install requirements.txt in the "
              "environment JupyterLab runs from, then restart JupyterLab",
              "The text is what a widget looks like where no front-end can draw it: the kernel "
              "works, the browser side is missing."),
        wrong("widgets only work on a GPU", ""),
    ),
    Question(
        "Why does a widget that trains a network have a Train button instead of training as you "
        "drag?",
        wrong("buttons are faster than sliders", ""),
        right("so that dragging a slider never blocks the notebook",
              "Training takes a while; if every slider move started a run, the kernel would "
              "queue runs and stop answering. You set the sliders, then press Train once."),
        wrong("training needs a GPU", ""),
        wrong("sliders cannot hold learning rates", ""),
    ),
]
