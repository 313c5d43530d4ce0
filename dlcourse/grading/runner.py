"""Running one submission's passes in its sandbox, and checking every message that comes back.

The grader drives the conversation: it sends one pass (one exercise in one mode) to the
sandbox's zygote, which forks a worker for it. The worker's messages arrive on the *data*
channel, which student code can write to as well, so each is validated against a strict schema:

    {"kind": "cell", "position": p}            advisory: the p-th cell of the pass starts
    {"kind": "cells done", "errors": {...}}    what the cells raised, as text
    {"kind": "outcome", "case": i, "outcome": {"value": ...} | {"raised", "message", "where"}}
    {"kind": "pass done", "events": [...]}     advisory notes for the instructor

each carrying the pass's random nonce (a message from another pass is ignored). Outcomes must
come in case order, each at most once; anything else (an unknown kind, a status, a second
outcome for a case, a progress line naming a cell the pass does not have) is ignored and listed
as a problem for the instructor; a malformed outcome is an error for that case. Nothing can pass
a case here: only the comparison with the expected value, later, can.

The pass ends when the zygote, on its own *control* channel that no student code can reach,
says the worker ended (and how: an exit code, a signal, or killed at the deadline). The
deadline is fixed when the pass starts (``--timeout``, within the submission's total);
nothing the worker says moves it. When a worker dies inside a set-up or helper cell, that cell
is skipped and the pass runs again (a few times at most); inside the exercise's own cell or one
of its cases, the exercise is charged with it. A sandbox that breaks the protocol or whose
zygote dies is replaced by a fresh one for the next pass.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from dlcourse.checking import studentside
from dlcourse.checking.status import ERROR, GRADER_ERROR, TIMEOUT
from dlcourse.grading.plan import Pass, preload_modules
from dlcourse.grading.sandbox import (
    ChannelClosed,
    ChannelTimeout,
    GradingInterrupted,
    Launcher,
    ProtocolError,
    Sandbox,
    describe_end,
)

MAX_SKIPPED_CELLS = 5
MAX_EVENTS = 50
MAX_PROBLEMS = 20


@dataclass
class PassResult:
    """What came back for one pass: an outcome per case, and what its cells raised."""

    exercise: str
    mode: str
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    cell_errors: dict[str, list[str]] = field(default_factory=dict)  # cell label -> errors
    failure: str = ""  # "status: message" when the pass did not finish normally
    ran_out: bool = False  # not run (or cut short) because the submission's time ran out


@dataclass
class SubmissionRun:
    """Everything that came back for one submission."""

    passes: dict[tuple[str, str], PassResult] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)     # reported by the sandbox (advisory)
    problems: list[str] = field(default_factory=list)   # messages that broke the protocol
    grader_error: str = ""
    seconds: float = 0.0
    sandboxes: int = 0
    kept_bytes: int = 0  # the values held for judging, over all passes

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS and text not in self.problems:
            self.problems.append(text)


# ---------------------------------------------------------------- validating messages


def text(value: Any, limit: int = 500) -> str:
    """Untrusted text made safe to store and print: a string, cut, without lone surrogates."""
    value = value if isinstance(value, str) else ""
    value = value.encode("utf-8", "replace").decode("utf-8")
    return value if len(value) <= limit else value[:limit] + " …"


def validate_outcome(outcome: Any) -> dict[str, Any]:
    """A case's outcome as sent by the sandbox, checked and decoded; anything malformed
    becomes an error outcome (never a pass, never an exception here)."""
    if type(outcome) is dict and set(outcome) == {"value"}:
        try:
            return {"value": studentside.decode(outcome["value"])}
        except studentside.WireError as err:
            return {"status": ERROR, "message": f"the result could not be read ({err})"}
    if (type(outcome) is dict and "raised" in outcome
            and set(outcome) <= {"raised", "message", "where"}
            and isinstance(outcome["raised"], str) and outcome["raised"].isidentifier()
            and len(outcome["raised"]) <= 100):
        return {"raised": outcome["raised"], "message": text(outcome.get("message"), 2000),
                "where": text(outcome.get("where"), 2000)}
    return {"status": ERROR, "message": "the sandbox sent a malformed result for this case"}


# ---------------------------------------------------------------- one pass


class _PassFailed(Exception):
    """A pass that did not finish: its status and message, and where it stopped (a cell's
    position in the pass, or a case). ``fatal``: the sandbox itself must be replaced."""

    def __init__(self, status: str, message: str, cell: int | None, case: int | None,
                 fatal: bool):
        super().__init__(message)
        self.status, self.message, self.cell, self.case = status, message, cell, case
        self.fatal = fatal


def _run_pass(sandbox: Sandbox, job: Pass, skip: set[int], deadline: float,
              run: SubmissionRun, result: PassResult) -> None:
    """Send one pass and read its messages into ``result`` until the zygote reports that the
    worker ended; raise _PassFailed if the pass did not finish."""
    limits = sandbox.limits
    cells = job.live(skip)
    n_cases = len(job.cases)
    state = {"current": None, "cells done": False, "pass done": False, "messages": 0}
    budget = 4 * (len(cells) + n_cases) + 50
    where = f"{job.exercise} ({job.mode})"
    nonce = secrets.token_hex(16)
    received = sandbox.data.received

    def fail(status: str, message: str, fatal: bool) -> _PassFailed:
        if fatal:
            sandbox.kill()
        done = state["cells done"]
        return _PassFailed(status, message, None if done else state["current"],
                           len(result.outcomes) if done else None, fatal)

    def on_data(message: dict[str, Any]) -> None:
        state["messages"] += 1
        if state["messages"] > budget or \
                sandbox.data.received - received > limits.pass_mb << 20:
            raise fail(ERROR, "the code sent far more data than its results need", True)
        kind = message.get("kind")
        if message.get("pass") != nonce:
            run.problem(f"{where}: a message that does not belong to this pass")
        elif kind == "cell" and not state["cells done"]:
            position = message.get("position")
            if type(position) is int and 0 <= position < len(cells):
                state["current"] = position
            else:
                run.problem(f"{where}: a progress message about a cell the pass does not have")
        elif kind == "cells done" and not state["cells done"]:
            state["cells done"] = True
            errors = message.get("errors")
            if isinstance(errors, dict):
                for key, found in list(errors.items())[: len(cells)]:
                    # isdecimal, not isdigit: int("²") raises; and a short key, for int()
                    if (isinstance(key, str) and key.isdecimal() and len(key) <= 6
                            and int(key) < len(cells) and isinstance(found, list)):
                        result.cell_errors[cells[int(key)].label] = \
                            [text(e, 300) for e in found[:10]]
        elif kind == "outcome" and state["cells done"] and not state["pass done"]:
            if message.get("case") != len(result.outcomes) or len(result.outcomes) >= n_cases:
                run.problem(f"{where}: an outcome out of order or for an unknown case")
            else:
                outcome = validate_outcome(message.get("outcome"))
                size = studentside.plain_bytes(outcome.get("value"))
                if run.kept_bytes + size > limits.results_mb << 20:
                    outcome = {"status": ERROR, "message": "not kept: the results of this "
                               f"notebook hold more than {limits.results_mb} MB, far more than "
                               "its exercises need"}
                else:
                    run.kept_bytes += size
                result.outcomes.append(outcome)
        elif kind == "pass done" and state["cells done"] and not state["pass done"]:
            state["pass done"] = True
            events = message.get("events")
            if isinstance(events, list):
                for event in events[:MAX_EVENTS]:
                    event = text(event, 200) if isinstance(event, str) else ""
                    if event and len(run.events) < MAX_EVENTS and event not in run.events:
                        run.events.append(event)
        else:
            run.problem(f"{where}: an unexpected message ({text(str(kind), 40)!r})")

    message = job.message(skip, nonce)
    message.update(seconds=max(deadline - time.monotonic(), 0.1),
                   message_bytes=limits.message_mb << 20, seccomp_required=sandbox.seccomp)
    try:
        sandbox.send(message, deadline)
        while True:  # the zygote kills the worker at the deadline; allow it time to say so
            channel, message = sandbox.receive(deadline + 5.0)
            if channel == Sandbox.DATA:
                on_data(message)
            elif message.get("kind") == "ended" and message.get("pass") == nonce:
                for late in sandbox.drain():
                    on_data(late)
                break
    except ChannelTimeout:
        raise fail(TIMEOUT, "", True) from None
    except ChannelClosed:
        status, text_ = sandbox.exit_reason()
        raise fail(status, text_, True) from None
    except ProtocolError as err:
        raise fail(ERROR, f"the code sent an unreadable message ({err})", True) from None
    if message.get("clean") is not True:  # the zygote could not empty /tmp: a fresh sandbox
        sandbox.dirty = True
    if state["pass done"] and len(result.outcomes) == n_cases:
        return
    if message.get("killed"):
        raise fail(TIMEOUT, "", False)
    if message.get("seccomp_failed") is True:  # said by the zygote, not by the exit status
        raise fail(GRADER_ERROR, "the sandbox could not install its seccomp filter", False)
    raise fail(*describe_end(message.get("signal") if type(message.get("signal")) is int
                             else None, message.get("code")), False)


# ---------------------------------------------------------------- one submission


def run_submission(passes: list[Pass], launcher: Launcher, *, exercises: int) -> SubmissionRun:
    """Run every pass of one submission; never raises except GradingInterrupted."""
    limits = launcher.limits
    run = SubmissionRun()
    start = time.monotonic()
    total = limits.for_submission(exercises)
    end = start + total
    skip: set[int] = set()
    sandbox: Sandbox | None = None
    queue = list(passes)
    preload = preload_modules(passes)
    try:
        while queue:
            job = queue[0]
            result = PassResult(job.exercise, job.mode)
            if launcher.stopped:
                raise GradingInterrupted
            if time.monotonic() >= end:
                _fail_rest(run, queue, f"{TIMEOUT}: the submission's total time ({total:g} s) "
                                       "ran out before this exercise could run")
                break
            if sandbox is None:
                sandbox, problem = _start(launcher, end, preload)
                run.sandboxes += 1
                if problem:
                    run.grader_error = problem
                    _fail_rest(run, queue, f"{GRADER_ERROR}: {problem}")
                    break
            deadline = min(time.monotonic() + limits.timeout, end)
            try:
                _run_pass(sandbox, job, skip, deadline, run, result)
                if sandbox.dirty:
                    launcher.release(sandbox)
                    sandbox = None
            except _PassFailed as failed:
                if failed.fatal or sandbox.dirty:
                    launcher.release(sandbox)
                    sandbox = None
                if launcher.stopped:
                    raise GradingInterrupted from None
                message = failed.message
                total_ran_out = failed.status == TIMEOUT and deadline >= end
                if failed.status == TIMEOUT:
                    message = (f"the submission's total time ({total:g} s) ran out"
                               if total_ran_out else
                               f"ran longer than {limits.timeout:g} s and was stopped")
                cell = job.live(skip)[failed.cell] if failed.cell is not None else None
                if (cell is not None and cell.index is not None
                        and cell.role in ("setup", "helper", "earlier")
                        and len(skip) < MAX_SKIPPED_CELLS and not total_ran_out):
                    skip.add(cell.index)
                    run.notes.append(f"{cell.label} stopped the process ({failed.status}: "
                                     f"{message}); it was skipped from then on")
                    continue  # the same pass again, without that cell
                if cell is not None:
                    message += {"exercise": " (while its cell was being run)",
                                "helper": f" (while {cell.label}, a helper, was being run)",
                                "reference": f" (while the course's version of "
                                             f"{cell.label.split()[-1]} was being run)",
                                }.get(cell.role, f" (while {cell.label} was being run)")
                result.failure = f"{failed.status}: {message}"
                result.ran_out = total_ran_out
                failure = {"status": failed.status, "message": message}
                result.outcomes += [failure] * (len(job.cases) - len(result.outcomes))
            run.passes[(job.exercise, job.mode)] = result
            queue.pop(0)
    finally:
        if sandbox is not None:
            launcher.release(sandbox)
        run.seconds = time.monotonic() - start
    return run


def _start(launcher: Launcher, end: float, preload: list[str]) -> tuple[Sandbox, str]:
    """A sandbox whose zygote has said it is ready, or the reason it did not start (a grader
    error: no student code has run yet)."""
    sandbox = launcher.start(max(end - time.monotonic(), 1.0), preload)
    deadline = time.monotonic() + launcher.limits.startup_timeout
    try:
        channel, ready = sandbox.receive(deadline)
        if channel == Sandbox.CONTROL and ready.get("kind") == "ready":
            sandbox.seccomp = ready.get("seccomp") is True
            return sandbox, ""
        problem = "it sent something else than 'ready'"
    except (ChannelClosed, ChannelTimeout, ProtocolError) as err:
        problem = f"{type(err).__name__}: {err}"
    detail = sandbox.diagnostics()
    launcher.release(sandbox)
    if launcher.stopped:
        raise GradingInterrupted
    return sandbox, "the sandbox did not start (" + problem + (f"; {detail}" if detail else "") \
        + ")"


def _fail_rest(run: SubmissionRun, queue: list[Pass], failure: str) -> None:
    status, _, message = failure.partition(": ")
    for job in queue:
        result = PassResult(job.exercise, job.mode, failure=failure,
                            ran_out=failure.startswith(f"{TIMEOUT}:"))
        result.outcomes = [{"status": status, "message": message}] * len(job.cases)
        run.passes.setdefault((job.exercise, job.mode), result)
    queue.clear()
