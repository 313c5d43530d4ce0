"""Feedforward networks of chapter 02: XOR wired by hand, the forward pass of any MLP, and
full-batch training of a torch classifier.

- ``xor_network``: a 2-2-1 network of step units that computes XOR (OR and NAND in the hidden
  layer, AND at the output: chapter 01's gates, stacked);
- ``mlp_forward``: the forward pass of an MLP in row format, a = f(a_prev W + b) layer by layer,
  built from ``layers.dense_forward`` and ``layers.activation_forward``;
- ``EXAMPLE_342_*``: the 3-4-2 network of seed 001 §3.2.2, with weights of our choosing (the
  text gives none);
- ``train_classifier``: full-batch Adam on the cross-entropy loss, the course's loop
  ``training.fit`` with one batch of all N examples per epoch.

Tested in ``tests/test_nets_mlp.py`` (against torch in float64, and the XOR truth table); the
exercises of chapter 02 use them as their references.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dlcourse._validate import public_name
from dlcourse.layers import activation_forward, dense_forward

# The 3-4-2 network of seed 001 §3.2.2, with weights of our choosing (the text gives none).
EXAMPLE_342_X = np.array([[1.0, 0.5, -1.0]])
EXAMPLE_342_W1 = np.array([[0.2, -0.3, 0.4, 0.1],
                           [0.5, 0.1, -0.2, 0.3],
                           [-0.1, 0.2, 0.3, -0.4]])   # row i: the weights leaving input node i
EXAMPLE_342_B1 = np.array([0.1, -0.1, 0.05, 0.0])     # biases of nodes 4, 5, 6, 7
EXAMPLE_342_W2 = np.array([[0.3, -0.2],
                           [-0.4, 0.5],
                           [0.2, 0.1],
                           [0.6, -0.3]])              # row j: the weights leaving node 4 + j
EXAMPLE_342_B2 = np.array([-0.2, 0.1])                # biases of nodes 8, 9


def xor_network() -> tuple[list[np.ndarray], list[np.ndarray]]:
    """A 2-2-1 network of step units that computes XOR, in row format (z = x W + b).

    Hidden unit 1 is OR (fires unless both inputs are 0), hidden unit 2 is NAND (fires unless
    both are 1), and the output unit is their AND: XOR = AND(OR, NAND) (chapter 01's gates).
    Returns ([W1 (2, 2), W2 (2, 1)], [b1 (2,), b2 (1,)]).
    """
    W1 = np.array([[1.0, -1.0],
                   [1.0, -1.0]])          # column 0: OR, column 1: NAND
    b1 = np.array([-0.5, 1.5])
    W2 = np.array([[1.0], [1.0]])         # AND of the two hidden units
    b2 = np.array([-1.5])
    return [W1, W2], [b1, b2]


def mlp_forward(X: np.ndarray, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
                activation: str = "sigmoid", output_activation: str = "linear") -> np.ndarray:
    """Forward pass of an MLP in row format (seed 002; seed 003 "Forward Propagation").

    X: (N, D); weights[l]: (n_l, n_{l+1}); biases[l]: (n_{l+1},). Every layer computes
    a = f(a_prev W + b) with f = ``activation`` for the hidden layers and f =
    ``output_activation`` for the last one. Returns the last layer's output, (N, n_L).
    """
    if len(weights) != len(biases) or not weights:
        raise ValueError(f"{public_name()}: give one bias vector per weight matrix (at least one "
                         f"layer); got {len(weights)} weights and {len(biases)} biases.")
    a = np.asarray(X, dtype=np.float64)
    for layer, (W, b) in enumerate(zip(weights, biases, strict=True)):
        z, _ = dense_forward(a, W, b)
        name = activation if layer < len(weights) - 1 else output_activation
        a, _ = activation_forward(z, name)
    return a


def train_classifier(model: Any, X: np.ndarray, y: np.ndarray, lr: float = 0.05,
                     epochs: int = 100, device: Any = "cpu") -> list[float]:
    """Full-batch training with Adam and the cross-entropy loss: the course's loop
    ``training.fit`` with one batch of all N examples per epoch.

    model: an nn.Module mapping (N, 2) inputs to (N, classes) scores, trained in place on
    ``device``; X: (N, 2); y: (N,) integer labels. Returns the loss of every epoch, measured
    before that epoch's step (length ``epochs``).
    """
    import torch

    from dlcourse.training import fit

    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = fit(model, X, y, optimizer=optimizer, epochs=epochs, batch_size=len(X),
                  device=device, progress=False)
    return history.train_loss
