"""Saving and loading a model's state dict (chapter 16)."""

from __future__ import annotations

import pytest
import torch

from dlcourse.checkpoint import load_weights, save_weights


def _net(seed):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.BatchNorm1d(6), torch.nn.ReLU(),
                               torch.nn.Linear(6, 2))


def test_round_trip_restores_parameters_and_buffers(tmp_path):
    model = _net(0)
    model.train()
    model(torch.randn(16, 4) * 3 + 1)          # running statistics move away from 0 and 1
    model.eval()
    x = torch.randn(5, 4)
    path = tmp_path / "w.pt"
    save_weights(model, path)
    fresh = _net(1).eval()
    assert not torch.equal(fresh(x), model(x))
    assert load_weights(fresh, path) is fresh
    assert torch.equal(fresh(x), model(x))
    for (k1, v1), (k2, v2) in zip(model.state_dict().items(), fresh.state_dict().items(),
                                  strict=True):
        assert k1 == k2 and torch.equal(v1, v2)
    assert set(torch.load(path, weights_only=True)) == set(model.state_dict())


def test_load_maps_to_the_requested_device(tmp_path):
    path = tmp_path / "w.pt"
    save_weights(_net(0), path)
    model = load_weights(_net(2), path, device="cpu")
    assert all(p.device.type == "cpu" for p in model.parameters())


def test_bad_input(tmp_path):
    with pytest.raises(TypeError, match="must be a torch.nn.Module"):
        save_weights({"w": torch.zeros(1)}, tmp_path / "x.pt")
    with pytest.raises(FileNotFoundError, match="save the weights first"):
        load_weights(_net(0), tmp_path / "missing.pt")
    path = tmp_path / "w.pt"
    save_weights(_net(0), path)
    with pytest.raises(RuntimeError, match="Missing key|Unexpected key|size mismatch"):
        load_weights(torch.nn.Linear(4, 2), path)
