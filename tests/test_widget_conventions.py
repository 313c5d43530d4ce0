"""The conventions every course widget follows, checked on the widgets themselves.

Each ipywidgets shell in ``dlcourse/widgets/`` that can be built without arguments is built
with its defaults (outside a kernel: the controls exist, the plot is drawn with Agg) and
inspected:

- a slider for a learning rate (its description names ``lr``, η or "learning rate") is a
  ``FloatLogSlider``: useful rates span orders of magnitude;
- moving any slider or picker never runs a training loop (a ``dlcourse`` function named
  ``train*``/``fit*`` or documented as one that trains), so dragging never blocks the kernel;
- a widget whose documentation says it trains has a button that starts the training;
- the default settings draw a live figure (``dlcourse.widgets.live.LiveFigure``) with a valid
  scene, and the widget displays with a PNG of it, so the static notebook shows a teaching plot;
- every slider updates while it is dragged (``continuous_update=True``), and every change of a
  control redraws the live figure.

Shells that need arguments (a trained model, data) cannot be built here; a widget test of their
chapter must build them (``test_shells_needing_arguments_are_tested_elsewhere``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
import pkgutil
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

import dlcourse.widgets
from dlcourse.widgets import live

LEARNING_RATE = re.compile(r"(^|[^a-z])(lr|η|learning[ _-]?rate)([^a-z]|$)", re.IGNORECASE)
TRAINS_DOC = re.compile(r"\b(train|trains|fit|fits)\b(?!_)", re.IGNORECASE)
TRAINING_NAME = re.compile(r"^(train|fit)($|_)")
TRAINING_DOC = re.compile(r"^\s*(train|trains|fit|fits)\b", re.IGNORECASE)


def _shells() -> list[tuple[str, Callable]]:
    """(``module.function``, function) for every ipywidgets shell in dlcourse.widgets."""
    found = []
    for info in pkgutil.iter_modules(dlcourse.widgets.__path__):
        module = importlib.import_module(f"dlcourse.widgets.{info.name}")
        for name, obj in vars(module).items():
            if (inspect.isfunction(obj) and obj.__module__ == module.__name__
                    and not name.startswith("_") and "ipywidgets" in inspect.getsource(obj)):
                found.append((f"{info.name}.{name}", obj))
    return sorted(found, key=lambda item: item[0])


def _buildable(func: Callable) -> bool:
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in inspect.signature(func).parameters.values())


SHELLS = _shells()
BUILDABLE = [(name, func) for name, func in SHELLS if _buildable(func)]


def _walk(widget) -> Iterator:
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _walk(child)


def _controls(widget) -> list:
    """Every value-carrying control of a widget tree (sliders, pickers), not buttons."""
    import ipywidgets as w

    return [c for c in _walk(widget)
            if isinstance(c, (w.widgets.widget_int._Int, w.widgets.widget_float._Float,
                              w.widgets.widget_selection._Selection,
                              w.widgets.widget_selection._MultipleSelection,
                              w.widgets.widget_bool._Bool))]


def _another_value(control):
    """A valid value different from the control's current one."""
    import ipywidgets as w

    if isinstance(control, w.widgets.widget_selection._MultipleSelection):
        values = list(control._options_values)
        current = tuple(control.value)
        return (values[0],) if current != (values[0],) else tuple(values[:2])
    if isinstance(control, w.widgets.widget_selection._Selection):
        return next((v for v in control._options_values if v != control.value), control.value)
    if isinstance(control, w.widgets.widget_bool._Bool):
        return not control.value
    if isinstance(control, w.FloatLogSlider):
        exponent = control.base ** control.step
        up = control.value * exponent
        return up if up <= control.base ** control.max else control.value / exponent
    step = getattr(control, "step", 1) or 1
    up = control.value + step
    return up if up <= control.max else control.value - step


def _is_training(func) -> bool:
    doc = func.__doc__ or ""
    return bool(TRAINING_NAME.match(func.__name__) or TRAINING_DOC.match(doc))


@pytest.fixture
def training_calls(monkeypatch) -> list[str]:
    """Names of dlcourse training functions called during the test, in order.

    Every function of a loaded dlcourse module that is named ``train*``/``fit*`` or whose
    docstring starts with "Train(s)"/"Fit(s)" is wrapped, wherever a module binds it (``from
    dlcourse.layers import train_mlp`` makes a second binding), and so are such methods.
    """
    calls: list[str] = []
    wrapped: dict[int, Callable] = {}

    def wrap(func):
        if id(func) not in wrapped:
            @functools.wraps(func)
            def counting(*args, **kwargs):
                calls.append(func.__qualname__)
                return func(*args, **kwargs)
            wrapped[id(func)] = counting
        return wrapped[id(func)]

    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("dlcourse") or module is None:
            continue
        for attr, obj in list(vars(module).items()):
            if inspect.isfunction(obj) and obj.__module__.startswith("dlcourse") \
                    and _is_training(obj):
                monkeypatch.setattr(module, attr, wrap(obj))
            elif inspect.isclass(obj) and obj.__module__ == module_name:
                for meth_name, meth in list(vars(obj).items()):
                    if inspect.isfunction(meth) and _is_training(meth):
                        monkeypatch.setattr(obj, meth_name, wrap(meth))
    return calls


@pytest.fixture
def shown_figures(monkeypatch):
    """Counts plt.show() calls; closes the figures the widget drew."""
    shown = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: shown.append(len(plt.get_fignums())))
    yield shown
    plt.close("all")


