"""What runs next to the student's code: calling it on test inputs and turning results into data.

This module is deliberately standalone (standard library and NumPy only, torch imported lazily):
the class grader copies it into the sandbox where a submission runs, where the rest of
``dlcourse`` is not importable. The notebook's ``check`` uses the very same functions in the
student's kernel, so a check cell and the grader call student code in the same way.

Plain data is what may cross from student code to the comparison: ``None``, ``bool``, ``int``,
``float``, ``str``, NumPy arrays of numbers or booleans, and lists, tuples and string-keyed dicts
of those. Torch tensors are converted to arrays. Anything else (a custom object, a function, an
object whose ``__eq__`` always says True) is refused with a message saying what was returned.
"""

from __future__ import annotations

import copy
import json
import math
import numbers
import signal
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

MAX_ELEMENTS = 50_000_000  # per value returned by student code
MAX_DEPTH = 20

# Statuses of one call of student code, before any comparison.
OK = "ok"
NOT_IMPLEMENTED = "not implemented"
ERROR = "error"
WRONG_TYPE = "wrong type"
TIMEOUT = "timeout"
MEMORY = "memory"
EXIT = "exit"


class PlainDataError(TypeError):
    """A value that cannot be turned into plain data (see the module docstring)."""


def _is_tensor(value: Any) -> bool:
    return type(value).__module__.split(".")[0] == "torch" and hasattr(value, "detach")


def to_plain(value: Any, where: str = "the result", _depth: int = 0) -> Any:
    """Return ``value`` as plain data, or raise ``PlainDataError`` saying what is wrong.

    Arrays keep their dtype (numbers and booleans only); NumPy scalars become Python numbers;
    tensors become arrays (moved to the CPU, detached); tuples stay tuples and lists stay lists.
    """
    if _depth > MAX_DEPTH:
        raise PlainDataError(f"{where} is nested more than {MAX_DEPTH} levels deep.")
    if value is None or isinstance(value, (bool, str)):
        return value
    if type(value) in (int, float):
        return value
    if isinstance(value, np.generic):
        return to_plain(value.item(), where, _depth + 1)
    if _is_tensor(value):
        value = value.detach().cpu()
        if value.dtype.is_complex:
            raise PlainDataError(f"{where} is a complex tensor; return real numbers.")
        value = value.resolve_conj().numpy() if hasattr(value, "resolve_conj") else value.numpy()
    if isinstance(value, np.ndarray):
        if type(value) is not np.ndarray:  # subclasses (np.matrix, masked arrays) misbehave
            value = np.asarray(value).view(np.ndarray)
        if value.dtype.kind not in "biuf":
            raise PlainDataError(
                f"{where} is an array of dtype {value.dtype}; return an array of numbers."
            )
        if value.size > MAX_ELEMENTS:
            raise PlainDataError(f"{where} has {value.size:,} elements; that is too many.")
        return np.array(value, copy=True)
    if isinstance(value, (list, tuple)) and type(value) in (list, tuple):
        items = [to_plain(v, f"{where}[{i}]", _depth + 1) for i, v in enumerate(value)]
        return tuple(items) if type(value) is tuple else items
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a namedtuple: keep the values
        return tuple(to_plain(v, f"{where}.{f}", _depth + 1)
                     for f, v in zip(value._fields, value, strict=True))
    if type(value) is dict:
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise PlainDataError(f"{where} is a dict with a non-string key {k!r}.")
            out[k] = to_plain(v, f"{where}[{k!r}]", _depth + 1)
        return out
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise PlainDataError(
        f"{where} is a {type(value).__module__}.{type(value).__qualname__} object; "
        "return a NumPy array, a number, or a tuple/list of those."
    )


# ---------------------------------------------------------------- encoding for the sandbox


def encode(value: Any) -> tuple[Any, dict[str, np.ndarray]]:
    """Split plain data into a JSON-able tree and a dict of arrays (for ``np.savez``)."""
    arrays: dict[str, np.ndarray] = {}

    def walk(v: Any) -> Any:
        if isinstance(v, np.ndarray):
            key = f"a{len(arrays)}"
            arrays[key] = v
            return {"__array__": key}
        if isinstance(v, float) and not math.isfinite(v):
            return {"__float__": repr(v)}
        if isinstance(v, tuple):
            return {"__tuple__": [walk(x) for x in v]}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {"__dict__": {k: walk(x) for k, x in v.items()}}
        return v

    return walk(value), arrays


