"""Deep ReLU networks that record how a hidden layer's inputs drift during training.

Internal covariate shift (seed 001 §3.14; Ioffe and Szegedy, 2015) is the change, during
training, of the distribution of the inputs that a layer receives. ``ShiftMLP`` is a plain
multilayer perceptron with ``depth`` hidden layers of ``width`` ReLU units, in three versions:

- ``norm="none"``: Linear → ReLU;
- ``norm="batch"``: Linear (no bias) → batch norm → ReLU. The batch norm always normalizes with
  the statistics of the batch it is given (``track_running_stats=False``), so a probe batch is
  normalized with its own statistics;
- ``norm="noisy"``: Linear (no bias) → batch norm → *noise* → ReLU, where the noise multiplies
  each unit by a random scale in [1, ``noise_scale``] and adds a random shift in
  [−``noise_shift``, ``noise_shift``], both drawn afresh at every training step
  (``resample_noise``). This is the experiment of Santurkar, Tsipras, Ilyas and Madry, "How
  does batch normalization help optimization?" (NeurIPS 2018): it puts back, on purpose, a
  covariate shift far larger than the plain network's, after the batch norm.

The inputs of each ReLU (the "pre-activations") of the last forward pass are kept in
``inputs``. ``train_recording_shift`` trains one network with mini-batch SGD and records, every
``record_every`` steps, the pre-activations of one hidden layer on a fixed probe set, and the
training loss; ``dlcourse.covariate_shift.distribution_drift`` measures the drift.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from dlcourse._validate import one_of, positive_int, public_name, real_in_range

NORMS = ("none", "batch", "noisy")
STEPS = 300
RECORD_EVERY = 10


class ShiftMLP(nn.Module):
    """``depth`` hidden layers of ``width`` ReLU units with no normalization, batch norm, or
    batch norm followed by a random shift and scale ("noisy"); x: (N, n_in) → (N, n_classes)."""

    def __init__(self, norm: str = "none", depth: int = 3, width: int = 100, n_in: int = 64,
                 n_classes: int = 10, noise_shift: float = 2.0, noise_scale: float = 3.0):
        super().__init__()
        self.norm = one_of(norm, NORMS, "norm")
        depth = positive_int(depth, "depth")
        width = positive_int(width, "width")
        self.noise_shift = real_in_range(noise_shift, "noise_shift", low=0.0)
        self.noise_scale = real_in_range(noise_scale, "noise_scale", low=1.0)
        sizes = [positive_int(n_in, "n_in")] + [width] * depth
        self.linears = nn.ModuleList(nn.Linear(a, b, bias=self.norm == "none")
                                     for a, b in itertools.pairwise(sizes))
        self.norms = nn.ModuleList(nn.BatchNorm1d(width, track_running_stats=False)
                                   for _ in range(depth)) if self.norm != "none" else None
        self.out = nn.Linear(width, positive_int(n_classes, "n_classes"))
        self.register_buffer("shift", torch.zeros(depth, width))
        self.register_buffer("scale", torch.ones(depth, width))
        self.inputs: list[torch.Tensor] = []

    def resample_noise(self, generator: torch.Generator) -> None:
        """Draw a new shift U(−noise_shift, noise_shift) and scale U(1, noise_scale) for every
        unit (on the CPU, from ``generator``); only the "noisy" network uses them."""
        shape = tuple(self.shift.shape)
        shift = (torch.rand(shape, generator=generator) * 2 - 1) * self.noise_shift
        scale = 1 + torch.rand(shape, generator=generator) * (self.noise_scale - 1)
        self.shift.copy_(shift)
        self.scale.copy_(scale)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.inputs = []
        h = x
        for k, linear in enumerate(self.linears):
            z = linear(h)
            if self.norms is not None:
                z = self.norms[k](z)
            if self.norm == "noisy":
                z = z * self.scale[k] + self.shift[k]
            self.inputs.append(z)
            h = torch.relu(z)
        return self.out(h)


@dataclass(frozen=True)
class ShiftRecording:
    """One training run's record, at K moments (step 0 = before training)."""

    norm: str
    steps: np.ndarray     # (K,)
    loss: np.ndarray      # (K,) cross-entropy on the whole training set at each moment
    z: np.ndarray         # (K, N, D) float64: the probed layer's pre-activations on the probe set


def train_recording_shift(X_train: np.ndarray, y_train: np.ndarray, X_probe: np.ndarray, *,
                          norm: str = "none", steps: int = STEPS, lr: float = 0.1,
                          batch_size: int = 64, record_every: int = RECORD_EVERY,
                          layer: int = -1, depth: int = 3, width: int = 100, seed: int = 0,
                          device: torch.device | str | None = None) -> ShiftRecording:
    """Train a ``ShiftMLP(norm)`` with plain mini-batch SGD (batches drawn with replacement
    from a generator seeded with ``seed``; weights from ``torch.manual_seed(seed)``) and record,
    before training and every ``record_every`` steps, the inputs of hidden layer ``layer``'s
    ReLUs on ``X_probe`` and the loss on the whole training set. The "noisy" network draws its
    noise before every step; the probe sees the noise of the last step. ``device``: where to
    train (default ``dlcourse.device.get_device()``)."""
    from dlcourse.device import get_device
    from dlcourse.training import as_tensor

    steps = positive_int(steps, "steps")
    record_every = positive_int(record_every, "record_every")
    batch_size = positive_int(batch_size, "batch_size")
    lr = real_in_range(lr, "lr", low=0.0, low_open=True)
    device = get_device(device) if device is None or isinstance(device, str) else device
    X, probe = as_tensor(X_train, device, torch.float32), as_tensor(X_probe, device,
                                                                     torch.float32)
    y = as_tensor(y_train, device, torch.int64)
    if len(X) != len(y):
        raise ValueError(f"{public_name()}: X_train has {len(X)} rows but y_train has {len(y)}.")
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = ShiftMLP(norm, depth=depth, width=width, n_in=X.shape[1],
                     n_classes=int(y.max()) + 1).to(device)
    if not -depth <= layer < depth:
        raise ValueError(f"{public_name()}: layer must index one of the {depth} hidden layers; got "
                         f"{layer}.")
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    recorded: dict[str, list] = {"steps": [], "loss": [], "z": []}

    def record(step: int) -> None:
        with torch.no_grad():
            model(probe)
            recorded["z"].append(model.inputs[layer].cpu().numpy().astype(np.float64))
            recorded["loss"].append(float(nn.functional.cross_entropy(model(X), y)))
        recorded["steps"].append(step)

    if model.norm == "noisy":
        model.resample_noise(generator)
    record(0)
    for step in range(1, steps + 1):
        idx = torch.randint(0, len(X), (batch_size,), generator=generator).to(device)
        if model.norm == "noisy":
            model.resample_noise(generator)
        loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % record_every == 0 or step == steps:
            record(step)
    return ShiftRecording(model.norm, np.array(recorded["steps"]), np.array(recorded["loss"]),
                          np.stack(recorded["z"]))
