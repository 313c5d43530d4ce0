"""Exercises, their test cases, and how one run of student code is judged.

An exercise is a function (or a few) that the student writes in a tagged notebook cell. Its
definition here names the functions, the reference implementation with the same signature, the
cases from the text, a generator of random cases, how to call the code (the driver) and how to
compare (the comparator). ``run_exercise`` runs the student's functions on all cases through
the driver, and ``judge`` turns each outcome into a ``CaseResult`` (what passed, what failed,
on which input, expected vs got, and a hint); a ``Report`` holds them and prints the verdict
per group of cases.

The notebook's ``check`` (in ``dlcourse.exercises``, next to the registry that finds an
exercise by its id) and the class grader (``dlcourse.grading``) both build on these; this
module knows neither.
"""

from __future__ import annotations

import inspect
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dlcourse.checking import drivers, studentside
from dlcourse.checking.compare import Comparator, Verdict, close, describe, failed_property
from dlcourse.checking.hints import hint_for_error
from dlcourse.checking.status import (
    EXIT,
    FAILED,
    MEMORY,
    NOT_IMPLEMENTED,
    PASSED,
    TIMEOUT,
    WRONG_TYPE,
    Status,
    status_of_raised,
)

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()

TEXT = "from the text"
RANDOM = "random"


@dataclass(frozen=True)
class Case:
    """One test input.

    ``expected`` holds a value printed in the seeds, where there is one: the reference must
    reproduce it (a test checks), and the student's result is compared with it. ``compare``
    overrides the exercise's comparator for this case (e.g. a seed value printed to 4 decimals).
    ``secret`` is data only the comparator sees (e.g. test labels); it never reaches student code.
    """

    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    label: str = ""
    group: str = TEXT
    expected: Any = MISSING
    compare: Comparator | None = None
    secret: Any = None


@dataclass(frozen=True)
class Exercise:
    """A graded exercise. See the module docstring; ``points`` is the grader's maximum."""

    id: str
    title: str
    functions: tuple[str, ...]
    reference: tuple[Callable, ...]
    cases: Callable[[], list[Case]]
    random_case: Callable[[np.random.Generator], Case] | None = None
    n_random: int = 5
    compare: Comparator = field(default_factory=close)
    driver: Callable = drivers.call
    hint: str = ""
    diagnose: Callable[[Case, Any, Any], str | None] | None = None
    points: float = 1.0
    timeout: float = 30.0
    show_expected: bool = True  # False where the reference's answer would give the task away
    arg_names: tuple[str, ...] | None = None  # how to label a case's positional arguments
    # (regular expression, hint) pairs for exceptions the student's code raises: the first
    # whose pattern is found in the error text gives the hint (see ``checking.hints``)
    error_hints: tuple[tuple[str, Any], ...] = ()

    @property
    def chapter(self) -> str:
        return self.id.split(".", 1)[0]

    def all_cases(self, seed: int | None = None, n_random: int | None = None) -> list[Case]:
        """The cases from the text followed by ``n_random`` random cases drawn with ``seed``.

        The default seed is derived from the exercise id, so a notebook's check is the same on
        every run; the grader passes a fresh seed, so its random cases are ones no notebook shows.
        """
        cases = list(self.cases())
        if self.random_case is not None:
            if seed is None:
                seed = zlib.crc32(self.id.encode())
            rng = np.random.default_rng(seed)
            n = self.n_random if n_random is None else n_random
            for i in range(n):
                case = self.random_case(rng)
                label = case.label or f"random #{i + 1}"
                cases.append(Case(case.args, case.kwargs, label, RANDOM, case.expected,
                                  case.compare, case.secret))
        return cases

    def expected(self, case: Case) -> Any:
        """The reference result for ``case`` as plain data (or the value printed in the text)."""
        if case.expected is not MISSING:
            return studentside.to_plain(case.expected)
        outcome = studentside.call_student(self.driver, self.reference, case.args, case.kwargs)
        if "value" not in outcome:
            raise RuntimeError(f"reference of {self.id} failed on case {case.label!r}: "
                               f"{outcome['raised']}: {outcome['message']}")
        return outcome["value"]

    def describe_inputs(self, case: Case) -> str:
        """``name=value`` for each argument of ``case``: named by ``arg_names``, else (when the
        case's arguments go straight to the function) after the reference's signature."""
        params: list[str] = list(self.arg_names or ())
        if not params and self.driver is drivers.call:
            try:
                params = list(inspect.signature(self.reference[0]).parameters)
            except (TypeError, ValueError):
                params = []
        parts = []
        for i, arg in enumerate(case.args):
            name = params[i] if i < len(params) else f"arg{i}"
            parts.append(f"{name}={describe(arg, 60)}")
        parts += [f"{k}={describe(v, 60)}" for k, v in case.kwargs.items()]
        return ", ".join(parts)


# ---------------------------------------------------------------- judging one case


@dataclass
class CaseResult:
    """The verdict on one case: ``status`` is a ``Status`` (``passed``, ``failed``, or why the
    call gave no value: ``error``, ``not implemented``, ``wrong type``, ``timeout`` ...).
    ``hidden`` cases are the random ones; the grader's feedback names only the ``failing_property``
    that failed for them (shape, type, NaN, values), never their expected values."""

    group: str
    label: str
    status: str
    why: str = ""
    hint: str = ""
    inputs: str = ""
    expected: str = ""
    got: str = ""
    failing_property: str = ""

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def hidden(self) -> bool:
        return self.group == RANDOM

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "status": str(self.status), "hidden": self.hidden}


# Statuses whose message says it all (a timeout, a memory blow-up, an exit, a wrong type): the
# exception's own name adds nothing for the student.
_SAYS_IT_ALL = frozenset({TIMEOUT, MEMORY, EXIT, WRONG_TYPE})


