"""Self-check quiz of chapter 00: how the course's notebooks work."""

from dlcourse.quiz import Question

QUESTIONS = [
    Question(
        "You run a check cell before writing the exercise above it. What happens?",
        ("the check passes, since there is nothing to test yet",
         "it stops with ExerciseNotImplemented, naming the exercise to write",
         "the kernel restarts", "it quietly skips the exercise"),
        1,
        "The exercise still raises NotImplementedError, so the check says which exercise is "
        "not written yet, and Run All stops there.",
    ),
    Question(
        "A check reports a failed case. Where do you look first?",
        ("in solutions/, for the answer",
         "at the case's inputs, the expected and the actual result, the why and the hint",
         "at the versions printed in the first cell", "nowhere: run the cell again"),
        1,
        "Each failing case lists its inputs, what was expected, what your code returned, what "
        "differs, and often a hint about the usual mistake behind it.",
    ),
    Question(
        "Instead of sliders, a widget cell shows a line of text such as HBox(children=(...)). "
        "What is wrong?",
        ("the cell has a bug", "the kernel is busy",
         "JupyterLab lacks the widget front-end: install requirements.txt in the environment "
         "JupyterLab runs from, then restart JupyterLab",
         "widgets only work on a GPU"),
        2,
        "The text is what a widget looks like where no front-end can draw it: the kernel works, "
        "the browser side is missing.",
    ),
    Question(
        "Why does a widget that trains a network have a Train button instead of training as "
        "you drag?",
        ("buttons are faster than sliders", "so that dragging a slider never blocks the notebook",
         "training needs a GPU", "sliders cannot hold learning rates"),
        1,
        "Training takes a while; if every slider move started a run, the kernel would queue "
        "runs and stop answering. You set the sliders, then press Train once.",
    ),
]
