"""Exercises of chapter 09, regularization.

Most exercises are functions compared with ``dlcourse.regularization``. Two are checked by
their properties instead, because more than one random drawing is correct:

- inverted dropout (``dropout_forward`` + ``dropout_backward``): whether a unit is dropped when
  ``u < p`` or when ``u >= 1 − p`` is the student's choice. The driver runs forward and
  backward (and the forward again with the same seed), and ``dropout_properties`` checks the
  identity in evaluation mode, that every kept unit is scaled by 1/(1 − p) and every dropped
  one is 0, that the share of dropped units is p (within 5 standard errors), that entries are
  dropped independently, that the backward uses the forward's mask, and that the same
  generator state gives the same mask;
- ``EarlyStopping`` is a class: ``early_stopping_driver`` feeds it a validation-loss curve
  while "training" changes two weight arrays in place, and returns its stop decisions and the
  weights after ``restore()`` (compared exactly with the reference class).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from dlcourse import regularization as reg
from dlcourse.checking import Case, Exercise, Verdict, close, exact
from dlcourse.checking.drivers import refuse_changes

CHAPTER = "09"
NOTEBOOK = "09_regularization.ipynb"

TOL = close(rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------- drivers (self-contained)


def dropout_driver(impls, args, kwargs):
    """(out, dx, out_again, kept): forward with rng = default_rng(seed), backward of dout with
    the forward's cache, the forward once more with a generator made from the same seed, and
    the number of units kept by 20 more forward passes (seeds seed + 1, ..., seed + 20) on a
    (40, 50) array of ones. args = (x, p); kwargs: training, seed, dout."""
    x, p = args
    training, seed, dout = kwargs["training"], kwargs["seed"], kwargs["dout"]
    out, cache = impls[0](x.copy(), p, training=training, rng=np.random.default_rng(seed))
    dx = impls[1](dout.copy(), cache)
    again, _ = impls[0](x.copy(), p, training=training, rng=np.random.default_rng(seed))
    kept = [int(np.count_nonzero(impls[0](np.ones((40, 50)), p, training=training,
                                          rng=np.random.default_rng(seed + k))[0]))
            for k in range(1, 21)]
    return out, dx, again, kept


def early_stopping_driver(impls, args, kwargs):
    """Feed ``EarlyStopping(patience, min_delta)`` one validation loss per epoch.

    Before epoch k's check, "training" sets the two weight arrays in place to k and −k, so the
    weights of every epoch are different. Stops at the first True from ``step``. Returns the
    decisions (one bool per check made) and the two arrays after ``restore()``.
    args = (patience, min_delta), min_delta None for the default; kwargs: val_losses.
    """
    patience, min_delta = args
    losses = kwargs["val_losses"]
    W, b = np.zeros((2, 3)), np.zeros(3)
    # min_delta None: the case checks the default, EarlyStopping(patience)
    stopper = impls[0](patience) if min_delta is None else impls[0](patience, min_delta)
    decisions = []
    for epoch, loss in enumerate(losses):
        W[...] = epoch
        b[...] = -epoch
        stop = bool(stopper.step(loss, [W, b]))
        decisions.append(stop)
        if stop:
            break
    stopper.restore()
    return np.array(decisions), W.copy(), b.copy()


def with_generator(impls, args, kwargs):
    """Call ``f(img, std, rng)`` with rng = np.random.default_rng(kwargs["seed"]); an ``img``
    changed in place fails."""
    img, std = args
    kept = np.array(img, copy=True)
    out = impls[0](img, std, np.random.default_rng(kwargs["seed"]))
    refuse_changes(impls[0], [img], [kept], example="noisy = img + ..., not img += ...; the "
                                                    "caller's clean image must stay clean")
    return out


# ---------------------------------------------------------------- weight penalties


def _weights_random(rng: np.random.Generator) -> Any:
    arrays = [rng.normal(size=tuple(int(d) for d in rng.integers(1, 5, size=int(k))))
              for k in rng.integers(1, 3, size=int(rng.integers(1, 4)))]
    return arrays if len(arrays) > 1 or rng.random() < 0.5 else arrays[0]


def _l2_penalty_cases() -> list[Case]:
    W1 = np.array([[1.0, -2.0], [0.5, 0.0]])
    W2 = np.array([3.0])
    return [
        # by hand: ½·0.1·(1 + 4 + 0.25 + 0 + 9) = 0.7125
        Case(([W1, W2], 0.1), label="two arrays, α = 0.1", expected=0.7125),
        Case((W1, 2.0), label="one array, α = 2", expected=5.25),
        Case(([W1, W2], 0.0), label="α = 0: no penalty", expected=0.0),
    ]


def _penalty_random(rng: np.random.Generator) -> Case:
    return Case((_weights_random(rng), float(np.round(rng.uniform(0, 1), 3))))


def _l1_penalty_cases() -> list[Case]:
    W1 = np.array([[1.0, -2.0], [0.5, 0.0]])
    W2 = np.array([-3.0])
    return [
        # by hand: 0.1·(1 + 2 + 0.5 + 0 + 3) = 0.65
        Case(([W1, W2], 0.1), label="two arrays, α = 0.1", expected=0.65),
        Case((W1, 2.0), label="one array, α = 2", expected=7.0),
    ]


def _penalty_diagnose(kind: str):
    def diagnose(case: Case, expected: Any, got: Any) -> str | None:
        weights, alpha = case.args
        arrays = weights if isinstance(weights, list) else [weights]
        sq = sum(float(np.sum(w * w)) for w in arrays)
        ab = sum(float(np.sum(np.abs(w))) for w in arrays)
        if not isinstance(got, (int, float)):
            return "return one number (a float): the penalty summed over every array."
        if kind == "l2":
            if math.isclose(got, alpha * sq, rel_tol=1e-9) and sq:
                return "the ½ is missing: Ω = α/2·Σw² (its gradient is then α·w)."
            if math.isclose(got, alpha * math.sqrt(sq), rel_tol=1e-9) and sq:
                return "that is α·‖w‖, the norm itself; L2 regularization uses its square."
            if isinstance(weights, list) and math.isclose(
                    got, 0.5 * alpha * float(np.sum(arrays[0] ** 2)), rel_tol=1e-9):
                return "sum over every array in the list, not just the first."
        else:
            if math.isclose(got, alpha * float(sum(np.sum(w) for w in arrays)), rel_tol=1e-9):
                return "take absolute values: Ω = α·Σ|w|."
            if math.isclose(got, 0.5 * alpha * ab, rel_tol=1e-9) and ab:
                return "no ½ in the L1 penalty: Ω = α·Σ|w|."
            if isinstance(weights, list) and math.isclose(
                    got, alpha * float(np.sum(np.abs(arrays[0]))), rel_tol=1e-9):
                return "sum over every array in the list, not just the first."
        return None

    return diagnose


def _decay_cases() -> list[Case]:
    w = np.array([1.0, -2.0])
    g = np.array([0.5, 0.5])
    # by hand: (1 − 0.1·0.01)·w − 0.1·g = 0.999·w − 0.05
    return [
        Case((w, g, 0.1, 0.01), label="w = (1, −2), ∇J = (0.5, 0.5), ε = 0.1, α = 0.01",
             expected=np.array([0.949, -2.048])),
        Case((w, g, 0.1, 0.0), label="α = 0: a plain gradient step",
             expected=np.array([0.95, -2.05])),
        Case((np.array([[2.0, -1.0], [0.0, 4.0]]), np.zeros((2, 2)), 0.5, 0.2),
             label="zero gradient: the weights shrink by the factor 1 − εα = 0.9",
             expected=np.array([[1.8, -0.9], [0.0, 3.6]])),
    ]


def _decay_random(rng: np.random.Generator) -> Case:
    shape = tuple(int(d) for d in rng.integers(1, 5, size=int(rng.integers(1, 3))))
    return Case((rng.normal(size=shape), rng.normal(size=shape),
                 float(np.round(rng.uniform(0.01, 0.5), 3)),
                 float(np.round(rng.uniform(0.01, 0.5), 3))))


def _decay_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    w, g, lr, alpha = case.args
    if not isinstance(got, np.ndarray) or got.shape != w.shape:
        return None
    if np.allclose(got, w - lr * g - alpha * w):
        return ("the decay term is missing the learning rate: w ← w − ε∇J − εαw "
                "(seed 004 drops the ε there; that is the errata of this chapter).")
    if np.allclose(got, w - lr * g + lr * alpha * w):
        return "the decay must shrink the weights: (1 − εα)·w, a minus sign."
    if np.allclose(got, w - lr * g - lr * 2 * alpha * w):
        return "the penalty is α/2·‖w‖² (with the ½), whose gradient is α·w, not 2α·w."
    if np.allclose(got, (1 - lr * alpha) * (w - lr * g)):
        return ("shrink the current weights and take the gradient step from them: "
                "(1 − εα)·w − ε·∇J, not (1 − εα)·(w − ε·∇J).")
    return None


def _subgradient_cases() -> list[Case]:
    w = np.array([0.5, -2.0, 0.0, 3.0])
    g = np.array([0.1, 0.1, -0.2, 0.0])
    return [
        Case((w, 0.3, g), label="w with a zero entry, α = 0.3",
             expected=np.array([0.4, -0.2, -0.2, 0.3])),
        Case((np.array([[1.0, -1.0], [0.0, 2.0]]), 1.0, np.zeros((2, 2))),
             label="no data gradient: α·sign(w), and 0 where w = 0",
             expected=np.array([[1.0, -1.0], [0.0, 1.0]])),
    ]


def _subgradient_random(rng: np.random.Generator) -> Case:
    shape = tuple(int(d) for d in rng.integers(2, 5, size=int(rng.integers(1, 3))))
    w = rng.normal(size=shape)
    w.flat[rng.integers(0, w.size)] = 0.0
    return Case((w, float(np.round(rng.uniform(0.05, 1.0), 3)), rng.normal(size=shape)))


def _subgradient_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    w, alpha, g = case.args
    if not isinstance(got, np.ndarray) or got.shape != w.shape:
        return None
    if np.any(np.isnan(got)):
        return "w/|w| is 0/0 at w = 0: use np.sign, which gives sign(0) = 0."
    if np.allclose(got, np.sign(w) + g) and alpha != 1:
        return ("the factor α is missing: ∇ = α·sign(w) + ∇J. Seed 000 prints "
                "\"∝ sign(w)\", a garbled α (errata).")
    if np.allclose(got, alpha * w + g):
        return "α·w is the L2 gradient; L1's is α·sign(w)."
    zero = w == 0
    if np.allclose(got[~zero], expected[~zero]) and not np.allclose(got[zero], expected[zero]):
        return "at w = 0 pick the subgradient 0: sign(0) = 0 (as np.sign and torch do)."
    return None


# ---------------------------------------------------------------- dropout


def _dropout_case(rng: np.random.Generator, p: float, training: bool, label: str = "") -> Case:
    shape = (int(rng.integers(60, 121)), int(rng.integers(60, 121)))
    x = rng.uniform(0.2, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    return Case((x, p), {"training": training, "seed": int(rng.integers(0, 2**31)),
                         "dout": rng.normal(size=shape)}, label=label)


def _dropout_cases() -> list[Case]:
    rng = np.random.default_rng(9)
    return [
        _dropout_case(rng, 0.5, True, "training, p = 0.5"),
        _dropout_case(rng, 0.2, True, "training, p = 0.2"),
        _dropout_case(rng, 0.8, True, "training, p = 0.8"),
        _dropout_case(rng, 0.0, True, "training, p = 0: nothing dropped"),
        _dropout_case(rng, 0.5, False, "evaluation mode, p = 0.5: the identity"),
    ]


def _dropout_random(rng: np.random.Generator) -> Case:
    p = float(np.round(rng.uniform(0.1, 0.9), 2))
    return _dropout_case(rng, p, bool(rng.random() < 0.75))


def dropout_properties(expected: Any, got: Any, case: Case) -> Verdict:
    """Judge (out, dx, out_again) of inverted dropout by the properties it must have."""
    x, p = case.args
    training, dout = case.kwargs["training"], case.kwargs["dout"]
    if not isinstance(got, (tuple, list)) or len(got) != 4:
        return Verdict(False, "expected the forward's (out, cache) and the backward's dx")
    out, dx, again, counts = got
    for name, value in (("out", out), ("dx", dx)):
        if not isinstance(value, np.ndarray) or value.shape != x.shape:
            shape = value.shape if isinstance(value, np.ndarray) else type(value).__name__
            return Verdict(False, f"{name}: got {shape}, expected an array of shape {x.shape}")
    if not training or p == 0:
        mode = "evaluation mode" if not training else "p = 0"
        if not np.array_equal(out, x):
            scaled = np.allclose(out, x * (1 - p)) and p > 0
            return Verdict(False, f"out differs from x in {mode}",
                           "inverted dropout already rescaled during training: at test time "
                           "it is the identity, out = x (no multiplying by 1 − p)." if scaled
                           else f"in {mode} dropout changes nothing: return a copy of x.")
        if not np.array_equal(dx, dout):
            return Verdict(False, f"dx differs from dout in {mode}",
                           "with nothing dropped the gradient passes through unchanged.")
        return Verdict(True)
    if not isinstance(again, np.ndarray) or not np.array_equal(out, again):
        return Verdict(False, "two forward passes with generators made from the same seed "
                              "dropped different units",
                       "draw the mask from the rng argument (rng.random(x.shape)), not from "
                       "np.random.")
    kept = out != 0
    if np.any(kept):
        ratio = out[kept] / x[kept]
        if not np.allclose(ratio, 1 / (1 - p), rtol=1e-12):
            r = float(np.median(ratio))
            hints = [(1.0, "the kept units must be scaled up by 1/(1 − p) (inverted dropout), "
                           "so that the expected output equals x."),
                     (1 - p, "scale the kept units UP by 1/(1 − p); multiplying by (1 − p) "
                             "is the test-time rule of the original, non-inverted dropout."),
                     (1 / p, "divide by the keep probability 1 − p, not by p.")]
            hint = next((h for f, h in hints if math.isclose(r, f, rel_tol=1e-9)), "")
            return Verdict(False, f"kept units are x times {r:.4g}; inverted dropout scales them "
                                  f"by 1/(1 − p) = {1 / (1 - p):.4g}", hint)
    n = x.size
    dropped = 1.0 - float(np.mean(kept))
    se = math.sqrt(p * (1 - p) / n)
    if abs(dropped - p) > 5 * se:
        hint = ("p is the probability of DROPPING a unit (torch's convention): keep a unit "
                "with probability 1 − p." if abs(dropped - (1 - p)) <= 5 * se else
                "drop each entry independently with probability p.")
        return Verdict(False, f"{100 * dropped:.1f}% of the units were dropped; expected "
                              f"p = {100 * p:.0f}% (within {100 * 5 * se:.1f}%)", hint)
    mixed_rows = np.mean(kept.any(axis=1) & ~kept.all(axis=1))
    mixed_cols = np.mean(kept.any(axis=0) & ~kept.all(axis=0))
    if min(mixed_rows, mixed_cols) < 0.5:
        return Verdict(False, "whole rows or columns are dropped together",
                       "draw one random number per entry: rng.random(x.shape).")
    # independent drops: the number kept is binomial, with a standard deviation of at least
    # √(2000·0.1·0.9) ≈ 13 here; 20 equal counts mean a fixed number of units is dropped
    if len(set(counts)) == 1:
        return Verdict(False, f"20 forward passes with different seeds each kept exactly "
                              f"{counts[0]} of 2000 units",
                       "drop each unit independently (one random number per entry, "
                       "rng.random(x.shape) >= p), not a fixed number of units chosen without "
                       "replacement: the number dropped varies from pass to pass.")
    expected_dx = np.where(kept, dout / (1 - p), 0.0)
    if not np.allclose(dx, expected_dx, rtol=1e-12, atol=1e-14):
        if np.allclose(dx, dout):
            hint = "the backward must apply the forward's mask: dx = dout · mask."
        elif np.allclose(dx, np.where(kept, dout, 0.0)):
            hint = "the backward also scales by 1/(1 − p): dx = dout · mask, mask = keep/(1 − p)."
        else:
            hint = "keep the mask in the cache and return dout · mask."
        return Verdict(False, "dx is not dout times the forward's mask", hint)
    return Verdict(True)


# ---------------------------------------------------------------- max-norm


def _max_norm_cases() -> list[Case]:
    W = np.array([[3.0, 0.3], [4.0, 0.4]])
    return [
        # by hand: column 0 has norm 5 > 1 and shrinks to (0.6, 0.8); column 1 (0.5) stays
        Case((W, 1.0), label="norms 5 and 0.5, c = 1: only the long column shrinks",
             expected=np.array([[0.6, 0.3], [0.8, 0.4]])),
        Case((W, 10.0), label="c = 10: every column is inside the ball, nothing changes",
             expected=W.copy()),
        Case((np.array([[0.0, 6.0], [0.0, 8.0], [0.0, 0.0]]), 2.0),
             label="a zero column stays zero; (6, 8, 0) has norm 10 → (1.2, 1.6, 0)",
             expected=np.array([[0.0, 1.2], [0.0, 1.6], [0.0, 0.0]])),
        Case((np.array([[1.0, 2.0, -3.0, 0.5]]), 1.5),
             label="one input (fan_in = 1): each weight is its own column",
             expected=np.array([[1.0, 1.5, -1.5, 0.5]])),
        Case((np.array([[2.0, 1.0, 0.5], [1.0, 3.0, 0.5], [-2.0, 1.0, 0.5]]), 3.0),
             label="rows and columns have different norms: which ones are the units?"),
    ]


def _max_norm_random(rng: np.random.Generator) -> Case:
    fan_in, fan_out = int(rng.integers(1, 9)), int(rng.integers(2, 9))
    c = float(np.round(rng.uniform(0.5, 4.0), 2))
    W = rng.normal(size=(fan_in, fan_out))
    W *= c * rng.uniform(0.3, 2.0, size=fan_out) / np.maximum(np.linalg.norm(W, axis=0), 1e-12)
    return Case((W, c))


def _max_norm_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    W, c = case.args
    if not isinstance(got, np.ndarray) or got.shape != W.shape:
        return "return an array of W's shape: the projected weights."
    col = np.linalg.norm(W, axis=0, keepdims=True)
    row = np.linalg.norm(W, axis=1, keepdims=True)
    if np.allclose(got, W * c / np.where(col > 0, col, 1.0)) and np.any(col < c):
        return ("columns already shorter than c must stay as they are: scale by min(1, c/‖w‖), "
                "a projection onto the ball, not a normalization to length c.")
    if np.allclose(got, W * np.minimum(1.0, c / np.where(row > 0, row, 1.0))):
        return ("the norms run over the wrong axis: in W of shape (fan_in, fan_out) unit j's "
                "incoming weights are the column W[:, j]: np.linalg.norm(W, axis=0).")
    total = np.linalg.norm(W)
    if np.allclose(got, W * min(1.0, c / total)):
        return "one norm per unit (per column), not one norm of the whole matrix."
    if np.allclose(got, np.clip(W, -c, c)):
        return "clipping each weight to [−c, c] bounds the entries, not the length of the vector."
    if np.any(np.isnan(got)):
        return "a zero column has norm 0: leave it alone instead of dividing by 0."
    return None


# ---------------------------------------------------------------- early stopping


def _stopping_cases() -> list[Case]:
    curve = [1.0, 0.8, 0.6, 0.65, 0.7, 0.55, 0.6, 0.62, 0.63, 0.64, 0.7]
    return [
        Case((3, 0.0), {"val_losses": curve},
             label="patience 3: stops 3 checks after the best (epoch 5)"),
        Case((2, 0.0), {"val_losses": curve}, label="patience 2: stops at epoch 4, best epoch 2"),
        Case((20, 0.0), {"val_losses": curve},
             label="patience longer than the run: never stops"),
        Case((2, 0.02), {"val_losses": [1.0, 0.95, 0.94, 0.935, 0.93, 0.925, 0.92]},
             label="min_delta 0.02: tiny improvements do not count"),
        Case((3, 0.0), {"val_losses": [0.5, 0.4, 0.4, 0.45, 0.4, 0.41]},
             label="a tie with the best is not an improvement"),
        Case((2, 0.0), {"val_losses": [0.9, 0.7, float("nan"), 0.8, 0.75]},
             label="a NaN loss (training blew up) is not an improvement"),
        Case((2, 0.05), {"val_losses": [10.0, 9.9, 9.8, 9.7, 9.6, 9.58, 9.57, 9.56]},
             label="losses near 10, min_delta 0.05: an absolute margin, not 5 %"),
        Case((3, None), {"val_losses": [0.5, 0.49, 0.4899, 0.48985, 0.4898, 0.4897, 0.5]},
             label="EarlyStopping(3): the default min_delta = 0, any decrease counts"),
    ]


def _stopping_random(rng: np.random.Generator) -> Case:
    n = int(rng.integers(8, 31))
    t = np.arange(n)
    curve = 1.0 / (1 + 0.3 * t) + 0.01 * np.maximum(t - rng.integers(3, 15), 0) ** 1.5
    curve = curve + 0.02 * rng.normal(size=n)
    min_delta = float(np.round(rng.choice([0.0, 0.0, 0.005, 0.02]), 3))
    return Case((int(rng.integers(1, 6)), min_delta),
                {"val_losses": [float(np.round(v, 4)) for v in curve]})


def _stopping_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return None
    decisions, W, _ = got
    exp_decisions, exp_W, _ = expected
    if isinstance(decisions, np.ndarray) and decisions.shape != exp_decisions.shape:
        if decisions.size == exp_decisions.size + 1:
            return ("stopped one check late: stop as soon as `patience` checks in a row have "
                    "not improved (counter ≥ patience).")
        if decisions.size == exp_decisions.size - 1:
            return "stopped one check early: count `patience` checks without improvement."
        return ("the stop came at the wrong check: an improvement is loss < best − min_delta "
                "(strictly), and it resets the counter of bad checks to 0.")
    if isinstance(W, np.ndarray) and W.shape == exp_W.shape and not np.array_equal(W, exp_W):
        last = len(decisions) - 1 if isinstance(decisions, np.ndarray) else None
        if last is not None and np.all(last == W):
            return ("restore() left the last weights (or the saved ones were the same arrays): "
                    "save copies, [p.copy() for p in params], when the loss improves.")
        return "restore() must copy the best weights back into the same arrays, in place."
    return None


# ---------------------------------------------------------------- label smoothing


def _smooth_cases() -> list[Case]:
    e = 0.1 / 3
    return [
        Case((np.array([0, 2, 1]), 3, 0.1), label="3 classes, ε = 0.1",
             expected=np.array([[1 - 2 * e, e, e], [e, e, 1 - 2 * e], [e, 1 - 2 * e, e]])),
        Case((np.array([1, 0]), 2, 0.2), label="2 classes, ε = 0.2: 0.9 and 0.1",
             expected=np.array([[0.1, 0.9], [0.9, 0.1]])),
        Case((np.array([3, 3, 0]), 5, 0.0), label="ε = 0: plain one-hot"),
    ]


def _labels_random(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    return rng.integers(0, k, size=n).astype(np.int64)


def _smooth_random(rng: np.random.Generator) -> Case:
    k = int(rng.integers(2, 11))
    return Case((_labels_random(rng, int(rng.integers(1, 9)), k), k,
                 float(np.round(rng.uniform(0.01, 0.4), 3))))


def _smooth_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    labels, k, eps = case.args
    if not isinstance(got, np.ndarray) or got.shape != (len(labels), k):
        return f"return an array of shape (N, k) = ({len(labels)}, {k}): one row per label."
    rows = np.arange(len(labels))
    if np.allclose(got[rows, labels], 1 - eps) and eps > 0:
        return ("the right class gets 1 − (k − 1)ε/k, not 1 − ε: every class, the right one "
                "included, receives ε/k of the spread mass (seed 000, torch).")
    if not np.allclose(got.sum(axis=1), 1):
        return "each row is a probability distribution: it must sum to 1."
    return None


def _smoothing_ce_cases() -> list[Case]:
    z = np.array([[2.0, 1.0, -1.0], [0.5, 0.5, 3.0]])
    return [
        Case((z, np.array([0, 2]), 0.1), label="two examples, 3 classes, ε = 0.1"),
        Case((z, np.array([1, 0]), 0.0), label="ε = 0: ordinary cross-entropy"),
        Case((np.array([[800.0, 0.0, -800.0], [0.0, 1000.0, 0.0]]), np.array([0, 0]), 0.2),
             label="huge logits (a naive exp overflows)"),
    ]


def _smoothing_ce_random(rng: np.random.Generator) -> Case:
    k = int(rng.integers(2, 8))
    n = int(rng.integers(1, 9))
    return Case((rng.normal(scale=3.0, size=(n, k)), _labels_random(rng, n, k),
                 float(np.round(rng.uniform(0.0, 0.4), 3))))


def _smoothing_ce_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    z, labels, eps = case.args
    if not isinstance(got, (int, float)):
        return "return one number: the mean loss over the batch."
    if not math.isfinite(got):
        return ("the loss overflowed: compute log-softmax stably, z − max(z) − "
                "log Σ exp(z − max(z)).")
    if math.isclose(got, expected * len(labels), rel_tol=1e-9) and len(labels) > 1:
        return "average over the examples: divide the sum by N."
    plain = reg.label_smoothing_cross_entropy(z, labels, 0.0)
    if eps > 0 and math.isclose(got, plain, rel_tol=1e-9):
        return "ε is ignored: use the smoothed targets q = (1 − ε)·one_hot + ε/k."
    return None


# ---------------------------------------------------------------- augmentation


@lru_cache(maxsize=1)
def _digit_images() -> np.ndarray:
    from sklearn.datasets import load_digits

    return load_digits().images[:10].astype(np.float64) / 16.0


def _digit(index: int) -> np.ndarray:
    """One of scikit-learn's 8×8 digits, pixel values scaled to [0, 1]."""
    return _digit_images()[index].copy()


