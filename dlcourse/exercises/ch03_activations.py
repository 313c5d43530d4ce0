"""Exercises of chapter 03, activation functions: each function with its derivative."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlcourse import activation_health, activations
from dlcourse.checking import Case, Exercise, Verdict, close, exact
from dlcourse.checking.drivers import call_strict, refuse_changes

CHAPTER = "03"
NOTEBOOK = "03_activations.ipynb"

TOL = close(rtol=1e-10, atol=1e-12)

# The grid every elementwise exercise is checked on: the kinks, moderate values, the ±50 of the
# chapter's torch comparison and ±1000, where a naive exp(...) overflows.
GRID = np.array([-1000.0, -50.0, -10.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 10.0, 50.0,
                 1000.0])


# ---------------------------------------------------------------- drivers (self-contained)
# Every elementwise exercise runs through drivers.call_strict: each function on fresh copies,
# NumPy raising on overflow. The two below use the drivers' shared refuse_changes.


def prelu_driver(impls, args, kwargs):
    """PReLU: (prelu(x, alpha), prelu_grad(x, alpha), prelu_alpha_grad(x)), each on fresh
    copies; in-place changes of x fail."""
    import copy

    x, alpha = args
    results = []
    for fn, fn_args in zip(impls, [(x, alpha), (x, alpha), (x,)], strict=True):
        fresh = copy.deepcopy(fn_args)
        results.append(fn(*fresh))
        refuse_changes(fn, fresh, fn_args, by=f" by {fn.__name__}")
    return tuple(results)


def softmax_driver(impls, args, kwargs):
    """(softmax(z, axis=axis), softmax_jacobian(z)) on fresh copies, raising on overflow;
    in-place changes of z fail."""
    z, axis = args
    results = []
    for fn, fn_kwargs in zip(impls, [{"axis": axis}, {}], strict=True):
        given = z.copy()
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                results.append(fn(given, **fn_kwargs))
        except FloatingPointError as err:
            raise FloatingPointError(
                f"in {fn.__name__}: NumPy reports '{err}'. exp(z) overflows for large z, and "
                "a row far below the subtracted constant underflows to 0/0: subtract each "
                "row's own maximum (keepdims=True) before np.exp.") from None
        refuse_changes(fn, [given], [z], by=f" by {fn.__name__}")
    return tuple(results)


# ---------------------------------------------------------------- shared cases and hints


def _grid_case(*extra: Any) -> Case:
    return Case((GRID.copy(), *extra), label="x = ±1000, ±50, ±10, ±2, ±1, ±0.5, 0")


def _random_x(rng: np.random.Generator) -> np.ndarray:
    shape = (int(rng.integers(2, 9)),) if rng.random() < 0.5 else \
        (int(rng.integers(2, 5)), int(rng.integers(2, 5)))
    x = rng.normal(scale=float(rng.choice([1.0, 5.0, 40.0])), size=shape)
    x.flat[int(rng.integers(0, x.size))] = 0.0     # the kink, every time
    return x


def _random_elementwise(rng: np.random.Generator) -> Case:
    return Case((_random_x(rng),))


def _at(case: Case, got: Any, value: float) -> tuple[np.ndarray, np.ndarray] | None:
    """(f(x), f'(x)) the student returned where x == value, if the result has the right form."""
    x = case.args[0]
    if not isinstance(got, (tuple, list)) or len(got) < 2:
        return None
    f, g = (np.asarray(v, dtype=float) for v in got[:2])
    if f.shape != np.shape(x) or g.shape != np.shape(x):
        return None
    mask = x == value
    return f[mask], g[mask]


def _derivative_is(case: Case, expected: Any, got: Any, formula) -> bool:
    """Whether the returned derivative equals ``formula(x)``, a known wrong formula (and one
    that differs from the right derivative on this case)."""
    x = case.args[0]
    try:
        with np.errstate(all="ignore"):
            wrong = formula(x)
        g = np.asarray(got[1], dtype=float)
    except Exception:
        return False
    return (g.shape == x.shape and bool(np.allclose(g, wrong, rtol=1e-9, atol=1e-12))
            and not np.allclose(wrong, expected[1], rtol=1e-9, atol=1e-12))


# ---------------------------------------------------------------- sigmoid


def _sigmoid_cases() -> list[Case]:
    return [
        Case((np.array([0.0]),), label="x = 0: σ = 1/2, σ′ = 1/4 (seed 001 §3.4.3)",
             expected=(np.array([0.5]), np.array([0.25]))),
        _grid_case(),
    ]


def _sigmoid_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    s = activations.sigmoid(case.args[0])
    if _derivative_is(case, expected, got, lambda x: s * (1 - x)):
        return "σ′(x) = σ(x)(1 − σ(x)): apply σ first, then multiply; not σ(x)(1 − x)."
    if _derivative_is(case, expected, got, lambda x: 1 - s ** 2):
        return "1 − σ² is tanh's pattern; the sigmoid's derivative is σ(x)(1 − σ(x))."
    at0 = _at(case, got, 0.0)
    if at0 is not None and at0[0].size and np.allclose(at0[0], 0.5) and not np.allclose(
            np.asarray(got[0]), expected[0]):
        return "check the sign in the exponent: σ(x) = 1/(1 + e^(−x)) rises from 0 to 1."
    return None


# ---------------------------------------------------------------- tanh


def _tanh_cases() -> list[Case]:
    return [
        Case((np.array([0.0]),), label="x = 0: tanh = 0, tanh′ = 1 (seed 001 §3.4.3)",
             expected=(np.array([0.0]), np.array([1.0]))),
        _grid_case(),
    ]


def _tanh_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    t = np.tanh(case.args[0])
    if _derivative_is(case, expected, got, lambda x: 1 - t):
        return "tanh′(x) = 1 − tanh²(x): the tanh is squared."
    if _derivative_is(case, expected, got, lambda x: 1 - x ** 2):
        return "tanh′(x) = 1 − tanh(x)², with tanh applied before squaring (not 1 − x²)."
    return None


# ---------------------------------------------------------------- softsign


def _softsign_cases() -> list[Case]:
    return [
        Case((np.array([-3.0, 0.0, 1.0]),), label="x = −3, 0, 1",
             expected=(np.array([-0.75, 0.0, 0.5]), np.array([1 / 16, 1.0, 0.25]))),
        _grid_case(),
    ]


def _softsign_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if _derivative_is(case, expected, got, lambda x: 1 / (1 + np.abs(x))):
        return "softsign′(x) = 1/(1 + |x|)²: the denominator is squared."
    return None


# ---------------------------------------------------------------- ReLU and leaky ReLU


def _relu_cases() -> list[Case]:
    return [
        Case((np.array([-2.0, 0.0, 3.0]),), label="x = −2, 0, 3 (relu′(0) = 0, as in PyTorch)",
             expected=(np.array([0.0, 0.0, 3.0]), np.array([0.0, 0.0, 1.0]))),
        _grid_case(),
    ]


def _relu_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    at0 = _at(case, got, 0.0)
    if at0 is not None and at0[1].size and np.all(at0[1] == 1):
        return ("at the kink x = 0 the derivative is undefined; use 0 there, as PyTorch does "
                "(x > 0, not x >= 0).")
    return None


def _leaky_cases() -> list[Case]:
    return [
        Case((np.array([-2.0, 0.0, 3.0]), 0.5), label="α = 0.5 (seed 001 §3.4.2's plot)",
             expected=(np.array([-1.0, 0.0, 3.0]), np.array([0.5, 0.5, 1.0]))),
        Case((GRID.copy(), 0.01), label="the grid, α = 0.01 (PyTorch's default)"),
        Case((GRID.copy(), 0.2), label="the grid, α = 0.2"),
        Case((GRID.copy(),), label="the grid, the default α = 0.01"),
    ]


def _leaky_random(rng: np.random.Generator) -> Case:
    return Case((_random_x(rng), float(rng.uniform(0.01, 0.9))))


def _leaky_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    at0 = _at(case, got, 0.0)
    alpha = case.args[1]
    if at0 is not None and at0[1].size and np.all(at0[1] == 1) and alpha != 1:
        return "at the kink x = 0 use the slope α, as PyTorch does (x > 0 picks 1, else α)."
    if alpha != 0.01 and isinstance(got, (tuple, list)) and len(got) == 2:
        fixed = activations.leaky_relu(case.args[0], 0.01)
        if np.shape(got[0]) == fixed.shape and np.allclose(np.asarray(got[0], dtype=float),
                                                            fixed):
            return "use the alpha argument instead of a fixed slope of 0.01."
    return None


# ---------------------------------------------------------------- PReLU


def _prelu_cases() -> list[Case]:
    x = np.array([[-2.0, 0.0, 3.0], [1.0, -4.0, -0.5]])
    return [
        Case((np.array([-2.0, 0.0, 3.0]), 0.25), label="one shared α = 0.25",
             expected=(np.array([-0.5, 0.0, 3.0]), np.array([0.25, 0.25, 1.0]),
                       np.array([-2.0, 0.0, 0.0]))),
        Case((x, np.array([0.1, 0.2, 0.3])), label="x: (2, 3), one α per feature (column)"),
    ]


def _prelu_random(rng: np.random.Generator) -> Case:
    n, c = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    if n == c:
        n += 1                             # so that α along the wrong axis cannot broadcast
    x = rng.normal(scale=3.0, size=(n, c))
    x[int(rng.integers(0, n)), int(rng.integers(0, c))] = 0.0
    alpha = float(rng.uniform(0.05, 0.5)) if rng.random() < 0.4 else rng.uniform(0.05, 0.5, c)
    return Case((x, alpha))


def _prelu_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return "return three arrays from the three functions; see the docstrings."
    x = case.args[0]
    dalpha = np.asarray(got[2], dtype=float)
    if dalpha.shape == x.shape and np.allclose(dalpha, np.where(x > 0, 0.0, 1.0)):
        return "∂f/∂α = x where x ≤ 0 (f = α·x there), not 1."
    if dalpha.shape == x.shape and np.allclose(dalpha, np.where(x > 0, x, 0.0)):
        return "∂f/∂α is x on the negative side (where f = α·x) and 0 where x > 0."
    return None


# ---------------------------------------------------------------- softplus


def _softplus_cases() -> list[Case]:
    return [
        Case((np.array([0.0]),), label="x = 0: ln 2, and the derivative σ(0) = 1/2",
             expected=(np.array([np.log(2.0)]), np.array([0.5]))),
        _grid_case(),
    ]


def _softplus_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if _derivative_is(case, expected, got, lambda x: activations.sigmoid(-x)):
        return "softplus′(x) = σ(x) = 1/(1 + e^(−x)); check the sign."
    return None


# ---------------------------------------------------------------- softmax


def _softmax_seed_compare(expected: Any, got: Any, case: Case):
    """The seed prints softmax(3, 1, −3) to 4 decimals; the Jacobian is checked exactly."""
    from dlcourse.checking import compare_values

    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return compare_values(expected, got)
    verdict = compare_values(expected[0], got[0], atol=5e-5, rtol=0.0, where="softmax: ")
    if not verdict.passed:
        return verdict
    jac = activations.softmax_jacobian(case.args[0])
    return compare_values(jac, got[1], rtol=1e-10, atol=1e-12, where="jacobian: ")


def _softmax_cases() -> list[Case]:
    return [
        Case((np.array([3.0, 1.0, -3.0]), -1), label="z = (3, 1, −3) (seed 001 §3.4.9)",
             expected=(np.array([0.8789, 0.1189, 0.0022]), None),
             compare=_softmax_seed_compare),
        Case((np.array([[1000.0, 0.0, -1000.0], [5.0, 5.0, 5.0]]), -1),
             label="huge logits ±1000, and a row of equal logits"),
        Case((np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 0.5]]), 0), label="axis = 0 of a (3, 2)"),
    ]


