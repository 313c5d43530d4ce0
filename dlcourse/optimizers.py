"""Gradient descent and its optimizers, from scratch in NumPy.

Two parts:

1. **Optimizer classes**, one per update rule, all with the interface of ``torch.optim``::

       opt = Adam([W, b], lr=1e-3)        # the arrays to train, updated in place
       for _ in range(steps):
           dW, db = gradients(W, b)
           opt.step([dW, db])             # one update of every array

   The state (velocities, moment estimates, the step counter ``t``) lives on the object.
   Each class is checked against its ``torch.optim`` twin step by step (see the tests); where
   the textbook form differs from torch's, the docstring says how and the tests check both.
   Hyperparameters carry torch's names and defaults, so ``Adam(params, **kw)`` and
   ``torch.optim.Adam(tensors, **kw)`` do the same thing.

2. **Gradient descent on linear regression** (seed 003 "Simple Gradient Descent",
   "Stochastic Gradient Descent"; seed 002 SGD): batch gradient descent, SGD and mini-batch SGD
   on the loss L(w) = 1/(2n)·‖Xw − y‖², and the "unnormalized features zigzag" demonstration of
   seed 001 §3.6.3-3.6.4.

Each ``_update`` is the textbook update, written as chapter 07 writes it: the state arrays
(``m``, ``v``, ...) are overwritten with ``m[...] = β₁·m + (1 − β₁)·g``, and the parameter
with ``p -= ...``, so that the caller's arrays change in place as torch's do. Written this
way, a step is as fast as torch's on the CPU (``python -m dlcourse.bench --only ratios``
compares each optimizer step with torch.optim on a million parameters).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from dlcourse._validate import as_array, check_same_size, positive_int, public_name, real_in_range

__all__ = [
    "OPTIMIZERS",
    "SGD",
    "AMSGrad",
    "AdaDelta",
    "AdaGrad",
    "AdaMax",
    "Adam",
    "Momentum",
    "NAdam",
    "Nesterov",
    "Optimizer",
    "RMSProp",
    "ZigzagPaths",
    "batch_gradient_descent",
    "linear_regression_grad",
    "linear_regression_loss",
    "minibatch_sgd",
    "nesterov_lookahead_path",
    "normalization_zigzag",
    "optimizer_trajectory",
    "sgd",
]


# ---------------------------------------------------------------------------------------------
# The common part: parameters, gradients, step counter
# ---------------------------------------------------------------------------------------------

def _check_params(params: Any, cls: str) -> list[np.ndarray]:
    if isinstance(params, np.ndarray):
        raise TypeError(
            f"{cls}: params must be a list of arrays, e.g. [W, b]; got a single array of shape "
            f"{params.shape}. Wrap it in a list: {cls}([w], ...)."
        )
    try:
        params = list(params)
    except TypeError:
        raise TypeError(
            f"{cls}: params must be a list of NumPy arrays; got {type(params).__name__}."
        ) from None
    if not params:
        raise ValueError(f"{cls}: params is empty; pass the list of arrays to train.")
    for i, p in enumerate(params):
        if not isinstance(p, np.ndarray):
            raise TypeError(
                f"{cls}: params[{i}] must be a NumPy array, because the optimizer updates it in "
                f"place; got {type(p).__name__}. Create it with np.array(..., dtype=float) and "
                "keep a reference to that array."
            )
        if not np.issubdtype(p.dtype, np.floating):
            raise TypeError(
                f"{cls}: params[{i}] has dtype {p.dtype}; it must be a floating-point array "
                f"(an integer array cannot take fractional updates). Use p.astype(float)."
            )
        if not p.flags.writeable:
            raise ValueError(f"{cls}: params[{i}] is read-only; pass a writeable copy.")
    return params


class Optimizer:
    """Base class: keeps the parameter list, checks gradients, counts steps.

    A subclass implements ``_update(i, p, g)``, which changes ``p`` (the i-th parameter array)
    in place given its gradient ``g``; ``self.t`` is already the number of the current step
    (1 on the first call of ``step``).
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float) -> None:
        name = type(self).__name__
        self.params: list[np.ndarray] = _check_params(params, name)
        self.lr: float = real_in_range(lr, "lr", func=name, low=0.0)
        self.t: int = 0

    def _zeros(self) -> list[np.ndarray]:
        return [np.zeros_like(p) for p in self.params]

    def _scratch(self, i: int, k: int = 0) -> np.ndarray:
        """A scratch array shaped like parameter i (the k-th of them), kept between steps:
        what the fast paths (``_update_inplace``) compute into instead of new arrays."""
        if not hasattr(self, "_tmp"):
            self._tmp: dict[tuple[int, int], np.ndarray] = {}
        if (i, k) not in self._tmp:
            self._tmp[(i, k)] = np.empty_like(self.params[i])
        return self._tmp[(i, k)]

    def step(self, grads: Sequence[Any]) -> None:
        """Apply one update to every parameter array, in place.

        ``grads``: a list of arrays, the gradient of the loss w.r.t. each parameter, in the same
        order and with the same shapes as ``params``. The gradients are not modified.
        """
        grads = self._check_grads(grads)
        self.t += 1
        for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
            self._update(i, p, g)

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        raise NotImplementedError

    def _check_grads(self, grads: Any) -> list[np.ndarray]:
        name = type(self).__name__
        if isinstance(grads, np.ndarray):
            if len(self.params) == 1 and grads.shape == self.params[0].shape:
                raise TypeError(
                    f"{name}.step: grads must be a list with one gradient per parameter; got a "
                    "single array. Wrap it in a list: opt.step([g])."
                )
            raise TypeError(f"{name}.step: grads must be a list of arrays, one per parameter.")
        try:
            grads = list(grads)
        except TypeError:
            raise TypeError(
                f"{name}.step: grads must be a list of arrays; got {type(grads).__name__}."
            ) from None
        check_same_size(len(grads), len(self.params),
                        "the number of gradients and the number of parameters", func=f"{name}.step")
        out = []
        for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
            g = as_array(g, f"grads[{i}]", func=f"{name}.step", dtype=p.dtype)
            if g.shape != p.shape:
                raise ValueError(
                    f"{name}.step: grads[{i}] has shape {g.shape} but params[{i}] has shape "
                    f"{p.shape}; each gradient must have the shape of its parameter."
                )
            out.append(g)
        return out

    def __repr__(self) -> str:
        hyper = ", ".join(f"{k}={v!r}" for k, v in vars(self).items()
                          if not k.startswith("_") and k not in ("params", "t")
                          and not isinstance(v, list))
        return f"{type(self).__name__}({len(self.params)} arrays, {hyper}, t={self.t})"


