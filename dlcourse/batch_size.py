"""The batch size: updates per epoch, time per epoch, and time to reach a target loss
(seed 001 §3.5).

One epoch shows every training example once. With n examples and batches of B,

    updates per epoch = ⌈n / B⌉         (⌊n / B⌋ when the last, smaller batch is dropped)

(``updates_per_epoch``; PyTorch's ``len(DataLoader(..., batch_size=B, drop_last=...))``). A
larger batch gives fewer, better-averaged updates per epoch, and each example costs less time
because the hardware works on many at once; a smaller batch takes more, noisier steps per
epoch. Seed 001 §3.5.5: as B grows, an epoch gets faster, but more epochs are needed to reach
the same loss, so the time to reach it is smallest somewhere in between.

``sweep_batch_sizes`` measures exactly that for a small torch MLP on the digits: for each batch
size, the training time of every epoch (evaluation excluded), the training loss a few times per
epoch, and the epochs and seconds until the loss first reaches a target
(``epochs_to_target``). Timings depend on the machine (and on what else it is doing); the
update counts do not.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dlcourse._validate import as_array, positive_int, public_name, real_in_range

__all__ = ["BatchSizeRun", "epochs_to_target", "sweep_batch_sizes", "updates_per_epoch"]


def updates_per_epoch(n: int, batch_size: int, drop_last: bool = False) -> int:
    """Parameter updates in one pass over ``n`` examples in batches of ``batch_size``:
    ⌈n / B⌉, the last batch holding the n − B·⌊n/B⌋ left over; with ``drop_last`` that
    incomplete batch is skipped: ⌊n / B⌋. Equals ``len(torch.utils.data.DataLoader(range(n),
    batch_size=B, drop_last=drop_last))``."""
    n = positive_int(n, "n", minimum=0)
    batch_size = positive_int(batch_size, "batch_size")
    if not isinstance(drop_last, (bool, np.bool_)):
        raise TypeError(f"{public_name()}: drop_last must be True or False; got {drop_last!r}.")
    full, rest = divmod(n, batch_size)
    return full + (1 if rest and not drop_last else 0)


def epochs_to_target(losses: Any, epochs: Any, target: float) -> float:
    """The first moment, in epochs, at which the loss is at or below ``target``.

    losses, epochs: (k,) the loss measured at k moments and when (in epochs, fractions
    allowed), in increasing order of time. Returns ``epochs[i]`` for the first i with
    losses[i] ≤ target, or ``inf`` if the loss never gets there (NaN never counts).
    """
    losses = as_array(losses, "losses", ndim=1, layout="(k,)")
    epochs = as_array(epochs, "epochs", ndim=1, layout="(k,)")
    if losses.shape != epochs.shape:
        raise ValueError(f"{public_name()}: losses and epochs must have the same length; got "
                         f"{losses.size} and {epochs.size}.")
    target = real_in_range(target, "target")
    with np.errstate(invalid="ignore"):
        reached = np.flatnonzero(losses <= target)
    return float(epochs[reached[0]]) if reached.size else math.inf


@dataclass(frozen=True)
class BatchSizeRun:
    """One training run of ``sweep_batch_sizes``."""

    batch_size: int
    updates_per_epoch: int
    epoch_seconds: np.ndarray   # (epochs run,) training time of each epoch, evaluation excluded
    epochs: np.ndarray          # (k,) when the loss was measured, in epochs
    seconds: np.ndarray         # (k,) the training time spent by then
    losses: np.ndarray          # (k,) the loss on the whole training set then
    target: float

    @property
    def epochs_to_target(self) -> float:
        return epochs_to_target(self.losses, self.epochs, self.target)

    @property
    def seconds_to_target(self) -> float:
        """Training seconds until the loss first reached the target (inf if never)."""
        return epochs_to_target(self.losses, self.seconds, self.target)

    @property
    def seconds_per_epoch(self) -> float:
        """The median training time of an epoch."""
        return float(np.median(self.epoch_seconds))


def sweep_batch_sizes(X: Any, y: Any, batch_sizes: Sequence[int], *, target: float = 0.5,
                      lr: float = 0.1, hidden: int = 64, max_epochs: int = 400,
                      checks_per_epoch: int = 4, seed: int = 0, device: Any = None,
                      ) -> list[BatchSizeRun]:
    """Train the same MLP (64 → ``hidden`` → 10, ReLU, the same initial weights for every
    batch size: ``torch.manual_seed(seed)``) with plain SGD at the same learning rate ``lr``
    for each batch size, until the cross-entropy on the whole training set (X, y) reaches
    ``target`` or ``max_epochs`` have passed. The order of the examples is a fresh
    permutation every epoch (a generator seeded with ``seed``); the last batch of an epoch
    may be smaller. The loss is measured ``checks_per_epoch`` times per epoch (every
    ⌈updates/checks⌉ updates and at the end of the epoch); the clock stops while measuring.
    One untimed warm-up step comes first, so that the first run does not pay for torch's
    start-up. ``device``: where to train (default ``dlcourse.device.get_device()``); on a
    CUDA device the clock waits for the GPU before it is read.
    """
    import torch
    from torch import nn

    from dlcourse.device import get_device
    from dlcourse.training import as_tensor

    device = get_device(device) if device is None or isinstance(device, str) else device
    Xt, yt = as_tensor(X, device, torch.float32), as_tensor(y, device, torch.int64)
    n = len(Xt)
    if n != len(yt) or n == 0:
        raise ValueError(f"{public_name()}: X and y must have the same, non-zero number of rows.")
    sizes = [positive_int(b, "every batch size") for b in batch_sizes]
    target = real_in_range(target, "target", low=0.0, low_open=True)
    max_epochs = positive_int(max_epochs, "max_epochs")
    checks = positive_int(checks_per_epoch, "checks_per_epoch")

    def sync() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    def new_model() -> tuple[nn.Module, torch.optim.Optimizer]:
        torch.manual_seed(seed)
        model = nn.Sequential(nn.Linear(Xt.shape[1], hidden), nn.ReLU(),
                              nn.Linear(hidden, int(yt.max()) + 1)).to(device)
        return model, torch.optim.SGD(model.parameters(), lr=lr)

    model, opt = new_model()                      # warm-up, untimed
    nn.functional.cross_entropy(model(Xt[:8]), yt[:8]).backward()
    opt.step()

    runs = []
    for B in sizes:
        model, opt = new_model()
        generator = torch.Generator().manual_seed(seed)
        per_epoch = updates_per_epoch(n, B)
        every = math.ceil(per_epoch / checks)
        epoch_seconds, at_epochs, at_seconds, losses = [], [], [], []
        trained = 0.0
        with torch.no_grad():
            losses.append(float(nn.functional.cross_entropy(model(Xt), yt)))
        at_epochs.append(0.0)
        at_seconds.append(0.0)
        for epoch in range(max_epochs):
            order = torch.randperm(n, generator=generator).to(device)
            this_epoch = 0.0
            sync()
            start = time.perf_counter()
            for u in range(per_epoch):
                idx = order[u * B:(u + 1) * B]
                loss = nn.functional.cross_entropy(model(Xt[idx]), yt[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                if (u + 1) % every == 0 or u + 1 == per_epoch:
                    sync()
                    spent = time.perf_counter() - start
                    this_epoch += spent
                    trained += spent
                    with torch.no_grad():
                        losses.append(float(nn.functional.cross_entropy(model(Xt), yt)))
                    at_epochs.append(epoch + (u + 1) / per_epoch)
                    at_seconds.append(trained)
                    start = time.perf_counter()
            epoch_seconds.append(this_epoch)
            if min(losses) <= target:
                break
        runs.append(BatchSizeRun(B, per_epoch, np.array(epoch_seconds), np.array(at_epochs),
                                 np.array(at_seconds), np.array(losses), target))
    return runs
