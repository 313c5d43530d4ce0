"""JupyterLab in headless Chromium, for ``tests/test_browser.py``.

- ``browser_unavailable()`` says why the browser tests cannot run here (no Playwright for
  Python, no Chromium), or None; ``skip_or_fail`` skips with that reason, or fails when
  ``DLCOURSE_REQUIRE_BROWSER=1`` (CI sets it, so CI cannot pass by skipping them).
- ``JupyterLab`` runs ``jupyter lab`` on 127.0.0.1, token-less, on a temporary copy of
  ``notebooks/`` and ``solutions/`` (JupyterLab autosaves), with the news pop-up off and every
  cell kept in the page (``windowingMode: none``), and stops it (and its kernels) by PID.
- ``LabPage`` drives one notebook tab the way a student does: menus, keyboard, the rendered
  outputs.

Chromium is found at ``$DLCOURSE_CHROMIUM`` if set (set it to a path that does not exist to
hide the browser), else as ``chromium``, ``chromium-browser`` or ``google-chrome`` on PATH.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REQUIRE_ENV = "DLCOURSE_REQUIRE_BROWSER"
CHROMIUM_ENV = "DLCOURSE_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]
INSTALL_HINT = ("install them as README.md says under 'For contributors': "
                "`apt-get install -y chromium` and `pip install -r requirements-dev.txt`")

# JupyterLab user settings: no news/update pop-ups; every cell attached to the page (the
# default windowing leaves off-screen cells out of the DOM, where no test could see them).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


# ---------------------------------------------------------------- is a browser here?


def find_chromium() -> str | None:
    """The Chromium executable to use, or None."""
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_unavailable() -> str | None:
    """Why the browser tests cannot run here (None: they can)."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright is not installed")
    if find_chromium() is None:
        where = (f"${CHROMIUM_ENV}={os.environ[CHROMIUM_ENV]} is not an executable"
                 if os.environ.get(CHROMIUM_ENV) else
                 f"none of {', '.join(CHROMIUM_NAMES)} is on PATH")
        missing.append(f"Chromium was not found ({where})")
    if not missing:
        return None
    return f"browser tests need Chromium and Playwright: {'; '.join(missing)}; {INSTALL_HINT}."


def browser_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def skip_or_fail(reason: str) -> None:
    """Skip with ``reason``, or fail if this environment must run the browser tests."""
    if browser_required():
        pytest.fail(f"{REQUIRE_ENV}=1 is set, so the browser tests must run, but {reason}",
                    pytrace=False)
    pytest.skip(reason)


# ---------------------------------------------------------------- the JupyterLab server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descendants(pid: int) -> list[int]:
    try:
        import psutil
    except ImportError:
        return []
    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:
        return []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped by its parent) counts as gone
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


