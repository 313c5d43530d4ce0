"""dlcourse.batch_size: update counts against torch's DataLoader, the target-reaching moment,
and the batch-size sweep."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from torch.utils.data import DataLoader

from dlcourse.batch_size import epochs_to_target, sweep_batch_sizes, updates_per_epoch
from dlcourse.data import load_digits_split


def test_updates_per_epoch_equals_the_dataloader():
    for n, b, drop in itertools.product([0, 1, 7, 64, 100, 1169], [1, 3, 10, 64, 2000],
                                        [False, True]):
        assert updates_per_epoch(n, b, drop) == len(DataLoader(range(n), batch_size=b,
                                                               drop_last=drop)), (n, b, drop)
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        updates_per_epoch(10, 0)
    with pytest.raises(TypeError, match="drop_last must be True or False"):
        updates_per_epoch(10, 3, 1)


def test_epochs_to_target():
    losses, t = np.array([2.0, 1.0, 0.5, 0.7, 0.4]), np.array([0, 0.5, 1, 1.5, 2.0])
    assert epochs_to_target(losses, t, 0.5) == 1.0
    assert epochs_to_target(losses, t, 0.45) == 2.0
    assert epochs_to_target(losses, t, 0.1) == math.inf
    assert epochs_to_target([np.nan, 0.1], [0, 1], 0.5) == 1.0
    with pytest.raises(ValueError, match="same length"):
        epochs_to_target([1.0, 2.0], [0.0], 1.0)


def test_sweep():
    d = load_digits_split()
    runs = sweep_batch_sizes(d.X_train[:300], d.y_train[:300], [8, 300], target=1.0,
                             max_epochs=150, seed=1, device="cpu")
    small, full = runs
    assert (small.updates_per_epoch, full.updates_per_epoch) == (38, 1)
    for run in runs:
        assert run.losses[0] > 2.0 and run.losses.min() <= 1.0            # reached the target
        assert run.epochs[0] == 0 and np.all(np.diff(run.epochs) > 0)
        assert np.all(np.diff(run.seconds) >= 0) and np.all(run.epoch_seconds > 0)
        assert run.seconds_to_target <= run.seconds[-1]
        assert len(run.epoch_seconds) == math.ceil(run.epochs[-1])
    assert full.epochs_to_target > 5 * small.epochs_to_target          # fewer updates per epoch
    gaps = np.diff(small.epochs)                  # 4 checks an epoch: after 10, 20, 30, 38
    assert np.all((gaps > 0.2) & (gaps < 0.27))
    again = sweep_batch_sizes(d.X_train[:300], d.y_train[:300], [8], target=1.0,
                              max_epochs=150, seed=1, device="cpu")[0]
    np.testing.assert_array_equal(again.losses, small.losses)
