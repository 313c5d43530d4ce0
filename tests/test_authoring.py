"""The authoring pipeline: solution regions, student notebooks, lint, and the sync check."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from dlcourse import authoring
from dlcourse import notebook as nbu

SOLUTION_CELL = '''def square(x):
    """Square x."""
    ### BEGIN SOLUTION
    y = x * x
    return y
    ### END SOLUTION
'''


def test_strip_solution_keeps_signature_and_docstring():
    out = authoring.strip_solution(SOLUTION_CELL, "99.square")
    assert 'def square(x):\n    """Square x."""\n    # YOUR CODE HERE\n' in out
    assert 'raise NotImplementedError("99.square: write your code here' in out
    assert "y = x * x" not in out
    namespace: dict = {}
    exec(out, namespace)
    with pytest.raises(NotImplementedError, match="99.square"):
        namespace["square"](2)


@pytest.mark.parametrize(("source", "message"), [
    ("def f():\n    ### BEGIN SOLUTION\n    pass\n", "never closed"),
    ("def f():\n    pass\n    ### END SOLUTION\n", "without a BEGIN"),
    ("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", "inside the function body"),
    ("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n", "inside another"),
])
def test_strip_solution_rejects_broken_markers(source, message):
    with pytest.raises(authoring.AuthoringError, match=message):
        authoring.strip_solution(source, "99.x")


def _notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["dlcourse"] = {"chapter": "01"}
    setup = nbformat.v4.new_code_cell("import numpy as np", execution_count=1)
    setup.metadata["tags"] = ["setup"]
    ex = nbformat.v4.new_code_cell(SOLUTION_CELL, execution_count=2)
    ex.metadata.update({"tags": ["exercise"], "dlcourse": {"exercise": "99.square"}})
    chk = nbformat.v4.new_code_cell('check("99.square", square)', execution_count=3)
    chk.metadata["tags"] = ["check"]
    chk.outputs = [nbformat.v4.new_output("stream", text="passed\n")]
    use = nbformat.v4.new_code_cell("print(square(3))", execution_count=4)
    plain = nbformat.v4.new_code_cell("print(1 + 1)", execution_count=5)
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), setup, ex, chk, use, plain]
    nb.metadata["widgets"] = {"state": {}}
    return nb


def test_student_version_clears_outputs_and_tags_dependent_cells():
    student = authoring.student_version(_notebook())
    cells = student.cells
    assert all(c.outputs == [] and c.execution_count is None for c in cells[1:])
    assert "NotImplementedError" in cells[2].source
    assert authoring.RAISES_TAG in nbu.tags(cells[3]) and authoring.RAISES_TAG in nbu.tags(cells[4])
    assert authoring.RAISES_TAG not in nbu.tags(cells[5])
    assert authoring.RAISES_TAG not in nbu.tags(cells[1])
    assert "widgets" not in student.metadata
    assert nbu.exercise_id(cells[2]) == "99.square"


def test_lint_finds_structural_problems(tmp_path):
    nb = _notebook()
    problems = authoring.lint(tmp_path / "01_perceptron.ipynb", nb)
    text = "\n".join(problems)
    assert "not defined in dlcourse/exercises" in text  # 99.square is not a chapter-01 exercise
    assert "no check cell calls check('01.neuron_forward'" in text
    nb.cells[1].source = "import numpy as np\nimport dlcourse"
    nb.cells[4].execution_count = None
    text = "\n".join(authoring.lint(tmp_path / "01_perceptron.ipynb", nb))
    assert "may import only" in text and "dlcourse" in text
    assert "not executed" in text
    first = authoring.lint(tmp_path / "perceptron.ipynb", nb)[0]
    assert first.endswith("(two digits, lower-case words).")


def test_the_repository_is_consistent():
    problems = authoring.check_notebooks()
    assert problems == [], "\n".join(problems)


def test_check_command_fails_when_a_student_notebook_drifts(tmp_path):
    solution = authoring.SOLUTIONS / "01_perceptron.ipynb"
    out = tmp_path / "notebooks"
    assert authoring.build([solution], out) == [out / solution.name]
    assert authoring.build([solution], out) == []  # nothing to do the second time
    assert authoring.check_notebooks([solution], out) == []
    target = out / solution.name
    target.write_text(target.read_text().replace("YOUR CODE HERE", "my code"))
    problems = authoring.check_notebooks([solution], out)
    assert any("out of date" in p for p in problems)


def test_command_line_check_exit_status():
    result = subprocess.run([sys.executable, "-m", "dlcourse.authoring", "check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "consistent" in result.stdout


def test_import_script_builds_tagged_cells(tmp_path):
    draft = tmp_path / "d.py"
    draft.write_text('# %% [markdown]\n# # Title\n# text\n\n# %% tags=["setup"]\n'
                     'import numpy as np\n\n# %% exercise="01.step"\ndef step(z):\n'
                     '    ### BEGIN SOLUTION\n    return z\n    ### END SOLUTION\n')
    nb = authoring.import_script(draft, "01")
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
    assert nb.cells[0].source == "# Title\ntext"
    assert nbu.is_setup(nb.cells[1])
    assert nbu.exercise_id(nb.cells[2]) == "01.step" and "exercise" in nbu.tags(nb.cells[2])
    assert nb.cells[2].metadata["nbgrader"]["solution"] is True
    assert nb.metadata["dlcourse"]["chapter"] == "01"


def test_read_notebook_errors_are_clear(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text('{"cells": [')
    with pytest.raises(nbu.NotebookError, match=r"not valid JSON.*truncated"):
        nbu.read_notebook(bad)
    bad.write_text("")
    with pytest.raises(nbu.NotebookError, match="empty"):
        nbu.read_notebook(bad)
    bad.write_text("[1, 2]")
    with pytest.raises(nbu.NotebookError, match="not a notebook"):
        nbu.read_notebook(bad)
    with pytest.raises(nbu.NotebookError, match="no such file"):
        nbu.read_notebook(tmp_path / "missing.ipynb")


def test_function_parameters_are_not_reads_of_earlier_results():
    nb = _notebook()
    nb.cells[4].source = "k = square(3)"
    nb.cells[5].source = "def scale(k, factor=2):\n    return k * factor\nprint(scale(4))"
    assert authoring.dependent_cells(nb) == {3: True, 4: True}
