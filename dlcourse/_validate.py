"""Argument checks shared by the public functions.

Every public function validates what it is given and raises an error that says what is wrong
and what to do about it, instead of failing deep inside NumPy with a broadcasting message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np


def as_array(x: Any, name: str, *, func: str, ndim: int | Sequence[int] | None = None,
             layout: str = "", dtype: type | None = np.float64) -> np.ndarray:
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
            f"{func}: {name} must be array-like of numbers; got {type(x).__name__} ({err})."
        ) from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            wanted = " or ".join(f"{n}-D" for n in allowed)
            hint = f" laid out as {layout}" if layout else ""
            raise ValueError(
                f"{func}: {name} must be a {wanted} array{hint}; got shape {arr.shape}."
                + _reshape_hint(arr.ndim, allowed)
            )
    return arr


def _reshape_hint(got: int, allowed: tuple[int, ...]) -> str:
    if got + 1 in allowed:
        return " For a single example, add a leading batch axis (x[None])."
    if got - 1 in allowed and got > 0:
        return " Did you pass a batch where one example was expected, or vice versa?"
    return ""


def check_same_size(a: int, b: int, what: str, *, func: str) -> None:
    """Raise if two sizes that must agree do not (``what`` describes them)."""
    if a != b:
        raise ValueError(f"{func}: {what} must match; got {a} and {b}.")


def positive_int(value: Any, name: str, *, func: str, minimum: int = 1) -> int:
    """Return ``value`` as an int, raising if it is not an integer ≥ ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{func}: {name} must be an integer; got {value!r}.")
    if value < minimum:
        raise ValueError(f"{func}: {name} must be at least {minimum}; got {value}.")
    return int(value)


def real_in_range(value: Any, name: str, *, func: str, low: float | None = None,
                  high: float | None = None, low_open: bool = False,
                  high_open: bool = False) -> float:
    """Return ``value`` as a float, raising if it is not a real number in the given range."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{func}: {name} must be a real number; got {value!r}.")
    v = float(value)
    if not np.isfinite(v):
        raise ValueError(f"{func}: {name} must be finite; got {v}.")
    if low is not None and (v < low or (low_open and v == low)):
        raise ValueError(f"{func}: {name} must be {'>' if low_open else '≥'} {low}; got {v}.")
    if high is not None and (v > high or (high_open and v == high)):
        raise ValueError(f"{func}: {name} must be {'<' if high_open else '≤'} {high}; got {v}.")
    return v


def one_of(value: Any, choices: Iterable[str], name: str, *, func: str) -> str:
    """Return ``value`` if it is one of ``choices`` (case-insensitive for strings)."""
    options = list(choices)
    key = value.lower() if isinstance(value, str) else value
    lowered = {c.lower(): c for c in options}
    if key not in lowered:
        raise ValueError(
            f"{func}: unknown {name} {value!r}; choose one of {', '.join(map(repr, options))}."
        )
    return lowered[key]
