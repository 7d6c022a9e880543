"""Replacing a file whole or not at all: the report written with -o and the files --fix
repairs both go through here, so that neither can leave a file half-written."""
from __future__ import annotations

import os
import stat
import tempfile


def replace(path: str, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to a temporary file beside ``path`` (a symlink's target, so that the
    link keeps naming it), give it ``mode`` (default: what a new file gets), and rename it
    over ``path``. Raises OSError, with nothing left behind."""
    real = os.path.realpath(path)
    folder = os.path.dirname(real)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(real)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
