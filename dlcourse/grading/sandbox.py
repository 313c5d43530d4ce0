"""Starting the sandbox a submission runs in, and talking to it.

The sandbox is **bubblewrap** (``bwrap``, Debian's ``bubblewrap`` package): a new root that is
a private tmpfs holding, read-only, only what Python needs (``/usr``, the interpreter's prefix,
the virtual environment's ``site-packages``), and one writable, size-limited tmpfs, ``/tmp``.
The course package, ``solutions/``, the class folder, the output folder and every other
submission are simply not there. It has no network, its own PID, IPC, UTS and user namespaces
(uid 65534, further user namespaces disabled), no capabilities, a new session, and it dies
with the grader. Inside it, the child program (``child.py``) applies the rlimits (memory, CPU,
file size, open files, processes) and a seccomp filter before any student code runs.

Without bubblewrap the grader refuses to run unless told ``--unsafe-process-isolation``: then
the child is a plain process in an empty temporary folder with the same limits and filter, and
nothing hides the instructor's files from it (``grades.json`` and stderr say so).

``Sandbox`` is one running sandbox: ``send`` writes a message, ``receive`` reads the next one
with a deadline that nothing the sandbox says can extend. Messages are length-prefixed JSON;
a frame over the size limit, or one that is not JSON, ends the conversation
(``ProtocolError``). ``Launcher`` starts sandboxes for a run and can kill all of them at once
(Ctrl-C).
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import site
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dlcourse.checking import studentside
from dlcourse.checking.status import CRASH, EXIT, MEMORY, TIMEOUT
from dlcourse.grading import child

BUBBLEWRAP = "bubblewrap"
PROCESS = "process (unsafe)"
PACKAGE_DIR = Path(__file__).resolve().parent.parent
SCRATCH_CHOICES = ("/tmp", "/scratch", "/dlcourse-scratch")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one submission's sandbox."""

    timeout: float = 20.0            # wall-clock seconds per exercise: its cells and its cases
    submission_timeout: float = 0.0  # wall-clock seconds for the whole submission (0: derived)
    memory_mb: int = 4096            # address space of the sandboxed process
    file_mb: int = 64                # largest file it may write
    scratch_mb: int = 64             # size of its writable /tmp
    open_files: int = 512
    processes: int = 64              # threads count too; new processes are refused anyway
    message_mb: int = 32             # largest single message it may send
    pass_mb: int = 128               # all it may send for one exercise
    results_mb: int = 256            # all the values the grader keeps for one submission
    startup_timeout: float = 60.0    # seconds for the sandbox to say it is ready

    def for_submission(self, exercises: int) -> float:
        """The wall-clock cap of a submission of ``exercises`` exercises."""
        return self.submission_timeout or self.timeout * (exercises + 1)


class SandboxUnavailable(RuntimeError):
    """Bubblewrap is missing or cannot create its namespaces here (the message says why)."""


class GradingInterrupted(Exception):
    """The run was stopped (Ctrl-C): no new sandbox starts, the running ones are killed."""


class ChannelClosed(Exception):
    """The sandbox ended (or closed its channel) before the expected message."""


class ChannelTimeout(Exception):
    """The deadline passed before the expected message."""


class ProtocolError(Exception):
    """The sandbox sent something that is not a well-formed message within the limits."""


# ---------------------------------------------------------------- what the sandbox contains


