"""Exercises of chapter 06: back-propagation in matrix form, an MLP from scratch."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np

from dlcourse import gradcheck, layers, losses
from dlcourse.checking import Case, Exercise, Verdict, close, compare_values
from dlcourse.checking.drivers import call_strict, forward_backward

CHAPTER = "06"
NOTEBOOK = "06_mlp_from_scratch.ipynb"

TOL = close(rtol=1e-10, atol=1e-12)
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu")


# ---------------------------------------------------------------- drivers (self-contained)


def gradient_check_driver(impls, args, kwargs):
    """numerical_gradient of a test function named by the case, then relative_error on the
    case's pairs of arrays: ``(gradient, [errors])``.

    The test functions are written here because cases carry data only, never callables.
    """
    numerical_gradient, relative_error = impls
    kind, x, c, h, pairs = args
    functions = {
        "cubic": lambda v: float(np.sum(c * v ** 3)),
        "sin": lambda v: float(np.sum(np.sin(c * v))),
        "logsumexp": lambda v: float(np.log(np.sum(np.exp(c * v)))),
        "product": lambda v: float(np.sum(c * v) * np.sum(v * v)),
    }
    x_in = x.copy()
    grad = numerical_gradient(functions[kind], x_in) if h is None else \
        numerical_gradient(functions[kind], x_in, h)
    if not np.array_equal(x_in, x):
        raise ValueError("numerical_gradient changed x: nudge a copy of x (x.copy()), or put "
                         "back the exact original value of each entry after nudging it.")
    errors = [float(relative_error(a.copy(), b.copy())) for a, b in pairs]
    return grad, errors


def mlp_driver(impls, args, kwargs):
    """Build the student's MLP, overwrite its parameters with the case's arrays, and run
    forward, loss (with gradients), predict and one train_step.

    Also returns the initial parameters drawn with the case's ``kwargs["seed"]`` (the text
    fixes them: torch.nn.Linear's uniform bounds, one default_rng(seed), W1, b1, W2, ...) and,
    for a softmax case, what ``MLP(layer_sizes)`` built with every default gives: its initial
    parameters and its loss with the case's parameters.
    """
    (mlp_class,) = impls
    sizes, activation, output, weight_decay, params, x, y, lr = args
    model = mlp_class(list(sizes), activation=activation, output=output,
                      weight_decay=weight_decay, seed=kwargs.get("seed", 0))
    initial = [np.array(p, dtype=float) for p in model.params]
    defaults = {}
    if output == "softmax":
        plain = mlp_class(list(sizes))
        defaults["initial params"] = [np.array(p, dtype=float) for p in plain.params]
        if len(plain.params) == len(params):
            for p, value in zip(plain.params, params, strict=True):
                p[...] = value
            defaults["loss"] = float(plain.loss(x.copy(), y.copy())[0])
    own = list(model.params)
    if len(own) != len(params):
        raise ValueError(f"MLP({list(sizes)}).params holds {len(own)} arrays; expected "
                         f"{len(params)}: [W1, b1, W2, b2, ...], one (W, b) pair per layer.")
    for i, (p, value) in enumerate(zip(own, params, strict=True)):
        if np.shape(p) != value.shape:
            raise ValueError(f"params[{i}] has shape {np.shape(p)}; expected {value.shape} "
                             "(W_l: (inputs, outputs), b_l: (outputs,)).")
        p[...] = value
    scores = model.forward(x.copy())
    loss, grads = model.loss(x.copy(), y.copy())
    predicted = model.predict(x.copy())
    step_loss = model.train_step(x.copy(), y.copy(), lr)
    return {"forward": scores, "loss": float(loss), "grads": [np.asarray(g) for g in grads],
            "predict": np.asarray(predicted), "train_step": float(step_loss),
            "params after the step": [np.array(p) for p in model.params],
            "initial params": initial, "with every default": defaults}


def train_driver(impls, args, kwargs):
    """Train a small MLP (defined here, so that this check does not depend on the student's
    MLP class) with the student's train_mlp; return the history and the final parameters.

    The model offers what train_mlp may use: ``params``, ``output``, ``forward(x)``,
    ``data_loss(scores, y)``, ``penalty()``, ``loss(x, y)`` and ``train_step(x, y, lr)``.
    """
    (train_mlp,) = impls
    (_sizes, activation, output, weight_decay, params, X, y, lr, epochs, batch_size, seed,
     X_val, y_val) = args

    def act(z, derivative=False):
        if activation == "tanh":
            return 1 - np.tanh(z) ** 2 if derivative else np.tanh(z)
        if activation == "sigmoid":
            s = np.exp(-np.logaddexp(0.0, -z))
            return s * (1 - s) if derivative else s
        return (z > 0).astype(float) if derivative else np.maximum(z, 0.0)

    class CheckMLP:
        def __init__(self):
            self.params = [np.array(p, dtype=float) for p in params]
            self.output, self.weight_decay, self.activation = output, weight_decay, activation

        def _forward(self, x):
            zs, a = [], x
            for i in range(0, len(self.params), 2):
                z = a @ self.params[i] + self.params[i + 1]
                zs.append((a, z))
                a = act(z) if i + 2 < len(self.params) else z
            return a, zs

        def forward(self, x):
            return self._forward(x)[0]

        def data_loss(self, scores, y):
            if self.output == "softmax":
                shifted = scores - scores.max(axis=1, keepdims=True)
                log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
                rows = np.arange(len(y))
                grad = np.exp(log_p)
                grad[rows, y] -= 1
                return float(-np.mean(log_p[rows, y])), grad / len(y)
            diff = scores - y.reshape(scores.shape)
            return float(np.mean(diff ** 2)), 2 * diff / diff.size

        def penalty(self):
            return 0.5 * self.weight_decay * sum(float(np.sum(W * W))
                                                 for W in self.params[0::2])

        def loss(self, x, y):
            scores, zs = self._forward(x)
            loss, delta = self.data_loss(scores, y)
            grads = [None] * len(self.params)
            for i in reversed(range(0, len(self.params), 2)):
                a, z = zs[i // 2]
                if i + 2 < len(self.params):
                    delta = delta * act(z, derivative=True)
                grads[i] = a.T @ delta + self.weight_decay * self.params[i]
                grads[i + 1] = delta.sum(axis=0)
                delta = delta @ self.params[i].T
            return loss + self.penalty(), grads

        def predict(self, x):
            scores = self.forward(x)
            return scores.argmax(axis=1) if self.output == "softmax" else scores

        def train_step(self, x, y, lr):
            loss, grads = self.loss(x, y)
            for p, g in zip(self.params, grads, strict=True):
                p -= lr * g
            return loss

    model = CheckMLP()
    history = train_mlp(model, X, y, lr, epochs, batch_size, seed=seed, X_val=X_val,
                        y_val=y_val)
    if not isinstance(history, dict):
        raise TypeError(f"train_mlp must return the history dict; got {type(history).__name__}.")
    return {"history": {str(k): np.asarray(v, dtype=float) for k, v in history.items()},
            "params": [np.array(p) for p in model.params]}


# ---------------------------------------------------------------- dense layer


def _dense_cases() -> list[Case]:
    x = np.array([[1.0, 2.0, 3.0]])
    W = np.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]])
    return [
        Case((x, W, np.array([0.5, -0.5])), {"dout": np.array([[1.0, -1.0]])},
             label="seed 002's 3 inputs → 2 outputs, one example",
             expected=(np.array([[-0.3, 1.9]]),
                       (np.array([[0.3, -0.1, -1.1]]), np.array([[1.0, -1.0], [2.0, -2.0],
                                                               [3.0, -3.0]]),
                        np.array([1.0, -1.0])))),
        Case((np.arange(8.0).reshape(4, 2), np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]]),
              np.zeros(3)), {"dout": np.ones((4, 3))},
             label="a batch of 4: db sums over the batch"),
    ]


def _dense_random(rng: np.random.Generator) -> Case:
    # distinct sizes, so that a transposed result cannot have the right shape by accident
    n, d, m = (int(v) for v in rng.choice(np.arange(1, 9), size=3, replace=False))
    return Case(tuple(rng.normal(size=s) for s in [(n, d), (d, m), (m,)]),
                {"dout": rng.normal(size=(n, m))})


def _dense_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    x, W, b = case.args
    dout = case.kwargs["dout"]
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None
    grads = got[1]
    if not isinstance(grads, (tuple, list)) or len(grads) != 3:
        return "dense_backward returns the triple (dx, dW, db)."
    dx, dW, db = (np.asarray(g, dtype=float) for g in grads)
    if dW.shape == (W.shape[1], W.shape[0]):
        return "dW must have W's shape (D, M): dW = xᵀ δ, not δᵀ x."
    if db.shape == dout.shape:
        return "db sums δ over the batch (axis 0): the bias is shared by every example."
    if db.shape == b.shape and np.allclose(db, dout.mean(axis=0)) and len(dout) > 1:
        return "db is the SUM of δ over the batch, not the mean (the loss already averaged)."
    if dx.shape != x.shape:
        return "dx has the shape of x, (N, D): dx = δ Wᵀ."
    return None


# ---------------------------------------------------------------- activation layer


def _activation_cases() -> list[Case]:
    x = np.array([[-2.0, 0.0, 0.5], [3.0, -0.1, 0.0]])
    dout = np.array([[1.0, 2.0, -1.0], [0.5, 1.0, 1.0]])
    return [Case((x, name), {"dout": dout}, label=f"{name} on a (2, 3) batch with zeros")
            for name in ACTIVATION_NAMES]


def _activation_random(rng: np.random.Generator) -> Case:
    shape = (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
    x = rng.normal(scale=2.0, size=shape)
    x.flat[0] = 0.0
    return Case((x, str(rng.choice(ACTIVATION_NAMES))), {"dout": rng.normal(size=shape)})


def _activation_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    x, name = case.args
    dout = case.kwargs["dout"]
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None
    dx = np.asarray(got[1], dtype=float)
    local = np.asarray(expected[1]) / np.where(dout == 0, 1, dout)
    if dx.shape == x.shape and np.allclose(dx, local):
        return "multiply the local derivative by the incoming gradient: dx = dout ⊙ f′(x)."
    if name == "tanh" and dx.shape == x.shape and np.allclose(dx, dout * (1 - x ** 2)):
        return "tanh′(x) = 1 − tanh(x)²: apply tanh to the cached input before squaring."
    if name == "sigmoid" and dx.shape == x.shape:
        s = 1 / (1 + np.exp(-x))
        if np.allclose(dx, dout * s * (1 - x)):
            return "σ′(x) = σ(x)(1 − σ(x)), not σ(x)(1 − x)."
    return None


# ---------------------------------------------------------------- loss layers


def _mse_cases() -> list[Case]:
    return [
        Case((np.array([[1.0], [2.0], [3.0]]), np.array([[1.0], [1.0], [1.0]])),
             label="3 examples, one output: loss 5/3, gradient 2(a − y)/3",
             expected=(5 / 3, np.array([[0.0], [2 / 3], [4 / 3]]))),
        Case((np.array([[0.5, -1.0], [2.0, 0.0]]), np.array([[0.0, 0.0], [1.0, 1.0]])),
             label="2 examples, two outputs each"),
    ]


def _mse_random(rng: np.random.Generator) -> Case:
    n, k = int(rng.integers(1, 7)), int(rng.integers(1, 4))
    return Case((rng.normal(size=(n, k)), rng.normal(size=(n, k))))


def _loss_pair_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return None
    pred = case.args[0]
    grad = np.asarray(got[1], dtype=float)
    exp_grad = np.asarray(expected[1])
    if grad.shape != exp_grad.shape:
        return "the gradient has the shape of the first argument."
    if np.allclose(grad, exp_grad * pred.size) or np.allclose(grad, exp_grad * len(pred)):
        return "the loss is a mean, so its gradient carries the 1/N (1/n for every entry)."
    if np.allclose(grad, exp_grad / 2):
        return "d/da of (a − y)² is 2(a − y): the factor 2 is missing."
    if np.allclose(grad, -exp_grad):
        return "the sign: the gradient points from the target to the prediction, (a − y)."
    return None


def _ce_cases() -> list[Case]:
    return [
        Case((np.array([[3.0, 1.0, -3.0]]), np.array([0])), label="logits (3, 1, −3), class 0"),
        Case((np.array([[1000.0, -1000.0, 0.0], [0.0, 0.0, 0.0]]), np.array([1, 2])),
             label="logits of ±1000 and a row of zeros"),
    ]


def _ce_random(rng: np.random.Generator) -> Case:
    n, k = int(rng.integers(1, 7)), int(rng.integers(2, 6))
    return Case((rng.normal(scale=3.0, size=(n, k)), rng.integers(0, k, size=n)))


# ---------------------------------------------------------------- gradient check


def _gradcheck_cases() -> list[Case]:
    rng = np.random.default_rng(6)
    x3 = np.array([1.0, -2.0, 0.5])
    return [
        Case(("cubic", x3, np.array([1.0, 2.0, -1.0]), None,
              [(np.array([1.0, 2.0]), np.array([1.0, 2.0])), (np.zeros(3), np.zeros(3)),
               (np.array([0.0, 0.0]), np.array([1.0, 0.0])),
               (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.3]))]),
             label="f = Σ c·x³ at x = (1, −2, 0.5); errors 0, 0, 1 and 0.3/6.3"),
        Case(("logsumexp", rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), 1e-5,
              [(rng.normal(size=(2, 2)), rng.normal(size=(2, 2)))]),
             label="a (2, 3) input and h = 1e-5"),
        Case(("cubic", x3, np.array([1.0, 2.0, -1.0]), 0.1,
              [(np.array([1.0, -1.0]), np.array([1.0, 1.0]))]),
             label="a large step h = 0.1: the central difference of c·x³ is c·(3x² + h²)",
             expected=(np.array([1.0, 2.0, -1.0]) * (3 * x3 ** 2 + 0.01), [1.0])),
    ]


def _gradcheck_random(rng: np.random.Generator) -> Case:
    shape = (int(rng.integers(1, 5)),) if rng.random() < 0.5 else \
        (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    kind = str(rng.choice(["cubic", "sin", "logsumexp", "product"]))
    h = None if rng.random() < 0.5 else float(rng.choice([1e-5, 1e-6, 1e-7]))
    pairs = []
    for _ in range(2):
        a = rng.normal(size=shape)
        b = a + rng.normal(scale=float(rng.choice([1e-8, 1e-3, 1.0])), size=shape)
        pairs.append((a, b))
    return Case((kind, rng.normal(size=shape), rng.normal(size=shape), h, pairs))


def _gradcheck_compare(expected: Any, got: Any, case: Case) -> Verdict:
    """Central differences agree with the reference's to about 1e-9; a forward difference
    is off by O(h) ≈ 1e-6 and fails."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return compare_values(expected, got)
    verdict = compare_values(expected[0], got[0], rtol=1e-7, atol=1e-8,
                             where="numerical_gradient: ")
    if not verdict.passed:
        return verdict
    return compare_values(expected[1], got[1], rtol=1e-10, atol=1e-14, where="relative_error: ")


