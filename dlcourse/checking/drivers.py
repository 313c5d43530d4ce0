"""Drivers: how a check calls the student's code on one test case.

A driver is a function ``driver(impls, args, kwargs) -> result``. ``impls`` is the tuple of the
student's functions or classes for the exercise (or the reference ones, in the same order).
The driver's result is turned into plain data and compared with the same driver applied to the
reference implementation.

Drivers run next to student code, also inside the grader's sandbox, where only NumPy (as ``np``)
and the standard library are available. So every driver must be self-contained: it may use
``np``, builtins and modules it imports inside its own body (torch, for instance), nothing else
from its module. ``tests/test_exercises.py`` checks this for every exercise.
"""

from __future__ import annotations

import numpy as np


def call(impls, args, kwargs):
    """Call the (single) function with the case's arguments.

    Raises ``ValueError`` if the function changed an array it was given (also one inside a
    list, tuple or dict) in place: in a notebook that would silently change the caller's data.
    """
    import copy

    kept = copy.deepcopy((args, kwargs))
    result = impls[0](*args, **kwargs)

    def same(now, before):
        if isinstance(before, np.ndarray):
            return (isinstance(now, np.ndarray) and now.shape == before.shape
                    and np.array_equal(now, before, equal_nan=before.dtype.kind in "fc"))
        if isinstance(before, (list, tuple)):
            return (isinstance(now, (list, tuple)) and len(now) == len(before)
                    and all(same(a, b) for a, b in zip(now, before, strict=True)))
        if isinstance(before, dict):
            return isinstance(now, dict) and all(k in now and same(now[k], v)
                                                 for k, v in before.items())
        return True

    changed = [f"argument {i + 1}" for i, (now, before) in enumerate(zip(args, kept[0],
                                                                          strict=True))
               if not same(now, before)]
    changed += [k for k, v in kwargs.items() if not same(v, kept[1][k])]
    if changed:
        import inspect

        try:
            names = list(inspect.signature(impls[0]).parameters)
        except (TypeError, ValueError):
            names = []
        what = [names[int(c.split()[1]) - 1] if c.startswith("argument ") and
                int(c.split()[1]) <= len(names) else c for c in changed]
        raise ValueError(f"{' and '.join(what)} {'was' if len(what) == 1 else 'were'} changed "
                         f"in place; return new arrays ({what[0]}_new = {what[0]} - step, not "
                         f"{what[0]} -= step; or work on {what[0]}.copy()).")
    return result


def call_with_tensors(impls, args, kwargs):
    """Call the function with every array argument turned into a float64 torch tensor."""
    import torch

    def to_tensor(v):
        if isinstance(v, np.ndarray):
            return torch.from_numpy(v.copy())
        return v

    return impls[0](*[to_tensor(a) for a in args], **{k: to_tensor(v) for k, v in kwargs.items()})


def driver_sources(driver) -> list[str]:
    """The source texts that rebuild ``driver`` where only NumPy is importable (the grader's
    sandbox): this module whole, so that drivers can share its helpers, then the driver's own
    source if it is defined elsewhere. ``studentside.load_driver`` runs them in order."""
    import inspect
    import sys

    library = inspect.getsource(sys.modules[__name__])
    if getattr(driver, "__module__", None) == __name__:
        return [library]
    return [library, inspect.getsource(driver)]
