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
    """Call the (single) function with the case's arguments."""
    return impls[0](*args, **kwargs)


def call_with_tensors(impls, args, kwargs):
    """Call the function with every array argument turned into a float64 torch tensor."""
    import torch

    def to_tensor(v):
        if isinstance(v, np.ndarray):
            return torch.from_numpy(v.copy())
        return v

    return impls[0](*[to_tensor(a) for a in args], **{k: to_tensor(v) for k, v in kwargs.items()})