def _gradcheck_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return "return the gradient from numerical_gradient, errors from relative_error."
    grad = np.asarray(got[0], dtype=float)
    exp_grad = np.asarray(expected[0])
    if grad.shape != exp_grad.shape:
        return "the numerical gradient has the shape of x: one partial derivative per entry."
    if np.allclose(grad, 2 * exp_grad, rtol=1e-6, atol=1e-8):
        return "central differences divide by 2h: (f(x + h) − f(x − h)) / (2h)."
    if not np.allclose(grad, exp_grad, rtol=1e-7, atol=1e-8) and np.allclose(
            grad, exp_grad, rtol=1e-3, atol=1e-4):
        return ("close, but not close enough: a one-sided difference (f(x + h) − f(x))/h is "
                "only accurate to O(h); use the central difference, accurate to O(h²), with "
                "the step h that was passed in.")
    errors = np.asarray(got[1], dtype=float)
    if errors.shape == np.shape(expected[1]) and np.any(np.isnan(errors)):
        return ("relative_error gave NaN: with both arrays 0, 0/0. Return 0 when "
                "max(|a| + |b|) is 0.")
    return None


# ---------------------------------------------------------------- the MLP


def _mlp_case(rng: np.random.Generator, sizes: list[int], activation: str, output: str,
              weight_decay: float, n: int, label: str = "", seed: int = 0) -> Case:
    params = []
    for fan_in, fan_out in pairwise(sizes):
        params += [rng.normal(scale=0.7, size=(fan_in, fan_out)), rng.normal(scale=0.3,
                                                                             size=fan_out)]
    x = rng.normal(size=(n, sizes[0]))
    y = (rng.integers(0, sizes[-1], size=n) if output == "softmax"
         else rng.normal(size=(n, sizes[-1])))
    return Case((sizes, activation, output, float(weight_decay), params, x, y,
                 float(rng.uniform(0.05, 0.5))), {"seed": seed}, label=label)


