"""Argument checks name the public function that was called, without being told its name."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from dlcourse import layers
from dlcourse._validate import as_array, positive_int, public_name

# A small module that lives (by its __name__) inside dlcourse, so that the stack walk sees it.
SOURCE = textwrap.dedent('''
    def dense(x):
        return _check(x)

    def _check(x):
        return as_array(x, "x", ndim=2, layout="(N, D)")

    def sizes(values):
        return [positive_int(v, "size") for v in values]

    def report():
        return public_name()

    def outer():
        def inner():
            return public_name()
        return inner()

    class Model:
        def __init__(self, width):
            self.width = positive_int(width, "width")

        def step(self, lr):
            return _check_lr(lr)

    def _check_lr(lr):
        if lr <= 0:
            raise ValueError(f"{public_name()}: lr must be positive; got {lr}.")

    class _Hidden:
        def __init__(self):
            self.name = public_name()

    def builds_hidden():
        return _Hidden().name

    def named(x):
        return as_array(x, "x", func="somebody_else", ndim=1)

    def pool(x):
        return _pool_fast(x)

    def _pool_fast(x):
        return _check(x)

    def _other_fast(x):
        return _check(x)

    def calls_other(x):
        return _other_fast(x)
''')


@pytest.fixture(scope="module")
def fake():
    namespace = {"__name__": "dlcourse._fake_for_tests", "as_array": as_array,
                 "positive_int": positive_int, "public_name": public_name}
    exec(compile(SOURCE, "<dlcourse fake module>", "exec"), namespace)
    return namespace


def test_a_private_helper_reports_the_public_function(fake):
    with pytest.raises(ValueError, match=r"^dense: x must be a 2-D array laid out as \(N, D\)"):
        fake["dense"](np.zeros(3))


def test_comprehensions_nested_functions_and_own_calls(fake):
    with pytest.raises(TypeError, match=r"^sizes: size must be an integer; got 2\.5"):
        fake["sizes"]([1, 2.5])
    assert fake["report"]() == "report"
    assert fake["outer"]() == "inner"


def test_methods_and_constructors(fake):
    with pytest.raises(ValueError, match=r"^Model: width must be at least 1; got 0"):
        fake["Model"](0)
    with pytest.raises(ValueError, match=r"^Model\.step: lr must be positive"):
        fake["Model"](2).step(-1.0)
    assert fake["builds_hidden"]() == "builds_hidden"   # a private class is skipped too


def test_an_explicit_name_wins_and_outside_the_package_is_dlcourse(fake):
    with pytest.raises(ValueError, match=r"^somebody_else: x must be a 1-D array"):
        fake["named"](np.zeros((2, 2)))
    assert public_name() == "dlcourse"          # called from a test, not from dlcourse
    with pytest.raises(ValueError, match=r"^dlcourse: n must be at least 1"):
        positive_int(0, "n")


def test_real_functions_are_named():
    with pytest.raises(ValueError, match=r"^dense_forward: "):
        layers.dense_forward(np.zeros(3), np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ValueError, match=r"^MLP: "):
        layers.MLP([3], activation="relu")


def test_a_fast_path_reports_as_its_readable_twin(fake):
    with pytest.raises(ValueError, match=r"^pool: x must be"):
        fake["_pool_fast"](np.zeros(3))        # called directly, as the tests and bench do
    with pytest.raises(ValueError, match=r"^calls_other: x must be"):
        fake["calls_other"](np.zeros(3))       # no twin named other: the caller


# ---------------------------------------------------------------- no restated names


def _public_name_of(stack: list[tuple[str, str]], module_defs: set[str]) -> str | None:
    """What ``public_name`` answers inside the innermost definition of ``stack`` (outer to
    inner ``("class" | "def", name)``), or None where only the caller can tell."""
    for i in range(len(stack) - 1, -1, -1):
        kind, name = stack[i]
        if kind != "def":
            continue
        outer = max((k for k in range(i) if stack[k][0] == "def"), default=-1)
        if name.startswith("__") and name.endswith("__"):
            owner = [n for _, n in stack[outer + 1:i]]
            if owner and not owner[-1].startswith("_"):
                return ".".join(owner)
        elif not name.startswith("_"):
            return ".".join(n for _, n in stack[outer + 1:i + 1])
        elif name.endswith("_fast") and name[1:-5] in module_defs:
            return name[1:-5]
    return None


def _restated_in(node, stack, module_defs, where, found) -> None:
    import ast

    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.ClassDef):
            _restated_in(child, [*stack, ("class", child.name)], module_defs, where, found)
            continue
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _restated_in(child, [*stack, ("def", child.name)], module_defs, where, found)
            continue
        own = _public_name_of(stack, module_defs)
        for n in ast.walk(child) if own else ():
            value = getattr(n, "value", None)
            restated = (
                (isinstance(n, ast.Constant) and isinstance(n.value, str)
                 and n.value.startswith(own + ": "))
                or (isinstance(n, ast.keyword) and n.arg == "func"
                    and isinstance(value, ast.Constant) and value.value == own)
                or (isinstance(n, ast.Assign) and isinstance(value, ast.Constant)
                    and value.value == own
                    and any(isinstance(t, ast.Name) and t.id in ("func", "FUNC")
                            for t in n.targets)))
            if restated:
                found.append(f"{where}:{n.lineno}: restates {own!r}")
        _restated_in(child, stack, module_defs, where, found)


ROOT = Path(__file__).resolve().parent.parent


def _restated_names(root: Path = ROOT) -> list[str]:
    """Places that tell a check, or start a message with, the name it would find itself."""
    import ast

    found: list[str] = []
    for path in sorted((root / "dlcourse").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_defs = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        _restated_in(tree, [], module_defs, path.relative_to(root), found)
    return sorted(set(found))


def test_the_restated_name_finder_finds_them(tmp_path):
    (tmp_path / "dlcourse").mkdir()
    (tmp_path / "dlcourse" / "m.py").write_text(textwrap.dedent('''
        def f(x):
            func = "f"
            g(x, func="f")
            raise ValueError(f"f: x is {x}")

        class C:
            def __init__(self, n):
                check(n, func="C")

        def _helper(x):
            return check(x, func="f")      # a private helper: only its caller can tell
    '''))
    assert [line.split(": ", 1)[1] for line in _restated_names(tmp_path)] == [
        "restates 'f'", "restates 'f'", "restates 'f'", "restates 'C'"]


def test_no_function_restates_its_own_name():
    # public_name() finds it: f"{public_name()}: ..." and no func= (see dlcourse/_validate.py)
    assert _restated_names() == []
