"""Which files ``.gitignore`` and ``.ignore`` files leave out of a folder walk.

Imported only when a folder is walked: linting the files pre-commit names never pays for it.
The rules are git's (``gitignore(5)``): blank lines and ``#`` comments are skipped, ``!``
re-includes, a trailing ``/`` matches folders only, a pattern with a ``/`` before its end is
anchored to its file's folder (otherwise it matches a name at any depth), ``*`` and ``?``
never match ``/``, ``**`` matches any number of folders, the last matching line wins and a
deeper file wins over the files above it. As in ripgrep (and ruff), ``.gitignore`` and
``.git/info/exclude`` count only inside a git repository, ``.ignore`` counts everywhere and
wins over ``.gitignore`` in the same folder. Not read: the user's global excludes file and
``core.ignoreCase``.
"""
from __future__ import annotations

import os
import re
from typing import NamedTuple


class Pattern(NamedTuple):
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool


def _segment(seg: str) -> str:
    """One path segment's glob as a regex that never crosses a '/'."""
    out, i, n = [], 0, len(seg)
    while i < n:
        c = seg[i]
        if c == "\\" and i + 1 < n:
            out.append(re.escape(seg[i + 1]))
            i += 2
            continue
        if c == "*":
            while i < n and seg[i] == "*":
                i += 1
            out.append("[^/]*")
            continue
        if c == "?":
            out.append("[^/]")
        elif c == "[":
            j = i + 1
            if j < n and seg[j] in "!^":
                j += 1
            if j < n and seg[j] == "]":
                j += 1
            close = seg.find("]", j)
            if close < 0:
                out.append(re.escape(c))
            else:
                body = seg[i + 1 : close]
                negate = body[:1] in ("!", "^")
                if negate:
                    body = body[1:]
                body = body.replace("\\", "\\\\").replace("^", "\\^").replace("[", "\\[").replace("]", "\\]")
                out.append(f"[^/{body}]" if negate else f"[{body}]")
                i = close + 1
                continue
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def compile_line(line: str) -> Pattern | None:
    """One line of a .gitignore file, or None for a blank line or a comment."""
    line = line.rstrip("\r\n")
    if not line or line.startswith("#"):
        return None
    # Trailing spaces are dropped unless escaped with a backslash.
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        stripped += " "
    line = stripped
    negate = line.startswith("!")
    if negate:
        line = line[1:]
    elif line.startswith(("\\!", "\\#")):
        line = line[1:]
    dir_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    parts = line.lstrip("/").split("/") if anchored else ["**", line]
    out = []
    for i, seg in enumerate(parts):
        last = i == len(parts) - 1
        if seg == "**":
            out.append(".*" if last else "(?:.*/)?")
        else:
            out.append(_segment(seg) + ("" if last else "/"))
    try:
        return Pattern(re.compile("".join(out) + r"\Z", re.S), negate, dir_only)
    except re.error:  # a character class git would read differently: the line is ignored
        return None


def parse(text: str) -> list[Pattern]:
    return [p for p in map(compile_line, text.splitlines()) if p is not None]


def _git_root(directory: str) -> str | None:
    current = directory
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            # An ignore file is small; a huge one is read in part rather than in full.
            return fh.read(1 << 20)
    except OSError:
        return ""


class Ignorer:
    """Answers whether a path under ``base`` is ignored, reading each folder's ignore files
    once, when the walk first reaches it."""

    def __init__(self, base: str) -> None:
        base = os.path.abspath(base)
        git = _git_root(base)
        self.git = git is not None
        self.top = git if git is not None else base
        self._rules: dict[str, list[Pattern]] = {}
        self._chains: dict[str, list[str]] = {}

    def rules(self, directory: str) -> list[Pattern]:
        found = self._rules.get(directory)
        if found is None:
            found = []
            if self.git:
                if directory == self.top:
                    found += parse(_read(os.path.join(directory, ".git", "info", "exclude")))
                found += parse(_read(os.path.join(directory, ".gitignore")))
            found += parse(_read(os.path.join(directory, ".ignore")))
            self._rules[directory] = found
        return found

    def _chain(self, directory: str) -> list[str]:
        """The folders from the top down to ``directory``, whose ignore files apply."""
        if directory in self._chains:
            return self._chains[directory]
        chain = []
        current = directory
        while True:
            chain.append(current)
            if current == self.top:
                break
            parent = os.path.dirname(current)
            if parent == current:  # outside the top: only its own folders count
                break
            current = parent
        chain.reverse()
        self._chains[directory] = chain
        return chain

    def matches(self, path: str, is_dir: bool) -> bool:
        """Whether ``path`` itself is ignored (its folders are not looked at: a walk does not
        enter an ignored folder)."""
        path = os.path.abspath(path)
        verdict = False
        for directory in self._chain(os.path.dirname(path)):
            patterns = self.rules(directory)
            if not patterns:
                continue
            rel = os.path.relpath(path, directory).replace(os.sep, "/")
            for p in patterns:
                if (is_dir or not p.dir_only) and p.regex.match(rel):
                    verdict = not p.negate
        return verdict

    def ignored(self, path: str, below: str, is_dir: bool = False) -> bool:
        """Whether ``path``, or any folder between ``below`` and it, is ignored (for a path a
        glob pattern matched, which no walk reached folder by folder)."""
        path, below = os.path.abspath(path), os.path.abspath(below)
        rel = os.path.relpath(os.path.dirname(path), below)
        current = below
        if rel != os.curdir and not rel.startswith(os.pardir):
            for part in rel.split(os.sep):
                current = os.path.join(current, part)
                if self.matches(current, True):
                    return True
        return path != below and self.matches(path, is_dir)
