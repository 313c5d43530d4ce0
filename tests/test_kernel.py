"""The notebook runner used by the tests and the benchmark."""

from __future__ import annotations

import nbformat
import pytest

from dlcourse.kernel import CellTimeoutError, run_notebook


def _nb(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# title")]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def test_runs_cells_in_order_and_records_outputs_and_errors(tmp_path):
    (tmp_path / "data.txt").write_text("here")
    runs = run_notebook(_nb("x = 2", "print(x * 21)", "1 / 0", "print(open('data.txt').read())",
                            "import ipywidgets as w\nw.IntSlider(3)"), tmp_path)
    assert [r.index for r in runs] == [1, 2, 3, 4, 5]
    assert runs[1].outputs[0]["text"] == "42\n"
    assert runs[2].error["ename"] == "ZeroDivisionError"
    assert runs[3].outputs[0]["text"] == "here\n"  # the kernel runs in the given folder
    assert "application/vnd.jupyter.widget-view+json" in runs[4].outputs[0]["data"]


def test_a_cell_that_runs_too_long_is_reported(tmp_path):
    with pytest.raises(CellTimeoutError, match="cell 1"):
        run_notebook(_nb("import time\ntime.sleep(30)"), tmp_path, timeout=2)
