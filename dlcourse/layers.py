"""Fully connected layers with forward and backward passes, and an MLP built from them.

Row format throughout (seed 002 "Error Back-Propagation: Vectors in Raw Format for Python"):
a batch is a matrix with one example per row, x: (N, D), and a dense layer computes

    z = x W + b,    W: (D, M) = (inputs, outputs),  b: (M,).

PyTorch's ``nn.Linear`` stores its weight the other way round, as (M, D) = (out, in), and
computes x Wᵀ + b: copy ``linear.weight = W.T`` to move weights between the two.

Every ``xxx_forward(...)`` returns ``(out, cache)`` and ``xxx_backward(dout, cache)`` returns the
gradients w.r.t. the forward's array arguments, in their order (the CS231n layer style).
``dout`` is ∂L/∂out for some scalar loss L; seed 002 calls ∂L/∂z the error δ.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dlcourse._validate import (
    as_array,
    check_same_size,
    one_of,
    positive_int,
    public_name,
    real_in_range,
)
from dlcourse.activations import ACTIVATIONS, prelu, prelu_alpha_grad, prelu_grad, softmax
from dlcourse.losses import cross_entropy_with_grad, mse_loss, mse_loss_grad

DenseCache = tuple[np.ndarray, np.ndarray]
ActivationCache = tuple[np.ndarray, str]


def _check_dout(dout: object, shape: tuple[int, ...]) -> np.ndarray:
    dout = as_array(dout, "dout")
    if dout.shape != shape:
        raise ValueError(f"{public_name()}: dout must have the shape of the forward's output, "
                         f"{shape}; got {dout.shape}.")
    return dout


# --- dense (fully connected) layer ---------------------------------------------------------------

def dense_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray,
                  ) -> tuple[np.ndarray, DenseCache]:
    """Affine layer z = x W + b (seed 002, row format).

    x: (N, D), W: (D, M), b: (M,); returns z: (N, M) and the cache (x, W) for the backward.
    """
    x = as_array(x, "x", ndim=2, layout="(N, D)")
    W = as_array(W, "W", ndim=2, layout="(D, M) = (inputs, outputs)")
    b = as_array(b, "b", ndim=1, layout="(M,)")
    if x.shape[1] != W.shape[0]:
        raise ValueError(
            f"{public_name()}: x has {x.shape[1]} features per row but W has {W.shape[0]} rows; W "
            "must be laid out as (inputs, outputs). (A torch nn.Linear weight is (outputs, "
            "inputs): pass weight.T.)"
        )
    check_same_size(b.shape[0], W.shape[1], "the length of b and the number of columns of W")
    return x @ W + b, (x, W)


def dense_backward(dout: np.ndarray, cache: DenseCache,
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward of ``dense_forward``: with δ = dout = ∂L/∂z of shape (N, M),

        dx = δ Wᵀ: (N, D),   dW = xᵀ δ: (D, M),   db = Σ_n δ_n: (M,)

    (seed 002 row format: ∂L/∂W = a^(l−1)ᵀ δ^l; the batch sum comes from the matrix product).
    """
    x, W = cache
    dout = _check_dout(dout, (x.shape[0], W.shape[1]))
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


# --- activation layers ---------------------------------------------------------------------------

def activation_forward(x: np.ndarray, name: str) -> tuple[np.ndarray, ActivationCache]:
    """Apply the elementwise activation ``name`` (a key of ``activations.ACTIVATIONS``).

    x: any shape; returns f(x) and the cache (x, name).
    """
    key = one_of(name, ACTIVATIONS, "activation")
    x = as_array(x, "x")
    return ACTIVATIONS[key][0](x), (x, key)


def activation_backward(dout: np.ndarray, cache: ActivationCache) -> np.ndarray:
    """Backward of ``activation_forward``: dx = dout ⊙ f'(x) (seed 002: δ^l = … ∘ f'(z^l)).

    Errata: seed 002 writes the derivative as f^(-1)(z); it is f'(z), the derivative.
    """
    x, key = cache
    dout = _check_dout(dout, x.shape)
    return dout * ACTIVATIONS[key][1](x)


