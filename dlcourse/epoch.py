"""One epoch of training and one pass of evaluation, written out (chapter 12; seed 002
"Implementation: switching train/test modes", exercise 2: training, validating and testing).

Chapter 12 asks students to write these pieces of a training loop, and they are the
references its checks use. (``dlcourse.training.fit`` is the course's full loop, with a progress
bar and a history; it has its own general ``loss_and_accuracy`` for any loss function.)
Data are torch tensors already on the model's device (move them once, not every batch):
``X`` (n, ...) inputs, ``y`` (n,) int64 class labels. Losses are cross-entropy on logits.

- ``accuracy_from_logits``: the fraction of examples whose largest logit is the true class
  (``model_selection.accuracy`` compares labels with predicted labels);
- ``train_epoch``: ``model.train()``, then one optimizer step per mini-batch, in order;
- ``evaluate``: ``model.eval()`` and ``torch.no_grad()``, then loss and accuracy (plain
  cross-entropy: the honest number to compare models with, whatever they were trained on).

Averages are over **examples**: each batch's mean loss is weighted by its size, so a smaller
last batch counts for what it holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from dlcourse._validate import as_array, positive_int, public_name, real_in_range

if TYPE_CHECKING:
    import torch

__all__ = ["accuracy_from_logits", "evaluate", "train_epoch"]


def accuracy_from_logits(logits: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of rows whose largest logit sits at the true label: mean(argmax(z_i) == y_i).

    logits: (n, k) scores (logits or probabilities: the argmax is the same); labels: (n,) ints.
    Ties go to the first largest entry, as ``np.argmax`` and ``torch.argmax`` decide them.
    """
    z = as_array(logits, "logits", ndim=2, layout="(n, k)")
    y = as_array(labels, "labels", ndim=1, dtype=None)
    if len(z) != len(y) or len(y) == 0:
        raise ValueError(f"{public_name()}: logits has {len(z)} rows and labels {len(y)} entries; "
                         "they must be equal and non-zero.")
    return float(np.mean(np.argmax(z, axis=1) == y))


def _check_data(X: Any, y: Any) -> None:
    import torch

    if not isinstance(X, torch.Tensor) or not isinstance(y, torch.Tensor):
        raise TypeError(f"{public_name()}: X and y must be torch tensors on the model's device; "
                        "convert with torch.as_tensor(...).to(device) once, before the loop.")
    if len(X) != len(y) or len(y) == 0:
        raise ValueError(f"{public_name()}: X has {len(X)} examples and y {len(y)}; they must be "
                         "equal and non-zero.")


def train_epoch(model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor,
                optimizer: torch.optim.Optimizer, batch_size: int = 64,
                label_smoothing: float = 0.0) -> tuple[float, float]:
    """One pass over (X, y) in order, one optimizer step per batch of ``batch_size`` examples.

    Per batch: zero the gradients, forward, cross-entropy (with ``label_smoothing`` ε: the
    target puts 1 − ε + ε/k on the true class and ε/k on the others, chapter 09), backward,
    step. Shuffle X and y before calling to visit the examples in a new order each epoch.
    Returns (mean loss, accuracy) over all examples of the epoch, measured on the fly (each
    batch with the weights it was trained on, before its step).
    """
    import torch.nn.functional as F

    _check_data(X, y)
    batch_size = positive_int(batch_size, "batch_size")
    label_smoothing = real_in_range(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    model.train()
    total_loss, correct = 0.0, 0
    for start in range(0, len(X), batch_size):
        xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        optimizer.zero_grad()
        logits = model(xb)
        loss = F.cross_entropy(logits, yb, label_smoothing=label_smoothing)
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(xb)
        correct += int((logits.argmax(dim=1) == yb).sum())
    return total_loss / len(X), correct / len(X)


def evaluate(model: torch.nn.Module, X: torch.Tensor, y: torch.Tensor,
             batch_size: int = 512) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) of ``model`` on (X, y), in eval mode without gradients.

    ``model.eval()`` makes dropout keep every unit and batch norm use its running statistics;
    ``torch.no_grad()`` skips building the graph. The model is left in eval mode.
    """
    import torch
    import torch.nn.functional as F

    _check_data(X, y)
    batch_size = positive_int(batch_size, "batch_size")
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(X), batch_size):
            xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            logits = model(xb)
            total_loss += F.cross_entropy(logits, yb).item() * len(xb)
            correct += int((logits.argmax(dim=1) == yb).sum())
    return total_loss / len(X), correct / len(X)
