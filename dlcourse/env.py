"""The environment check that opens every notebook: versions, the torch device, and warnings.

``report()`` prints one line of versions, which build of torch is installed (CPU-only, CUDA or
ROCm, and how much disk its GPU libraries take), the device torch code will use, then a clear
warning for anything that would break the chapter (a package missing or older than the course
needs, the widget front-end missing, a Python that is too old, a matplotlib backend that keeps
figures out of the notebook), with the command that fixes it. It also warns when a CUDA build
runs on a machine where torch finds no NVIDIA GPU: on Linux, pip installs that build (several GB
of NVIDIA libraries) by default, and the CPU-only build does the same work here.

Whether the *browser* can draw widgets cannot be seen from the kernel (the front-end may run in
another environment than the kernel); ``notebooks/00_start_here.ipynb`` shows a widget and says
what its absence looks like.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from importlib import metadata
from typing import Any

REQUIRED = ("numpy", "matplotlib", "ipywidgets", "scikit-learn", "torch")
MIN_PYTHON = (3, 10)
FIX = "run `pip install -r requirements.txt` in the course's virtual environment"
CPU_FIX = ("to get the space back, make a fresh virtual environment and install with "
           "`pip install -r requirements-cpu.txt` (README.md, 'Set up')")
# Distributions that only a GPU build of torch pulls in (their files count as its GPU libraries).
GPU_LIBRARY_PREFIXES = ("nvidia-", "cuda-", "triton", "pytorch-triton")
# The oldest releases the course works with (pyproject.toml's dependencies; requirements.txt
# pins newer ones). ipywidgets 7 cannot draw in JupyterLab 4, for one.
MINIMUM = {"numpy": (1, 26), "matplotlib": (3, 8), "scikit-learn": (1, 3), "ipywidgets": (8, 1),
           "torch": (2, 1)}


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _release(version: str) -> tuple[int, ...]:
    """The leading numbers of a version string: "2.13.0+cpu" -> (2, 13, 0)."""
    return tuple(int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3])


def environment_problems() -> list[str]:
    """What is wrong with this environment for the course (empty list: nothing)."""
    problems = []
    if sys.version_info[:2] < MIN_PYTHON:
        problems.append(f"Python {platform.python_version()} is too old: the course needs "
                        f"{MIN_PYTHON[0]}.{MIN_PYTHON[1]}+.")
    for dist in REQUIRED:
        version = _version(dist)
        if version is None:
            problems.append(f"{dist} is not installed: {FIX}.")
        elif dist in MINIMUM and _release(version) < MINIMUM[dist]:
            needed = ".".join(map(str, MINIMUM[dist]))
            problems.append(f"{dist} {version} is older than the course needs ({needed} or "
                            f"newer): {FIX}.")
    if _version("ipywidgets") and not _version("jupyterlab_widgets"):
        problems.append("the ipywidgets front-end (jupyterlab_widgets) is missing, so sliders "
                        f"will not show in JupyterLab: {FIX}.")
    backend = os.environ.get("MPLBACKEND", "")
    if "ipykernel" in sys.modules and backend and "inline" not in backend.lower():
        problems.append(f"MPLBACKEND={backend} is set, so figures will not appear in the "
                        "notebook: unset it and restart JupyterLab.")
    return problems


def gpu_library_bytes() -> int:
    """Bytes on disk of the installed NVIDIA/CUDA/triton distributions (0 for a CPU-only torch).

    Read from each distribution's RECORD, so nothing is imported.
    """
    total = 0
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if name.startswith(GPU_LIBRARY_PREFIXES):
            total += sum(f.size or 0 for f in dist.files or ())
    return total


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 2**30:.1f} GB" if n_bytes >= 2**30 else f"{n_bytes / 2**20:.0f} MB"


def torch_build(torch_module: Any, gpu_bytes: int | None = None) -> str:
    """Which build of torch this is, in words, e.g. "CUDA 13.0 build (3.4 GB of NVIDIA
    libraries)", "CPU-only build" or "CPU-only build, with Apple's MPS".

    ``torch_module`` is the imported ``torch`` (anything with its ``version`` and ``backends``
    attributes); ``gpu_bytes`` defaults to ``gpu_library_bytes()`` for a CUDA build.
    """
    version = getattr(torch_module, "version", None)
    cuda = getattr(version, "cuda", None)
    hip = getattr(version, "hip", None)
    if cuda:
        size = gpu_library_bytes() if gpu_bytes is None else gpu_bytes
        libraries = f" ({_size(size)} of NVIDIA libraries)" if size else ""
        return f"CUDA {cuda} build{libraries}"
    if hip:
        return f"ROCm {hip} build"
    mps = getattr(getattr(torch_module, "backends", None), "mps", None)
    built = getattr(mps, "is_built", None)
    if callable(built) and built():
        return "CPU-only build, with Apple's MPS"
    return "CPU-only build"


def torch_build_problems(torch_module: Any, gpu_bytes: int | None = None) -> list[str]:
    """A warning when torch is a GPU build but finds no GPU to use (empty list: nothing)."""
    version = getattr(torch_module, "version", None)
    cuda = getattr(version, "cuda", None) or getattr(version, "hip", None)
    if not cuda:
        return []
    try:
        available = bool(torch_module.cuda.is_available())
    except Exception:  # a broken driver install makes the query itself fail
        available = False
    if available:
        return []
    size = gpu_library_bytes() if gpu_bytes is None else gpu_bytes
    held = f", {_size(size)} of them," if size else ""
    return [f"torch is the {torch_build(torch_module, size).split(' (')[0]}, but it finds no "
            f"GPU it can use here (none, or its driver is missing or too old), so everything "
            f"runs on the CPU. That works. The GPU libraries{held} are of no use on this "
            f"machine: {CPU_FIX}."]


def report(torch: bool = True) -> None:
    """Print versions, the torch device, and any problem with the environment.

    With ``torch=False`` the device is not looked up (that imports torch, about a second).
    """
    from dlcourse import __version__

    parts = [f"dlcourse {__version__}", f"Python {platform.python_version()}"]
    for dist in ("numpy", "torch", "matplotlib", "ipywidgets"):
        parts.append(f"{dist} {_version(dist) or 'MISSING'}")
    print(" · ".join(parts))
    problems = environment_problems()
    if torch and _version("torch"):
        import torch as torch_module

        from dlcourse.device import ENV_VAR, get_device

        gpu_bytes = gpu_library_bytes() if torch_module.version.cuda else 0
        print(f"torch {torch_module.__version__} is the "
              f"{torch_build(torch_module, gpu_bytes)}")
        problems += torch_build_problems(torch_module, gpu_bytes)
        try:
            device = get_device()
        except (RuntimeError, ValueError) as err:
            print(f"⚠ {err}")
        else:
            print(f"torch code in this notebook runs on: {device} "
                  f"(set {ENV_VAR}=cpu|cuda|mps before starting Jupyter to choose)")
    for problem in problems:
        print(f"⚠ {problem}")
