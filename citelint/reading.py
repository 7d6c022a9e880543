"""Reading report files: bytes to text, or a one-line reason why not."""
from __future__ import annotations

import os
import stat

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
    data = read_bytes(path)
    return data, decode(data)


def read_bytes(path: str) -> bytes:
    """A report file's bytes (the result cache keys on them), or ReadError."""
    try:
        # O_NONBLOCK: a FIFO put in a file's place after the folder walk looked at it must
        # not block the run; fstat then refuses it (and any other file that is not regular)
        # before a byte is read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb") as fh:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                from citelint.discovery import not_regular

                raise ReadError(not_regular(st.st_mode))
            if st.st_size > MAX_BYTES:
                raise ReadError(f"file is too large to be a report ({st.st_size / 1048576:.1f} MiB; the limit is {MAX_BYTES // 1048576} MiB)")
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        from citelint.discovery import stat_problem

        if isinstance(exc, IsADirectoryError):
            raise ReadError("is a directory") from None
        raise ReadError(stat_problem(path, exc)) from None
    if len(data) > MAX_BYTES:  # it grew while we looked
        raise ReadError(f"file is too large to be a report (over {MAX_BYTES // 1048576} MiB)")
    return data
