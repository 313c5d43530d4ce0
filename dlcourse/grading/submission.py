"""Reading a submitted notebook: which cells to run for each exercise, and what to flag.

Exercise cells are found by the exercise id in their metadata. Where a student deleted the tag
or moved the code, the cell that defines the exercise's function (found in the code's AST) is
used instead, and the feedback says so. Helper functions an exercise cell calls are run too
when they live in a cell that only defines functions. Nothing else the notebook contains is
run: the grader never executes arbitrary cells.

The tamper scan reads every code cell's AST and reports, for the instructor, code that patches
modules (``np.allclose = ...``), redefines the checker, hooks into IPython, reads environment
variables or opens files by absolute path. Such code cannot change a grade (the comparison
happens in the grader's process, on values the sandbox returns), but it deserves a look.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field

from dlcourse import notebook as nbu

WATCHED_MODULES = {"np", "numpy", "torch", "math", "dlcourse", "builtins", "sys", "os",
                   "random", "scipy", "sklearn"}
FLAGGED_IMPORTS = {"ctypes": "loads native code with ctypes",
                   "subprocess": "starts other programs (subprocess)",
                   "importlib": "imports modules by name (importlib)",
                   "inspect": "inspects code at run time (inspect)",
                   "gc": "walks the garbage collector (gc)",
                   "IPython": "uses IPython's internals",
                   "studentside": "imports the grader's own studentside module",
                   "dlcourse_child": "imports the grader's sandbox program",
                   "_posixsubprocess": "starts other programs (_posixsubprocess)",
                   "signal": "handles signals (signal)",
                   "threading": "starts threads (threading)"}
MAX_FLAGS = 100
CHAPTER_IN_NAME = re.compile(r"(?<![0-9])([0-9]{2})_[A-Za-z]")
# What a cell too deeply nested for Python's parser to turn into a tree (``-`` * 3000 + ``1``)
# becomes: it raises when run, as it would in a notebook's kernel, and nothing reads its tree.
UNREADABLE = ("raise SyntaxError('this cell is nested too deeply to be parsed "
              "(RecursionError in ast.parse)')\n")
STACK_ATTRIBUTES = {"_getframe", "f_back", "f_globals", "f_locals", "tb_frame", "gi_frame",
                    "cr_frame", "__globals__", "__closure__", "__code__"}


@dataclass
class Located:
    """The cells that make up one exercise in a submission: its own (found by tag or by
    name) and the helper cells that define functions they call."""

    cells: list[int]
    how: str  # "tag", "name" or "missing"
    notes: list[str] = field(default_factory=list)
    helpers: list[int] = field(default_factory=list)

    @property
    def all_cells(self) -> list[int]:
        return sorted(set(self.cells) | set(self.helpers))


@dataclass
class Submission:
    """A parsed notebook: its code cells by index, the set-up cells and the chapter, or the
    reason it could not be read (``error``)."""

    student: str
    file: str                   # how to show the file to the instructor
    chapter: str | None = None
    error: str | None = None
    sources: dict[int, str] = field(default_factory=dict)  # code cells by index
    setup: list[int] = field(default_factory=list)
    tagged: dict[str, list[int]] = field(default_factory=dict)  # exercise id -> cells


@dataclass
class Location:
    """Where a submission's exercises are, what uses the reference, and what to flag."""

    located: dict[str, Located]
    uses_reference: dict[str, str]
    flags: list[str]


def detect_chapter(nb, name: str) -> str | None:
    """The chapter from the notebook's metadata, else from an ``NN_`` in its file name
    (``01_perceptron.ipynb``, or Colab's ``Copy of 01_perceptron.ipynb``)."""
    meta = nb.metadata.get("dlcourse", {}) if nb is not None else {}
    chapter = meta.get("chapter") if isinstance(meta, dict) else None
    if isinstance(chapter, str) and len(chapter) == 2 and chapter.isdigit():
        return chapter
    found = CHAPTER_IN_NAME.search(name)
    return found.group(1) if found else None


def parse_submission(text: str, student: str, file: str, name: str) -> Submission:
    """Parse a submission's text; a malformed notebook gives a Submission with ``error`` set.
    ``name`` is the file's base name (for the chapter's ``NN_`` prefix and messages)."""
    sub = Submission(student=student, file=file)
    try:
        nb = nbu.notebook_from_text(text, name, light=True)
    except nbu.NotebookError as err:
        sub.error = str(err)
        return sub
    sub.chapter = detect_chapter(nb, name)
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") == "code" and isinstance(cell.get("source"), str):
            sub.sources[index] = cell.source if _parsable(cell.source) else UNREADABLE
            if nbu.SETUP_TAG in nbu.tags(cell):
                sub.setup.append(index)
            ex_id = nbu.exercise_id(cell)
            if ex_id:
                sub.tagged.setdefault(ex_id, []).append(index)
    if not sub.sources:
        sub.error = f"{name}: the notebook has no code cells."
    return sub


def _parsable(source: str) -> bool:
    """False for a cell whose tree Python cannot build (RecursionError, MemoryError): every
    reader of the cell's AST here would fail on it too."""
    try:
        nbu.parse(source)
    except (RecursionError, MemoryError):
        return False
    return True


