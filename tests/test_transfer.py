"""Freezing and replacing a network's head (chapter 15), checked with torch's autograd and
optimizers: frozen parameters get no gradient and never move, new layers are fresh."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dlcourse.transfer import (
    WAYS,
    count_parameters,
    few_labels,
    freeze_and_replace_head,
    train_full_batch,
)


def _net(seed: int = 0) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 5), nn.ReLU(),
                         nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3))


def _snapshot(model):
    return {name: p.detach().clone() for name, p in model.named_parameters()}


@pytest.mark.parametrize("way", list(WAYS))
def test_each_way_trains_exactly_its_layers(way):
    n_new, fine_tune = WAYS[way]
    model = _net()
    before = _snapshot(model)
    params = freeze_and_replace_head(model, 7, n_new, fine_tune)
    assert model[-1].weight.shape == (7, 4) and model[-1].bias.shape == (7,)
    new = {"6"} | ({"4"} if n_new == 2 else set())
    for name, p in model.named_parameters():
        layer = name.split(".")[0]
        assert p.requires_grad == (fine_tune or layer in new), name
        if layer not in new:
            assert torch.equal(p, before[name]), f"{name} must keep its pre-trained value"
        elif p.shape == before[name].shape:
            assert not torch.equal(p, before[name]), f"{name} must be re-initialised"
    assert [id(p) for p in params] == [id(p) for p in model.parameters() if p.requires_grad]

    # torch agrees: frozen parameters get no gradient, and an optimizer step moves only the
    # trainable ones
    x, y = torch.randn(10, 6), torch.randint(0, 7, (10,))
    F.cross_entropy(model(x), y).backward()
    start = _snapshot(model)
    torch.optim.Adam(params, lr=0.1).step()
    for name, p in model.named_parameters():
        assert (p.grad is not None) == p.requires_grad, name
        assert torch.equal(p, start[name]) != p.requires_grad, name


def test_new_output_layer_uses_torchs_default_initialisation():
    model = _net()
    freeze_and_replace_head(model, 50)
    bound = 1 / np.sqrt(4)
    w = model[-1].weight.detach()
    assert float(w.abs().max()) <= bound and float(w.std()) > bound / 4


def test_all_layers_new_is_training_from_scratch():
    model = _net()
    params = freeze_and_replace_head(model, 3, n_new=4)
    assert count_parameters(params) == sum(p.numel() for p in _net().parameters())


def test_device_and_dtype_follow_the_model():
    model = _net().double()
    freeze_and_replace_head(model, 2)
    assert model[-1].weight.dtype == torch.float64
    assert model(torch.zeros(1, 6, dtype=torch.float64)).shape == (1, 2)


def test_few_labels():
    labels = np.repeat(np.arange(5), 20)[np.random.default_rng(0).permutation(100)]
    idx = few_labels(labels, 3, seed=4)
    assert len(idx) == len(set(idx)) == 15
    assert np.bincount(labels[idx]).tolist() == [3] * 5
    np.testing.assert_array_equal(idx, few_labels(labels, 3, seed=4))
    assert not np.array_equal(idx, few_labels(labels, 3, seed=5))
    with pytest.raises(ValueError, match="only 20 examples"):
        few_labels(labels, 21)


def test_bad_input():
    with pytest.raises(TypeError, match="nn.Sequential"):
        freeze_and_replace_head(nn.Linear(3, 2), 2)
    with pytest.raises(ValueError, match="only 4 linear layers"):
        freeze_and_replace_head(_net(), 2, n_new=5)
    with pytest.raises(ValueError, match="no nn.Linear"):
        freeze_and_replace_head(nn.Sequential(nn.ReLU()), 2)


def test_train_full_batch_moves_only_the_trainable_parameters_and_learns():
    model = _net(3)
    params = freeze_and_replace_head(model, 2, n_new=3)  # the first layer stays frozen
    frozen = {n: p.detach().clone() for n, p in model.named_parameters() if not p.requires_grad}
    assert set(frozen) == {"0.weight", "0.bias"}
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6))
    y = (X[:, 0] > 0).astype(np.int64)

    def loss():
        with torch.no_grad():
            return float(F.cross_entropy(model(torch.as_tensor(X, dtype=torch.float32)),
                                         torch.as_tensor(y)))

    before = loss()
    train_full_batch(model, params, X, y, steps=200, lr=0.05)
    assert loss() < 0.5 * before
    for n, p in model.named_parameters():
        if n in frozen:
            assert torch.equal(p, frozen[n])


def test_train_full_batch_equals_a_hand_written_adam_loop():
    X = np.random.default_rng(1).normal(size=(10, 6))
    y = np.arange(10) % 3
    a, b = _net(4), _net(4)
    train_full_batch(a, list(a.parameters()), X, y, steps=5, lr=0.01)
    opt = torch.optim.Adam(b.parameters(), lr=0.01)
    xt, yt = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y)
    for _ in range(5):
        opt.zero_grad()
        F.cross_entropy(b(xt), yt).backward()
        opt.step()
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(p, q)
