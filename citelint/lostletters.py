"""Letters lost in a lossy conversion: deleted non-ASCII letters ("Trkiye" for "Türkiye",
"Erdoan" for "Erdoğan", "Kasmpasa" for "Kasımpaşa") and mojibake ("Ã©", "â€™": UTF-8
bytes read as Windows-1252).

Lost letters are found through a map from damaged forms to words, built by
``scripts/build_lostletters.py`` from wordfreq's lists (shipped gzipped in
``citelint/data``), and from the words of the document itself that carry such letters (a
name spelled right in one place and damaged in another). The map is compiled into hash
buckets (the lexicon's format) and memory-mapped, so a run reads only the pages its look-ups
touch. That compiled file ships in the package (``lostletters.bin``,
compiled from the ``.tsv.gz`` beside it by ``python -m citelint.lostletters``; a test checks
that the two agree), so no run compiles anything.

Mojibake needs no word list: a run of characters that are what Windows-1252 (or Latin-1)
shows for the bytes of a UTF-8 sequence is re-encoded and decoded as UTF-8; only a run that
decodes cleanly is reported, with what it decodes to.
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
import struct
import sys
import threading
import unicodedata
from array import array
from collections.abc import Iterable, Sequence

from citelint.lexicon import Blob, LexiconError, Table, map_file

DATA = os.path.join(os.path.dirname(__file__), "data", "lostletters.tsv.gz")
COMPILED = os.path.join(os.path.dirname(__file__), "data", "lostletters.bin")
_MAGIC = b"CITLL001"
_HEADER = struct.Struct("<8s3Q")


class LostLetters:
    """Damaged form (lower case) -> word."""

    def __init__(self, table: Table, words: Blob, words_at: int) -> None:
        self.table = table
        self.words = words
        self.words_at = words_at

    def get(self, form: str) -> str | None:
        at = self.table.get(form)
        if at is None:
            return None
        start = self.words_at + at
        return bytes(self.words[start : self.words.find(b"\n", start)]).decode("utf-8")


def build(source: str = DATA) -> bytes:
    """The compiled map of the gzipped ``form<TAB>word`` list at ``source``."""
    import gzip

    pairs: list[tuple[str, int]] = []
    words = bytearray()
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            form, word = line.rstrip("\n").split("\t")
            pairs.append((form, len(words)))
            words += word.encode("utf-8") + b"\n"
    table = Table.build(pairs)
    offsets = table.offsets.tobytes() if isinstance(table.offsets, array) else bytes(table.offsets)
    records = table.records()
    return _HEADER.pack(_MAGIC, len(offsets), len(records), len(words)) + offsets + records + bytes(words)


def parse(blob: Blob) -> LostLetters | None:
    """The map in ``blob``, or None when its header or size is wrong."""
    if len(blob) < _HEADER.size:
        return None
    magic, n_offsets, n_records, n_words = _HEADER.unpack(blob[: _HEADER.size])
    if magic != _MAGIC or _HEADER.size + n_offsets + n_records + n_words != len(blob) or n_offsets % 4:
        return None
    at = _HEADER.size
    table = Table(blob, memoryview(blob)[at : at + n_offsets].cast("I"), at + n_offsets)
    if table.offsets[0] != 0 or table.offsets[-1] != n_records:
        return None
    return LostLetters(table, blob, at + n_offsets + n_records)


# Per thread and document-independent: the shipped map, opened once.
_LOCAL = threading.local()


def load() -> LostLetters:
    """The shipped map, memory-mapped. A missing or damaged file is a LexiconError that
    names it (the rule becomes one CIT000 saying so), never a silent empty map."""
    found: LostLetters | None = getattr(_LOCAL, "map", None)
    if found is None:
        found = parse(map_file(COMPILED, COMPILED))
        if found is None:
            raise LexiconError(f"{COMPILED} is damaged; reinstall citelint-reports")
        _LOCAL.map = found
    return found


LOOSE = os.path.join(os.path.dirname(__file__), "data", "lostletters-loose.bin")
_LOOSE_MAGIC = b"CITLF003"
# A Golomb-Rice set's header: forms, remainder bits, buckets, bytes of coded data.
_SET_HEADER = struct.Struct("<QIIQ")
# A bucket covers 2**(bits + BUCKET_SHIFT) fingerprint values: about 2**BUCKET_SHIFT forms,
# decoded one after another on a look-up. 32 forms cost about 1 bit a form for their 4-byte
# index entry and 0.1 for the byte each bucket starts on, and a look-up about 8 us; 128 cost
# 0.3 bit less and 49 us (the loose list is read for every rare capitalised word).
BUCKET_SHIFT = 5


def fingerprint(form: str, n: int, bits: int) -> int:
    """``form``'s place among ``n << bits`` values: a 64-bit hash scaled down, so two forms
    share one with a chance of 1 in ``n << bits``, and a form outside a set of ``n`` matches
    one of them with a chance of about 1 in ``2**bits``."""
    digest = hashlib.blake2b(form.encode("ascii", "replace"), digest_size=8).digest()
    return (int.from_bytes(digest, "little") * (n << bits)) >> 64


def encode_set(forms: Iterable[str], bits: int) -> bytes:
    """A Golomb-Rice coded set of ``forms``' fingerprints (about ``bits`` + 2.7 bits a form):
    the sorted fingerprints cut into buckets by their high bits, each bucket's gaps written
    as a unary quotient and ``bits`` remainder bits, each bucket starting on a byte (its
    offset in a small index), so a look-up decodes one bucket."""
    unique = sorted(set(forms))
    n = max(1, len(unique))
    values = sorted({fingerprint(form, n, bits) for form in unique})
    shift = bits + BUCKET_SHIFT
    n_buckets = ((n << bits) >> shift) + 1
    index = array("I", [0])
    data = bytearray()
    at = 0
    for bucket in range(n_buckets):
        base = bucket << shift
        codes: list[str] = []
        last = base
        while at < len(values) and values[at] >> shift == bucket:
            gap = values[at] - last
            last = values[at]
            codes.append("1" * (gap >> bits) + "0" + format(gap & ((1 << bits) - 1), f"0{bits}b"))
            at += 1
        text = "".join(codes)
        if text:
            text += "0" * (-len(text) % 8)
            data += int(text, 2).to_bytes(len(text) // 8, "big")
        index.append(len(data))
    if sys.byteorder != "little":
        index.byteswap()
    return _SET_HEADER.pack(len(unique), bits, n_buckets, len(data)) + index.tobytes() + bytes(data)


class GolombSet:
    """A set of forms as a Golomb-Rice coded set of fingerprints (``encode_set``): enough to
    say a form is one of them (a false match is about one look-up in ``2**bits``), not
    which word it came from."""

    def __init__(self, n: int, bits: int, index: Sequence[int], data: Blob, data_at: int) -> None:
        self.n = n
        self.bits = bits
        self.index = index
        self.data = data
        self.data_at = data_at

    def __contains__(self, form: str) -> bool:
        target = fingerprint(form, self.n, self.bits)
        shift = self.bits + BUCKET_SHIFT
        bucket = target >> shift
        start, end = self.data_at + self.index[bucket], self.data_at + self.index[bucket + 1]
        if start == end:
            return False
        # The bucket as a string of bits: str.find walks the unary quotients in C.
        text = format(int.from_bytes(self.data[start:end], "big"), f"0{8 * (end - start)}b")
        bits = self.bits
        value = bucket << shift
        at, stop = 0, len(text) - bits
        while at < stop:
            zero = text.find("0", at)
            if zero < 0 or zero >= stop:
                break
            value += ((zero - at) << bits) | int(text[zero + 1 : zero + 1 + bits], 2)
            if value >= target:
                return value == target
            at = zero + 1 + bits
        return False


def parse_set(blob: Blob, at: int) -> tuple[GolombSet, int] | None:
    """The set stored in ``blob`` from ``at`` and where it ends, or None when it is damaged."""
    if len(blob) < at + _SET_HEADER.size:
        return None
    n, bits, n_buckets, n_data = _SET_HEADER.unpack(blob[at : at + _SET_HEADER.size])
    at += _SET_HEADER.size
    end = at + 4 * (n_buckets + 1) + n_data
    if not 8 <= bits <= 32 or n_buckets != ((n << bits) >> (bits + BUCKET_SHIFT)) + 1 or len(blob) < end:
        return None
    index = memoryview(blob)[at : at + 4 * (n_buckets + 1)].cast("I")
    if index[0] != 0 or index[-1] != n_data:
        return None
    return GolombSet(n, bits, index, blob, end - n_data), end


class Loose:
    """The damaged forms of rarer words (``scripts/build_lostletters.py``), and those of
    them whose word lost its first letter ("ukasz" for "Łukasz")."""

    def __init__(self, forms: GolombSet, initial: GolombSet) -> None:
        self.forms = forms
        self.initial = initial

    def __contains__(self, form: str) -> bool:
        return form in self.forms


def encode_loose(forms: Iterable[str], bits: int, initial: Iterable[str], initial_bits: int) -> bytes:
    """The loose list's file: its two sets, the forms and those whose word lost its first
    letter (read on lower-case words of every document, so with more bits: fewer false
    matches)."""
    return _LOOSE_MAGIC + encode_set(forms, bits) + encode_set(initial, initial_bits)


def parse_loose(blob: Blob) -> Loose | None:
    if bytes(blob[:8]) != _LOOSE_MAGIC or sys.byteorder != "little":
        return None
    first = parse_set(blob, 8)
    if first is None:
        return None
    second = parse_set(blob, first[1])
    if second is None or second[1] != len(blob):
        return None
    return Loose(first[0], second[0])


def load_loose() -> Loose:
    """The shipped loose list, memory-mapped; opened only when a document already shows
    lost letters or holds a lower-case word that no English word list knows. A missing or
    damaged file is a LexiconError, as for ``load``."""
    found: Loose | None = getattr(_LOCAL, "loose", None)
    if found is None:
        found = parse_loose(map_file(LOOSE, LOOSE))
        if found is None:
            raise LexiconError(f"{LOOSE} is damaged; reinstall citelint-reports")
        _LOCAL.loose = found
    return found


def main() -> int:
    """Compile the shipped ``lostletters.bin`` from ``lostletters.tsv.gz``."""
    with open(COMPILED, "wb") as fh:
        fh.write(build())
    return 0


def damaged_forms(word: str) -> set[str]:
    """The forms a lossy conversion makes of ``word``: its non-ASCII letters deleted, or
    decomposed with the accents dropped and the letters without an ASCII base deleted. A
    form where no letter was deleted ("Godel") is a spelling and is left out."""
    out = {word.encode("ascii", "ignore").decode()}
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = decomposed.encode("ascii", "ignore").decode()
    if len(stripped) < sum(1 for c in decomposed if not unicodedata.combining(c)):
        out.add(stripped)
    return {f for f in out if len(f) >= 4 and f.isalpha()}


# A run of letters. (Those with a letter outside ASCII are picked after the match: a pattern
# that asks for one inside the run backtracks through every ASCII run, quadratic in its
# length.)
_LETTERS = re.compile(r"[^\W\d_]+")


def document_forms(texts: Iterable[str]) -> dict[str, str]:
    """Damaged form (lower case) -> word, for the words of the document that carry letters
    outside ASCII."""
    out: dict[str, str] = {}
    for text in texts:
        if text.isascii():
            continue
        for word in set(_LETTERS.findall(text)):
            if word.isascii() or not all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word):
                continue
            for form in damaged_forms(word):
                out.setdefault(form.lower(), word)
    return out


def restore_case(token: str, word: str) -> str:
    if token.isupper():
        return word.upper()
    if token[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# --- mojibake -----------------------------------------------------------------------------


def _shown(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # the five bytes cp1252 leaves undefined, as Latin-1 shows them


@functools.lru_cache(maxsize=1)
def _mojibake_tables() -> tuple[re.Pattern[str], dict[str, int]]:
    """The pattern of UTF-8 sequences as Windows-1252 shows them, and the byte each shown
    character stands for. Built on first use: most reports are ASCII and never need it."""
    cont = "".join(re.escape(_shown(b)) for b in range(0x80, 0xC0))
    pattern = re.compile(
        "(?:[\u00c2-\u00df][" + cont + "]"
        "|[\u00e0-\u00ef][" + cont + "]{2}"
        "|[\u00f0-\u00f4][" + cont + "]{3})+"
    )
    return pattern, {_shown(b): b for b in range(0x80, 0x100)}


def _letter_at(text: str, at: int) -> bool:
    return 0 <= at < len(text) and text[at].isalpha()


def mojibake(text: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, original) of each run of mojibake in ``text``."""
    if text.isascii():
        return
    pattern, byte_of = _mojibake_tables()
    for m in pattern.finditer(text):
        if len(m.group()) == 2 and m.group()[0] == "\u00d7":
            # "×" and a no-break space or symbol: a multiplication ("5 ×\u00a010"), not one
            # Hebrew letter (text in Hebrew read so is a run of several).
            continue
        try:
            original = bytes(byte_of[c] for c in m.group()).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            continue
        if original.isalpha() and len(original) == 1 and not _letter_at(text, m.start() - 1) and not _letter_at(text, m.end()):
            # One letter's mojibake standing alone: text about mojibake quoting it ("characters
            # like “Ã©” or “Ã¨”"); a damaged word holds it ("cafÃ©").
            continue
        yield m.start(), m.end(), original


if __name__ == "__main__":
    raise SystemExit(main())
