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
    for section in ("import", "ratios", "workloads", "grader", "notebooks", "widgets"):
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
    widgets = {row["explorer"]: row for row in data["widgets"]}
    assert len(widgets) >= 17 and {"playground", "gan_training_explorer"} <= set(widgets)
    for row in widgets.values():
        assert row["changes"] >= 1 and 0 < row["median_ms"] <= row["worst_ms"], row
        assert row["static_png"], row
    assert all(widgets[name]["fps"] > 0 for name in (
        "playground", "mlp_curves_explorer", "regularization_curves_explorer",
        "gan_training_explorer"))


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


def test_other_values_step_each_kind_of_control():
    import ipywidgets as w

    from dlcourse.bench import other_values

    assert other_values(w.IntSlider(value=10, min=0, max=11), 3) == [11, 10, 9]  # turns back
    log = other_values(w.FloatLogSlider(value=0.1, base=10, min=-2, max=1, step=0.5), 2)
    assert log == pytest.approx([0.1 * 10 ** 0.5, 1.0])
    assert other_values(w.Dropdown(options=[1, 2, 3], value=2), 3) == [1, 3]
    assert other_values(w.SelectMultiple(options=["a", "b"], value=("a",)), 3) == [("a", "b")]
    assert other_values(w.Checkbox(value=True), 1) == [False]