def test_widget_modules_have_shells():
    assert BUILDABLE, "no ipywidgets shell in dlcourse/widgets can be built with its defaults"


def test_shells_needing_arguments_are_tested_elsewhere():
    """Shells around a trained model or data cannot be built here; a widget test must call
    them (tests/test_*.py), so none is left unchecked silently."""
    tests = "\n".join(p.read_text(encoding="utf-8")
                      for p in Path(__file__).parent.glob("test_*.py")
                      if p.name != Path(__file__).name)
    untested = [name for name, func in SHELLS
                if not _buildable(func) and not re.search(rf"\b{func.__name__}\(", tests)]
    assert not untested, f"widget shells that no test builds: {untested}"


def convention_problems(name: str, shell: Callable, shown: list[int],
                        training_calls: list[str]) -> list[str]:
    """What breaks the widget conventions when ``shell()`` is built and its controls moved."""
    import ipywidgets as w

    problems = []
    ui = shell()
    built = list(training_calls)
    figures = [c for c in _walk(ui) if isinstance(c, live.live_figure_class())]
    if not figures or not any(f.current.get("panels") for f in figures):
        problems.append(f"{name}: built with its defaults, it shows no figure (the static "
                        "notebook would show nothing); draw on a live.LiveFigure")
    for figure in figures:
        try:
            live.validate_scene(figure.current)
        except ValueError as err:
            problems.append(f"{name}: its default scene is malformed: {err}")
    if figures and "image/png" not in (ui._repr_mimebundle_() or {}):
        problems.append(f"{name}: displayed, it carries no image/png of its picture (wrap it "
                        "in live.Explorer, or return an ExplorerBox)")

    controls = _controls(ui)
    if not controls:
        problems.append(f"{name}: no slider or picker")
    for control in controls:
        description = getattr(control, "description", "") or ""
        if LEARNING_RATE.search(description) and not isinstance(control, w.FloatLogSlider):
            problems.append(f"{name}: the learning-rate control {description!r} is a "
                            f"{type(control).__name__}; use a FloatLogSlider (rates span "
                            "decades)")

    has_button = any(isinstance(c, w.Button) for c in _walk(ui))
    module_doc = inspect.getmodule(shell).__doc__ or ""
    documented = TRAINS_DOC.search(module_doc) or TRAINS_DOC.search(shell.__doc__ or "")
    if (documented or built) and not has_button:
        why = sorted(set(built)) or "its documentation says so"
        problems.append(f"{name} trains a model ({why}) but has no button: start training "
                        "with a Train button or interact_manual, so that a slider never "
                        "blocks the kernel")

    for control in controls:
        description = getattr(control, "description", "") or type(control).__name__
        if getattr(control, "continuous_update", True) is False:
            problems.append(f"{name}: the slider {description!r} waits for the mouse to be "
                            "released (continuous_update=False); the figure must follow it")
        before = len(training_calls)
        scenes = [f.scene for f in figures]
        control.value = _another_value(control)
        moved = training_calls[before:]
        if moved:
            problems.append(f"{name}: changing {description!r} ran {sorted(set(moved))}; "
                            "training must wait for a button")
        if figures and all(f.scene is s for f, s in zip(figures, scenes, strict=True)):
            problems.append(f"{name}: changing {description!r} did not redraw the figure")
        plt.close("all")
    return problems


@pytest.mark.parametrize(("name", "shell"), BUILDABLE, ids=[n for n, _ in BUILDABLE])
def test_widget_conventions(name: str, shell: Callable, shown_figures, training_calls):
    problems = convention_problems(name, shell, shown_figures, training_calls)
    assert not problems, "\n".join(problems)


def _badly_built_explorer(lr: float = 0.1):
    """Trains a network on every slider move, with a linear learning-rate slider that waits
    for release, and draws no figure."""
    import ipywidgets as widgets

    import dlcourse.layers

    def show(lr):
        with contextlib.suppress(Exception):  # the call counts; its arguments need not
            dlcourse.layers.train_mlp(None, None, None, lr, 1, 1)

    slider = widgets.FloatSlider(value=lr, min=0.01, max=1.0, step=0.01, description="lr",
                                 continuous_update=False)
    return widgets.VBox([slider, widgets.interactive_output(show, {"lr": slider})])


def _slider_waiting_for_release():
    """A live explorer whose slider only updates on release."""
    import ipywidgets as widgets

    slider = widgets.FloatSlider(value=1.0, description="x")
    explorer = live.Explorer({"x": slider}, lambda x: live.scene(
        200, 200, [live.panel([0.2, 0.2, 0.6, 0.6], [], xlim=(0, 1), ylim=(0, 1))]))
    slider.continuous_update = False
    return explorer.widget


def test_the_conventions_catch_a_slider_that_waits_for_release(shown_figures, training_calls):
    problems = convention_problems("lazy", _slider_waiting_for_release, shown_figures,
                                   training_calls)
    assert ("lazy: the slider 'x' waits for the mouse to be released "
            "(continuous_update=False); the figure must follow it") in problems
    assert not any("no figure" in p or "did not redraw" in p for p in problems), problems


def test_the_conventions_catch_a_badly_built_widget(shown_figures, training_calls):
    problems = convention_problems("bad", _badly_built_explorer, shown_figures, training_calls)
    text = "\n".join(problems)
    assert "shows no figure" in text
    assert "waits for the mouse to be released" in text
    assert "FloatLogSlider" in text
    assert "has no button" in text  # its docstring says it trains, and it calls train_mlp
    assert "changing 'lr' ran ['train_mlp']" in text
