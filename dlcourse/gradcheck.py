"""Numerical gradient checking: compare a back-propagated gradient with central differences.

    ∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / (2h)

has error O(h²) from the Taylor series plus about ε_machine·|f|/h from rounding; h = 1e-6 in
float64 balances the two, and a correct gradient then agrees to a relative error of about
1e-8 or better. A wrong backward usually gives 1e-2 or more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

from dlcourse._validate import as_array, public_name, real_in_range


class Model(Protocol):
    """Anything with a list of parameter arrays and a ``loss(x, y) -> (loss, grads)``."""

    params: list[np.ndarray]

    def loss(self, x: Any, y: Any) -> tuple[float, Sequence[np.ndarray]]: ...


def _scalar(value: Any) -> float:
    arr = np.asarray(value, dtype=np.float64)
    if arr.size != 1:
        raise ValueError(f"numerical_gradient: f must return a scalar; it returned shape "
                         f"{arr.shape}. Reduce it first, e.g. np.sum(out * dout).")
    return float(arr.reshape(()))


def numerical_gradient(f: Callable[[np.ndarray], Any], x: np.ndarray,
                       h: float = 1e-6) -> np.ndarray:
    """Central-difference estimate of the gradient of the scalar function f at x.

    f takes an array shaped like x and returns a number; the result is shaped like x. f is
    called 2·x.size times, on a private copy of x with one entry nudged by ±h (x itself is
    never changed). To check a layer's backward, use f = lambda v: np.sum(forward(v) * dout).
    """
    h = real_in_range(h, "h", low=0.0, low_open=True)
    x = as_array(x, "x").copy()
    grad = np.empty_like(x)
    flat_x, flat_grad = x.reshape(-1), grad.reshape(-1)   # views: writes go into x and grad
    for i in range(flat_x.size):        # f is a black box: one pair of calls per entry
        original = flat_x[i]
        flat_x[i] = original + h
        f_plus = _scalar(f(x))
        flat_x[i] = original - h
        f_minus = _scalar(f(x))
        flat_x[i] = original
        flat_grad[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a − b| / max(|a| + |b|): 0 for equal arrays, 1 when one is 0 and the other is not.

    Scaling by the largest entry (not entry by entry) keeps entries that are ~0 in both from
    blowing the error up through rounding noise. Both zero gives 0.
    """
    a = as_array(a, "a")
    b = as_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"{public_name()}: a and b must have the same shape; got {a.shape} and "
                         f"{b.shape}.")
    if a.size == 0:
        return 0.0
    scale = max(float(np.max(np.abs(a) + np.abs(b))), np.finfo(np.float64).tiny)
    return float(np.max(np.abs(a - b))) / scale


def gradient_check(model: Model, x: np.ndarray, y: np.ndarray, h: float = 1e-6,
                   ) -> list[float]:
    """Relative error between ``model.loss``'s gradients and numerical ones, per parameter.

    ``model`` is anything with ``params`` (a list of float64 arrays) and
    ``loss(x, y) -> (loss, grads)``, e.g. ``layers.MLP``. Each parameter is perturbed in place
    and restored afterwards. Returns one relative error per entry of ``params``, in order.
    """
    _, grads = model.loss(x, y)
    if len(grads) != len(model.params):
        raise ValueError(f"{public_name()}: model.loss returned {len(grads)} gradients for "
                         f"{len(model.params)} parameters.")
    errors = []
    for param, grad in zip(model.params, grads, strict=True):
        saved = param.copy()

        def loss_at(value: np.ndarray, param: np.ndarray = param) -> float:
            param[...] = value
            return model.loss(x, y)[0]

        try:
            numeric = numerical_gradient(loss_at, saved, h)
        finally:
            param[...] = saved
        errors.append(relative_error(grad, numeric))
    return errors
