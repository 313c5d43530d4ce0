"""The environment report says which torch build is installed and warns about a useless CUDA
build; the install files it points to exist and say what the README says."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from dlcourse import env

ROOT = Path(__file__).resolve().parent.parent
GB = 2**30


def fake_torch(cuda=None, hip=None, available=False, mps_built=False, raises=False):
    def is_available():
        if raises:
            raise RuntimeError("driver too old")
        return available

    return SimpleNamespace(
        version=SimpleNamespace(cuda=cuda, hip=hip),
        cuda=SimpleNamespace(is_available=is_available),
        backends=SimpleNamespace(mps=SimpleNamespace(is_built=lambda: mps_built)),
    )


@pytest.mark.parametrize(("module", "gpu_bytes", "words"), [
    (fake_torch(), 0, "CPU-only build"),
    (fake_torch(mps_built=True), 0, "CPU-only build, with Apple's MPS"),
    (fake_torch(cuda="13.0"), int(3.4 * GB), "CUDA 13.0 build (3.4 GB of NVIDIA libraries)"),
    (fake_torch(cuda="12.8"), 0, "CUDA 12.8 build"),
    (fake_torch(hip="6.4"), 0, "ROCm 6.4 build"),
])
def test_torch_build_names_the_build(module, gpu_bytes, words):
    assert env.torch_build(module, gpu_bytes) == words


@pytest.mark.parametrize("module", [fake_torch(), fake_torch(mps_built=True),
                                    fake_torch(cuda="13.0", available=True)])
def test_no_warning_when_the_build_fits_the_machine(module):
    assert env.torch_build_problems(module, 0) == []


@pytest.mark.parametrize("module", [fake_torch(cuda="13.0"), fake_torch(cuda="13.0", raises=True),
                                    fake_torch(hip="6.4")])
def test_a_gpu_build_without_a_gpu_is_named_with_the_fix(module):
    (problem,) = env.torch_build_problems(module, int(3.4 * GB))
    assert "finds no GPU it can use" in problem
    assert "3.4 GB" in problem or module.version.hip
    assert "requirements-cpu.txt" in problem


def test_report_on_this_machine_names_the_build(capsys, monkeypatch):
    monkeypatch.setenv("DLCOURSE_DEVICE", "cpu")
    env.report()
    out = capsys.readouterr().out
    build = env.torch_build(torch, 0 if torch.version.cuda is None else None)
    assert f"torch {torch.__version__} is the {build}" in out


def test_report_warns_about_a_cuda_build_on_a_machine_without_a_gpu(capsys, monkeypatch):
    """The real torch, patched to look like PyPI's Linux wheel on a laptop without a GPU."""
    monkeypatch.setattr(torch.version, "cuda", "13.0")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(env, "gpu_library_bytes", lambda: int(3.4 * GB))
    monkeypatch.setenv("DLCOURSE_DEVICE", "cpu")
    env.report()
    out = capsys.readouterr().out
    assert "is the CUDA 13.0 build (3.4 GB of NVIDIA libraries)" in out
    assert re.search(r"^⚠ torch is the CUDA 13.0 build, but it finds no GPU", out, re.MULTILINE)
    assert "pip install -r requirements-cpu.txt" in out
    assert "runs on: cpu" in out


def test_gpu_library_bytes_counts_only_gpu_distributions(monkeypatch):
    def dist(name, *sizes):
        return SimpleNamespace(metadata={"Name": name},
                               files=[SimpleNamespace(size=s) for s in sizes])

    found = [dist("nvidia-cublas", 400, 4), dist("nvidia_cudnn_cu13", 300), dist("triton", 20),
             dist("cuda-bindings", 7), dist("numpy", 10_000), dist("torch", 99_999),
             SimpleNamespace(metadata={"Name": "broken"}, files=None)]
    monkeypatch.setattr(env.metadata, "distributions", lambda: iter(found))
    assert env.gpu_library_bytes() == 400 + 4 + 300 + 20 + 7


def test_the_cpu_requirements_use_pytorchs_cpu_index_and_the_same_pins():
    cpu = (ROOT / "requirements-cpu.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in cpu.splitlines() if line.strip()
             and not line.lstrip().startswith("#")]
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    assert "-r requirements.txt" in lines
    assert not [line for line in lines if not line.startswith(("-r", "--"))], \
        "requirements-cpu.txt adds an index, never a pin of its own"
    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^torch==2\.13\.0$", pins, re.MULTILINE)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -r requirements-cpu.txt" in readme
    assert "https://download.pytorch.org/whl/cpu" in readme