def _mlp_cases() -> list[Case]:
    rng = np.random.default_rng(2019)
    return [
        _mlp_case(rng, [2, 3, 2], "sigmoid", "softmax", 0.0, 4,
                  "[2, 3, 2], sigmoid, softmax cross-entropy"),
        _mlp_case(rng, [3, 4, 1], "tanh", "linear", 0.1, 5,
                  "[3, 4, 1], tanh, MSE, weight decay λ = 0.1 (seed 004), seed = 3", seed=3),
        _mlp_case(rng, [4, 5, 3, 3], "relu", "softmax", 0.05, 6,
                  "[4, 5, 3, 3], relu, softmax, λ = 0.05: two hidden layers"),
    ]


def _mlp_random(rng: np.random.Generator) -> Case:
    depth = int(rng.integers(1, 3))
    sizes = [int(v) for v in rng.integers(2, 6, size=depth + 2)]
    output = str(rng.choice(["softmax", "linear"]))
    wd = 0.0 if rng.random() < 0.4 else float(rng.uniform(0.01, 0.5))
    return _mlp_case(rng, sizes, str(rng.choice(ACTIVATION_NAMES)), output, wd,
                     int(rng.integers(2, 7)), seed=int(rng.integers(1, 1000)))


def _mlp_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, dict) or not isinstance(expected, dict):
        return None
    wd, params = case.args[3], case.args[4]
    penalty = 0.5 * wd * sum(float(np.sum(W * W)) for W in params[0::2])
    try:
        loss = float(got["loss"])
        grads = [np.asarray(g, dtype=float) for g in got["grads"]]
    except (KeyError, TypeError, ValueError):
        return None
    if not compare_values(expected["forward"], got.get("forward")).passed:
        return ("forward differs: dense → activation for every hidden layer, and only dense "
                "(no activation) for the last one.")
    if wd and np.isclose(loss, expected["loss"] - penalty, rtol=1e-9):
        return "loss must include the weight-decay term (λ/2) Σ_l ‖W_l‖² (seed 004)."
    if wd and np.isclose(loss, expected["loss"] + penalty, rtol=1e-9):
        return "the penalty is (λ/2) Σ ‖W‖², not λ Σ ‖W‖²."
    exp_grads = expected["grads"]
    if len(grads) == len(exp_grads):
        for i, (g, e) in enumerate(zip(grads, exp_grads, strict=True)):
            if g.shape != e.shape:
                return f"grads[{i}] must have the shape of params[{i}]."
            if i % 2 == 1 and wd and np.allclose(g, e + wd * params[i]):
                return "weight decay applies to the weights W only, not to the biases."
            if i % 2 == 0 and wd and np.allclose(g, e - wd * params[i]):
                return "the weight gradients need + λ·W from the weight-decay term."
            if i % 2 == 0 and wd and np.allclose(g, e + wd * params[i]):
                return "the derivative of (λ/2)‖W‖² is λ·W, not 2λ·W."
    init = "initial params"
    if init in got and not compare_values(expected[init], got[init]).passed:
        return ("initialize like torch.nn.Linear: every entry uniform in [−1/√fan_in, "
                "1/√fan_in], drawn from one rng = np.random.default_rng(seed) in the order "
                "W1, b1, W2, b2, ...")
    default = "with every default"
    if default in got and not compare_values(expected[default], got[default]).passed:
        return ("MLP(layer_sizes) alone must mean activation=\"relu\", output=\"softmax\", "
                "weight_decay=0.0, seed=0: keep the defaults of the signature.")
    return None