def _python_roots() -> list[str]:
    """The folders Python needs, read-only: its prefixes and its site-packages folders (not
    the current folder or anything else on ``sys.path``), outermost first, none inside another."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.realpath(sys.executable)), *site.getsitepackages()}
    out: list[str] = []
    for root in sorted({os.path.realpath(r) for r in roots if r and os.path.isdir(r)}, key=len):
        if not any(root == r or root.startswith(r.rstrip(os.sep) + os.sep) for r in out):
            out.append(root)
    return out


def _masks(roots: list[str], hidden: list[str]) -> list[str]:
    """The hidden folders that lie inside a bound folder (the course package installed into
    site-packages, a class folder inside the virtual environment...): each is covered with an
    empty, read-only tmpfs. Hidden folders elsewhere are simply not in the sandbox, even when
    a bound folder lies inside them (the project folder holding its .venv: only .venv is
    there)."""
    candidates = {os.path.realpath(h) for h in hidden}
    for folder in site.getsitepackages():
        for name in ("dlcourse", "solutions"):
            candidates.add(os.path.realpath(os.path.join(folder, name)))
    masks = []
    for path in sorted(candidates, key=len):
        if not os.path.isdir(path) or any(path.startswith(m + os.sep) for m in masks):
            continue
        if any(path.startswith(r.rstrip(os.sep) + os.sep) for r in roots):
            masks.append(path)
        elif any(r == path for r in roots):
            raise SandboxUnavailable(
                f"{path} must be hidden from student code, but Python needs it (it is a "
                "virtual environment or site-packages folder); grade from another folder")
    return masks


def _system_binds() -> list[str]:
    args: list[str] = ["--ro-bind", "/usr", "/usr"]
    for name in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(name):
            args += ["--symlink", os.readlink(name), name]
        elif os.path.isdir(name):
            args += ["--ro-bind", name, name]
    for name in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
                 "/etc/alternatives"):
        args += ["--ro-bind-try", name, name]
    return args


@cache
def sandbox_scratch() -> str:
    """The sandbox's one writable folder: ``/tmp``, unless Python itself lives under ``/tmp``
    (a virtual environment in a checkout there): a tmpfs on ``/tmp`` would then hide it, so
    the scratch folder goes elsewhere and ``/tmp`` stays read-only."""
    roots = _python_roots()
    for path in SCRATCH_CHOICES:
        if not any(r == path or r.startswith(path + os.sep) for r in roots):
            return path
    raise SandboxUnavailable("no folder is free for the sandbox's scratch space")


def bwrap_command(limits: Limits, hidden: list[str] = ()) -> list[str]:
    """The bubblewrap command line (without the program to run); ``hidden`` are folders that
    must not be visible (besides the course package and solutions, always hidden)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed")
    roots = _python_roots()
    # --as-pid-1: the zygote is the namespace's init, not bubblewrap's own init process, which
    # would be a process of the same user without the zygote's limits, seccomp filter or
    # PR_SET_DUMPABLE = 0: a worker could write into its memory through /proc/1/mem, run
    # code there unfiltered and outlive the grader. As init, the zygote also ignores every
    # signal sent from inside the sandbox.
    args = [bwrap, "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
            "--disable-userns", "--cap-drop", "ALL", "--die-with-parent", "--new-session",
            "--as-pid-1", "--hostname", "sandbox", *_system_binds()]
    for root in roots:
        args += ["--ro-bind", root, root]
    hidden = [str(PACKAGE_DIR), str(PACKAGE_DIR.parent / "solutions"), *hidden]
    for mask in _masks(roots, hidden):
        args += ["--tmpfs", mask, "--remount-ro", mask]
    # the root itself is a tmpfs too, writable and without a size limit unless made read-only:
    # the scratch folder (/tmp) must be the only place the sandbox can write. /proc/sys
    # read-only: where the grader runs as root (CI, Gradescope), the sandbox's user is root
    # outside, and the kernel lets root's uid write the machine's sysctls
    # (kernel.core_pattern...) without a capability
    args += ["--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys",
             "--dev", "/dev", "--remount-ro", "/dev",
             "--size", str(limits.scratch_mb << 20), "--tmpfs", sandbox_scratch(),
             "--remount-ro", "/", "--chdir", sandbox_scratch(), "--"]
    return args


def _environment(home: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8",
            "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": os.path.join(home, ".matplotlib")}


