"""Exercises of chapter 12, a CNN for digit recognition."""

from __future__ import annotations

from typing import Any

import numpy as np

from dlcourse import epoch
from dlcourse.checking import Case, Exercise, Verdict, close
from dlcourse.checking.compare import compare_values
from dlcourse.checking.drivers import net_with_weights
from dlcourse.nets import gap, lenet

CHAPTER = "12"
NOTEBOOK = "12_cnn.ipynb"


# ---------------------------------------------------------------- lenet_shapes


def _shapes_cases() -> list[Case]:
    return [
        Case((8, 16, 32), label="the 8×8 digits: 3×3 kernels, padding 1, 2×2 pooling",
             expected=np.array([[16, 8, 8], [16, 4, 4], [32, 4, 4], [32, 2, 2]])),
        Case((32, 6, 16, 5, 0, 2), label="LeNet-5 on 32×32 images: 6 and 16 maps of 5×5 "
             "kernels, no padding (16·5·5 = 400 features into fc1)",
             expected=np.array([[6, 28, 28], [6, 14, 14], [16, 10, 10], [16, 5, 5]])),
        Case((9, 4, 8, 3, 1, 2), label="an odd size: 9 → 9 → 4 → 4 → 2 (pooling rounds down)",
             expected=np.array([[4, 9, 9], [4, 4, 4], [8, 4, 4], [8, 2, 2]])),
        Case((12, 4, 8, 3, 1, 3), label="3×3 pooling moves by 3: 12 → 12 → 4 → 4 → 1",
             expected=np.array([[4, 12, 12], [4, 4, 4], [8, 4, 4], [8, 1, 1]])),
    ]


def _shapes_random(rng: np.random.Generator) -> Case:
    while True:
        size = int(rng.integers(5, 33))
        k = int(rng.choice([1, 3, 5]))
        p = int(rng.integers(0, 3))
        pool = int(rng.choice([2, 3]))
        try:
            lenet.lenet_shapes(size, 1, 1, k, p, pool)
        except ValueError:  # a kernel larger than the map at some stage: draw again
            continue
        return Case((size, int(rng.integers(1, 17)), int(rng.integers(1, 33)), k, p, pool))


def _int_table(expected: Any, got: Any, case: Case) -> Verdict:
    if isinstance(got, (list, tuple)):
        try:
            got = np.asarray(got)
        except ValueError:
            return Verdict(False, "the rows have different lengths", "four rows (C, H, W).")
    return compare_values(expected, got, rtol=0.0, atol=0.0)


def _shapes_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    size, c1, c2, *rest = case.args
    k, p, pool = rest if rest else (3, 1, 2)
    got = np.asarray(got) if isinstance(got, (list, tuple, np.ndarray)) else None
    if got is None or got.shape != (4, 3):
        return "return four rows (channels, height, width): after conv1, pool, conv2, pool."
    if got[0, 1] == size - k + 1 and p > 0:
        return "the padding is missing: W₂ = (W₁ − F + 2P)/S + 1."
    if got[1, 1] == got[0, 1] - pool + 1 and pool > 1:
        return "pooling moves its window by its own size (stride = pool): the map shrinks."
    if got[0, 1] == expected[0, 1] - 1:
        return "the + 1 is missing: W₂ = (W₁ − F + 2P)/S + 1 counts the first position too."
    if got[0, 1] != expected[0, 1] or got[1, 1] != expected[1, 1]:
        return "(W₁ − F + 2P) // S + 1: floor division, then add one."
    if got[0, 0] != c1 or got[2, 0] != c2:
        return "conv1 makes c1 maps, pooling keeps the channels, conv2 makes c2 maps."
    return None


# ---------------------------------------------------------------- LeNet


LENET_NAMES = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
               "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]


