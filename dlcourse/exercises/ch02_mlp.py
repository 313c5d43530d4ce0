"""Exercises of chapter 02, XOR and the multilayer perceptron.

The references are in ``dlcourse.feedforward`` (tested against torch in
``tests/test_nets_mlp.py``): the hand-wired XOR network is checked by its truth table, the NumPy
forward pass against ``feedforward.mlp_forward``; the torch model against
``dlcourse.nets.mlp.MLP`` with copied weights; the training function by a property: accuracy on
held-out points whose labels only the comparator sees.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from dlcourse.checking import Case, Exercise, Verdict, close
from dlcourse.data import logic_gate, make_circles, make_spirals, make_xor
from dlcourse.feedforward import (
    EXAMPLE_342_B1,
    EXAMPLE_342_B2,
    EXAMPLE_342_W1,
    EXAMPLE_342_W2,
    EXAMPLE_342_X,
    mlp_forward,
    train_classifier,
    xor_network,
)
from dlcourse.nets import mlp as torch_mlp

CHAPTER = "02"
NOTEBOOK = "02_mlp.ipynb"


# ---------------------------------------------------------------- xor_network


def _step_net(X: np.ndarray, weights: list, biases: list) -> np.ndarray:
    a = X
    for W, b in zip(weights, biases, strict=True):
        a = (a @ W + b > 0).astype(np.int64)
    return a


def _implements_xor(expected: Any, got: Any, case: Case) -> Verdict:
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return Verdict(False, f"got {type(got).__name__}, expected a pair (weights, biases)",
                       "return ([W1, W2], [b1, b2]).")
    weights, biases = got
    if not isinstance(weights, (list, tuple)) or not isinstance(biases, (list, tuple)):
        return Verdict(False, "weights and biases must be lists of arrays: [W1, W2], [b1, b2]")
    if len(weights) != 2 or len(biases) != 2:
        return Verdict(False, f"got {len(weights)} weight matrices and {len(biases)} bias "
                              "vectors; a 2-2-1 network has two layers of each",
                       "hidden layer: W1 (2, 2), b1 (2,); output layer: W2 (2, 1), b2 (1,).")
    shapes = [np.shape(a) for a in (*weights, *biases)]
    if shapes != [(2, 2), (2, 1), (2,), (1,)]:
        return Verdict(False, f"shapes W1, W2, b1, b2 = {shapes}; expected (2, 2), (2, 1), "
                              "(2,), (1,)",
                       "row format: W has one row per input and one column per unit.")
    X, table = logic_gate("XOR")
    out = _step_net(X, [np.asarray(w, float) for w in weights],
                    [np.asarray(b, float) for b in biases])[:, 0]
    if np.array_equal(out, table):
        return Verdict(True)
    wrong = [f"{tuple(int(v) for v in X[i])} → {out[i]} (XOR: {table[i]})"
             for i in np.flatnonzero(out != table)]
    hidden = _step_net(X, [np.asarray(weights[0], float)], [np.asarray(biases[0], float)])
    columns = ", ".join(f"unit {j + 1}: {hidden[:, j].tolist()}" for j in range(2))
    return Verdict(False, f"the network gives {'; '.join(wrong)}",
                   f"on the rows (0,0), (0,1), (1,0), (1,1) your hidden units output {columns}. "
                   "Make one of them OR and the other NAND; the output unit then needs AND.")


# ---------------------------------------------------------------- mlp_forward

def _forward_cases() -> list[Case]:
    X, table = logic_gate("XOR")
    weights, biases = xor_network()
    return [
        Case((X, weights, biases, "step", "step"), label="the 2-2-1 XOR network, step units",
             expected=table[:, None].astype(np.float64)),
        Case((EXAMPLE_342_X, [EXAMPLE_342_W1, EXAMPLE_342_W2], [EXAMPLE_342_B1, EXAMPLE_342_B2],
              "sigmoid", "sigmoid"), label="the 3-4-2 network of seed 001 §3.2.2, sigmoid"),
        Case((EXAMPLE_342_X, [EXAMPLE_342_W1, EXAMPLE_342_W2], [EXAMPLE_342_B1, EXAMPLE_342_B2]),
             label="the same, with the defaults (sigmoid hidden, linear output)"),
        Case((np.array([[0.0, 0.0], [1.0, -1.0], [2.0, 1.0]]),
              [np.array([[1.0], [1.0]]), np.array([[2.0]])], [np.array([0.0]), np.array([-1.0])],
              "step", "step"), label="step units where z = 0 exactly: step(0) = 0",
             expected=np.array([[0.0], [0.0], [1.0]])),
        Case((np.array([[1.0, -2.0], [-0.5, 0.5]]),
              [np.array([[1.0, -1.0, 0.5], [2.0, 0.5, -1.0]])],
              [np.array([0.5, 0.0, -0.25])], "relu", "sigmoid"),
             label="a single layer: only output_activation applies"),
        Case((np.array([[1.0, -2.0], [-0.5, 0.5], [3.0, 1.0]]),
              [np.array([[1.0, -1.0, 0.5], [2.0, 0.5, -1.0]]), np.array([[1.0], [-2.0], [0.5]])],
              [np.array([0.5, 0.0, -0.25]), np.array([0.1])], "relu", "tanh"),
             label="ReLU hidden units, tanh output"),
    ]


def _forward_random(rng: np.random.Generator) -> Case:
    n_layers = int(rng.integers(1, 5))
    sizes = [int(s) for s in rng.integers(1, 6, size=n_layers + 1)]
    sizes[0] = int(rng.integers(2, 5))
    weights = [rng.normal(size=(a, b)) for a, b in itertools.pairwise(sizes)]
    biases = [rng.normal(size=b) for b in sizes[1:]]
    X = rng.normal(size=(int(rng.integers(1, 6)), sizes[0]))
    hidden = str(rng.choice(["sigmoid", "tanh", "relu", "step"]))
    out = str(rng.choice(["linear", "sigmoid", "tanh"]))
    return Case((X, weights, biases, hidden, out))


def _forward_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    X, weights, biases, *rest = case.args
    activation = rest[0] if rest else "sigmoid"
    output_activation = rest[1] if len(rest) > 1 else "linear"
    if not isinstance(got, np.ndarray) or got.shape != expected.shape:
        return None
    tries = {
        "the output layer used the hidden activation; it gets output_activation":
            (activation, activation),
        "the hidden layers used output_activation; they get activation":
            (output_activation, output_activation),
        "the activations are swapped: activation is for the hidden layers, output_activation "
        "for the last layer": (output_activation, activation),
        "no activation is applied at all; every layer computes f(a W + b)": ("linear", "linear"),
        "the hidden layers got no activation; each of them computes activation(a W + b)":
            ("linear", output_activation),
    }
    for message, (hidden, out) in tries.items():
        if (hidden, out) != (activation, output_activation):
            alt = mlp_forward(X, weights, biases, hidden, out)
            if alt.shape == got.shape and np.allclose(alt, got, rtol=1e-9, atol=1e-12):
                return message
    zero_b = [np.zeros_like(b) for b in biases]
    if np.allclose(mlp_forward(X, weights, zero_b, activation, output_activation), got):
        return "the biases are missing: z = a W + b."
    return None


# ---------------------------------------------------------------- the torch MLP


def build_and_run(impls, args, kwargs):
    """Build the student's model, copy the case's row-format weights in, run it in float64."""
    import torch

    sizes, activation, weights, biases, X = args
    torch.manual_seed(0)
    if activation is None:                 # the case tests the default activation
        model = impls[0](list(sizes), **kwargs)
    else:
        model = impls[0](list(sizes), activation, **kwargs)
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    if len(linears) != len(weights):
        raise ValueError(f"sizes {list(sizes)} need {len(weights)} nn.Linear layers; the model "
                         f"has {len(linears)}.")
    model = model.double()
    with torch.no_grad():
        for k, (layer, W, b) in enumerate(zip(linears, weights, biases, strict=True)):
            if tuple(layer.weight.shape) != (W.shape[1], W.shape[0]):
                raise ValueError(f"layer {k + 1}: nn.Linear weight has shape "
                                 f"{tuple(layer.weight.shape)}; for sizes {list(sizes)} it "
                                 f"must be (out, in) = {(W.shape[1], W.shape[0])}.")
            if layer.bias is None:
                raise ValueError(f"layer {k + 1}: the nn.Linear has no bias (bias=False).")
            layer.weight.copy_(torch.from_numpy(W.T.copy()))
            layer.bias.copy_(torch.from_numpy(b.copy()))
    out = model(torch.from_numpy(X))
    n_params = sum(int(p.numel()) for p in model.parameters())
    return out.detach().numpy(), n_params


def _torch_mlp_case(rng: np.random.Generator, sizes: list[int], activation: str | None,
                    label: str = "") -> Case:
    """A case for the torch MLP; ``activation=None`` builds it with the default activation."""
    weights = [rng.normal(size=(a, b)) for a, b in itertools.pairwise(sizes)]
    biases = [rng.normal(size=b) for b in sizes[1:]]
    X = rng.normal(size=(int(rng.integers(2, 7)), sizes[0]))
    return Case((sizes, activation, weights, biases, X), label=label)


def _torch_mlp_cases() -> list[Case]:
    rng = np.random.default_rng(2)
    return [
        Case(([3, 4, 2], "sigmoid", [EXAMPLE_342_W1, EXAMPLE_342_W2],
              [EXAMPLE_342_B1, EXAMPLE_342_B2], EXAMPLE_342_X),
             label="the 3-4-2 network, sigmoid hidden layer"),
        _torch_mlp_case(rng, [2, 8, 2], "tanh", "2-8-2, tanh"),
        _torch_mlp_case(rng, [2, 16, 16, 2], "relu", "2-16-16-2, relu"),
        _torch_mlp_case(rng, [3, 5, 4, 2], None, "3-5-4-2, the default activation (ReLU)"),
    ]


def _torch_mlp_random(rng: np.random.Generator) -> Case:
    n_layers = int(rng.integers(1, 5))
    sizes = [int(s) for s in rng.integers(1, 7, size=n_layers + 1)]
    return _torch_mlp_case(rng, sizes, str(rng.choice(["relu", "tanh", "sigmoid"])))


def _torch_mlp_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    _, activation, weights, biases, X = case.args
    if not isinstance(got, tuple) or len(got) != 2 or not isinstance(got[0], np.ndarray):
        return None
    if activation is None:                 # the case of the default activation
        for other in ("tanh", "sigmoid"):
            alt = mlp_forward(X, weights, biases, other, "linear")
            if alt.shape == got[0].shape and np.allclose(alt, got[0], rtol=1e-9, atol=1e-12):
                return (f"MLP(sizes), built without an activation, used {other}; the default "
                        "is activation=\"relu\".")
        activation = "relu"
    out = got[0]
    tries = {
        "the activation follows the output layer too; the last nn.Linear gives the scores "
        "as they are": (activation, activation),
        "there is no activation between the layers": ("linear", "linear"),
        "the activation argument is ignored (always ReLU?)": ("relu", "linear"),
    }
    for message, (hidden, last) in tries.items():
        if (hidden, last) != (activation, "linear"):
            alt = mlp_forward(X, weights, biases, hidden, last)
            if alt.shape == out.shape and np.allclose(alt, out, rtol=1e-9, atol=1e-12):
                return message
    return None


# ---------------------------------------------------------------- train_classifier

# data set: (maker, model spec, lr, epochs, threshold on the text's case, on random cases)
TRAINING_SETUPS: dict[str, tuple[Any, dict, float, int, float, float]] = {
    "xor": (make_xor, {"sizes": [2, 8, 2], "activation": "tanh"}, 0.05, 50, 0.99, 0.97),
    "circles": (make_circles, {"sizes": [2, 16, 2], "activation": "tanh"}, 0.05, 80,
                0.95, 0.93),
    "spiral": (make_spirals, {"sizes": [2, 32, 32, 2], "activation": "relu"}, 0.03, 150,
               0.95, 0.92),
}


def train_then_predict(impls, args, kwargs):
    """Build the model the case describes (seeded), let the student's function train it, and
    predict the held-out points (which the student's function never sees).

    Also returns the first two losses that full-batch Adam with the case's lr gives, taken on a
    copy of the starting model: the student's first two losses must be these (measured before
    each step, averaged over all of X, one step per epoch, lr as given).
    """
    import copy

    import torch

    spec, *rest = args
    X_test = kwargs.pop("X_test")
    torch.manual_seed(spec["seed"])
    sizes = spec["sizes"]
    act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}[spec["activation"]]
    modules = []
    for k in range(len(sizes) - 1):
        modules.append(torch.nn.Linear(sizes[k], sizes[k + 1]))
        if k < len(sizes) - 2:
            modules.append(act())
    model = torch.nn.Sequential(*modules)
    probe = copy.deepcopy(model)
    X_t = torch.as_tensor(rest[0], dtype=torch.float32)
    y_t = torch.as_tensor(rest[1], dtype=torch.int64)
    optimizer = torch.optim.Adam(probe.parameters(), lr=float(rest[2]))
    first = torch.nn.functional.cross_entropy(probe(X_t), y_t)
    optimizer.zero_grad()
    first.backward()
    optimizer.step()
    with torch.no_grad():
        second = torch.nn.functional.cross_entropy(probe(X_t), y_t)
    losses = impls[0](model, *rest, **kwargs)
    model = model.to("cpu").eval()
    with torch.no_grad():
        scores = model(torch.as_tensor(X_test, dtype=torch.float32))
    if isinstance(losses, torch.Tensor):
        losses = losses.detach().cpu().numpy()
    return (scores.argmax(dim=1).numpy(), [float(v) for v in losses],
            [float(first.detach()), float(second)])


def _training_case(name: str, seed: int, threshold_index: int, label: str = "") -> Case:
    maker, spec, lr, epochs, *thresholds = TRAINING_SETUPS[name]
    X, y = maker(200, seed=seed)
    X_test, y_test = maker(200, seed=seed + 1)
    model = {**spec, "seed": seed % 1000}
    return Case((model, X, y, lr, epochs, "cpu"), {"X_test": X_test}, label=label,
                expected=None, secret=(name, y_test, thresholds[threshold_index]))


def _training_cases() -> list[Case]:
    return [_training_case(name, 10, 0, f"{name}: held-out accuracy ≥ "
                           f"{TRAINING_SETUPS[name][4]:.0%}")
            for name in TRAINING_SETUPS]


def _training_random(rng: np.random.Generator) -> Case:
    name = str(rng.choice(list(TRAINING_SETUPS)))
    return _training_case(name, int(rng.integers(100, 100_000)), 1, f"{name}, random data")


def _first_losses_check(losses: list, first: float, second: float, n: int,
                        lr: float) -> Verdict | None:
    """The first two losses against those of full-batch Adam from the same starting model."""
    if not np.isclose(losses[0], first, rtol=1e-5, atol=1e-7):
        why = (f"the first loss is {losses[0]:.6g}; the starting model's mean cross-entropy on "
               f"all of X is {first:.6g}")
        if np.isclose(losses[0], n * first, rtol=1e-4):
            return Verdict(False, why, "that is the sum over the examples; the loss is their "
                                       "mean (F.cross_entropy's default reduction).")
        if np.isclose(losses[0], second, rtol=1e-5, atol=1e-7):
            return Verdict(False, why, "that is the loss after the first step; record each "
                                       "epoch's loss before its optimizer.step().")
        return Verdict(False, why, "record the loss of the whole batch X (all examples at "
                                   "once), before the step, as loss.item().")
    if len(losses) > 1 and not np.isclose(losses[1], second, rtol=1e-4, atol=1e-6):
        return Verdict(False, f"the second loss is {losses[1]:.6g}; after one full-batch Adam "
                              f"step with lr = {lr:g} it is {second:.6g}",
                       "one step per epoch on all of X at once (no mini-batches), with "
                       "torch.optim.Adam(model.parameters(), lr=lr) and the lr you are given.")
    return None


def _accuracy_check(expected: Any, got: Any, case: Case) -> Verdict:
    name, y_test, threshold = case.secret
    epochs = case.args[4]
    if not isinstance(got, tuple) or len(got) != 3:
        return Verdict(False, "the check could not read the result")
    predictions, losses, (first, second) = got
    if len(losses) != epochs:
        return Verdict(False, f"returned {len(losses)} losses for {epochs} epochs",
                       "append the loss of every epoch (one full-batch step per epoch).")
    if not np.all(np.isfinite(losses)):
        return Verdict(False, "the losses contain NaN or inf", "is the learning rate used as "
                                                               "given?")
    probe = _first_losses_check(losses, first, second, len(case.args[2]), case.args[3])
    if probe is not None:
        return probe
    accuracy = float(np.mean(predictions == y_test))
    if accuracy < threshold:
        return Verdict(False, f"held-out accuracy {accuracy:.1%} on {name}, below "
                              f"{threshold:.0%} (losses: {losses[0]:.3f} at the start, "
                              f"{losses[-1]:.3f} at the end)",
                       "each epoch: zero the gradients, compute the cross-entropy of "
                       "model(X) against y, backward(), optimizer.step(). Did the loss go "
                       "down?")
    if not losses[-1] < losses[0]:
        return Verdict(False, f"the loss did not go down ({losses[0]:.4f} → {losses[-1]:.4f})",
                       "return the loss of every epoch, computed before that epoch's step.")
    return Verdict(True)


# ---------------------------------------------------------------- the list


EXERCISES = [
    Exercise(
        id="02.xor_network",
        title="a hand-weighted 2-2-1 network of step units that computes XOR",
        functions=("xor_network",),
        reference=(xor_network,),
        cases=lambda: [Case((), label="the XOR truth table")],
        compare=_implements_xor,
        show_expected=False,
        hint="XOR(x1, x2) = AND(OR(x1, x2), NAND(x1, x2)): put OR and NAND in the hidden layer.",
    ),
    Exercise(
        id="02.mlp_forward",
        title="the forward pass of any MLP, layer by layer",
        functions=("mlp_forward",),
        reference=(mlp_forward,),
        cases=_forward_cases,
        random_case=_forward_random,
        compare=close(rtol=1e-10, atol=1e-12),
        diagnose=_forward_diagnose,
        hint="loop over (W, b) pairs: a = f(a @ W + b), with f the hidden activation for every "
             "layer but the last and output_activation for the last.",
    ),
    Exercise(
        id="02.MLP",
        title="the same network as a torch nn.Module",
        functions=("MLP",),
        arg_names=("sizes", "activation", "weights", "biases", "X"),
        reference=(torch_mlp.MLP,),
        cases=_torch_mlp_cases,
        random_case=_torch_mlp_random,
        compare=close(rtol=1e-10, atol=1e-12),
        driver=build_and_run,
        diagnose=_torch_mlp_diagnose,
        hint="one nn.Linear(sizes[k], sizes[k + 1]) per layer, the activation module after each "
             "but the last, all inside an nn.Sequential; forward returns its output.",
    ),
    Exercise(
        id="02.train_classifier",
        title="train a classifier: full-batch Adam on the cross-entropy loss",
        functions=("train_classifier",),
        arg_names=("model", "X", "y", "lr", "epochs", "device"),
        reference=(train_classifier,),
        cases=_training_cases,
        random_case=_training_random,
        n_random=2,
        compare=_accuracy_check,
        driver=train_then_predict,
        show_expected=False,
        hint="move the model to device and X, y to tensors there (float32 and int64); then for "
             "each epoch: zero_grad, loss = cross_entropy(model(X), y), backward, step.",
        points=2.0,
    ),
]
