"""Shared pytest set-up for the unit tests and the notebooks that nbval re-executes.

- One thread per torch/BLAS process: the suite runs notebooks in parallel (xdist) on small
  machines, where threads of different kernels would fight for the same cores. Kernels started
  by nbval inherit these variables.
- nbval does not compare stderr: warnings there carry per-run temporary paths.
- Unit tests draw with matplotlib's Agg backend (no window). Kernels are left alone: their
  inline backend is what emits the figures.
"""

from __future__ import annotations

import os
import sys

import pytest

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import matplotlib  # noqa: E402  (after the thread variables, before any test imports pyplot)

matplotlib.use("Agg")


def pytest_collectstart(collector):
    if hasattr(collector, "skip_compare"):
        collector.skip_compare += ("stderr",)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    """A test that changes torch's default dtype and does not restore it breaks the tests that
    run after it in the same worker, far from the cause: name the culprit instead."""
    result = yield  # the test's fixtures are torn down first
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_default_dtype() != torch.float32:
        torch.set_default_dtype(torch.float32)
        raise AssertionError(f"{item.nodeid} left torch's default dtype changed; restore it "
                             "(use a fixture that sets and resets it)")
    return result
