"""The word lexicon behind the merged-word rule, built once and cached.

Sources (each an installed dependency; their data is never copied into this repository):
- wordfreq's large English list: how frequent each word is (zipf scale), CC BY-SA 4.0;
- the 82,765-word frequency dictionary that ships in symspellpy: words never to flag;
- the bigram counts that ship in wordsegment: evidence that "w1 w2" is a real phrase.

Read naively the three cost about a second and 100 MB at every start, and pre-commit starts
citelint on every commit. So they are compiled once into a compact cache file: records in
one blob, in hash buckets. Loading it maps the file into memory (no per-word Python objects
are built, and only the pages that look-ups touch are read), and a look-up is one substring
search inside a hash bucket of a few records.
"""
from __future__ import annotations

import math
import mmap
import os
import struct
import re
import zlib
from array import array
from typing import Union
from collections.abc import Iterable
from citelint import cache

FORMAT_VERSION = 2
# Google's trillion-word corpus size, the denominator of wordsegment's counts.
BIGRAM_TOTAL = 1024908267229.0
# Anything with find() and slicing: bytes, or an mmap of the cache file.
Blob = Union[bytes, mmap.mmap]
_ALPHA = re.compile(r"[a-z]+")


class Table:
    """``key<TAB>int`` records in one blob, in hash buckets: a look-up hashes the key (crc32,
    stable across processes unlike ``hash()``) and searches one bucket of a few records.
    The blob may be a memory-mapped cache file: then nothing is read until looked up."""

    __slots__ = ("blob", "base", "offsets", "buckets")

    def __init__(self, blob: Blob, offsets: bytes, base: int = 0) -> None:
        self.blob = blob
        self.base = base  # where the records start in ``blob``
        self.offsets = array("I")
        self.offsets.frombytes(offsets)
        self.buckets = len(self.offsets) - 1

    @classmethod
    def build(cls, items: Iterable[tuple[str, int]]) -> Table:
        pairs = list(items)
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
        return cls(b"".join(parts), offsets.tobytes())

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
    """Word frequencies (zipf), dictionary membership and bigram counts."""

    def __init__(self, words: Table, bigrams: Table) -> None:
        self.words = words
        self.bigrams = bigrams

    def word(self, word: str) -> tuple[float, bool] | None:
        """(zipf frequency, in the never-flag dictionary) for a lowercase word."""
        value = self.words.get(word)
        if value is None:
            return None
        return (value >> 1) / 100.0, bool(value & 1)

    def bigram_probability(self, first: str, second: str) -> float:
        count = self.bigrams.get(f"{first} {second}")
        return count / BIGRAM_TOTAL if count else 0.0


def _source_paths() -> tuple[str, str]:
    import symspellpy
    import wordsegment

    return (
        os.path.join(os.path.dirname(symspellpy.__file__), "frequency_dictionary_en_82_765.txt"),
        os.path.join(os.path.dirname(wordsegment.__file__), "bigrams.txt"),
    )


def build() -> Lexicon:
    """Compile the lexicon from the installed sources (about a second)."""
    import wordfreq

    dictionary_path, bigram_path = _source_paths()
    dictionary = set()
    with open(dictionary_path, encoding="utf-8") as fh:
        for line in fh:
            word = line.split(" ", 1)[0]
            if _ALPHA.fullmatch(word):
                dictionary.add(word)
    values: dict[str, int] = {}
    for word, freq in wordfreq.get_frequency_dict("en", wordlist="large").items():
        if _ALPHA.fullmatch(word):
            values[word] = round((math.log10(freq) + 9) * 100) * 2
    for word in dictionary:
        values[word] = values.get(word, 0) | 1
    bigrams: dict[str, int] = {}
    with open(bigram_path, encoding="utf-8") as fh:
        for line in fh:
            pair, _, count = line.rstrip("\n").partition("\t")
            first, _, second = pair.partition(" ")
            if _ALPHA.fullmatch(first) and _ALPHA.fullmatch(second):
                # The file lists some pairs twice (case variants folded to lower case).
                bigrams[pair] = bigrams.get(pair, 0) + int(count)
    return Lexicon(Table.build(values.items()), Table.build(bigrams.items()))


CACHE_NAME = f"lexicon-v{FORMAT_VERSION}.bin"
_MAGIC = b"CITLEX%02d" % FORMAT_VERSION
_HEADER = struct.Struct("<8s4Q")


def _serialise(lexicon: Lexicon) -> bytes:
    parts = [
        lexicon.words.offsets.tobytes(),
        lexicon.words.records(),
        lexicon.bigrams.offsets.tobytes(),
        lexicon.bigrams.records(),
    ]
    return _HEADER.pack(_MAGIC, *map(len, parts)) + b"".join(parts)


def _open(path: str) -> Lexicon | None:
    """The lexicon in a cache file, memory-mapped: a cold start reads only the pages its
    look-ups touch instead of the whole file."""
    try:
        with open(path, "rb") as fh:
            try:
                blob: Blob = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # an empty file, or no mmap here
                blob = fh.read()
    except OSError:
        return None
    if len(blob) < _HEADER.size:
        return None
    magic, *sizes = _HEADER.unpack(blob[: _HEADER.size])
    if magic != _MAGIC or _HEADER.size + sum(sizes) != len(blob):
        return None
    at = _HEADER.size
    tables = []
    for offsets_size, records_size in ((sizes[0], sizes[1]), (sizes[2], sizes[3])):
        offsets = bytes(blob[at : at + offsets_size])
        tables.append(Table(blob, offsets, at + offsets_size))
        at += offsets_size + records_size
    return Lexicon(tables[0], tables[1])


_LOADED: Lexicon | None = None


def load() -> Lexicon:
    """The cached lexicon, building (and caching) it on first use."""
    global _LOADED
    if _LOADED is None:
        _LOADED = _open(cache.path(CACHE_NAME))
        if _LOADED is None:
            _LOADED = build()
            cache.store_bytes(CACHE_NAME, _serialise(_LOADED))
            cache.remove_stale("lexicon-v", keep=CACHE_NAME)
    return _LOADED
