"""Exercises of chapter 04: softmax, one-hot encoding and the loss functions."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlcourse import losses
from dlcourse.checking import Case, Exercise, Verdict, close, compare_values, exact
from dlcourse.checking.drivers import call_strict

CHAPTER = "04"
NOTEBOOK = "04_losses.ipynb"

TOL = close(rtol=1e-10, atol=1e-12)
SEED_SOFTMAX = np.array([0.8789, 0.1189, 0.0022])   # seed 001 §3.4.9: softmax(3, 1, −3)
HUGE = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0], [1000.0, 999.0, -5.0]])


def _float_array(value: Any) -> np.ndarray | None:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr


def _random_logits(rng: np.random.Generator) -> np.ndarray:
    n, k = int(rng.integers(1, 7)), int(rng.integers(2, 7))
    return rng.normal(scale=float(rng.choice([1.0, 4.0, 400.0])), size=(n, k))


def _random_labels_case(rng: np.random.Generator) -> Case:
    z = _random_logits(rng)
    return Case((z, rng.integers(0, z.shape[1], size=z.shape[0])))


# ---------------------------------------------------------------- log-softmax


def _seed_probabilities(expected: Any, got: Any, case: Case) -> Verdict:
    """Seed 001 prints softmax(3, 1, −3) to four decimals: compare exp(log_softmax) with it."""
    arr = _float_array(got)
    if arr is None or arr.shape != SEED_SOFTMAX.shape:
        return compare_values(np.asarray(expected), got)
    return compare_values(SEED_SOFTMAX, np.exp(arr), rtol=0.0, atol=5e-5,
                          where="exp(log_softmax): ")


def _log_softmax_cases() -> list[Case]:
    return [
        Case((np.array([3.0, 1.0, -3.0]), -1), label="z = (3, 1, −3) (seed 001 §3.4.9)",
             expected=np.log(SEED_SOFTMAX), compare=_seed_probabilities),
        Case((HUGE.copy(), -1), label="logits of ±1000 (rows)",
             expected=np.array([[0.0, -2000.0, -1000.0], [-np.log(3.0)] * 3,
                                [-np.log1p(np.exp(-1.0)), -1.0 - np.log1p(np.exp(-1.0)),
                                 -1005.0 - np.log1p(np.exp(-1.0))]])),
        Case((HUGE.copy(), 0), label="the same along axis 0 (columns)"),
        Case((np.array([[2.0, -1.0, 0.5], [0.0, 3.0, 1.0]]),),
             label="a (2, 3) batch with the default axis = −1 (rows)"),
    ]


def _log_softmax_random(rng: np.random.Generator) -> Case:
    if rng.random() < 0.3:
        return Case((rng.normal(scale=3.0, size=int(rng.integers(2, 7))), -1))
    return Case((_random_logits(rng), int(rng.choice([-1, 0, 1]))))


def _log_softmax_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    arr = _float_array(got)
    if arr is None or arr.shape != np.shape(expected):
        return None
    if np.any(np.isneginf(arr)):
        return ("−inf means log(0): a probability underflowed before the log. Compute "
                "z − m − log Σ exp(z − m) with m the maximum, never log(softmax(z)).")
    z, axis = case.args[0], case.args[1] if len(case.args) > 1 else -1
    with np.errstate(all="ignore"):
        if np.allclose(arr, np.exp(expected), atol=1e-9):
            return "those are the probabilities; return their logarithms, log softmax(z)."
        if np.allclose(arr, z - np.log(np.sum(np.exp(z - z.max(axis=axis, keepdims=True)),
                                              axis=axis, keepdims=True))):
            return ("z − log Σ exp(z − m) mixes shifted and unshifted logits: use (z − m) "
                    "in both places.")
    if z.ndim == 2 and np.allclose(arr, losses.log_softmax(z, axis=1 - axis % 2), atol=1e-9):
        return "normalised along the wrong axis: use the `axis` argument, with keepdims=True."
    return None


# ---------------------------------------------------------------- one-hot


def _one_hot_cases() -> list[Case]:
    return [
        Case((np.array([1]), 4), label="class 2 of 4 (index 1) → (0, 1, 0, 0) (seed 003)",
             expected=np.array([[0.0, 1.0, 0.0, 0.0]])),
        Case((np.arange(6), 6), label="the six states 0..5 of seed 001 §3.10",
             expected=np.eye(6)),
        Case((np.array([0, 2, 1, 0]), 5), label="classes 3 and 4 never occur",
             expected=np.array([[1.0, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 1, 0, 0, 0],
                                [1, 0, 0, 0, 0]])),
    ]


def _one_hot_random(rng: np.random.Generator) -> Case:
    k = int(rng.integers(2, 9))
    n = int(rng.integers(1, 10))
    return Case((rng.integers(0, k, size=n), k))


_ONE_HOT_FLOATS = ("return floats, as the docstring asks: np.eye(num_classes)[labels], or "
                   "(...).astype(float).")


def _one_hot_compare(expected: Any, got: Any, case: Case) -> Verdict:
    """Exactly the expected rows, as floats (the text asks for floats: they feed a loss)."""
    if isinstance(got, np.ndarray) and got.dtype.kind in "iub":
        return Verdict(False, f"got an array of dtype {got.dtype}, expected floats",
                       _ONE_HOT_FLOATS)
    return exact()(expected, got, case)


def _one_hot_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if isinstance(got, np.ndarray) and got.dtype.kind in "iub" and got.shape == expected.shape:
        return _ONE_HOT_FLOATS
    labels, k = case.args
    arr = _float_array(got)
    if arr is None:
        return None
    if arr.shape == expected.shape[::-1]:
        return "one ROW per label: the result has shape (N, num_classes)."
    if arr.ndim == 2 and arr.shape[0] == len(labels) and arr.shape[1] != k:
        return ("use num_classes columns, even when the largest classes do not occur in "
                "these labels.")
    if arr.shape == expected.shape:
        return ("row n has its single 1 in column labels[n], counting from 0 (label 0 is the "
                "first column).")
    return None


# ---------------------------------------------------------------- cross-entropy


def _ce_cases() -> list[Case]:
    return [
        Case((np.array([[3.0, 1.0, -3.0]]), np.array([0])),
             label="logits (3, 1, −3), true class 0: −ln 0.8789"),
        Case((HUGE.copy(), np.array([1, 0, 2])), label="logits of ±1000",
             expected=(2000.0 + np.log(3.0) + 1005.0 + np.log1p(np.exp(-1.0))) / 3),
        Case((np.zeros((4, 5)), np.array([0, 1, 2, 4])), label="all logits equal: ln 5",
             expected=float(np.log(5.0))),
    ]


def _ce_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    labels = case.args[1]
    try:
        value = float(got)
    except (TypeError, ValueError):
        return "return one number, the mean over the batch (e.g. float(...))."
    if np.isinf(value) or np.isnan(value):
        return "log of an underflowed probability: use the log-sum-exp form of log-softmax."
    n = len(labels)
    if n > 1 and np.isclose(value, n * expected, rtol=1e-9):
        return "that is the sum over the batch; PyTorch (and we) average: divide by N."
    if np.isclose(value, -expected, rtol=1e-9):
        return "the sign: the loss is −log p of the true class, a positive number."
    return None


def _ce_grad_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    labels = case.args[1]
    arr = _float_array(got)
    if arr is None or arr.shape != expected.shape:
        return None
    n = len(labels)
    if n > 1 and np.allclose(arr, n * expected, rtol=1e-9, atol=1e-12):
        return "the loss is a mean over the batch, so its gradient is (p − y) / N."
    if np.allclose(arr, -expected, rtol=1e-9, atol=1e-12):
        return "the sign: ∂L/∂z = p − y (prediction minus target), not y − p."
    return None


# ---------------------------------------------------------------- binary cross-entropy


def _bce_cases() -> list[Case]:
    return [
        Case((np.array([0.9, 0.2]), np.array([1.0, 0.0])), label="p = (0.9, 0.2), y = (1, 0)",
             expected=float(-(np.log(0.9) + np.log(0.8)) / 2)),
        Case((np.array([[0.5, 0.99], [0.01, 0.7]]), np.array([[1.0, 0.0], [0.0, 0.25]])),
             label="a (2, 2) batch with a soft target 0.25"),
    ]


def _bce_random(rng: np.random.Generator) -> Case:
    shape = (int(rng.integers(1, 9)),) if rng.random() < 0.5 else \
        (int(rng.integers(1, 5)), int(rng.integers(1, 4)))
    y = rng.integers(0, 2, size=shape).astype(float)
    if rng.random() < 0.3:
        y = rng.uniform(size=shape)
    return Case((rng.uniform(0.01, 0.99, size=shape), y))


def _bce_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    try:
        value = float(got)
    except (TypeError, ValueError):
        return "return one number, the mean over all entries."
    if np.isclose(value, -expected, rtol=1e-9):
        return ("the sign: L = −[y log p + (1 − y) log(1 − p)] is positive (seed 002 drops "
                "this minus sign: errata).")
    size = np.size(case.args[0])
    if size > 1 and np.isclose(value, size * expected, rtol=1e-9):
        return "that is the sum; average over all entries (divide by the number of entries)."
    return None


def _bce_logits_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    z, y = case.args
    try:
        value = float(got)
    except (TypeError, ValueError):
        return "return one number, the mean over all entries."
    sp = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
    if np.isclose(value, np.mean(sp + y * z), rtol=1e-9):
        return "the y·z term is subtracted: L = softplus(z) − y·z."
    if np.isclose(value, np.mean(sp - z + y * z), rtol=1e-9) or np.isclose(
            value, np.mean(sp - z - y * z), rtol=1e-9):
        return "use softplus(z) = ln(1 + e^z), not softplus(−z): L = softplus(z) − y·z."
    return _bce_diagnose(case, expected, got)


def _bce_logits_cases() -> list[Case]:
    return [
        Case((np.array([0.0]), np.array([1.0])), label="z = 0: σ = 1/2, loss ln 2",
             expected=float(np.log(2.0))),
        Case((np.array([1000.0, -1000.0, 1000.0]), np.array([1.0, 0.0, 0.0])),
             label="z = ±1000: right, right, wrong", expected=1000.0 / 3),
    ]


def _bce_logits_random(rng: np.random.Generator) -> Case:
    shape = (int(rng.integers(1, 9)),)
    z = rng.normal(scale=float(rng.choice([1.0, 5.0, 300.0])), size=shape)
    y = rng.integers(0, 2, size=shape).astype(float)
    y[int(rng.integers(0, shape[0]))] = float(rng.uniform(0.05, 0.95))  # a soft target
    return Case((z, y))


# ---------------------------------------------------------------- MSE, MAE, Lp


def _regression_cases() -> list[Case]:
    return [
        Case((np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0])),
             label="pred (1, 2, 3), target (1, 1, 1)"),
        Case((np.array([[0.5, -1.0], [2.0, 0.0], [1.0, 1.0]]), np.zeros((3, 2))),
             label="a batch of 3 samples with 2 outputs each"),
    ]


def _regression_random(rng: np.random.Generator) -> Case:
    n, k = int(rng.integers(2, 7)), int(rng.integers(2, 5))
    return Case((rng.normal(size=(n, k)), rng.normal(size=(n, k))))


def _regression_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    pred = case.args[0]
    try:
        value = float(got)
    except (TypeError, ValueError):
        return "return one number, the mean over every entry."
    if pred.ndim == 2 and np.isclose(value, pred.shape[1] * expected, rtol=1e-9):
        return ("that sums over the outputs and averages over the samples only (seed 002's "
                "convention); average over every entry, as PyTorch's mean reduction does.")
    if np.isclose(value, pred.size * expected, rtol=1e-9):
        return "that is the sum; divide by the number of entries for the mean."
    return None


def _text_case(label: str, value: float) -> Case:
    return Case((np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0])), label=label,
                expected=value)


def _lp_cases() -> list[Case]:
    a, b = np.array([3.0, 4.0]), np.zeros(2)
    return [
        Case((a, b, 2.0), label="(3, 4) to the origin, p = 2: 5", expected=np.array(5.0)),
        Case((a, b, 1.0), label="p = 1: 3 + 4 = 7", expected=np.array(7.0)),
        Case((np.array([[1.0, -2.0, 2.0], [0.0, 0.0, 0.0]]), np.array([[0.0, 0.0, 0.0]] * 2),
              3.0), label="rows of a batch, p = 3"),
        Case((np.array([[1.0, 2.0], [-3.0, 0.5]]), np.array([[4.0, -2.0], [0.0, 0.5]])),
             label="the default p = 2: Euclidean distances of the rows"),
    ]


def _lp_random(rng: np.random.Generator) -> Case:
    shape = (int(rng.integers(2, 6)),) if rng.random() < 0.4 else \
        (int(rng.integers(2, 5)), int(rng.integers(2, 6)))
    return Case((rng.normal(size=shape), rng.normal(size=shape),
                 float(rng.choice([1.0, 2.0, 3.0, 1.5]))))


def _lp_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    a, b = case.args[:2]
    p = case.args[2] if len(case.args) > 2 else 2.0
    arr = _float_array(got)
    if arr is None:
        return None
    power = np.sum(np.abs(a - b) ** p, axis=-1)
    if arr.shape == power.shape and p != 1 and np.allclose(arr, power, rtol=1e-9):
        return ("that is ‖a − b‖_p^p, seed 002's Lp loss; the distance takes the p-th root: "
                "(Σ|a_k − b_k|^p)^(1/p).")
    if a.ndim == 2 and arr.ndim == 0:
        return "one distance per row: reduce along the last axis only (axis=-1)."
    return None


# ---------------------------------------------------------------- the list


EXERCISES = [
    Exercise(
        id="04.log_softmax",
        title="stable log-softmax with the log-sum-exp trick",
        functions=("log_softmax",),
        arg_names=("z", "axis"),
        reference=(losses.log_softmax,),
        cases=_log_softmax_cases,
        random_case=_log_softmax_random,
        compare=TOL,
        driver=call_strict,
        diagnose=_log_softmax_diagnose,
        hint="m = z.max(axis, keepdims=True); return (z − m) − log(Σ exp(z − m)) along axis.",
    ),
    Exercise(
        id="04.one_hot",
        title="one-hot (1-of-K) encoding of class labels",
        functions=("one_hot",),
        arg_names=("labels", "num_classes"),
        reference=(losses.one_hot,),
        cases=_one_hot_cases,
        random_case=_one_hot_random,
        compare=_one_hot_compare,
        driver=call_strict,
        diagnose=_one_hot_diagnose,
        hint="compare labels[:, None] with np.arange(num_classes), or index rows of np.eye.",
    ),
    Exercise(
        id="04.cross_entropy",
        title="softmax cross-entropy from logits, averaged over the batch",
        functions=("cross_entropy",),
        arg_names=("logits", "labels"),
        reference=(losses.cross_entropy,),
        cases=_ce_cases,
        random_case=_random_labels_case,
        compare=TOL,
        driver=call_strict,
        diagnose=_ce_diagnose,
        hint="L = −mean_n log_softmax(z_n)[y_n]: pick one entry per row with "
             "[np.arange(N), labels].",
    ),
    Exercise(
        id="04.cross_entropy_grad",
        title="the gradient of softmax + cross-entropy: (p − y) / N",
        functions=("cross_entropy_grad",),
        arg_names=("logits", "labels"),
        reference=(losses.cross_entropy_grad,),
        cases=lambda: [
            Case((np.array([[3.0, 1.0, -3.0]]), np.array([0])), label="logits (3, 1, −3), class 0"),
            Case((HUGE.copy(), np.array([1, 0, 2])), label="logits of ±1000"),
        ],
        random_case=_random_labels_case,
        compare=TOL,
        driver=call_strict,
        diagnose=_ce_grad_diagnose,
        hint="softmax the rows (stably), subtract 1 at each row's true class, divide by N.",
    ),
    Exercise(
        id="04.binary_cross_entropy",
        title="binary cross-entropy of probabilities",
        functions=("binary_cross_entropy",),
        arg_names=("p", "y"),
        reference=(losses.binary_cross_entropy,),
        cases=_bce_cases,
        random_case=_bce_random,
        compare=TOL,
        driver=call_strict,
        diagnose=_bce_diagnose,
        hint="L = −mean[y log p + (1 − y) log(1 − p)] over all entries.",
    ),
    Exercise(
        id="04.binary_cross_entropy_with_logits",
        title="binary cross-entropy from logits, stable for any z",
        functions=("binary_cross_entropy_with_logits",),
        arg_names=("z", "y"),
        reference=(losses.binary_cross_entropy_with_logits,),
        cases=_bce_logits_cases,
        random_case=_bce_logits_random,
        compare=TOL,
        driver=call_strict,
        diagnose=_bce_logits_diagnose,
        hint="−[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y·z, with the stable "
             "softplus max(z, 0) + log1p(exp(−|z|)).",
    ),
    Exercise(
        id="04.mse_loss",
        title="mean squared error",
        functions=("mse_loss",),
        arg_names=("pred", "target"),
        reference=(losses.mse_loss,),
        cases=lambda: [_text_case("pred (1, 2, 3), target (1, 1, 1): (0 + 1 + 4)/3", 5 / 3),
                       *_regression_cases()[1:]],
        random_case=_regression_random,
        compare=TOL,
        driver=call_strict,
        diagnose=_regression_diagnose,
        hint="np.mean((pred − target) ** 2) over every entry.",
    ),
    Exercise(
        id="04.l1_loss",
        title="mean absolute error (MAE, L1 loss)",
        functions=("l1_loss",),
        arg_names=("pred", "target"),
        reference=(losses.l1_loss,),
        cases=lambda: [_text_case("pred (1, 2, 3), target (1, 1, 1): (0 + 1 + 2)/3", 1.0),
                       *_regression_cases()[1:]],
        random_case=_regression_random,
        compare=TOL,
        driver=call_strict,
        diagnose=_regression_diagnose,
        hint="np.mean(np.abs(pred − target)) over every entry.",
    ),
    Exercise(
        id="04.lp_distance",
        title="the Lp distance between vectors (rows)",
        functions=("lp_distance",),
        arg_names=("a", "b", "p"),
        reference=(losses.lp_distance,),
        cases=_lp_cases,
        random_case=_lp_random,
        compare=TOL,
        driver=call_strict,
        diagnose=_lp_diagnose,
        hint="(Σ_k |a_k − b_k|^p)^(1/p) along the last axis: np.sum(..., axis=-1) ** (1 / p).",
    ),
]
