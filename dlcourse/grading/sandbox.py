"""Running a submission's code in a fresh, limited and isolated process.

``run_submission`` prepares a work directory (the child program, the cells to run, the inputs
of every case), starts the child and watches its progress. The child gets:

- a wall-clock budget per cell and per exercise, enforced here by killing it;
- limits it applies to itself before any student code runs: address space (memory), CPU time,
  the size of files it writes;
- a fresh temporary working directory and an environment without the grader's variables;
- where the OS allows it (Linux ``unshare`` with user namespaces): new user, mount, PID and
  network namespaces, with the course package and the solutions hidden under empty tmpfs
  mounts and no network at all. Where it does not, the child's audit hook still refuses those
  paths, imports of ``dlcourse``, sockets, subprocesses and signals; ``isolation()`` says which.

If the child dies or is killed while a cell or an exercise is running, that cell (or exercise)
is charged with it and the child is started again for what remains, without it. Nothing from
the child is unpickled: results are JSON plus ``.npz`` loaded with ``allow_pickle=False``, read
with size limits.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dlcourse.checking import studentside

CHILD_SOURCES = (Path(__file__).with_name("child.py"),
                 Path(studentside.__file__))
MAX_RESULT_BYTES = 256 << 20  # what one exercise's results may take, unpacked


@dataclass(frozen=True)
class Limits:
    """Resource limits of one child process."""

    timeout: float = 20.0          # seconds of wall-clock time per cell and per exercise
    memory_mb: int = 4096          # address space
    file_mb: int = 64              # largest file the child may write
    cpu_seconds: int | None = None  # default: derived from the timeout and the amount of work


@dataclass
class CellRun:
    index: int
    role: str  # "setup" or the exercise id
    source: str


@dataclass
class ExerciseJob:
    id: str
    functions: tuple[str, ...]
    driver_source: str
    driver_name: str
    cases: list[tuple[tuple, dict]]
    case_timeout: float


@dataclass
class SubmissionRun:
    """What came back for one submission: records per exercise, and what went wrong where."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # exercise id -> status: message
    cell_errors: dict[int, list[str]] = field(default_factory=dict)
    cell_failures: dict[int, str] = field(default_factory=dict)  # cell killed the process
    events: list[str] = field(default_factory=list)
    restarts: int = 0
    seconds: float = 0.0


@cache
def _allowed_read_roots() -> list[str]:
    import site
    import sysconfig

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, "/dev", "/proc", "/sys",
             "/usr/lib", "/usr/share", "/etc/ld.so.cache"}
    roots.update(site.getsitepackages())
    roots.update(p for p in sysconfig.get_paths().values())
    return sorted(os.path.realpath(r) for r in roots)


