"""Exercises of chapter 07, gradient descent and optimizers.

Two kinds of exercise:

- functions: the loss and gradient of linear regression, and batch gradient descent, SGD and
  mini-batch SGD on it (checked like any function, against ``dlcourse.optimizers``);
- optimizer classes with torch's interface, ``opt = Cls(params, lr=..., ...)`` and
  ``opt.step(grads)`` updating the arrays of ``params`` in place. The driver
  ``optimizer_trajectory_driver`` builds the student's class on fresh arrays, steps it on a test
  function (a quadratic over two parameter arrays of different shapes, or Rosenbrock's valley)
  and returns every iterate; the reference classes of ``dlcourse.optimizers`` (themselves equal
  to ``torch.optim`` step by step, see tests/test_optimizers.py) give the expected trajectory.
  Cases with a large ``eps`` make the place of ε (inside or outside a square root) matter.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dlcourse import batch_size as bs
from dlcourse import optimizers
from dlcourse.checking import Case, Exercise, Verdict, close, exact

CHAPTER = "07"
NOTEBOOK = "07_optimizers.ipynb"

# Rounding differs between equivalent ways of writing an update (m/(1 − β₁ᵗ) vs lr/(1 − β₁ᵗ)·m,
# sums in another order); over tens of steps that stays below 1e-12 relative on these problems,
# while every formula mistake tried (tests/variants/ch07.py) is off by more than 1e-6.
TOL = close(rtol=1e-8, atol=1e-10)


# ---------------------------------------------------------------- drivers (self-contained)


def loss_and_grad(impls, args, kwargs):
    """(linear_regression_loss(X, y, w), linear_regression_grad(X, y, w))."""
    X, y, w = args
    return impls[0](X.copy(), y.copy(), w.copy()), impls[1](X.copy(), y.copy(), w.copy())


def optimizer_trajectory_driver(impls, args, kwargs):
    """Run the student's optimizer class from ``x0`` for ``steps`` steps on a test function.

    args = (params,): the list of start arrays; kwargs: ``hyperparameters``, the keyword
    arguments of the class (lr, momentum, betas, eps...), ``steps``, and ``function``, a dict:
    either {"name": "quadratic", "A": (d, d), "c": (d,)} for f(x) = ½(x − c)ᵀA(x − c) with x
    all parameters flattened and joined, or {"name": "rosenbrock"} for one array of shape (2,).

    The class gets its own list holding the driver's arrays, and must change those arrays in
    place (like torch's optimizers). Returns the trajectory, shape (steps + 1, d): row t holds
    every parameter, flattened and joined, after t steps.
    """
    (x0,) = args
    hyper, steps, problem = kwargs["hyperparameters"], kwargs["steps"], kwargs["function"]
    arrays = [np.array(x, dtype=np.float64) for x in x0]
    sizes = [a.size for a in arrays]

    def gradients():
        x = np.concatenate([a.ravel() for a in arrays])
        if problem["name"] == "rosenbrock":
            g = np.array([-2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] ** 2),
                          200.0 * (x[1] - x[0] ** 2)])
        else:
            g = problem["A"] @ (x - problem["c"])
        pieces = np.split(g, np.cumsum(sizes)[:-1])
        return [piece.reshape(a.shape) for piece, a in zip(pieces, arrays, strict=True)]

    opt = impls[0](list(arrays), **hyper)
    path = [np.concatenate([a.ravel() for a in arrays])]
    for _ in range(steps):
        opt.step(gradients())
        path.append(np.concatenate([a.ravel() for a in arrays]))
    return np.array(path)


# ---------------------------------------------------------------- linear regression


def _toy_regression() -> tuple[np.ndarray, np.ndarray]:
    """Three points (1, 1), (2, 2), (3, 2) with a bias column: X (3, 2), y (3,)."""
    X = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
    y = np.array([1.0, 2.0, 2.0])
    return X, y


def _regression_data(rng: np.random.Generator, n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    X = rng.normal(size=(n, d))
    y = X @ rng.normal(size=d) + 0.3 * rng.normal(size=n)
    return X, y


def _safe_lr(X: np.ndarray, rng: np.random.Generator) -> float:
    """A step between 0.2/λ_max and 1/λ_max of the loss's Hessian XᵀX/n: always converges."""
    lam = np.linalg.eigvalsh(X.T @ X / len(X))[-1]
    return float(rng.uniform(0.2, 1.0) / lam)


def _regression_cases() -> list[Case]:
    X, y = _toy_regression()
    # by hand: r = Xw − y = −y, L = (1 + 4 + 4)/(2·3) = 1.5, ∇L = Xᵀr/3 = −(5, 11)/3
    return [
        Case((X, y, np.zeros(2)), label="three points, w = 0",
             expected=(1.5, np.array([-5.0 / 3.0, -11.0 / 3.0]))),
        Case((X, y, np.array([0.5, 0.5])), label="three points, w = (0.5, 0.5)"),
    ]


def _regression_random(rng: np.random.Generator) -> Case:
    n, d = int(rng.integers(3, 30)), int(rng.integers(1, 6))
    X, y = _regression_data(rng, n, d)
    return Case((X, y, rng.normal(size=d)))


def _regression_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    X, y, w = case.args
    n = len(y)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None
    loss, grad = got
    r = X @ w - y
    if isinstance(loss, float) and np.isclose(loss, r @ r / n):
        return "the loss is missing its ½: L = 1/(2n)·‖Xw − y‖²."
    if isinstance(loss, float) and np.isclose(loss, r @ r / 2):
        return "the loss is a mean: divide the sum of squares by 2n, not by 2."
    grad = np.asarray(grad)
    if grad.shape == expected[1].shape:
        if np.allclose(grad, X.T @ r):
            return "the gradient is a mean too: (1/n)·Xᵀ(Xw − y)."
        if np.allclose(grad, -X.T @ r / n):
            return "the gradient's sign is flipped: ∇L = (1/n)·Xᵀ(Xw − y), residual = Xw − y."
    return None


def _gd_cases() -> list[Case]:
    X, y = _toy_regression()
    return [
        Case((X, y, 0.1, 5), label="three points, lr = 0.1, 5 epochs"),
        Case((X, y, 0.2, 3), {"w0": np.array([1.0, -1.0])}, label="a given start w0"),
    ]


def _gd_random(rng: np.random.Generator) -> Case:
    n, d = int(rng.integers(4, 25)), int(rng.integers(1, 5))
    X, y = _regression_data(rng, n, d)
    kwargs = {"w0": rng.normal(size=d)} if rng.random() < 0.5 else {}
    return Case((X, y, _safe_lr(X, rng), int(rng.integers(2, 12))), kwargs)


def _sgd_cases() -> list[Case]:
    X, y = _toy_regression()
    return [
        Case((X, y, 0.05, 2), label="three points, lr = 0.05, 2 epochs, seed 0"),
        Case((X, y, 0.05, 3), {"seed": 7, "w0": np.array([1.0, -1.0])},
             label="seed 7 and a given start w0"),
    ]


def _sgd_random(rng: np.random.Generator) -> Case:
    n, d = int(rng.integers(4, 13)), int(rng.integers(1, 4))
    X, y = _regression_data(rng, n, d)
    lam = float(np.max(np.sum(X * X, axis=1)))  # the largest one-example curvature
    kwargs: dict[str, Any] = {"seed": int(rng.integers(0, 1000))}
    if rng.random() < 0.5:
        kwargs["w0"] = rng.normal(size=d)
    return Case((X, y, float(rng.uniform(0.1, 0.8) / lam), int(rng.integers(1, 4))), kwargs)


def _minibatch_cases() -> list[Case]:
    X, y = _toy_regression()
    rng = np.random.default_rng(70)
    X10, y10 = _regression_data(rng, 10, 3)
    return [
        Case((X10, y10, 0.1, 2, 4), label="10 examples, batches of 4 (the last one holds 2)"),
        Case((X10, y10, 0.1, 2, 5), {"seed": 3}, label="10 examples, batches of 5, seed 3"),
        Case((X, y, 0.1, 3, 3), {"w0": np.array([1.0, -1.0])},
             label="batch_size = n: batch gradient descent"),
        Case((X, y, 0.05, 2, 1), label="batch_size = 1: SGD"),
    ]


def _minibatch_random(rng: np.random.Generator) -> Case:
    n, d = int(rng.integers(5, 26)), int(rng.integers(1, 4))
    X, y = _regression_data(rng, n, d)
    batch = int(rng.integers(1, n + 1))
    lam = float(np.max(np.sum(X * X, axis=1)))
    kwargs: dict[str, Any] = {"seed": int(rng.integers(0, 1000))}
    if rng.random() < 0.5:
        kwargs["w0"] = rng.normal(size=d)
    return Case((X, y, float(rng.uniform(0.1, 0.8) / lam), int(rng.integers(1, 4)), batch),
                kwargs)


def _descent_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return "return the pair (w, losses)."
    losses, exp_losses = np.asarray(got[1]), expected[1]
    if losses.ndim != 1:
        return "losses must be a 1-D array of numbers."
    if losses.size == exp_losses.size - 1:
        if np.allclose(losses, exp_losses[1:]):
            return "the first entry of losses is the loss at the start, before any update."
        if np.allclose(losses, exp_losses[:-1]):
            return "record the loss after each update too: the last entry is the final loss."
    if losses.size != exp_losses.size:
        return (f"losses has {losses.size} entries; expected {exp_losses.size}: the loss at "
                "the start and after every update (one update per batch).")
    if np.isclose(losses[0], exp_losses[0]) and not np.allclose(losses[1:2], exp_losses[1:2]):
        return "the very first update is already off: check the gradient and the step w − lr·∇L."
    if np.allclose(losses[: len(losses) // 2 + 1], exp_losses[: len(losses) // 2 + 1]):
        return ("the first updates are right and later ones drift: is the order of the examples "
                "drawn from one generator, rng.permutation(n) once per epoch?")
    return None


def _minibatch_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    X = case.args[0]
    batch = case.args[4]
    if isinstance(got, (tuple, list)) and len(got) == 2:
        losses = np.asarray(got[1])
        epochs = case.args[3]
        if losses.ndim == 1 and losses.size == 1 + epochs * (len(X) // batch) \
                and len(X) % batch:
            return "the last, smaller batch is missing: n need not be a multiple of batch_size."
    return _descent_diagnose(case, expected, got)


# ---------------------------------------------------------------- optimizer classes


def _quadratic(seed: int, shapes: list[tuple[int, ...]], cond: float = 10.0) -> dict[str, Any]:
    d = int(sum(np.prod(s) for s in shapes))
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    A = Q @ np.diag(np.logspace(0.0, np.log10(cond), d)) @ Q.T
    return {"name": "quadratic", "A": (A + A.T) / 2, "c": rng.normal(size=d)}


_SHAPES = [(2, 2), (3,)]
_QUAD = _quadratic(7, _SHAPES)  # eigenvalues 1..10
_QUAD_X0 = [np.array([[1.0, -2.0], [0.5, 1.5]]), np.array([-1.0, 2.0, 0.0])]
_ROSEN = {"name": "rosenbrock"}
_ROSEN_X0 = [np.array([-1.2, 1.0])]
_STEPS = 40


def _run(hyper: dict[str, Any], steps: int, problem: dict[str, Any]) -> dict[str, Any]:
    return {"hyperparameters": hyper, "steps": steps, "function": problem}


def _optimizer_cases(quad: list[dict[str, Any]], rosen: dict[str, Any]) -> list[Case]:
    cases = []
    for hyper in quad:
        shown = ", ".join(f"{k}={v}" for k, v in hyper.items()) or "torch's defaults"
        cases.append(Case((_QUAD_X0,), _run(hyper, _STEPS, _QUAD),
                          label=f"quadratic over a (2, 2) and a (3,) array; {shown}"))
    shown = ", ".join(f"{k}={v}" for k, v in rosen.items()) or "defaults"
    cases.append(Case((_ROSEN_X0,), _run(rosen, _STEPS, _ROSEN),
                      label=f"Rosenbrock from (−1.2, 1); {shown}"))
    return cases


def _random_problem(rng: np.random.Generator) -> tuple[list[np.ndarray], dict[str, Any]]:
    shapes = [(int(rng.integers(1, 4)),), (int(rng.integers(1, 3)), int(rng.integers(1, 3)))]
    problem = _quadratic(int(rng.integers(0, 2**31)), shapes, cond=float(rng.uniform(2, 20)))
    # start well away from the minimum c: near it, the adaptive methods take steps of about lr
    # whatever the gradient, and such oscillations magnify rounding differences
    start = problem["c"] + 2.0 * rng.normal(size=len(problem["c"]))
    pieces = np.split(start, np.cumsum([int(np.prod(s)) for s in shapes])[:-1])
    return [piece.reshape(s) for piece, s in zip(pieces, shapes, strict=True)], problem


def _round(x: float) -> float:
    return float(f"{x:.3g}")


def _random_optimizer_case(hyper_fn):
    def random_case(rng: np.random.Generator) -> Case:
        x0, problem = _random_problem(rng)
        lam = float(np.linalg.eigvalsh(problem["A"])[-1])
        return Case((x0,), _run(hyper_fn(rng, lam), int(rng.integers(15, 31)), problem))
    return random_case


def _momentum_hyper(rng: np.random.Generator, lam: float) -> dict[str, Any]:
    return {"lr": _round(rng.uniform(0.05, 0.5) / lam), "momentum": _round(rng.uniform(0.5, 0.95))}


def _adagrad_hyper(rng: np.random.Generator, lam: float) -> dict[str, Any]:
    hyper: dict[str, Any] = {"lr": _round(rng.uniform(0.05, 0.8))}
    if rng.random() < 0.5:
        hyper["eps"] = _round(10 ** rng.uniform(-3, -1))
    if rng.random() < 0.5:
        hyper["initial_accumulator_value"] = _round(rng.uniform(0.0, 1.0))
    return hyper


def _adadelta_hyper(rng: np.random.Generator, lam: float) -> dict[str, Any]:
    hyper: dict[str, Any] = {"lr": _round(rng.uniform(0.3, 1.0)),
                             "rho": _round(rng.uniform(0.85, 0.97))}
    if rng.random() < 0.5:
        hyper["eps"] = _round(10 ** rng.uniform(-4, -2))
    return hyper


def _rmsprop_hyper(rng: np.random.Generator, lam: float) -> dict[str, Any]:
    # small α with a large lr turns RMSProp into a chaotic sign-descent near the minimum, where
    # rounding differences grow: keep to settings where equivalent codes agree
    hyper: dict[str, Any] = {"lr": _round(10 ** rng.uniform(-3, -1.5)),
                             "alpha": _round(rng.uniform(0.9, 0.995))}
    if rng.random() < 0.5:
        hyper["eps"] = _round(10 ** rng.uniform(-3, -1))
    return hyper


def _adam_hyper(rng: np.random.Generator, lam: float) -> dict[str, Any]:
    hyper: dict[str, Any] = {"lr": _round(10 ** rng.uniform(-2.5, -1.5)),
                             "betas": (_round(rng.uniform(0.6, 0.95)),
                                       _round(rng.uniform(0.95, 0.999)))}
    if rng.random() < 0.5:
        hyper["eps"] = _round(10 ** rng.uniform(-3, -1))
    return hyper


def _nadam_hyper(rng: np.random.Generator, lam: float) -> dict[str, Any]:
    hyper = _adam_hyper(rng, lam)
    choice = rng.integers(0, 3)
    if choice == 1:
        hyper["momentum_decay"] = None
    elif choice == 2:
        hyper["momentum_decay"] = _round(10 ** rng.uniform(-3, -1))
    return hyper


def _optimizer_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    got = np.asarray(got) if isinstance(got, np.ndarray) else None
    if got is None or got.shape != expected.shape:
        return None
    if np.allclose(got, got[0]):
        return ("the parameters never moved: change the arrays in place (p -= ..., or "
                "p[...] = ...). Writing p = p - ... makes a new array that the caller never "
                "sees.")
    step1_ok = np.allclose(got[1], expected[1], rtol=1e-8, atol=1e-10)
    if not step1_ok:
        return ("already the first step differs: compare your formula with the one above, term "
                "by term (the step counter t is 1 on the first call; bias corrections use it).")
    return ("the first step is right and later ones differ: check the state carried from step "
            "to step (running averages, the counter t) and where ε goes.")


def _optimizer_exercise(name: str, cls: type, title: str, quad: list[dict[str, Any]],
                        rosen: dict[str, Any], hyper_fn, hint: str) -> Exercise:
    return Exercise(
        id=f"07.{name}",
        title=title,
        functions=(cls.__name__,),
        arg_names=("params",),
        reference=(cls,),
        cases=lambda: _optimizer_cases(quad, rosen),
        random_case=_random_optimizer_case(hyper_fn),
        compare=TOL,
        driver=optimizer_trajectory_driver,
        diagnose=_optimizer_diagnose,
        hint=hint,
    )


# ---------------------------------------------------------------- batch size


def _updates_cases() -> list[Case]:
    return [
        Case((1169, 64), label="1169 digits in batches of 64: 18 full batches and one of 17",
             expected=19),
        Case((1169, 64, True), label="the same, dropping the incomplete last batch",
             expected=18),
        Case((100, 10), label="B divides n: no extra batch", expected=10),
        Case((100, 10, True), label="B divides n, drop_last: nothing is dropped", expected=10),
        Case((50, 64), label="a batch larger than the data set: one update", expected=1),
        Case((50, 64, True), label="...which drop_last drops: no update at all", expected=0),
        Case((1169, 1), label="B = 1 (SGD): one update per example", expected=1169),
    ]


def _updates_random(rng: np.random.Generator) -> Case:
    n = int(rng.integers(1, 3000))
    b = int(rng.choice([int(rng.integers(1, 65)), n, n + int(rng.integers(1, 9)),
                        max(1, n // int(rng.integers(1, 6)))]))
    return Case((n, b, bool(rng.random() < 0.5)))


def _updates_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    n, b, *rest = case.args
    drop_last = bool(rest and rest[0])
    if isinstance(got, float):
        return "return a whole number of updates (an int): n / B is a float."
    if not drop_last and got == n // b and n % b:
        return ("the last, smaller batch is an update too: ⌈n / B⌉, e.g. -(-n // B) or "
                "(n + B − 1) // B.")
    if drop_last and got == -(-n // b) and n % b:
        return "drop_last skips the incomplete last batch: ⌊n / B⌋ = n // B."
    if got == n // b + 1 and not n % b:
        return "when B divides n there is no leftover batch: (n + B) // B overcounts."
    return None


def _target_cases() -> list[Case]:
    losses = np.array([2.3, 1.2, 0.8, 0.55, 0.5, 0.45, 0.52, 0.4])
    epochs = np.array([0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75])
    return [
        Case((losses, epochs, 0.5), label="the loss is exactly 0.5 at epoch 1.0: reached then",
             expected=1.0),
        Case((losses, epochs, 0.6), label="target 0.6: first reached at 0.75", expected=0.75),
        Case((losses, epochs, 0.42), label="target 0.42: reached only at the end, 1.75",
             expected=1.75),
        Case((losses, epochs, 0.3), label="never reached: inf", expected=float("inf")),
        Case((np.array([3.0, np.nan, 0.2]), np.array([0.0, 1.0, 2.0]), 1.0),
             label="a NaN loss does not count as reaching the target", expected=2.0),
        Case((losses, epochs * 7.0, 1.0), label="the times need not be epochs (seconds work)",
             expected=3.5),
    ]


def _target_random(rng: np.random.Generator) -> Case:
    k = int(rng.integers(2, 40))
    t = np.cumsum(rng.uniform(0.05, 1.0, size=k))
    losses = 2.5 * np.exp(-rng.uniform(0.1, 1.0) * t) + 0.1 * rng.normal(size=k) ** 2
    target = float(np.round(rng.uniform(0.05, 2.0), 3))
    return Case((np.round(losses, 4), np.round(t, 4), target))


def _same_moment(expected: Any, got: Any, case: Case | None = None) -> Verdict:
    """The same number (both inf, or equal to 1e-12), and a number at all."""
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return Verdict(False, f"expected a number; got {type(got).__name__}")
    if math.isinf(expected) or math.isinf(got) or math.isnan(got):
        ok = got == expected
    else:
        ok = math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-12)
    return Verdict(ok, "" if ok else f"expected {expected!r}, got {got!r}")


def _target_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    losses, epochs, target = case.args
    if not isinstance(got, (int, float)):
        return "return one number: the epoch (or inf), not an index or an array."
    below = np.flatnonzero(losses <= target)
    if below.size and got == int(below[0]) and got != expected:
        return "return when (epochs[i]), not the index i."
    if below.size and got == epochs[below[-1]] and below.size > 1:
        return "the first time the loss reaches the target, not the last."
    strict = np.flatnonzero(losses < target)
    if strict.size and got == epochs[strict[0]] and got != expected:
        return "reaching the target includes equality: loss ≤ target."
    if not below.size and got != float("inf"):
        return "when the loss never gets there, return math.inf."
    return None


# ---------------------------------------------------------------- the list


EXERCISES = [
    Exercise(
        id="07.linear_regression",
        title="the loss of linear regression, 1/(2n)·‖Xw − y‖², and its gradient",
        functions=("linear_regression_loss", "linear_regression_grad"),
        arg_names=("X", "y", "w"),
        reference=(optimizers.linear_regression_loss, optimizers.linear_regression_grad),
        cases=_regression_cases,
        random_case=_regression_random,
        compare=close(rtol=1e-10, atol=1e-12),
        driver=loss_and_grad,
        diagnose=_regression_diagnose,
        hint="r = X @ w − y; the loss is r·r/(2n) and the gradient Xᵀr/n.",
    ),
    Exercise(
        id="07.batch_gradient_descent",
        title="batch gradient descent: one update per epoch, on all n examples",
        functions=("batch_gradient_descent",),
        reference=(optimizers.batch_gradient_descent,),
        cases=_gd_cases,
        random_case=_gd_random,
        compare=close(rtol=1e-9, atol=1e-12),
        diagnose=_descent_diagnose,
        hint="losses[0] is the loss at w0; then each epoch: w ← w − lr·∇L(w), record L(w).",
    ),
    Exercise(
        id="07.sgd",
        title="stochastic gradient descent: one update per example, in a shuffled order",
        functions=("sgd",),
        reference=(optimizers.sgd,),
        cases=_sgd_cases,
        random_case=_sgd_random,
        compare=close(rtol=1e-9, atol=1e-12),
        diagnose=_descent_diagnose,
        hint="rng = np.random.default_rng(seed) once; every epoch order = rng.permutation(n); "
             "for i in order: w ← w − lr·x_i(x_i·w − y_i), then record the loss on all data.",
    ),
    Exercise(
        id="07.minibatch_sgd",
        title="mini-batch SGD: one update per batch of examples",
        functions=("minibatch_sgd",),
        reference=(optimizers.minibatch_sgd,),
        cases=_minibatch_cases,
        random_case=_minibatch_random,
        compare=close(rtol=1e-9, atol=1e-12),
        diagnose=_minibatch_diagnose,
        hint="cut order = rng.permutation(n) into consecutive slices order[s:s + batch_size]; "
             "average the gradient over the slice's rows (the last slice may be shorter).",
    ),
    Exercise(
        id="07.updates_per_epoch",
        title="updates per epoch: ⌈n / B⌉, or ⌊n / B⌋ without the last short batch",
        functions=("updates_per_epoch",),
        reference=(bs.updates_per_epoch,),
        cases=_updates_cases,
        random_case=_updates_random,
        compare=exact(),
        diagnose=_updates_diagnose,
        hint="full, rest = divmod(n, batch_size); one more update for the rest unless drop_last.",
    ),
    Exercise(
        id="07.epochs_to_target",
        title="when a loss curve first reaches a target",
        functions=("epochs_to_target",),
        reference=(bs.epochs_to_target,),
        cases=_target_cases,
        random_case=_target_random,
        compare=_same_moment,
        diagnose=_target_diagnose,
        hint="the first i with losses[i] <= target gives epochs[i]; none gives math.inf.",
    ),
    _optimizer_exercise(
        "momentum", optimizers.Momentum, "momentum: a velocity that remembers past gradients",
        [{"lr": 0.02, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.5}],
        {"lr": 0.001, "momentum": 0.9}, _momentum_hyper,
        "b ← μ·b + g (b starts at 0), then p ← p − lr·b, for every parameter array.",
    ),
    _optimizer_exercise(
        "nesterov", optimizers.Nesterov, "Nesterov momentum, torch's form",
        [{"lr": 0.02, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.5}],
        {"lr": 0.001, "momentum": 0.9}, _momentum_hyper,
        "b ← μ·b + g, then p ← p − lr·(g + μ·b): the step looks ahead along the new velocity.",
    ),
    _optimizer_exercise(
        "adagrad", optimizers.AdaGrad, "AdaGrad: steps shrink with the summed squared gradients",
        [{"lr": 0.5}, {"lr": 0.3, "eps": 0.1, "initial_accumulator_value": 0.5}],
        {"lr": 0.1}, _adagrad_hyper,
        "G ← G + g² (G starts at initial_accumulator_value), p ← p − lr·g/(√G + ε).",
    ),
    _optimizer_exercise(
        "adadelta", optimizers.AdaDelta, "AdaDelta: steps in the units of past steps",
        [{}, {"lr": 0.5, "rho": 0.95, "eps": 0.01}], {"rho": 0.9}, _adadelta_hyper,
        "v ← ρv + (1 − ρ)g²; Δ = √(u + ε)/√(v + ε)·g; u ← ρu + (1 − ρ)Δ²; p ← p − lr·Δ.",
    ),
    _optimizer_exercise(
        "rmsprop", optimizers.RMSProp, "RMSProp: divide by a running root mean square",
        [{"lr": 0.01}, {"lr": 0.05, "alpha": 0.9, "eps": 0.1}], {"lr": 0.01}, _rmsprop_hyper,
        "v ← α·v + (1 − α)·g², p ← p − lr·g/(√v + ε): ε outside the square root.",
    ),
    _optimizer_exercise(
        "adam", optimizers.Adam, "Adam: momentum and RMSProp, with bias correction",
        [{"lr": 0.05}, {"lr": 0.1, "betas": (0.8, 0.99), "eps": 0.1}], {"lr": 0.05},
        _adam_hyper,
        "t ← t + 1; m, v running averages of g and g²; m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ); "
        "p ← p − lr·m̂/(√v̂ + ε).",
    ),
    _optimizer_exercise(
        "amsgrad", optimizers.AMSGrad, "AMSGrad: Adam whose second moment never shrinks",
        [{"lr": 0.05}, {"lr": 0.1, "betas": (0.5, 0.9), "eps": 0.01}], {"lr": 0.05},
        _adam_hyper,
        "as Adam, plus v_max ← max(v_max, v); divide by √(v_max/(1 − β₂ᵗ)) + ε.",
    ),
    _optimizer_exercise(
        "adamax", optimizers.AdaMax, "AdaMax: Adam with the infinity norm",
        [{"lr": 0.05}, {"lr": 0.1, "betas": (0.8, 0.95), "eps": 0.1}], {"lr": 0.05},
        _adam_hyper,
        "m as in Adam; u ← max(β₂·u, |g| + ε); p ← p − lr/(1 − β₁ᵗ)·m/u.",
    ),
    _optimizer_exercise(
        "nadam", optimizers.NAdam, "NAdam: Adam with a Nesterov look-ahead",
        [{"lr": 0.05}, {"lr": 0.05, "momentum_decay": None},
         {"lr": 0.1, "betas": (0.8, 0.99), "eps": 0.1, "momentum_decay": 0.05}],
        {"lr": 0.05}, _nadam_hyper,
        "μ_t = β₁(1 − ½·0.96^(tψ)) (or β₁ when momentum_decay is None); Π ← Π·μ_t; two terms: "
        "lr(1 − μ_t)/(1 − Π)·g/d and lr·μ_{t+1}/(1 − Π·μ_{t+1})·m/d, d = √v̂ + ε.",
    ),
]