def _shift_cases() -> list[Case]:
    img = _digit(0)
    return [
        Case((img, 1, 0), label="a digit 0, one pixel to the right"),
        Case((img, 0, -2), label="two pixels up"),
        Case((img, -2, 3), label="two left, three down"),
        Case((np.arange(12.0).reshape(3, 4), 1, 1), label="a 3×4 ramp, right and down",
             expected=np.array([[0.0, 0, 0, 0], [0, 0, 1, 2], [0, 4, 5, 6]])),
        Case((img, 9, 0), label="shifted out of the picture: all zeros"),
    ]


def _image_random(rng: np.random.Generator) -> np.ndarray:
    h, w = int(rng.integers(3, 10)), int(rng.integers(3, 10))
    return np.round(rng.uniform(0, 1, size=(h, w)), 3)


def _shift_random(rng: np.random.Generator) -> Case:
    img = _image_random(rng)
    return Case((img, int(rng.integers(-3, 4)), int(rng.integers(-3, 4))))


def _shift_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    img, dx, dy = case.args
    if not isinstance(got, np.ndarray) or got.shape != img.shape:
        return "return an image of the same shape as the input."
    if np.allclose(got, np.roll(np.roll(img, dy, axis=0), dx, axis=1)) and (dx or dy):
        return ("np.roll wraps the content around the edges; a shift fills the uncovered "
                "border with 0 instead.")
    if np.allclose(got, reg.shift_image(img, dy, dx)):
        return "dx moves along the columns (x, to the right) and dy along the rows (y, down)."
    if np.allclose(got, reg.shift_image(img, -dx, -dy)):
        return "the shift goes the wrong way: out[r, c] = img[r − dy, c − dx]."
    return None