@cache
def isolation() -> str:
    """``"namespaces"`` if unshare can give the child its own user/mount/PID/network
    namespaces here, else ``"process"`` (limits and the audit hook only)."""
    unshare = shutil.which("unshare")
    if unshare is None or not sys.platform.startswith("linux"):
        return "process"
    probe = [unshare, "--user", "--map-root-user", "--mount", "--pid", "--fork", "--net",
             "--kill-child", "sh", "-c", "mount -t tmpfs none /tmp && true"]
    try:
        ok = subprocess.run(probe, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ok = False
    return "namespaces" if ok else "process"


def safe_hidden(paths: list[str], workdir: Path) -> list[str]:
    """The paths that can be hidden: never the sandbox's folder or Python's own folders, nor an
    ancestor of them (hiding /tmp would hide the sandbox itself)."""
    keep = [str(workdir), *_allowed_read_roots()]
    out = []
    for path in dict.fromkeys(os.path.realpath(p) for p in paths):
        if any(k == path or k.startswith(path.rstrip(os.sep) + os.sep) for k in keep):
            continue
        out.append(path)
    return out


def _command(workdir: Path, hidden: list[str]) -> list[str]:
    python = [sys.executable, "-I", str(workdir / "child.py")]
    if isolation() != "namespaces":
        return python
    mounts = " && ".join(f"mount -t tmpfs -o ro,size=1k none {_quote(p)}" for p in hidden
                         if os.path.isdir(p))
    script = (mounts + " && " if mounts else "") + "exec " + " ".join(map(_quote, python))
    return [shutil.which("unshare"), "--user", "--map-root-user", "--mount", "--pid", "--fork",
            "--net", "--kill-child", "sh", "-c", script]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _environment(workdir: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "LANG": "C.UTF-8",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
    }


def _prepare(workdir: Path, cells: list[CellRun], exercises: list[ExerciseJob], limits: Limits,
             hidden: list[str], progress_fd: int) -> None:
    for source in CHILD_SOURCES:
        shutil.copy(source, workdir / source.name)
    (workdir / "results").mkdir()
    (workdir / "inputs").mkdir()
    for ex in exercises:
        studentside.save(str(workdir / "inputs" / ex.id), [list(c) for c in ex.cases])
    cpu = limits.cpu_seconds or int(limits.timeout * (len(cells) + len(exercises) + 2)) + 10
    job = {
        "cells": [{"index": c.index, "source": c.source} for c in cells],
        "exercises": [{"id": ex.id, "functions": list(ex.functions),
                       "driver_source": ex.driver_source, "driver_name": ex.driver_name,
                       "case_timeout": ex.case_timeout} for ex in exercises],
        "limits": {"RLIMIT_AS": limits.memory_mb << 20, "RLIMIT_CPU": cpu,
                   "RLIMIT_FSIZE": limits.file_mb << 20, "RLIMIT_CORE": 0},
        "hidden": hidden,
        "allowed_read": _allowed_read_roots(),
        "progress_fd": progress_fd,
    }
    (workdir / "job.json").write_text(json.dumps(job), encoding="utf-8")


def _read_results(path: Path) -> Any:
    """Load a result the child wrote, refusing anything oversized or malformed."""
    npz, js = Path(f"{path}.npz"), Path(f"{path}.json")  # ids contain dots: no with_suffix
    if not js.exists() or not npz.exists():
        raise FileNotFoundError(path.name)
    if js.stat().st_size > MAX_RESULT_BYTES:
        raise ValueError("the result file is too large")
    with zipfile.ZipFile(npz) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_RESULT_BYTES:
            raise ValueError("the returned arrays are too large")
    return studentside.load(str(path))


def _exit_reason(returncode: int, killed: bool, limits: Limits) -> tuple[str, str]:
    if killed:
        return "timeout", f"ran longer than {limits.timeout:g} s and was stopped"
    if returncode < 0:
        sig = -returncode
        if sig == signal.SIGXCPU:
            return "timeout", "used up its CPU time"
        if sig == signal.SIGKILL:
            return "memory", "was killed (out of memory?)"
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else sig
        return "crash", f"crashed (signal {name})"
    if returncode in (128 + signal.SIGKILL, 128 + signal.SIGXCPU):
        return "crash", f"was killed (exit status {returncode})"
    return "exit", f"ended the process itself (os._exit / exit status {returncode})"


def _run_once(cells: list[CellRun], exercises: list[ExerciseJob], limits: Limits,
              hidden: list[str], run: SubmissionRun) -> tuple[str | None, str | None]:
    """Start one child; return (what was running when it died, the failure) or (None, None)."""
    with tempfile.TemporaryDirectory(prefix="dlcourse-grade-") as tmp:
        workdir = Path(tmp)
        hidden = safe_hidden(hidden, workdir)
        read_fd, write_fd = os.pipe()
        try:
            _prepare(workdir, cells, exercises, limits, hidden, write_fd)
            proc = subprocess.Popen(_command(workdir, hidden), cwd=workdir,
                                    env=_environment(workdir), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    pass_fds=(write_fd,), start_new_session=True)
        except BaseException:
            os.close(read_fd)
            raise
        finally:
            os.close(write_fd)
        current: str | None = "start"
        started = time.monotonic()
        killed = False
        buffer = b""
        selector = selectors.DefaultSelector()
        selector.register(read_fd, selectors.EVENT_READ)
        try:
            while True:
                remaining = limits.timeout - (time.monotonic() - started)
                if remaining <= 0:
                    _kill(proc)
                    killed = True
                    break
                if not selector.select(timeout=min(remaining, 0.5)):
                    if proc.poll() is not None:
                        break
                    continue
                chunk = os.read(read_fd, 65536)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    words = line.decode(errors="replace").split()
                    if len(words) == 3 and words[2] == "start":
                        current, started = f"{words[0]} {words[1]}", time.monotonic()
                    elif len(words) == 3 and words[2] == "end":
                        current, started = None, time.monotonic()
                    elif words == ["done"]:
                        current = None
        finally:
            selector.close()
            os.close(read_fd)
        try:
            returncode = proc.wait(timeout=limits.timeout + 5)
        except subprocess.TimeoutExpired:
            _kill(proc)
            returncode = proc.wait()
            killed = True
        _collect(workdir, exercises, run)
        if current is None and returncode == 0 and not killed:
            return None, None
        status, message = _exit_reason(returncode, killed, limits)
        return current or "start", f"{status}: {message}"


def _kill(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _collect(workdir: Path, exercises: list[ExerciseJob], run: SubmissionRun) -> None:
    results = workdir / "results"
    try:
        cells = _read_results(results / "_cells")
        for index, errors in cells.get("errors", {}).items():
            run.cell_errors[int(index)] = [str(e)[:500] for e in errors][:10]
    except Exception:
        pass
    for ex in exercises:
        if ex.id in run.records:
            continue
        try:
            payload = _read_results(results / ex.id)
            records = payload["records"]
            if not isinstance(records, list) or len(records) != len(ex.cases):
                raise ValueError("wrong number of results")
            run.records[ex.id] = [r if isinstance(r, dict) else
                                  {"status": "error", "error": "malformed result"}
                                  for r in records]
            run.events.extend(str(e) for e in payload.get("events", []) if str(e)
                              not in run.events)
        except FileNotFoundError:
            continue
        except Exception as err:
            run.failures[ex.id] = f"error: the results could not be read ({err})"


def run_submission(cells: list[CellRun], exercises: list[ExerciseJob], *, limits: Limits,
                   hidden: list[str]) -> SubmissionRun:
    """Run every exercise of one submission, restarting the child after each fatal failure."""
    run = SubmissionRun()
    start = time.monotonic()
    skip_cells: set[int] = set()
    for _ in range(len(cells) + len(exercises) + 2):
        todo = [ex for ex in exercises if ex.id not in run.records and ex.id not in run.failures]
        if not todo:
            break
        live_cells = [c for c in cells if c.index not in skip_cells]
        where, failure = _run_once(live_cells, todo, limits, hidden, run)
        if failure is None:
            for ex in todo:
                if ex.id not in run.records and ex.id not in run.failures:
                    run.failures[ex.id] = "error: no result came back"
            break
        run.restarts += 1
        kind, _, name = (where or "start").partition(" ")
        if kind == "cell":
            index = int(name)
            skip_cells.add(index)
            run.cell_failures[index] = failure
            role = next(c.role for c in cells if c.index == index)
            if role != "setup" and role not in run.records:
                run.failures[role] = f"{failure} (while its cell was being run)"
        elif kind == "ex":
            run.failures[name] = failure
        else:  # died before any cell started: nothing to blame but the environment
            for ex in todo:
                run.failures.setdefault(ex.id, f"grader error: the sandbox did not start "
                                               f"({failure})")
            break
    run.seconds = time.monotonic() - start
    return run
