"""The environment check that opens every notebook: versions, the torch device, and warnings.

``report()`` prints one line of versions and the device torch code will use, then a clear
warning for anything that would break the chapter (a package missing, the widget front-end
missing, a Python that is too old), with the command that fixes it.
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata

REQUIRED = ("numpy", "matplotlib", "ipywidgets", "scikit-learn", "torch")
MIN_PYTHON = (3, 10)
FIX = "run `pip install -r requirements.txt` in the course's virtual environment"


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def environment_problems() -> list[str]:
    """What is wrong with this environment for the course (empty list: nothing)."""
    problems = []
    if sys.version_info[:2] < MIN_PYTHON:
        problems.append(f"Python {platform.python_version()} is too old: the course needs "
                        f"{MIN_PYTHON[0]}.{MIN_PYTHON[1]}+.")
    for dist in REQUIRED:
        if _version(dist) is None:
            problems.append(f"{dist} is not installed: {FIX}.")
    if _version("ipywidgets") and not _version("jupyterlab_widgets"):
        problems.append("the ipywidgets front-end (jupyterlab_widgets) is missing, so sliders "
                        f"will not show in JupyterLab: {FIX}.")
    return problems


def report(torch: bool = True) -> None:
    """Print versions, the torch device, and any problem with the environment.

    With ``torch=False`` the device is not looked up (that imports torch, about a second).
    """
    from dlcourse import __version__

    parts = [f"dlcourse {__version__}", f"Python {platform.python_version()}"]
    for dist in ("numpy", "torch", "matplotlib", "ipywidgets"):
        parts.append(f"{dist} {_version(dist) or 'MISSING'}")
    print(" · ".join(parts))
    if torch and _version("torch"):
        from dlcourse.device import ENV_VAR, get_device

        try:
            device = get_device()
        except (RuntimeError, ValueError) as err:
            print(f"⚠ {err}")
        else:
            print(f"torch code in this notebook runs on: {device} "
                  f"(set {ENV_VAR}=cpu|cuda|mps before starting Jupyter to choose)")
    for problem in environment_problems():
        print(f"⚠ {problem}")