def _rotate_cases() -> list[Case]:
    img = _digit(7)
    ramp = np.arange(35.0).reshape(5, 7) / 34
    return [
        Case((img, 90.0), label="90° counterclockwise: np.rot90", expected=np.rot90(img),
             compare=close(rtol=1e-9, atol=1e-9)),
        Case((img, 0.0), label="0°: unchanged", expected=img.copy(),
             compare=close(rtol=1e-12, atol=1e-12)),
        Case((img, 10.0), label="a digit turned by 10°"),
        Case((img, -15.0), label="−15° (clockwise)"),
        Case((ramp, 30.0), label="a 5×7 image, 30°"),
    ]


def _rotate_random(rng: np.random.Generator) -> Case:
    return Case((_image_random(rng), float(np.round(rng.uniform(-40, 40), 1))))


def _rotate_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    img, degrees = case.args
    if not isinstance(got, np.ndarray) or got.shape != img.shape:
        return "return an image of the same shape as the input."
    if degrees and np.allclose(got, reg.rotate_image(img, -degrees), atol=1e-9):
        return ("the rotation goes the wrong way: positive angles turn the picture "
                "counterclockwise as displayed (row 0 at the top).")
    if degrees and np.allclose(got, reg.rotate_image(img, math.degrees(degrees)), atol=1e-9):
        return "the angle is in degrees: convert with np.deg2rad before cos and sin."
    return ("rotate about the centre ((H − 1)/2, (W − 1)/2); mix the four pixels around the "
            "source position with bilinear weights, counting pixels outside the image as 0.")


