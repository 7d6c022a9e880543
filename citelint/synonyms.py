"""Synonyms and derivations of a word stem, from the table built out of WordNet.

The table (``citelint/data/synonyms.txt``, built by ``scripts/build_synonyms.py``; WordNet's
licence is in ``citelint/data/NOTICE-WordNet``) is one sorted line per stem. It is opened
only when a clause has a word its evidence lacks, memory-mapped, and searched by bisection,
so a run reads the few pages its look-ups touch instead of parsing 1.3 MB at every start.
"""
from __future__ import annotations

import mmap
import threading
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "synonyms.txt"
_LOCAL = threading.local()  # one open table per thread: nothing shared to race on


def _table() -> mmap.mmap | bytes:
    table: mmap.mmap | bytes | None = getattr(_LOCAL, "table", None)
    if table is None:
        try:
            with open(DATA, "rb") as fh:
                table = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # no mmap here, or the file is missing (a broken install)
            table = DATA.read_bytes() if DATA.exists() else b""
        _LOCAL.table = table
    return table


def _find(blob: mmap.mmap | bytes, stem: bytes) -> bytes:
    """The related stems on the line of ``stem`` (bisection over the sorted lines)."""
    key = stem + b"\t"
    lo, hi = 0, len(blob)
    # Invariant: a line starting before ``lo`` sorts before ``key``; one starting at or
    # after ``hi`` sorts after it.
    while lo < hi:
        mid = (lo + hi) // 2
        start = blob.rfind(b"\n", 0, mid) + 1
        end = blob.find(b"\n", start)
        if end < 0:
            end = len(blob)
        line = blob[start:end]
        if line.startswith(key):
            return line[len(key) :]
        if line + b"\n" < key:
            lo = end + 1
        else:
            hi = start
    return b""


@lru_cache(maxsize=65536)
def related(stem: str) -> frozenset[str]:
    """Stems WordNet relates to ``stem`` (synonyms of its commonest senses, derivations,
    irregular forms); empty when it knows none. Cached: it depends on the stem alone."""
    if not stem.isascii() or not stem:
        return frozenset()
    found = _find(_table(), stem.encode("ascii"))
    return frozenset(found.decode("ascii").split(",")) if found else frozenset()