# ---------------------------------------------------------------- mini-batch training


def _train_case(rng: np.random.Generator, label: str = "", *, weight_decay: float = 0.0,
                with_val: bool = True, output: str = "softmax") -> Case:
    d, h, k = int(rng.integers(2, 5)), int(rng.integers(3, 7)), int(rng.integers(2, 4))
    n = int(rng.integers(11, 30))
    sizes = [d, h, k]
    params = []
    for fan_in, fan_out in pairwise(sizes):
        bound = 1 / np.sqrt(fan_in)
        params += [rng.uniform(-bound, bound, size=(fan_in, fan_out)),
                   rng.uniform(-bound, bound, size=fan_out)]

    def targets(m: int) -> np.ndarray:
        return rng.integers(0, k, size=m) if output == "softmax" else rng.normal(size=(m, k))

    X, y = rng.normal(size=(n, d)), targets(n)
    X_val, y_val = (rng.normal(size=(7, d)), targets(7)) if with_val else (None, None)
    batch = int(rng.integers(3, 9))
    if n % batch == 0:
        n_drop = 1                  # a last, smaller batch, every time
        X, y = X[:-n_drop], y[:-n_drop]
    return Case((sizes, str(rng.choice(ACTIVATION_NAMES)), output, weight_decay, params, X, y,
                 float(rng.uniform(0.1, 0.5)), int(rng.integers(2, 4)), batch,
                 int(rng.integers(0, 100)), X_val, y_val), label=label)


