"""Exercises of chapter 08, weight initialization.

The deterministic schemes (zeros, a constant) are compared exactly. The random schemes cannot
be: a student may draw with ``rng.normal(0, σ, shape)`` or ``rng.standard_normal(shape) * σ``,
``rng.uniform(-b, b, shape)`` or ``(2 * rng.random(shape) - 1) * b``, all correct. So the
driver ``seeded_draws`` calls the student's function three times on a large, non-square
weight shape, with generators made from the case's seed (twice the same seed, once the next),
and the comparator ``distribution`` checks what must hold for any correct drawing:

- the same generator state gives the same weights, another gives other weights (the function
  draws from the ``rng`` it is given, not from ``np.random``);
- the sample mean is 0 and the sample standard deviation is the scheme's σ within 3 %
  (with at least 20,000 draws the estimate's own error is below 0.5 %, so a right answer passes
  with overwhelming probability, while the mistakes that matter, a gain of √2, fan_out for
  fan_in, variance for standard deviation, are off by 15 % or far more: the shapes have
  fan_in and fan_out at least a factor 2 apart);
- the shape of the distribution: the kurtosis E[w⁴]/σ⁴ is 3 for a normal and 1.8 for a uniform
  (checked within ±0.3), and a uniform stays inside its bound ±b and reaches close to it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dlcourse import init
from dlcourse.checking import Case, Exercise, Verdict, exact

CHAPTER = "08"
NOTEBOOK = "08_initialization.ipynb"

STD_TOL = 0.03        # relative tolerance on the standard deviation
KURTOSIS_TOL = 0.3    # absolute tolerance on E[w⁴]/σ⁴ (3 for a normal, 1.8 for a uniform)


# ---------------------------------------------------------------- drivers (self-contained)


def zeros_and_constant(impls, args, kwargs):
    """(zeros(shape), constant(shape, value))."""
    shape, value = args
    return impls[0](shape), impls[1](shape, value)


def seeded_draws(impls, args, kwargs):
    """Three calls of an initializer: ``init(shape, rng=..., **rest)`` with the generators
    ``np.random.default_rng(seed)`` (twice) and ``np.random.default_rng(seed + 1)``; ``seed``
    comes from the kwargs, ``rest`` are the other kwargs (gain, scale)."""
    (shape,) = args
    rest = dict(kwargs)
    seed = rest.pop("seed")
    first = impls[0](shape, rng=np.random.default_rng(seed), **rest)
    again = impls[0](shape, rng=np.random.default_rng(seed), **rest)
    other = impls[0](shape, rng=np.random.default_rng(seed + 1), **rest)
    return first, again, other


# ---------------------------------------------------------------- zeros and constants


def _constant_cases() -> list[Case]:
    return [
        Case(((3, 4), 0.5), label="shape (3, 4), value 0.5"),
        Case(((5,), -1.0), label="a bias vector of 5, value −1"),
        Case(((2, 6), 0.0), label="shape (2, 6), value 0"),
        Case(((2, 3), 2), label="an integer value 2: still a float array"),
    ]


def _constant_random(rng: np.random.Generator) -> Case:
    shape = tuple(int(d) for d in rng.integers(1, 7, size=int(rng.integers(1, 3))))
    return Case((shape, float(np.round(rng.normal(), 3))))


def _float_arrays(expected: Any, got: Any, case: Case) -> Verdict:
    """Exactly the expected arrays, and float ones, as the docstrings say: an integer array
    cannot take a gradient step in place (W -= lr * dW raises a casting error)."""
    if isinstance(got, (tuple, list)) and len(got) == 2:
        for name, g in zip(("zeros", "constant"), got, strict=True):
            if isinstance(g, np.ndarray) and g.dtype.kind != "f":
                return Verdict(False, f"{name} returned an array of dtype {g.dtype}, expected "
                                      "floats",
                               "np.full(shape, value) takes its dtype from value: an integer "
                               "value gives an integer array; write np.full(shape, "
                               "float(value)).")
    return exact()(expected, got, case)


def _constant_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    shape, value = case.args
    if isinstance(got, (tuple, list)) and len(got) == 2:
        for name, g in zip(("zeros", "constant"), got, strict=True):
            if isinstance(g, np.ndarray) and g.shape != tuple(shape):
                return f"{name} must return an array of exactly the given shape {tuple(shape)}."
        c = got[1]
        if isinstance(c, np.ndarray) and c.size and np.all(c == 0) and value != 0:
            return "constant must fill the array with value, not with zeros."
    return None


# ---------------------------------------------------------------- random schemes


def _sized_shape(rng: np.random.Generator) -> tuple[int, int]:
    """A weight shape with ≥ 20,000 entries whose fan_in and fan_out differ by 2x-3x."""
    small = int(rng.integers(100, 201))
    large = round(small * rng.uniform(2.0, 3.0))
    return (small, large) if rng.random() < 0.5 else (large, small)


def _target(scheme: str, shape: tuple[int, int], kwargs: dict[str, Any]) -> dict[str, Any]:
    """What the comparator needs: the distribution, its scale (σ, or the bound b of a uniform),
    the formula that gives it (for messages) and the gain, if one is passed."""
    fan_in, fan_out = shape
    gain = kwargs.get("gain")
    if scheme == "small_random":
        scale = kwargs.get("scale", 0.01)
        return {"scheme": scheme, "kind": "normal", "scale": scale, "gain": None,
                "formula": "σ = scale"}
    scale = init.init_scale(scheme, shape, gain)
    g = "" if gain is None else f"{gain:.4g}·"
    formulas = {
        "randn_sqrt_n": f"σ = 1/√fan_in = 1/√{fan_in}",
        "xavier_uniform": f"b = {g}√(6/(fan_in + fan_out)) = {g}√(6/{fan_in + fan_out})",
        "xavier_normal": f"σ = {g}√(2/(fan_in + fan_out)) = {g}√(2/{fan_in + fan_out})",
        "he_normal": f"σ = √(2/fan_in) = √(2/{fan_in})",
    }
    kind = "uniform" if scheme.endswith("uniform") else "normal"
    return {"scheme": scheme, "kind": kind, "scale": scale, "gain": gain,
            "formula": formulas[scheme]}


def _scheme_cases(scheme: str, gains: bool = False, scales: bool = False):
    def cases() -> list[Case]:
        out = []
        for shape, seed in [((400, 100), 0), ((128, 384), 1)]:
            out.append(Case((shape,), {"seed": seed}, label=f"shape {shape}",
                            secret=_target(scheme, shape, {})))
        if gains:
            kw = {"gain": 5.0 / 3.0}
            out.append(Case(((150, 450),), {"seed": 2, **kw},
                            label="shape (150, 450), gain 5/3 (tanh)",
                            secret=_target(scheme, (150, 450), kw)))
        if scales:
            kw = {"scale": 0.05}
            out.append(Case(((300, 100),), {"seed": 2, **kw}, label="shape (300, 100), scale 0.05",
                            secret=_target(scheme, (300, 100), kw)))
        return out

    return cases


def _scheme_random(scheme: str, gains: bool = False, scales: bool = False):
    def random_case(rng: np.random.Generator) -> Case:
        shape = _sized_shape(rng)
        kwargs: dict[str, Any] = {}
        if gains and rng.random() < 0.5:
            kwargs["gain"] = float(rng.choice([5.0 / 3.0, math.sqrt(2.0), 0.5, 2.0]))
        if scales and rng.random() < 0.5:
            kwargs["scale"] = float(np.round(rng.uniform(0.005, 0.2), 3))
        return Case((shape,), {"seed": int(rng.integers(0, 2**31)), **kwargs},
                    secret=_target(scheme, shape, kwargs))

    return random_case


def _explain_std(ratio: float, shape: tuple[int, int], target: dict[str, Any]) -> str:
    """A hint for weights whose standard deviation is ``ratio`` times the right one."""
    fan_in, fan_out = shape
    scheme, kind, scale, gain = target["scheme"], target["kind"], target["scale"], target["gain"]
    sigma = scale / math.sqrt(3.0) if kind == "uniform" else scale
    candidates: list[tuple[float, str]] = []
    if gain not in (None, 1.0):
        candidates.append((1 / gain, "the gain is missing: multiply σ (or the bound b) by gain."))
        candidates.append((math.sqrt(gain) / gain, "the gain multiplies the standard deviation "
                                                   "(or the bound), not the variance."))
    if scheme == "he_normal":
        candidates.append((1 / math.sqrt(2.0), "√2 too small: He initialization has the gain √2 "
                                               "(variance 2/fan_in), made for ReLU."))
    elif scheme != "small_random":
        candidates.append((math.sqrt(2.0), "√2 too large: a factor 2 too many in the variance "
                                           "(2/fan_in is He's, for ReLU layers)?"))
        candidates.append((1 / math.sqrt(2.0), "√2 too small: a factor 2 missing in the variance?"))
    if scheme in ("randn_sqrt_n", "he_normal"):
        candidates.append((math.sqrt(fan_in / fan_out),
                           "this is the σ for fan_in = shape[1]: in our layout (fan_in, fan_out) "
                           "= shape, fan_in = shape[0] (torch's nn.Linear stores the transpose)."))
    candidates += [
        (1 / math.sqrt(3.0), "√3 too small: U(−b, b) has standard deviation b/√3, so the "
                             "bound is b = √3·σ."),
        (math.sqrt(3.0), "√3 too large: b is the bound of U(−b, b), whose σ is b/√3."),
        (sigma, "it looks like σ² was used as the standard deviation: multiply N(0, 1) draws "
                "by σ, not by the variance."),
        (1 / math.sqrt(sigma), "it looks like √σ was used: multiply N(0, 1) draws by σ."),
    ]
    for factor, text in candidates:
        if abs(ratio / factor - 1) < 0.04:
            return text
    return "compare your formula with the one in the text, term by term."


def distribution(expected: Any, got: Any, case: Case) -> Verdict:
    """Judge three draws (same seed, same seed, next seed) by the properties of the scheme."""
    shape = tuple(case.args[0])
    target = case.secret
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return Verdict(False, "the driver expected one array from each call")
    arrays = []
    for g in got:
        if not isinstance(g, np.ndarray) or g.dtype.kind != "f":
            return Verdict(False, f"got {type(g).__name__}, expected a float array",
                           "return a NumPy array of floats.")
        if g.shape != shape:
            return Verdict(False, f"shape {g.shape}, expected {shape}",
                           "draw an array of exactly the given shape (fan_in, fan_out).")
        arrays.append(g.astype(np.float64))
    first, again, other = arrays
    if not np.all(np.isfinite(first)):
        return Verdict(False, "the weights contain NaN or inf")
    if not np.array_equal(first, again):
        return Verdict(False, "two calls with generators made from the same seed gave different "
                              "weights", "draw from the rng argument (rng.standard_normal, "
                                         "rng.uniform, rng.normal), not from np.random.")
    if np.array_equal(first, other):
        return Verdict(False, "generators made from different seeds gave the same weights",
                       "draw the weights from the rng argument you are given.")
    n = first.size
    kind, scale = target["kind"], target["scale"]
    sigma = scale / math.sqrt(3.0) if kind == "uniform" else scale
    mean, std = float(first.mean()), float(first.std())
    if abs(mean) > 6.0 * sigma / math.sqrt(n):
        return Verdict(False, f"the weights' mean is {mean:.3g}; a zero-mean scheme gives "
                              f"|mean| ≤ {6 * sigma / math.sqrt(n):.2g} here",
                       "the weights must be centred at 0: N(0, σ²) or U(−b, b).")
    ratio = std / sigma
    if abs(ratio - 1.0) > STD_TOL:
        if kind == "uniform":
            wanted = (f"b/√3 = {sigma:.4g}, with the bound {target['formula']} = {scale:.4g}")
        else:
            wanted = f"{target['formula']} = {scale:.4g}"
        return Verdict(False, f"the standard deviation of the weights is {std:.4g}; expected "
                              f"{wanted} (within {100 * STD_TOL:.0f}%)",
                       _explain_std(ratio, shape, target))
    kurtosis = float(np.mean((first - mean) ** 4) / std**4)
    want = 3.0 if kind == "normal" else 1.8
    if abs(kurtosis - want) > KURTOSIS_TOL:
        other_kind = "uniform" if kind == "normal" else "normal"
        return Verdict(False, f"the spread is right but the shape is not: E[w⁴]/σ⁴ = "
                              f"{kurtosis:.2f}, a {kind} distribution has {want}",
                       f"these look {other_kind}ly distributed; this scheme draws from a "
                       f"{kind} distribution.")
    if kind == "uniform":
        top = float(np.abs(first).max())
        if top > scale * (1 + 1e-9) or top < 0.98 * scale:
            return Verdict(False, f"the largest |w| is {top:.4g}; U(−b, b) with "
                                  f"{target['formula']} = {scale:.4g} stays within ±b and "
                                  "comes close to it", "draw rng.uniform(-b, b, size=shape).")
    return Verdict(True)


def _random_exercise(scheme: str, title: str, hint: str, *, gains: bool = False,
                     scales: bool = False) -> Exercise:
    return Exercise(
        id=f"08.{scheme}",
        title=title,
        functions=(scheme,),
        arg_names=("shape",),
        reference=(getattr(init, scheme),),
        cases=_scheme_cases(scheme, gains, scales),
        random_case=_scheme_random(scheme, gains, scales),
        compare=distribution,
        driver=seeded_draws,
        hint=hint,
        show_expected=False,
    )


# ---------------------------------------------------------------- the list


EXERCISES = [
    Exercise(
        id="08.zeros_and_constant",
        title="all-zero and constant weights (the symmetry trap)",
        functions=("zeros", "constant"),
        arg_names=("shape", "value"),
        reference=(init.zeros, init.constant),
        cases=_constant_cases,
        random_case=_constant_random,
        compare=_float_arrays,
        driver=zeros_and_constant,
        diagnose=_constant_diagnose,
        hint="np.zeros(shape) and np.full(shape, float(value)).",
    ),
    _random_exercise(
        "small_random", "small random numbers, scale·N(0, 1)",
        "rng.standard_normal(shape) * scale.", scales=True),
    _random_exercise(
        "randn_sqrt_n", "N(0, 1)/√fan_in: unit output variance for unit inputs",
        "fan_in = shape[0]; rng.standard_normal(shape) / √fan_in."),
    _random_exercise(
        "xavier_uniform", "Xavier (Glorot) uniform: U(−b, b), b = gain·√(6/(fan_in + fan_out))",
        "b = gain·√(6/(fan_in + fan_out)); rng.uniform(-b, b, size=shape).", gains=True),
    _random_exercise(
        "xavier_normal", "Xavier (Glorot) normal: σ = gain·√(2/(fan_in + fan_out))",
        "σ = gain·√(2/(fan_in + fan_out)); rng.standard_normal(shape) * σ.", gains=True),
    _random_exercise(
        "he_normal", "He (Kaiming) normal for ReLU layers: σ = √(2/fan_in)",
        "σ = √(2/fan_in) with fan_in = shape[0]; rng.standard_normal(shape) * σ."),
]
