"""Residual networks: the same deep net with and without identity shortcuts (chapter 16).

Seed 003 ("Recent developments", He et al. 2015): when a plain network gets deeper, its
accuracy saturates and then *degrades*, on the training set too, so it is not overfitting.
A residual network lets each block learn the residual F(x) = H(x) − x of the mapping H it
should represent and adds the input back through an identity shortcut:

    plain block:     y = relu(F(x))                 F(x) = W₂ relu(W₁ x + b₁) + b₂
    residual block:  y = relu(x + F(x))

(He et al.'s "basic block", with linear layers in place of convolutions and without batch
norm.) Backpropagation through a residual block gives ∂y/∂x = D (I + ∂F/∂x), D the ReLU's 0/1
mask: the identity term carries the gradient past the block even where ∂F/∂x is tiny, so a
stack of blocks multiplies factors (I + J_k) instead of J_k, and the first layer still gets a
gradient of the same order as the last one.

- ``ResidualBlock(width, hidden)``, ``PlainBlock(width, hidden)``: the two blocks, layers
  ``fc1`` = Linear(width, hidden) and ``fc2`` = Linear(hidden, width). Chapter 16's exercise
  asks for ``ResidualBlock``.
- ``DeepMLP(depth, width, residual)``: Linear(in, width) → ReLU → ``depth`` blocks →
  Linear(width, classes), for the digits.
- ``he_init_``: He (Kaiming) normal weights, zero biases, for every linear layer (chapter 08).
- ``weight_gradient_norms``: ‖∂L/∂W‖ of every linear layer for one batch, first layer first.
- ``gradient_profile``: the same, for a fresh random net of a given depth, init and kind (the
  explorer's computation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from dlcourse._validate import one_of, positive_int, public_name

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["INITS", "DeepMLP", "PlainBlock", "ResidualBlock", "gradient_profile", "he_init_",
           "weight_gradient_norms"]

INITS = ("default", "he")


class ResidualBlock(nn.Module):
    """y = relu(x + fc2(relu(fc1(x)))): an identity shortcut around two linear layers.

    x: (N, width) → y: (N, width); fc1: Linear(width, hidden), fc2: Linear(hidden, width).
    """

    def __init__(self, width: int, hidden: int):
        super().__init__()
        width = positive_int(width, "width")
        hidden = positive_int(hidden, "hidden")
        self.fc1 = nn.Linear(width, hidden)
        self.fc2 = nn.Linear(hidden, width)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(x + self.fc2(F.relu(self.fc1(x))))


class PlainBlock(nn.Module):
    """y = relu(fc2(relu(fc1(x)))): the residual block without its shortcut."""

    def __init__(self, width: int, hidden: int):
        super().__init__()
        width = positive_int(width, "width")
        hidden = positive_int(hidden, "hidden")
        self.fc1 = nn.Linear(width, hidden)
        self.fc2 = nn.Linear(hidden, width)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.fc2(F.relu(self.fc1(x))))


class DeepMLP(nn.Module):
    """Linear(in_features, width) → ReLU → ``depth`` blocks → Linear(width, num_classes).

    ``residual`` picks ``ResidualBlock`` or ``PlainBlock``; the two nets have the same layers
    and, built after the same ``torch.manual_seed``, the same initial weights. Input
    (N, in_features), output (N, num_classes) logits. The net has 2·depth + 2 linear layers.
    """

    def __init__(self, depth: int, width: int = 32, residual: bool = True,
                 in_features: int = 64, num_classes: int = 10):
        super().__init__()
        depth = positive_int(depth, "depth")
        width = positive_int(width, "width")
        block = ResidualBlock if residual else PlainBlock
        self.residual = bool(residual)
        self.inp = nn.Linear(positive_int(in_features, "in_features"), width)
        self.blocks = nn.Sequential(*[block(width, width) for _ in range(depth)])
        self.out = nn.Linear(width, positive_int(num_classes, "num_classes", minimum=2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.blocks(F.relu(self.inp(x))))


def he_init_(model: nn.Module) -> nn.Module:
    """He (Kaiming) normal weights, N(0, 2/fan_in), and zero biases for every ``nn.Linear``
    of ``model``, in place (chapter 08). Returns the model."""
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)
    return model


def linear_layers(model: nn.Module) -> list[nn.Linear]:
    """The model's ``nn.Linear`` layers in the order ``model.modules()`` visits them (for the
    nets here: from the input to the output)."""
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def weight_gradient_norms(model: nn.Module, X: Any, y: Any,
                          loss_fn: Callable | None = None) -> np.ndarray:
    """‖∂L/∂W‖ (Frobenius) of every linear layer for one batch, first layer first.

    X: (N, in_features) and y: (N,) class indices, arrays or tensors; they are moved to the
    model's device and X to its dtype. L = loss_fn(model(X), y), cross-entropy by default.
    The model's existing gradients are cleared first and the new ones left in place.
    """
    first = next(model.parameters())
    device = first.device
    X = torch.as_tensor(np.array(X) if not isinstance(X, torch.Tensor) else X,
                        dtype=first.dtype).to(device)
    y = torch.as_tensor(np.array(y) if not isinstance(y, torch.Tensor) else y).to(device)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"{public_name()}: X must be (N, features) and y (N,); got "
                         f"{tuple(X.shape)} and {tuple(y.shape)}.")
    model.zero_grad(set_to_none=True)
    loss = (loss_fn or F.cross_entropy)(model(X), y)
    loss.backward()
    return np.array([float(layer.weight.grad.norm()) for layer in linear_layers(model)])


def gradient_profile(depth: int, residual: bool, init: str = "default", *, width: int = 32,
                     n: int = 128, seed: int = 0) -> np.ndarray:
    """Per-layer weight-gradient norms of a fresh ``DeepMLP`` at initialisation, on a batch of
    ``n`` standard-normal inputs with random labels (the same for both kinds of net).

    ``init``: "default" (torch's own initialisation of nn.Linear) or "he". Runs on the CPU in
    float64, so that a vanishing gradient does not underflow to zero. Returns an array of
    2·depth + 2 norms, first layer first.
    """
    depth = positive_int(depth, "depth")
    init = one_of(init, INITS, "init")
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(positive_int(n, "n"), 64, generator=gen)
    y = torch.randint(0, 10, (n,), generator=gen)
    with torch.random.fork_rng(devices=[]):  # leave the caller's random state alone
        torch.manual_seed(seed)
        model = DeepMLP(depth, width, residual)
        if init == "he":
            he_init_(model)
    return weight_gradient_norms(model.double(), X, y)