def _train_cases() -> list[Case]:
    rng = np.random.default_rng(2024)
    return [
        _train_case(rng, "softmax net with a validation set"),
        _train_case(rng, "weight decay λ = 0.2: the history holds the data loss only",
                    weight_decay=0.2),
        _train_case(rng, "MSE output, no validation set", output="linear", with_val=False),
    ]


def _train_random(rng: np.random.Generator) -> Case:
    return _train_case(rng, weight_decay=0.0 if rng.random() < 0.5 else 0.1,
                       with_val=bool(rng.random() < 0.7),
                       output="softmax" if rng.random() < 0.7 else "linear")


def _train_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, dict) or "history" not in got:
        return None
    history, exp_history = got["history"], expected["history"]
    missing = sorted(set(exp_history) - set(history))
    if missing:
        return f"the history needs the key(s) {', '.join(missing)}, one value per epoch."
    epochs = case.args[8]
    for key, values in history.items():
        if key in exp_history and np.shape(values) != (epochs,):
            return f"history['{key}'] needs one value per epoch ({epochs})."
    return ("train on a fresh permutation each epoch: rng = np.random.default_rng(seed) once, "
            "then order = rng.permutation(N) at the start of every epoch; batches are "
            "order[start:start + batch_size], the last one may be smaller; record the "
            "losses (without the weight-decay term) after each epoch.")


