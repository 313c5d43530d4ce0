"""The class report in a real browser: Chromium opens grades/report.html from disk (no server,
no network) and every figure loads.

Like the JupyterLab tests, this skips (saying why) without Chromium or Playwright and fails
instead when ``DLCOURSE_REQUIRE_BROWSER=1``. A screenshot of the page goes to
``test-output/report/report.png``; ``DLCOURSE_UPDATE_SCREENSHOT=1`` also rewrites the README's
picture, ``docs/images/class_report.png``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import browser_support as bs
import pytest
from graded_class import graded_class

from dlcourse.grading import report

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output" / "report"
README_SCREENSHOT = ROOT / "docs" / "images" / "class_report.png"

pytestmark = pytest.mark.browser


def test_report_opens_in_chromium_with_every_figure(tmp_path):
    reason = bs.browser_unavailable()
    if reason:
        bs.skip_or_fail(reason)
    from playwright.sync_api import sync_playwright

    out, grades = graded_class(tmp_path)
    path = report.write_report(out)
    n_images = path.read_text(encoding="utf-8").count("<img ")
    assert n_images == 2
    OUTPUT.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=bs.find_chromium(),
                                             args=bs.CHROMIUM_FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.goto(path.as_uri(), wait_until="load")
            loaded = page.eval_on_selector_all(
                "img", "images => images.map(i => i.complete && i.naturalWidth > 0)")
            sizes = page.eval_on_selector_all(
                "img", "images => images.map(i => [i.naturalWidth, i.naturalHeight])")
            assert loaded == [True] * n_images, f"figures that did not load: {loaded}"
            assert all(w > 200 and h > 100 for w, h in sizes), sizes
            assert page.locator("h1").inner_text().startswith("Chapter 01")
            links = page.eval_on_selector_all("a", "links => links.map(a => a.href)")
            assert len(links) == len(grades["students"])
            assert all(link.startswith("file://") and link.endswith(".md") for link in links)
            shot = OUTPUT / "report.png"
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    outside = [url for url in requests if not url.startswith(("file://", "data:"))]
    assert not outside, f"the report asked the network for {outside}"
    if os.environ.get("DLCOURSE_UPDATE_SCREENSHOT", "") not in ("", "0"):
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, README_SCREENSHOT)
