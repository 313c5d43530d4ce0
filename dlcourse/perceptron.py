"""The perceptron: one neuron, a threshold, and Rosenblatt's learning rule.

Row format throughout (seed 002, "Single Neuron"): a batch of n examples with d features is a
matrix X of shape (n, d), the weights a vector w of shape (d,), and the pre-activations of the
whole batch are z = X w + b, shape (n,).

Labels for learning are y ∈ {−1, +1} (the form in which the convergence theorem is stated);
logic gates use outputs in {0, 1}, produced by the step function.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dlcourse._validate import (
    as_array,
    check_same_size,
    one_of,
    positive_int,
    public_name,
    real_in_range,
)
from dlcourse.activations import step


def neuron_forward(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """Pre-activations of one neuron for a batch, in row format: z = X w + b.

    Args:
        X: (n, d) inputs, one example per row.
        w: (d,) weights.
        b: the bias, a number.

    Returns:
        z: (n,) one weighted sum per example, z_i = Σ_j X_ij w_j + b (seed 002, "Single Neuron").
    """
    X = as_array(X, "X", ndim=2, layout="(n, d)")
    w = as_array(w, "w", ndim=1, layout="(d,)")
    check_same_size(X.shape[1], w.shape[0], "X's columns and w's length")
    b = real_in_range(float(np.asarray(b)), "b")
    return X @ w + b


def threshold_unit(x: np.ndarray, w: np.ndarray, threshold: float) -> int:
    """Rosenblatt's original form: output 1 if Σ w_i x_i > threshold, else 0 (seed 001 §3.1.1).

    With b = −threshold this is step(w·x + b).
    """
    x = as_array(x, "x", ndim=1)
    w = as_array(w, "w", ndim=1)
    check_same_size(x.shape[0], w.shape[0], "x and w lengths")
    return int(x @ w > threshold)


def _check_labels(y: np.ndarray) -> None:
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError(f"{public_name()}: labels must be −1 or +1; got values "
                         f"{np.unique(y)[:5]}. Convert 0/1 labels with y = 2 * t - 1.")


def perceptron_update(w: np.ndarray, b: float, x: np.ndarray, y: float,
                      lr: float = 1.0) -> tuple[np.ndarray, float]:
    """One step of Rosenblatt's rule on the example (x, y), y ∈ {−1, +1}.

    If the example is not strictly on its correct side, y (w·x + b) ≤ 0, move the boundary
    towards it: w ← w + lr·y·x and b ← b + lr·y. Otherwise nothing changes. A point exactly on
    the boundary counts as a mistake; that is the form the convergence proof uses, and it lets
    learning start from w = 0, b = 0.

    Args:
        w: (d,) weights.  b: bias.  x: (d,) one example.  y: its label, −1 or +1.
        lr: the learning rate η > 0.

    Returns:
        (w_new, b_new): new arrays; the inputs are not modified.
    """
    w = as_array(w, "w", ndim=1)
    x = as_array(x, "x", ndim=1)
    check_same_size(w.shape[0], x.shape[0], "w and x lengths")
    _check_labels(np.asarray([y], dtype=float))
    lr = real_in_range(lr, "lr", low=0.0, low_open=True)
    b = float(b)
    if y * (x @ w + b) <= 0:
        return w + lr * y * x, b + lr * y
    return w.copy(), b


def train_perceptron(X: np.ndarray, y: np.ndarray, lr: float = 1.0, max_epochs: int = 100,
                     ) -> tuple[np.ndarray, float, np.ndarray]:
    """Rosenblatt's perceptron algorithm, from w = 0 and b = 0.

    Visits the examples in order, applying ``perceptron_update`` to each; an epoch is one pass.
    Stops after the first epoch without an update (the data is separated) or after
    ``max_epochs`` epochs (it never stops by itself on data that is not separable, like XOR).

    Args:
        X: (n, d) examples.  y: (n,) labels in {−1, +1}.
        lr: learning rate η > 0.  max_epochs: the most passes over the data.

    Returns:
        (w, b, updates): the final weights (d,), bias, and an int array with the number of
        updates made in each epoch; the data was separated iff ``updates[-1] == 0``.
    """
    X = as_array(X, "X", ndim=2, layout="(n, d)")
    y = as_array(y, "y", ndim=1, layout="(n,)")
    check_same_size(X.shape[0], y.shape[0], "numbers of examples in X and y")
    _check_labels(y)
    max_epochs = positive_int(max_epochs, "max_epochs")
    lr = real_in_range(lr, "lr", low=0.0, low_open=True)
    w, b = np.zeros(X.shape[1]), 0.0
    updates = []
    for _ in range(max_epochs):
        count = 0
        for x_i, y_i in zip(X, y, strict=True):
            if y_i * (x_i @ w + b) <= 0:
                w, b = perceptron_update(w, b, x_i, y_i, lr)
                count += 1
        updates.append(count)
        if count == 0:
            break
    return w, b, np.array(updates, dtype=np.int64)


_GATE_WEIGHTS = {
    "AND": ((1.0, 1.0), -1.5),
    "OR": ((1.0, 1.0), -0.5),
    "NAND": ((-2.0, -2.0), 3.0),  # the weights of seed 001 §3.1.1
    "NOR": ((-1.0, -1.0), 0.5),
}


def logic_gate_weights(gate: str) -> tuple[np.ndarray, float] | None:
    """Hand-chosen (w, b) with step(X w + b) equal to the gate's truth table, or None for XOR.

    No line separates XOR's two classes (Minsky and Papert, 1969), so no weights exist.
    """
    gate = one_of(gate, ("AND", "OR", "NAND", "NOR", "XOR"), "gate")
    if gate == "XOR":
        return None
    w, b = _GATE_WEIGHTS[gate]
    return np.array(w), b


def gate_outputs(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """step(X w + b) as 0/1 integers: what a perceptron with these weights outputs."""
    return step(neuron_forward(X, w, b)).astype(np.int64)


@dataclass(frozen=True)
class MarginBound:
    """The quantities of the perceptron convergence theorem (Novikoff, 1962).

    With augmented examples x̃ = (x, 1): R = max ‖x̃‖, and γ = min y (w*·x + b*) / ‖(w*, b*)‖ for
    a separating (w*, b*). The number of updates is at most (R/γ)².
    """

    R: float
    gamma: float

    @property
    def bound(self) -> float:
        return (self.R / self.gamma) ** 2


def margin_bound(X: np.ndarray, y: np.ndarray, w_star: np.ndarray, b_star: float,
                 ) -> MarginBound:
    """R, γ and the bound (R/γ)² for data (X, y ∈ {−1, +1}) separated by (w*, b*).

    Raises ``ValueError`` if (w*, b*) does not separate the data (γ ≤ 0).
    """
    X = as_array(X, "X", ndim=2, layout="(n, d)")
    y = as_array(y, "y", ndim=1)
    _check_labels(y)
    w_star = as_array(w_star, "w_star", ndim=1)
    X_aug = np.hstack([X, np.ones((X.shape[0], 1))])
    v = np.append(w_star, float(b_star))
    gamma = float(np.min(y * (X_aug @ v)) / np.linalg.norm(v))
    if gamma <= 0:
        raise ValueError(f"{public_name()}: (w_star, b_star) does not separate the data "
                         f"(smallest signed margin {gamma:.3g}); pass a separating line.")
    R = float(np.max(np.linalg.norm(X_aug, axis=1)))
    return MarginBound(R, gamma)


def max_margin_separator(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """A separating (w, b) with a wide margin: a hard-margin linear SVM (scikit-learn).

    Any separator gives a valid bound; a wider margin gives a tighter one.
    """
    from sklearn.svm import SVC

    X = as_array(X, "X", ndim=2, layout="(n, d)")
    y = as_array(y, "y", ndim=1)
    svm = SVC(kernel="linear", C=1e6).fit(X, y)
    return svm.coef_[0].astype(np.float64), float(svm.intercept_[0])
