"""Dropout in practice: on the inputs, on the hidden layers, and with a max-norm constraint.

Seed 001 §3.12.4 and seed 002's model code give the practical rules (from Srivastava et al.,
"Dropout", JMLR 2014): drop hidden units with p ≈ 0.5; drop inputs too, but with a much smaller
rate, p ≈ 0.2 (seed 002's ``Dropout(keep=0.8)`` names the *keep* probability, 1 − p); and
combine dropout with a **max-norm** constraint, ‖w‖₂ ≤ c for each unit's incoming weights,
which keeps the weights bounded even with large learning rates.

``DropoutMLP`` is a ReLU network with ``nn.Dropout(p_input)`` in front of the first layer and
``nn.Dropout(p_hidden)`` after each hidden layer. ``train_dropout_mlp`` (``DropoutTraining``,
epoch by epoch) trains it with
full-batch SGD with momentum (one step per epoch, on every training example) and, with
``max_norm=c``, projects every layer's incoming weight vectors onto the ball of radius c after
each step (``apply_max_norm_``: ``torch.renorm``, the torch twin of
``dlcourse.regularization.max_norm``). Data: a small slice of the digits, which a network of
this size overfits (``small_digits``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from dlcourse._validate import positive_int, public_name, real_in_range

HIDDEN = 128
EPOCHS = 120
EVAL_EVERY = 10
N_TRAIN = 200


class DropoutMLP(nn.Module):
    """Dropout(p_input) → [Linear → ReLU → Dropout(p_hidden)] per hidden layer → Linear.

    ``sizes = [D, H1, ..., M]``; input x: (N, D), output: (N, M) scores. In ``eval()`` mode
    both dropouts are the identity (torch's inverted dropout already rescaled in training).
    """

    def __init__(self, sizes: Sequence[int] = (64, HIDDEN, HIDDEN, 10), p_input: float = 0.0,
                 p_hidden: float = 0.0) -> None:
        super().__init__()
        sizes = [positive_int(s, "every layer size") for s in sizes]
        if len(sizes) < 2:
            raise ValueError(f"{public_name()}: sizes lists at least [inputs, outputs]; got "
                             f"{sizes}.")
        self.p_input = real_in_range(p_input, "p_input", low=0.0, high=1.0, high_open=True)
        self.p_hidden = real_in_range(p_hidden, "p_hidden", low=0.0, high=1.0, high_open=True)
        modules: list[nn.Module] = [nn.Dropout(self.p_input)]
        for k, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
            modules.append(nn.Linear(fan_in, fan_out))
            if k < len(sizes) - 2:
                modules += [nn.ReLU(), nn.Dropout(self.p_hidden)]
        self.layers = nn.Sequential(*modules)

    @property
    def linears(self) -> list[nn.Linear]:
        """The ``nn.Linear`` layers, input side first."""
        return [m for m in self.layers if isinstance(m, nn.Linear)]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


def apply_max_norm_(model: nn.Module, c: float) -> None:
    """Project, in place, each unit's incoming weights of every ``nn.Linear`` of ``model`` onto
    ‖w‖₂ ≤ c. ``nn.Linear`` stores its weight as (out, in): unit j's incoming weights are row
    j, so ``torch.renorm(weight, 2, 0, c)``. Biases are not constrained."""
    c = real_in_range(c, "c", low=0.0, low_open=True)
    with torch.no_grad():
        for layer in model.modules():
            if isinstance(layer, nn.Linear):
                layer.weight.copy_(torch.renorm(layer.weight, 2, 0, c))


def largest_unit_norm(model: nn.Module) -> float:
    """The largest ‖incoming weights‖₂ of any unit of any ``nn.Linear`` in ``model``."""
    with torch.no_grad():
        return max(float(layer.weight.norm(dim=1).max()) for layer in model.modules()
                   if isinstance(layer, nn.Linear))


def small_digits(n_train: int = N_TRAIN) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                     np.ndarray]:
    """(X_train, y_train, X_val, y_val): the first ``n_train`` training digits of
    ``load_digits_split()`` (pixels in [0, 1], (n, 64)) and its whole validation set (269)."""
    from dlcourse.data import load_digits_split

    n_train = positive_int(n_train, "n_train", minimum=10)
    d = load_digits_split()
    return d.X_train[:n_train], d.y_train[:n_train], d.X_val, d.y_val


@dataclass(frozen=True)
class DropoutRun:
    """What one training run measured, every ``eval_every`` epochs (k measurements)."""

    p_input: float
    p_hidden: float
    max_norm: float | None
    lr: float
    epochs: np.ndarray        # (k,) the epoch of each measurement
    train_loss: np.ndarray    # (k,) cross-entropy on the training set, evaluation mode
    val_loss: np.ndarray      # (k,) the same on the validation set
    val_acc: np.ndarray       # (k,) validation accuracy
    unit_norm: np.ndarray     # (k,) the largest incoming-weight norm of any unit

    @property
    def label(self) -> str:
        c = "off" if self.max_norm is None else f"{self.max_norm:g}"
        return f"input p = {self.p_input:g}, hidden p = {self.p_hidden:g}, max-norm {c}"


class DropoutTraining:
    """One training run of a ``DropoutMLP``, advanced epoch by epoch (``train_dropout_mlp``
    runs it to the end; the chapter's explorer animates it).

    Two hidden layers of ``hidden`` ReLU units; full-batch SGD with momentum on the
    cross-entropy, one step per ``epoch()``; with ``max_norm=c``, ``apply_max_norm_`` after
    every step. The weights start from ``torch.manual_seed(seed)`` (torch's default init),
    which then also draws the dropout masks. Every ``eval_every`` epochs the losses, the
    validation accuracy (evaluation mode: no dropout) and the largest unit norm are recorded;
    ``record()`` returns them as a ``DropoutRun``. ``device``: where to train (default
    ``dlcourse.device.get_device()``).
    """

    def __init__(self, X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray,
                 y_val: np.ndarray, *, p_input: float = 0.0, p_hidden: float = 0.0,
                 max_norm: float | None = None, lr: float = 0.1, momentum: float = 0.9,
                 hidden: int = HIDDEN, eval_every: int = EVAL_EVERY, seed: int = 0,
                 device: torch.device | str | None = None) -> None:
        from dlcourse.device import get_device
        from dlcourse.training import as_tensor

        self.eval_every = positive_int(eval_every, "eval_every")
        self.lr = real_in_range(lr, "lr", low=0.0, low_open=True)
        momentum = real_in_range(momentum, "momentum", low=0.0, high=1.0, high_open=True)
        self.max_norm = (None if max_norm is None else
                         real_in_range(max_norm, "max_norm", low=0.0, low_open=True))
        device = get_device(device) if device is None or isinstance(device, str) else device
        self.Xt, self.Xv = (as_tensor(X, device, torch.float32) for X in (X_train, X_val))
        self.yt, self.yv = (as_tensor(y, device, torch.int64) for y in (y_train, y_val))
        if len(self.Xt) != len(self.yt) or len(self.Xv) != len(self.yv):
            raise ValueError(f"{public_name()}: X and y must have the same number of rows.")
        n_classes = int(max(int(self.yt.max()), int(self.yv.max()))) + 1
        torch.manual_seed(seed)
        self.model = DropoutMLP([self.Xt.shape[1], hidden, hidden, n_classes], p_input,
                                p_hidden).to(device)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=self.lr,
                                         momentum=momentum)
        self.epochs_done = 0
        self._record: dict[str, list[float]] = {k: [] for k in (
            "epochs", "train_loss", "val_loss", "val_acc", "unit_norm")}

    def epoch(self) -> None:
        """One full-batch step (and the max-norm projection); measure when it is time."""
        model = self.model
        model.train()
        loss = nn.functional.cross_entropy(model(self.Xt), self.yt)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        if self.max_norm is not None:
            apply_max_norm_(model, self.max_norm)
        self.epochs_done += 1
        if self.epochs_done % self.eval_every == 0:
            self.measure()

    def measure(self) -> None:
        """Record the losses, the validation accuracy and the largest unit norm now."""
        model, rec = self.model, self._record
        model.eval()
        with torch.no_grad():
            val_scores = model(self.Xv)
            rec["epochs"].append(self.epochs_done)
            rec["train_loss"].append(float(nn.functional.cross_entropy(model(self.Xt),
                                                                       self.yt)))
            rec["val_loss"].append(float(nn.functional.cross_entropy(val_scores, self.yv)))
            rec["val_acc"].append(float((val_scores.argmax(1) == self.yv).float().mean()))
        rec["unit_norm"].append(largest_unit_norm(model))

    def record(self) -> DropoutRun:
        """The measurements so far."""
        model = self.model
        return DropoutRun(float(model.p_input), float(model.p_hidden), self.max_norm, self.lr,
                          **{k: np.array(v) for k, v in self._record.items()})


def train_dropout_mlp(X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray,
                      y_val: np.ndarray, *, p_input: float = 0.0, p_hidden: float = 0.0,
                      max_norm: float | None = None, lr: float = 0.1, momentum: float = 0.9,
                      epochs: int = EPOCHS, hidden: int = HIDDEN, eval_every: int = EVAL_EVERY,
                      seed: int = 0, device: torch.device | str | None = None) -> DropoutRun:
    """Train a ``DropoutMLP`` for ``epochs`` full-batch steps (see ``DropoutTraining`` for
    the details) and return what was measured every ``eval_every`` epochs and at the end."""
    epochs = positive_int(epochs, "epochs")
    run = DropoutTraining(X_train, y_train, X_val, y_val, p_input=p_input, p_hidden=p_hidden,
                          max_norm=max_norm, lr=lr, momentum=momentum, hidden=hidden,
                          eval_every=eval_every, seed=seed, device=device)
    for _ in range(epochs):
        run.epoch()
    if run.epochs_done % run.eval_every:
        run.measure()
    return run.record()
