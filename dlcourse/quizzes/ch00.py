"""Self-check quiz of chapter 00: how the course's notebooks work."""

from dlcourse.quiz import Question, right, wrong

QUESTIONS = [
    Question(
        "You run a check cell before writing the exercise above it. What happens?",
        wrong("the check passes, since there is nothing to test yet",
              "A check never passes code it could not run: the exercise still raises "
              "NotImplementedError, and the check reports exactly that instead of a pass."),
        right("it stops with ExerciseNotImplemented, naming the exercise to write",
              "The exercise still raises NotImplementedError, so the check says which exercise "
              "is not written yet, and Run All stops there."),
        wrong("the kernel restarts and the notebook's variables are lost",
              "Nothing crashes: NotImplementedError is an ordinary Python exception that the "
              "check catches and reports; the kernel keeps running with every variable."),
        wrong("it quietly skips the exercise and goes on with the next cell",
              "Skipping quietly would let Run All sail past unwritten work. The check stops "
              "with an error on purpose, so Run All halts at the first exercise still to do."),
    ),
    Question(
        "A check reports a failed case. Where do you look first?",
        wrong("in solutions/, for the answer to copy",
              "Copying teaches nothing, and the report already says on which input your code "
              "went wrong and how; solutions/ is for when you are truly stuck."),
        right("at the case's inputs, the expected and the actual result, the why and the hint",
              "Each failing case lists its inputs, what was expected, what your code returned, "
              "what differs, and often a hint about the usual mistake behind it."),
        wrong("at the versions printed in the first cell, to see what is out of date",
              "Versions matter for set-up problems (a missing package, an old torch), not for "
              "a wrong result that the check has pinned to one input."),
        wrong("nowhere: run the check again until it passes",
              "The code has not changed, so it fails in the same way again; the report is the "
              "information you need to change it."),
    ),
    Question(
        "Instead of sliders, a widget cell shows a line of text such as HBox(children=(...)). "
        "What is wrong?",
        wrong("the cell has a bug in its Python code",
              "A bug would raise an error with a traceback. The line is the widget's plain-text "
              "form, which is printed when nothing in the browser can draw the widget."),
        wrong("the kernel is still busy computing the widget",
              "A busy kernel shows [*] beside the cell and no output yet; here the cell has "
              "finished and produced the widget, only its drawing is missing."),
        right("JupyterLab lacks the browser side of ipywidgets",
              "The text is what a widget looks like where no front-end can draw it: the kernel "
              "works, the browser side is missing. Install requirements.txt in the environment "
              "JupyterLab runs from, then restart JupyterLab."),
        wrong("widgets only work on a machine with a GPU",
              "Widgets are drawn by JavaScript in the browser and have nothing to do with the "
              "device torch computes on; they work on any laptop."),
    ),
    Question(
        "Why does a widget that trains a network have a Train button instead of training as "
        "you drag?",
        wrong("buttons respond faster than sliders in JupyterLab",
              "Neither control is slow; what takes time is the training a control starts, and "
              "the button starts it once, when you ask."),
        right("so that dragging a slider never blocks the notebook",
              "Training takes a while; if every slider move started a run, the kernel would "
              "queue runs and stop answering. You set the sliders, then press Train once."),
        wrong("training needs a GPU, and the button checks for one first",
              "Every training widget of the course runs on a CPU in seconds; the button is "
              "about not starting a run at every slider move."),
        wrong("sliders cannot hold learning rates, only buttons can",
              "They can (the course uses log-scale sliders for learning rates): you set the "
              "rate with a slider, and the button starts training with it."),
    ),
]
