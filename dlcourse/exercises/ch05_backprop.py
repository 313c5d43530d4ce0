"""Exercises of chapter 05, back-propagation on the worked example of seed 001 §3.2.5.

Every function takes plain arrays in the text's numbering: x = (i1, i2), target = (t1, t2),
w = (w1, ..., w8), b = (b1, b2). The cases from the text carry the numbers COURSE.md lists
(compared to half a unit of the last printed digit); the random cases draw other networks, so
a solution must compute, not remember.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlcourse import worked_backprop as wb
from dlcourse.checking import Case, Exercise, close

CHAPTER = "05"
NOTEBOOK = "05_backprop.ipynb"

TEXT_ARGS = (wb.INPUTS, wb.TARGETS, wb.WEIGHTS, wb.BIASES)
TEXT_LABEL = "the network of seed 001 §3.2.5"


def printed(decimals: int):
    """A comparator for values the text prints with ``decimals`` decimals: within half a unit
    of the last printed digit."""
    return close(rtol=0.0, atol=0.5 * 10.0 ** -decimals)


TIGHT = close(rtol=1e-9, atol=1e-12)


def _random_network(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    x = rng.uniform(-1.0, 1.0, size=2)
    target = rng.uniform(0.01, 0.99, size=2)
    w = rng.normal(scale=0.8, size=8)
    b = rng.normal(scale=0.5, size=2)
    return x, target, w, b


def _random_full(rng: np.random.Generator) -> Case:
    return Case(_random_network(rng))


def _values(got: Any) -> dict | None:
    return got if isinstance(got, dict) else None


# ---------------------------------------------------------------- forward


def _forward_cases() -> list[Case]:
    x, _, w, b = TEXT_ARGS
    return [
        Case((x, w, b), label=TEXT_LABEL + ", the values it prints",
             expected={"net_h1": 0.3775, "out_h1": 0.593269992, "out_h2": 0.596884378,
                       "net_o1": 1.105905967, "out_o1": 0.75136507, "out_o2": 0.772928465},
             compare=printed(8)),
        Case((x, w, b), label=TEXT_LABEL + ", every value to full precision"),
    ]


def _forward_random(rng: np.random.Generator) -> Case:
    x, _, w, b = _random_network(rng)
    return Case((x, w, b))


def _forward_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    got = _values(got)
    if got is None:
        return "return a dict: {'net_h1': ..., 'net_h2': ..., 'out_h1': ..., ..., 'out_o2': ...}."
    missing = [k for k in wb.NAMES if k not in got]
    if missing:
        return f"the dict needs the keys {', '.join(wb.NAMES)}; missing: {', '.join(missing)}."
    x, w, b = case.args
    ref = wb.forward(x, w, b)
    try:
        values = {k: float(got[k]) for k in wb.NAMES}
    except (TypeError, ValueError):
        return "every value in the dict must be a number."
    if np.isclose(values["out_o1"], 1 / (1 + np.exp(ref["net_o1"]))):
        return ("out_o1 = 1/(1 + e^(+net_o1)) has the wrong sign in the exponent (the seed's "
                "misprint, see the errata): σ(z) = 1/(1 + e^(−z)).")
    if np.isclose(values["out_h1"], ref["net_h1"]):
        return "out_h1 must be σ(net_h1): apply the sigmoid to the weighted sum."
    if np.isclose(values["net_h2"], w[0] * x[0] + w[1] * x[1] + b[0]):
        return "net_h2 uses w3 and w4: net_h2 = w3·i1 + w4·i2 + b1."
    if np.isclose(values["net_h1"], w[0] * x[0] + w[2] * x[1] + b[0]):
        return ("net_h1 = w1·i1 + w2·i2 + b1: w1 and w2 both feed h1 (w3, w4 feed h2), "
                "not w1 and w3.")
    if np.isclose(values["net_o1"], w[4] * ref["out_h1"] + w[6] * ref["out_h2"] + b[1]):
        return ("net_o1 = w5·out_h1 + w6·out_h2 + b2: w5 and w6 both feed o1 (w7, w8 feed o2), "
                "not w5 and w7: the output layer is transposed.")
    if np.isclose(values["net_o1"], w[4] * ref["net_h1"] + w[5] * ref["net_h2"] + b[1]):
        return "net_o1 combines the hidden *outputs* out_h1, out_h2, not net_h1, net_h2."
    if np.isclose(values["net_o1"], w[4] * ref["out_h1"] + w[5] * ref["out_h2"] + b[0]):
        return "the output layer's bias is b2 (b[1]); b1 belongs to the hidden layer."
    return None


# ---------------------------------------------------------------- total_error


def _error_cases() -> list[Case]:
    v = wb.forward(wb.INPUTS, wb.WEIGHTS, wb.BIASES)
    out = np.array([v["out_o1"], v["out_o2"]])
    return [
        Case((wb.TARGETS, out), label="the text's outputs (0.75136507, 0.772928465): "
                                      "E_o1 + E_o2 = 0.274811083 + 0.023560026",
             expected=0.298371109, compare=printed(9)),
        Case((wb.TARGETS[:1], out[:1]), label="E_o1 alone", expected=0.274811083,
             compare=printed(9)),
        Case((wb.TARGETS[1:], out[1:]), label="E_o2 alone", expected=0.023560026,
             compare=printed(9)),
    ]


def _error_random(rng: np.random.Generator) -> Case:
    k = int(rng.integers(1, 6))
    return Case((rng.uniform(0, 1, size=k), rng.uniform(0, 1, size=k)))


def _error_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    target, output = case.args
    if not isinstance(got, (int, float)):
        return "return one number, e.g. float(...)."
    sq = np.sum((target - output) ** 2)
    if np.isclose(got, sq):
        return "the ½ is missing: E = Σ ½ (target − output)²."
    if np.isclose(got, 0.5 * np.mean((target - output) ** 2)) and target.size > 1:
        return "sum over the outputs, don't average: E_total = E_o1 + E_o2."
    if np.isclose(got, 0.5 * np.sum(target - output) ** 2) and target.size > 1:
        return "square each difference before adding them up."
    return None


# ---------------------------------------------------------------- ∂E/∂w5


def _w5_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return "return the three factors (dE_dout_o1, dout_o1_dnet_o1, dnet_o1_dw5)."
    x, target, w, b = case.args
    v = wb.forward(x, w, b)
    try:
        f1, f2, f3 = (float(g) for g in got)
    except (TypeError, ValueError):
        return "each factor must be a number."
    if np.isclose(f1, target[0] - v["out_o1"]):
        return ("∂E/∂out_o1 has the wrong sign: E = ½(t − out)², so ∂E/∂out = −(t − out) = "
                "out − t.")
    if np.isclose(f2, v["net_o1"] * (1 - v["net_o1"])):
        return "σ'(net) = out·(1 − out), with out = σ(net), not net·(1 − net)."
    if np.isclose(f2, v["out_o1"]):
        return "∂out_o1/∂net_o1 is the sigmoid's derivative out_o1·(1 − out_o1), not out_o1."
    if np.isclose(f3, w[4]):
        return "∂net_o1/∂w5 is what w5 multiplies: out_h1 (not w5 itself)."
    if np.isclose(f3, v["out_h2"]):
        return "w5 connects h1 to o1, so ∂net_o1/∂w5 = out_h1 (w6 is the one from h2)."
    if np.isclose(f3, v["net_h1"]):
        return "w5 multiplies the hidden unit's output out_h1, not its net input."
    return None


# ---------------------------------------------------------------- layer gradients


def _output_grad_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, np.ndarray) or got.shape != (4,):
        return "return an array of 4 gradients, (∂E/∂w5, ∂E/∂w6, ∂E/∂w7, ∂E/∂w8)."
    x, target, w, b = case.args
    v = wb.forward(x, w, b)
    out_h = np.array([v["out_h1"], v["out_h2"]])
    delta = wb.output_deltas(x, target, w, b)
    if np.allclose(got, np.outer(out_h, delta).ravel()):
        return ("w6 and w7 are swapped: w6 connects h2 → o1 and w7 connects h1 → o2, so the "
                "order is δ_o1·out_h1, δ_o1·out_h2, δ_o2·out_h1, δ_o2·out_h2.")
    out_o = np.array([v["out_o1"], v["out_o2"]])
    if np.allclose(got, np.outer(out_o - target, out_h).ravel()):
        return "the sigmoid's derivative out·(1 − out) is missing from δ_o."
    return None


def _hidden_grad_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, np.ndarray) or got.shape != (4,):
        return "return an array of 4 gradients, (∂E/∂w1, ∂E/∂w2, ∂E/∂w3, ∂E/∂w4)."
    x, target, w, b = case.args
    v = wb.forward(x, w, b)
    out_h = np.array([v["out_h1"], v["out_h2"]])
    d_o = wb.output_deltas(x, target, w, b)
    W_o = w[4:].reshape(2, 2)
    sig = out_h * (1 - out_h)
    if np.allclose(got, np.outer(d_o[0] * W_o[0] * sig, x).ravel()):
        return ("only o1's error reaches the hidden layer here; h1 feeds both outputs: "
                "∂E/∂out_h1 = δ_o1·w5 + δ_o2·w7.")
    if np.allclose(got, np.outer((W_o @ d_o) * sig, x).ravel()):
        return ("the output weights are used transposed: h1 reaches o1 through w5 and o2 "
                "through w7, so ∂E/∂out_h1 = δ_o1·w5 + δ_o2·w7 (not w5, w6).")
    if np.allclose(got, np.outer(d_o @ W_o, x).ravel()):
        return "the hidden sigmoid's derivative out_h·(1 − out_h) is missing."
    return None


# ---------------------------------------------------------------- update_step


def _update_cases() -> list[Case]:
    return [
        Case((*TEXT_ARGS, wb.LEARNING_RATE),
             label=TEXT_LABEL + ", η = 0.5: w1..w8 after one step",
             expected=np.array([0.149780716, 0.19956143, 0.24975114, 0.29950229,
                                0.35891648, 0.408666186, 0.511301270, 0.561370121]),
             compare=printed(8)),
        Case((*TEXT_ARGS, wb.LEARNING_RATE), label=TEXT_LABEL + ", full precision"),
    ]


def _update_random(rng: np.random.Generator) -> Case:
    return Case((*_random_network(rng), float(rng.uniform(0.05, 2.0))))


def _update_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, np.ndarray) or got.shape != (8,):
        return "return the 8 new weights as one array, in the order w1..w8."
    x, target, w, b, lr = case.args
    g = wb.gradients(x, target, w, b)
    if np.allclose(got, w + lr * g):
        return "the step goes uphill: w_new = w − η·∂E/∂w."
    if np.allclose(got, w - g) and lr != 1:
        return "the learning rate η is missing: w_new = w − η·∂E/∂w."
    w_out = w.copy()
    w_out[4:] = w[4:] - lr * g[4:]
    sequential = w_out.copy()
    sequential[:4] = w[:4] - lr * wb.hidden_layer_gradients(x, target, w_out, b)
    if np.allclose(got, sequential):
        return ("the hidden-layer gradients were computed with the *updated* w5..w8; take "
                "every gradient at the old weights first, then update them all.")
    if np.allclose(got[:4], w[:4]):
        return "w1..w4 did not move: update the hidden-layer weights too."
    return None


# ---------------------------------------------------------------- train


def _train_cases() -> list[Case]:
    return [Case((*TEXT_ARGS, wb.LEARNING_RATE, 1000), label=TEXT_LABEL + ", 1,000 steps")]


def _train_random(rng: np.random.Generator) -> Case:
    return Case((*_random_network(rng), float(rng.uniform(0.1, 2.0)),
                 int(rng.integers(1, 120))))


def _train_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return "return the pair (w_final, errors)."
    steps = case.args[5]
    errors = np.asarray(got[1], dtype=float) if isinstance(got[1], (np.ndarray, list)) else None
    if errors is None or errors.ndim != 1:
        return "errors must be a 1-D array with one error per step, plus the final one."
    exp_errors = expected[1]
    if errors.size == steps:
        if np.allclose(errors, exp_errors[:-1]):
            return ("errors needs steps + 1 entries: the error after 0, 1, ..., steps updates "
                    "(append the final weights' error after the loop).")
        if np.allclose(errors, exp_errors[1:]):
            return ("errors[0] must be the error of the starting weights: record the error "
                    "before each update, and once more after the last.")
    if errors.size == steps + 1 and steps > 1 and np.allclose(errors, errors[0]):
        return "the error never changes: feed the updated weights into the next step."
    return None


# ---------------------------------------------------------------- the list


EXERCISES = [
    Exercise(
        id="05.forward",
        title="the forward pass, every intermediate value named",
        functions=("forward",),
        reference=(wb.forward,),
        cases=_forward_cases,
        random_case=_forward_random,
        compare=TIGHT,
        diagnose=_forward_diagnose,
        hint="net_h1 = w1·i1 + w2·i2 + b1, net_h2 = w3·i1 + w4·i2 + b1, out = σ(net); then the "
             "same for o1 (w5, w6) and o2 (w7, w8) from out_h1, out_h2 with b2.",
    ),
    Exercise(
        id="05.total_error",
        title="the total squared error E = Σ ½(target − output)²",
        functions=("total_error",),
        reference=(wb.total_error,),
        cases=_error_cases,
        random_case=_error_random,
        compare=TIGHT,
        diagnose=_error_diagnose,
    ),
    Exercise(
        id="05.w5_chain_factors",
        title="∂E/∂w5 by the chain rule: its three factors",
        functions=("w5_chain_factors",),
        reference=(wb.w5_chain_factors,),
        cases=lambda: [Case(TEXT_ARGS, label=TEXT_LABEL)],
        random_case=_random_full,
        compare=TIGHT,
        diagnose=_w5_diagnose,
        hint="∂E/∂out_o1 = out_o1 − t1; ∂out_o1/∂net_o1 = out_o1(1 − out_o1); "
             "∂net_o1/∂w5 = out_h1.",
    ),
    Exercise(
        id="05.output_layer_gradients",
        title="the four output-layer gradients ∂E/∂w5 … ∂E/∂w8",
        functions=("output_layer_gradients",),
        reference=(wb.output_layer_gradients,),
        cases=lambda: [Case(TEXT_ARGS, label=TEXT_LABEL)],
        random_case=_random_full,
        compare=TIGHT,
        diagnose=_output_grad_diagnose,
        hint="δ_o = (out_o − t)·out_o(1 − out_o); ∂E/∂w = δ of the unit it feeds × the output "
             "of the unit it comes from.",
    ),
    Exercise(
        id="05.hidden_layer_gradients",
        title="the four hidden-layer gradients ∂E/∂w1 … ∂E/∂w4",
        functions=("hidden_layer_gradients",),
        reference=(wb.hidden_layer_gradients,),
        cases=lambda: [Case(TEXT_ARGS, label=TEXT_LABEL)],
        random_case=_random_full,
        compare=TIGHT,
        diagnose=_hidden_grad_diagnose,
        hint="∂E/∂out_h1 = δ_o1·w5 + δ_o2·w7 and ∂E/∂out_h2 = δ_o1·w6 + δ_o2·w8; multiply by "
             "out_h(1 − out_h) to get δ_h, then by the input the weight carries.",
    ),
    Exercise(
        id="05.update_step",
        title="one step of gradient descent on all eight weights",
        functions=("update_step",),
        reference=(wb.update_step,),
        cases=_update_cases,
        random_case=_update_random,
        compare=TIGHT,
        diagnose=_update_diagnose,
        hint="compute all eight gradients at the current weights, then w_new = w − η·gradient "
             "(the biases stay as they are).",
    ),
    Exercise(
        id="05.train",
        title="the training loop: repeated steps and the error curve",
        functions=("train",),
        reference=(wb.train,),
        cases=_train_cases,
        random_case=_train_random,
        compare=close(rtol=1e-8, atol=1e-12),
        diagnose=_train_diagnose,
        hint="errors[k] is the error after k updates: record it before each step and once more "
             "after the loop, so there are steps + 1 of them.",
        points=2.0,
    ),
]
