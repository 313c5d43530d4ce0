"""Runs one submission's code inside the grader's sandbox. Standalone: stdlib + NumPy only.

The grader copies this file and ``studentside.py`` into a fresh work directory and starts

    python -I child.py

in it, usually inside new user, mount, PID and network namespaces. This program

1. applies the resource limits it is given (memory, CPU time, file size) so that student code,
   which runs after, cannot lift them; then installs an audit hook that refuses to open the
   hidden paths, to import ``dlcourse``, to spawn processes, to open sockets, to signal other
   processes or to change the limits, and records every such attempt;
2. executes the setup and exercise cells the grader chose, statement by statement, so that one
   failing statement costs only itself;
3. for each exercise, calls the student's functions through the exercise's driver on every
   case's inputs and writes the plain-data records to ``results/<exercise id>.json/.npz``.

It reports progress on a pipe the grader passes (``cell N start`` ... ``ex ID end``) so the
grader can tell which cell or exercise was running if the process has to be killed or dies.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import resource
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import studentside  # noqa: E402

PROGRESS_FD = -1  # set from the job: the write end of the grader's progress pipe
OUTPUT_CAP = 1 << 20  # bytes of printed output kept per stream; the rest is dropped


class CappedStream(io.TextIOBase):
    """A text stream that keeps the first ``cap`` characters written to it and drops the rest."""

    def __init__(self, path: str, cap: int = OUTPUT_CAP):
        self._fh = open(path, "w", encoding="utf-8", errors="replace")  # noqa: SIM115
        self._left = cap

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._left > 0:
            part = text[: self._left]
            self._fh.write(part)
            self._left -= len(part)
        return len(text)

    def flush(self) -> None:
        self._fh.flush()


def progress(message: str) -> None:
    with contextlib.suppress(OSError):
        os.write(PROGRESS_FD, (message + "\n").encode())


def apply_limits(limits: dict) -> None:
    for name, value in limits.items():
        kind = getattr(resource, name)
        resource.setrlimit(kind, (value, value))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails instead of killing


def install_guard(hidden: list[str], allowed_read: list[str], log: list[str]) -> None:
    """Refuse what student code has no business doing; remember every attempt."""
    hidden = [os.path.realpath(p) for p in hidden]
    allowed = [os.path.realpath(p) for p in allowed_read]
    blocked_events = {
        "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.fork", "os.forkpty",
        "os.spawn", "pty.spawn", "os.kill", "os.killpg", "resource.setrlimit",
        "resource.prlimit", "socket.connect", "socket.bind", "socket.sendto", "sys.addaudithook",
    }
    noted: set[str] = set()

    def note(text: str) -> None:
        if text not in noted and len(noted) < 50:
            noted.add(text)
            log.append(text)

    def inside(path: str, roots: list[str]) -> bool:
        return any(path == r or path.startswith(r + os.sep) for r in roots)

    def hook(event: str, args: tuple) -> None:
        if event in blocked_events:
            note(f"blocked {event}")
            raise PermissionError(f"{event} is not allowed while grading")
        if event == "import" and args and isinstance(args[0], str) and (
                args[0] == "dlcourse" or args[0].startswith("dlcourse.")):
            note(f"blocked import of {args[0]}")
            raise ImportError(f"{args[0]} is not available while grading: exercises must not "
                              "use the course's reference implementation")
        if event in ("open", "os.listdir", "os.scandir") and args:
            target = args[0]
            if isinstance(target, bytes):
                target = target.decode(errors="replace")
            if not isinstance(target, str):
                return
            path = os.path.realpath(target)
            if inside(path, hidden):
                note(f"blocked reading {target}")
                raise PermissionError(f"{target} is not readable while grading")
            if event == "open" and not inside(path, allowed):
                note(f"opened {target}")

    sys.addaudithook(hook)


def run_cell(source: str, namespace: dict, label: str) -> list[str]:
    """Execute a cell statement by statement; return the errors it raised (as text)."""
    errors: list[str] = []
    try:
        tree = ast.parse(source, filename=label)
    except (SyntaxError, ValueError) as err:
        return [f"{type(err).__name__}: {err}"]
    for node in tree.body:
        code = compile(ast.Module(body=[node], type_ignores=[]), label, "exec")
        try:
            exec(code, namespace)
        except BaseException as err:
            if isinstance(err, KeyboardInterrupt):
                raise
            errors.append(f"line {node.lineno}: {type(err).__name__}: {err}")
    return errors


def main() -> int:
    global PROGRESS_FD
    workdir = os.getcwd()
    with open(os.path.join(workdir, "job.json"), encoding="utf-8") as fh:
        job = json.load(fh)
    PROGRESS_FD = int(job["progress_fd"])
    apply_limits(job.get("limits", {}))
    events: list[str] = []
    install_guard(job.get("hidden", []), [*job.get("allowed_read", []), workdir], events)
    sys.stdout = CappedStream(os.path.join(workdir, "stdout.txt"))
    sys.stderr = CappedStream(os.path.join(workdir, "stderr.txt"))
    results_dir = os.path.join(workdir, "results")

    namespace: dict = {"__name__": "__main__", "__builtins__": __builtins__}
    cell_errors: dict[str, list[str]] = {}
    for cell in job["cells"]:
        progress(f"cell {cell['index']} start")
        errors = run_cell(cell["source"], namespace, f"<cell {cell['index']}>")
        if errors:
            cell_errors[str(cell["index"])] = errors
        progress(f"cell {cell['index']} end")
    studentside.save(os.path.join(results_dir, "_cells"), {"errors": cell_errors})

    for exercise in job["exercises"]:
        ex_id = exercise["id"]
        progress(f"ex {ex_id} start")
        cases = studentside.load(os.path.join(workdir, "inputs", ex_id))
        missing = [name for name in exercise["functions"] if name not in namespace]
        records = []
        if missing:
            records = [{"status": "not found",
                        "error": f"{', '.join(missing)} is not defined (the exercise cell "
                                 "was not found, or it failed before defining it)"}] * len(cases)
        else:
            driver = studentside.load_driver(exercise["driver_source"], exercise["driver_name"])
            impls = tuple(namespace[name] for name in exercise["functions"])
            for args, kwargs in cases:
                if records and records[-1]["status"] == studentside.TIMEOUT:
                    records.append({"status": studentside.TIMEOUT,
                                    "error": "not run: an earlier case did not finish"})
                    continue
                start = time.perf_counter()
                record = studentside.call_student(driver, impls, tuple(args), dict(kwargs),
                                                  timeout=exercise["case_timeout"])
                record["seconds"] = round(time.perf_counter() - start, 4)
                records.append(record)
        payload = {"records": records, "events": list(events)}
        try:
            studentside.save(os.path.join(results_dir, ex_id), payload)
        except Exception as err:  # e.g. the file-size limit: report it instead of the values
            failed = [{"status": "error", "error": f"the results could not be saved: {err}"}]
            studentside.save(os.path.join(results_dir, ex_id),
                             {"records": failed * len(cases), "events": list(events)})
        progress(f"ex {ex_id} end")
    progress("done")
    sys.stdout.flush()
    sys.stderr.flush()
    return 0


if __name__ == "__main__":
    os._exit(main())
