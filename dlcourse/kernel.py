"""Running a notebook's code cells in a fresh Jupyter kernel, without nbclient.

nbclient can stall on cells that display ipywidgets: the kernel's reply has arrived, but the
client only notices when the cell's timeout expires (jupyter/nbclient#312). The course's
notebooks are full of widgets, so the test suite and the benchmark use this small runner: it
sends each cell and reads the kernel's broadcast (IOPub) messages in short polls until the
kernel reports it is idle again, which it always does, widgets or not.
"""

from __future__ import annotations

import queue
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class CellRun:
    """What one code cell produced: its outputs (IOPub contents), its error, its duration."""

    index: int
    outputs: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, str] | None = None  # {"ename", "evalue"}
    seconds: float = 0.0


class CellTimeoutError(TimeoutError):
    """A cell ran longer than allowed."""


def run_notebook(nb: Any, cwd: str | Path, *, timeout: float = 300.0,
                 startup_timeout: float = 120.0, kernel_name: str = "python3",
                 ) -> list[CellRun]:
    """Execute every code cell of ``nb`` in order in a new kernel started in ``cwd``.

    Errors do not stop the run (like nbclient's ``allow_errors=True``); each is recorded on its
    cell. Raises ``CellTimeoutError`` if one cell takes longer than ``timeout`` seconds.
    """
    from jupyter_client.manager import start_new_kernel

    # the kernel's own log: errors only (not its warning that local TCP is unencrypted)
    km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=startup_timeout,
                              cwd=str(cwd), extra_arguments=["--IPKernelApp.log_level=ERROR"])
    try:
        runs = []
        for index, cell in enumerate(nb.cells):
            if cell.get("cell_type") == "code":
                runs.append(_run_cell(kc, index, cell.source, timeout))
        return runs
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _run_cell(kc, index: int, source: str, timeout: float) -> CellRun:
    run = CellRun(index)
    start = time.monotonic()
    msg_id = kc.execute(source, allow_stdin=False)
    while True:
        if time.monotonic() - start > timeout:
            raise CellTimeoutError(f"cell {index} ran longer than {timeout:g} s")
        try:
            msg = kc.get_iopub_msg(timeout=0.5)
        except queue.Empty:
            continue
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "error":
            run.error = {"ename": content.get("ename", ""), "evalue": content.get("evalue", "")}
        elif kind in ("stream", "display_data", "execute_result"):
            run.outputs.append({"output_type": kind, **content})
        elif kind == "status" and content.get("execution_state") == "idle":
            break
    run.seconds = time.monotonic() - start
    return run
