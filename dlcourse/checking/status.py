"""The one vocabulary of verdicts, shared by the notebook checks and the class grader.

A *case* ends in one of the case statuses; an *exercise* gets ``PASSED``, ``PARTIAL``,
``FAILED`` or the single status all its failing cases share; a grader row may also say why no
case could run (``NOT_FOUND``, ``USES_REFERENCE``, ``GRADER_ERROR``, ``NOT_GRADED``); a
*submission* is ``GRADED`` or says why not. Every status the checks, the grader, its exports
and reports write or test for comes from here.

Student code never reports a status. What comes back from a call is an *outcome*: the value it
returned, or the name of the exception it raised. ``status_of_raised`` turns an exception's type
name into a status here, on the trusted side, so a forged name can only ever cost credit.
"""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    """A verdict. Being a ``str``, it compares equal to its text and is stored as text."""

    PASSED = "passed"
    PARTIAL = "partial"
    FAILED = "failed"
    NOT_IMPLEMENTED = "not implemented"
    ERROR = "error"
    WRONG_TYPE = "wrong type"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    EXIT = "exit"
    CRASH = "crash"
    NOT_FOUND = "not found"
    USES_REFERENCE = "uses reference"
    GRADER_ERROR = "grader error"
    NOT_GRADED = "not graded"

    def __str__(self) -> str:
        return self.value


PASSED = Status.PASSED
PARTIAL = Status.PARTIAL
FAILED = Status.FAILED
NOT_IMPLEMENTED = Status.NOT_IMPLEMENTED
ERROR = Status.ERROR
WRONG_TYPE = Status.WRONG_TYPE
TIMEOUT = Status.TIMEOUT
MEMORY = Status.MEMORY
EXIT = Status.EXIT
CRASH = Status.CRASH
NOT_FOUND = Status.NOT_FOUND
USES_REFERENCE = Status.USES_REFERENCE
GRADER_ERROR = Status.GRADER_ERROR
NOT_GRADED = Status.NOT_GRADED

# Exception type names with a status of their own; every other exception is an ERROR.
_RAISED = {
    "NotImplementedError": NOT_IMPLEMENTED,
    "ExerciseNotImplemented": NOT_IMPLEMENTED,
    "CaseTimeout": TIMEOUT,
    "MemoryError": MEMORY,
    "SystemExit": EXIT,
    "KeyboardInterrupt": EXIT,
    "GeneratorExit": EXIT,
    "PlainDataError": WRONG_TYPE,
}


def status_of_raised(type_name: str) -> Status:
    """The status of a call that raised an exception of this type (by name)."""
    return _RAISED.get(type_name, ERROR)


# Statuses that score nothing, whatever the cases say.
ZERO_SCORE = frozenset({NOT_FOUND, USES_REFERENCE, GRADER_ERROR, NOT_GRADED})

# Groups the class report counts: the exercise was not attempted; the file or the grader failed;
# the process died; the call gave no value to compare.
NOT_ATTEMPTED = frozenset({NOT_IMPLEMENTED, NOT_FOUND})
UNGRADED = frozenset({NOT_GRADED, GRADER_ERROR})
CRASHES = frozenset({CRASH, EXIT, MEMORY})
NO_VALUE = frozenset({ERROR, WRONG_TYPE, TIMEOUT, CRASH, EXIT, MEMORY})

# A submission's status in the grader's records (grades.json): GRADED when every exercise got a
# verdict, whatever the score; else MALFORMED (not a readable notebook), NOT_GRADED (an odd
# file: a link out of the class folder, a FIFO, a huge file) or GRADER_ERROR (the grader
# failed, not the student).
GRADED = "graded"
MALFORMED = "malformed"


def outcome_status(outcome: dict) -> Status | None:
    """The status of a call's outcome before any comparison: ``None`` when it returned a value
    (only a comparison can say whether it passed), else the status of what it raised."""
    if "value" in outcome:
        return None
    return status_of_raised(str(outcome.get("raised", "")))