def prelu_forward(x: np.ndarray, alpha: float | np.ndarray,
                  ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """PReLU layer: ``activations.prelu`` with a learnable slope α (scalar or (C,) per feature
    along the last axis of x). Returns the output and the cache (x, alpha)."""
    x = as_array(x, "x")
    alpha = as_array(alpha, "alpha")
    return prelu(x, alpha), (x, alpha)


def prelu_backward(dout: np.ndarray, cache: tuple[np.ndarray, np.ndarray],
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Backward of ``prelu_forward``: (dx, dalpha), dalpha shaped like alpha.

    dx = dout ⊙ ∂f/∂x; dalpha sums dout ⊙ ∂f/∂α over every entry that shares the slope: all
    entries for a scalar α, all axes but the last for a per-feature α.
    """
    x, alpha = cache
    dout = _check_dout(dout, x.shape)
    dalpha_full = dout * prelu_alpha_grad(x)
    if alpha.ndim == 0:
        dalpha = np.asarray(dalpha_full.sum())
    else:
        dalpha = dalpha_full.reshape(-1, alpha.shape[0]).sum(axis=0)
    return dout * prelu_grad(x, alpha), dalpha


# --- the multi-layer perceptron -------------------------------------------------------------

OUTPUTS = ("softmax", "linear")


class MLP:
    """A multi-layer perceptron built from ``dense_forward``/``dense_backward`` and
    ``activation_forward``/``activation_backward`` (seed 002 "Multi-layer Perceptron" and
    matrix back-propagation; seed 004 BP with weight decay).

    ``layer_sizes = [D, H1, ..., M]``: D inputs, hidden layers of sizes H1, ..., M outputs.
    Every hidden layer is dense + ``activation``; the last layer is dense only, and

    - ``output='softmax'``: its M outputs are logits; the loss is the softmax cross-entropy
      (``losses.cross_entropy``) against integer labels y: (N,);
    - ``output='linear'``: its outputs are the predictions; the loss is ``losses.mse_loss``
      against targets y: (N, M) (or (N,) when M = 1).

    ``weight_decay`` = λ adds (λ/2) Σ_l ‖W_l‖²_F to the loss (seed 004), so λ·W_l to each
    weight gradient and the step becomes W ← W − lr·(∂L/∂W + λW). Biases are not decayed (as
    in seed 004's update for b). Seed 004 sums the data loss over the samples where we average
    it, so its λ is N times ours; its update also drops the learning rate in front of λW.

    ``params`` is the list [W1, b1, W2, b2, ...], W_l: (inputs, outputs), b_l: (outputs,).
    Initialization, the same distribution as ``torch.nn.Linear``'s default: every entry of W_l
    and b_l uniform in [−1/√fan_in, 1/√fan_in], fan_in = the layer's number of inputs, drawn from
    ``np.random.default_rng(seed)``. To give a torch model the same start, copy
    ``linear.weight = W.T`` and ``linear.bias = b`` (the numbers differ from torch's own draw).
    """

    def __init__(self, layer_sizes: Sequence[int], activation: str = "relu",
                 output: str = "softmax", weight_decay: float = 0.0, seed: int = 0) -> None:
        sizes = [] if isinstance(layer_sizes, (str, bytes, int)) else list(layer_sizes)
        if len(sizes) < 2:
            raise ValueError(f"{public_name()}: layer_sizes must be a list of at least two sizes, "
                             f"[inputs, ..., outputs]; got {layer_sizes!r}.")
        self.layer_sizes = [positive_int(s, "each layer size") for s in sizes]
        self.activation = one_of(activation, ACTIVATIONS, "activation")
        self.output = one_of(output, OUTPUTS, "output")
        self.weight_decay = real_in_range(weight_decay, "weight_decay", low=0.0)
        rng = np.random.default_rng(seed)
        self.params: list[np.ndarray] = []
        for fan_in, fan_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:], strict=True):
            bound = 1.0 / np.sqrt(fan_in)
            self.params.append(rng.uniform(-bound, bound, size=(fan_in, fan_out)))
            self.params.append(rng.uniform(-bound, bound, size=fan_out))

    def __repr__(self) -> str:
        return (f"MLP({self.layer_sizes}, activation={self.activation!r}, "
                f"output={self.output!r}, weight_decay={self.weight_decay})")

    @property
    def weights(self) -> list[np.ndarray]:
        """The weight matrices W1, W2, ... (the arrays in ``params``, not copies)."""
        return self.params[0::2]

    @property
    def n_layers(self) -> int:
        """The number of dense layers (hidden layers + the output layer)."""
        return len(self.layer_sizes) - 1

    def _forward(self, x: np.ndarray) -> tuple[np.ndarray, list[tuple]]:
        """Scores for x and the caches: [dense 1, activation 1, dense 2, ..., dense L]."""
        caches: list[tuple] = []
        a = x
        for layer in range(self.n_layers):
            z, dense_cache = dense_forward(a, self.params[2 * layer], self.params[2 * layer + 1])
            caches.append(dense_cache)
            if layer < self.n_layers - 1:
                a, act_cache = activation_forward(z, self.activation)
                caches.append(act_cache)
        return z, caches

    def forward(self, x: np.ndarray) -> np.ndarray:
        """The last layer's output for x: (N, D): logits (N, M) for ``output='softmax'`` (apply
        softmax for probabilities, or use ``predict_proba``), predictions for ``'linear'``."""
        return self._forward(x)[0]

    def _targets(self, y: object, n: int) -> np.ndarray:
        if self.output == "softmax":
            return as_array(y, "y", ndim=1, layout="(N,) of class indices", dtype=None)
        y = as_array(y, "y", ndim=(1, 2), layout="(N, M)")
        if y.ndim == 1 and self.layer_sizes[-1] == 1:
            y = y[:, None]
        if y.shape != (n, self.layer_sizes[-1]):
            raise ValueError(f"{public_name()}: y must have shape (N, M) = "
                             f"{(n, self.layer_sizes[-1])} for this network; got {y.shape}.")
        return y

    def data_loss(self, scores: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """The loss of the network's output ``scores`` against ``y``, without weight decay, and
        its gradient ∂loss/∂scores."""
        y = self._targets(y, len(scores))
        if self.output == "softmax":
            return cross_entropy_with_grad(scores, y)
        return mse_loss(scores, y), mse_loss_grad(scores, y)

    def penalty(self) -> float:
        """The weight-decay term (λ/2) Σ_l ‖W_l‖²_F (seed 004); 0 when λ = 0."""
        if not self.weight_decay:
            return 0.0
        return 0.5 * self.weight_decay * sum(float(np.sum(W * W)) for W in self.weights)

    def loss(self, x: np.ndarray, y: np.ndarray) -> tuple[float, list[np.ndarray]]:
        """The training objective on a batch and its gradient w.r.t. every parameter.

        Returns ``(loss, grads)``: loss = data loss + (λ/2) Σ‖W_l‖², grads a list matching
        ``params``. Back-propagation walks the layers backwards: δ at the output is
        ∂loss/∂scores, and each layer's backward turns the δ above it into its parameter
        gradients and the δ below it (seed 002, seed 004).
        """
        scores, caches = self._forward(x)
        loss, delta = self.data_loss(scores, y)
        grads: list[np.ndarray] = [np.empty(0)] * len(self.params)
        for layer in reversed(range(self.n_layers)):
            if layer < self.n_layers - 1:
                delta = activation_backward(delta, caches[2 * layer + 1])
            delta, dW, db = dense_backward(delta, caches[2 * layer])
            if self.weight_decay:
                dW = dW + self.weight_decay * self.params[2 * layer]
            grads[2 * layer], grads[2 * layer + 1] = dW, db
        return loss + self.penalty(), grads

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities softmax(logits): (N, M); only for ``output='softmax'``."""
        if self.output != "softmax":
            raise ValueError(f"{public_name()}: this network has a linear output, not class "
                             "probabilities; use predict or forward.")
        return softmax(self.forward(x))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predicted class indices (N,) for ``output='softmax'``; the outputs for ``'linear'``."""
        scores = self.forward(x)
        return scores.argmax(axis=1) if self.output == "softmax" else scores

    def train_step(self, x: np.ndarray, y: np.ndarray, lr: float) -> float:
        """One step of gradient descent on the batch: θ ← θ − lr·∂loss/∂θ for every parameter,
        in place. Returns the loss before the step."""
        lr = real_in_range(lr, "lr", low=0.0, low_open=True)
        loss, grads = self.loss(x, y)
        for p, g in zip(self.params, grads, strict=True):
            p -= lr * g
        return loss


def train_mlp(model: MLP, X: np.ndarray, y: np.ndarray, lr: float, epochs: int,
              batch_size: int, seed: int = 0, X_val: np.ndarray | None = None,
              y_val: np.ndarray | None = None) -> dict[str, list[float]]:
    """Mini-batch stochastic gradient descent (seed 003: w ← w − η/B Σ_{n∈B} ∇E_n).

    Each epoch shuffles the N training rows (``np.random.default_rng(seed)``) and takes one
    ``model.train_step`` per batch of ``batch_size`` rows (the last batch may be smaller).
    Returns a history with one entry per epoch, measured on the whole set after the epoch:
    ``train_loss`` (and ``val_loss``), the data loss without the weight-decay term, so curves
    for different λ compare; for a softmax model also ``train_acc`` (and ``val_acc``).
    """
    X = as_array(X, "X", ndim=2, layout="(N, D)")
    y = as_array(y, "y", ndim=(1, 2), dtype=None)
    n = X.shape[0]
    check_same_size(n, len(y), "the number of rows of X and of y")
    epochs = positive_int(epochs, "epochs")
    batch_size = positive_int(batch_size, "batch_size")
    lr = real_in_range(lr, "lr", low=0.0, low_open=True)
    if (X_val is None) != (y_val is None):
        raise ValueError(f"{public_name()}: pass both X_val and y_val, or neither.")
    sets = {"train": (X, y)} if X_val is None else {"train": (X, y), "val": (X_val, y_val)}
    history: dict[str, list[float]] = {}
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            model.train_step(X[batch], y[batch], lr)
        for split, (Xs, ys) in sets.items():
            scores = model.forward(Xs)
            history.setdefault(f"{split}_loss", []).append(model.data_loss(scores, ys)[0])
            if model.output == "softmax":
                acc = float(np.mean(scores.argmax(axis=1) == np.asarray(ys)))
                history.setdefault(f"{split}_acc", []).append(acc)
    return history
