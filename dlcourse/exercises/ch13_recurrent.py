"""Exercises of chapter 13, recurrent networks: RNN, BPTT, LSTM, GRU."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlcourse import recurrent
from dlcourse.checking import Case, Exercise, close
from dlcourse.checking.drivers import forward_backward, refuse_changes

CHAPTER = "13"
NOTEBOOK = "13_recurrent.ipynb"

TIGHT = close(rtol=1e-9, atol=1e-11)


def _weights(rng: np.random.Generator, D: int, H: int, G: int, scale: float = 0.6,
             ) -> tuple[np.ndarray, np.ndarray]:
    return rng.normal(0, scale, (D, G * H)), rng.normal(0, scale, (H, G * H))


def _sizes(rng: np.random.Generator) -> tuple[int, int, int]:
    return int(rng.integers(1, 5)), int(rng.integers(1, 6)), int(rng.integers(1, 6))


# ---------------------------------------------------------------- RNN step, forward + backward


def _rnn_step_cases() -> list[Case]:
    one = np.ones((1, 1))
    return [
        Case((one, 0.5 * one, 0.5 * one, one, np.zeros(1)), {"dout": one},
             label="one unit: h = tanh(1·0.5 + 0.5·1) = tanh(1)",
             expected=(np.tanh(one), (0.5 * (1 - np.tanh(one) ** 2),
                                      1 - np.tanh(one) ** 2, 1 - np.tanh(one) ** 2,
                                      0.5 * (1 - np.tanh(one) ** 2),
                                      (1 - np.tanh(one) ** 2).ravel()))),
        Case((np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([[0.1, -0.2, 0.3], [0.0, 0.4, -0.1]]),
              np.array([[0.2, -0.1, 0.4], [0.3, 0.5, -0.2]]),
              np.array([[0.5, 0.1, 0.0], [-0.3, 0.2, 0.1], [0.0, 0.4, -0.5]]),
              np.array([0.1, 0.0, -0.1])), {"dout": np.array([[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]])},
             label="N = 2, D = 2, H = 3 (a non-square Wx catches a transposed product)"),
    ]


def _rnn_step_random(rng: np.random.Generator) -> Case:
    N, D, H = _sizes(rng)
    Wx, Wh = _weights(rng, D, H, 1)
    return Case((rng.normal(size=(N, D)), rng.normal(size=(N, H)), Wx, Wh, rng.normal(size=H)),
                {"dout": rng.normal(size=(N, H))})


def _rnn_step_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    x, h_prev, Wx, Wh, b = case.args
    dh = case.kwargs["dout"]
    if not (isinstance(got, tuple) and len(got) == 2 and isinstance(got[0], np.ndarray)):
        return "rnn_step_forward returns (h, cache); rnn_step_backward returns 5 gradients."
    h = got[0]
    if h.shape == expected[0].shape:
        if np.allclose(h, np.tanh(x @ Wx + h_prev @ Wh)) and np.any(b != 0):
            return "the bias b is missing: h = tanh(x Wx + h_prev Wh + b)."
        if not np.allclose(h, expected[0]):
            return "forward: h = tanh(x @ Wx + h_prev @ Wh + b), row format (one example per row)."
    grads = got[1]
    if isinstance(grads, (tuple, list)) and len(grads) == 5:
        da = dh * (1 - expected[0] ** 2)
        if np.allclose(np.asarray(grads[0]), dh @ Wx.T):
            return "backward: go through tanh first, da = dh ⊙ (1 − h²), then multiply by Wxᵀ."
        if np.asarray(grads[4]).shape == da.shape:
            return "db sums da over the batch: da.sum(axis=0), shape (H,)."
        return ("backward, with da = dh ⊙ (1 − h²): dx = da Wxᵀ, dh_prev = da Whᵀ, "
                "dWx = xᵀ da, dWh = h_prevᵀ da, db = Σ_n da.")
    return "rnn_step_backward returns (dx, dh_prev, dWx, dWh, db)."


# ---------------------------------------------------------------- BPTT


def _bptt_cases() -> list[Case]:
    rng = np.random.default_rng(13)
    Wx, Wh = _weights(rng, 2, 3, 1)
    xs = rng.normal(size=(4, 2, 2))
    return [
        Case((xs, np.zeros((2, 3)), Wx, Wh, np.zeros(3)),
             {"dout": np.zeros((4, 2, 3)) + np.array([0.0, 0.0, 0.0, 1.0])[:, None, None]},
             label="T = 4, loss on the last state only: the error must travel back 3 steps"),
        Case((xs, rng.normal(size=(2, 3)), Wx, Wh, rng.normal(size=3)),
             {"dout": rng.normal(size=(4, 2, 3))},
             label="T = 4, a loss on every state (both error sources of seed 000)"),
    ]


def _bptt_random(rng: np.random.Generator) -> Case:
    N, D, H = _sizes(rng)
    T = int(rng.integers(1, 7))
    Wx, Wh = _weights(rng, D, H, 1)
    return Case((rng.normal(size=(T, N, D)), rng.normal(size=(N, H)), Wx, Wh,
                 rng.normal(size=H)), {"dout": rng.normal(size=(T, N, H))})


def _bptt_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not (isinstance(got, tuple) and len(got) == 2 and isinstance(got[1], (tuple, list))
            and len(got[1]) == 5):
        return ("rnn_forward returns (hs, cache); rnn_backward returns (dxs, dh0, dWx, dWh, db).")
    hs, grads = got
    if isinstance(hs, np.ndarray) and hs.shape != expected[0].shape:
        return "hs holds the T states after each step, shape (T, N, H), without h0."
    if isinstance(hs, np.ndarray) and not np.allclose(hs, expected[0]):
        return "forward: carry h from step to step, h_t = tanh(x_t Wx + h_{t−1} Wh + b)."
    dWh = np.asarray(grads[3])
    if dWh.shape == expected[1][3].shape and not np.allclose(dWh, expected[1][3]):
        return ("each state gets two errors: dhs[t] from its own output and the one coming back "
                "from step t + 1 (seed 000); add them before the step's backward, walk t from "
                "T − 1 down to 0, and add up the weight gradients of all steps.")
    return None


# ---------------------------------------------------------------- LSTM step


def lstm_state(impls, args, kwargs):
    """Call the student's LSTM step and keep (h, c); the cache is the student's business.
    An input changed in place (c_prev *= f, say) fails."""
    import copy

    given = [copy.deepcopy(a) for a in args]
    h, c, *_ = impls[0](*given)
    refuse_changes(impls[0], given, args, example="c = f * c_prev + i * g, not c_prev *= f")
    return h, c


def _lstm_cases() -> list[Case]:
    H = 1
    one = np.ones((1, 1))
    # i, f, g, o pre-activations 0, 0, 0, 0 plus x·Wx: only the candidate block sees x.
    Wx = np.array([[0.0, 0.0, 1.0, 0.0]])
    return [
        Case((one, np.zeros((1, H)), 2 * one, Wx, np.zeros((H, 4)), np.zeros(4)),
             label="one unit: i = f = o = σ(0) = 1/2, g = tanh(1), c = (2 + tanh 1)/2",
             expected=(0.5 * np.tanh((2 + np.tanh(one)) / 2), (2 + np.tanh(one)) / 2)),
        Case((np.array([[1.0, 0.0], [0.0, 1.0], [0.5, -0.5]]), np.zeros((3, 2)), np.zeros((3, 2)),
              np.arange(16.0).reshape(2, 8) / 10 - 0.8, np.arange(16.0).reshape(2, 8)[::-1] / 20,
              np.linspace(-1, 1, 8)),
             label="N = 3, H = 2, gate blocks in torch's order (i, f, g, o)"),
    ]


def _lstm_random(rng: np.random.Generator) -> Case:
    N, D, H = _sizes(rng)
    Wx, Wh = _weights(rng, D, H, 4)
    return Case((rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H)),
                 Wx, Wh, rng.normal(size=4 * H)))


def _lstm_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not (isinstance(got, tuple) and len(got) == 2):
        return "return (h, c, cache): the new hidden state, the new cell state, and a cache."
    h, c = (np.asarray(v) for v in got)
    if h.shape != expected[0].shape:
        return "h and c have shape (N, H); the four gate blocks are H columns each."
    if np.allclose(c, expected[1]) and not np.allclose(h, expected[0]):
        return "the cell is right; h = o ⊙ tanh(c): the output gate times the squashed cell."
    return ("a = x Wx + h_prev Wh + b, split into four blocks of H columns in the order "
            "i, f, g, o; i, f, o go through σ, g through tanh; c = f ⊙ c_prev + i ⊙ g.")


# ---------------------------------------------------------------- GRU step


def first_output(impls, args, kwargs):
    """Call the student's function and keep only its first return value (the new state).
    An input changed in place fails."""
    import copy

    given = [copy.deepcopy(a) for a in args]
    out = impls[0](*given, **kwargs)[0]
    refuse_changes(impls[0], given, args, example="h = ..., not h_prev *= ...")
    return out


def _gru_cases() -> list[Case]:
    rng = np.random.default_rng(31)
    Wx, Wh = _weights(rng, 3, 2, 3)
    x, h = rng.normal(size=(2, 3)), rng.normal(size=(2, 2))
    b_x, b_h = rng.normal(size=6), rng.normal(size=6)
    return [
        Case((x, h, Wx, Wh, b_x, b_h), {"convention": "seed"},
             label="seed 000's GRU: h = (1 − z)·h_prev + z·h̃, r applied to h_prev"),
        Case((x, h, Wx, Wh, b_x, b_h), {"convention": "torch"},
             label="torch's GRUCell: h = (1 − z)·n + z·h_prev, r applied after the weights"),
        Case((np.ones((1, 1)), np.ones((1, 1)), np.zeros((1, 3)), np.zeros((1, 3)),
              np.zeros(3), np.zeros(3)), {"convention": "seed"},
             label="all weights zero: z = 1/2, h̃ = 0, so h = h_prev / 2",
             expected=np.array([[0.5]])),
    ]


def _gru_random(rng: np.random.Generator) -> Case:
    N, D, H = _sizes(rng)
    Wx, Wh = _weights(rng, D, H, 3)
    return Case((rng.normal(size=(N, D)), rng.normal(size=(N, H)), Wx, Wh,
                 rng.normal(size=3 * H), rng.normal(size=3 * H)),
                {"convention": str(rng.choice(["seed", "torch"]))})


def _gru_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    x, h_prev, Wx, Wh, b_x, b_h = case.args
    conv = case.kwargs.get("convention", "seed")
    if not isinstance(got, np.ndarray) or got.shape != h_prev.shape:
        return "return (h, cache) with h of shape (N, H)."
    other = "torch" if conv == "seed" else "seed"
    if np.allclose(got, recurrent.gru_step_forward(x, h_prev, Wx, Wh, b_x, b_h, other)[0]):
        return f"that is the {other} convention; this case asks for convention={conv!r}."
    flipped = recurrent.gru_flip_update_gate(Wx, Wh, b_x, b_h)
    if np.allclose(got, recurrent.gru_step_forward(x, h_prev, *flipped, conv)[0]):
        return ("z and 1 − z are swapped: seed 000 keeps (1 − z)·h_prev, torch keeps "
                "z·h_prev.")
    if conv == "seed":
        return "seed: h̃ = tanh(x Wx_n + b_x_n + (r ⊙ h_prev) Wh_n + b_h_n): r before Wh_n."
    return "torch: n = tanh(x Wx_n + b_x_n + r ⊙ (h_prev Wh_n + b_h_n)): r after Wh_n and b_h_n."


# ---------------------------------------------------------------- clipping


def _clip_cases() -> list[Case]:
    coef = 1.0 / (5.0 + 1e-6)
    return [
        Case(([np.array([3.0]), np.array([[4.0]])], 1.0),
             label="gradients 3 and 4: joint norm 5, clipped to 1",
             expected=([np.array([3.0 * coef]), np.array([[4.0 * coef]])], 5.0)),
        Case(([np.array([0.3, -0.4]), np.zeros((2, 2))], 1.0),
             label="norm 0.5 ≤ 1: nothing changes",
             expected=([np.array([0.3, -0.4]), np.zeros((2, 2))], 0.5)),
        Case(([np.array([1.0, -2.0]), np.array([[0.5, 3.0]])], 1.5, float("inf")),
             label="the infinity norm: the largest |entry|, 3"),
        Case(([np.array([1.0, -2.0]), np.array([[0.5, 3.0]])], 2.0, 1.0),
             label="the 1-norm: the sum of |entries|, 6.5"),
        Case(([np.array([1.0, -2.0]), np.array([[0.5, 3.0]])], 2.0, 3.0),
             label="the 3-norm: (1 + 8 + 0.125 + 27)^(1/3) ≈ 3.306"),
    ]


def _clip_random(rng: np.random.Generator) -> Case:
    shapes = [tuple(int(s) for s in rng.integers(1, 5, size=int(rng.integers(1, 3))))
              for _ in range(int(rng.integers(1, 4)))]
    grads = [rng.normal(scale=float(rng.uniform(0.1, 3.0)), size=shape) for shape in shapes]
    max_norm = float(rng.uniform(0.2, 4.0))
    if rng.random() < 0.4:  # the default, p = 2
        return Case((grads, max_norm))
    p = float(rng.choice([1.0, 1.5, 3.0, 4.0, 0.5, np.inf]))
    return Case((grads, max_norm, p))


def _clip_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    grads, max_norm, *rest = case.args
    if not (isinstance(got, (tuple, list)) and len(got) == 2):
        return "return (clipped_grads, total_norm): a list of arrays and a number."
    clipped, total = got
    exp_clipped, exp_total = expected
    if isinstance(total, (int, float)) and not np.isclose(total, exp_total):
        if rest == [] and any(np.isclose(total, np.linalg.norm(g)) for g in grads):
            return "the norm is over all gradients together: sqrt of Σ_k ‖g_k‖², not one ‖g_k‖."
        if rest and rest[0] != 2 and np.isclose(
                total, np.sqrt(sum(float(np.sum(g * g)) for g in grads))):
            return (f"that is the 2-norm, but norm_type = {rest[0]:g}: total = "
                    "(Σ |g|^p)^(1/p) for any p > 0 (the largest |g| for p = inf).")
        return "total_norm is the joint norm *before* clipping."
    if isinstance(clipped, (list, tuple)) and len(clipped) == len(grads) and exp_total > max_norm:
        g0 = np.asarray(clipped[0])
        if g0.shape == grads[0].shape and np.allclose(g0, grads[0] * max_norm / exp_total,
                                                      rtol=1e-6) \
                and not np.allclose(g0, exp_clipped[0], rtol=1e-10, atol=0):
            return "torch divides by (total_norm + 1e-6): multiply by max_norm / (norm + 1e-6)."
    if exp_total <= max_norm:
        return "when the norm is already at most max_norm, return the gradients unchanged."
    return "scale every gradient by the same factor max_norm / (total_norm + 1e-6)."


# ---------------------------------------------------------------- one input, many outputs


def _otm_case(rng: np.random.Generator, N: int, D: int, H: int, K: int, steps: int,
              label: str = "") -> Case:
    return Case((rng.normal(size=(N, D)), rng.normal(0, 0.5, (N, H)),
                 rng.normal(0, 0.6, (D, H)), rng.normal(0, 0.6, (H, H)), rng.normal(0, 0.3, H),
                 rng.normal(0, 0.6, (H, K)), rng.normal(0, 0.3, K), steps), label=label)


def _otm_cases() -> list[Case]:
    rng = np.random.default_rng(13)
    one = np.ones((1, 1))
    t1 = np.tanh(1.0)
    t2 = np.tanh(0.5 * t1)
    t3 = np.tanh(0.5 * t2)
    return [
        # by hand: h1 = tanh(1), h2 = tanh(0.5·h1), h3 = tanh(0.5·h2) (no input after step 1);
        # y = 2h + 1
        Case((one, np.zeros((1, 1)), one, 0.5 * one, np.zeros(1), 2.0 * one, np.ones(1), 3),
             label="one unit: h1 = tanh(1), then h halves inside the tanh; y = 2h + 1",
             expected=np.array([[[2 * t1 + 1]], [[2 * t2 + 1]], [[2 * t3 + 1]]])),
        _otm_case(rng, 2, 3, 4, 5, 6, "2 sequences, D = 3, H = 4, K = 5, 6 steps"),
        _otm_case(rng, 1, 2, 3, 2, 1, "a single step: just one output"),
        _otm_case(rng, 3, 1, 2, 3, 4, "h0 is not zero: it counts"),
    ]


def _otm_random(rng: np.random.Generator) -> Case:
    return _otm_case(rng, int(rng.integers(1, 4)), int(rng.integers(1, 5)),
                     int(rng.integers(1, 6)), int(rng.integers(1, 5)), int(rng.integers(1, 9)))


def _otm_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    x, h0, Wx, Wh, b, V, c, steps = case.args
    if not isinstance(got, np.ndarray):
        return "return the outputs as one array of shape (steps, N, K)."
    if got.shape != expected.shape:
        if got.shape == (steps, x.shape[0], Wh.shape[0]) and Wh.shape[0] != V.shape[1]:
            return "read every state out: y_t = h_t V + c, not the state h_t itself."
        return (f"return (steps, N, K) = {expected.shape}: one output per step for every "
                "sequence.")
    repeat = recurrent.rnn_many_to_many(np.repeat(x[None], steps, axis=0), h0, Wx, Wh, b, V, c)
    if steps > 1 and np.allclose(got, repeat):
        return ("x goes in at the first step only; the later steps get zeros (the network "
                "runs on its memory).")
    if np.allclose(got, expected - c):
        return "add the bias c to every output."
    no_h0 = recurrent.rnn_one_to_many(x, np.zeros_like(h0), Wx, Wh, b, V, c, steps)
    if np.any(h0) and np.allclose(got, no_h0):
        return "start from h0, not from zeros."
    if steps > 1 and np.allclose(got[1:], expected[:-1]):
        return ("one step late: output t reads the state *after* step t, h_{t+1} in the "
                "text's numbering, not the state before it.")
    return None


# ---------------------------------------------------------------- the list


EXERCISES = [
    Exercise(
        id="13.rnn_step",
        title="one step of a vanilla RNN, forward and backward",
        functions=("rnn_step_forward", "rnn_step_backward"),
        arg_names=("x", "h_prev", "Wx", "Wh", "b"),
        reference=(recurrent.rnn_step_forward, recurrent.rnn_step_backward),
        cases=_rnn_step_cases,
        random_case=_rnn_step_random,
        compare=TIGHT,
        driver=forward_backward,
        diagnose=_rnn_step_diagnose,
        hint="forward: h = tanh(x Wx + h_prev Wh + b); backward: da = dh ⊙ (1 − h²), then the "
             "dense layer's three gradients for each of the two products.",
        points=2.0,
    ),
    Exercise(
        id="13.rnn_bptt",
        title="backpropagation through time for a whole sequence",
        functions=("rnn_forward", "rnn_backward"),
        arg_names=("xs", "h0", "Wx", "Wh", "b"),
        reference=(recurrent.rnn_forward, recurrent.rnn_backward),
        cases=_bptt_cases,
        random_case=_bptt_random,
        compare=TIGHT,
        driver=forward_backward,
        diagnose=_bptt_diagnose,
        hint="walk back from t = T − 1: dh = dhs[t] + dh_next; run the step's backward; "
             "dh_next becomes its dh_prev; sum dWx, dWh, db over the steps.",
        points=2.0,
    ),
    Exercise(
        id="13.lstm_step",
        title="one step of an LSTM cell: forget, input, candidate and output gates",
        functions=("lstm_step_forward",),
        arg_names=("x", "h_prev", "c_prev", "Wx", "Wh", "b"),
        reference=(recurrent.lstm_step_forward,),
        cases=_lstm_cases,
        random_case=_lstm_random,
        compare=TIGHT,
        driver=lstm_state,
        diagnose=_lstm_diagnose,
        hint="i, f, g, o = the four H-column blocks of x Wx + h_prev Wh + b; "
             "c = σ(f) ⊙ c_prev + σ(i) ⊙ tanh(g); h = σ(o) ⊙ tanh(c).",
        points=2.0,
    ),
    Exercise(
        id="13.gru_step",
        title="one step of a GRU cell, in the seed's and in torch's convention",
        functions=("gru_step_forward",),
        arg_names=("x", "h_prev", "Wx", "Wh", "b_x", "b_h"),
        reference=(recurrent.gru_step_forward,),
        cases=_gru_cases,
        random_case=_gru_random,
        compare=TIGHT,
        driver=first_output,
        diagnose=_gru_diagnose,
        hint="r and z from the first two blocks (r, z, n); the conventions differ in where r "
             "multiplies and in which state z weights.",
        points=2.0,
    ),
    Exercise(
        id="13.clip_grad_norm",
        title="gradient clipping by the joint norm",
        functions=("clip_grad_norm",),
        reference=(recurrent.clip_grad_norm,),
        cases=_clip_cases,
        random_case=_clip_random,
        compare=TIGHT,
        diagnose=_clip_diagnose,
        hint="total = (Σ_k Σ |g|^p)^(1/p) over all gradients (max |g| for p = inf); multiply "
             "every gradient by min(1, max_norm / (total + 1e-6)).",
    ),
    Exercise(
        id="13.one_to_many",
        title="one input, a sequence of outputs: an RNN run on its memory",
        functions=("one_to_many",),
        arg_names=("x", "h0", "Wx", "Wh", "b", "V", "c", "steps"),
        reference=(recurrent.rnn_one_to_many,),
        cases=_otm_cases,
        random_case=_otm_random,
        compare=TIGHT,
        diagnose=_otm_diagnose,
        hint="h = h0; for t in range(steps): h = tanh(x_t Wx + h Wh + b) with x_0 = x and "
             "x_t = 0 after; ys[t] = h V + c.",
    ),
]
