"""Picking the torch device and seeding."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from dlcourse.device import DeviceUnavailableError, available_devices, get_device, seed_everything


def test_default_is_the_best_available(monkeypatch):
    monkeypatch.delenv("DLCOURSE_DEVICE", raising=False)
    assert get_device().type == available_devices()[0]
    assert available_devices()[-1] == "cpu"


def test_environment_variable_overrides(monkeypatch):
    monkeypatch.setenv("DLCOURSE_DEVICE", "cpu")
    assert get_device() == torch.device("cpu")
    monkeypatch.setenv("DLCOURSE_DEVICE", "tpu")
    with pytest.raises(ValueError, match=r"\$DLCOURSE_DEVICE asks for device 'tpu'"):
        get_device()


def test_argument_beats_the_variable(monkeypatch):
    monkeypatch.setenv("DLCOURSE_DEVICE", "tpu")
    assert get_device("cpu") == torch.device("cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU")
def test_missing_cuda_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("DLCOURSE_DEVICE", "cuda")
    with pytest.raises(DeviceUnavailableError, match="no CUDA GPU.*set it to 'cpu'"):
        get_device()


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_when_present():
    assert get_device("cuda").type == "cuda"
    with pytest.raises(DeviceUnavailableError, match="only"):
        get_device(f"cuda:{torch.cuda.device_count()}")


def test_missing_mps_is_a_clear_error(monkeypatch):
    if torch.backends.mps.is_available():
        pytest.skip("this machine has MPS")
    with pytest.raises(DeviceUnavailableError, match="MPS"):
        get_device("mps")


def test_bad_names():
    for name in ["gpu", "cuda:x", "cpu:1", ""]:
        with pytest.raises(ValueError):
            get_device(name or "  ")


def test_seed_everything_makes_every_generator_repeat():
    def draw():
        return random.random(), np.random.rand(), torch.rand(1).item()

    rng1 = seed_everything(7)
    first = draw(), rng1.normal()
    rng2 = seed_everything(7)
    second = draw(), rng2.normal()
    assert first == second
    with pytest.raises(ValueError, match="non-negative int"):
        seed_everything(-1)
