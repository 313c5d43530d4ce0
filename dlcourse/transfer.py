"""Pre-training and fine-tuning: reuse a trained network for a new task (chapter 15).

Seed 001 §3.7: a network trained on one task (pre-training) is the starting point for another,
where few labels are available. Fine-tuning "is equivalent to continuing training; the
difference from direct training is the initialization" (§3.7.3), and the seed lists the ways
to do it (§3.7.4): keep the pre-trained network as it is and only use what it computes, train
only the final classification layer, or train everything. For a new set of classes the output
layer must be replaced in every case, so the ways differ in which layers are new and which
are frozen (``requires_grad = False``: no gradient, no update):

=============  =====================================  ==========================
way            new (freshly initialised) layers        trained
=============  =====================================  ==========================
last layer     the output layer                        the output layer only
new head       the output layer and the one below     the new layers only
everything     the output layer                        every layer
from scratch   every layer                             every layer
=============  =====================================  ==========================

- ``freeze_and_replace_head(model, num_classes, n_new, fine_tune)``: does exactly that to an
  ``nn.Sequential`` and returns the parameters to optimise. Chapter 15's exercise.
- ``few_labels(labels, per_class, seed)``: the indices of a small labelled subset, the same
  number of examples of every class.
- ``train_full_batch(model, params, X, y, steps)``: Adam on the whole (small) labelled set at
  once, ``steps`` times: the training of every way in the chapter's experiment.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from dlcourse._validate import positive_int, public_name

__all__ = ["WAYS", "count_parameters", "few_labels", "freeze_and_replace_head", "linear_indices",
           "train_full_batch"]

WAYS = {"last layer": (1, False), "new head": (2, False), "everything": (1, True)}
"""The seed's ways of fine-tuning as ``(n_new, fine_tune)`` for ``freeze_and_replace_head``."""


def linear_indices(model: nn.Sequential) -> list[int]:
    """Positions of the ``nn.Linear`` layers in an ``nn.Sequential``, input side first."""
    return [i for i, layer in enumerate(model) if isinstance(layer, nn.Linear)]


def freeze_and_replace_head(model: nn.Sequential, num_classes: int, n_new: int = 1,
                            fine_tune: bool = False) -> list[nn.Parameter]:
    """Prepare a pre-trained ``nn.Sequential`` for a new task with ``num_classes`` classes.

    - The last ``nn.Linear`` (the output layer) is replaced by a fresh
      ``nn.Linear(in_features, num_classes)`` (torch's default initialisation).
    - The ``n_new − 1`` linear layers just below it are re-initialised
      (``reset_parameters()``): together with the output layer they form the new head.
    - ``fine_tune=False``: only the new layers' parameters train; every other parameter is
      frozen (``requires_grad = False``). ``fine_tune=True``: every parameter trains.

    Changes ``model`` in place and returns its trainable parameters in ``model.parameters()``
    order, ready for an optimizer.
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"{public_name()}: model must be an nn.Sequential; got "
                        f"{type(model).__name__}.")
    num_classes = positive_int(num_classes, "num_classes")
    linears = linear_indices(model)
    if not linears:
        raise ValueError(f"{public_name()}: the model has no nn.Linear layer to replace.")
    n_new = positive_int(n_new, "n_new")
    if n_new > len(linears):
        raise ValueError(f"{public_name()}: n_new = {n_new}, but the model has only {len(linears)} "
                         "linear layers.")
    out = linears[-1]
    old = model[out]
    model[out] = nn.Linear(old.in_features, num_classes, bias=old.bias is not None,
                           device=old.weight.device, dtype=old.weight.dtype)
    new = set(linears[-n_new:])
    for i in linears[-n_new:-1]:
        model[i].reset_parameters()
    for i, layer in enumerate(model):
        for p in layer.parameters(recurse=True):
            p.requires_grad_(bool(fine_tune) or i in new)
    return [p for p in model.parameters() if p.requires_grad]


def few_labels(labels: Sequence[int] | np.ndarray, per_class: int, seed: int = 0
               ) -> np.ndarray:
    """Indices of ``per_class`` examples of every class in ``labels``, drawn without
    replacement with ``np.random.default_rng(seed)``, class by class in increasing order."""
    labels = np.asarray(labels)
    per_class = positive_int(per_class, "per_class")
    rng = np.random.default_rng(seed)
    picked = []
    for c in np.unique(labels):
        rows = np.flatnonzero(labels == c)
        if len(rows) < per_class:
            raise ValueError(f"{public_name()}: class {c} has only {len(rows)} examples; asked for "
                             f"{per_class}.")
        picked.append(rng.choice(rows, size=per_class, replace=False))
    return np.concatenate(picked)


def count_parameters(params: Sequence[torch.Tensor]) -> int:
    """How many numbers a list of parameters holds."""
    return int(sum(p.numel() for p in params))


def train_full_batch(model: nn.Module, params: Sequence[torch.Tensor], X: object, y: object,
                     steps: int = 100, lr: float = 1e-2,
                     device: torch.device | str | None = None) -> nn.Module:
    """Train ``params`` of ``model`` with Adam(lr) on all of (X, y) at once, ``steps`` times.

    X: (n, features) floats, y: (n,) class indices (arrays or tensors), moved once to
    ``device`` (default: where the model's parameters are); cross-entropy on the logits. Frozen
    parameters (not in ``params``, or with requires_grad False) do not change. Returns the
    model, left in training mode.
    """
    steps = positive_int(steps, "steps")
    if device is None:
        device = next(model.parameters()).device
    model.to(device)
    X = torch.as_tensor(np.array(X, dtype=np.float32)).to(device)
    y = torch.as_tensor(np.array(y, dtype=np.int64)).to(device)
    optimizer = torch.optim.Adam(list(params), lr=lr)
    model.train()
    for _ in range(steps):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(X), y).backward()
        optimizer.step()
    return model