def decode(tree: Any, arrays: Any) -> Any:
    """Inverse of ``encode``: rebuild plain data from the tree and the arrays."""
    if isinstance(tree, list):
        return [decode(x, arrays) for x in tree]
    if isinstance(tree, dict):
        if "__array__" in tree:
            return np.array(arrays[tree["__array__"]], copy=True)
        if "__float__" in tree:
            return float(tree["__float__"])
        if "__tuple__" in tree:
            return tuple(decode(x, arrays) for x in tree["__tuple__"])
        if "__dict__" in tree:
            return {k: decode(x, arrays) for k, x in tree["__dict__"].items()}
        raise ValueError(f"decode: unexpected node {sorted(tree)}")
    return tree


def save(prefix: str, value: Any) -> None:
    """Write plain data to ``prefix.json`` and ``prefix.npz`` (no pickles anywhere)."""
    tree, arrays = encode(value)
    np.savez(prefix + ".npz", **arrays)
    with open(prefix + ".json", "w", encoding="utf-8") as fh:
        json.dump(tree, fh)


def load(prefix: str) -> Any:
    """Read what ``save`` wrote. Arrays are loaded with ``allow_pickle=False``."""
    with open(prefix + ".json", encoding="utf-8") as fh:
        tree = json.load(fh)
    with np.load(prefix + ".npz", allow_pickle=False) as arrays:
        return decode(tree, arrays)


# ---------------------------------------------------------------- calling student code


class _CaseTimeout(BaseException):
    """Raised by the alarm; a BaseException so that ``except Exception`` in student code
    does not swallow it."""


def _alarm(signum, frame):  # pragma: no cover - exercised through call_student
    raise _CaseTimeout


def _short_traceback(err: BaseException, limit: int = 3) -> str:
    frames = traceback.extract_tb(err.__traceback__)
    own = [f for f in frames if not f.filename.endswith(("studentside.py", "child.py"))]
    lines = traceback.format_list(own[-limit:])
    return "".join(lines).rstrip()


def call_student(driver: Callable, impls: tuple, args: tuple, kwargs: dict,
                 timeout: float | None = None) -> dict[str, Any]:
    """Call ``driver(impls, args, kwargs)`` on copies of the inputs; never raise.

    Returns a record ``{"status": ..., "value": plain data}`` on success, or
    ``{"status": ..., "error": "TypeName: message", "where": short traceback}``.
    ``timeout`` (seconds, main thread on Unix only) interrupts code stuck in Python.
    """
    args = copy.deepcopy(args)
    kwargs = copy.deepcopy(kwargs)
    use_alarm = bool(timeout) and hasattr(signal, "setitimer")
    if use_alarm:
        try:
            previous = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, timeout)
        except ValueError:  # not the main thread: run without the alarm
            use_alarm = False
    try:
        result = driver(impls, args, kwargs)
    except NotImplementedError as err:
        return {"status": NOT_IMPLEMENTED, "error": f"NotImplementedError: {err}"}
    except _CaseTimeout:
        return {"status": TIMEOUT, "error": f"did not finish within {timeout:g} s"}
    except MemoryError:
        return {"status": MEMORY, "error": "MemoryError: ran out of the memory allowed"}
    except (SystemExit, KeyboardInterrupt) as err:
        return {"status": EXIT, "error": f"{type(err).__name__} raised: the code tried to stop"}
    except RecursionError as err:
        return {"status": ERROR, "error": f"RecursionError: {err}"}
    except Exception as err:
        return {"status": ERROR, "error": f"{type(err).__name__}: {err}",
                "where": _short_traceback(err)}
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    try:
        return {"status": OK, "value": to_plain(result)}
    except PlainDataError as err:
        return {"status": WRONG_TYPE, "error": str(err)}
    except Exception as err:  # a hostile object whose attributes raise
        return {"status": WRONG_TYPE, "error": f"the result could not be read: {err!r}"}


def load_driver(source: str, name: str) -> Callable:
    """Build a driver function from its source text (as the sandbox does)."""
    namespace: dict[str, Any] = {"np": np}
    exec(compile(source, f"<driver {name}>", "exec"), namespace)
    return namespace[name]