class JupyterLab:
    """``jupyter lab`` serving a temporary copy of the course; use as a context manager."""

    def __init__(self, repo: Path, folders: tuple[str, ...] = ("notebooks", "solutions"),
                 startup_timeout: float = 120.0):
        self.repo = repo
        self.folders = folders
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None
        self.port = 0
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.root = Path()
        self.log_path = Path()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> JupyterLab:
        self._tmp = tempfile.TemporaryDirectory(prefix="dlcourse-lab-")
        base = Path(self._tmp.name)
        self.root = base / "course"
        for folder in self.folders:
            shutil.copytree(self.repo / folder, self.root / folder,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        settings = base / "user-settings"
        for name, values in LAB_SETTINGS.items():
            target = settings / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values), encoding="utf-8")
        for sub in ("workspaces", "runtime", "config"):
            (base / sub).mkdir()
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(base / "runtime"),
                   JUPYTER_CONFIG_DIR=str(base / "config"), PYTHONUNBUFFERED="1")
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            env.setdefault(var, "1")  # kernels inherit it; see conftest.py
        self.port = free_port()
        self.log_path = base / "jupyter-lab.log"
        command = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
            "--IdentityProvider.token=", "--ServerApp.password=",
            f"--ServerApp.root_dir={self.root}", "--LabApp.news_url=None",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={base / 'workspaces'}",
            # window.jupyterapp: lets the tests read the notebook's model (output types,
            # execution counts, the kernel's state) next to what the page shows
            "--LabApp.expose_app_in_browser=True",
            # the REST calls below (shutting kernels down) come without a browser's XSRF cookie
            "--ServerApp.disable_check_xsrf=True",
        ]
        with open(self.log_path, "wb") as log:
            # its own process group, so that stopping it reaches everything it started
            self.process = subprocess.Popen(command, cwd=self.root, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def api(self, path: str, method: str = "GET", timeout: float = 10.0):
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self.process.returncode}:\n"
                                   f"{self.log()[-3000:]}")
            with contextlib.suppress(OSError, ValueError):
                self.api("/api/status", timeout=2)
                return
            time.sleep(0.3)
        raise RuntimeError(f"jupyter lab did not answer within {self.startup_timeout:.0f} s:\n"
                           f"{self.log()[-3000:]}")

    def kernels(self) -> list[dict]:
        return self.api("/api/kernels")

    def shutdown_kernels(self) -> None:
        """Shut every running kernel down through the REST API (each tab's kernel)."""
        with contextlib.suppress(OSError, ValueError):
            for kernel in self.kernels():
                with contextlib.suppress(OSError, ValueError):
                    self.api(f"/api/kernels/{kernel['id']}", method="DELETE", timeout=30)

    def stop(self) -> None:
        """Stop the server and everything it started, by PID; remove the temporary copy."""
        process = self.process
        if process is not None and process.poll() is None:
            self.shutdown_kernels()
            # kernels run in sessions of their own: remember them before the server goes
            children = _descendants(process.pid)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            deadline = time.monotonic() + 10
            for pid in children:
                while _alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.1)
                if _alive(pid):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
        self.process = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


# ---------------------------------------------------------------- driving a notebook tab

# The notebook panel showing `path`, and a summary of its state, computed in the page.
_PANEL_JS = """
(path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  return [...app.shell.widgets('main')].find(w => w.context && w.context.path === path) || null;
}
"""

_STATE_JS = """
([path, findPanel]) => {
  const panel = eval(findPanel)(path);
  if (!panel) return {found: false};
  const session = panel.sessionContext.session;
  const kernel = session ? session.kernel : null;
  const cells = panel.content.widgets;
  let executed = 0, pending = 0, code = 0, errors = 0;
  cells.forEach((cell, i) => {
    cell.node.setAttribute('data-test-cell', String(i));
    if (cell.model.type !== 'code') return;
    code += 1;
    if (cell.model.executionCount !== null) executed += 1;
    const prompt = cell.node.querySelector('.jp-InputArea-prompt');
    if (prompt && prompt.textContent.includes('*')) pending += 1;
    errors += cell.model.outputs.toJSON().filter(o => o.output_type === 'error').length;
  });
  return {
    found: true,
    ready: panel.context.isReady && panel.sessionContext.isReady,
    kernel: kernel ? kernel.status : null,
    kernelId: kernel ? kernel.id : null,
    cells: cells.length, code, executed, pending, errors,
  };
}
"""

_MODEL_JS = """
([path, findPanel]) => eval(findPanel)(path).context.model.toJSON()
"""

# Widget views as ipywidgets 8 renders them: the kind of a saved model -> its CSS selector.
WIDGET_KINDS = {
    "slider": ".widget-hslider, .widget-vslider",
    "dropdown": ".widget-dropdown",
    "button": ".widget-button",
    "select": ".widget-select",
    "radio buttons": ".widget-radio",
    "toggle buttons": ".widget-toggle-buttons",
    "checkbox": ".widget-checkbox",
    "play button": ".widget-play",
    "progress bar": ".widget-hprogress, .widget-vprogress",
}
ANY_WIDGET = ".jupyter-widgets"
WIDGET_BROKEN = ("Error displaying widget", "Loading widget...", "Failed to load model class")


