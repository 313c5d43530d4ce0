"""The class grader's machinery; the command line is ``python -m dlcourse.grade``.

The pipeline, in the order a submission goes through it. ``batch`` drives it; no step imports
``batch`` or the command line (``gradescope``, which wraps a whole run, is the one module
that calls ``batch``):

- ``batch``: the run: the output folder's lock, the thread pool, one error boundary per
  submission, Ctrl-C, resuming, writing the outputs;
- ``intake``: finding the notebooks without following links out of the class folder, opening
  them safely, a unique file-safe id per student (nbgrader's layout gives its own ids);
- ``submission``: parsing a notebook, locating each exercise's cells and the helpers they
  call, the tamper flags;
- ``plan``: the run's cases and expected values, the reference cells, and the *passes*: one
  exercise each, in the default mode with the course's versions of the earlier exercises;
- ``runner``: running the passes and validating every message that comes back;
- ``sandbox``: the bubblewrap sandbox (or, unsafely, a plain process) and its channels;
- ``child``: the program inside it (standalone, sent as source): the zygote and its workers;
- ``scoring``: judging the outcomes into a record per student;
- ``results``: the CSV/JSON tables and each student's feedback, written atomically;
- ``report``, ``exports``, ``gradescope``: the class report, the LMS gradebooks, Gradescope.
"""