def _noise_cases() -> list[Case]:
    img = _digit(3)
    return [
        Case((img, 0.1), {"seed": 0}, label="a digit, σ = 0.1, seed 0"),
        Case((img, 0.0), {"seed": 1}, label="σ = 0: unchanged", expected=img.copy()),
        Case((np.stack([_digit(i) for i in range(4)]), 0.05), {"seed": 2},
             label="a batch (4, 8, 8)"),
    ]


def _noise_random(rng: np.random.Generator) -> Case:
    return Case((_image_random(rng), float(np.round(rng.uniform(0.01, 0.5), 3))),
                {"seed": int(rng.integers(0, 2**31))})


def _noise_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    img, std = case.args
    seed = case.kwargs["seed"]
    if not isinstance(got, np.ndarray) or got.shape != img.shape:
        return "return an array of the same shape as img."
    z = np.random.default_rng(seed).standard_normal(img.shape)
    if np.allclose(got, img + std**2 * z):
        return "std is the standard deviation: multiply N(0, 1) draws by std, not std²."
    if np.allclose(got, std * z):
        return "add the noise to the image: img + std·N(0, 1)."
    if np.allclose(got, np.clip(expected, 0, 1)) and not np.allclose(got, expected):
        return "do not clip: return img + noise as it is."
    return "draw the noise as rng.standard_normal(img.shape), once, from the rng passed in."


