"""Checking a layer written as a forward/backward pair (CS231n style), shared by the chapters.

A student writes ``xxx_forward(x, ...) -> (out, cache)`` and ``xxx_backward(dout, cache) ->
grads``. The check must call the student's backward with the student's own cache (whatever it
holds), so one exercise covers both functions: the case carries the forward's arguments in
``args`` (and ``kwargs``) plus the upstream gradient as ``kwargs["dout"]``, and the drivers
here run forward then backward. ``parts`` compares the result piece by piece and names the piece
that is wrong ("dw: 3 of 54 values differ ..."), instead of "item 1: item 1: ...";
``safe_diagnose`` keeps a hint function from crashing on unexpected output.

Not an exercise module (its name does not start with ``chNN_``), so the registry skips it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from dlcourse.checking.compare import Comparator, Verdict, compare_values, describe

Names = str | tuple  # a name, or a tuple of Names mirroring the structure of the result


def forward_backward(impls, args, kwargs):
    """(out, grads): ``out, cache = forward(*args, **kwargs)``, ``grads = backward(dout, cache)``.

    ``kwargs["dout"]`` is the upstream gradient; every other keyword goes to the forward.
    Raises if either function changes an array it was given, in place.

    ``kwargs["speed"]``, where a case gives it, times the pair: ``{"factor": f, "einsums":
    [[subscripts, [shape, ...]], ...]}``. The yardstick is ``np.einsum`` of those subscripts on
    random arrays of those shapes (the first operand copied first, as an im2col copies the
    windows), timed in this same process, so the test means the same on any machine. It is
    einsum's own C loop (no optimize, no BLAS), which a busy machine cannot slow by making
    threads fight over the cores. Forward plus backward may take at most f times as long; else
    a ``RuntimeError`` says "too slow". Both times are the fastest of up to five interleaved
    rounds.
    """
    kwargs = dict(kwargs)
    dout = kwargs.pop("dout")
    speed = kwargs.pop("speed", None)
    kept = [a.copy() if isinstance(a, np.ndarray) else None for a in (*args, dout)]
    result = impls[0](*args, **kwargs)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise TypeError("the forward function must return the pair (out, cache); got "
                        f"{type(result).__name__}"
                        + (f" of length {len(result)}" if isinstance(result, (tuple, list))
                           else ""))
    out, cache = result
    grads = impls[1](dout, cache)
    for i, (now, before) in enumerate(zip((*args, dout), kept, strict=True)):
        if before is not None and not np.array_equal(now, before, equal_nan=True):
            what = "dout"
            if i < len(args):
                import inspect

                try:
                    what = list(inspect.signature(impls[0]).parameters)[i]
                except (TypeError, ValueError, IndexError):
                    what = f"argument {i + 1}"
            raise ValueError(f"{what} was changed in place; leave the arrays you are given "
                             "alone and compute new ones (y = y * 2, not y *= 2).")
    if speed is not None:
        import time

        def best(fn, repeat):
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
            return min(times)

        rng = np.random.default_rng(0)
        stick = [(str(spec), [rng.random(tuple(int(s) for s in shape)) for shape in shapes])
                 for spec, shapes in speed["einsums"]]

        def yardstick():
            for spec, (first, *rest) in stick:
                np.einsum(spec, first.copy(), *rest, optimize=False)

        def pair():
            impls[1](dout, impls[0](*args, **kwargs)[1])

        factor = float(speed["factor"])
        took = stick_took = float("inf")
        for _round in range(5):
            stick_took = min(stick_took, best(yardstick, 3))
            took = min(took, best(pair, 1))
            if took <= factor * stick_took:
                break
        else:
            raise RuntimeError(
                f"too slow: forward + backward took {1e3 * took:.0f} ms on this case, "
                f"{took / stick_took:.0f} times as long as NumPy's einsum over arrays of the same "
                f"sizes ({1e3 * stick_took:.2f} ms, timed just now); at most {factor:g} times is "
                "allowed. Is there a Python loop over every single output value?")
    return out, grads


def forward_stats_backward(impls, args, kwargs):
    """(out, new_running_mean, new_running_var, grads) for batch norm's three functions.

    ``impls`` = (forward, backward, running_stats); ``args`` = (x, gamma, beta, running_mean,
    running_var). ``out, cache = forward(*args, **kwargs)``, ``grads = backward(dout, cache)``
    and ``new_running_mean, new_running_var = running_stats(x, running_mean, running_var,
    momentum=momentum)``, ``dout`` and ``momentum`` being taken out of ``kwargs``. Raises if a
    function returns the wrong number of values or changes an array it was given (the running
    statistics, say) in place.
    """
    kwargs = dict(kwargs)
    dout = kwargs.pop("dout")
    momentum = kwargs.pop("momentum")
    kept = [a.copy() if isinstance(a, np.ndarray) else None for a in (*args, dout)]
    result = impls[0](*args, **kwargs)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise TypeError("the forward function must return the pair (out, cache), like every "
                        "layer; the running statistics come from the third function. Got "
                        + type(result).__name__
                        + (f" of length {len(result)}" if isinstance(result, (tuple, list))
                           else ""))
    out, cache = result
    grads = impls[1](dout, cache)
    stats = impls[2](args[0], args[3], args[4], momentum=momentum)
    if not isinstance(stats, (tuple, list)) or len(stats) != 2:
        raise TypeError("the running-statistics function must return the pair "
                        "(new_running_mean, new_running_var); got " + type(stats).__name__
                        + (f" of length {len(stats)}" if isinstance(stats, (tuple, list))
                           else ""))
    for i, (now, before) in enumerate(zip((*args, dout), kept, strict=True)):
        if before is not None and not np.array_equal(now, before, equal_nan=True):
            what = "dout"
            if i < len(args):
                import inspect

                try:
                    what = list(inspect.signature(impls[0]).parameters)[i]
                except (TypeError, ValueError, IndexError):
                    what = f"argument {i + 1}"
            raise ValueError(f"{what} was changed in place; return new arrays (new_running_mean "
                             "= (1 − momentum)·running_mean + ..., not running_mean *= ...).")
    return out, stats[0], stats[1], grads


def _flat(names: Names) -> str:
    if isinstance(names, str):
        return names
    return "(" + ", ".join(_flat(n) for n in names) + ")"


def _compare(names: Names, expected: Any, got: Any, rtol: float, atol: float) -> Verdict:
    if isinstance(names, str):
        return compare_values(expected, got, rtol=rtol, atol=atol, where=f"{names}: ")
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        return Verdict(False, f"expected {len(names)} values {_flat(names)}; got "
                              f"{describe(got, 50)}",
                       f"return them as a tuple in this order: {_flat(names)}.")
    for name, e, g in zip(names, expected, got, strict=True):
        verdict = _compare(name, e, g, rtol, atol)
        if not verdict.passed:
            return verdict
    return Verdict(True)


def parts(names: Names, rtol: float = 1e-9, atol: float = 1e-11) -> Comparator:
    """Compare a nested result part by part, naming the first part that differs.

    ``names`` mirrors the result, e.g. ``("out", ("dx", "dw", "db"))`` for ``(out, grads)``.
    """

    def compare(expected: Any, got: Any, case: Any = None) -> Verdict:
        return _compare(names, expected, got, rtol, atol)

    compare.__doc__ = f"parts({_flat(names)}, rtol={rtol:g}, atol={atol:g})"
    return compare


def safe_diagnose(diagnose: Callable[..., str | None]) -> Callable[..., str | None]:
    """Wrap a ``diagnose(case, expected, got)`` so that odd student output gives no hint
    instead of an exception (a hint is a bonus; the comparator has already said what is wrong).
    """

    @functools.wraps(diagnose)
    def wrapped(case: Any, expected: Any, got: Any) -> str | None:
        try:
            return diagnose(case, expected, got)
        except Exception:
            return None

    return wrapped
