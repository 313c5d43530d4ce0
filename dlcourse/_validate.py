"""Argument checks shared by the public functions.

Every public function validates what it is given and raises an error that says what is wrong
and what to do about it, instead of failing deep inside NumPy with a broadcasting message.

An error names the public function that was called, e.g. ``dense_forward: x must be a 2-D
array laid out as (N, D); got shape (3,).`` The checks find that name themselves
(``public_name``), so a function does not restate its own name::

    def dense_forward(x, W, b):
        x = as_array(x, "x", ndim=2, layout="(N, D)")
        ...
        raise ValueError(f"{public_name()}: x has {x.shape[1]} columns but W has ...")

A private helper (``_check_dout``) is skipped, so its errors name the public function that
called it; a method is named ``Class.method``, a constructor by its class; a fast path named
after its readable twin (``_conv2d_backward_fast`` next to ``conv2d_backward``) reports as the
twin. Pass ``func=`` only where a message must name something else (a widget's class named
after the function that builds it, say).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np


def public_name() -> str:
    """The name of the public function (or class) of ``dlcourse`` that is running: the
    innermost frame on the call stack that belongs to the package and is neither private
    (``_helper``), nor a comprehension or lambda, nor in this module. A fast path
    ``_name_fast`` answers for its readable twin ``name`` in the same module.

    Only error paths call it, so checks cost nothing when the arguments are right.
    """
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module != "dlcourse" and not module.startswith("dlcourse."):
            break
        code = frame.f_code
        name = code.co_name
        if module != __name__ and not name.startswith("<"):
            qualname = code.co_qualname.rsplit("<locals>.", 1)[-1]
            if name.startswith("__") and name.endswith("__"):       # Class.__init__ -> Class
                owner = qualname.rpartition(".")[0]
                if owner and not owner.rpartition(".")[2].startswith("_"):
                    return owner
            elif not name.startswith("_"):
                return qualname
            elif name.endswith("_fast") and callable(frame.f_globals.get(name[1:-5])):
                return name[1:-5]
        frame = frame.f_back
    return "dlcourse"


def _who(func: str | None) -> str:
    return func or public_name()


def as_array(x: Any, name: str, *, func: str | None = None,
             ndim: int | Sequence[int] | None = None, layout: str = "",
             dtype: type | None = np.float64) -> np.ndarray:
    """Convert ``x`` to a NumPy array of ``dtype`` and check its number of axes.

    ``layout`` names the axes for the error message, e.g. ``"(N, C, H, W)"``; ``dtype=None``
    keeps the input's dtype (integer labels, for instance).
    Torch tensors are accepted (moved to the CPU and converted).
    """
    if hasattr(x, "detach") and hasattr(x, "cpu"):
        x = x.detach().cpu().numpy()
    try:
        arr = np.asarray(x, dtype=dtype)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"{_who(func)}: {name} must be array-like of numbers; got {type(x).__name__} ({err})."
        ) from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            wanted = " or ".join(f"{n}-D" for n in allowed)
            hint = f" laid out as {layout}" if layout else ""
            raise ValueError(
                f"{_who(func)}: {name} must be a {wanted} array{hint}; got shape {arr.shape}."
                + _reshape_hint(arr.ndim, allowed)
            )
    return arr


def _reshape_hint(got: int, allowed: tuple[int, ...]) -> str:
    if got + 1 in allowed:
        return " For a single example, add a leading batch axis (x[None])."
    if got - 1 in allowed and got > 0:
        return " Did you pass a batch where one example was expected, or vice versa?"
    return ""


def check_same_size(a: int, b: int, what: str, *, func: str | None = None) -> None:
    """Raise if two sizes that must agree do not (``what`` describes them)."""
    if a != b:
        raise ValueError(f"{_who(func)}: {what} must match; got {a} and {b}.")


def positive_int(value: Any, name: str, *, func: str | None = None, minimum: int = 1) -> int:
    """Return ``value`` as an int, raising if it is not an integer ≥ ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{_who(func)}: {name} must be an integer; got {value!r}.")
    if value < minimum:
        raise ValueError(f"{_who(func)}: {name} must be at least {minimum}; got {value}.")
    return int(value)


def real_in_range(value: Any, name: str, *, func: str | None = None, low: float | None = None,
                  high: float | None = None, low_open: bool = False,
                  high_open: bool = False) -> float:
    """Return ``value`` as a float, raising if it is not a real number in the given range."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{_who(func)}: {name} must be a real number; got {value!r}.")
    v = float(value)
    if not np.isfinite(v):
        raise ValueError(f"{_who(func)}: {name} must be finite; got {v}.")
    if low is not None and (v < low or (low_open and v == low)):
        raise ValueError(f"{_who(func)}: {name} must be {'>' if low_open else '≥'} {low}; "
                         f"got {v}.")
    if high is not None and (v > high or (high_open and v == high)):
        raise ValueError(f"{_who(func)}: {name} must be {'<' if high_open else '≤'} {high}; "
                         f"got {v}.")
    return v


def one_of(value: Any, choices: Iterable[str], name: str, *, func: str | None = None) -> str:
    """Return ``value`` if it is one of ``choices`` (case-insensitive for strings)."""
    options = list(choices)
    key = value.lower() if isinstance(value, str) else value
    lowered = {c.lower(): c for c in options}
    if key not in lowered:
        raise ValueError(f"{_who(func)}: unknown {name} {value!r}; choose one of "
                         f"{', '.join(map(repr, options))}.")
    return lowered[key]
