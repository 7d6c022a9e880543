"""The word lexicon behind the merged-word rule, shipped compiled in the package.

Sources (compiled by scripts/build_lexicon.py from pinned versions; see NOTICE):
- wordfreq's large English list: how frequent each word is (zipf scale), CC BY-SA 4.0;
- the 82,765-word frequency dictionary that ships in symspellpy: words never to flag, MIT;
- the bigram counts that ship in wordsegment: evidence that "w1 w2" is a real phrase,
  Apache-2.0;
- the unigram counts that ship in wordsegment (Google's web corpus), only for tokens the word
  list lacks that split into two of its words: evidence that "mailserver" or "classmethod" is
  written solid on purpose, Apache-2.0.

Read naively the three cost about a second and 100 MB at every start, and pre-commit starts
citelint on every commit. So they are compiled, once, by the maintainers into
citelint/data/lexicon.bin: records in one blob, in hash buckets. Loading it maps the file
into memory (no per-word Python objects are built, and only the pages that look-ups touch
are read, shared by every worker process), and a look-up is one substring search inside a
hash bucket of a few records. Nothing is compiled or cached on a user's machine.
"""
from __future__ import annotations

import mmap
import os
import struct
import zlib
from array import array
from typing import Union
from collections.abc import Iterable

FORMAT_VERSION = 3
# Google's trillion-word corpus size, the denominator of wordsegment's counts.
BIGRAM_TOTAL = 1024908267229.0
# Anything with find() and slicing: bytes, or an mmap of the lexicon file.
Blob = Union[bytes, mmap.mmap]
PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "lexicon.bin")


class Table:
    """``key<TAB>int`` records in one blob, in hash buckets: a look-up hashes the key (crc32,
    stable across processes unlike ``hash()``) and searches one bucket of a few records.
    The blob may be a memory-mapped file: then nothing is read until looked up."""

    __slots__ = ("blob", "base", "offsets", "buckets")

    def __init__(self, blob: Blob, offsets: array[int] | memoryview, base: int = 0) -> None:
        self.blob = blob
        self.base = base  # where the records start in ``blob``
        # Bucket boundaries: a view into the (mapped) file, not a copy, so that opening the
        # lexicon reads nothing (a copy cost every worker process ~15 ms).
        self.offsets = offsets
        self.buckets = len(self.offsets) - 1

    @classmethod
    def build(cls, items: Iterable[tuple[str, int]]) -> Table:
        # Sorted, so that the same items always give the same bytes (a set or dict filled
        # in hash order would not: string hashes are salted per process).
        pairs = sorted(items)
        buckets = 1 << max(4, (len(pairs) // 4).bit_length())
        grouped: list[list[bytes]] = [[] for _ in range(buckets)]
        for key, value in pairs:
            raw = key.encode("ascii")
            grouped[zlib.crc32(raw) % buckets].append(b"\n" + raw + b"\t" + str(value).encode())
        offsets = array("I", [0])
        parts = []
        size = 0
        for group in grouped:
            chunk = b"".join(group) + b"\n"
            parts.append(chunk)
            size += len(chunk)
            offsets.append(size)
        return cls(b"".join(parts), offsets)

    def records(self) -> bytes:
        return bytes(self.blob[self.base : self.base + self.offsets[-1]])

    def get(self, key: str) -> int | None:
        raw = key.encode("ascii", "replace")
        bucket = zlib.crc32(raw) % self.buckets
        needle = b"\n" + raw + b"\t"
        base = self.base
        at = self.blob.find(needle, base + self.offsets[bucket], base + self.offsets[bucket + 1])
        if at < 0:
            return None
        value_at = at + len(needle)
        return int(self.blob[value_at : self.blob.find(b"\n", value_at)])


class Lexicon:
    """Word frequencies (zipf), dictionary membership, bigram counts and the web counts of
    tokens written solid."""

    def __init__(self, words: Table, bigrams: Table, joined: Table | None = None) -> None:
        self.words = words
        self.bigrams = bigrams
        self.joined = joined if joined is not None else Table.build(())

    def word(self, word: str) -> tuple[float, bool] | None:
        """(zipf frequency, in the never-flag dictionary) for a lowercase word."""
        value = self.words.get(word)
        if value is None:
            return None
        return (value >> 1) / 100.0, bool(value & 1)

    def bigram_probability(self, first: str, second: str) -> float:
        count = self.bigrams.get(f"{first} {second}")
        return count / BIGRAM_TOTAL if count else 0.0

    def bigram_count(self, first: str, second: str) -> int:
        return self.bigrams.get(f"{first} {second}") or 0

    def joined_count(self, token: str) -> int:
        """How often the web writes ``token`` (lower case) as one word, when the word list
        lacks it: 0 for a token no web text writes often."""
        return self.joined.get(token) or 0


_MAGIC = b"CITLEX%02d" % FORMAT_VERSION
_HEADER = struct.Struct("<8s6Q")


class LexiconError(Exception):
    """The shipped lexicon file is missing or damaged (a broken installation)."""


def serialise(lexicon: Lexicon) -> bytes:
    parts = [
        lexicon.words.offsets.tobytes(),
        lexicon.words.records(),
        lexicon.bigrams.offsets.tobytes(),
        lexicon.bigrams.records(),
        lexicon.joined.offsets.tobytes(),
        lexicon.joined.records(),
    ]
    return _HEADER.pack(_MAGIC, *map(len, parts)) + b"".join(parts)


def parse(blob: Blob) -> Lexicon | None:
    """The lexicon in ``blob``, or None when its header or size is wrong."""
    if len(blob) < _HEADER.size:
        return None
    magic, *sizes = _HEADER.unpack(blob[: _HEADER.size])
    if magic != _MAGIC or _HEADER.size + sum(sizes) != len(blob):
        return None
    at = _HEADER.size
    tables = []
    for offsets_size, records_size in zip(sizes[::2], sizes[1::2]):
        if offsets_size % 4 or offsets_size < 8:
            return None
        offsets = memoryview(blob)[at : at + offsets_size].cast("I")
        table = Table(blob, offsets, at + offsets_size)
        if table.offsets[0] != 0 or table.offsets[-1] != records_size:
            return None
        tables.append(table)
        at += offsets_size + records_size
    return Lexicon(tables[0], tables[1], tables[2])


def map_file(path: str, what: str) -> Blob:
    """The shipped data file ``path``, memory-mapped: a cold start reads only the pages its
    look-ups touch, and worker processes share them. A file that cannot be read is a
    LexiconError naming ``what`` it is."""
    try:
        with open(path, "rb") as fh:
            try:
                return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # an empty file, or no mmap here
                return fh.read()
    except OSError as exc:
        raise LexiconError(f"cannot read {what}: {exc.strerror}; reinstall citelint-reports") from exc


def open_file(path: str) -> Lexicon:
    """The lexicon in ``path``, memory-mapped."""
    blob = map_file(path, f"the word lexicon {path}")
    lexicon = parse(blob)
    if lexicon is None:
        raise LexiconError(f"the word lexicon {path} is damaged; reinstall citelint-reports")
    return lexicon


_LOADED: Lexicon | None = None


def load() -> Lexicon:
    """The shipped lexicon (opened once per process)."""
    global _LOADED
    if _LOADED is None:
        _LOADED = open_file(PATH)
    return _LOADED
