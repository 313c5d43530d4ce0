"""Data-parallel training with torch.distributed (gloo, two real processes) against one
process on the whole batch, and the ring all-reduce simulation against the plain sum and
against dist.all_reduce."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse.distributed import (
    batch_indices,
    ring_all_reduce,
    train_data_parallel,
    train_single_process,
)


@pytest.mark.parametrize("P", [1, 2, 3, 4, 7])
@pytest.mark.parametrize("shape", [(1,), (10,), (3, 5), (2, 3, 4)])
def test_ring_all_reduce_gives_every_worker_the_sum(P, shape):
    rng = np.random.default_rng(P * 100 + len(shape))
    arrays = [rng.normal(size=shape) for _ in range(P)]
    copies = [a.copy() for a in arrays]
    reduced, sent = ring_all_reduce(arrays)
    assert len(reduced) == P
    for r in reduced:
        assert r.shape == shape
        np.testing.assert_allclose(r, np.sum(arrays, axis=0), rtol=1e-12, atol=1e-12)
    for a, c in zip(arrays, copies, strict=True):
        np.testing.assert_array_equal(a, c)
    assert sent.dtype == np.int64 and sent.shape == (P,)
    assert sent.sum() == 2 * (P - 1) * int(np.prod(shape))   # every chunk travels 2(P − 1) times


@pytest.mark.parametrize("P", [2, 4, 8])
def test_ring_all_reduce_sends_2_p_minus_1_over_p_of_the_data(P):
    reduced, sent = ring_all_reduce([np.full(8 * P, float(p)) for p in range(P)])
    np.testing.assert_array_equal(sent, np.full(P, 2 * (P - 1) * 8))
    np.testing.assert_array_equal(reduced[0], np.full(8 * P, P * (P - 1) / 2))


def test_ring_all_reduce_bad_input():
    with pytest.raises(TypeError, match="one array per worker"):
        ring_all_reduce(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="the same shape"):
        ring_all_reduce([np.zeros(3), np.zeros(4)])


def test_batch_indices_are_seeded_and_distinct_within_a_batch():
    a = batch_indices(50, 8, 4, seed=1)
    np.testing.assert_array_equal(a, batch_indices(50, 8, 4, seed=1))
    assert a.shape == (4, 8) and all(len(set(row)) == 8 for row in a)


@pytest.mark.slow
def test_two_processes_train_the_model_one_process_would():
    """One real run: 2 gloo workers, manual all-reduce and DistributedDataParallel."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 6))
    y = rng.integers(0, 3, size=120)
    ranks = train_data_parallel(X, y, world_size=2, steps=4, batch_size=16, lr=0.3, hidden=5,
                                seed=3, ddp=True, timeout=120)
    single = train_single_process(X, y, steps=4, batch_size=16, lr=0.3, hidden=5, seed=3,
                                  device="cpu")
    assert len(ranks) == 2
    names = list(single["state"])
    for r in ranks:
        for name in names:
            for key in ("manual_first_grads", "ddp_first_grads"):
                np.testing.assert_allclose(r[key][name], single["first_grads"][name],
                                           rtol=1e-10, atol=1e-13)
            for key in ("manual_state", "ddp_state"):
                np.testing.assert_allclose(r[key][name], single["state"][name], rtol=1e-10,
                                           atol=1e-13)
    # each rank's own gradient is the half-batch one: different from the whole batch's
    assert max(np.abs(ranks[0]["local_grads"][n] - single["first_grads"][n]).max()
               for n in names) > 1e-4
    # the average of the two ranks' local gradients is the whole batch's
    for n in names:
        np.testing.assert_allclose((ranks[0]["local_grads"][n] + ranks[1]["local_grads"][n]) / 2,
                                   single["first_grads"][n], rtol=1e-10, atol=1e-13)
    # dist.all_reduce equals the plain sum and the ring simulation
    total = ranks[0]["vector"] + ranks[1]["vector"]
    ring, _ = ring_all_reduce([r["vector"] for r in ranks])
    for p, r in enumerate(ranks):
        np.testing.assert_allclose(r["all_reduced_vector"], total, rtol=1e-12)
        np.testing.assert_allclose(ring[p], r["all_reduced_vector"], rtol=1e-12)
    # each rank's loss is on its own half of the batch; their mean is the single process's
    np.testing.assert_allclose((ranks[0]["manual_losses"] + ranks[1]["manual_losses"]) / 2,
                               single["losses"], rtol=1e-10)


def test_train_data_parallel_bad_input():
    X, y = np.zeros((10, 3)), np.zeros(10, dtype=int)
    with pytest.raises(ValueError, match="must be divisible by world_size"):
        train_data_parallel(X, y, batch_size=5, world_size=2)
    with pytest.raises(ValueError, match="larger than the data set"):
        train_data_parallel(X, y, batch_size=12, world_size=2)
    with pytest.raises(ValueError, match="one class label per row"):
        train_data_parallel(X, y[:5], batch_size=4)
