"""dlcourse: the helper package behind the deep-learning foundations notebooks.

The package is organised by what things are, not by chapter:

- ``activations``, ``losses``, ``layers``, ``conv``, ``normalization``, ``recurrent``,
  ``optimizers``, ``init``, ``regularization``, ``perceptron``: NumPy reference implementations,
  written from scratch and tested against PyTorch, scikit-learn and the seed documents;
- ``device``, ``models``, ``training``: the same ideas in PyTorch, on CUDA, MPS or CPU;
- ``data``: seeded toy data sets and scikit-learn's bundled digits;
- ``viz`` and ``widgets``: plots and ipywidgets explorers, each a thin shell over a pure function;
- ``checking`` and ``exercises``: the check cells of the notebooks;
- ``grade``: the class grader; ``authoring``: builds student notebooks from the solutions.

Importing ``dlcourse`` is cheap: nothing here imports torch until a torch function is called.
"""

__version__ = "0.1.0"