@cache
def bubblewrap_problem() -> str | None:
    """None if a bubblewrap sandbox starts here, else why not (cached for the process)."""
    try:
        command = bwrap_command(Limits())
    except SandboxUnavailable as err:
        return str(err)
    probe = [*command, sys.executable, "-I", "-c", "import numpy; print('ok')"]
    try:
        done = subprocess.run(probe, capture_output=True, timeout=60,
                              env=_environment(sandbox_scratch()))
    except (OSError, subprocess.SubprocessError) as err:
        return f"bubblewrap could not be started ({err})"
    if done.returncode != 0 or done.stdout.strip() != b"ok":
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        return f"bubblewrap cannot create its sandbox here ({detail[0][:200]})"
    return None


# ---------------------------------------------------------------- one sandbox


# Brackets, braces, commas and colons in one message from the sandbox, counted before it is
# parsed: a value holds at most studentside.MAX_NODES parts (arrays travel as one string), but
# 32 MB of "[]," would cost the grader 10 million lists, a second of memory and a dozen seconds
# of parsing that hold the interpreter lock (the other submissions' threads wait meanwhile).
MAX_STRUCTURE = 5 * studentside.MAX_NODES


class FrameReader:
    """Length-prefixed JSON frames from one pipe, read without blocking, each within a size
    limit (checked on the length prefix, before the frame is buffered) and a limit on its
    structure (checked before it is parsed)."""

    def __init__(self, fd: int, limit: int, name: str):
        self.fd, self.limit, self.name = fd, limit, name
        self.buffer = bytearray()
        self.received = 0
        self.closed = False
        os.set_blocking(fd, False)

    def next_frame(self) -> dict[str, Any] | None:
        if len(self.buffer) < 4:
            return None
        size = int.from_bytes(self.buffer[:4], "big")
        if size > self.limit:
            raise ProtocolError(f"a message of {size:,} bytes on the {self.name} channel, over "
                                f"the limit of {self.limit:,}")
        if len(self.buffer) < 4 + size:
            return None
        data = bytes(self.buffer[4:4 + size])
        del self.buffer[:4 + size]
        if sum(data.count(c) for c in (b"[", b"{", b",", b":")) > MAX_STRUCTURE:
            raise ProtocolError(f"a message of more than {MAX_STRUCTURE:,} parts on the "
                                f"{self.name} channel")
        try:
            message = json.loads(data)
        except (ValueError, RecursionError):
            raise ProtocolError(f"a message that is not JSON on the {self.name} channel"
                                ) from None
        if not isinstance(message, dict):
            raise ProtocolError(f"a message that is not a JSON object on the {self.name} "
                                "channel")
        return message

    def fill(self) -> None:
        try:
            chunk = os.read(self.fd, 1 << 20)
        except BlockingIOError:
            return
        if not chunk:
            self.closed = True
        self.received += len(chunk)
        self.buffer += chunk


