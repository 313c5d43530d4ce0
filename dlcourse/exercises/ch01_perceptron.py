"""Exercises of chapter 01, the perceptron."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlcourse import activations, perceptron
from dlcourse.checking import Case, Exercise, Verdict, close, exact
from dlcourse.data import logic_gate

CHAPTER = "01"
NOTEBOOK = "01_perceptron.ipynb"

_TRUTH_X = logic_gate("AND")[0]


# ---------------------------------------------------------------- neuron_forward


def _neuron_forward_cases() -> list[Case]:
    return [
        Case((_TRUTH_X, np.array([-2.0, -2.0]), 3.0), label="NAND weights on the truth table",
             expected=np.array([3.0, 1.0, 1.0, -1.0])),
        Case((np.array([[4.0, 1.0, -3.0]]), np.array([1.0, 3.0, 2.0]), 0.0),
             label="the voting example: 4·1 + 1·3 + (−3)·2", expected=np.array([1.0])),
    ]


def _neuron_forward_random(rng: np.random.Generator) -> Case:
    n, d = int(rng.integers(1, 7)), int(rng.integers(1, 6))
    return Case((rng.normal(size=(n, d)), rng.normal(size=d), float(rng.normal())))


def _neuron_forward_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    X, w, b = case.args
    if isinstance(got, np.ndarray) and got.shape == expected.shape:
        if np.allclose(got, X @ w) and b != 0:
            return "the bias is missing: z = X w + b."
        if np.allclose(got, X @ w - b) and b != 0:
            return "the bias is subtracted: z = X w + b (b = −threshold)."
    if isinstance(got, np.ndarray) and got.ndim == 2:
        return "return one number per example, shape (n,): use X @ w with w of shape (d,)."
    return None


# ---------------------------------------------------------------- step and sign


_Z_TEXT = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])


def _activation_random(rng: np.random.Generator) -> Case:
    # any shape, as the docstring says (the text's case is a vector): a column, a row or a
    # matrix, so that code written for 1-D arrays only fails
    n, m = int(rng.integers(3, 12)), int(rng.integers(2, 5))
    shape = [(n, 1), (1, n), (n, m)][int(rng.integers(0, 3))]
    z = rng.normal(scale=2.0, size=shape)
    zero, tiny = rng.choice(z.size, size=2, replace=False)
    z.flat[zero] = 0.0  # the boundary case, every time
    # and a tiny positive z, which fires: a rounded sigmoid, round(σ(z)), gives 0 there
    z.flat[tiny] = float(rng.uniform(1e-300, 1e-17))
    return Case((z,))


def _step_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    z = case.args[0]
    if isinstance(got, np.ndarray) and got.shape == z.shape:
        at_zero = z == 0
        if at_zero.any() and np.all(got[at_zero] == 1):
            return "step(0) must be 0: the neuron fires only when z > 0 (strictly greater)."
        if np.all(np.isin(got, (-1, 1))):
            return "that is the sign function; step outputs 0 or 1."
    return None


def _sign_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    z = case.args[0]
    if isinstance(got, np.ndarray) and got.shape == z.shape:
        at_zero = z == 0
        if at_zero.any() and np.all(got[at_zero] == 0):
            return ("np.sign(0) is 0, but the perceptron's sign must pick a class: "
                    "sign(0) = −1 here (output +1 only when z > 0).")
        if at_zero.any() and np.all(got[at_zero] == 1):
            return "sign(0) must be −1: output +1 only when z > 0 (strictly greater)."
        if np.all(np.isin(got, (0, 1))):
            return "that is the step function; sign outputs −1 or +1."
    return None


# ---------------------------------------------------------------- perceptron_update


def _update_cases() -> list[Case]:
    return [
        Case((np.zeros(2), 0.0, np.array([1.0, 1.0]), 1.0, 1.0),
             label="from zero weights every example is a mistake"),
        Case((np.array([1.0, 1.0]), -1.5, np.array([1.0, 1.0]), 1.0, 1.0),
             label="a correctly classified example changes nothing"),
        Case((np.array([1.0, 1.0]), -1.5, np.array([0.0, 1.0]), 1.0, 0.5),
             label="a misclassified positive example, η = 0.5"),
        Case((np.array([1.0, -1.0]), 0.0, np.array([2.0, 2.0]), -1.0, 1.0),
             label="a point exactly on the boundary counts as a mistake"),
        Case((np.array([1.0, 1.0]), -1.5, np.array([0.0, 1.0]), -1.0, 0.5),
             label="a correctly classified negative example changes nothing"),
    ]


def _update_random(rng: np.random.Generator) -> Case:
    d = int(rng.integers(1, 6))
    return Case((rng.normal(size=d), float(rng.normal()), rng.normal(size=d),
                 float(rng.choice([-1.0, 1.0])), float(rng.uniform(0.1, 2.0))))


def _update_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    w, b, x, y, lr = case.args
    margin = y * (x @ w + b)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return "return the pair (w_new, b_new)."
    w_new = np.asarray(got[0], dtype=float)
    if margin > 0 and not np.allclose(w_new, w):
        return "this example is already on its correct side, y·(w·x + b) > 0: change nothing."
    if margin <= 0 and np.allclose(w_new, w):
        return "this example is a mistake, y·(w·x + b) ≤ 0 (≤, not <): update w and b."
    if margin <= 0 and np.allclose(w_new, w - lr * y * x):
        return "the update goes the wrong way: w ← w + η·y·x."
    if margin <= 0 and np.allclose(w_new, w + y * x) and lr != 1:
        return "the learning rate η is missing: w ← w + η·y·x."
    return None


# ---------------------------------------------------------------- train_perceptron


def _pm1(t: np.ndarray) -> np.ndarray:
    return 2.0 * t - 1.0


def _train_cases() -> list[Case]:
    cases = []
    for gate in ("AND", "OR", "NAND"):
        X, t = logic_gate(gate)
        cases.append(Case((X, _pm1(t), 1.0, 100), label=f"{gate} (separable: converges)"))
    X, t = logic_gate("XOR")
    cases.append(Case((X, _pm1(t), 1.0, 20), label="XOR (never converges: 20 epochs)"))
    return cases


def _train_random(rng: np.random.Generator) -> Case:
    n = int(rng.integers(4, 13))
    normal = rng.normal(size=2)
    normal /= np.linalg.norm(normal)
    offset = float(rng.uniform(-0.3, 0.3))
    X = rng.uniform(-1, 1, size=(4 * n, 2))
    keep = np.abs(X @ normal + offset) >= 0.1
    X = X[keep][:n]
    y = np.where(X @ normal + offset > 0, 1.0, -1.0)
    y[0], y[1] = 1.0, -1.0  # both classes, even if it costs separability: then 100 epochs run
    return Case((X, y, float(rng.uniform(0.2, 2.0)), 100))


def _train_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return "return the triple (w, b, updates), updates holding one count per epoch."
    updates = np.asarray(got[2])
    exp_updates = expected[2]
    if updates.shape != exp_updates.shape:
        if updates.size == exp_updates.size + 1:
            return "one epoch too many: stop right after the first epoch without updates."
        if updates.size == exp_updates.size - 1:
            return ("one epoch too few: the epoch with no update is counted too "
                    "(updates[-1] == 0 shows the data was separated).")
        return "updates must have one entry per epoch that ran."
    return None


# ---------------------------------------------------------------- logic_gate_weights


def _implements_gate(expected: Any, got: Any, case: Case) -> Verdict:
    gate = case.args[0]
    X, table = logic_gate(gate)
    if gate.upper() == "XOR":
        if got is None:
            return Verdict(True)
        return Verdict(False, "got weights for XOR", "no line separates XOR: return None.")
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return Verdict(False, f"got {type(got).__name__}, expected a pair (w, b)",
                       "return (w, b) with w an array of 2 weights and b a number.")
    w, b = got
    w = np.asarray(w, dtype=float) if isinstance(w, (np.ndarray, list, tuple)) else None
    if w is None or w.shape != (2,):
        return Verdict(False, "w must be an array of 2 weights")
    if not isinstance(b, (int, float)) and not (isinstance(b, np.ndarray) and b.size == 1):
        return Verdict(False, "b must be a number")
    out = (X @ w + float(np.asarray(b)) > 0).astype(int)
    if np.array_equal(out, table):
        return Verdict(True)
    wrong = [f"{tuple(int(v) for v in X[i])} → {out[i]} (should be {table[i]})"
             for i in np.flatnonzero(out != table)]
    return Verdict(False, f"step(x·w + b) gives {'; '.join(wrong)}",
                   "draw the four points and a line with the 1s on the side where z > 0.")


def _gate_cases() -> list[Case]:
    return [Case((g,), label=g) for g in ("AND", "OR", "NAND", "NOR", "XOR")]


# ---------------------------------------------------------------- the list


EXERCISES = [
    Exercise(
        id="01.neuron_forward",
        title="the neuron's forward pass for a batch, z = X w + b",
        functions=("neuron_forward",),
        reference=(perceptron.neuron_forward,),
        cases=_neuron_forward_cases,
        random_case=_neuron_forward_random,
        compare=close(rtol=1e-9, atol=1e-12),
        diagnose=_neuron_forward_diagnose,
        hint="row format: each row of X is an example, so z = X @ w + b has one entry per row.",
    ),
    Exercise(
        id="01.step",
        title="the step activation: 1 where z > 0, else 0",
        functions=("step",),
        reference=(activations.step,),
        cases=lambda: [Case((_Z_TEXT,), label="z = −2, −0.5, 0, 0.5, 3",
                            expected=np.array([0.0, 0.0, 0.0, 1.0, 1.0]))],
        random_case=_activation_random,
        compare=exact(),
        diagnose=_step_diagnose,
    ),
    Exercise(
        id="01.sign",
        title="the sign activation: +1 where z > 0, else −1",
        functions=("sign",),
        reference=(activations.sign,),
        cases=lambda: [Case((_Z_TEXT,), label="z = −2, −0.5, 0, 0.5, 3",
                            expected=np.array([-1.0, -1.0, -1.0, 1.0, 1.0]))],
        random_case=_activation_random,
        compare=exact(),
        diagnose=_sign_diagnose,
    ),
    Exercise(
        id="01.logic_gate_weights",
        title="weights by hand for AND, OR, NAND and NOR, and None for XOR",
        functions=("logic_gate_weights",),
        reference=(perceptron.logic_gate_weights,),
        cases=_gate_cases,
        compare=_implements_gate,
        show_expected=False,
    ),
    Exercise(
        id="01.perceptron_update",
        title="one step of Rosenblatt's learning rule",
        functions=("perceptron_update",),
        reference=(perceptron.perceptron_update,),
        cases=_update_cases,
        random_case=_update_random,
        compare=close(rtol=1e-9, atol=1e-12),
        diagnose=_update_diagnose,
        hint="if y·(w·x + b) ≤ 0: w ← w + η·y·x and b ← b + η·y; otherwise return w and b as "
             "they are.",
    ),
    Exercise(
        id="01.train_perceptron",
        title="the perceptron algorithm: epochs of updates until none is needed",
        functions=("train_perceptron",),
        reference=(perceptron.train_perceptron,),
        cases=_train_cases,
        random_case=_train_random,
        compare=close(rtol=1e-9, atol=1e-12),
        diagnose=_train_diagnose,
        hint="start from w = 0, b = 0; visit the examples in order; count the updates of each "
             "epoch; stop after an epoch with none, or after max_epochs.",
        points=2.0,
    ),
]