def outcome_text(outcome: dict[str, Any]) -> str:
    """What a call that gave no value did, for the report: the exception and its message."""
    name, message = str(outcome.get("raised", "")), str(outcome.get("message", ""))
    if not name or "status" in outcome or status_of_raised(name) in _SAYS_IT_ALL:
        text = message or name
    else:
        text = f"{name}: {message}" if message else name
    where = outcome.get("where")
    return f"{text}\n{where}" if where else text


def judge(exercise: Exercise, case: Case, expected: Any, outcome: dict[str, Any]) -> CaseResult:
    """Turn the outcome of one student call into a verdict, comparing with ``expected``.

    ``outcome`` is ``{"value": ...}`` or ``{"raised": name, "message": ...}`` (see
    ``studentside``); the grader may also pass ``{"status": Status, "message": ...}`` for what
    happened to the process (killed, timed out). A status is never read from student data.
    """
    result = CaseResult(case.group, case.label, FAILED, inputs=exercise.describe_inputs(case),
                        expected=describe(expected) if exercise.show_expected else "")
    if "value" not in outcome:
        status = outcome.get("status")
        result.status = Status(status) if status in _STATUSES else \
            status_of_raised(str(outcome.get("raised", "")))
        result.why = outcome_text(outcome)
        result.failing_property = f"no value: {result.status}"
        result.hint = _status_hint(result.status) or _error_hint(exercise, case, result.why)
        return result
    got = outcome["value"]
    result.got = describe(got)
    comparator = case.compare or exercise.compare
    try:
        verdict = comparator(expected, got, case)
    except Exception as err:  # a comparator must not crash on odd student output
        verdict = Verdict(False, f"the result could not be compared: {err}")
    if verdict.passed:
        result.status = PASSED
        return result
    result.why = verdict.why
    result.failing_property = failed_property(expected, got)
    try:  # a hint must never turn a wrong answer into a crash of the check
        specific = exercise.diagnose(case, expected, got) if exercise.diagnose else None
    except Exception:
        specific = None
    result.hint = specific or verdict.hint or exercise.hint
    return result


_STATUSES = {s.value for s in Status}


def _error_hint(exercise: Exercise, case: Case, text: str) -> str:
    """A hint for an exception raised by the student's own code, where one is known."""
    try:
        return hint_for_error(exercise, case, text) or exercise.hint
    except Exception:
        return exercise.hint


def _status_hint(status: str) -> str:
    return {
        NOT_IMPLEMENTED: "replace the `raise NotImplementedError(...)` line with your code, "
                         "run that cell, then run the check again.",
        WRONG_TYPE: "return NumPy arrays or numbers (a tuple of them where several values are "
                    "asked for).",
        TIMEOUT: "an endless loop? Check the loop's stopping condition.",
        MEMORY: "the code asked for far more memory than the task needs.",
        EXIT: "don't call sys.exit() or exit() in an exercise.",
    }.get(status, "")


# ---------------------------------------------------------------- the report


@dataclass
class Report:
    """All case results of one run of an exercise (``run_exercise``), and their text."""

    exercise: Exercise
    results: list[CaseResult]

    @property
    def n_passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def passed(self) -> bool:
        return bool(self.results) and self.n_passed == len(self.results)

    @property
    def not_implemented(self) -> bool:
        return any(r.status == NOT_IMPLEMENTED for r in self.results)

    def text(self, max_failures: int = 2) -> str:
        ex = self.exercise
        lines = [f"{ex.id} · {ex.title}"]
        if self.not_implemented:
            names = ", ".join(f"{n}()" for n in ex.functions)
            lines.append(f"  ✗ not implemented yet: {names} still raises NotImplementedError.")
            lines.append("    Write your code in place of the `raise NotImplementedError(...)` "
                         "line,")
            lines.append("    run that cell, then run this check again.")
            return "\n".join(lines)
        shown = 0
        groups: dict[str, list[CaseResult]] = {}
        for r in self.results:
            groups.setdefault(r.group, []).append(r)
        for group, results in groups.items():
            ok = sum(r.passed for r in results)
            mark = "✓" if ok == len(results) else "✗"
            lines.append(f"  {mark} {group}: {ok} of {len(results)} passed")
            for r in results:
                if r.passed or shown >= max_failures:
                    continue
                shown += 1
                lines.append(f"      case {r.label!r} ({r.status})")
                lines.append(f"        inputs:   {r.inputs}")
                if r.expected:
                    lines.append(f"        expected: {r.expected}")
                if r.got:
                    lines.append(f"        got:      {r.got}")
                why = r.why.replace("\n", "\n                  ")
                lines.append(f"        why:      {why}")
                if r.hint:
                    lines.append(f"        hint:     {r.hint}")
        if self.passed:
            lines.append(f"  All {len(self.results)} cases passed.")
        else:
            lines.append(f"  {self.n_passed} of {len(self.results)} cases passed.")
        return "\n".join(lines)


def run_exercise(exercise: Exercise, impls: Sequence[Callable], *, seed: int | None = None,
                 n_random: int | None = None, timeout: float | None = None) -> Report:
    """Run student ``impls`` on every case in this process and judge each result.

    Stops early when the code is not implemented yet (every case would say the same).
    """
    driver = studentside.load_driver(drivers.driver_sources(exercise.driver),
                                     exercise.driver.__name__)
    results = []
    for case in exercise.all_cases(seed=seed, n_random=n_random):
        expected = exercise.expected(case)
        outcome = studentside.call_student(driver, tuple(impls), case.args, case.kwargs,
                                           timeout=timeout or exercise.timeout)
        results.append(judge(exercise, case, expected, outcome))
        if results[-1].status == NOT_IMPLEMENTED:
            break
    return Report(exercise, results)