def locate(sub: Submission, exercises) -> Location:
    """Find each exercise's cells and the helpers they need, what uses the reference, and the
    tamper flags of the cells that will run (no other cell ever runs in the grader). Exercise
    cells are found by tag, else by the function they define."""
    definitions = {i: nbu.defined_names(src) for i, src in sub.sources.items()}
    located: dict[str, Located] = {}
    uses_reference: dict[str, str] = {}
    for ex in exercises:
        cells, notes = list(sub.tagged.get(ex.id, [])), []
        how = "tag"
        if len(cells) > 1:
            notes.append(f"{len(cells)} cells are tagged as exercise {ex.id}; all were run, in "
                         "order, so the last definition counts.")
        if not cells:
            cells = sorted({i for i, names in definitions.items()
                            for name in ex.functions if name in names})
            how = "name" if cells else "missing"
            if cells:
                notes.append(f"no cell is tagged as exercise {ex.id}; used cell(s) "
                             f"{', '.join(map(str, cells))}, which define "
                             f"{', '.join(ex.functions)} (found by name).")
        helpers = _helper_cells(sub, cells, definitions)
        if helpers:
            notes.append(f"also ran cell(s) {', '.join(map(str, helpers))}, which define "
                         "functions the exercise calls.")
        located[ex.id] = Located(cells, how, notes, helpers)
        for index in cells:
            reason = _reference_use(sub.sources[index])
            if reason:
                uses_reference[ex.id] = f"cell {index} {reason}"
    run = set(sub.setup).union(*(set(loc.all_cells) for loc in located.values()))
    return Location(located, uses_reference,
                    tamper_flags({i: sub.sources[i] for i in sorted(run)}))


def _helper_cells(sub: Submission, cells: list[int], definitions: dict[int, set[str]],
                  ) -> list[int]:
    """Definition-only cells that define names the given cells use but do not define."""
    needed: set[str] = set()
    for index in cells:
        needed |= nbu.loaded_names(sub.sources[index]) - definitions[index]
    needed -= set(dir(builtins))
    skip = set(cells) | set(sub.setup)  # sets: a notebook may hold 100,000 cells
    found = []
    for index, names in definitions.items():
        if index in skip or not names & needed:
            continue
        tree = nbu.parse(sub.sources[index])
        if tree is not None and all(_is_definition(node) for node in tree.body):
            found.append(index)
    return found


def _is_definition(node: ast.stmt) -> bool:
    """A statement that only defines something: a function, a class, an import, a docstring."""
    if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
        return True
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _reference_use(source: str) -> str | None:
    tree = nbu.parse(source)
    if tree is None:
        return None
    if "dlcourse" in nbu.imported_modules(source):
        return "imports dlcourse, the course's reference implementation"
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                "dlcourse" in node.value or "solutions/" in node.value):
            return f"refers to {node.value[:60]!r}"
    return None


def tamper_flags(sources: dict[int, str]) -> list[str]:
    """What in the notebook's code tries to change the rules (for the instructor)."""
    flags: dict[str, None] = {}  # ordered and without repeats

    def flag(index: int, text: str) -> None:
        if len(flags) < MAX_FLAGS:
            flags[f"cell {index}: {text[:200]}"] = None

    for index, source in sources.items():
        tree = nbu.parse(source)
        if tree is None:
            continue
        for module in sorted(nbu.imported_modules(source) & set(FLAGGED_IMPORTS)):
            flag(index, FLAGGED_IMPORTS[module])
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
                targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else \
                    [node.target]
                for target in targets:
                    base = _attribute_base(target)
                    if base in WATCHED_MODULES:
                        flag(index, f"patches {_unparse(target)}")
                    if isinstance(target, ast.Name) and target.id == "check":
                        flag(index, "redefines check()")
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == "check":
                flag(index, "redefines check()")
            elif isinstance(node, ast.Name) and node.id in ("get_ipython", "__builtins__"):
                flag(index, f"uses {node.id} (hooks into the notebook's machinery)")
            elif isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv",
                                                                   "putenv"):
                flag(index, f"reads or changes environment variables ({node.attr})")
            elif isinstance(node, ast.Attribute) and node.attr in STACK_ATTRIBUTES:
                flag(index, f"walks the interpreter's frames or functions ({node.attr})")
            elif isinstance(node, ast.Attribute) and node.attr in ("modules", "settrace",
                                                                   "setprofile", "meta_path"):
                if _attribute_base(node) == "sys":
                    flag(index, f"uses sys.{node.attr}")
            elif isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else \
                    node.func.attr if isinstance(node.func, ast.Attribute) else ""
                if name == "setattr" and node.args and _attribute_base(node.args[0]) in \
                        WATCHED_MODULES:
                    flag(index, f"patches {_unparse(node.args[0])} with setattr")
                if name in ("open", "read_text", "read_bytes", "listdir", "scandir", "walk",
                            "glob", "Path"):
                    for arg in node.args[:1]:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and (
                                arg.value.startswith(("/", "~")) or ".." in arg.value
                                or "solutions" in arg.value):
                            flag(index, f"opens {arg.value!r} (outside its own folder)")
                builtin_call = isinstance(node.func, ast.Name) or \
                    _attribute_base(node.func) in ("builtins", "__builtins__")
                if name in ("__import__", "exec", "eval", "compile") and builtin_call:
                    flag(index, f"calls {name}()")  # not model.eval() or re.compile()
    return list(flags)


def _unparse(node: ast.AST) -> str:
    """``ast.unparse``, which recurses: a target nested a few hundred levels deep is shown cut."""
    try:
        return ast.unparse(node)[:200]
    except (RecursionError, MemoryError):
        return f"{_attribute_base(node)}... (nested too deeply to show)"


def _attribute_base(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None