class Sandbox:
    """One running sandbox: its zygote's trusted control channel and the workers' untrusted
    data channel (see ``child``), and the pipe that sends it work."""

    CONTROL, DATA = "control", "data"

    def __init__(self, proc: subprocess.Popen, limits: Limits, scratch: str | None):
        self.proc = proc
        self.limits = limits
        self.scratch = scratch  # a temporary folder to remove (process isolation only)
        self.killed = False
        self.seccomp = False  # whether its workers must install the seccomp filter
        self.dirty = False    # its /tmp could not be emptied: replace it before the next pass
        self._in = proc.stdin.fileno()
        os.set_blocking(self._in, False)
        self.data = FrameReader(proc.stdout.fileno(), limits.message_mb << 20, self.DATA)
        self.control = FrameReader(proc.stderr.fileno(), 1 << 20, self.CONTROL)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.data.fd, selectors.EVENT_READ, self.data)
        self._selector.register(self.control.fd, selectors.EVENT_READ, self.control)

    def send(self, message: dict[str, Any] | bytes, deadline: float) -> None:
        """Write a message; raise ChannelTimeout if the sandbox does not take it in time."""
        data = message if isinstance(message, bytes) else \
            json.dumps(message, allow_nan=False).encode("utf-8")
        view = memoryview(len(data).to_bytes(4, "big") + data)
        with selectors.DefaultSelector() as selector:
            selector.register(self._in, selectors.EVENT_WRITE)
            while view:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ChannelTimeout("the sandbox did not take its input in time")
                if not selector.select(timeout=min(left, 0.5)):
                    continue
                try:
                    view = view[os.write(self._in, view):]
                except BlockingIOError:
                    continue
                except OSError:
                    raise ChannelClosed("the sandbox ended") from None

    def receive(self, deadline: float) -> tuple[str, dict[str, Any]]:
        """The next message and its channel (``"control"`` first when both have one).
        Raises ChannelTimeout, ChannelClosed (the sandbox ended) or ProtocolError. The
        deadline is the caller's: nothing received moves it. Past the deadline the pipes are
        still read without waiting, so that a grader thread that could not run for a while (the
        machine busy, another thread parsing) still sees what arrived in time."""
        while True:
            for reader in (self.control, self.data):
                message = reader.next_frame()
                if message is not None:
                    return reader.name, message
            if self.control.closed:
                raise ChannelClosed("the sandbox ended")
            left = deadline - time.monotonic()
            ready = self._selector.select(timeout=min(max(left, 0.0), 0.5))
            if not ready and left <= 0:
                raise ChannelTimeout("no message before the deadline")
            for key, _ in ready:
                key.data.fill()
                if key.data.closed:
                    self._selector.unregister(key.fd)

    def drain(self) -> list[dict[str, Any]]:
        """What the data channel holds now (after a worker ended), without waiting."""
        messages = []
        if not self.data.closed:
            for _ in range(64):
                before = self.data.received
                self.data.fill()
                if self.data.received == before:
                    break
        while (message := self.data.next_frame()) is not None:
            messages.append(message)
        return messages

    def kill(self) -> None:
        self.killed = True
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            self.proc.kill()

    def close(self) -> None:
        """Stop the sandbox (if still running) and release everything it held."""
        if self.proc.poll() is None:
            with contextlib.suppress(Exception):
                self.send({"kind": "exit"}, time.monotonic() + 0.2)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=0.5)
        if self.proc.poll() is None:
            self.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        self._selector.close()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            with contextlib.suppress(OSError):
                stream.close()
        if self.scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def diagnostics(self) -> str:
        """What the sandbox wrote on its control channel that is not a message (bubblewrap's
        or Python's own errors before the zygote started), for "did not start"."""
        with contextlib.suppress(Exception):
            self.control.fill()
        text = bytes(self.control.buffer).decode("utf-8", "replace")
        lines = [line for line in text.strip().splitlines() if line.strip()]
        return lines[-1][:300] if lines else ""

    def exit_reason(self) -> tuple[str, str]:
        """(status, message) for a sandbox that ended without finishing its work."""
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.wait()
        if self.killed:
            return TIMEOUT, f"ran longer than {self.limits.timeout:g} s and was stopped"
        return describe_end(-code if code < 0 else code - 128 if code > 128 else None,
                            code if 0 <= code <= 128 else None)


def describe_end(sig: int | None, code: int | None) -> tuple[str, str]:
    """(status, message) for a process that ended by signal ``sig`` or with exit ``code``."""
    if sig == signal.SIGXCPU:
        return TIMEOUT, "used up its CPU time"
    if sig == signal.SIGKILL:
        return MEMORY, "was killed (out of memory?)"
    if sig:
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ \
            else str(sig)
        return CRASH, f"crashed (signal {name})"
    return EXIT, f"ended the process itself (os._exit / exit status {code})"


