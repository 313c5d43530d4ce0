"""A multilayer perceptron in PyTorch: ``nn.Linear`` layers with an activation between them.

``MLP([2, 16, 16, 2], "tanh")`` is Linear(2→16), tanh, Linear(16→16), tanh, Linear(16→2): the
activation follows every layer but the last, whose outputs are the scores (logits) that
``F.cross_entropy`` expects (seed 002 "Multi-layer Perceptron"; seed 003 forward propagation).

Weights move between this model and the NumPy code of the course in the **row format** of
``dlcourse.layers`` (seed 002): W of shape (inputs, outputs) with z = x W + b. ``nn.Linear``
stores the transpose, (outputs, inputs), and computes x Wᵀ + b; ``load_numpy`` and
``numpy_weights`` do the transposing, so the same weights give the same outputs in both worlds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from dlcourse._validate import one_of, positive_int, public_name

ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "leaky_relu": nn.LeakyReLU,
    "softplus": nn.Softplus,
    "softsign": nn.Softsign,
    "linear": nn.Identity,
}
"""Activation modules by the names ``dlcourse.activations.ACTIVATIONS`` uses."""


class MLP(nn.Module):
    """A fully connected network: ``sizes = [D, H1, ..., M]``, ``activation`` after each hidden
    layer, none after the output layer.

    Input x: (N, D); output: (N, M) scores. ``self.layers`` is the ``nn.Sequential`` of the
    whole network and ``self.linears`` its ``nn.Linear`` layers in order. Initial weights are
    torch's defaults: seed with ``torch.manual_seed`` (or ``dlcourse.device.seed_everything``)
    before building the model for a repeatable start.
    """

    def __init__(self, sizes: Sequence[int], activation: str = "relu") -> None:
        super().__init__()
        sizes_list = [] if isinstance(sizes, (str, bytes, int)) else list(sizes)
        if len(sizes_list) < 2:
            raise ValueError(f"{public_name()}: sizes must list at least two layer sizes, [inputs, "
                             f"..., outputs], e.g. [2, 8, 2]; got {sizes!r}.")
        self.sizes = [positive_int(s, "every layer size") for s in sizes_list]
        self.activation = one_of(activation, ACTIVATIONS, "activation")
        modules: list[nn.Module] = []
        for k, (fan_in, fan_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:], strict=True)):
            modules.append(nn.Linear(fan_in, fan_out))
            if k < len(self.sizes) - 2:
                modules.append(ACTIVATIONS[self.activation]())
        self.layers = nn.Sequential(*modules)

    @property
    def linears(self) -> list[nn.Linear]:
        """The ``nn.Linear`` layers, input side first."""
        return [m for m in self.layers if isinstance(m, nn.Linear)]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Scores (N, M) for inputs x: (N, D)."""
        return self.layers(x)

    def extra_repr(self) -> str:
        return f"sizes={self.sizes}, activation={self.activation!r}"

    def load_numpy(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> MLP:
        """Copy NumPy weights in row format into the model (in place; returns the model).

        weights[l]: (inputs, outputs) of layer l, biases[l]: (outputs,), as in
        ``dlcourse.layers`` (z = x W + b). Each nn.Linear gets weight = Wᵀ and bias = b, in the
        dtype and on the device the model has now (call ``.double()`` first for float64).
        """
        linears = self.linears
        if len(weights) != len(linears) or len(biases) != len(linears):
            raise ValueError(f"{public_name()}: this model has {len(linears)} layers; got "
                             f"{len(weights)} weight matrices and {len(biases)} bias vectors.")
        with torch.no_grad():
            for k, (layer, W, b) in enumerate(zip(linears, weights, biases, strict=True)):
                W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
                shape = (layer.in_features, layer.out_features)
                if W.shape != shape:
                    hint = (" It looks transposed: pass W in row format, (inputs, outputs)."
                            if W.shape == shape[::-1] else "")
                    raise ValueError(f"{public_name()}: weights[{k}] must have shape (inputs, "
                                     f"outputs) = {shape}; got {W.shape}.{hint}")
                if b.shape != (layer.out_features,):
                    raise ValueError(f"{public_name()}: biases[{k}] must have shape "
                                     f"({layer.out_features},); got {b.shape}.")
                layer.weight.copy_(torch.from_numpy(W.T.copy()))
                layer.bias.copy_(torch.from_numpy(b))
        return self

    def numpy_weights(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(weights, biases) as float64 NumPy arrays in row format (the inverse of
        ``load_numpy``): weights[l] = linear.weight.T, biases[l] = linear.bias."""
        weights = [layer.weight.detach().cpu().double().numpy().T.copy()
                   for layer in self.linears]
        biases = [layer.bias.detach().cpu().double().numpy().copy() for layer in self.linears]
        return weights, biases