# ---------------------------------------------------------------- the list


EXERCISES = [
    Exercise(
        id="06.dense",
        title="the dense layer z = x W + b, forward and backward (row format)",
        functions=("dense_forward", "dense_backward"),
        arg_names=("x", "W", "b"),
        reference=(layers.dense_forward, layers.dense_backward),
        cases=_dense_cases,
        random_case=_dense_random,
        compare=TOL,
        driver=forward_backward,
        diagnose=_dense_diagnose,
        hint="forward: out = x @ W + b, cache = (x, W); backward: dx = δ @ W.T, "
             "dW = x.T @ δ, db = δ.sum(axis=0).",
    ),
    Exercise(
        id="06.activation",
        title="an activation layer (sigmoid, tanh, relu), forward and backward",
        functions=("activation_forward", "activation_backward"),
        arg_names=("x", "name"),
        reference=(layers.activation_forward, layers.activation_backward),
        cases=_activation_cases,
        random_case=_activation_random,
        compare=TOL,
        driver=forward_backward,
        diagnose=_activation_diagnose,
        hint="cache the input x and the name; backward returns dout * f′(x).",
    ),
    Exercise(
        id="06.mse_loss",
        title="the MSE loss and its gradient, the top of a regression network",
        functions=("mse_loss", "mse_loss_grad"),
        arg_names=("pred", "target"),
        reference=(losses.mse_loss, losses.mse_loss_grad),
        cases=_mse_cases,
        random_case=_mse_random,
        compare=TOL,
        driver=call_strict,
        diagnose=_loss_pair_diagnose,
        hint="L = mean((a − y)²) over all n entries; ∂L/∂a = 2(a − y)/n.",
    ),
    Exercise(
        id="06.cross_entropy",
        title="softmax cross-entropy and its gradient, the top of a classifier",
        functions=("cross_entropy", "cross_entropy_grad"),
        arg_names=("logits", "labels"),
        reference=(losses.cross_entropy, losses.cross_entropy_grad),
        cases=_ce_cases,
        random_case=_ce_random,
        compare=TOL,
        driver=call_strict,
        diagnose=_loss_pair_diagnose,
        hint="L = −mean log softmax(z)[y] with a stable log-softmax; ∂L/∂z = (p − y)/N.",
    ),
    Exercise(
        id="06.gradient_check",
        title="numerical gradients by central differences, and the relative error",
        functions=("numerical_gradient", "relative_error"),
        arg_names=("function", "x", "c", "h", "pairs"),
        reference=(gradcheck.numerical_gradient, gradcheck.relative_error),
        cases=_gradcheck_cases,
        random_case=_gradcheck_random,
        compare=_gradcheck_compare,
        driver=gradient_check_driver,
        diagnose=_gradcheck_diagnose,
        hint="for each entry i: (f(x + h·e_i) − f(x − h·e_i)) / (2h) on a copy of x; "
             "relative error = max|a − b| / max(|a| + |b|), and 0 when both are all zero.",
    ),
    Exercise(
        id="06.mlp",
        title="an MLP class: forward, loss with weight decay, backward, SGD step",
        functions=("MLP",),
        arg_names=("layer_sizes", "activation", "output", "weight_decay", "params", "x", "y", "lr"),
        reference=(layers.MLP,),
        cases=_mlp_cases,
        random_case=_mlp_random,
        compare=close(rtol=1e-9, atol=1e-12),
        driver=mlp_driver,
        diagnose=_mlp_diagnose,
        hint="keep the caches of every layer in forward order; walk them backwards: "
             "activation_backward, then dense_backward, adding λ·W to each dW.",
        points=3.0,
    ),
    Exercise(
        id="06.train_mlp",
        title="mini-batch stochastic gradient descent with a per-epoch history",
        functions=("train_mlp",),
        arg_names=("layer_sizes", "activation", "output", "weight_decay", "params", "X", "y", "lr",
                   "epochs", "batch_size", "seed", "X_val", "y_val"),
        reference=(layers.train_mlp,),
        cases=_train_cases,
        random_case=_train_random,
        compare=close(rtol=1e-8, atol=1e-10),
        driver=train_driver,
        diagnose=_train_diagnose,
        n_random=3,
        points=2.0,
    ),
]
