"""Imports go one way down: no module of dlcourse imports, even inside a function, a module that
imports it back (directly or around a loop), and the checking layer stands on its own.

Imports are read from the source with ``ast`` (nothing is imported), every ``import`` statement
counted, at module level or in a function body.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dlcourse"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str) -> str | None:
    """The dlcourse module that an import of ``name`` loads: the longest prefix that exists."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in MODULES:
            return candidate
        parts.pop()
    return None


def imports_of(module: str) -> set[str]:
    """The dlcourse modules that ``module`` imports anywhere in its body."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import sub` loads the submodule pkg.sub; `from mod import name`, mod
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            resolved = _resolve(target)
            if resolved is not None and resolved != module:
                found.add(resolved)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read():
    # guards the reader itself: known arrows must be found, a function-level one included
    assert "dlcourse.checking.exercise" in GRAPH["dlcourse.exercises"]
    assert "dlcourse.exercises" in GRAPH["dlcourse.grading.plan"]
    assert "dlcourse.training" in GRAPH["dlcourse.feedforward"]  # imported inside a function


def test_cycle_finder_finds_a_loop():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_dlcourse():
    loops = cycles(GRAPH)
    described = ["; ".join(f"{m} -> {sorted(GRAPH[m] & set(loop))}" for m in loop)
                 for loop in loops]
    assert not loops, "import loops (module -> the modules of the loop it imports):\n" + \
        "\n".join(described)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("dlcourse.checking")))
def test_checking_imports_nothing_above_it(module):
    # the checking layer is the bottom of the checking stack: the registry (dlcourse.exercises),
    # the notebook's check and the grader build on it, never the reverse
    outside = {m for m in GRAPH[module] if not m.startswith("dlcourse.checking")}
    assert not outside, f"{module} imports {sorted(outside)}"


@pytest.mark.parametrize("module", ["dlcourse.checking.drivers", "dlcourse.checking.studentside"])
def test_what_runs_in_the_sandbox_imports_no_dlcourse(module):
    assert not GRAPH[module], f"{module} is sent into the sandbox alone; it imports {GRAPH[module]}"
