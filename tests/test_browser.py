"""The course in a real browser: JupyterLab in headless Chromium, driven the way a student is.

For every chapter that exists (``solutions/NN_*.ipynb``), the solution notebook is opened in
JupyterLab, its saved outputs cleared, and Run All clicked; then no cell may show an error,
every widget cell must render its controls, and every figure must appear as an image. The
explorers of chapters 01, 03 and 07 must redraw when a slider is moved with the keyboard. A
student notebook must stop at its first exercise with that exercise's own message, and pass
once the solution is pasted in.

The tests skip (saying why) where Chromium or Playwright is missing, and fail instead when
``DLCOURSE_REQUIRE_BROWSER=1`` (CI). On a failure, screenshots of the page and of each widget
go to ``test-output/browser/<test>/``. ``DLCOURSE_UPDATE_SCREENSHOT=1`` rewrites the README's
picture of the perceptron explorer, ``docs/images/perceptron_explorer.png``.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import browser_support as bs
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
OUTPUT = ROOT / "test-output" / "browser"
README_SCREENSHOT = ROOT / "docs" / "images" / "perceptron_explorer.png"
UPDATE_SCREENSHOT_ENV = "DLCOURSE_UPDATE_SCREENSHOT"

CHAPTERS = sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))
# The explorers whose sliders must move their figure: (chapter, the function the cell calls).
EXPLORERS = [("01", "decision_line_explorer"), ("03", "activation_explorer"),
             ("07", "optimizer_paths_explorer")]
STUDENT_NOTEBOOK = "01_perceptron.ipynb"

pytestmark = pytest.mark.browser


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def lab():
    """JupyterLab on a free port, serving a temporary copy of notebooks/ and solutions/."""
    reason = bs.browser_unavailable()
    if reason:
        bs.skip_or_fail(reason)
    with bs.JupyterLab(ROOT) as server:
        yield server


@pytest.fixture(scope="session")
def browser(lab):
    """Headless Chromium (Playwright gives it a fresh temporary profile)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=bs.find_chromium(),
                                              args=bs.CHROMIUM_FLAGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield ctx
    ctx.close()


@pytest.fixture(scope="session")
def ran_explorers():
    """Pages of explorer chapters left open by the chapter test for the slider test (saves a
    second run of the same notebook); the slider test runs the notebook itself if absent."""
    pages: dict[str, bs.LabPage] = {}
    yield pages
    for page in pages.values():
        page.close()


def _open_and_run(lab, context, relative: str, saved: dict) -> tuple[bs.LabPage, dict]:
    page = bs.LabPage(lab, context, relative)
    page.open(len(saved["cells"]))
    page.clear_outputs()
    return page, page.run_all()


def _wait_for_images(cell, expected: int, timeout: float = 60.0) -> int:
    """Wait until ``cell`` shows at least ``expected`` loaded images; return how many it has."""
    deadline = time.monotonic() + timeout
    count = 0
    while time.monotonic() < deadline:
        count = cell.locator(".jp-Cell-outputArea img").evaluate_all(
            "imgs => imgs.filter(i => i.complete && i.naturalWidth > 0).length")
        if count >= expected:
            break
        time.sleep(0.25)
    return count


# ---------------------------------------------------------------- every chapter


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_solution_notebook_runs_in_jupyterlab(path: Path, lab, context, ran_explorers):
    saved = _load(path)
    widget_cells = bs.widget_cells(saved)
    page = bs.LabPage(lab, context, f"solutions/{path.name}")
    keep = False
    try:
        with bs.screenshots_on_failure(page, OUTPUT / bs.safe_name(path.stem), widget_cells):
            page.open(len(saved["cells"]))
            page.clear_outputs()
            state = page.run_all()
            live = page.model()

            shown = [f"cell {i}: {o['ename']}: {o['evalue']}" for i, o in bs.error_outputs(live)]
            assert not shown, f"{path.name}: cells show errors in JupyterLab:\n" + "\n".join(shown)
            assert state["executed"] == state["code"], f"{path.name}: not every cell ran: {state}"

            for index in widget_cells:
                cell_json, outputs = saved["cells"][index], page.cell(index).locator(
                    ".jp-Cell-outputArea")
                where = f"{path.name}, cell {index}"
                # Progress bars (tqdm) may close themselves when done (leave=False): only
                # the cell's other controls must be on the page.
                controls = {kind: n for kind, n in bs.widget_controls(saved, cell_json).items()
                            if kind != "progress bar"}
                if controls:
                    outputs.locator(bs.ANY_WIDGET).first.wait_for(state="visible",
                                                                  timeout=60_000)
                text = outputs.inner_text()
                broken = [b for b in bs.WIDGET_BROKEN if b in text]
                assert not broken, f"{where}: the widget shows {broken}"
                for kind, expected in controls.items():
                    shown = outputs.locator(bs.WIDGET_KINDS[kind]).count()
                    assert shown >= expected, (f"{where}: {shown} {kind}(s) rendered, the "
                                               f"saved notebook has {expected}")

            for index, cell_json in bs.code_cells(saved):
                expected = bs.figures(cell_json) + bs.widget_figures(saved, cell_json)
                if expected:
                    found = _wait_for_images(page.cell(index), expected)
                    assert found >= expected, (f"{path.name}, cell {index}: {found} image(s) "
                                               f"shown, the saved notebook has {expected}")
            keep = path.name[:2] in dict(EXPLORERS)
            if keep:
                ran_explorers[path.name[:2]] = page
    finally:
        if not keep:
            page.close()


