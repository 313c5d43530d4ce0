"""The environment check that opens every notebook: versions, the torch device, and warnings.

``report()`` prints one line of versions and the device torch code will use, then a clear
warning for anything that would break the chapter (a package missing or older than the course
needs, the widget front-end missing, a Python that is too old, a matplotlib backend that keeps
figures out of the notebook), with the command that fixes it.

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

REQUIRED = ("numpy", "matplotlib", "ipywidgets", "scikit-learn", "torch")
MIN_PYTHON = (3, 10)
FIX = "run `pip install -r requirements.txt` in the course's virtual environment"
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