def widget_kind(model_name: str) -> str | None:
    """The kind of control a saved widget model is (None: a container, a label...)."""
    name = model_name.removesuffix("Model")
    if name.endswith("Slider"):
        return "slider"
    return {"Dropdown": "dropdown", "Button": "button", "Select": "select",
            "SelectMultiple": "select", "RadioButtons": "radio buttons",
            "ToggleButtons": "toggle buttons", "Checkbox": "checkbox", "Play": "play button",
            "FloatProgress": "progress bar", "IntProgress": "progress bar"}.get(name)


class NotebookTimeout(AssertionError):
    """The notebook did not reach the awaited state; the message says what it was doing."""


class LabPage:
    """One browser tab with one notebook open in JupyterLab, driven like a student would."""

    _opened = 0  # tabs opened so far, for their workspaces' names

    def __init__(self, lab: JupyterLab, context, path: str, timeout: float = 300.0):
        self.lab = lab
        self.context = context
        self.path = path  # relative to the server's root, e.g. "solutions/01_perceptron.ipynb"
        self.timeout = timeout
        self.page = context.new_page()
        self.page.set_default_timeout(60_000)
        self.kernel_id: str | None = None

    # ------------------------------------------------------------ state

    def state(self) -> dict:
        from playwright.sync_api import Error

        try:
            return self.page.evaluate(_STATE_JS, [self.path, _PANEL_JS]) or {"found": False}
        except Error as err:  # the page is (re)loading: JupyterLab redirects while it starts
            return {"found": False, "page": str(err).splitlines()[0]}

    def model(self) -> dict:
        """The notebook as nbformat JSON, as the page holds it now (outputs included)."""
        return self.page.evaluate(_MODEL_JS, [self.path, _PANEL_JS])

    def wait_for(self, what: str, predicate, timeout: float | None = None) -> dict:
        deadline = time.monotonic() + (timeout or self.timeout)
        state: dict = {}
        while time.monotonic() < deadline:
            state = self.state()
            if state.get("found") and predicate(state):
                return state
            time.sleep(0.25)
        raise NotebookTimeout(f"{self.path}: timed out after {timeout or self.timeout:.0f} s "
                              f"waiting until {what}; last state: {state}")

    def cell(self, index: int):
        """The locator of cell ``index`` (counting markdown cells, as in the .ipynb file)."""
        self.state()  # (re)numbers the cells' nodes
        return self.page.locator(f'[data-test-cell="{index}"]')

    # ------------------------------------------------------------ actions

    def open(self, n_cells: int) -> None:
        """Open the notebook in a fresh workspace and wait until its kernel is idle."""
        # A workspace of its own: JupyterLab moves a tab whose workspace is open in another tab
        # to a new one (a reload), and would reopen the notebooks of earlier tests.
        LabPage._opened += 1
        self.page.goto(f"{self.lab.url}/lab/workspaces/test{LabPage._opened}/tree/{self.path}")
        state = self.wait_for("the notebook shows all its cells and its kernel is idle",
                              lambda s: s["ready"] and s["kernel"] == "idle"
                              and s["cells"] == n_cells, timeout=180)
        self.kernel_id = state["kernelId"]

    def menu(self, menu: str, item: str) -> None:
        exact = re.compile(rf"^{re.escape(menu)}$")
        self.page.locator(".lm-MenuBar-itemLabel", has_text=exact).click()
        exact = re.compile(rf"^{re.escape(item)}$")
        self.page.locator(".lm-Menu-content .lm-Menu-itemLabel", has_text=exact).click()

    def clear_outputs(self) -> None:
        self.menu("Edit", "Clear Outputs of All Cells")
        self.wait_for("the outputs are cleared", lambda s: s["executed"] == 0, timeout=60)

    def run_all(self) -> dict:
        """Run → Run All Cells, then wait until the kernel is idle again and nothing is queued.

        Returns the final state. Run All stops at an error (except in cells tagged
        ``raises-exception``), so "done" is: some cells ran, none is queued, the kernel is
        idle, and either every code cell ran or an error is shown.
        """
        self.menu("Run", "Run All Cells")
        return self.wait_for(
            "Run All has finished (kernel idle, no cell queued)",
            lambda s: s["executed"] > 0 and s["pending"] == 0 and s["kernel"] == "idle"
            and (s["executed"] == s["code"] or s["errors"] > 0))

    def close(self) -> None:
        """Close the tab and shut its kernel down."""
        with contextlib.suppress(Exception):
            self.page.close()
        if self.kernel_id:
            with contextlib.suppress(OSError, ValueError):
                self.lab.api(f"/api/kernels/{self.kernel_id}", method="DELETE", timeout=30)

    # ------------------------------------------------------------ evidence

    def screenshots(self, folder: Path, widget_cells: list[int] = ()) -> list[Path]:
        """Save the whole page and each widget cell's outputs as PNGs under ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        saved = []
        with contextlib.suppress(Exception):
            self.page.screenshot(path=folder / "page.png", full_page=True)
            saved.append(folder / "page.png")
        for index in widget_cells:
            target = folder / f"widget_cell{index:02d}.png"
            with contextlib.suppress(Exception):
                outputs = self.cell(index).locator(".jp-Cell-outputWrapper")
                outputs.scroll_into_view_if_needed(timeout=5_000)
                outputs.screenshot(path=target, timeout=10_000)
                saved.append(target)
        with contextlib.suppress(Exception):
            (folder / "notebook-in-page.ipynb").write_text(json.dumps(self.model(), indent=1),
                                                          encoding="utf-8")
        with contextlib.suppress(Exception):
            (folder / "jupyter-lab.log").write_text(self.lab.log(), encoding="utf-8")
        return saved


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


@contextlib.contextmanager
def screenshots_on_failure(lab_page: LabPage, folder: Path,
                           widget_cells: list[int] = ()) -> Iterator[None]:
    """On a failure inside the block, save screenshots (page, each widget) under ``folder``."""
    try:
        yield
    except (pytest.skip.Exception, KeyboardInterrupt):
        raise
    except BaseException as err:
        saved = lab_page.screenshots(folder, widget_cells)
        if saved and hasattr(err, "add_note"):
            err.add_note(f"screenshots of the page and its widgets: {folder}")
        raise


# ---------------------------------------------------------------- the saved notebooks

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def code_cells(nb: dict) -> list[tuple[int, dict]]:
    return [(i, c) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return text if isinstance(text, str) else "".join(text)


def widget_cells(nb: dict) -> list[int]:
    """Cells whose saved outputs display a widget."""
    return [i for i, c in code_cells(nb)
            if any(WIDGET_VIEW in o.get("data", {}) for o in c.get("outputs", []))]


def figures(cell: dict) -> int:
    """How many images a cell's saved outputs hold (figures drawn outside widgets; the static
    PNG that an explorer's output carries beside its widget view is not shown live)."""
    return sum("image/png" in o.get("data", {}) and WIDGET_VIEW not in o.get("data", {})
               for o in cell.get("outputs", []))