# ---------------------------------------------------------------- the explorers' sliders


def _screenshot_of(page, parts, path: Path, margin: int = 8) -> None:
    """A screenshot of the smallest rectangle around ``parts`` (locators), plus a margin."""
    boxes = [part.bounding_box() for part in parts]
    left = min(b["x"] for b in boxes) - margin
    top = min(b["y"] for b in boxes) - margin
    right = max(b["x"] + b["width"] for b in boxes) + margin
    bottom = max(b["y"] + b["height"] for b in boxes) + margin
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, clip={"x": max(left, 0), "y": max(top, 0),
                                     "width": right - max(left, 0),
                                     "height": bottom - max(top, 0)})


def _number(text: str) -> float:
    """The number a slider's readout prints ("0.11", "-2.00", "1e-3")."""
    return float(text.strip().replace("−", "-"))


def _wait_for_change(readout, image, text: str, src: str, timeout: float = 60.0):
    """Wait until the slider's printed value and the figure both differ from the given ones."""
    deadline = time.monotonic() + timeout
    now_text, now_src = text, src
    while time.monotonic() < deadline:
        now_text = readout.inner_text()
        if image.count():
            now_src = image.get_attribute("src") or ""
        if now_text != text and now_src and now_src != src:
            break
        time.sleep(0.2)
    return now_text, now_src


@pytest.mark.parametrize(("chapter", "explorer"), EXPLORERS, ids=[f"{c}-{e}" for c, e in EXPLORERS])
def test_explorer_slider_moves_the_figure(chapter: str, explorer: str, lab, context,
                                          ran_explorers):
    found = sorted(SOLUTIONS.glob(f"{chapter}_*.ipynb"))
    if not found:
        pytest.skip(f"chapter {chapter} does not exist yet (no solutions/{chapter}_*.ipynb); "
                    f"its {explorer} is tested here once it does")
    path = found[0]
    saved = _load(path)
    calls = [i for i in bs.widget_cells(saved) if f"{explorer}(" in bs.source(saved["cells"][i])]
    assert calls, f"{path.name}: no cell displays {explorer}(...)"
    index = calls[0]

    page = ran_explorers.pop(chapter, None)
    try:
        if page is None:
            page, state = _open_and_run(lab, context, f"solutions/{path.name}", saved)
            assert state["errors"] == 0, f"{path.name}: errors after Run All: {state}"
        with bs.screenshots_on_failure(page, OUTPUT / f"{chapter}_{explorer}", [index]):
            cell = page.cell(index)
            cell.scroll_into_view_if_needed()
            widget = cell.locator(".jp-OutputArea-output").first
            slider = widget.locator(".widget-hslider").first
            handle = slider.locator(".noUi-handle").first
            readout = slider.locator(".widget-readout").first
            image = widget.locator("img").first
            image.wait_for(state="visible", timeout=60_000)
            if chapter == "01" and os.environ.get(UPDATE_SCREENSHOT_ENV, "") not in ("", "0"):
                _screenshot_of(page.page, [widget.locator(".widget-vbox").first, image],
                               README_SCREENSHOT)

            text, src = readout.inner_text(), image.get_attribute("src")
            handle.focus()
            page.page.keyboard.press("ArrowRight")
            right_text, right_src = _wait_for_change(readout, image, text, src)
            assert _number(right_text) > _number(text), \
                f"ArrowRight did not move the slider up (it shows {right_text!r})"
            assert right_src != src, "the figure did not change after the slider moved right"

            page.page.keyboard.press("ArrowLeft")
            left_text, left_src = _wait_for_change(readout, image, right_text, right_src)
            assert left_text == text, f"ArrowLeft did not move the slider back ({left_text!r})"
            assert left_src != right_src, "the figure did not change after the slider moved left"
    finally:
        if page is not None:
            page.close()


