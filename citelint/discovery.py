"""Which files a run lints: the files named, the reports inside the directories named, and
the files that glob patterns match."""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from citelint.gitignore import Ignorer

REPORT_SUFFIXES = (".md", ".markdown")
# Directories that hold tools' files, never reports.
SKIP_DIRS = frozenset({"node_modules", "venv", "__pycache__", "site-packages"})
GLOB_CHARS = frozenset("*?[")


class Entry(NamedTuple):
    path: str
    error: str | None  # why the path cannot be used, or None
    named: bool  # named itself, rather than found in a directory or by a glob pattern


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a special file"


def not_regular(mode: int) -> str:
    """The one-line reason a file that is not a regular file is skipped: opening a FIFO
    would block the run, and a device is never a report."""
    return f"not a regular file ({_kind(mode)}); skipped"


def stat_problem(path: str, exc: OSError) -> str:
    """Why ``os.stat(path)`` failed, in words."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link" if os.path.islink(path) else "no such file or directory"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOTDIR:
        return "no such file or directory (a part of the path is a file)"
    return exc.strerror or str(exc)


def _is_report(name: str) -> bool:
    return name.lower().endswith(REPORT_SUFFIXES)


def _walk(root: str, ignorer: Ignorer | None) -> Iterator[Entry]:
    """Reports under ``root``, depth first in name order (a folder's files, then its
    folders). Symlinked folders are not followed, so a symlink loop cannot trap the walk
    and a link out of the tree does not take the run outside what was named."""
    stack = [root]
    while stack:
        top = stack.pop()
        try:
            with os.scandir(top) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield Entry(top, f"cannot list directory: {exc.strerror or exc}", top == root)
            continue
        folders = []
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name.startswith(".") or entry.name in SKIP_DIRS:
                    continue
                if ignorer is not None and ignorer.matches(entry.path, True):
                    continue
                folders.append(entry.path)
            elif _is_report(entry.name):
                if ignorer is not None and ignorer.matches(entry.path, False):
                    continue
                found = _found(entry.path, entry)
                if found.error != "":
                    yield found
        stack.extend(reversed(folders))


def _found(path: str, entry: os.DirEntry[str] | None = None) -> Entry:
    """A report found in a folder or by a pattern: a regular file, or a one-line reason."""
    try:
        st = entry.stat() if entry is not None else os.stat(path)
    except OSError as exc:
        return Entry(path, stat_problem(path, exc), False)
    if stat.S_ISREG(st.st_mode):
        return Entry(path, None, False)
    if stat.S_ISDIR(st.st_mode):  # a symlink to a folder, named like a report: not followed
        return Entry(path, "", False)
    return Entry(path, not_regular(st.st_mode), False)


def _glob(pattern: str, respect_gitignore: Callable[[str], bool]) -> Iterator[Entry]:
    """The reports a glob pattern matches (``**`` spans folders), as a shell would expand
    it: for a pattern quoted on the command line, or given where no shell expands it."""
    import glob

    base = pattern
    while base and any(c in GLOB_CHARS for c in base):
        base = os.path.dirname(base)
    base = base or os.curdir
    ignorer = _ignorer(base, respect_gitignore)
    found = False
    for match in sorted(glob.iglob(pattern, recursive=True)):
        parts = os.path.relpath(match, base).split(os.sep)
        if any(p in SKIP_DIRS for p in parts):
            continue
        if os.path.isdir(match) and not os.path.islink(match):
            if ignorer is not None and ignorer.ignored(match, base, is_dir=True):
                continue
            for entry in _walk(match, ignorer):
                found = True
                yield entry
        elif _is_report(match):
            if ignorer is not None and ignorer.ignored(match, base):
                continue
            entry = _found(match)
            if entry.error != "":
                found = True
                yield entry
    if not found:
        yield Entry(pattern, "no such file, and no Markdown reports match it as a glob pattern", True)


def _ignorer(root: str, respect_gitignore: Callable[[str], bool]) -> Ignorer | None:
    if not respect_gitignore(root):
        return None
    from citelint.gitignore import Ignorer

    return Ignorer(root)


def expand(paths: Sequence[str], respect_gitignore: Callable[[str], bool] = lambda root: True) -> Iterator[Entry]:
    """An Entry for every file to lint, and for every path that cannot be used.
    ``respect_gitignore(folder)`` says whether ignore files apply in a walk of that folder."""
    for path in paths:
        if path == "-":
            yield Entry(path, None, True)
            continue
        try:
            st = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ENOENT and not os.path.lexists(path) and GLOB_CHARS & set(path):
                yield from _glob(path, respect_gitignore)
            else:
                yield Entry(path, stat_problem(path, exc), True)
            continue
        if stat.S_ISDIR(st.st_mode):
            found = False
            for entry in _walk(path, _ignorer(path, respect_gitignore)):
                found = True
                yield entry
            if not found:
                yield Entry(path, "directory contains no Markdown reports (*.md)", True)
        elif stat.S_ISREG(st.st_mode):
            yield Entry(path, None, True)
        else:
            yield Entry(path, not_regular(st.st_mode), True)