def _widget_models(nb: dict, cell: dict) -> list[dict]:
    """The saved widget models a cell displays, with every model they contain."""
    state = nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    todo = [o["data"][WIDGET_VIEW]["model_id"] for o in cell.get("outputs", [])
            if WIDGET_VIEW in o.get("data", {})]
    seen: set[str] = set()
    models = []
    while todo:
        model_id = todo.pop()
        if model_id in seen or model_id not in state:  # closed widgets are not saved
            continue
        seen.add(model_id)
        models.append(state[model_id])
        for value in state[model_id].get("state", {}).values():
            values = value if isinstance(value, list) else [value]
            todo += [v[len("IPY_MODEL_"):] for v in values
                     if isinstance(v, str) and v.startswith("IPY_MODEL_")]
    return models


def widget_controls(nb: dict, cell: dict) -> dict[str, int]:
    """How many controls of each kind (sliders, dropdowns, ...) a saved cell's widgets hold."""
    counts: dict[str, int] = {}
    for model in _widget_models(nb, cell):
        kind = widget_kind(model.get("model_name", ""))
        if kind:
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def widget_figures(nb: dict, cell: dict) -> int:
    """How many images the widgets of a saved cell showed (their Output widgets' contents)."""
    return sum("image/png" in out.get("data", {}) for model in _widget_models(nb, cell)
               for out in model.get("state", {}).get("outputs", []) or [])


