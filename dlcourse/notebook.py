"""Reading course notebooks: which cell is an exercise, which is set-up, what a cell defines.

The conventions, shared by the authoring tool and the grader:

- an **exercise cell** carries ``metadata.dlcourse.exercise = "<id>"`` and the tag ``exercise``;
  it defines the exercise's functions, with the solution between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION`` (nbgrader's markers, and nbgrader's cell metadata alongside);
- a **check cell** calls ``check("<id>", ...)`` and carries the tag ``check``;
- a **setup cell** (tag ``setup``) holds the imports exercise code may rely on; it may import
  only the modules in ``SETUP_MODULES``, so that the grader can run it in its sandbox.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import nbformat

EXERCISE_TAG = "exercise"
CHECK_TAG = "check"
SETUP_TAG = "setup"
SETUP_MODULES = frozenset({
    "numpy", "torch", "math", "random", "typing", "collections", "itertools", "functools",
    "dataclasses", "__future__",
})
BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"


class NotebookError(ValueError):
    """A file that is not a readable notebook, with the reason and what to do."""


class Node(dict):
    """A dict with attribute access, like ``nbformat.NotebookNode`` (without importing it)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


def _node(value: Any) -> Any:
    if isinstance(value, dict):
        return Node({k: _node(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_node(v) for v in value]
    return value


def read_notebook(path: str | Path, *, light: bool = False) -> nbformat.NotebookNode:
    """Read a notebook file, raising ``NotebookError`` with a clear message if it can't be.

    ``light=True`` skips nbformat (whose import costs seconds: it loads a JSON-schema
    validator) and returns the JSON as ``Node``s with every cell's source joined into one
    string; the grader reads submissions this way. Otherwise the notebook is read, upgraded to
    version 4 and validated by nbformat.
    """
    path = Path(path)
    if not path.exists():
        raise NotebookError(f"{path}: no such file.")
    if path.is_dir():
        raise NotebookError(f"{path}: is a directory, not a notebook.")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise NotebookError(f"{path}: not UTF-8 text ({err.reason}); is it really a .ipynb?"
                            ) from None
    return notebook_from_text(text, str(path), light=light)


def notebook_from_text(text: str, name: str, *, light: bool = False) -> nbformat.NotebookNode:
    """Parse a notebook's text (``name`` is used in messages); see ``read_notebook``."""
    path = name
    if not text.strip():
        raise NotebookError(f"{path}: the file is empty.")
    try:
        raw = json.loads(text)
    except RecursionError:
        raise NotebookError(f"{path}: JSON nested too deeply to be a notebook.") from None
    except json.JSONDecodeError as err:
        raise NotebookError(f"{path}: not valid JSON (line {err.lineno}, column {err.colno}: "
                            f"{err.msg}); the file may be truncated or edited by hand.") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise NotebookError(f"{path}: JSON, but not a notebook (no 'cells' list).")
    if light:
        if raw.get("nbformat") != 4:
            raise NotebookError(f"{path}: notebook format {raw.get('nbformat')!r} is not "
                                "supported; open it in JupyterLab and save it again.")
        nb = _node(raw)
        if not isinstance(nb.get("metadata"), dict):
            nb["metadata"] = Node()
        for cell in nb.cells:
            if not isinstance(cell, dict):
                raise NotebookError(f"{path}: a cell is not a JSON object.")
            source = cell.get("source", "")
            if isinstance(source, list):
                source = "".join(x if isinstance(x, str) else "" for x in source)
            cell["source"] = source if isinstance(source, str) else ""
            if not isinstance(cell.get("metadata"), dict):
                cell["metadata"] = Node()
        return nb
    import nbformat

    try:
        return nbformat.reads(text, as_version=4)
    except Exception as err:
        raise NotebookError(f"{path}: not a valid notebook: {err}") from None


def tags(cell: Any) -> list[str]:
    found = cell.get("metadata", {}).get("tags", [])
    return list(found) if isinstance(found, list) else []


def exercise_id(cell: Any) -> str | None:
    """The exercise id in a cell's metadata, or None."""
    meta = cell.get("metadata", {}).get("dlcourse", {})
    value = meta.get("exercise") if isinstance(meta, dict) else None
    return value if isinstance(value, str) else None


def is_setup(cell: Any) -> bool:
    return cell.get("cell_type") == "code" and SETUP_TAG in tags(cell)


def python_source(source: str) -> str:
    """Cell source with IPython-only lines (``%magic``, ``!shell``) turned into comments."""
    out = []
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}pass  # {stripped}" if indent else f"# {stripped}")
        else:
            out.append(line)
    return "\n".join(out)


def parse(source: str) -> ast.Module | None:
    """The AST of a cell, or None if it is not valid Python (even after removing magics)."""
    try:
        return ast.parse(python_source(source))
    except (SyntaxError, ValueError):
        return None


def defined_names(source: str) -> set[str]:
    """Names of the functions and classes defined at the top level of a cell."""
    tree = parse(source)
    if tree is None:
        return set()
    return {node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def loaded_names(source: str) -> set[str]:
    """Every name a cell reads (at any depth)."""
    tree = parse(source)
    if tree is None:
        return set()
    return {node.id for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def stored_names(source: str) -> set[str]:
    """Every name a cell binds: assignments (at any depth), function parameters, definitions."""
    tree = parse(source)
    if tree is None:
        return set()
    names = {node.id for node in ast.walk(tree)
             if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del))}
    names |= {node.arg for node in ast.walk(tree) if isinstance(node, ast.arg)}
    names |= {node.name for node in tree.body
              if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    return names


def imported_modules(source: str) -> set[str]:
    """Top-level module names imported by a cell (``import a.b`` gives ``a``)."""
    tree = parse(source)
    if tree is None:
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found
