"""citelint's user cache: compiled data that would cost every cold start to rebuild.

Files are written atomically (parallel runs, as pre-commit starts them, may write at once)
and a cache that cannot be read or written only costs the next run the work again.
"""
from __future__ import annotations

import marshal
import os
from typing import Any

# os.path, not pathlib, and tempfile only when writing: this module is on every cold start.


def cache_dir() -> str:
    explicit = os.environ.get("CITELINT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "citelint")


def path(name: str) -> str:
    return os.path.join(cache_dir(), name)


def load(name: str) -> Any:
    """The marshalled value stored under ``name``, or None."""
    try:
        with open(path(name), "rb") as fh:
            return marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def store(name: str, value: Any) -> None:
    store_bytes(name, marshal.dumps(value))


def store_bytes(name: str, data: bytes) -> None:
    import tempfile

    directory = cache_dir()
    target = os.path.join(directory, name)
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def remove_stale(prefix: str, keep: str) -> None:
    """Delete the files of older cache formats (``prefix``*) other than ``keep``."""
    try:
        for name in os.listdir(cache_dir()):
            if name.startswith(prefix) and name != keep:
                os.unlink(os.path.join(cache_dir(), name))
    except OSError:
        pass
