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

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import matplotlib  # noqa: E402  (after the thread variables, before any test imports pyplot)

matplotlib.use("Agg")


def pytest_collectstart(collector):
    if hasattr(collector, "skip_compare"):
        collector.skip_compare += ("stderr",)
