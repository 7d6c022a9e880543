"""Which files a run lints: the files named, and the reports inside the directories named."""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

REPORT_SUFFIXES = (".md", ".markdown")
# Directories that hold tools' files, never reports.
SKIP_DIRS = frozenset({"node_modules", "venv", "__pycache__", "site-packages"})


def _walk(root: str) -> Iterator[str]:
    # os.walk does not follow symlinked directories, so a symlink loop cannot trap it, and
    # a link out of the tree does not take the run outside what was named.
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(filenames):
            if name.lower().endswith(REPORT_SUFFIXES):
                yield os.path.join(dirpath, name)


def expand(paths: Sequence[str]) -> Iterator[tuple[str, str | None, bool]]:
    """(path, error, named) for every file to lint: error is set for a path that cannot be
    used, and named says the file was named itself rather than found in a directory."""
    for path in paths:
        if path == "-":
            yield path, None, True
        elif os.path.isdir(path):
            found = False
            for file in _walk(path):
                found = True
                yield file, None, False
            if not found:
                yield path, "directory contains no Markdown reports (*.md)", True
        elif os.path.exists(path):
            yield path, None, True
        elif os.path.islink(path):
            yield path, "broken symbolic link", True
        else:
            yield path, "no such file or directory", True