def _softmax_random(rng: np.random.Generator) -> Case:
    k = int(rng.integers(2, 7))
    if rng.random() < 0.5:
        return Case((rng.normal(scale=3.0, size=k), -1))
    z = rng.normal(scale=float(rng.choice([2.0, 300.0])), size=(int(rng.integers(2, 5)), k))
    return Case((z, int(rng.choice([-1, 1]))))


def _softmax_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None
    z = case.args[0]
    jac = np.asarray(got[1], dtype=float)
    p = activations.softmax(z)
    if jac.shape == p.shape and np.allclose(jac, p * (1 - p)):
        return ("that is only the diagonal ∂p_i/∂z_i; return the whole matrix, "
                "J[i, j] = p_i (δ_ij − p_j).")
    if z.ndim == 2 and jac.shape == (z.shape[-1], z.shape[-1]):
        return "for a batch z: (N, K) return one Jacobian per row, shape (N, K, K)."
    return None


# ---------------------------------------------------------------- the list


def _pair(name: str, title: str, cases, diagnose, hint: str, *, random_case=_random_elementwise,
          points: float = 1.0) -> Exercise:
    f, f_grad = getattr(activations, name), getattr(activations, f"{name}_grad")
    return Exercise(
        id=f"03.{name}", title=title, functions=(name, f"{name}_grad"), reference=(f, f_grad),
        cases=cases, random_case=random_case, compare=TOL, driver=call_strict,
        arg_names=("x", "alpha"), diagnose=diagnose, hint=hint, points=points,
    )



