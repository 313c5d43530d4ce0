"""The code stays tidy: ruff (configured in pyproject.toml) finds nothing."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    # ruff is pinned in requirements.txt: run the one installed next to this interpreter (no
    # activated venv needed), and fail, not skip, when it is missing
    assert importlib.util.find_spec("ruff") is not None, (
        f"ruff is not installed for {sys.executable}; run pip install -r requirements.txt")
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format", "concise",
                             "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
