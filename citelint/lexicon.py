"""The word lexicon behind the merged-word rule, built once and cached.

Sources (each an installed dependency; their data is never copied into this repository):
- wordfreq's large English list: how frequent each word is (zipf scale), CC BY-SA 4.0;
- the 82,765-word frequency dictionary that ships in symspellpy: words never to flag;
- the bigram counts that ship in wordsegment: evidence that "w1 w2" is a real phrase.

Read naively the three cost about a second and 100 MB at every start, and pre-commit starts
citelint on every commit. So they are compiled once into a compact cache file: sorted
records in one bytes blob, bucketed by their first two letters. Loading it is a single
``marshal.loads`` of a few bytes objects (no per-word Python objects are built), and a
look-up is one substring search inside a hash bucket of a few records.
"""
from __future__ import annotations

import math
import re
import zlib
from array import array
from collections.abc import Iterable
from pathlib import Path

from citelint import cache

FORMAT_VERSION = 1
# Google's trillion-word corpus size, the denominator of wordsegment's counts.
BIGRAM_TOTAL = 1024908267229.0
_ALPHA = re.compile(r"[a-z]+")


class Table:
    """``key<TAB>int`` records in one bytes blob, in hash buckets: a look-up hashes the key
    (crc32, stable across processes unlike ``hash()``) and searches one bucket of a few
    records."""

    __slots__ = ("blob", "offsets", "buckets")

    def __init__(self, blob: bytes, offsets: bytes) -> None:
        self.blob = blob
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

    def get(self, key: str) -> int | None:
        raw = key.encode("ascii", "replace")
        bucket = zlib.crc32(raw) % self.buckets
        needle = b"\n" + raw + b"\t"
        at = self.blob.find(needle, self.offsets[bucket], self.offsets[bucket + 1])
        if at < 0:
            return None
        value_at = at + len(needle)
        return int(self.blob[value_at : self.blob.index(b"\n", value_at)])

    def __len__(self) -> int:
        return self.blob.count(b"\t")


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


def _source_paths() -> tuple[Path, Path]:
    import symspellpy
    import wordsegment

    return (
        Path(symspellpy.__file__).with_name("frequency_dictionary_en_82_765.txt"),
        Path(wordsegment.__file__).with_name("bigrams.txt"),
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


def _fields(table: Table) -> tuple[bytes, bytes]:
    return table.blob, table.offsets.tobytes()


def _from_cache(value: object) -> Lexicon | None:
    if not isinstance(value, tuple) or len(value) != 5 or value[0] != FORMAT_VERSION:
        return None
    return Lexicon(Table(*value[1:3]), Table(*value[3:5]))


_LOADED: Lexicon | None = None


def load() -> Lexicon:
    """The cached lexicon, building (and caching) it on first use."""
    global _LOADED
    if _LOADED is None:
        _LOADED = _from_cache(cache.load(CACHE_NAME))
        if _LOADED is None:
            _LOADED = build()
            cache.store(CACHE_NAME, (FORMAT_VERSION, *_fields(_LOADED.words), *_fields(_LOADED.bigrams)))
    return _LOADED
