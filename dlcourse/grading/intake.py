"""Finding the submissions of a class, opening them safely, and naming their students.

A class folder may hold anything: links, FIFOs, devices, folders named ``x.ipynb``, huge or
binary files, names that are long, in any script or not even UTF-8. None of them may stop the
run or make the grader read outside the folder:

- folders are walked without following links; a link to a file is graded only if its target
  lies inside the same class folder (a link to ``solutions/`` or ``/dev/zero`` is not);
- a notebook is opened without following a link, without blocking (a FIFO), and read only if
  it is a regular file of at most ``MAX_NOTEBOOK_MB``;
- every odd entry becomes a row of its own saying why it was not graded.

Each student gets an id that is safe as a file name and unique: the file's name (its folder
and name where two files share a name) when that is plain ASCII, else the name with every other
character replaced, cut to 60 characters, plus a short hash of the original path, so that
``a_b`` and ``a~b`` stay two students and the id leads back to the file. In nbgrader's layout
(``submitted/<student>/<assignment>/<notebook>.ipynb``) the id is the student's folder name.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_NOTEBOOK_MB = 64  # outputs and saved widget state make big notebooks
SUFFIX = ".ipynb"
NBGRADER_FOLDERS = ("submitted", "autograded")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


class IntakeError(ValueError):
    """A problem with what the instructor asked to grade (exit status 2)."""


@dataclass
class Found:
    """One submission found: the file to read, how to show it, and why not, if it is odd."""

    path: str         # what to open: the file itself, or a link's target inside the folder
    shown: str        # the path as found, printable
    rel: str          # the path relative to the folder it was found in (for the student id)
    problem: str = ""  # why it will not be graded ("" if it will be read)
    student: str = ""
    link: bool = False


def printable(path: str) -> str:
    """A path as text that any file, terminal or JSON can hold (bytes that are not UTF-8 are
    shown as ``\\xNN``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def find_submissions(patterns: list[str], *, exclude: list[str] = ()) -> list[Found]:
    """Expand files, folders (searched recursively) and glob patterns; give every entry a
    unique student id. ``exclude``: folders to leave out (the output folder)."""
    excluded = [os.path.realpath(e) for e in exclude]
    found: list[Found] = []
    for pattern in patterns:
        if os.path.isdir(pattern):  # named by the instructor: walked even through a link
            root = os.path.realpath(pattern)
            found += _walk(root, pattern, excluded)
        elif os.path.lexists(pattern):
            found.append(_entry(pattern, os.path.realpath(os.path.dirname(pattern) or "."),
                                _with_folder(pattern)))
        else:
            matches = sorted(glob.glob(pattern, recursive=True))
            if not matches:
                raise IntakeError(f"no such file, folder or pattern: {printable(pattern)}")
            for match in matches:
                if os.path.isdir(match) and not os.path.islink(match):
                    found += _walk(os.path.realpath(match), match, excluded)
                elif match.endswith(SUFFIX):
                    found.append(_entry(match, os.path.realpath(os.path.dirname(match) or "."),
                                        _with_folder(match)))
    unique: dict[str, Found] = {}
    for item in sorted(found, key=lambda f: f.link):  # a file before the links to it
        unique.setdefault(item.path if not item.problem else item.shown, item)
    if not unique:
        raise IntakeError("no notebooks to grade")
    items = sorted(unique.values(), key=lambda f: found.index(f))
    assign_students(items)
    return items


def _with_folder(path: str) -> str:
    """A named file's path for its id: its folder's name and its own (``notebooks/01_x``)."""
    folder = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return os.path.join(folder, os.path.basename(path)) if folder else os.path.basename(path)


def _walk(root: str, shown_root: str, excluded: list[str]) -> list[Found]:
    out: list[Found] = []
    stack = [("", root)]
    while stack:
        rel_dir, folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:  # a folder unzipped with mode 000, say: a row says so
            if rel_dir:
                out.append(Found(folder, printable(os.path.join(shown_root, rel_dir)), rel_dir,
                                 f"a folder that could not be read ({err.strerror}); nothing "
                                 "in it was graded"))
            continue
        for entry in entries:
            rel = os.path.join(rel_dir, entry.name)
            if entry.name.startswith("."):
                continue  # hidden files, .ipynb_checkpoints
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if os.path.realpath(entry.path) in excluded:
                    continue
                if entry.name.endswith(SUFFIX):
                    out.append(Found(entry.path, printable(os.path.join(shown_root, rel)), rel,
                                     "a folder, not a notebook"))
                else:
                    stack.append((rel, entry.path))
            elif entry.name.endswith(SUFFIX):
                item = _entry(entry.path, root, rel)
                item.shown = printable(os.path.join(shown_root, rel))
                out.append(item)
    return sorted(out, key=lambda f: f.rel)


def _entry(path: str, root: str, rel: str) -> Found:
    """A file found at ``path`` inside the folder ``root``; links must stay inside it."""
    shown = printable(path)
    if os.path.islink(path):
        target = os.path.realpath(path)
        if not target.startswith(root.rstrip(os.sep) + os.sep):
            return Found(path, shown, rel, "a link to a file outside the class folder; "
                                           "copy the notebook itself into the folder")
        return Found(target, shown, rel, link=True)
    return Found(os.path.abspath(path), shown, rel)


def nbgrader_place(path: str) -> tuple[str, str, bool] | None:
    """(student id, assignment, whether the notebook lies directly in the assignment's folder)
    where ``path`` lies in nbgrader's layout, else None."""
    parts = Path(path).parts
    for i in range(len(parts) - 4, -1, -1):
        if parts[i] in NBGRADER_FOLDERS:
            return parts[i + 1], parts[i + 2], i + 4 == len(parts)
    return None


def assign_students(items: list[Found]) -> None:
    """Give each item a unique, file-system-safe, reversible student id (see the module
    docstring). In nbgrader's layout the id is the student's folder name."""
    places = [nbgrader_place(os.path.abspath(i.shown if not i.link else i.path)) or
              nbgrader_place(i.shown) or nbgrader_place(i.path)  # a folder named via a link
              for i in items]
    owners = [place[0] if place else None for place in places]
    stems = [_stem(os.path.basename(i.rel)) for i in items]
    keys = [owner or stem for owner, stem in zip(owners, stems, strict=True)]
    # A student's folder may hold more than the assignment's notebook (a "-Copy1" Jupyter made,
    # a scratch notebook): the one named after the assignment, which nbgrader grades, keeps
    # the student's id (the one the LMS knows); the others get owner__stem.
    canonical = {i for i, (place, stem) in enumerate(zip(places, stems, strict=True))
                 if place and stem == place[1] and place[2]}
    for i, key in enumerate(list(keys)):
        shared = [j for j, other in enumerate(keys) if other == key]
        if owners[i] and i not in canonical and len(shared) > 1 and canonical & set(shared):
            keys[i] = f"{key}__{stems[i]}"
    used: set[str] = set()
    for item, key, owner, stem in zip(items, keys, owners, stems, strict=True):
        if keys.count(key) == 1:
            base = key
        elif owner:
            base = f"{owner}__{stem}"
        else:
            base = "__".join(_stem(p) for p in Path(item.rel).parts)
        safe = _UNSAFE.sub("_", base).lstrip(".-")[:60]
        tag = hashlib.sha256(os.fsencode(item.rel)).hexdigest()[:8]
        name = safe if safe == base and safe else f"{safe or 'notebook'}-{tag}"
        if name.lower() in used:
            name = f"{safe or 'notebook'}-{tag}"
        k = 2
        while name.lower() in used:
            name, k = f"{safe or 'notebook'}-{tag}-{k}", k + 1
        used.add(name.lower())
        item.student = name


def _stem(name: str) -> str:
    return name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name


def read_text(item: Found) -> tuple[str, str, bool]:
    """(the notebook's text, "", False) or ("", why it cannot be read, whether the file was
    read but is not text: a malformed notebook rather than an odd file). Never follows a link,
    never blocks, never reads more than ``MAX_NOTEBOOK_MB``."""
    if item.problem:
        return "", item.problem, False
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | \
        getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(item.path, flags)
    except OSError as err:
        return "", f"could not be opened ({err.strerror})", False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = ("a FIFO" if stat.S_ISFIFO(info.st_mode) else
                    "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                    "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
            return "", f"{kind}, not a notebook file", False
        limit = MAX_NOTEBOOK_MB << 20
        if info.st_size > limit:
            return "", f"{info.st_size / 2**20:.0f} MB: larger than {MAX_NOTEBOOK_MB} MB", False
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            return "", f"larger than {MAX_NOTEBOOK_MB} MB", False
    except OSError as err:
        return "", f"could not be read ({err.strerror})", False
    finally:
        os.close(fd)
    data = b"".join(chunks)
    try:
        return data.decode("utf-8"), "", False
    except UnicodeDecodeError as err:
        return "", f"not UTF-8 text ({err.reason} at byte {err.start}); is it a notebook?", True


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