# ---------------------------------------------------------------- the list


EXERCISES = [
    Exercise(
        id="09.l2_penalty",
        title="the L2 penalty α/2·Σw² over one or several weight arrays",
        functions=("l2_penalty",),
        reference=(reg.l2_penalty,),
        cases=_l2_penalty_cases,
        random_case=_penalty_random,
        compare=TOL,
        diagnose=_penalty_diagnose("l2"),
        hint="sum w² over every entry of every array, times α/2; return a float.",
    ),
    Exercise(
        id="09.weight_decay_step",
        title="one gradient step on J + α/2·‖w‖², as weight decay",
        functions=("sgd_weight_decay_step",),
        reference=(reg.sgd_weight_decay_step,),
        cases=_decay_cases,
        random_case=_decay_random,
        compare=TOL,
        diagnose=_decay_diagnose,
        hint="w_new = (1 − lr·α)·w − lr·grad.",
    ),
    Exercise(
        id="09.l1_penalty",
        title="the L1 penalty α·Σ|w|",
        functions=("l1_penalty",),
        reference=(reg.l1_penalty,),
        cases=_l1_penalty_cases,
        random_case=_penalty_random,
        compare=TOL,
        diagnose=_penalty_diagnose("l1"),
        hint="sum |w| over every entry of every array, times α; return a float.",
    ),
    Exercise(
        id="09.l1_subgradient",
        title="a subgradient of J + α·‖w‖₁: α·sign(w) + ∇J",
        functions=("l1_subgradient",),
        reference=(reg.l1_subgradient,),
        cases=_subgradient_cases,
        random_case=_subgradient_random,
        compare=TOL,
        diagnose=_subgradient_diagnose,
        hint="alpha * np.sign(w) + grad (np.sign(0) is 0).",
    ),
    Exercise(
        id="09.dropout",
        title="inverted dropout: forward in training and evaluation mode, and backward",
        functions=("dropout_forward", "dropout_backward"),
        arg_names=("x", "p"),
        reference=(reg.dropout_forward, reg.dropout_backward),
        cases=_dropout_cases,
        random_case=_dropout_random,
        compare=dropout_properties,
        driver=dropout_driver,
        hint="training: mask = (rng.random(x.shape) >= p) / (1 − p), out = x·mask, cache = "
             "mask; evaluation: out = x; backward: dx = dout·mask.",
        show_expected=False,
    ),
    Exercise(
        id="09.max_norm",
        title="the max-norm constraint: project each unit's incoming weights onto ‖w‖ ≤ c",
        functions=("max_norm",),
        reference=(reg.max_norm,),
        cases=_max_norm_cases,
        random_case=_max_norm_random,
        compare=TOL,
        diagnose=_max_norm_diagnose,
        hint="norms = np.linalg.norm(W, axis=0) (one per column, i.e. per unit); multiply each "
             "column by min(1, c / norm), leaving zero columns at zero.",
    ),
    Exercise(
        id="09.early_stopping",
        title="early stopping with patience, restoring the best weights",
        functions=("EarlyStopping",),
        arg_names=("patience", "min_delta"),
        reference=(reg.EarlyStopping,),
        cases=_stopping_cases,
        random_case=_stopping_random,
        compare=exact(),
        driver=early_stopping_driver,
        diagnose=_stopping_diagnose,
        hint="improvement: loss < best − min_delta → save copies of the arrays, reset the "
             "counter; otherwise count; stop when the counter reaches patience.",
    ),
    Exercise(
        id="09.smooth_labels",
        title="label smoothing: q = (1 − ε)·one_hot(y) + ε/k",
        functions=("smooth_labels",),
        reference=(reg.smooth_labels,),
        cases=_smooth_cases,
        random_case=_smooth_random,
        compare=TOL,
        diagnose=_smooth_diagnose,
        hint="start from np.full((N, k), ε/k) and add 1 − ε at each example's label.",
    ),
    Exercise(
        id="09.label_smoothing_cross_entropy",
        title="cross-entropy against smoothed targets, from logits",
        functions=("label_smoothing_cross_entropy",),
        reference=(reg.label_smoothing_cross_entropy,),
        cases=_smoothing_ce_cases,
        random_case=_smoothing_ce_random,
        compare=TOL,
        diagnose=_smoothing_ce_diagnose,
        hint="log-softmax z − max − log Σ exp(z − max); loss = −mean over rows of Σ_j q_j·logp_j.",
    ),
    Exercise(
        id="09.shift_image",
        title="shift an image by whole pixels, filling with zeros",
        functions=("shift_image",),
        reference=(reg.shift_image,),
        cases=_shift_cases,
        random_case=_shift_random,
        compare=TOL,
        diagnose=_shift_diagnose,
        hint="out = zeros; copy the overlapping block: out[r, c] = img[r − dy, c − dx].",
    ),
    Exercise(
        id="09.rotate_image",
        title="rotate an image about its centre, bilinear interpolation",
        functions=("rotate_image",),
        reference=(reg.rotate_image,),
        cases=_rotate_cases,
        random_case=_rotate_random,
        compare=close(rtol=1e-9, atol=1e-12),
        diagnose=_rotate_diagnose,
        hint="for every output pixel find the source position by the inverse rotation, then "
             "mix the four neighbouring pixels (0 outside the image) by bilinear weights.",
    ),
    Exercise(
        id="09.add_noise",
        title="Gaussian pixel noise from a given generator",
        functions=("add_noise",),
        arg_names=("img", "std"),
        reference=(reg.add_noise,),
        cases=_noise_cases,
        random_case=_noise_random,
        compare=TOL,
        driver=with_generator,
        diagnose=_noise_diagnose,
        hint="img + std * rng.standard_normal(img.shape).",
    ),
]
