"""Build ``citelint/data/lostletters.tsv.gz``: ASCII forms of words whose non-ASCII letters a
lossy conversion deleted, mapped back to the word.

    python scripts/build_lostletters.py [--min-zipf 4.0] [--loose-zipf 2.0]

Source: the word lists of ``wordfreq`` (code Apache-2.0; data CC BY-SA 4.0, by Robyn Speer
and contributors; see wordfreq's README) for the languages written in the Latin alphabet,
English included (names and loanwords: "Erdoğan", "café"); Serbo-Croatian is left out (its list
mixes scripts and spellings). Words of the other languages enter only when their letters
outside ASCII stand inside the word (see ``interior``). A word enters when its frequency
in its language is at least ``--min-zipf`` (``--min-zipf-en`` for English) (chosen on the tuning part of
``benchmarks/damage.py``) and it has a letter outside ASCII.

Two damaged forms are stored for each word, the two that real conversions produce:
``encode("ascii", "ignore")`` ("Türkiye" -> "Trkiye", "Erdoğan" -> "Erdoan"), and the same
after Unicode decomposition, where accented letters keep their base and the letters without
one are deleted ("Kasımpaşa" -> "Kasmpasa"). A form where no letter was deleted ("Gödel" ->
"Godel") is a spelling, not damage, and is not stored. When two words give the same form,
the more frequent wins. The output is sorted, so a rebuild from the same wordfreq gives the
same bytes.

A second, looser list is written to ``citelint/data/lostletters-loose.bin``: the damaged
forms of rarer words (``--loose-zipf``, every Latin-alphabet language, letters lost at either
end too: "Rodol" for "Rodolà", "avuolu" for "Çavuşoğlu"), minus the forms of the map above.
Too many of them are typos or words of their own for a finding on their own, so CIT404 uses
them only in a document that shows other lost letters; and they are many, so only a 32-bit
hash of each form is kept (``citelint.lostletters.Loose``), not the word: such a finding
carries no fix. A second hash list in the same file holds the forms whose word lost its
first letter ("ukasz" for "Łukasz", "tienne" for "Étienne"): a lower-case word of that list
standing before a capitalised one is a first name that lost its capital.
"""
from __future__ import annotations

import argparse
import gzip
import math
import struct
import sys
import unicodedata
import zlib
from array import array
from pathlib import Path

LANGUAGES = "en ca cs da de es fi fr hu is it lt lv nb nl pl pt ro sk sl sv tr vi".split()
OUT = Path(__file__).resolve().parent.parent / "citelint" / "data" / "lostletters.tsv.gz"
LOOSE = OUT.with_name("lostletters-loose.bin")


def interior(word: str) -> bool:
    """Whether every letter outside ASCII has an ASCII letter before and after it: a letter
    lost at an end leaves a stem or prefix that other words share ("RISC" for "riscă")."""
    return word[0].isascii() and word[-1].isascii()


def forms(word: str) -> set[str]:
    out = {word.encode("ascii", "ignore").decode()}
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = decomposed.encode("ascii", "ignore").decode()
    bases = sum(1 for c in decomposed if not unicodedata.combining(c))
    if len(stripped) < bases:  # a letter with no ASCII base was deleted
        out.add(stripped)
    # A conversion that deleted more than a third of the word's letters leaves too little
    # of it to tell: "Orru" is a name of its own, not "Orðræðu" with three letters lost.
    return {f for f in out if len(f) >= 4 and f.isalpha() and 2 * (len(word) - len(f)) <= len(f)}


def main() -> int:
    import wordfreq

    ap = argparse.ArgumentParser()
    # The install has a budget (site-packages <= 35 MB, benchmarks/install.py): zipf 3.0
    # here and 1.5 for the loose list found more names on the tuning part (0.43 of those
    # damaged everywhere, against 0.33) but made the two files 7.3 MB instead of 2.5 MB.
    ap.add_argument("--min-zipf", type=float, default=4.0)
    # English text borrows names and words with diacritics ("Gödel", "Schrödinger", "café"):
    # the English list keeps rarer ones.
    ap.add_argument("--min-zipf-en", type=float, default=1.5)
    # A damaged form this frequent as a word of any language is no damage.
    ap.add_argument("--word-zipf", type=float, default=2.0)
    ap.add_argument("--loose-zipf", type=float, default=2.0)
    args = ap.parse_args()
    best: dict[str, tuple[float, str]] = {}
    loose: set[str] = set()
    initial: set[str] = set()
    for lang in LANGUAGES:
        for word, freq in wordfreq.get_frequency_dict(lang, wordlist="best").items():
            word = unicodedata.normalize("NFC", word)
            if word.isascii() or not word.isalpha():
                continue
            if not all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word):
                continue
            zipf = math.log10(freq) + 9
            if zipf >= args.loose_zipf:
                loose.update(f.lower() for f in forms(word))
                if not word[0].isascii():
                    initial.update(f.lower() for f in forms(word))
            if zipf < (args.min_zipf_en if lang == "en" else args.min_zipf):
                continue
            if lang != "en" and not interior(word):
                continue
            for form in forms(word):
                if form not in best or best[form][0] < zipf:
                    best[form] = (zipf, word)
    # A form that is a word of some language as it stands ("korban" is Indonesian, not
    # "korában" damaged) is left out.
    words: set[str] = set()
    for lang in wordfreq.available_languages(wordlist="best"):
        for word, freq in wordfreq.get_frequency_dict(lang, wordlist="best").items():
            if word.isascii() and math.log10(freq) + 9 >= args.word_zipf:
                words.add(word)
    best = {form: found for form, found in best.items() if form not in words}
    loose = {form for form in loose if form not in words and form not in best}
    initial = {form for form in initial if form not in words}
    lists = [array("I", sorted({zlib.crc32(form.encode("ascii")) for form in forms_})) for forms_ in (loose, initial)]
    if sys.byteorder != "little":
        for hashes in lists:
            hashes.byteswap()
    loose_header = struct.pack("<8sQQ", b"CITLF002", len(lists[0]), len(lists[1]))
    LOOSE.write_bytes(loose_header + b"".join(hashes.tobytes() for hashes in lists))
    print(f"{len(lists[0])} loose forms, {len(lists[1])} with the first letter lost, {LOOSE.stat().st_size} bytes -> {LOOSE}")
    lines = [f"{form}\t{word}\n" for form, (_, word) in sorted(best.items())]
    header = "# ASCII form<TAB>word; built by scripts/build_lostletters.py from wordfreq (CC BY-SA 4.0)\n"
    OUT.write_bytes(gzip.compress((header + "".join(lines)).encode("utf-8"), mtime=0))
    print(f"{len(lines)} forms, {OUT.stat().st_size} bytes -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