# ---------------------------------------------------------------- dead units


def _dead_cases() -> list[Case]:
    return [
        Case((np.array([[1.0, -1.0, 0.0], [-2.0, -1.0, 3.0], [-0.5, -3.0, 0.0]]),),
             label="three examples, three units: only the middle one never fires",
             expected=np.array([False, True, False])),
        Case((np.array([[0.0, 0.1], [0.0, -5.0]]),),
             label="z = 0 everywhere is dead too (relu'(0) = 0)",
             expected=np.array([True, False])),
        Case((np.array([[-1.0, 2.0, 0.0]]),), label="a single example",
             expected=np.array([True, False, True])),
        Case((np.full((4, 3), -0.5),), label="a whole dead layer",
             expected=np.array([True, True, True])),
        Case((np.array([[-1.0, -2.0], [-1.0, -2.0], [0.5, -2.0]]),),
             label="one positive example keeps a unit alive",
             expected=np.array([False, True])),
    ]


def _dead_random(rng: np.random.Generator) -> Case:
    n, units = int(rng.integers(1, 40)), int(rng.integers(1, 20))
    z = rng.normal(size=(n, units)) + rng.normal(-1.5, 1.5, size=units)
    z[rng.random((n, units)) < 0.1] = 0.0
    z = np.round(z, 3)
    # one unit fires on a single example, and only just: alive (np.isclose(z, 0) or a share
    # of active examples would call it dead)
    unit = int(rng.integers(0, units))
    z[:, unit] = -np.abs(z[:, unit])
    z[int(rng.integers(0, n)), unit] = float(rng.uniform(1e-12, 1e-9))
    return Case((z,))