def _lenet_weights(config: dict, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Random weights with the reference's names and shapes (float64)."""
    import torch

    torch.manual_seed(0)
    ref = lenet.LeNet(**config)
    out = {}
    for name, value in ref.state_dict().items():
        fan_in = int(np.prod(value.shape[1:])) if value.ndim > 1 else 4
        out[name] = rng.normal(scale=1.0 / np.sqrt(fan_in), size=tuple(value.shape))
    return out


def _lenet_cases() -> list[Case]:
    from dlcourse.data import load_digits_split

    rng = np.random.default_rng(12)
    config = {"c1": 16, "c2": 32, "hidden": 64, "num_classes": 10, "size": 8}
    digits = np.array(load_digits_split().X_test[:6]).reshape(-1, 1, 8, 8)
    small = {"c1": 2, "c2": 3, "hidden": 5, "num_classes": 4, "size": 8}
    return [
        Case((digits, _lenet_weights(config, rng), config),
             label="the chapter's LeNet (16, 32 maps, 64 hidden) on six test digits"),
        Case((rng.normal(size=(3, 1, 8, 8)), _lenet_weights(small, rng), small),
             label="a tiny LeNet: 2 and 3 maps, 5 hidden units, 4 classes"),
    ]


def _lenet_random(rng: np.random.Generator) -> Case:
    config = {"c1": int(rng.integers(1, 9)), "c2": int(rng.integers(1, 9)),
              "hidden": int(rng.integers(2, 17)), "num_classes": int(rng.integers(2, 11)),
              "size": int(rng.integers(6, 17))}
    x = rng.uniform(0, 1, size=(int(rng.integers(1, 5)), 1, config["size"], config["size"]))
    return Case((x, _lenet_weights(config, rng), config))


def lenet_driver(impls, args, kwargs):
    """Build the student's LeNet(**config) after torch.manual_seed(0), record its parameter
    names, shapes and count, load the case's weights (float64) and return its logits on x."""
    import torch

    x, weights, config = args
    names, shapes, n_params, net = net_with_weights(impls[0], config, weights)
    if net is None:
        return names, shapes, n_params, None
    with torch.no_grad():
        logits = net(torch.from_numpy(np.array(x)))
    return names, shapes, n_params, logits.detach().cpu().numpy()


def _lenet_compare(expected: Any, got: Any, case: Case) -> Verdict:
    if not isinstance(got, (tuple, list)) or len(got) != 4:
        return Verdict(False, "the driver did not get a result back")
    names, shapes, n_params, logits = got
    if list(names) != list(expected[0]):
        return Verdict(False, f"parameters {list(names)}, expected {list(expected[0])}",
                       "name the layers conv1, conv2, fc1, fc2 (nn.Conv2d, nn.Linear), create "
                       "them in that order, and give pooling and ReLU no parameters.")
    for name, s_got, s_exp in zip(names, shapes, expected[1], strict=True):
        if tuple(s_got) != tuple(s_exp):
            return Verdict(False, f"{name} has shape {tuple(s_got)}, expected {tuple(s_exp)}",
                           "fc1's input size is c2·h·w after the second pooling: compute h "
                           "and w with the output-size formula, twice conv, twice pool.")
    if n_params != expected[2]:
        return Verdict(False, f"{n_params} parameters, expected {expected[2]}")
    return compare_values(expected[3], logits, rtol=1e-9, atol=1e-10, where="logits: ")


def _lenet_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if isinstance(got, (tuple, list)) and len(got) == 4 and got[3] is not None:
        return ("the layers are right but the forward pass differs: conv → ReLU → max-pool "
                "(2×2), twice; flatten; fc1 → ReLU; fc2 with no activation (logits).")
    return None


# ---------------------------------------------------------------- accuracy


def _accuracy_cases() -> list[Case]:
    logits = np.array([[2.0, 1.0, 0.1], [0.2, 0.1, 3.0], [0.5, 1.5, 0.2], [1.0, 0.0, 0.0]])
    return [
        Case((logits, np.array([0, 2, 2, 1])), label="4 examples, 2 right", expected=0.5),
        Case((np.array([[0.3, 0.7]]), np.array([1])), label="one example, right", expected=1.0),
    ]


def _accuracy_random(rng: np.random.Generator) -> Case:
    n, k = int(rng.integers(3, 30)), int(rng.integers(3, 11))
    return Case((rng.normal(size=(n, k)), rng.integers(0, k, size=n)))


def _accuracy_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    labels = case.args[1]
    if isinstance(got, (int, float)) and np.isclose(got, expected * len(labels)) \
            and expected > 0:
        return "that is the number of correct examples; divide by their count."
    return "argmax along axis 1 (over the classes of each row), then compare with the labels."


# ---------------------------------------------------------------- train_epoch and evaluate


def _loop_case(rng: np.random.Generator, n: int, d: int, k: int, batch_size: int,
               epochs: int, smoothing: float, label: str = "") -> Case:
    centers = rng.normal(scale=2.0, size=(k, d))
    y = rng.integers(0, k, size=n)
    X = centers[y] + rng.normal(size=(n, d))
    n_val = max(4, n // 3)
    y_val = rng.integers(0, k, size=n_val)
    X_val = centers[y_val] + rng.normal(size=(n_val, d))
    return Case((X, y.astype(np.int64), X_val, y_val.astype(np.int64), k, 0.1, batch_size,
                 epochs, smoothing), label=label)


def _loop_cases() -> list[Case]:
    rng = np.random.default_rng(1234)
    return [
        _loop_case(rng, 50, 6, 3, 16, 2, 0.0,
                   label="50 examples in batches of 16 (the last holds 2), two epochs"),
        _loop_case(rng, 40, 4, 2, 8, 3, 0.1,
                   label="40 examples in batches of 8, three epochs, label smoothing 0.1"),
    ]


def _loop_random(rng: np.random.Generator) -> Case:
    batch_size = int(rng.integers(4, 17))
    n = int(rng.integers(2, 6)) * batch_size + int(rng.integers(2, batch_size))
    return _loop_case(rng, n, int(rng.integers(2, 8)), int(rng.integers(2, 5)), batch_size,
                      int(rng.integers(1, 4)), float(rng.choice([0.0, 0.1, 0.2])))


def loop_driver(impls, args, kwargs):
    """Train a small net with batch norm (which behaves differently in train and eval mode) with
    the student's train_epoch, measure it with their evaluate after every epoch, and record the
    mode and the grad setting the net was called in. float64 throughout."""
    import torch

    train_epoch, evaluate = impls
    X, y, X_val, y_val, k, lr, batch_size, epochs, smoothing = args
    calls = []

    class Spy(torch.nn.Module):
        def forward(self, h):
            calls.append((self.training, torch.is_grad_enabled()))
            return h

    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(X.shape[1], 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(), Spy(),
        torch.nn.Linear(8, int(k))).double()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    X, y = torch.from_numpy(np.array(X)), torch.from_numpy(np.array(y))
    X_val, y_val = torch.from_numpy(np.array(X_val)), torch.from_numpy(np.array(y_val))
    history = []
    train_mode_ok, eval_mode_ok, no_grad_ok = True, True, True
    for _ in range(int(epochs)):
        model.eval()     # a train_epoch that forgets model.train() would inherit this
        calls.clear()
        train_loss, train_acc = train_epoch(model, X, y, optimizer, int(batch_size),
                                            float(smoothing))
        train_mode_ok = train_mode_ok and bool(calls) and all(m for m, _ in calls)
        model.train()    # an evaluate that forgets model.eval() would inherit this
        calls.clear()
        val_loss, val_acc = evaluate(model, X_val, y_val)
        eval_mode_ok = eval_mode_ok and bool(calls) and not any(m for m, _ in calls)
        no_grad_ok = no_grad_ok and not any(g for _, g in calls)
        history.append([float(train_loss), float(train_acc), float(val_loss), float(val_acc)])
    state = [v.detach().cpu().numpy().astype(np.float64) for v in model.state_dict().values()]
    return (np.array(history), train_mode_ok, eval_mode_ok, no_grad_ok, state)


def _loop_compare(expected: Any, got: Any, case: Case) -> Verdict:
    if not isinstance(got, (tuple, list)) or len(got) != 5:
        return Verdict(False, "the driver did not get a result back")
    history, train_mode, eval_mode, no_grad, state = got
    if train_mode is not True:
        return Verdict(False, "train_epoch ran the model in eval mode",
                       "call model.train() at the start of train_epoch: batch norm and "
                       "dropout behave differently while learning.")
    if eval_mode is not True:
        return Verdict(False, "evaluate ran the model in training mode",
                       "call model.eval() in evaluate: batch norm must use its running "
                       "statistics, and dropout must keep every unit.")
    if no_grad is not True:
        return Verdict(False, "evaluate built a graph for gradients",
                       "wrap evaluate's forward passes in `with torch.no_grad():`.")
    verdict = compare_values(expected[0], history, rtol=1e-8, atol=1e-10,
                             where="per-epoch [train loss, train acc, val loss, val acc]: ")
    if not verdict.passed:
        return verdict
    return compare_values(expected[4], state, rtol=1e-8, atol=1e-10,
                          where="the trained weights: ")


def _loop_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if not isinstance(got, (tuple, list)) or len(got) != 5 or not all(
            flag is True for flag in got[1:4]):
        return None     # the comparator's hint about modes and no_grad says it best
    history, exp = np.asarray(got[0]), expected[0]
    if history.shape != exp.shape:
        return None
    if np.allclose(history[:, 1:], exp[:, 1:]) and not np.allclose(history[:, 0], exp[:, 0]):
        return ("weight each batch's mean loss by its size: sum loss·len(batch), divide "
                "by n at the end (the last batch may be smaller).")
    if not np.allclose(history[0, 0], exp[0, 0]):
        return ("the first epoch's loss already differs: one zero_grad, forward, "
                "cross-entropy (with label_smoothing passed on), backward and step per batch, "
                "batches in the given order, the last one smaller.")
    return ("the later epochs differ: did you forget optimizer.zero_grad() (gradients pile "
            "up), or drop the last, smaller batch?")


# ---------------------------------------------------------------- global average pooling


def _gap_weights(config: dict, rng: np.random.Generator) -> dict:
    c1, c2, k = config["c1"], config["c2"], config["num_classes"]
    shapes = {"conv1.weight": (c1, 1, 3, 3), "conv1.bias": (c1,),
              "conv2.weight": (c2, c1, 3, 3), "conv2.bias": (c2,),
              "fc.weight": (k, c2), "fc.bias": (k,)}
    return {name: rng.normal(scale=0.5, size=shape) for name, shape in shapes.items()}


def _gap_cases() -> list[Case]:
    from dlcourse.data import load_digits_split

    rng = np.random.default_rng(1212)
    config = {"c1": 16, "c2": 64, "num_classes": 10}
    digits = np.array(load_digits_split().X_test[:5]).reshape(-1, 1, 8, 8)
    small = {"c1": 2, "c2": 3, "num_classes": 4}
    return [
        Case(([digits], _gap_weights(config, rng), config),
             label="the chapter's GAP net (16 and 64 maps) on five test digits"),
        Case(([rng.normal(size=(2, 1, 8, 8)), rng.normal(size=(3, 1, 11, 11)),
               rng.normal(size=(1, 1, 16, 12))], _gap_weights(small, rng), small),
             label="one small net on 8×8, 11×11 and 16×12 inputs: any size works"),
    ]


def _gap_random(rng: np.random.Generator) -> Case:
    config = {"c1": int(rng.integers(1, 9)), "c2": int(rng.integers(1, 9)),
              "num_classes": int(rng.integers(2, 11))}
    xs = [rng.uniform(-1, 1, size=(int(rng.integers(1, 4)), 1, int(rng.integers(2, 17)),
                                   int(rng.integers(2, 17))))
          for _ in range(int(rng.integers(1, 4)))]
    return Case((xs, _gap_weights(config, rng), config))


def gap_driver(impls, args, kwargs):
    """Build the student's GAPNet(**config), record its parameter names, shapes and count, load
    the case's weights (float64) and return its logits on every input (sizes differ)."""
    import torch

    xs, weights, config = args
    names, shapes, n_params, net = net_with_weights(impls[0], config, weights)
    if net is None:
        return names, shapes, n_params, None
    logits = []
    with torch.no_grad():
        for x in xs:
            logits.append(net(torch.from_numpy(np.array(x))).detach().cpu().numpy())
    return names, shapes, n_params, logits


def _gap_compare(expected: Any, got: Any, case: Case) -> Verdict:
    if not isinstance(got, (tuple, list)) or len(got) != 4:
        return Verdict(False, "the driver did not get a result back")
    names, shapes, n_params, logits = got
    if list(names) != list(expected[0]):
        return Verdict(False, f"parameters {list(names)}, expected {list(expected[0])}",
                       "name the layers conv1, conv2, fc (nn.Conv2d, nn.Conv2d, nn.Linear) and "
                       "create them in that order; pooling has no parameters.")
    for name, s_got, s_exp in zip(names, shapes, expected[1], strict=True):
        if tuple(s_got) != tuple(s_exp):
            hint = ("after global average pooling each of conv2's c2 maps is one number: "
                    "fc = nn.Linear(c2, num_classes), whatever the image size."
                    if name.startswith("fc") else "")
            return Verdict(False, f"{name} has shape {tuple(s_got)}, expected {tuple(s_exp)}",
                           hint)
    if n_params != expected[2]:
        return Verdict(False, f"{n_params} parameters, expected {expected[2]}")
    xs = case.args[0]
    for x, e, g in zip(xs, expected[3], logits, strict=True):
        size = "×".join(str(v) for v in x.shape[2:])
        verdict = compare_values(e, g, rtol=1e-9, atol=1e-10,
                                 where=f"logits for {size} images: ")
        if not verdict.passed:
            return verdict
    return Verdict(True)


def _gap_diagnose(case: Case, expected: Any, got: Any) -> str | None:
    if isinstance(got, (tuple, list)) and len(got) == 4 and got[3] is not None:
        return ("the layers are right but the forward pass differs: conv1 → ReLU → "
                "max_pool2d(2) → conv2 → ReLU → the mean of each map over its height and "
                "width (x.mean(dim=(2, 3))) → fc.")
    return None


# ---------------------------------------------------------------- the list


EXERCISES = [
    Exercise(
        id="12.lenet_shapes",
        title="LeNet's feature-map shapes from the output-size formula",
        functions=("lenet_shapes",),
        reference=(lenet.lenet_shapes,),
        cases=_shapes_cases,
        random_case=_shapes_random,
        compare=_int_table,
        diagnose=_shapes_diagnose,
        hint="for each stage, side = (side − F + 2P) // S + 1; conv: F = kernel_size, S = 1, "
             "P = padding; pool: F = S = pool, P = 0.",
    ),
    Exercise(
        id="12.LeNet",
        title="a LeNet-style nn.Module for the digits",
        functions=("LeNet",),
        arg_names=("x", "weights", "config"),
        reference=(lenet.LeNet,),
        cases=_lenet_cases,
        random_case=_lenet_random,
        n_random=3,
        compare=_lenet_compare,
        driver=lenet_driver,
        diagnose=_lenet_diagnose,
        show_expected=False,
        hint="conv1 → ReLU → max_pool2d(2) → conv2 → ReLU → max_pool2d(2) → flatten → fc1 → "
             "ReLU → fc2.",
        points=2.0,
    ),
    Exercise(
        id="12.accuracy",
        title="accuracy: the fraction of rows whose largest logit is the label",
        functions=("accuracy",),
        reference=(epoch.accuracy_from_logits,),
        cases=_accuracy_cases,
        random_case=_accuracy_random,
        compare=close(rtol=1e-12, atol=1e-12),
        diagnose=_accuracy_diagnose,
    ),
    Exercise(
        id="12.train_epoch",
        title="the training and evaluation loop, with train and eval modes",
        functions=("train_epoch", "evaluate"),
        arg_names=("X", "y", "X_val", "y_val", "k", "lr", "batch_size", "epochs",
                   "label_smoothing"),
        reference=(epoch.train_epoch, epoch.evaluate),
        cases=_loop_cases,
        random_case=_loop_random,
        n_random=3,
        compare=_loop_compare,
        driver=loop_driver,
        diagnose=_loop_diagnose,
        show_expected=False,
        hint="train_epoch: model.train(); per batch zero_grad, forward, loss, backward, step. "
             "evaluate: model.eval() and torch.no_grad().",
        points=2.0,
    ),
    Exercise(
        id="12.GAPNet",
        title="global average pooling instead of flattening: a CNN for images of any size",
        functions=("GAPNet",),
        arg_names=("xs", "weights", "config"),
        reference=(gap.GAPNet,),
        cases=_gap_cases,
        random_case=_gap_random,
        n_random=3,
        compare=_gap_compare,
        driver=gap_driver,
        diagnose=_gap_diagnose,
        show_expected=False,
        hint="conv1 → ReLU → max_pool2d(2) → conv2 → ReLU → x.mean(dim=(2, 3)) → fc, with "
             "fc = nn.Linear(c2, num_classes).",
    ),
]
