"""Choosing where torch code runs, and seeding every random generator at once.

``get_device()`` picks CUDA, then Apple's MPS, then the CPU. The environment variable
``DLCOURSE_DEVICE`` (``cpu``, ``cuda``, ``cuda:1`` or ``mps``) overrides the choice, so the same
notebook runs on a laptop and on a GPU machine without edits::

    DLCOURSE_DEVICE=cuda jupyter lab notebooks/
"""

from __future__ import annotations

import os
import random
from typing import TYPE_CHECKING

import numpy as np

from dlcourse._validate import public_name

if TYPE_CHECKING:
    import torch

ENV_VAR = "DLCOURSE_DEVICE"
_KINDS = ("cpu", "cuda", "mps")


class DeviceUnavailableError(RuntimeError):
    """Raised when a device is asked for that this machine does not have."""


def _mps_available(torch_module) -> bool:
    backend = getattr(torch_module.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def available_devices() -> list[str]:
    """The device kinds torch can use here, best first, e.g. ``['cuda', 'cpu']``."""
    import torch

    found = []
    if torch.cuda.is_available():
        found.append("cuda")
    if _mps_available(torch):
        found.append("mps")
    found.append("cpu")
    return found


def get_device(name: str | None = None) -> torch.device:
    """Return the ``torch.device`` the course's torch code should use.

    Order of precedence: the ``name`` argument, then ``$DLCOURSE_DEVICE``, then the best
    available of CUDA, MPS and CPU.

    Raises:
        ValueError: ``name`` (or the variable) is not ``cpu``, ``cuda[:i]`` or ``mps``.
        DeviceUnavailableError: the requested device does not exist on this machine.
    """
    import torch

    source = "argument"
    if name is None:
        name = os.environ.get(ENV_VAR, "").strip() or None
        source = f"${ENV_VAR}"
    if name is None:
        return torch.device(available_devices()[0])

    text = str(name).strip().lower()
    kind, _, index = text.partition(":")
    if kind not in _KINDS or (index and (kind != "cuda" or not index.isdigit())):
        raise ValueError(
            f"{public_name()}: {source} asks for device {name!r}; use 'cpu', 'cuda', "
            "'cuda:N' or 'mps'."
        )
    if kind == "cuda":
        if not torch.cuda.is_available():
            raise DeviceUnavailableError(
                f"{public_name()}: {source} asks for CUDA, but torch sees no CUDA GPU here "
                f"(torch {torch.__version__}, CUDA build: {torch.version.cuda or 'no'}). "
                f"Unset {ENV_VAR} or set it to 'cpu', or install a CUDA build of torch."
            )
        if index and int(index) >= torch.cuda.device_count():
            raise DeviceUnavailableError(
                f"{public_name()}: {source} asks for {text}, but only "
                f"{torch.cuda.device_count()} CUDA device(s) exist (numbered from 0)."
            )
    if kind == "mps" and not _mps_available(torch):
        raise DeviceUnavailableError(
            f"{public_name()}: {source} asks for Apple MPS, which is not available here "
            f"(it needs Apple silicon and macOS 12.3+). Unset {ENV_VAR} or set it to 'cpu'."
        )
    return torch.device(text)


def seed_everything(seed: int) -> np.random.Generator:
    """Seed Python's ``random``, NumPy's global generator and torch (CPU and all GPUs).

    Returns a fresh ``np.random.Generator`` seeded with ``seed``, the generator the course
    prefers for new code. torch is seeded only if it is installed; it is imported here, so
    call this from torch code, not at import time of NumPy-only modules.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"{public_name()}: seed must be a non-negative int; got {seed!r}.")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    try:
        import torch
    except ImportError:  # the NumPy chapters work without torch
        pass
    else:
        torch.manual_seed(seed)
    return np.random.default_rng(seed)