def live_figures(nb: dict, cell: dict) -> int:
    """How many live figures (``dlcourse.widgets.live.LiveFigure``, an anywidget) the widgets
    of a saved cell hold."""
    return sum(model.get("model_name") == "AnyModel" and "scene" in model.get("state", {})
               for model in _widget_models(nb, cell))


def explorer_cells(nb: dict) -> list[int]:
    """Cells that display an explorer: a live figure and at least one slider."""
    return [i for i, c in code_cells(nb)
            if live_figures(nb, c) and widget_controls(nb, c).get("slider")]


def wait_until(condition, timeout: float, interval: float = 0.02) -> bool:
    """Poll ``condition()`` until it is true (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


def wait_for_live_figures(cell, expected: int, timeout: float = 60.0) -> int:
    """Wait until ``cell`` shows at least ``expected`` painted live figures; return how many."""
    deadline = time.monotonic() + timeout
    count = 0
    while time.monotonic() < deadline:
        count = cell.locator(".dlcourse-live[data-frame]").count()
        if count >= expected:
            break
        time.sleep(0.25)
    return count


# Installed once per page: the time of the last key press and of the last click, page clock.
_INPUT_CLOCK_JS = """
() => {
  if (window.__dlcourseClock) return;
  window.__dlcourseClock = {key: 0, click: 0};
  document.addEventListener('keydown', () => { window.__dlcourseClock.key = performance.now(); },
                            true);
  document.addEventListener('mousedown', () => {
    window.__dlcourseClock.click = performance.now(); }, true);
}
"""


class LiveFigureProbe:
    """Reads a live figure in the page: how many pictures it has painted, when (the page's
    clock, ms), the picture itself (a data URL), and the time of the last key press."""

    _SNAPSHOT_JS = """
    el => ({frame: Number(el.dataset.frame || 0), painted_at: Number(el.dataset.paintedAt || 0),
            image: el.querySelector('canvas').toDataURL(),
            key_at: window.__dlcourseClock.key, click_at: window.__dlcourseClock.click})
    """

    def __init__(self, page, element):
        self.page = page
        self.element = element
        page.evaluate(_INPUT_CLOCK_JS)

    def snapshot(self) -> dict:
        return self.element.evaluate(self._SNAPSHOT_JS)

    def wait_for_new_frame(self, before: dict, timeout: float = 30.0) -> dict | None:
        """The first snapshot with a later frame than ``before``, or None after ``timeout``;
        waits a moment more for a second frame (a redraw is coalesced per animation frame, but
        two messages can arrive for one key press)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = self.snapshot()
            if now["frame"] > before["frame"]:
                return now
            time.sleep(0.01)
        return None

    def click_until_text(self, button, text: str, timeout: float = 10.0) -> float | None:
        """Click ``button``, then wait until it shows ``text``; return the time between (ms,
        page clock), or None."""
        button.click()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = button.evaluate("b => [b.textContent.trim(), performance.now()]")
            if shown[0] == text:
                return shown[1] - self.snapshot()["click_at"]
            time.sleep(0.005)
        return None


def error_outputs(nb: dict) -> list[tuple[int, dict]]:
    """(cell index, output) for every error output (tracebacks; stderr text is not an error)."""
    return [(i, o) for i, c in code_cells(nb) for o in c.get("outputs", [])
            if o.get("output_type") == "error"]


def output_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out["text"] if isinstance(out["text"], str) else "".join(out["text"]))
        elif out.get("output_type") == "error":
            parts.append(f"{out['ename']}: {out['evalue']}")
    return "".join(parts)
