"""What runs next to the student's code: calling it on test inputs and turning results into data.

This module is deliberately standalone (standard library and NumPy only, torch imported lazily):
the class grader sends its source into the sandbox where a submission runs, where the rest of
``dlcourse`` is not importable. The notebook's ``check`` uses the very same functions in the
student's kernel, so a check cell and the grader call student code in the same way.

**Plain data** is what may cross from student code to the comparison: ``None``, ``bool``,
``int``, ``float``, ``str``, NumPy arrays of numbers or booleans, and lists, tuples and
string-keyed dicts of those. Torch tensors are converted to arrays. Anything else (a custom
object, a function, an object whose ``__eq__`` always says True) is refused with a message
saying what was returned.

**An outcome** is what one call of student code produced, and nothing more: either
``{"value": plain data}`` or ``{"raised": "TypeName", "message": "...", "where": "..."}``. It
never holds a status or a verdict: those are derived on the trusted side
(``dlcourse.checking.status``), from the value by comparison and from the exception's name.

**The wire format** (``encode``/``decode``) turns plain data into JSON and back; arrays travel
as ``{"__array__": [dtype, shape, base64 bytes]}``. ``decode`` is strict: it is what the grader
uses on every byte that comes out of the sandbox, so it checks every node's type, the dtypes,
shapes and sizes, the depth and the number of nodes, and raises ``WireError`` on anything else.
"""

from __future__ import annotations

import base64
import copy
import math
import numbers
import signal
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

MAX_ELEMENTS = 50_000_000  # per array returned by student code
MAX_DEPTH = 20             # nesting of lists, tuples and dicts
MAX_NODES = 200_000        # nodes in one decoded value
MAX_TEXT = 100_000         # characters in one decoded string
ARRAY_DTYPES = frozenset({"|b1", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8",
                          "<f2", "<f4", "<f8"})


class PlainDataError(TypeError):
    """A value that cannot be turned into plain data (see the module docstring)."""


class WireError(ValueError):
    """Data on the wire that is not a well-formed encoding of plain data."""


class CaseTimeout(BaseException):
    """Raised by the alarm when one call runs too long; a BaseException so that
    ``except Exception`` in student code does not swallow it."""


def _is_tensor(value: Any) -> bool:
    return type(value).__module__.split(".")[0] == "torch" and hasattr(value, "detach")


def to_plain(value: Any, where: str = "the result", _depth: int = 0,
             _budget: list[int] | None = None) -> Any:
    """Return ``value`` as plain data, or raise ``PlainDataError`` saying what is wrong.

    Arrays keep their dtype (numbers and booleans only); NumPy scalars become Python numbers;
    tensors become arrays (moved to the CPU, detached); tuples stay tuples and lists stay lists.
    At most ``MAX_NODES`` values in all (return an array rather than a list of a million
    numbers).
    """
    if _budget is None:
        _budget = [MAX_NODES]
    _budget[0] -= 1
    if _budget[0] < 0:
        raise PlainDataError(f"the result holds more than {MAX_NODES:,} separate values; "
                             "return a NumPy array instead of long lists.")
    if _depth > MAX_DEPTH:
        raise PlainDataError(f"{where} is nested more than {MAX_DEPTH} levels deep.")
    if value is None or type(value) in (bool, str, int, float):
        return value
    if isinstance(value, np.generic):
        return to_plain(value.item(), where, _depth + 1, _budget)
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
    if type(value) in (list, tuple):
        items = [to_plain(v, f"{where}[{i}]", _depth + 1, _budget) for i, v in enumerate(value)]
        return tuple(items) if type(value) is tuple else items
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a namedtuple: keep the values
        return tuple(to_plain(v, f"{where}.{f}", _depth + 1, _budget)
                     for f, v in zip(value._fields, value, strict=True))
    if type(value) is dict:
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise PlainDataError(f"{where} is a dict with a non-string key {k!r}.")
            out[k] = to_plain(v, f"{where}[{k!r}]", _depth + 1, _budget)
        return out
    if isinstance(value, str):  # a str subclass: keep the text only
        return str.__str__(value)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise PlainDataError(
        f"{where} is a {type(value).__module__}.{type(value).__qualname__} object; "
        "return a NumPy array, a number, or a tuple/list of those."
    )


