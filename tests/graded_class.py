"""A small chapter-01 class graded once by ``python -m dlcourse.grade``, for the tests of what is
made from its results (exports, the report): solved and blank notebooks, plausible mistakes
(two students share one), an endless loop, a crash and a file that is not a notebook."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import numpy as np

from dlcourse import grade
from dlcourse import notebook as nbu
from dlcourse.authoring import NOTEBOOKS, SOLUTIONS

SOLUTION = SOLUTIONS / "01_perceptron.ipynb"
STUDENT = NOTEBOOKS / "01_perceptron.ipynb"
FIRES_AT_ZERO = "def step(z):\n    return np.where(z >= 0, 1.0, 0.0)\n"
NO_BIAS = "def neuron_forward(X, w, b):\n    return X @ w\n"
ENDLESS = "def sign(z):\n    while True:\n        pass\n"
CRASH = "def sign(z):\n    import os\n    os._exit(3)\n"

# student -> {exercise id: code replacing the solution's cell}; None: the blank notebook
CLASS: dict[str, dict[str, str] | None] = {
    "ada": {},
    "ben": None,
    "cleo": {"01.step": FIRES_AT_ZERO},
    "dev": {"01.step": FIRES_AT_ZERO, "01.neuron_forward": NO_BIAS},
    "eli": {"01.sign": ENDLESS},
    "fay": {"01.sign": CRASH},
}


def write_class(folder: Path) -> Path:
    """The class's notebooks (and one broken file) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    solution = nbformat.read(SOLUTION, as_version=4)
    for student, changes in CLASS.items():
        if changes is None:
            nb = nbformat.read(STUDENT, as_version=4)
        else:
            nb = copy.deepcopy(solution)
            for cell in nb.cells:
                if nbu.exercise_id(cell) in changes:
                    cell.source = changes[nbu.exercise_id(cell)]
        nbformat.write(nb, folder / f"{student}.ipynb")
    (folder / "gus.ipynb").write_text("this is not a notebook", encoding="utf-8")
    return folder


def graded_class(tmp: Path) -> tuple[Path, dict]:
    """Grade the class into ``tmp/grades``; return that folder and grades.json's content."""
    out = tmp / "grades"
    code = grade.main([str(write_class(tmp / "class")), "--out", str(out), "--chapter", "01",
                       "--timeout", "3", "--seed", "7", "--jobs", "2", "--quiet"])
    assert code == 1, "gus.ipynb is not a notebook, so the run reports a problem"
    return out, json.loads((out / "grades.json").read_text(encoding="utf-8"))


if __name__ == "__main__":  # python tests/graded_class.py /tmp/somewhere: look at the result
    import sys

    folder, grades = graded_class(Path(sys.argv[1]))
    for name, record in grades["students"].items():
        print(name, record["status"], record["total"], np.round(
            [e["score"] for e in record["exercises"].values()], 2).tolist())
