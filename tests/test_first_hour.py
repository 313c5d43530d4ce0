"""A student's first hour: the README's opening, the tour notebook, the environment report.

The README starts with what the course is, a real screenshot of a widget, the set-up commands
and where to begin; every notebook opens with the environment report; the report names what is
wrong with an environment (missing or too-old packages, a backend that hides figures).
"""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

import nbformat
import pytest

from dlcourse import env
from dlcourse.authoring import NOTEBOOKS, SOLUTIONS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCREENSHOT = ROOT / "docs" / "images" / "perceptron_explorer.png"
CHAPTERS = sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_readme_opens_with_the_course_a_screenshot_the_setup_and_where_to_start():
    top = README.split("## Chapters")[0]
    assert top.index("interactive course") < top.index("docs/images/perceptron_explorer.png")
    assert top.index("perceptron_explorer.png") < top.index("## Set up")
    assert "python3 -m venv .venv" in top and "pip install -r requirements.txt" in top
    assert "notebooks/00_start_here.ipynb" in top and "notebooks/01_perceptron.ipynb" in top
    width, height = _png_size(SCREENSHOT)  # written by tests/test_browser.py, never drawn
    assert width >= 400 and height >= 200, (width, height)


def test_readme_tells_contributors_how_to_run_the_browser_tests():
    section = README.split("## For contributors")[1].split("\n## ")[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in ("apt-get install -y chromium", "pip install -r requirements-dev.txt",
                    "DLCOURSE_REQUIRE_BROWSER=1"):
        assert command in section, command
        assert command in ci, command
    assert re.search(r"^playwright==\S+$", (ROOT / "requirements-dev.txt").read_text(),
                     re.MULTILINE)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_notebook_opens_with_the_environment_report(path: Path):
    nb = nbformat.read(path, as_version=4)
    first = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert re.search(r"from dlcourse\.env import report\b", first.source), first.source
    assert re.search(r"^report\(", first.source, re.MULTILINE), first.source
    assert "nbval-ignore-output" in first.metadata.get("tags", []), \
        "the report prints versions and the device, which differ between machines"


def test_the_tour_exists_for_students():
    assert (SOLUTIONS / "00_start_here.ipynb").exists()
    assert (NOTEBOOKS / "00_start_here.ipynb").exists()


def test_report_names_packages_that_are_too_old(monkeypatch):
    real = env._version
    monkeypatch.setattr(env, "_version",
                        lambda d: "7.8.1" if d == "ipywidgets" else real(d))
    problems = env.environment_problems()
    assert any("ipywidgets 7.8.1 is older than the course needs (8.1 or newer)" in p
               for p in problems), problems
    monkeypatch.setattr(env, "_version", lambda d: "2.13.0+cu121" if d == "torch" else real(d))
    assert not any("torch" in p for p in env.environment_problems())


def test_report_warns_when_a_backend_keeps_figures_out_of_the_notebook(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ipykernel", sys.modules.get("ipykernel") or object())
    monkeypatch.setenv("MPLBACKEND", "agg")
    monkeypatch.setenv("DLCOURSE_DEVICE", "cpu")
    env.report()
    out = capsys.readouterr().out
    assert "⚠ MPLBACKEND=agg is set, so figures will not appear" in out
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    assert not any("MPLBACKEND" in p for p in env.environment_problems())


@pytest.mark.parametrize(("version", "release"), [("2.13.0+cpu", (2, 13, 0)),
                                                  ("1.26", (1, 26)), ("2.5.0.dev0", (2, 5, 0))])
def test_release_reads_the_leading_numbers(version, release):
    assert env._release(version) == release