def plain_bytes(value: Any, _depth: int = 0) -> int:
    """Roughly the memory a plain value holds: its arrays' bytes, its strings' length, 8 for
    anything else (what the grader counts of the values it keeps)."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, (list, tuple)) and _depth <= MAX_DEPTH + 1:
        return 8 * len(value) + sum(plain_bytes(v, _depth + 1) for v in value)
    if isinstance(value, dict) and _depth <= MAX_DEPTH + 1:
        return 8 * len(value) + sum(len(k) + plain_bytes(v, _depth + 1)
                                    for k, v in value.items())
    return len(value) if isinstance(value, str) else 8


# ---------------------------------------------------------------- the wire format


def encode(value: Any) -> Any:
    """Plain data as a JSON-able tree (arrays as dtype, shape and base64 bytes)."""
    if isinstance(value, np.ndarray):
        dtype = value.dtype.newbyteorder("<") if value.dtype.byteorder == ">" else value.dtype
        array = np.array(value, dtype=dtype, order="C", copy=None)  # keeps 0-d arrays 0-d
        return {"__array__": [array.dtype.str, list(array.shape),
                              base64.b64encode(array.tobytes()).decode("ascii")]}
    if isinstance(value, float) and not math.isfinite(value):
        return {"__float__": repr(value)}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(x) for x in value]}
    if isinstance(value, list):
        return [encode(x) for x in value]
    if isinstance(value, dict):
        return {"__dict__": {k: encode(x) for k, x in value.items()}}
    return value


def decode(tree: Any) -> Any:
    """Inverse of ``encode``, strict: anything that ``encode`` cannot have made raises
    ``WireError`` (unknown node, odd dtype, shape that does not match the bytes, too deep,
    too many nodes or elements)."""
    budget = [MAX_NODES]
    return _decode(tree, 0, budget)


def _decode(tree: Any, depth: int, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise WireError(f"more than {MAX_NODES:,} values")
    if depth > MAX_DEPTH + 1:
        raise WireError(f"nested more than {MAX_DEPTH} levels deep")
    if tree is None or type(tree) in (bool, int):
        return tree
    if type(tree) is float:
        if not math.isfinite(tree):
            raise WireError("a bare non-finite float")
        return tree
    if type(tree) is str:
        if len(tree) > MAX_TEXT:
            raise WireError(f"a string of {len(tree):,} characters")
        return tree
    if type(tree) is list:
        return [_decode(x, depth + 1, budget) for x in tree]
    if type(tree) is not dict or len(tree) != 1:
        raise WireError(f"unexpected {type(tree).__name__} node")
    (key, body), = tree.items()
    if key == "__float__":
        if body not in ("nan", "inf", "-inf"):
            raise WireError(f"__float__ must be nan, inf or -inf; got {str(body)[:20]!r}")
        return float(body)
    if key == "__tuple__" and type(body) is list:
        return tuple(_decode(x, depth + 1, budget) for x in body)
    if key == "__dict__" and type(body) is dict:
        return {k: _decode(x, depth + 1, budget) for k, x in body.items()}
    if key == "__array__":
        return _decode_array(body)
    raise WireError(f"unexpected node {key[:20]!r}")


def _decode_array(body: Any) -> np.ndarray:
    if type(body) is not list or len(body) != 3:
        raise WireError("__array__ must be [dtype, shape, data]")
    dtype, shape, data = body
    if dtype not in ARRAY_DTYPES:
        raise WireError(f"array dtype {str(dtype)[:20]!r} is not allowed")
    if (type(shape) is not list or len(shape) > 32
            or not all(type(n) is int and 0 <= n <= MAX_ELEMENTS for n in shape)):
        raise WireError("array shape must be a list of at most 32 sizes")
    size = math.prod(shape)
    if size > MAX_ELEMENTS:
        raise WireError(f"array of {size:,} elements")
    if type(data) is not str:
        raise WireError("array data must be base64 text")
    itemsize = np.dtype(dtype).itemsize
    if len(data) != 4 * math.ceil(size * itemsize / 3):
        raise WireError("array data does not match its shape and dtype")
    try:
        raw = base64.b64decode(data, validate=True)
    except ValueError as err:
        raise WireError(f"array data is not base64 ({err})") from None
    if len(raw) != size * itemsize:
        raise WireError("array data does not match its shape and dtype")
    return np.frombuffer(raw, dtype=np.dtype(dtype)).reshape(shape).copy()


# ---------------------------------------------------------------- calling student code


def _alarm(signum, frame):  # pragma: no cover - exercised through call_student
    raise CaseTimeout


def _short_traceback(err: BaseException, limit: int = 3) -> str:
    frames = traceback.extract_tb(err.__traceback__)
    own = [f for f in frames if not f.filename.startswith("<dlcourse")
           and not f.filename.endswith(("studentside.py", "child.py"))]
    return "".join(traceback.format_list(own[-limit:])).rstrip()


def _text(value: Any, limit: int = 2000) -> str:
    """A message as safe text: any object, any surrogate, cut to ``limit`` characters."""
    try:
        text = str(value)
    except BaseException:  # an exception whose __str__ raises
        text = "<the message could not be read>"
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= limit else text[:limit] + " …"


def raised(err: BaseException, message: str | None = None, where: str = "") -> dict[str, str]:
    """The outcome of a call that raised ``err``: its type name and message, never a status."""
    return {"raised": type(err).__name__,
            "message": _text(err if message is None else message), "where": _text(where)}


def call_student(driver: Callable, impls: tuple, args: tuple, kwargs: dict,
                 timeout: float | None = None) -> dict[str, Any]:
    """Call ``driver(impls, args, kwargs)`` on copies of the inputs and return its outcome.

    Never raises. The outcome is ``{"value": plain data}``, or ``{"raised": "TypeName",
    "message": ..., "where": short traceback}`` when the call raised, timed out (``CaseTimeout``)
    or returned something that is not plain data (``PlainDataError``). ``timeout`` (seconds,
    main thread on Unix only) interrupts code stuck in Python.
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
    except CaseTimeout as err:
        return raised(err, f"did not finish within {timeout:g} s")
    except MemoryError as err:
        return raised(err, "ran out of the memory allowed")
    except (SystemExit, KeyboardInterrupt, GeneratorExit) as err:
        return raised(err, f"{type(err).__name__} raised: the code tried to stop")
    except RecursionError as err:
        return raised(err)
    except BaseException as err:
        return raised(err, where=_short_traceback(err))
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    try:
        return {"value": to_plain(result)}
    except PlainDataError as err:
        return raised(err)
    except BaseException as err:  # a hostile object whose attributes raise
        return raised(PlainDataError(), f"the result could not be read: {_text(repr(err))}")


def load_driver(sources: list[str] | str, name: str) -> Callable:
    """Build a driver from source text, as the sandbox does: each source (the shared driver
    library first, then the driver itself where it lives elsewhere) runs in one namespace that
    starts with ``np``; the function called ``name`` is the driver."""
    namespace: dict[str, Any] = {"np": np, "__name__": "dlcourse_drivers"}
    for i, source in enumerate([sources] if isinstance(sources, str) else sources):
        exec(compile(source, f"<dlcourse driver {name} {i}>", "exec"), namespace)
    return namespace[name]
