"""Exercises of chapter 10, normalization."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlcourse import covariate_shift as shift
from dlcourse import normalization as norm
from dlcourse.checking import Case, Exercise, close
from dlcourse.checking.compare import parts
from dlcourse.checking.drivers import forward_backward, forward_stats_backward

CHAPTER = "10"
NOTEBOOK = "10_normalization.ipynb"

_TIGHT = dict(rtol=1e-9, atol=1e-11)

# five examples, three features on very different scales (a height in cm, a weight in kg,
# a yearly income in euros); the last column is constant in the second case
_PEOPLE = np.array([
    [172.0, 68.0, 41_000.0],
    [158.0, 51.0, 29_500.0],
    [181.0, 90.0, 75_000.0],
    [165.0, 59.0, 38_200.0],
    [190.0, 84.0, 52_300.0],
])
_NEWCOMERS = np.array([[150.0, 45.0, 20_000.0], [200.0, 100.0, 90_000.0]])


def _sentence(text: str) -> str:
    return text + "."


_NO_GAMMA = ("dx forgets γ: out = γ·x̂ + β, so the gradient that reaches x̂ is dout·γ (γ per "
             "channel or feature), and the normalization's backward starts from that.")


def _dx_without_gamma(got: Any, expected: Any, forward: Any, backward: Any, x: np.ndarray,
                      gamma: np.ndarray, rest: tuple, dout: np.ndarray) -> str | None:
    """``_NO_GAMMA`` if the student's dx (``got[1][0]``) is the reference's dx with γ = 1."""
    grads = got[1] if isinstance(got, (tuple, list)) and len(got) == 2 else None
    if not (isinstance(grads, (tuple, list)) and grads and isinstance(grads[0], np.ndarray)):
        return None
    dx = grads[0]
    if dx.shape != x.shape or np.allclose(dx, expected[1][0]) or np.allclose(gamma, 1.0):
        return None
    _, cache = forward(x, np.ones_like(gamma), np.zeros_like(gamma), *rest)
    return _NO_GAMMA if np.allclose(dx, backward(dout, cache)[0]) else None


def _first_match(got: Any, expected: Any, mistakes: dict[str, Any]) -> str | None:
    """The mistakes whose result equals ``got`` (and not the right answer), as a hint."""
    if not isinstance(got, np.ndarray):
        return None
    found = [what for what, value in mistakes.items()
             if value is not None and np.shape(value) == got.shape and np.allclose(got, value)
             and not np.allclose(value, expected)]
    return _sentence("; or ".join(found)) if found else None


# ---------------------------------------------------------------- feature scaling


def _scaling_random_x(rng: np.random.Generator) -> np.ndarray:
    n, d = int(rng.integers(2, 9)), int(rng.integers(1, 5))
    scales = 10.0 ** rng.uniform(-2, 4, size=d)
    return rng.normal(size=(n, d)) * scales + rng.normal(size=d) * scales


def _min_max_cases() -> list[Case]:
    constant = _PEOPLE.copy()
    constant[:, 2] = 40_000.0
    train_min, train_max = _PEOPLE.min(axis=0), _PEOPLE.max(axis=0)
    return [
        Case((np.array([3.0, -1.0, 5.0, 1.0]),), label="one feature: [3, −1, 5, 1]",
             expected=np.array([4 / 6, 0.0, 1.0, 2 / 6])),
        Case((_PEOPLE,), label="three features on different scales"),
        Case((_PEOPLE, (-1.0, 1.0)), label="onto the range [−1, 1]"),
        Case((_NEWCOMERS,), {"data_min": train_min, "data_max": train_max},
             label="new data with the training set's min and max (may leave [0, 1])"),
        Case((constant,), label="a constant feature (max = min) is only shifted, to low"),
    ]


def _min_max_random(rng: np.random.Generator) -> Case:
    x = _scaling_random_x(rng)
    if rng.random() < 0.5:
        return Case((x, (float(rng.uniform(-3, 0)), float(rng.uniform(0.5, 3)))))
    new = x[: max(1, len(x) // 2)] * rng.uniform(0.5, 1.5)      # new data, similar scales
    return Case((new,), {"data_min": x.min(axis=0), "data_max": x.max(axis=0)})


def _min_max_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    x = case.args[0]
    lo, hi = case.args[1] if len(case.args) > 1 else (0.0, 1.0)
    mn, mx = x.min(axis=0), x.max(axis=0)
    return _first_match(got, expected, {
        "the min and max are taken over the whole array; each feature (column) needs its own":
            lo + (x - x.min()) / (x.max() - x.min()) * (hi - lo),
        "the data_min and data_max given are ignored: new data must be scaled with the "
        "training set's statistics": lo + (x - mn) / np.where(mx > mn, mx - mn, 1.0) * (hi - lo),
        "the feature_range is ignored: x' = low + (x − min)/(max − min)·(high − low)":
            expected if (lo, hi) == (0.0, 1.0) else (expected - lo) / (hi - lo),
    })


def _z_cases() -> list[Case]:
    return [
        Case((np.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]),),
             label="mean 5, standard deviation 2",
             expected=np.array([-1.5, -0.5, -0.5, -0.5, 0.0, 0.0, 1.0, 2.0])),
        Case((_PEOPLE,), label="three features on different scales"),
        Case((_NEWCOMERS,), {"mean": _PEOPLE.mean(axis=0), "std": _PEOPLE.std(axis=0)},
             label="new data with the training set's mean and standard deviation"),
        Case((np.column_stack([_PEOPLE[:, 0], np.full(5, 40_000.0)]),),
             label="a constant feature (σ = 0) is only centred: divided by 1, not by 0"),
    ]


def _z_random(rng: np.random.Generator) -> Case:
    x = _scaling_random_x(rng)
    if rng.random() < 0.5:
        return Case((x,))
    return Case((x[::2] * rng.uniform(0.5, 1.5),), {"mean": x.mean(axis=0), "std": x.std(axis=0)})


def _z_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    x = case.args[0]
    mu, sd = x.mean(axis=0), x.std(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):    # a constant feature has σ = 0
        return _z_mistakes(x, mu, sd, got, expected)


def _z_mistakes(x: np.ndarray, mu: np.ndarray, sd: np.ndarray, got: Any,
                expected: Any) -> str | None:
    return _first_match(got, expected, {
        "it divides by the sample standard deviation (ddof=1); use the population one, "
        "x.std(axis=0), which divides by N": (x - mu) / x.std(axis=0, ddof=1)
        if len(x) > 1 else None,
        "the statistics run over the wrong axis: one mean and σ per feature, axis=0":
            (x - x.mean(axis=-1, keepdims=True)) / x.std(axis=-1, keepdims=True)
            if x.ndim == 2 else None,
        "it divides by the variance σ², not by σ": (x - mu) / sd ** 2,
        "the given mean and std are ignored: new data must use the training statistics":
            (x - mu) / np.where(sd == 0, 1.0, sd),
    })


# ---------------------------------------------------------------- batch norm


def _bn_case(x, rng, *, training, momentum=0.1, eps=1e-5, label="", stats=None):
    c = x.shape[1]
    gamma, beta = rng.normal(size=c), rng.normal(size=c)
    rm, rv = stats if stats is not None else (rng.normal(size=c), rng.uniform(0.5, 2.0, size=c))
    return Case((x, gamma, beta, rm, rv),
                {"training": training, "momentum": momentum, "eps": eps,
                 "dout": rng.normal(size=x.shape)}, label=label)


def _bn_cases() -> list[Case]:
    rng = np.random.default_rng(10)
    fresh = (np.zeros(3), np.ones(3))
    return [
        _bn_case(rng.normal(2.0, 3.0, size=(6, 3)), rng, training=True, stats=fresh,
                 label="(N, C) = (6, 3), training, fresh running statistics (0 and 1)"),
        _bn_case(rng.normal(size=(4, 3, 5, 5)), rng, training=True, momentum=0.3, eps=0.01,
                 label="(N, C, H, W) = (4, 3, 5, 5), training, momentum 0.3, ε = 0.01"),
        _bn_case(rng.normal(size=(5, 4)), rng, training=False,
                 label="(N, C) = (5, 4), inference: the running statistics are used"),
        _bn_case(rng.normal(size=(2, 3, 4, 3)), rng, training=False, eps=0.1,
                 label="(N, C, H, W), inference, ε = 0.1"),
        _bn_case(rng.normal(size=(3, 2, 7)), rng, training=True, momentum=0.5, eps=0.2,
                 label="(N, C, L) = (3, 2, 7): a sequence, as for BatchNorm1d"),
    ]


def _bn_random(rng: np.random.Generator) -> Case:
    ndim = int(rng.integers(2, 5))
    n = int(rng.integers(2, 7))
    shape = (n, int(rng.integers(1, 5)), *tuple(int(s) for s in rng.integers(1, 6, ndim - 2)))
    x = rng.normal(rng.normal(), rng.uniform(0.5, 3.0), size=shape)
    return _bn_case(x, rng, training=bool(rng.random() < 0.7),
                    momentum=float(rng.uniform(0.05, 0.9)), eps=float(10 ** rng.uniform(-5, -0.5)))


def _bn_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    x, gamma, beta, _rm, rv = case.args
    kw = case.kwargs
    out, new_mean, new_var, grads = got
    exp_out, exp_mean, exp_var, exp_grads = expected
    axes = (0, *range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    m = x.size // x.shape[1]
    mu, var = x.mean(axis=axes), x.var(axis=axes)
    out_wrong = isinstance(out, np.ndarray) and out.shape == exp_out.shape and \
        not np.allclose(out, exp_out)
    if out_wrong and not kw["training"]:
        return ("at inference (training=False), normalize with running_mean and "
                "running_var, not with the batch's statistics.")
    if out_wrong:
        xc = x - mu.reshape(shape)
        hint = _first_match(out, exp_out, {
            "put ε inside the square root: (x − μ)/√(σ² + ε) (seed 001's misprint puts it "
            "outside)": gamma.reshape(shape) * xc / (np.sqrt(var) + kw["eps"]).reshape(shape)
            + beta.reshape(shape),
            "the statistics are per channel, over the batch and every pixel (axes 0, 2, 3, "
            "...)": gamma.reshape(shape) * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0)
                                                                           + kw["eps"])
            + beta.reshape(shape),
        })
        return hint or "x̂ = (x − μ)/√(σ² + ε) with the batch's μ and biased σ², then γ·x̂ + β."
    if isinstance(new_var, np.ndarray) and new_var.shape == exp_var.shape and \
            not np.allclose(new_var, exp_var):
        mom = kw["momentum"]
        return _first_match(new_var, exp_var, {
            "the running variance must track the unbiased σ²·m/(m − 1), m = N·H·W values per "
            "channel": (1 - mom) * rv + mom * var,
            "momentum is the weight of the new batch: (1 − momentum)·old + momentum·new":
                mom * rv + (1 - mom) * var * m / (m - 1),
            "the count m is every value of a channel, N·H·W, not only the batch size N":
                (1 - mom) * rv + mom * var * x.shape[0] / max(x.shape[0] - 1, 1),
        }) or "running_var ← (1 − momentum)·running_var + momentum·σ²·m/(m − 1)."
    if isinstance(new_mean, np.ndarray) and not np.allclose(new_mean, exp_mean):
        return "running_mean ← (1 − momentum)·running_mean + momentum·μ."
    if kw["training"] and isinstance(grads, (tuple, list)) and len(grads) == 3:
        dx = grads[0]
        if isinstance(dx, np.ndarray) and dx.shape == x.shape and \
                not np.allclose(dx, exp_grads[0]):
            return ("in training μ and σ² depend on x: dx = γ/√(σ² + ε)·(dout − mean(dout) − "
                    "x̂·mean(dout·x̂)), means per channel.")
    return None


# ---------------------------------------------------------------- internal covariate shift


def _w1_cases() -> list[Case]:
    spread = np.array([-1.0, 0.0, 1.0])
    return [
        # by hand: sorted (0, 1, 2) against (3, 4, 5): every quantile 3 apart
        Case((np.array([[0.0], [1.0], [2.0]]), np.array([[5.0], [3.0], [4.0]])),
             label="(0, 1, 2) against (5, 3, 4): sort both, every pair is 3 apart",
             expected=np.array([3.0])),
        Case((np.array([[1.0], [7.0], [-2.0], [4.0]]), np.array([[4.0], [-2.0], [1.0], [7.0]])),
             label="the same values in another order: distance 0", expected=np.array([0.0])),
        Case((np.column_stack([spread, spread]), np.column_stack([spread - 2.0, 3.0 * spread])),
             label="two units: one shifted by −2 (distance 2), one spread 3× wider (4/3)",
             expected=np.array([2.0, 4.0 / 3.0])),
        Case((np.array([[0.5, -1.0, 2.0]]), np.array([[2.0, 1.0, 2.0]])),
             label="one example per unit: |a − b|", expected=np.array([1.5, 2.0, 0.0])),
        Case((np.array([[0.0, 10.0], [0.0, 20.0], [9.0, 30.0]]),
              np.array([[3.0, 31.0], [3.0, 9.0], [3.0, 21.0]])),
             label="the same mean, different shapes: W₁ still sees the difference"),
    ]


def _w1_random(rng: np.random.Generator) -> Case:
    n, d = int(rng.integers(1, 40)), int(rng.integers(1, 7))
    a = rng.normal(size=(n, d))
    b = rng.normal(loc=rng.uniform(-2, 2, size=d), scale=rng.uniform(0.3, 3, size=d),
                   size=(n, d))
    return Case((a, b))


def _w1_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    a, b = case.args
    if not isinstance(got, np.ndarray) or got.shape != (a.shape[1],):
        return (f"return one distance per unit (column): an array of shape ({a.shape[1]},).")
    if np.allclose(got, np.mean(np.abs(a - b), axis=0)):
        return ("sort each column first: W₁ matches the smallest value of a with the smallest "
                "of b, and so on, whatever order the examples came in.")
    if np.allclose(got, np.abs(a.mean(axis=0) - b.mean(axis=0))):
        return ("that is the difference of the means; W₁ compares the whole distributions: "
                "mean |sort(a) − sort(b)| down each column.")
    if np.allclose(got, np.sqrt(np.mean((np.sort(a, 0) - np.sort(b, 0)) ** 2, axis=0))):
        return "W₁ averages absolute differences, not squared ones (that would be W₂)."
    if np.allclose(got, np.sum(np.abs(np.sort(a, 0) - np.sort(b, 0)), axis=0)):
        return "average over the N examples (mean), not the sum."
    return "sort each column (axis=0) of both samples, then average |a_sorted − b_sorted|."


# ---------------------------------------------------------------- layer norm


def _ln_case(x, k, rng, eps=1e-5, label=""):
    shape = x.shape[x.ndim - k:]
    return Case((x, rng.normal(size=shape), rng.normal(size=shape), eps),
                {"dout": rng.normal(size=x.shape)}, label=label)


def _ln_cases() -> list[Case]:
    rng = np.random.default_rng(20)
    return [
        _ln_case(rng.normal(1.0, 2.0, size=(4, 6)), 1, rng, label="(N, D) = (4, 6), γ, β: (6,)"),
        _ln_case(rng.normal(size=(2, 3, 4, 5)), 3, rng, eps=0.1,
                 label="(N, C, H, W) with γ, β of shape (C, H, W), ε = 0.1"),
        _ln_case(rng.normal(size=(2, 5, 3)), 1, rng,
                 label="(N, T, D) = (2, 5, 3): a sequence, normalized per time step"),
    ]


def _ln_random(rng: np.random.Generator) -> Case:
    ndim = int(rng.integers(2, 5))
    shape = tuple(int(s) for s in rng.integers(1, 6, ndim))
    k = int(rng.integers(1, ndim))
    if np.prod(shape[ndim - k:]) < 2:
        shape = (*shape[:-1], 3)
    x = rng.normal(rng.normal(), rng.uniform(0.5, 3.0), size=shape)
    return _ln_case(x, k, rng, eps=float(10 ** rng.uniform(-5, -0.5)))


def _ln_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    x, gamma, beta, eps = case.args
    out = got[0]
    if isinstance(out, np.ndarray) and out.shape == x.shape and \
            not np.allclose(out, expected[0]):
        last = (x - x.mean(axis=-1, keepdims=True)) / np.sqrt(x.var(axis=-1, keepdims=True) + eps)
        return _first_match(out, expected[0], {
            "each example is normalized over its last gamma.ndim axes, not only the last one":
                gamma * last + beta,
            "the statistics are per example (over the features), not over the batch":
                gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps) + beta,
        }) or "x̂ = (x − μ)/√(σ² + ε), μ and the biased σ² over each example's last axes."
    no_gamma = _dx_without_gamma(got, expected, norm.layer_norm_forward, norm.layer_norm_backward,
                                 x, gamma, (eps,), case.kwargs["dout"])
    if no_gamma:
        return no_gamma
    grads = got[1]
    if isinstance(grads, (tuple, list)) and len(grads) == 3:
        dgamma = grads[1]
        if isinstance(dgamma, np.ndarray) and dgamma.shape != gamma.shape:
            return "dgamma and dbeta have gamma's shape: sum over the leading (batch) axes."
    return None


# ---------------------------------------------------------------- group norm


def _gn_case(x, groups, rng, eps=1e-5, label=""):
    c = x.shape[1]
    return Case((x, rng.normal(size=c), rng.normal(size=c), groups, eps),
                {"dout": rng.normal(size=x.shape)}, label=label)


def _gn_cases() -> list[Case]:
    rng = np.random.default_rng(30)
    return [
        _gn_case(rng.normal(size=(2, 6, 3, 3)), 3, rng,
                 label="(N, C, H, W) = (2, 6, 3, 3), 3 groups of 2 channels"),
        _gn_case(rng.normal(size=(1, 4, 5)), 2, rng, eps=0.1,
                 label="one example (N = 1 is fine), 2 groups, ε = 0.1"),
        _gn_case(rng.normal(size=(3, 4, 2, 2)), 1, rng, label="1 group: layer norm over (C, H, W)"),
        _gn_case(rng.normal(size=(2, 4, 2, 3)), 4, rng, label="4 groups of 1: instance norm"),
    ]


def _gn_random(rng: np.random.Generator) -> Case:
    groups, per = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    c = groups * per
    spatial = tuple(int(s) for s in rng.integers(1, 5, int(rng.integers(0, 3))))
    if per * int(np.prod(spatial)) < 2:
        spatial = (3, *spatial)
    x = rng.normal(rng.normal(), rng.uniform(0.5, 3.0), size=(int(rng.integers(1, 4)), c, *spatial))
    return _gn_case(x, groups, rng, eps=float(10 ** rng.uniform(-5, -0.5)))


def _gn_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    x, gamma, beta, groups, eps = case.args
    out = got[0]
    n, c = x.shape[:2]
    shape = (1, c) + (1,) * (x.ndim - 2)
    if isinstance(out, np.ndarray) and out.shape == x.shape and \
            not np.allclose(out, expected[0]):
        inter = x.reshape(n, c // groups, groups, -1)
        ax = (1, 3)
        inter_hat = ((inter - inter.mean(axis=ax, keepdims=True))
                     / np.sqrt(inter.var(axis=ax, keepdims=True) + eps)).reshape(x.shape)
        return _first_match(out, expected[0], {
            "the groups are runs of neighbouring channels: group g holds channels "
            "g·C/G … (g + 1)·C/G − 1 (x.reshape(N, G, -1))":
                gamma.reshape(shape) * inter_hat + beta.reshape(shape),
        }) or ("reshape to (N, G, C/G·pixels), standardize each row with its own μ and biased "
               "σ², reshape back, then γ and β per channel.")
    return _dx_without_gamma(got, expected, norm.group_norm_forward, norm.group_norm_backward,
                             x, gamma, (groups, eps), case.kwargs["dout"])


# ---------------------------------------------------------------- weight norm


def _wn_case(shape, rng, label=""):
    return Case((rng.normal(size=shape), rng.normal(size=shape[0])),
                {"dout": rng.normal(size=shape)}, label=label)


def _wn_cases() -> list[Case]:
    rng = np.random.default_rng(40)
    v = np.array([[3.0, 4.0], [1.0, 0.0], [0.0, -2.0]])
    return [
        Case((v, np.array([10.0, 2.0, 0.5])), {"dout": np.ones((3, 2))},
             label="rows (3, 4), (1, 0), (0, −2) get lengths 10, 2 and 0.5"),
        _wn_case((4, 3), rng, label="a linear layer's (out, in) = (4, 3) weights"),
        _wn_case((2, 3, 3, 3), rng, label="a conv layer's (F, C, KH, KW) = (2, 3, 3, 3) weights"),
    ]


def _wn_random(rng: np.random.Generator) -> Case:
    ndim = int(rng.integers(2, 5))
    shape = tuple(int(s) for s in rng.integers(1, 6, ndim))
    return _wn_case(shape, rng)


def _wn_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    v, g = case.args
    w = got[0]
    shape = (-1,) + (1,) * (v.ndim - 1)
    if isinstance(w, np.ndarray) and w.shape == v.shape and not np.allclose(w, expected[0]):
        return _first_match(w, expected[0], {
            "‖v‖ is taken per output unit (over every axis but 0), not over the whole array":
                g.reshape(shape) * v / np.linalg.norm(v),
            "divide by ‖v‖, not by ‖v‖²":
                g.reshape(shape) * v / np.sum(v * v, axis=tuple(range(1, v.ndim)), keepdims=True),
            "the norm was taken down axis 0 (one per column); weight norm needs one per output "
            "unit, over every axis except 0 (axis=tuple(range(1, v.ndim)))":
                g.reshape(shape) * v / np.sqrt(np.sum(v * v, axis=0, keepdims=True)),
        }) or ("w = g·v/‖v‖ with one norm (and one g) per output unit: ‖v‖ over every axis "
               "except 0 (axis=tuple(range(1, v.ndim)), keepdims=True).")
    grads = got[1]
    if isinstance(grads, (tuple, list)) and len(grads) == 2:
        dv, dg = grads
        if isinstance(dg, np.ndarray) and dg.shape != g.shape:
            return f"dg has g's shape {g.shape}: one number per output unit."
        if isinstance(dv, np.ndarray) and dv.shape == v.shape and \
                not np.allclose(dv, expected[1][0]):
            return ("dv = (g/‖v‖)·(dw − u·dg) with u = v/‖v‖: the length of v does not change "
                    "w, so dv has no component along v.")
    return None


# ---------------------------------------------------------------- local response norm


def _lrn_cases() -> list[Case]:
    rng = np.random.default_rng(50)
    x = np.array([[[1.0], [2.0], [3.0], [4.0]]])       # (N, C, 1) = (1, 4, 1)
    return [
        Case((x, 3, 1.0, 1.0, 1.0), label="channels 1, 2, 3, 4, size 3, α = β = k = 1",
             expected=x / (1.0 + np.array([[[5.0], [14.0], [29.0], [25.0]]]) / 3.0)),
        Case((rng.normal(size=(2, 6, 3, 3)), 5),
             label="torch's defaults: α = 1e-4, β = 0.75, k = 1"),
        Case((3.0 * rng.normal(size=(2, 7, 4)), 4, 0.5, 0.75, 2.0),
             label="an even size: 2 channels before, 1 after"),
        Case((rng.normal(size=(1, 3, 2, 2)), 7, 2.0, 0.5, 1.0),
             label="a window wider than the channels"),
    ]


def _lrn_random(rng: np.random.Generator) -> Case:
    ndim = int(rng.integers(3, 5))
    spatial = (int(s) for s in rng.integers(1, 4, ndim - 2))
    shape = (int(rng.integers(1, 3)), int(rng.integers(2, 9)), *spatial)
    return Case((2.0 * rng.normal(size=shape), int(rng.integers(1, 7)),
                 float(rng.uniform(0.2, 3.0)), float(rng.uniform(0.3, 1.0)),
                 float(rng.uniform(0.5, 2.0))))


def _lrn_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    x, size, *rest = case.args
    alpha, beta, k = (list(rest) + [1e-4, 0.75, 1.0][len(rest):])[:3]
    if isinstance(got, np.ndarray) and got.shape == x.shape:
        undivided = norm.local_response_norm(x, size, alpha * size, beta, k)
        if np.allclose(got, undivided):
            return ("that is the seed's formula with α·Σa²; torch (and this exercise) uses "
                    "(α/size)·Σa².")
        if size % 2 == 0:
            return ("for an even size the window holds size//2 channels before c and "
                    "(size − 1)//2 after it, as in torch.")
    return "b_c = a_c/(k + (α/size)·Σ a_j²)^β, j over the size channels around c."


# ---------------------------------------------------------------- the list

EXERCISES = [
    Exercise(
        id="10.min_max_scale",
        title="min-max scaling of each feature onto a range",
        functions=("min_max_scale",),
        reference=(norm.min_max_scale,),
        cases=_min_max_cases,
        random_case=_min_max_random,
        compare=close(**_TIGHT),
        diagnose=_min_max_diagnose,
        hint="per column: low + (x − min)/(max − min)·(high − low); use data_min/data_max when "
             "given; a constant column has max − min = 0: divide by 1 instead.",
    ),
    Exercise(
        id="10.z_score",
        title="z-score standardization of each feature",
        functions=("z_score",),
        reference=(norm.z_score,),
        cases=_z_cases,
        random_case=_z_random,
        compare=close(**_TIGHT),
        diagnose=_z_diagnose,
        hint="per column: (x − mean)/std with x.mean(axis=0) and x.std(axis=0) (divide by N), "
             "or the mean and std given.",
    ),
    Exercise(
        id="10.batch_norm",
        title="batch norm forward (training and inference) and backward, running statistics",
        functions=("batch_norm_forward", "batch_norm_backward", "batch_norm_running_stats"),
        arg_names=("x", "gamma", "beta", "running_mean", "running_var"),
        reference=(norm.batch_norm_forward, norm.batch_norm_backward,
                   norm.batch_norm_running_stats),
        cases=_bn_cases,
        random_case=_bn_random,
        compare=parts(("out", "new_running_mean", "new_running_var", ("dx", "dgamma", "dbeta")),
                      **_TIGHT),
        driver=forward_stats_backward,
        diagnose=_bn_diagnose,
        hint="statistics per channel over axes (0, 2, 3, ...); training: batch μ and biased σ²; "
             "inference: the running statistics; batch_norm_running_stats: (1 − momentum)·old "
             "+ momentum·new, with the unbiased σ²·m/(m − 1) for the variance.",
        points=3.0,
    ),
    Exercise(
        id="10.wasserstein_1d",
        title="how far a distribution moved: the 1-D Wasserstein distance, per unit",
        functions=("wasserstein_1d",),
        reference=(shift.wasserstein_1d,),
        cases=_w1_cases,
        random_case=_w1_random,
        compare=close(**_TIGHT),
        diagnose=_w1_diagnose,
        hint="np.mean(np.abs(np.sort(a, axis=0) − np.sort(b, axis=0)), axis=0).",
    ),
    Exercise(
        id="10.layer_norm",
        title="layer norm forward and backward",
        functions=("layer_norm_forward", "layer_norm_backward"),
        arg_names=("x", "gamma", "beta", "eps"),
        reference=(norm.layer_norm_forward, norm.layer_norm_backward),
        cases=_ln_cases,
        random_case=_ln_random,
        compare=parts(("out", ("dx", "dgamma", "dbeta")), **_TIGHT),
        driver=forward_backward,
        diagnose=_ln_diagnose,
        hint="normalize each example over its last gamma.ndim axes; dgamma and dbeta sum over "
             "the other (leading) axes.",
        points=2.0,
    ),
    Exercise(
        id="10.group_norm",
        title="group norm forward and backward",
        functions=("group_norm_forward", "group_norm_backward"),
        arg_names=("x", "gamma", "beta", "num_groups", "eps"),
        reference=(norm.group_norm_forward, norm.group_norm_backward),
        cases=_gn_cases,
        random_case=_gn_random,
        compare=parts(("out", ("dx", "dgamma", "dbeta")), **_TIGHT),
        driver=forward_backward,
        diagnose=_gn_diagnose,
        hint="x.reshape(N, G, -1): standardize each row, reshape back, scale and shift per "
             "channel; the backward is layer norm's on the (N, G, -1) view.",
        points=2.0,
    ),
    Exercise(
        id="10.weight_norm",
        title="weight norm: w = g·v/‖v‖ per output unit, forward and backward",
        functions=("weight_norm_forward", "weight_norm_backward"),
        arg_names=("v", "g"),
        reference=(norm.weight_norm_forward, norm.weight_norm_backward),
        cases=_wn_cases,
        random_case=_wn_random,
        compare=parts(("w", ("dv", "dg")), **_TIGHT),
        driver=forward_backward,
        diagnose=_wn_diagnose,
        hint="‖v‖ over every axis but 0 (keepdims=True); dg = Σ dw·u, dv = (g/‖v‖)·(dw − u·dg).",
        points=2.0,
    ),
    Exercise(
        id="10.local_response_norm",
        title="local response normalization across channels (torch's convention)",
        functions=("local_response_norm",),
        reference=(norm.local_response_norm,),
        cases=_lrn_cases,
        random_case=_lrn_random,
        compare=close(**_TIGHT),
        diagnose=_lrn_diagnose,
        hint="square x, pad the channel axis with size//2 zeros before and (size − 1)//2 after, "
             "sum size shifted slices, then divide x by (k + α/size·sum)^β.",
    ),
]
