"""The benchmark script runs (its quick mode, every section): it cannot rot unnoticed.

Its figures are not checked here: timings belong to the machine that took them
(``bench/results.json`` holds a full run).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch

from dlcourse.bench import workload_devices
from dlcourse.device import DeviceUnavailableError


def test_quick_benchmark_runs_every_section(tmp_path):
    out = tmp_path / "results.json"
    result = subprocess.run([sys.executable, "-m", "dlcourse.bench", "--quick", "--out",
                             str(out)], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    data = json.loads(out.read_text())
    assert data["quick"] is True
    for section in ("import", "ratios", "workloads", "grader", "notebooks"):
        assert section in data, section
    assert data["import"]["imports_torch"] is False
    assert {r["name"] for r in data["ratios"]} >= {"dense forward+backward",
                                                  "conv2d forward+backward (LeNet batch)"}
    assert all(r["ratio"] > 0 for r in data["ratios"])
    assert data["grader"]["all_full_marks"] and data["grader"]["exit_status"] == 0
    names = [w["workload"] for w in data["workloads"]]
    assert any("CNN" in n for n in names) and any("GAN" in n for n in names), names
    assert any("LSTM" in n for n in names) and any("MLP" in n for n in names), names
    assert all(isinstance(w.get("cpu_s"), float) and w["cpu_s"] > 0
               for w in data["workloads"]), data["workloads"]
    assert data["notebooks"]["notebooks"][0]["seconds"] > 0


def test_unknown_section_is_a_usage_error():
    result = subprocess.run([sys.executable, "-m", "dlcourse.bench", "--only", "gpus"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "unknown section" in result.stderr


def test_workload_devices_follow_the_device_helper(monkeypatch):
    monkeypatch.setenv("DLCOURSE_DEVICE", "cpu")
    assert workload_devices() == ["cpu"]
    if not torch.cuda.is_available():
        monkeypatch.setenv("DLCOURSE_DEVICE", "cuda")
        with pytest.raises(DeviceUnavailableError, match="CUDA"):
            workload_devices()
        result = subprocess.run([sys.executable, "-m", "dlcourse.bench", "--only", "workloads"],
                                capture_output=True, text=True)
        assert result.returncode == 2 and "asks for CUDA" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    else:
        monkeypatch.setenv("DLCOURSE_DEVICE", "cuda")
        assert workload_devices() == ["cpu", "cuda"]