def _dead_compare(expected: Any, got: Any, case: Case) -> Verdict:
    """Exactly the expected booleans, as booleans: 0/1 numbers would not work as a mask."""
    if isinstance(got, np.ndarray) and got.dtype != bool and got.shape == np.shape(expected):
        return Verdict(False, f"got an array of dtype {got.dtype}, expected booleans",
                       "return the booleans themselves (np.all(z <= 0, axis=0)): used as an "
                       "index, 0/1 numbers pick positions 0 and 1 (moved[dead] in the "
                       "experiment below) instead of selecting the dead units.")
    return exact()(expected, got, case)


def _dead_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    (z,) = case.args
    if not isinstance(got, np.ndarray):
        return "return a boolean array with one entry per unit (column of z)."
    if got.shape == (z.shape[0],) and z.shape[0] != z.shape[1]:
        return "one answer per unit: reduce over the examples, axis=0 (the rows)."
    if got.dtype != bool and got.shape == expected.shape:
        return "return booleans (True: dead), e.g. np.all(..., axis=0), not counts or shares."
    if got.shape != expected.shape:
        return f"return an array of shape {expected.shape}: one entry per unit."
    if np.array_equal(got, ~expected):
        return "True must mark the dead units, not the living ones."
    if np.array_equal(got, np.any(z <= 0, axis=0)):
        return ("a unit is dead only if it is inactive on every example: np.all, not np.any "
                "(a ReLU that fires on some examples still learns from them).")
    if np.array_equal(got, np.all(z < 0, axis=0)):
        return "z = 0 counts as inactive: ReLU's output and derivative are both 0 there."
    return None