# ---------------------------------------------------------------- a student's notebook


def _exercise_cells(nb: dict) -> list[tuple[int, str]]:
    return [(i, c["metadata"]["dlcourse"]["exercise"]) for i, c in bs.code_cells(nb)
            if c.get("metadata", {}).get("dlcourse", {}).get("exercise")]


def _solution_code(solution: dict, exercise: str) -> str:
    cell = next(solution["cells"][i] for i, ex in _exercise_cells(solution) if ex == exercise)
    lines = bs.source(cell).split("\n")
    return "\n".join(ln for ln in lines if ln.strip() not in ("### BEGIN SOLUTION",
                                                               "### END SOLUTION"))


def test_student_notebook_stops_at_the_first_exercise_then_passes(lab, context):
    from dlcourse.exercises import chapter_exercises

    student = _load(NOTEBOOKS / STUDENT_NOTEBOOK)
    solution = _load(SOLUTIONS / STUDENT_NOTEBOOK)
    first = next(iter(chapter_exercises(STUDENT_NOTEBOOK[:2])))  # e.g. "01.neuron_forward"
    exercise_index = dict((ex, i) for i, ex in _exercise_cells(student))[first]
    check_index = next(i for i, c in bs.code_cells(student)
                       if i > exercise_index and "check" in c["metadata"].get("tags", []))

    page = bs.LabPage(lab, context, f"notebooks/{STUDENT_NOTEBOOK}")
    try:
        with bs.screenshots_on_failure(page, OUTPUT / "student_notebook",
                                       [exercise_index, check_index]):
            page.open(len(student["cells"]))
            page.run_all()
            live = page.model()
            errors = bs.error_outputs(live)
            assert errors, "Run All on an unsolved student notebook showed no error"
            where, error = errors[0]
            assert where == check_index, (f"the first error is in cell {where}, not in the "
                                          f"check cell of {first} (cell {check_index})")
            assert error["ename"] == "ExerciseNotImplemented", error
            assert error["evalue"].startswith(f"{first}: write"), error["evalue"]
            shown = page.cell(check_index).locator(".jp-Cell-outputArea").inner_text()
            assert f"ExerciseNotImplemented: {first}: write" in shown, shown
            assert "not implemented yet" in shown, shown

            # The student writes the solution into the exercise cell and runs it, then the check.
            code = _solution_code(solution, first)
            editor = page.cell(exercise_index).locator(".cm-content")
            editor.click()
            page.page.keyboard.press("Control+A")
            page.page.keyboard.insert_text(code)
            live = page.model()
            assert bs.source(live["cells"][exercise_index]) == code, "the paste did not land"
            before = max(c.get("execution_count") or 0 for _, c in bs.code_cells(live))
            page.page.keyboard.press("Shift+Enter")  # runs the exercise, selects the check
            page.page.keyboard.press("Shift+Enter")  # runs the check
            page.wait_for("the exercise and its check have run again",
                          lambda s: s["kernel"] == "idle" and s["pending"] == 0
                          and _ran_after(page, (exercise_index, check_index), before))
            live = page.model()
            for index in (exercise_index, check_index):
                cell_errors = [o for i, o in bs.error_outputs(live) if i == index]
                assert not cell_errors, f"cell {index} still fails: {cell_errors}"
            text = bs.output_text(live["cells"][check_index])
            assert re.search(r"All \d+ cases passed\.", text), text
            shown = page.cell(check_index).locator(".jp-Cell-outputArea").inner_text()
            assert re.search(r"All \d+ cases passed\.", shown), shown
    finally:
        page.close()


def _ran_after(page: bs.LabPage, indices: tuple[int, ...], count: int) -> bool:
    cells = page.model()["cells"]
    return all((cells[i].get("execution_count") or 0) > count for i in indices)
