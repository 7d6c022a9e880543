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
    # One regex per path segment, None for '**' (any number of folders). Matching works
    # segment by segment, in O(segments of the pattern x segments of the path): one regex
    # over the whole path with several '**' backtracks polynomially on a deep path.
    parts: tuple[re.Pattern[str] | None, ...]
    negate: bool
    dir_only: bool

    def match(self, rel: str) -> bool:
        """Whether the '/'-separated path ``rel`` (relative to the ignore file's folder)
        matches."""
        names = rel.split("/")
        pat = self.parts
        if len(pat) == 2 and pat[0] is None and pat[1] is not None:  # 'name': the common case
            return pat[1].fullmatch(names[-1]) is not None
        n = len(names)
        states = {0}
        for k, seg in enumerate(pat):
            if seg is None:
                if k == len(pat) - 1:  # a trailing '/**' matches everything inside
                    return min(states) < n
                states = set(range(min(states), n + 1))
            else:
                states = {i + 1 for i in states if i < n and seg.fullmatch(names[i])}
            if not states:
                return False
        return n in states


def _chunk(text: str) -> str:
    """A piece of a segment between its stars: literals, '?', '[...]', backslash escapes."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            out.append(re.escape(text[i + 1]))
            i += 2
            continue
        if c == "?":
            out.append("[^/]")
        elif c == "[":
            j = i + 1
            if j < n and text[j] in "!^":
                j += 1
            if j < n and text[j] == "]":
                j += 1
            close = text.find("]", j)
            if close < 0:
                out.append(re.escape(c))
            else:
                body = text[i + 1 : close]
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


def _split_stars(seg: str) -> list[str]:
    """A segment split at its unescaped runs of '*' (outside brackets)."""
    pieces, current, i, n = [], [], 0, len(seg)
    while i < n:
        c = seg[i]
        if c == "\\" and i + 1 < n:
            current.append(seg[i : i + 2])
            i += 2
            continue
        if c == "[":
            close = seg.find("]", i + 2)
            if close >= 0:
                current.append(seg[i : close + 1])
                i = close + 1
                continue
        if c == "*":
            pieces.append("".join(current))
            current = []
            while i < n and seg[i] == "*":
                i += 1
            continue
        current.append(c)
        i += 1
    pieces.append("".join(current))
    return pieces


def _segment(seg: str) -> str:
    """One path segment's glob as a regex. With several stars, each star but the last
    matches lazily inside an atomic group (as fnmatch.translate does), so that a name is
    matched in linear time, not with exponential backtracking."""
    pieces = [_chunk(p) for p in _split_stars(seg)]
    if len(pieces) == 1:
        return pieces[0]
    out = [pieces[0]]
    for k, piece in enumerate(pieces[1:-1], start=1):
        out.append(f"(?=(?P<g{k}>.*?{piece}))(?P=g{k})")
    out.append(".*" + pieces[-1])
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
    segments = line.lstrip("/").split("/") if anchored else ["**", line]
    parts: list[re.Pattern[str] | None] = []
    try:
        for seg in segments:
            if seg == "**":
                if not parts or parts[-1] is not None:  # '**/**' is one '**'
                    parts.append(None)
            else:
                parts.append(re.compile(_segment(seg), re.S))
    except re.error:  # a character class git would read differently: the line is ignored
        return None
    return Pattern(tuple(parts), negate, dir_only)


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
        self._chains: dict[str, list[tuple[str, list[Pattern]]]] = {}

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

    def _chain(self, directory: str) -> list[tuple[str, list[Pattern]]]:
        """The folders from the top down to ``directory`` that have ignore patterns, with
        their patterns (deepest last, as it wins)."""
        found = self._chains.get(directory)
        if found is not None:
            return found
        folders = []
        current = directory
        while True:
            folders.append(current)
            if current == self.top:
                break
            parent = os.path.dirname(current)
            if parent == current:  # outside the top: only its own folders count
                break
            current = parent
        chain = [(folder, self.rules(folder)) for folder in reversed(folders)]
        found = [(folder, patterns) for folder, patterns in chain if patterns]
        self._chains[directory] = found
        return found

    def matches(self, path: str, is_dir: bool) -> bool:
        """Whether ``path`` itself is ignored (its folders are not looked at: a walk does not
        enter an ignored folder)."""
        path = os.path.abspath(path)
        verdict = False
        for directory, patterns in self._chain(os.path.dirname(path)):
            # ``directory`` is an ancestor of ``path`` (both absolute and normalised).
            rel = path[len(directory) :].lstrip(os.sep)
            if os.sep != "/":
                rel = rel.replace(os.sep, "/")
            for p in patterns:
                if (is_dir or not p.dir_only) and p.match(rel):
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
