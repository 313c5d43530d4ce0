"""Saving a trained model's weights to a file and loading them back (seed 002, "Save Weights
Only" / "Save Weights + Architecture").

PyTorch's way is the **state dict**: an ordered mapping from names (``"0.weight"``,
``"1.running_mean"``) to tensors. It holds the parameters *and* the buffers, such as batch
norm's running mean and variance, which are not parameters but change what the model computes
in eval mode. Saving only ``model.parameters()`` loses them.

To load, build the same architecture in code and copy the saved tensors into it
(``load_state_dict``): the file holds numbers, not code. ``torch.load(..., weights_only=True)``
(the default since torch 2.6) refuses to run code from a file, so a state dict is also the safe
format to share. ``map_location`` moves the tensors to the device you want, so a model saved
on a GPU loads on a laptop.
"""

from __future__ import annotations

import os
from typing import Any

import torch

from dlcourse._validate import public_name


def save_weights(model: torch.nn.Module, path: str | os.PathLike) -> None:
    """Write ``model.state_dict()`` (parameters and buffers) to ``path`` with ``torch.save``."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"{public_name()}: model must be a torch.nn.Module; got "
                        f"{type(model).__name__}.")
    torch.save(model.state_dict(), path)


def load_weights(model: torch.nn.Module, path: str | os.PathLike,
                 device: torch.device | str | None = None) -> torch.nn.Module:
    """Copy the weights saved by ``save_weights`` into ``model`` (same architecture) and
    return it.

    The tensors are loaded onto ``device`` (default: the device of the model's first parameter
    or buffer, else the CPU) with ``weights_only=True``. Names and shapes must match exactly
    (``strict=True``): a mismatch raises an error that lists the missing and unexpected keys.
    """
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"{public_name()}: model must be a torch.nn.Module; got "
                        f"{type(model).__name__}.")
    if not os.path.exists(path):
        raise FileNotFoundError(f"{public_name()}: no file at {os.fspath(path)!r}; save the "
                                "weights first with save_weights(model, path).")
    if device is None:
        first: Any = next(iter(model.state_dict().values()), None)
        device = first.device if first is not None else "cpu"
    state = torch.load(path, map_location=device, weights_only=True)
    model.load_state_dict(state)
    return model