def _beta(value: Any, name: str, func: str) -> float:
    return real_in_range(value, name, func=func, low=0.0, high=1.0, high_open=True)


def _betas(betas: Any, func: str) -> tuple[float, float]:
    try:
        b1, b2 = betas
    except (TypeError, ValueError):
        raise TypeError(f"{func}: betas must be a pair (beta1, beta2); got {betas!r}.") from None
    return _beta(b1, "betas[0]", func), _beta(b2, "betas[1]", func)


# ---------------------------------------------------------------------------------------------
# Gradient descent and momentum
# ---------------------------------------------------------------------------------------------

SGD_BLOCK = 1 << 16  # values per block of SGD's fast path (512 KB of float64: fits in L2)


class SGD(Optimizer):
    """Plain (stochastic) gradient descent: p ← p − lr·g.

    Seed 002 "Gradient Descent" (θ := θ − α ∂L/∂θ), seed 003 (w ← w − η∇E).
    torch: ``torch.optim.SGD(params, lr)`` (momentum=0).
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float = 1e-3) -> None:
        super().__init__(params, lr)

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        p -= self.lr * g

    def _update_inplace(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        """Fast path of ``_update``: p −= lr·g in blocks of 64K values, so that lr·g stays in
        the processor's cache between the multiply and the subtraction (on a whole 1M array
        both passes go to memory; torch's ``add_(g, alpha=−lr)`` fuses them into one)."""
        if not (p.flags.c_contiguous and g.shape == p.shape):
            p -= self.lr * g
            return
        flat_p, flat_g = p.reshape(-1), np.ascontiguousarray(g).reshape(-1)
        block = self._scratch(i).reshape(-1)[: SGD_BLOCK]
        for start in range(0, flat_p.size, SGD_BLOCK):
            stop = min(start + SGD_BLOCK, flat_p.size)
            part = block[: stop - start]
            np.multiply(flat_g[start:stop], self.lr, out=part)
            flat_p[start:stop] -= part