EXERCISES = [
    _pair("sigmoid", "the sigmoid σ(x) and its derivative, stable for any x", _sigmoid_cases,
          _sigmoid_diagnose,
          "with e = exp(−|x|) ≤ 1: σ(x) = 1/(1 + e) for x ≥ 0 and e/(1 + e) for x < 0; "
          "σ′ = σ(x)(1 − σ(x)). np.where evaluates both branches, so never put an exp that "
          "can overflow in either of them."),
    _pair("tanh", "tanh and its derivative 1 − tanh²", _tanh_cases, _tanh_diagnose,
          "np.tanh is stable; (e^x − e^−x)/(e^x + e^−x) gives inf/inf = nan for large |x|."),
    _pair("softsign", "softsign x/(1 + |x|) and its derivative", _softsign_cases,
          _softsign_diagnose, "softsign′(x) = 1/(1 + |x|)²."),
    _pair("relu", "ReLU and its derivative", _relu_cases, _relu_diagnose,
          "relu(x) = max(0, x); its derivative is 1 where x > 0 and 0 elsewhere (also at 0)."),
    _pair("leaky_relu", "leaky ReLU with slope α and its derivative", _leaky_cases,
          _leaky_diagnose, "x where x > 0, else α·x; the derivative is 1 where x > 0, else α.",
          random_case=_leaky_random),
    Exercise(
        id="03.prelu",
        title="PReLU: the function, ∂f/∂x, and ∂f/∂α for a learnable α",
        functions=("prelu", "prelu_grad", "prelu_alpha_grad"),
        arg_names=("x", "alpha"),
        reference=(activations.prelu, activations.prelu_grad, activations.prelu_alpha_grad),
        cases=_prelu_cases,
        random_case=_prelu_random,
        compare=TOL,
        driver=prelu_driver,
        diagnose=_prelu_diagnose,
        hint="α is a number or one slope per column of x; NumPy broadcasting along the last "
             "axis does the rest. f = α·x where x ≤ 0, so ∂f/∂α = x there and 0 elsewhere.",
    ),
    _pair("softplus", "softplus ln(1 + eˣ) and its derivative, stable for any x",
          _softplus_cases, _softplus_diagnose,
          "ln(1 + eˣ) = max(x, 0) + ln(1 + e^(−|x|)): use np.log1p; the derivative is σ(x)."),
    Exercise(
        id="03.softmax",
        title="softmax along an axis, without overflow, and its Jacobian",
        functions=("softmax", "softmax_jacobian"),
        arg_names=("z", "axis"),
        reference=(activations.softmax, activations.softmax_jacobian),
        cases=_softmax_cases,
        random_case=_softmax_random,
        compare=TOL,
        driver=softmax_driver,
        diagnose=_softmax_diagnose,
        hint="subtract the maximum along the axis (keepdims=True) before np.exp; "
             "J[..., i, j] = p_i (δ_ij − p_j): p[..., :, None] * (np.eye(K) − p[..., None, :]).",
        points=2.0,
    ),
    Exercise(
        id="03.dead_units",
        title="dead ReLU units: inactive (z ≤ 0) on every example",
        functions=("dead_units",),
        reference=(activation_health.dead_units,),
        cases=_dead_cases,
        random_case=_dead_random,
        compare=_dead_compare,
        diagnose=_dead_diagnose,
        hint="np.all(z <= 0, axis=0): one boolean per unit (column), True when the unit never "
             "fires on any example (row).",
    ),
]
