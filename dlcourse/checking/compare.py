"""Comparing what student code returned with what the reference returned.

A comparator is a callable ``compare(expected, got, case) -> Verdict``. Both values are plain
data (see ``studentside.to_plain``). Comparators run on the checking side only: in the
notebook's ``check`` and in the grader's own process, never next to student code.

The verdict says more than pass/fail: where the values differ, by how much, and, where the
difference has a recognisable shape (a transposed matrix, a flipped sign, a constant offset),
what mistake it usually comes from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Verdict:
    """The outcome of one comparison: ``passed``, what differs (``why``) and a ``hint``."""

    passed: bool
    why: str = ""
    hint: str = ""


PASS = Verdict(True)


def describe(value: Any, width: int = 70) -> str:
    """A short, readable description of a plain value: type, dtype, shape and a preview."""
    if isinstance(value, np.ndarray):
        head = f"{value.dtype} array of shape {value.shape}"
        if value.size == 0:
            return head + " (empty)"
        with np.printoptions(precision=6, threshold=12, edgeitems=3, linewidth=width,
                             suppress=False):
            body = np.array2string(value, separator=", ")
        body = " ".join(body.split())
        if len(body) > width:
            body = body[: width - 3] + "..."
        return f"{head}: {body}"
    if isinstance(value, tuple):
        return "tuple(" + ", ".join(describe(v, width // 2) for v in value) + ")"
    if isinstance(value, list):
        if len(value) > 6:
            return f"list of {len(value)} items: [{describe(value[0], width // 3)}, ...]"
        return "[" + ", ".join(describe(v, width // 2) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {describe(v, width // 2)}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        text = f"{value:.10g}"
        return text + ".0" if text.lstrip("-").isdigit() else text  # 3.0, not 3: a float
    return repr(value)


def _kind(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return "array"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "None"
    return type(value).__name__


def _kind_and_describe(value: Any, width: int = 40) -> str:
    """``describe`` led by the kind of value, unless the description already names it."""
    text = describe(value, width)
    if isinstance(value, (np.ndarray, tuple)) or value is None or (
            isinstance(value, list) and text.startswith("list of")):
        return text
    return f"{_kind(value)} {text}"


def _as_numeric(value: Any) -> np.ndarray | None:
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value
    if isinstance(value, (bool, int, float)):
        return np.asarray(value)
    return None


def _diagnose_values(exp: np.ndarray, got: np.ndarray, rtol: float, atol: float) -> str:
    """Name a recognisable mistake behind two arrays of the same shape that differ."""
    e = exp.astype(np.float64)
    g = got.astype(np.float64)
    if not np.all(np.isfinite(g)) and np.all(np.isfinite(e)):
        return ("the result contains NaN or inf where the expected values are finite: look for "
                "an overflow (exp of a large number), a division by zero or log(0).")
    if not np.all(np.isfinite(e)) or not np.all(np.isfinite(g)):
        return ""

    def close(a, b):
        return np.allclose(a, b, rtol=rtol, atol=atol)

    if e.ndim >= 1 and e.size > 1:
        if close(g, -e):
            return "every value has the wrong sign: check a minus sign (e.g. target − output)."
        diff = g - e
        if np.ptp(diff) <= atol + rtol * np.abs(e).max() and abs(diff.flat[0]) > atol:
            return (f"every value is off by the same amount ({diff.flat[0]:.6g}): a missing or "
                    "extra constant term, such as the bias?")
        nz = np.abs(e) > atol
        if nz.any():
            ratio = g[nz] / e[nz]
            if np.ptp(ratio) <= 1e-6 * max(1.0, abs(ratio[0])) and not close(ratio[0], 1.0):
                return (f"every value is {ratio[0]:.6g} times the expected one: a missing or "
                        "extra factor (a learning rate, 1/N for a mean, a 2 from a square)?")
        if e.ndim == 2 and e.shape[0] == e.shape[1] and close(g, e.T):
            return "the result is the transpose of the expected matrix."
        if e.ndim >= 1 and e.shape[0] > 1 and close(g, e[::-1]):
            return "the result is the expected one in reverse order along the first axis."
    return ""


def _compare_arrays(exp: np.ndarray, got: np.ndarray, rtol: float, atol: float, where: str,
                    check_dtype: bool) -> Verdict:
    if exp.shape != got.shape:
        hint = ""
        if got.size == 0 and exp.size > 0:
            hint = ("the result is empty: a slice like a[P:-P] with P = 0 is a[0:0], which holds "
                    "nothing; write the end out, a[P:P + H] or a[P:a.shape[0] - P].")
        elif got.shape == exp.shape[::-1] and exp.ndim == 2:
            hint = "the shape is transposed: check the order of a matrix product or a .T."
        elif got.size == exp.size:
            hint = "same number of values, different shape: a reshape, flatten or keepdims?"
        elif got.ndim == exp.ndim + 1 or got.ndim == exp.ndim - 1:
            hint = "one axis too many or too few: a sum/mean over the wrong axis, or keepdims?"
        return Verdict(False, f"{where}shape {got.shape}, expected {exp.shape}", hint)
    if check_dtype and exp.dtype.kind == "f" and got.dtype.kind not in "fiub":
        return Verdict(False, f"{where}dtype {got.dtype}, expected a {exp.dtype} array")
    if check_dtype and exp.dtype.kind in "fiu" and got.dtype.kind == "b":
        return Verdict(False, f"{where}got booleans (True/False), expected numbers "
                              f"({exp.dtype})",
                       "a comparison such as z > 0 gives booleans; turn them into numbers: "
                       "np.where(z > 0, 1.0, 0.0) or (z > 0).astype(float).")
    if (check_dtype and exp.dtype.kind in "iub" and got.dtype.kind == "f"
            and not (np.all(np.isfinite(got)) and np.all(got == np.round(got)))):
        return Verdict(False, f"{where}non-integer values where integers are expected")
    e = exp.astype(np.float64)
    g = got.astype(np.float64)
    nan_ok = np.isnan(e) & np.isnan(g)
    inf_ok = np.isinf(e) & (e == g)
    bad = ~(nan_ok | inf_ok) & ~(np.abs(g - e) <= atol + rtol * np.abs(e))
    if not bad.any():
        return PASS
    idx = np.unravel_index(int(np.argmax(np.where(bad, np.abs(np.nan_to_num(g - e, nan=np.inf)),
                                                  -1))), e.shape)
    index = tuple(int(i) for i in idx)
    n_bad = int(bad.sum())
    values = "value" if e.size == 1 else "values"
    if not e.ndim:
        at = ""
    elif n_bad == 1:
        at = f", at index {index}"
    else:
        at = f"; the largest difference is at index {index}"
    verb = "differs" if n_bad == 1 else "differ"

    def number(v: float, kind: str) -> str:  # 5.0 for a float, 5 for an integer
        return describe(float(v)) if kind == "f" else f"{v:.10g}"

    why = (f"{where}{n_bad} of {e.size} {values} {verb}{at}: "
           f"expected {number(e[idx], exp.dtype.kind)}, got {number(g[idx], got.dtype.kind)} "
           f"(tolerance: |got − expected| ≤ {atol:g} + {rtol:g}·|expected|)")
    return Verdict(False, why, _diagnose_values(e, g, rtol, atol))


def compare_values(expected: Any, got: Any, *, rtol: float = 1e-7, atol: float = 1e-9,
                   check_dtype: bool = True, where: str = "") -> Verdict:
    """Compare two plain values recursively with ``|got − expected| ≤ atol + rtol·|expected|``.

    Structure must match (a tuple of two arrays needs a tuple/list of two arrays); numbers may be
    given as 0-d arrays and vice versa; NaN matches NaN only where NaN is expected.
    """
    e_num, g_num = _as_numeric(expected), _as_numeric(got)
    if e_num is not None:
        if g_num is None:
            return Verdict(False, f"{where}got {_kind_and_describe(got)}, expected "
                                  f"{_kind(expected)}")
        if isinstance(expected, (int, float, bool)) and g_num.shape not in ((), (1,)):
            return Verdict(False, f"{where}got an array of shape {g_num.shape}, expected a "
                                  "single number", "return a number (e.g. float(x)), not an array.")
        if isinstance(expected, (int, float, bool)) and g_num.shape == (1,):
            g_num = g_num.reshape(())
        if (check_dtype and type(expected) is int and g_num.ndim == 0
                and g_num.dtype.kind == "f"):
            return Verdict(False, f"{where}got the float {float(g_num)!r}, expected an "
                                  f"integer ({expected})",
                           "return an int: use integer division // (/ always gives a float), "
                           "or int(...) of a whole number.")
        return _compare_arrays(e_num, g_num, rtol, atol, where, check_dtype)
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return Verdict(False, f"{where}got {_kind(got)}, expected a {type(expected).__name__}"
                                  f" of {len(expected)} items",
                           f"return {len(expected)} values, e.g. `return a, b`."
                           if len(expected) > 1 else "")
        if len(got) != len(expected):
            return Verdict(False, f"{where}got {len(got)} items, expected {len(expected)}")
        for i, (e, g) in enumerate(zip(expected, got, strict=True)):
            v = compare_values(e, g, rtol=rtol, atol=atol, check_dtype=check_dtype,
                               where=f"{where}item {i}: ")
            if not v.passed:
                return v
        return PASS
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return Verdict(False, f"{where}got {_kind(got)}, expected a dict")
        missing = sorted(set(expected) - set(got))
        if missing:
            return Verdict(False, f"{where}missing key(s) {', '.join(map(repr, missing))}")
        for k in expected:
            v = compare_values(expected[k], got[k], rtol=rtol, atol=atol,
                               check_dtype=check_dtype, where=f"{where}[{k!r}]: ")
            if not v.passed:
                return v
        return PASS
    if expected == got and type(expected) is type(got):
        return PASS
    return Verdict(False, f"{where}got {describe(got, 40)}, expected {describe(expected, 40)}")


Comparator = Callable[[Any, Any, Any], Verdict]


def close(rtol: float = 1e-7, atol: float = 1e-9, *, check_dtype: bool = True) -> Comparator:
    """Values equal within ``atol + rtol·|expected|``, shapes and structure identical."""

    def compare(expected: Any, got: Any, case: Any = None) -> Verdict:
        return compare_values(expected, got, rtol=rtol, atol=atol, check_dtype=check_dtype)

    compare.__doc__ = f"close(rtol={rtol:g}, atol={atol:g})"
    return compare


def exact(*, check_dtype: bool = True) -> Comparator:
    """Values exactly equal (integers, labels, truth tables)."""
    return close(0.0, 0.0, check_dtype=check_dtype)


Names = str | tuple  # a name, or a tuple of Names mirroring the structure of a result


def parts(names: Names, rtol: float = 1e-9, atol: float = 1e-11) -> Comparator:
    """Compare a nested result part by part, naming the first part that differs.

    ``names`` mirrors the result, e.g. ``("out", ("dx", "dw", "db"))`` for the ``(out, grads)``
    of ``drivers.forward_backward``: a failure reads "dw: 3 of 54 values differ ...", not
    "item 1: item 1: ...".
    """

    def compare(expected: Any, got: Any, case: Any = None) -> Verdict:
        return _compare_parts(names, expected, got, rtol, atol)

    compare.__doc__ = f"parts({_flat(names)}, rtol={rtol:g}, atol={atol:g})"
    return compare


def _flat(names: Names) -> str:
    if isinstance(names, str):
        return names
    return "(" + ", ".join(_flat(n) for n in names) + ")"


def _compare_parts(names: Names, expected: Any, got: Any, rtol: float, atol: float) -> Verdict:
    if isinstance(names, str):
        return compare_values(expected, got, rtol=rtol, atol=atol, where=f"{names}: ")
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        return Verdict(False, f"expected {len(names)} values {_flat(names)}; got "
                              f"{describe(got, 50)}",
                       f"return them as a tuple in this order: {_flat(names)}.")
    for name, e, g in zip(names, expected, got, strict=True):
        verdict = _compare_parts(name, e, g, rtol, atol)
        if not verdict.passed:
            return verdict
    return PASS


def failed_property(expected: Any, got: Any) -> str:
    """Which property of ``got`` fails, in words that reveal nothing of ``expected``'s values:
    its type or structure, its shape, NaN or infinity, or the values themselves. The grader's
    feedback on hidden cases says only this."""
    if isinstance(expected, (tuple, list)) and isinstance(got, (tuple, list)):
        if len(expected) != len(got):
            return "structure: a different number of values was returned"
        for e, g in zip(expected, got, strict=True):
            inner = failed_property(e, g)
            if inner != "values":
                return inner
        return "values"
    if isinstance(expected, dict) and isinstance(got, dict):
        if set(expected) != set(got):
            return "structure: different keys were returned"
        for key in expected:
            inner = failed_property(expected[key], got[key])
            if inner != "values":
                return inner
        return "values"
    e, g = _as_numeric(expected), _as_numeric(got)
    if e is None or g is None:
        return "type" if _kind(expected) != _kind(got) else "values"
    if e.shape != g.shape:
        return f"shape: got {g.shape}, which is not the expected shape"
    finite_e, finite_g = np.isfinite(e.astype(np.float64)), np.isfinite(g.astype(np.float64))
    if not np.array_equal(finite_e, finite_g):
        return "NaN or infinity: non-finite values where finite ones are expected, or the reverse"
    return "values"