class Momentum(Optimizer):
    """Gradient descent with (heavy-ball) momentum, in torch's form.

        b ← μ·b + (1 − d)·g        (on the first step b ← g)
        p ← p − lr·b

    μ = ``momentum``, d = ``dampening`` (default 0). torch: ``torch.optim.SGD(params, lr,
    momentum=μ, dampening=d)``; like torch, the first step sets b to g itself, without the
    (1 − d) factor.

    The textbook "velocity" form v ← μ·v − lr·g, p ← p + v (seed 000 "momentum optimizer") is
    the same algorithm for a constant learning rate: v = −lr·b, step by step.
    The "exponential average" form b ← β·b + (1 − β)·g (dampening d = β) differs from torch
    only through the first step (torch starts from b = g, the average from b = (1 − β)·g).
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float = 1e-3, momentum: float = 0.9,
                 dampening: float = 0.0) -> None:
        super().__init__(params, lr)
        name = type(self).__name__
        self.momentum = real_in_range(momentum, "momentum", func=name, low=0.0)
        self.dampening = real_in_range(dampening, "dampening", func=name, low=0.0, high=1.0)
        self.b = self._zeros()

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        b = self.b[i]
        if self.t == 1:
            b[...] = g                      # torch starts the buffer at g, without (1 − d)
        else:
            b[...] = self.momentum * b + (1 - self.dampening) * g
        p -= self.lr * b

    def _update_inplace(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        """Fast path of ``_update`` (the same numbers): the buffer is scaled and added to in
        place, as torch's ``mul_``/``add_`` do, instead of building μ·b and (1 − d)·g."""
        b = self.b[i]
        if self.t == 1:
            b[...] = g
        else:
            b *= self.momentum
            if self.dampening:
                b += (1 - self.dampening) * g
            else:
                b += g
        p -= self.lr * b


class Nesterov(Optimizer):
    """Nesterov accelerated gradient, in torch's form (gradient taken at the parameters).

        b ← μ·b + g                (on the first step b ← g)
        p ← p − lr·(g + μ·b)

    torch: ``torch.optim.SGD(params, lr, momentum=μ, nesterov=True)``.

    Sutskever et al. (2013) write Nesterov's method with a look-ahead gradient:

        v ← μ·v − lr·∇f(θ + μ·v),   θ ← θ + v

    which needs the gradient at a point other than the parameters, so it cannot be driven by
    ``step(grads)``; ``nesterov_lookahead_path`` runs it. The two are the same method: the
    parameters p of this class are Sutskever's look-ahead points p = θ + μ·v (with v = −lr·b).
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float = 1e-3,
                 momentum: float = 0.9) -> None:
        super().__init__(params, lr)
        self.momentum = real_in_range(momentum, "momentum", func=type(self).__name__, low=0.0)
        self.b = self._zeros()

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        b = self.b[i]
        b[...] = self.momentum * b + g      # b starts at 0, so the first step gives b = g
        p -= self.lr * (g + self.momentum * b)

    def _update_inplace(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        """Fast path of ``_update``, the same numbers up to rounding (tested equal): every
        step computed in place or into a scratch array, as torch does, instead of new arrays."""
        b, tmp = self.b[i], self._scratch(i)
        b *= self.momentum
        b += g
        np.multiply(b, self.momentum, out=tmp)
        tmp += g
        tmp *= self.lr
        p -= tmp


def nesterov_lookahead_path(grad_fn: Callable[[np.ndarray], Any], x0: Any, lr: float,
                            momentum: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Nesterov's method in Sutskever's look-ahead form, run for ``steps`` steps.

        v₀ = 0,   v ← μ·v − lr·∇f(θ + μ·v),   θ ← θ + v

    ``grad_fn(x)`` returns ∇f at x (an array shaped like ``x0``). Returns ``(thetas,
    velocities)``, each of shape (steps + 1, *x0.shape): θ_t and v_t for t = 0..steps.

    Relation to ``Nesterov`` / torch's ``SGD(nesterov=True)``: started at the same point, torch's
    parameter after t steps equals θ_t + μ·v_t, the point where this form evaluates its next
    gradient. The two sequences approach the same minimum.
    """
    theta = as_array(x0, "x0").copy()
    lr = real_in_range(lr, "lr", low=0.0)
    momentum = real_in_range(momentum, "momentum", low=0.0)
    steps = positive_int(steps, "steps", minimum=0)
    v = np.zeros_like(theta)
    thetas = np.empty((steps + 1, *theta.shape))
    velocities = np.empty_like(thetas)
    thetas[0], velocities[0] = theta, v
    for t in range(1, steps + 1):
        g = _call_grad(grad_fn, theta + momentum * v)
        v = momentum * v - lr * g
        theta = theta + v
        thetas[t], velocities[t] = theta, v
    return thetas, velocities


# ---------------------------------------------------------------------------------------------
# Adaptive learning rates
# ---------------------------------------------------------------------------------------------

