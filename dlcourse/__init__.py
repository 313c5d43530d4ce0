"""dlcourse: the helper package behind the deep-learning foundations notebooks.

The package is organised by what things are, not by chapter (``docs/ARCHITECTURE.md`` draws
the layers and says where new code goes):

- reference implementations in NumPy, one module per topic (``activations``, ``losses``,
  ``layers``, ``feedforward``, ``conv``, ``normalization``, ``recurrent``, ``optimizers``,
  ``init``, ``regularization``, ``perceptron``, ...), written from scratch and tested against
  PyTorch, scikit-learn and the seed documents;
- the same ideas in PyTorch, on CUDA, MPS or CPU: ``device``, ``training`` (the course's
  training loop), ``epoch`` (its pieces, as chapter 12 writes them) and ``nets`` (one module per
  architecture);
- ``data``: seeded toy data sets and scikit-learn's bundled digits;
- ``viz`` and ``widgets``: plots and live explorers, each a thin shell over a pure function;
- ``checking`` (how an exercise is checked) and ``exercises`` (the registry of exercises and
  the notebooks' ``check``), ``quiz`` and ``quizzes``: what the notebooks' check and quiz cells
  call;
- ``grade`` and ``grading``: the class grader; ``progress``: a student's own progress;
  ``authoring``: builds student notebooks from the solutions; ``nbgrader_course``: the course
  as an nbgrader course; ``bench``: how fast all of it is.

Importing ``dlcourse`` is cheap: nothing here imports torch until a torch function is called.
"""

__version__ = "0.1.0"
