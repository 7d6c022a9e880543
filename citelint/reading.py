"""Reading report files: bytes to text, or a one-line reason why not."""
from __future__ import annotations

import os

# Reports are a few kilobytes; a file this large is a mistake, not a report.
MAX_BYTES = 10 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be linted; str() is the one-line reason."""


def decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("file is UTF-16 text; citelint reads UTF-8")
    if b"\x00" in data:
        raise ReadError("binary file (it contains NUL bytes), not a Markdown report")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise ReadError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at line {line}, column {col}"
        ) from None


def read(path: str) -> str:
    return read_with_bytes(path)[1]


def read_with_bytes(path: str) -> tuple[bytes, str]:
    """The file's bytes and its text (the fixer compares the bytes before writing back)."""
    try:
        size = os.stat(path).st_size
        if size > MAX_BYTES:
            raise ReadError(f"file is too large to be a report ({size / 1048576:.1f} MiB; the limit is {MAX_BYTES // 1048576} MiB)")
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ReadError("no such file or directory") from None
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc)) from None
    if len(data) > MAX_BYTES:  # it grew while we looked
        raise ReadError(f"file is too large to be a report (over {MAX_BYTES // 1048576} MiB)")
    return data, decode(data)
