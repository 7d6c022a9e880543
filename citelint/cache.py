"""citelint's user cache: small answers that save a cold start some milliseconds.

It holds only things that are cheap to recompute (the installed rule plugins, which
configuration files passed schema validation), so a cache that is missing, unwritable or
damaged costs a run a few milliseconds, never a wrong answer. Every file carries a header
(magic, format version, payload length, CRC-32 of the payload): a file whose header, length
or checksum does not match is ignored, and rebuilt by the next store. Files are written
atomically (parallel runs, as pre-commit starts them, may write at once).
"""
from __future__ import annotations

import marshal
import os
import struct
import zlib
from typing import Any

# os.path, not pathlib, and tempfile only when writing: this module is on every cold start.

FORMAT_VERSION = 1
_MAGIC = b"CITCACHE"
# magic, format version, payload length, CRC-32 of the payload.
_HEADER = struct.Struct("<8sIQI")
# Files older citelint versions left behind (the lexicon now ships in the package).
_STALE_PREFIXES = ("lexicon-v",)


def cache_dir() -> str | None:
    """The cache directory, or None when there is no sensible place for one."""
    explicit = os.environ.get("CITELINT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        home = os.path.expanduser("~")
        # With HOME unset and no passwd entry, "~" comes back unexpanded: a relative path
        # would put a directory named "~" into whatever folder citelint runs in.
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "citelint")


def path(name: str) -> str | None:
    directory = cache_dir()
    return None if directory is None else os.path.join(directory, name)


def encode(payload: bytes) -> bytes:
    """``payload`` with the header that :func:`decode` checks."""
    return _HEADER.pack(_MAGIC, FORMAT_VERSION, len(payload), zlib.crc32(payload)) + payload


def decode(data: bytes) -> bytes | None:
    """The payload of a cache file, or None when its header, length or checksum is wrong."""
    if len(data) < _HEADER.size:
        return None
    magic, version, length, crc = _HEADER.unpack_from(data)
    payload = data[_HEADER.size :]
    if magic != _MAGIC or version != FORMAT_VERSION or length != len(payload) or crc != zlib.crc32(payload):
        return None
    return payload


def load_bytes(name: str) -> bytes | None:
    """The verified payload stored under ``name``, or None."""
    target = path(name)
    if target is None:
        return None
    try:
        with open(target, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    return decode(data)


def load(name: str) -> Any:
    """The marshalled value stored under ``name``, or None."""
    payload = load_bytes(name)
    if payload is None:
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):  # e.g. written by a newer Python
        return None


def store(name: str, value: Any) -> None:
    store_bytes(name, marshal.dumps(value))


def store_bytes(name: str, payload: bytes) -> None:
    """Store ``payload`` under ``name``; silently nothing when the cache is not writable."""
    import tempfile

    directory = cache_dir()
    if directory is None:
        return
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(encode(payload))
            os.replace(tmp, os.path.join(directory, name))
        except BaseException:
            os.unlink(tmp)
            raise
        # Writes are rare (a changed environment or configuration), so tidy up then.
        for entry in os.listdir(directory):
            if entry.startswith(_STALE_PREFIXES):
                os.unlink(os.path.join(directory, entry))
    except OSError:
        pass