class AdaGrad(Optimizer):
    """AdaGrad (Duchi et al., 2011): per-coordinate steps shrink with the summed squared gradient.

        G ← G + g²                  (G starts at ``initial_accumulator_value``)
        p ← p − lr·g / (√G + ε)

    torch: ``torch.optim.Adagrad(params, lr, eps=ε, initial_accumulator_value=G₀)`` (with
    lr_decay=0). ε is added outside the square root, default 1e-10.
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float = 1e-2, eps: float = 1e-10,
                 initial_accumulator_value: float = 0.0) -> None:
        super().__init__(params, lr)
        name = type(self).__name__
        self.eps = real_in_range(eps, "eps", func=name, low=0.0)
        self.initial_accumulator_value = real_in_range(
            initial_accumulator_value, "initial_accumulator_value", func=name, low=0.0)
        self.G = [np.full_like(p, self.initial_accumulator_value) for p in self.params]

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        G = self.G[i]
        G[...] = G + g * g
        p -= self.lr * g / (np.sqrt(G) + self.eps)

    def _update_inplace(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        """Fast path of ``_update``, the same numbers up to rounding (tested equal): every
        step computed in place or into a scratch array, as torch does, instead of new arrays."""
        G, tmp = self.G[i], self._scratch(i)
        np.multiply(g, g, out=tmp)
        G += tmp
        np.sqrt(G, out=tmp)
        tmp += self.eps
        np.divide(g, tmp, out=tmp)
        tmp *= self.lr
        p -= tmp


class AdaDelta(Optimizer):
    """AdaDelta (Zeiler, 2012): the step's units come from a running average of past steps.

        v ← ρ·v + (1 − ρ)·g²
        Δ ← √(u + ε) / √(v + ε) · g
        u ← ρ·u + (1 − ρ)·Δ²
        p ← p − lr·Δ

    torch: ``torch.optim.Adadelta(params, lr, rho=ρ, eps=ε)``. ε sits inside both square roots.
    Zeiler's method has no learning rate (lr = 1, torch's default).
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float = 1.0, rho: float = 0.9,
                 eps: float = 1e-6) -> None:
        super().__init__(params, lr)
        name = type(self).__name__
        self.rho = real_in_range(rho, "rho", func=name, low=0.0, high=1.0)
        self.eps = real_in_range(eps, "eps", func=name, low=0.0)
        self.v = self._zeros()
        self.u = self._zeros()

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        v, u, rho, eps = self.v[i], self.u[i], self.rho, self.eps
        v[...] = rho * v + (1 - rho) * g * g
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
        u[...] = rho * u + (1 - rho) * delta * delta
        p -= self.lr * delta

    def _update_inplace(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        """Fast path of ``_update``, the same numbers up to rounding (tested equal): every
        step computed in place or into a scratch array, as torch does, instead of new arrays."""
        v, u, rho, eps = self.v[i], self.u[i], self.rho, self.eps
        tmp, delta = self._scratch(i), self._scratch(i, 1)
        v *= rho
        np.multiply(g, g, out=tmp)
        tmp *= 1 - rho
        v += tmp
        np.add(u, eps, out=delta)
        np.sqrt(delta, out=delta)
        np.add(v, eps, out=tmp)
        np.sqrt(tmp, out=tmp)
        delta /= tmp
        delta *= g
        u *= rho
        np.multiply(delta, delta, out=tmp)
        tmp *= 1 - rho
        u += tmp
        delta *= self.lr
        p -= delta


class RMSProp(Optimizer):
    """RMSProp (Hinton, 2012): divide by a running root mean square of the gradient.

        v ← α·v + (1 − α)·g²
        p ← p − lr·g / (√v + ε)

    and with ``momentum`` μ > 0:  b ← μ·b + g / (√v + ε),  p ← p − lr·b  (b starts at 0).
    torch: ``torch.optim.RMSprop(params, lr, alpha=α, eps=ε, momentum=μ)`` (centered=False).
    ε is added outside the square root; the decay rate is called ``alpha`` as in torch.
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, momentum: float = 0.0) -> None:
        super().__init__(params, lr)
        name = type(self).__name__
        self.alpha = real_in_range(alpha, "alpha", func=name, low=0.0, high=1.0)
        self.eps = real_in_range(eps, "eps", func=name, low=0.0)
        self.momentum = real_in_range(momentum, "momentum", func=name, low=0.0)
        self.v = self._zeros()
        self.b = self._zeros() if self.momentum > 0 else []

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        v = self.v[i]
        v[...] = self.alpha * v + (1 - self.alpha) * g * g
        if self.momentum > 0:
            b = self.b[i]
            b[...] = self.momentum * b + g / (np.sqrt(v) + self.eps)
            p -= self.lr * b
        else:
            p -= self.lr * g / (np.sqrt(v) + self.eps)

    def _update_inplace(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        """Fast path of ``_update``, the same numbers up to rounding (tested equal): every
        step computed in place or into a scratch array, as torch does, instead of new arrays."""
        v, tmp = self.v[i], self._scratch(i)
        v *= self.alpha
        np.multiply(g, g, out=tmp)
        tmp *= 1 - self.alpha
        v += tmp
        np.sqrt(v, out=tmp)
        tmp += self.eps
        np.divide(g, tmp, out=tmp)          # g / (√v + ε)
        if self.momentum > 0:
            b = self.b[i]
            b *= self.momentum
            b += tmp
            np.multiply(b, self.lr, out=tmp)
        else:
            tmp *= self.lr
        p -= tmp


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015): momentum on g and RMSProp on g², both bias-corrected.

        m ← β₁·m + (1 − β₁)·g
        v ← β₂·v + (1 − β₂)·g²
        m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ)
        p ← p − lr·m̂ / (√v̂ + ε)

    torch: ``torch.optim.Adam(params, lr, betas=(β₁, β₂), eps=ε)``. With ``amsgrad=True``
    (or the class ``AMSGrad``) the running maximum v_max ← max(v_max, v) replaces v in v̂, as in
    ``torch.optim.Adam(amsgrad=True)``.
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 amsgrad: bool = False) -> None:
        super().__init__(params, lr)
        name = type(self).__name__
        self.betas = _betas(betas, name)
        self.eps = real_in_range(eps, "eps", func=name, low=0.0)
        self.amsgrad = bool(amsgrad)
        self.m = self._zeros()
        self.v = self._zeros()
        self.v_max = self._zeros() if self.amsgrad else []

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        m, v = self.m[i], self.v[i]
        b1, b2 = self.betas
        m[...] = b1 * m + (1 - b1) * g
        v[...] = b2 * v + (1 - b2) * g * g
        if self.amsgrad:
            v_max = self.v_max[i]
            v_max[...] = np.maximum(v_max, v)
            v = v_max                        # the running maximum takes v's place
        m_hat = m / (1 - b1 ** self.t)
        v_hat = v / (1 - b2 ** self.t)
        p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def _update_inplace(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        """Fast path of ``_update``, the same numbers up to rounding (tested equal): every
        step computed in place or into a scratch array, as torch does, instead of new arrays."""
        m, v, tmp = self.m[i], self.v[i], self._scratch(i)
        b1, b2 = self.betas
        m *= b1
        np.multiply(g, 1 - b1, out=tmp)
        m += tmp
        v *= b2
        np.multiply(g, g, out=tmp)
        tmp *= 1 - b2
        v += tmp
        if self.amsgrad:
            np.maximum(self.v_max[i], v, out=self.v_max[i])
            v = self.v_max[i]
        np.divide(v, 1 - b2 ** self.t, out=tmp)
        np.sqrt(tmp, out=tmp)
        tmp += self.eps                     # √v̂ + ε
        np.divide(m, tmp, out=tmp)
        tmp *= self.lr / (1 - b1 ** self.t)  # lr·m̂ / (√v̂ + ε)
        p -= tmp


class AMSGrad(Adam):
    """AMSGrad (Reddi et al., 2018): Adam that never lets the second moment shrink.

        m, v as in Adam;   v_max ← max(v_max, v)
        p ← p − lr·m̂ / (√(v_max / (1 − β₂ᵗ)) + ε)

    torch: ``torch.optim.Adam(params, lr, betas, eps, amsgrad=True)``. Reddi et al.'s paper
    states it without bias corrections; torch (and this class) keep Adam's.
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        super().__init__(params, lr, betas=betas, eps=eps, amsgrad=True)


class AdaMax(Optimizer):
    """AdaMax (Kingma and Ba, 2015, §7): Adam with the infinity norm in place of the 2-norm.

        m ← β₁·m + (1 − β₁)·g
        u ← max(β₂·u, |g| + ε)
        p ← p − lr/(1 − β₁ᵗ) · m / u

    torch: ``torch.optim.Adamax(params, lr, betas=(β₁, β₂), eps=ε)``. The paper writes
    u ← max(β₂·u, |g|) with no ε; torch adds ε to |g| inside the max so that u is never 0.
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        super().__init__(params, lr)
        name = type(self).__name__
        self.betas = _betas(betas, name)
        self.eps = real_in_range(eps, "eps", func=name, low=0.0)
        self.m = self._zeros()
        self.u = self._zeros()

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        m, u = self.m[i], self.u[i]
        b1, b2 = self.betas
        m[...] = b1 * m + (1 - b1) * g
        u[...] = np.maximum(b2 * u, np.abs(g) + self.eps)
        p -= self.lr / (1 - b1 ** self.t) * m / u

    def _update_inplace(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        """Fast path of ``_update``, the same numbers up to rounding (tested equal): every
        step computed in place or into a scratch array, as torch does, instead of new arrays."""
        m, u, tmp = self.m[i], self.u[i], self._scratch(i)
        b1, b2 = self.betas
        m *= b1
        np.multiply(g, 1 - b1, out=tmp)
        m += tmp
        u *= b2
        np.abs(g, out=tmp)
        tmp += self.eps
        np.maximum(u, tmp, out=u)
        np.divide(m, u, out=tmp)
        tmp *= self.lr / (1 - b1 ** self.t)
        p -= tmp


class NAdam(Optimizer):
    """NAdam (Dozat, 2016): Adam with a Nesterov look-ahead on the momentum term.

    With the momentum schedule μ_t = β₁·(1 − ½·0.96^(t·ψ)), ψ = ``momentum_decay``, and
    Π_t = μ₁·μ₂·…·μ_t:

        m ← β₁·m + (1 − β₁)·g
        v ← β₂·v + (1 − β₂)·g²,     v̂ = v / (1 − β₂ᵗ)
        p ← p − lr·(1 − μ_t)/(1 − Π_t) · g/(√v̂ + ε) − lr·μ_{t+1}/(1 − Π_t·μ_{t+1}) · m/(√v̂ + ε)

    torch: ``torch.optim.NAdam(params, lr, betas, eps, momentum_decay=ψ)``, default ψ = 4e-3
    (Dozat's 0.96^(t/250)). Note how slowly this schedule warms up: for β₁ = 0.9, μ₁ ≈ 0.45,
    μ₁₀₀₀ ≈ 0.52, and μ_t approaches β₁ only after tens of thousands of steps.

    ``momentum_decay=None`` gives Dozat's plain form with constant momentum μ_t = β₁:

        p ← p − lr·(1 − β₁)/(1 − β₁ᵗ) · g/(√v̂ + ε) − lr·β₁/(1 − β₁ᵗ⁺¹) · m/(√v̂ + ε)

    (torch has no switch for it; ``NAdam(momentum_decay=1e4)`` reaches it, as 0.96^(10⁴·t)
    underflows to 0 and μ_t = β₁ exactly.)
    """

    def __init__(self, params: Sequence[np.ndarray], lr: float = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 momentum_decay: float | None = 4e-3) -> None:
        super().__init__(params, lr)
        name = type(self).__name__
        self.betas = _betas(betas, name)
        self.eps = real_in_range(eps, "eps", func=name, low=0.0)
        self.momentum_decay = (None if momentum_decay is None else
                               real_in_range(momentum_decay, "momentum_decay", func=name, low=0.0))
        self.mu_product = 1.0
        self.m = self._zeros()
        self.v = self._zeros()
        self._mu: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    def _momentum(self, t: int) -> float:
        b1 = self.betas[0]
        if self.momentum_decay is None:
            return b1
        return b1 * (1.0 - 0.5 * 0.96 ** (t * self.momentum_decay))

    def step(self, grads: Sequence[Any]) -> None:
        # the momentum schedule is shared by all parameters: advance it once per step
        grads = self._check_grads(grads)
        self.t += 1
        mu, mu_next = self._momentum(self.t), self._momentum(self.t + 1)
        self.mu_product *= mu
        self._mu = (mu, mu_next, self.mu_product, self.mu_product * mu_next)
        for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
            self._update(i, p, g)

    def _update(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        m, v = self.m[i], self.v[i]
        b1, b2 = self.betas
        mu, mu_next, prod, prod_next = self._mu      # μ_t, μ_{t+1}, Π_t, Π_t·μ_{t+1}
        m[...] = b1 * m + (1 - b1) * g
        v[...] = b2 * v + (1 - b2) * g * g
        denom = np.sqrt(v / (1 - b2 ** self.t)) + self.eps
        p -= self.lr * (1 - mu) / (1 - prod) * g / denom
        p -= self.lr * mu_next / (1 - prod_next) * m / denom

    def _update_inplace(self, i: int, p: np.ndarray, g: np.ndarray) -> None:
        """Fast path of ``_update``, the same numbers up to rounding (tested equal): every
        step computed in place or into a scratch array, as torch does, instead of new arrays."""
        m, v = self.m[i], self.v[i]
        tmp, denom = self._scratch(i), self._scratch(i, 1)
        b1, b2 = self.betas
        mu, mu_next, prod, prod_next = self._mu
        m *= b1
        np.multiply(g, 1 - b1, out=tmp)
        m += tmp
        v *= b2
        np.multiply(g, g, out=tmp)
        tmp *= 1 - b2
        v += tmp
        np.divide(v, 1 - b2 ** self.t, out=denom)
        np.sqrt(denom, out=denom)
        denom += self.eps
        np.divide(g, denom, out=tmp)
        tmp *= self.lr * (1 - mu) / (1 - prod)
        p -= tmp
        np.divide(m, denom, out=tmp)
        tmp *= self.lr * mu_next / (1 - prod_next)
        p -= tmp


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "adagrad": AdaGrad,
    "adadelta": AdaDelta,
    "rmsprop": RMSProp,
    "adam": Adam,
    "amsgrad": AMSGrad,
    "adamax": AdaMax,
    "nadam": NAdam,
}
"""The optimizer classes by lower-case name."""


def _call_grad(grad_fn: Callable[[np.ndarray], Any], x: np.ndarray) -> np.ndarray:
    g = np.asarray(grad_fn(x.copy()), dtype=np.float64)
    if g.shape != x.shape:
        raise ValueError(
            f"{public_name()}: grad_fn returned shape {g.shape} for a point of shape {x.shape}; "
            "the gradient must have the shape of the point."
        )
    return g


def optimizer_trajectory(optimizer: str | type[Optimizer], grad_fn: Callable[[np.ndarray], Any],
                         x0: Any, steps: int, **hyperparameters: Any) -> np.ndarray:
    """Run one optimizer from ``x0`` on a function given by its gradient; return every iterate.

    ``optimizer``: a class above or its name (``"adam"``, see ``OPTIMIZERS``);
    ``grad_fn(x)``: the gradient at x, shaped like ``x0``; ``hyperparameters``: passed to the
    class (``lr=0.1, momentum=0.9``...). Returns an array of shape (steps + 1, *x0.shape):
    row 0 is x0, row t the parameters after t steps. Once a point stops being finite (the run
    diverged), that row and all later rows are NaN.
    """
    if isinstance(optimizer, str):
        key = optimizer.lower()
        if key not in OPTIMIZERS:
            raise ValueError(f"{public_name()}: unknown optimizer {optimizer!r}; choose one of "
                             f"{', '.join(map(repr, OPTIMIZERS))}.")
        cls = OPTIMIZERS[key]
    elif isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        cls = optimizer
    else:
        raise TypeError(f"{public_name()}: optimizer must be a name or an Optimizer class; "
                        f"got {optimizer!r}.")
    x = as_array(x0, "x0").copy()
    steps = positive_int(steps, "steps", minimum=0)
    opt = cls([x], **hyperparameters)
    path = np.full((steps + 1, *x.shape), np.nan)
    path[0] = x
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            opt.step([_call_grad(grad_fn, x)])
            if not np.all(np.isfinite(x)):
                break
            path[t] = x
    return path


# ---------------------------------------------------------------------------------------------
# Gradient descent on linear regression
# ---------------------------------------------------------------------------------------------

def _regression_data(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X = as_array(X, "X", ndim=2, layout="(n, d)")
    y = as_array(y, "y", ndim=1, layout="(n,)")
    check_same_size(X.shape[0], y.shape[0], "the number of rows of X and the length of y")
    return X, y


def linear_regression_loss(X: Any, y: Any, w: Any) -> float:
    """L(w) = 1/(2n)·‖Xw − y‖², the mean of ½(x_n·w − y_n)² (seed 003's E_n, seed 002's ½(y − a)²).

    ``X``: (n, d), ``y``: (n,), ``w``: (d,). For a bias, append a column of ones to X.
    """
    X, y = _regression_data(X, y)
    w = as_array(w, "w", ndim=1, layout="(d,)")
    check_same_size(X.shape[1], w.shape[0], "the columns of X and the length of w")
    r = X @ w - y
    return float(r @ r / (2 * len(y)))


def linear_regression_grad(X: Any, y: Any, w: Any) -> np.ndarray:
    """∇L(w) = (1/n)·Xᵀ(Xw − y), the gradient of ``linear_regression_loss``; shape (d,)."""
    X, y = _regression_data(X, y)
    w = as_array(w, "w", ndim=1, layout="(d,)")
    check_same_size(X.shape[1], w.shape[0], "the columns of X and the length of w")
    return X.T @ (X @ w - y) / len(y)


def minibatch_sgd(X: Any, y: Any, lr: float, epochs: int, batch_size: int, seed: int = 0,
                  w0: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Mini-batch SGD on linear regression (seed 003: w ← w − (η/B)·Σ_{n∈B} ∇E_n(w)).

    ``X``: (n, d), ``y``: (n,). Each epoch draws ``order = rng.permutation(n)`` from
    ``rng = np.random.default_rng(seed)`` and cuts it into consecutive batches of
    ``batch_size`` rows (the last one smaller when batch_size does not divide n); each batch
    gives one update w ← w − lr·∇L_B(w), with L_B the loss of ``linear_regression_loss`` on the
    batch. ``w0``: the start (default zeros).

    Returns ``(w, losses)``: the final weights (d,) and the loss on the whole training set
    before the first update and after each update: shape (1 + epochs·⌈n/batch_size⌉,).
    """
    X, y = _regression_data(X, y)
    n, d = X.shape
    lr = real_in_range(lr, "lr", low=0.0)
    epochs = positive_int(epochs, "epochs", minimum=0)
    batch_size = positive_int(batch_size, "batch_size")
    if batch_size > n:
        raise ValueError(f"{public_name()}: batch_size ({batch_size}) is larger than the number of "
                         f"examples ({n}); use at most {n}.")
    w = np.zeros(d) if w0 is None else as_array(w0, "w0", ndim=1).copy()
    check_same_size(w.shape[0], d, "the length of w0 and the columns of X")
    rng = np.random.default_rng(seed)
    per_epoch = -(-n // batch_size)
    losses = np.empty(1 + epochs * per_epoch)
    k = 0
    with np.errstate(over="ignore", invalid="ignore"):
        losses[0] = _loss(X, y, w)
        for _ in range(epochs):
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                idx = order[start:start + batch_size]
                Xb, yb = X[idx], y[idx]
                w = w - lr * (Xb.T @ (Xb @ w - yb)) / len(idx)
                k += 1
                losses[k] = _loss(X, y, w)
    return w, losses


def _loss(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    r = X @ w - y
    return float(r @ r / (2 * len(y)))


def batch_gradient_descent(X: Any, y: Any, lr: float, epochs: int,
                           w0: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Batch (full) gradient descent on linear regression: one update per epoch, all n rows.

    w ← w − lr·(1/n)·Xᵀ(Xw − y)   (seed 003 "batch methods"). Same as ``minibatch_sgd`` with
    batch_size = n (the order of the rows does not matter then). Returns ``(w, losses)`` with
    losses of shape (epochs + 1,): the training loss before and after each update.
    """
    X, y = _regression_data(X, y)
    return minibatch_sgd(X, y, lr, epochs, batch_size=len(y), seed=0, w0=w0)


def sgd(X: Any, y: Any, lr: float, epochs: int, seed: int = 0,
        w0: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Stochastic gradient descent on linear regression: one update per example.

    w ← w − lr·x_n(x_n·w − y_n), visiting the rows in a fresh random order every epoch (seed 003
    "on-line" gradient descent). Same as ``minibatch_sgd`` with batch_size = 1 and the same
    seed. Returns ``(w, losses)`` with losses of shape (1 + epochs·n,).
    """
    return minibatch_sgd(X, y, lr, epochs, batch_size=1, seed=seed, w0=w0)


class ZigzagPaths(NamedTuple):
    """What ``normalization_zigzag`` returns (see there)."""

    X_raw: np.ndarray
    X_norm: np.ndarray
    y: np.ndarray
    path_raw: np.ndarray
    path_norm: np.ndarray
    lr_raw: float
    lr_norm: float


def normalization_zigzag(steps: int = 30, n: int = 200, scale: float = 10.0,
                         seed: int = 0) -> ZigzagPaths:
    """Gradient descent on raw vs z-scored features: the zigzag of seed 001 §3.6.3-3.6.4.

    Two centred features, the second ``scale`` times wider than the first (seed 001's example
    has two quantities whose ranges differ tenfold), and targets y = 2·x₁ + 0.3·x₂ + noise. The loss
    L(w) = 1/(2n)·‖Xw − y‖² has Hessian H = XᵀX/n; on the raw features its contours are long
    thin ellipses (condition number ≈ scale²), on z-scored features (each column minus its mean,
    divided by its standard deviation) nearly circles.

    Both runs start at w = 0 and use the best constant step for a quadratic,
    lr = 2/(λ_max(H) + λ_min(H)). On the raw features this step overshoots across the narrow
    valley at every step while crawling along it (the zigzag); on the normalized ones it goes
    almost straight to the minimum.

    Returns ``ZigzagPaths(X_raw (n, 2), X_norm (n, 2), y (n,), path_raw (steps + 1, 2),
    path_norm (steps + 1, 2), lr_raw, lr_norm)``: each path is the weight vector before and
    after each batch gradient-descent step, in that problem's own coordinates.
    """
    steps = positive_int(steps, "steps")
    n = positive_int(n, "n", minimum=3)
    scale = real_in_range(scale, "scale", low=1.0)
    rng = np.random.default_rng(seed)
    X_raw = rng.standard_normal((n, 2)) * np.array([1.0, scale])
    X_raw -= X_raw.mean(axis=0)
    y = X_raw @ np.array([2.0, 0.3]) + 0.1 * rng.standard_normal(n)
    y -= y.mean()
    X_norm = X_raw / X_raw.std(axis=0)

    def run(X: np.ndarray) -> tuple[np.ndarray, float]:
        eig = np.linalg.eigvalsh(X.T @ X / n)
        lr = 2.0 / (eig[0] + eig[-1])
        path = np.empty((steps + 1, 2))
        w = np.zeros(2)
        path[0] = w
        for t in range(1, steps + 1):
            w = w - lr * X.T @ (X @ w - y) / n
            path[t] = w
        return path, float(lr)

    path_raw, lr_raw = run(X_raw)
    path_norm, lr_norm = run(X_norm)
    return ZigzagPaths(X_raw, X_norm, y, path_raw, path_norm, lr_raw, lr_norm)
