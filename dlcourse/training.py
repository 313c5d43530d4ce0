"""A small, readable training loop for the torch chapters.

No framework: ``fit`` is the loop you would write by hand, once, with the details that are easy
to get wrong done right:

- the model and every batch go to one device (``dlcourse.device.get_device()`` by default), so
  the same call runs on a CPU, a CUDA GPU or Apple's MPS;
- shuffling uses its own seeded generator, so a run is repeatable;
- ``model.train()`` while learning and ``model.eval()`` with ``torch.no_grad()`` while
  measuring, which matters for dropout and batch norm;
- a ``tqdm`` progress bar (``tqdm.auto``: a widget in Jupyter) shows epoch, loss and accuracy;
- the per-epoch history is returned for plotting.

Data is given as arrays (NumPy or torch) ``X`` of shape (n, ...) and targets ``y`` of shape
(n,) for classification (int class indices) or (n, k) for regression.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from dlcourse._validate import positive_int, public_name

if TYPE_CHECKING:
    import torch


@dataclass
class History:
    """Per-epoch averages. Accuracy lists stay empty for regression (non-integer targets)."""

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[float]]:
        return {k: list(v) for k, v in self.__dict__.items()}


def as_tensor(a: Any, device: torch.device | str | None = None, dtype=None) -> torch.Tensor:
    """A torch tensor on ``device`` from a NumPy array, a list or a tensor.

    Floating NumPy arrays become float32 (torch's default) unless ``dtype`` says otherwise;
    integer arrays (class labels) stay int64.
    """
    import torch

    if isinstance(a, torch.Tensor):
        t = a
    else:
        arr = np.asarray(a)
        # torch cannot share a read-only array (it warns): copy those (e.g. load_digits_split's)
        t = torch.as_tensor(arr if arr.flags.writeable else arr.copy())
    if dtype is not None:
        t = t.to(dtype)
    elif t.is_floating_point() and t.dtype == torch.float64:
        t = t.float()
    return t.to(device) if device is not None else t


def _is_classification(y: torch.Tensor) -> bool:
    return not y.is_floating_point() and y.ndim == 1


def loss_and_accuracy(model: torch.nn.Module, X: Any, y: Any, loss_fn: Callable, *,
                      device: torch.device | str | None = None, batch_size: int = 512,
                      ) -> tuple[float, float | None]:
    """Average loss and accuracy (None for regression) of ``model`` on (X, y), in eval mode.

    ``device`` defaults to the device of the model's parameters."""
    import torch

    device = _model_device(model, device)
    X, y = as_tensor(X, device), as_tensor(y, device)
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(X), batch_size):
            xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            out = model(xb)
            total_loss += float(loss_fn(out, yb)) * len(xb)
            if _is_classification(yb):
                correct += int((out.argmax(dim=1) == yb).sum())
    accuracy = correct / len(X) if _is_classification(y) else None
    return total_loss / len(X), accuracy


def predict(model: torch.nn.Module, X: Any, *, device: torch.device | str | None = None,
            batch_size: int = 512) -> np.ndarray:
    """The model's outputs for X as a NumPy array, computed in eval mode without gradients.

    ``device`` defaults to the device of the model's parameters."""
    import torch

    device = _model_device(model, device)
    X = as_tensor(X, device)
    model.eval()
    with torch.no_grad():
        outs = [model(X[i:i + batch_size]).cpu() for i in range(0, len(X), batch_size)]
    return torch.cat(outs).numpy()


def _resolve(device):
    from dlcourse.device import get_device

    return get_device(device) if device is None or isinstance(device, str) else device


def _model_device(model: torch.nn.Module, device):
    """``device`` if given, else where the model's parameters live (loss_and_accuracy and
    predict do not move the model, so the data must go to it)."""
    if device is not None:
        return _resolve(device)
    first = next(model.parameters(), None)
    return first.device if first is not None else _resolve(None)


def fit(model: torch.nn.Module, X_train: Any, y_train: Any, *, X_val: Any = None,
        y_val: Any = None, loss_fn: Callable | None = None,
        optimizer: torch.optim.Optimizer | None = None, lr: float = 0.01, epochs: int = 10,
        batch_size: int = 64, device: torch.device | str | None = None, seed: int = 0,
        progress: bool = True, on_epoch_end: Callable[[int, History], None] | None = None,
        ) -> History:
    """Train ``model`` with mini-batches and return the per-epoch ``History``.

    Args:
        model: any ``nn.Module``; it is moved to ``device``.
        X_train, y_train: training data, (n, ...) and (n,) int labels or (n, k) targets.
        X_val, y_val: optional validation data, measured after every epoch.
        loss_fn: defaults to cross-entropy for int labels, mean squared error otherwise.
        optimizer: defaults to ``torch.optim.SGD(model.parameters(), lr=lr)``; create yours
            after the model is on the device (or pass ``device`` and let ``fit`` move it first).
        epochs, batch_size: how long and in what portions; the last batch may be smaller.
        device: where to train (default: ``get_device()``, which honours $DLCOURSE_DEVICE).
        seed: seeds the shuffling of every epoch (the model's initial weights are yours to seed).
        progress: show a tqdm progress bar with the epoch's loss and accuracy.
        on_epoch_end: called as ``on_epoch_end(epoch, history)`` after each epoch (snapshots).
    """
    import torch
    from tqdm.auto import tqdm

    epochs = positive_int(epochs, "epochs")
    batch_size = positive_int(batch_size, "batch_size")
    device = _resolve(device)
    model.to(device)
    X, y = as_tensor(X_train, device), as_tensor(y_train, device)
    if len(X) != len(y):
        raise ValueError(f"{public_name()}: X_train has {len(X)} examples but y_train has "
                         f"{len(y)}.")
    has_val = X_val is not None and y_val is not None
    if loss_fn is None:
        loss_fn = torch.nn.functional.cross_entropy if _is_classification(y) else \
            torch.nn.functional.mse_loss
    if optimizer is None:
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    history = History()
    bar = tqdm(range(1, epochs + 1), desc="training", unit="epoch", disable=not progress,
               leave=False)
    for epoch in bar:
        model.train()
        order = torch.randperm(len(X), generator=generator).to(device)
        seen, total_loss, correct = 0, 0.0, 0
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            xb, yb = X[idx], y[idx]
            optimizer.zero_grad()
            out = model(xb)
            loss = loss_fn(out, yb)
            loss.backward()
            optimizer.step()
            seen += len(idx)
            total_loss += float(loss.detach()) * len(idx)
            if _is_classification(yb):
                correct += int((out.detach().argmax(dim=1) == yb).sum())
        history.train_loss.append(total_loss / seen)
        if _is_classification(y):
            history.train_acc.append(correct / seen)
        if has_val:
            val_loss, val_acc = loss_and_accuracy(model, X_val, y_val, loss_fn, device=device)
            history.val_loss.append(val_loss)
            if val_acc is not None:
                history.val_acc.append(val_acc)
        shown = {"loss": f"{history.train_loss[-1]:.4f}"}
        if history.train_acc:
            shown["acc"] = f"{history.train_acc[-1]:.3f}"
        if history.val_acc:
            shown["val_acc"] = f"{history.val_acc[-1]:.3f}"
        bar.set_postfix(shown)
        if on_epoch_end is not None:
            on_epoch_end(epoch, history)
    return history