class Launcher:
    """Starts the sandboxes of one grading run, all alike; ``kill_all`` stops every live one."""

    def __init__(self, isolation: str, limits: Limits, hidden: list[str] = ()):
        if isolation not in (BUBBLEWRAP, PROCESS):
            raise ValueError(f"isolation must be {BUBBLEWRAP!r} or {PROCESS!r}")
        self.isolation = isolation
        self.limits = limits
        self._live: set[Sandbox] = set()
        self._lock = threading.Lock()
        self._stopped = False
        self._command = bwrap_command(limits, list(hidden)) if isolation == BUBBLEWRAP else []
        self._bundle_sources = {"studentside": Path(studentside.__file__).read_text("utf-8"),
                                "dlcourse_child": Path(child.__file__).read_text("utf-8")}

    def start(self, submission_seconds: float, preload: list[str] = ()) -> Sandbox:
        """A new sandbox, its bundle sent; the caller waits for its ``ready`` message.
        ``preload``: modules the zygote imports before any student code (the set-up's)."""
        scratch = None
        if self.isolation == BUBBLEWRAP:
            workdir = sandbox_scratch()
            command = [*self._command, sys.executable, "-I", "-c", child.BOOTSTRAP]
            cwd = "/"
        else:
            scratch = tempfile.mkdtemp(prefix=f"dlcourse-sandbox-{os.getpid()}-")
            workdir = cwd = scratch
            command = [sys.executable, "-I", "-c", child.BOOTSTRAP]
        config = {"workdir": workdir, "preload": list(preload), "limits": {
            "RLIMIT_AS": self.limits.memory_mb << 20,
            "RLIMIT_CPU": int(submission_seconds) + 10,
            "RLIMIT_FSIZE": self.limits.file_mb << 20,
            "RLIMIT_NOFILE": self.limits.open_files,
            "RLIMIT_CORE": 0}}
        if self.isolation == BUBBLEWRAP:
            # counted per user: in bubblewrap's user namespace (Linux 5.14 and later), the
            # sandbox's own processes and threads; as a plain process, every process of the
            # instructor's user, so that a desktop session's few hundred threads would leave the
            # zygote unable to fork a single worker
            config["limits"]["RLIMIT_NPROC"] = self.limits.processes
        bundle = json.dumps({**self._bundle_sources, "config": config}).encode("utf-8")
        with self._lock:
            if self._stopped:
                raise GradingInterrupted
            try:
                proc = subprocess.Popen(
                    command, cwd=cwd, env=_environment(workdir), stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                    preexec_fn=None if self.isolation == BUBBLEWRAP else _die_with_parent)
            except BaseException:
                if scratch:
                    shutil.rmtree(scratch, ignore_errors=True)
                raise
            sandbox = Sandbox(proc, self.limits, scratch)
            self._live.add(sandbox)
        with contextlib.suppress(ChannelClosed, ChannelTimeout):  # then it never says ready
            sandbox.send(bundle, time.monotonic() + self.limits.startup_timeout)
        return sandbox

    def release(self, sandbox: Sandbox) -> None:
        sandbox.close()
        with self._lock:
            self._live.discard(sandbox)

    def kill_all(self) -> None:
        """Refuse new sandboxes and kill every running one (Ctrl-C)."""
        with self._lock:
            self._stopped = True
            live = list(self._live)
        for sandbox in live:
            sandbox.kill()

    @property
    def stopped(self) -> bool:
        return self._stopped


def _die_with_parent() -> None:  # pragma: no cover - runs in the forked child
    """Process isolation: the child gets SIGKILL when the grader dies."""
    import ctypes

    with contextlib.suppress(Exception):
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


def seccomp_available() -> bool:
    """Whether the sandbox's workers lock themselves down with seccomp on this machine."""
    import platform

    return sys.platform.startswith("linux") and \
        child.seccomp_program(platform.machine(), 1) is not None
