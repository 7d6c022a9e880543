"""Build ``citelint/data/lostletters.tsv.gz``: ASCII forms of words whose non-ASCII letters a
lossy conversion deleted, mapped back to the word.

    python scripts/build_lostletters.py [--min-zipf 4.0] [--loose-zipf 1.0] [--bits 13]

(the loose list's name sources below must be installed: Debian's ``iso-codes`` and
``unicode-cldr-core``, and Faker, e.g. ``pip install --target /tmp/faker faker`` with
``--faker /tmp/faker``; the shipped file was built from iso-codes 4.15.0, CLDR 41 and
Faker 40.63.0, and wordfreq 3.1.1)

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
them only in a document that shows other lost letters; and they are many, so only a
fingerprint of each form is kept, Golomb-Rice coded (``citelint.lostletters.GolombSet``,
about ``--bits`` + 3 bits a form, a false match about one look-up in ``2**bits``), not the
word: such a finding carries no fix. Names from sources independent of the text the
benchmarks read enter this list too (never the map, which would ship the words):

- Debian's ``iso-codes`` (LGPL-2.1+): the names of ISO 3166-1 countries and ISO 3166-2
  subdivisions in their native spellings ("Kırklareli", "Durrës"), and their translations;
- Unicode CLDR (Debian's ``unicode-cldr-core``, Unicode-DFS-2016): in each language, the
  names of territories, languages, scripts, exemplar cities, time zones and subdivisions;
- Faker (MIT): the first names, last names, cities and streets of its locales' providers.

A word's form enters when the conversion deleted at most a third of its letters ("Orru" is a
name of its own, not "Orðræðu" damaged); a curated name's, when it deleted at most half
(``--name-lost``): these are names for sure, and names with several letters outside ASCII
lose most of them ("Gədəbəy" -> "Gdby", "Kəlbəcər" -> "Klbcr"). On the tuning part of
``benchmarks/damage.py`` that found names deleted everywhere 0.596 -> 0.601 (371 -> 374 of
622) and decomposed 0.705 -> 0.750, with no new finding on clean prose or on names written
right.

A form that is a word as it stands is left out unless that word is far rarer than the
word it is a form of (``--word-margin``). A curated name's form is measured so against
English words only (``--name-words``; a name counts as ``--name-zipf``): CIT404 reads the
list only for words rare in English and only where a document shows lost letters, so "Vlor"
(Vlorë, a Dutch word at zipf 2.0), "Tiran" (Tiranë, Spanish) and "Kuks" (Kukës) now enter. On the tuning
part that found names deleted everywhere 0.601 -> 0.638 (374 -> 397 of 622), with no false
alarm on clean prose or on the names corpus undamaged; findings covering no damaged word
went 22 -> 25 (Albanian names written right in a paragraph whose other names lost letters).
A name's form that is an English word and an "s" stays out: a plural, or a possessive that
lost its apostrophe ("Finlands", not iso-codes' Albanian "Finlandës").

A second hash list in the same file holds the forms whose word lost its first letter
("ukasz" for "Łukasz", "arika" for "Šarika"): a lower-case word of that list standing
before a capitalised one is a first name that lost its capital. Those forms are left out of
the loose list itself, which CIT404 reads for capitalised words only: a conversion that deleted a
first letter leaves the next one in lower case, so "Arika" or "Rodda" (a form of "Þórodda")
is a name written right. On the tuning part that took 47,366 forms (92 KB) out of the list
with the same findings. A form that is a word is left out of this list too; a curated
name's only when it is an English word ("tienne" for "Étienne" is French: 397 -> 399 of the
622 names deleted everywhere, nothing else changed).
"""
from __future__ import annotations

import argparse
import glob
import gzip
import importlib
import json
import os
import re
import math
import sys
import unicodedata
from pathlib import Path

from citelint import lostletters

LANGUAGES = "en ca cs da de es fi fr hu is it lt lv nb nl pl pt ro sk sl sv tr vi".split()
OUT = Path(__file__).resolve().parent.parent / "citelint" / "data" / "lostletters.tsv.gz"
LOOSE = OUT.with_name("lostletters-loose.bin")


def interior(word: str) -> bool:
    """Whether every letter outside ASCII has an ASCII letter before and after it: a letter
    lost at an end leaves a stem or prefix that other words share ("RISC" for "riscă")."""
    return word[0].isascii() and word[-1].isascii()


def forms(word: str, lost: float = 0.5) -> set[str]:
    """The damaged forms of ``word`` that lost at most ``lost`` letters for each one kept."""
    out = {word.encode("ascii", "ignore").decode()}
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = decomposed.encode("ascii", "ignore").decode()
    bases = sum(1 for c in decomposed if not unicodedata.combining(c))
    if len(stripped) < bases:  # a letter with no ASCII base was deleted
        out.add(stripped)
    # A conversion that deleted more than a third of the word's letters leaves too little
    # of it to tell: "Orru" is a name of its own, not "Orðræðu" with three letters lost.
    return {f for f in out if len(f) >= 4 and f.isalpha() and len(word) - len(f) <= lost * len(f)}


_LETTERS = re.compile(r"[^\W\d_]+")
ISO = Path("/usr/share/iso-codes/json")
CLDR = Path("/usr/share/unicode/cldr/common")


def latin_names(texts: object) -> set[str]:
    """The capitalised words of Latin letters, one at least outside ASCII, in the strings
    of ``texts`` (strings, or tuples, lists and dicts of them, keys and values)."""
    out: set[str] = set()
    stack = [texts]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                for word in _LETTERS.findall(unicodedata.normalize("NFC", item)):
                    if not word.isascii() and word[0].isupper() and all(
                        c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word
                    ):
                        out.add(word)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (tuple, list, set, frozenset)):
            stack.extend(item)
    return out


def iso_codes_names() -> set[str]:
    """Country and subdivision names of Debian's iso-codes, native and translated."""
    import gettext

    texts: list[str] = []
    for name in ("iso_3166-1", "iso_3166-2", "iso_3166-3"):
        data = json.loads((ISO / f"{name}.json").read_text(encoding="utf-8"))
        for entries in data.values():
            for entry in entries:
                texts.extend(str(entry.get(key, "")) for key in ("name", "official_name", "common_name"))
    for mo in glob.glob("/usr/share/locale/*/LC_MESSAGES/iso_3166-[123].mo"):
        with open(mo, "rb") as fh:
            catalog = gettext.GNUTranslations(fh)
        texts.extend(str(v) for v in catalog._catalog.values())  # type: ignore[attr-defined]
    return latin_names(texts)


def cldr_names() -> set[str]:
    """Territory, language, script, city, time zone and subdivision names in every language
    of CLDR's core data."""
    import xml.etree.ElementTree as ET

    texts: list[str] = []
    wanted = {"territory", "language", "script", "exemplarCity", "subdivision", "generic", "standard"}
    for path in sorted(glob.glob(str(CLDR / "main" / "*.xml")) + sorted(glob.glob(str(CLDR / "subdivisions" / "*.xml")))):
        for element in ET.parse(path).iter():
            if element.tag in wanted and element.text:
                texts.append(element.text)
    return latin_names(texts)


def faker_names(where: str | None) -> set[str]:
    """The names, cities and streets of Faker's locale providers."""
    if where:
        sys.path.insert(0, where)
    import faker.providers  # type: ignore[import-not-found]

    base = Path(faker.providers.__file__).parent
    texts: list[object] = []
    for kind in ("person", "address"):
        for init in sorted(glob.glob(str(base / kind / "*" / "__init__.py"))):
            locale = os.path.basename(os.path.dirname(init))
            module = importlib.import_module(f"faker.providers.{kind}.{locale}")
            provider = getattr(module, "Provider", None)
            for attr, value in vars(provider).items() if provider else ():
                if not attr.startswith("_") and isinstance(value, (tuple, list, dict, set, frozenset)):
                    texts.append(value)
    return latin_names(texts)


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
    # Every word of wordfreq's lists (their floor is about zipf 1): with fingerprints of
    # about 16 bits a form the loose list fits the install budget.
    ap.add_argument("--loose-zipf", type=float, default=1.0)
    # A false match is one look-up in 2**bits: the loose list is read in a document that
    # shows lost letters, on its rare words only; the first-letter list on every rare
    # lower-case word, so it has more bits.
    ap.add_argument("--bits", type=int, default=13)
    ap.add_argument("--initial-bits", type=int, default=16)
    # How much rarer than its word a damaged form that is a word must be to stay (loose
    # list), and the zipf a name of iso-codes, CLDR or Faker counts as.
    ap.add_argument("--word-margin", type=float, default=1.5)
    ap.add_argument("--name-zipf", type=float, default=3.0)
    # How many letters a curated name's form may have lost for each it kept. wordfreq's
    # words keep the third (0.5: "Orru" is no "Orðræðu"), but a name of iso-codes, CLDR or
    # Faker is a name for sure, and names with several letters outside ASCII lose most of
    # them ("Gədəbəy" -> "Gdby", "Kəlbəcər" -> "Klbcr"). Tuning part of benchmarks/damage.py
    # (--names-only): 1.0 (up to half) found names deleted everywhere 0.596 -> 0.601 (371 ->
    # 374 of 622: Gdby x2, Klbcr; decomposed 31 -> 33 of 44) with the same findings covering
    # no damaged word (22) and no false alarm on clean prose; any fraction found no more.
    ap.add_argument("--name-lost", type=float, default=1.0)
    # Which words' list a curated name's form must be rare in (--word-margin under
    # --name-zipf). CIT404 reads the loose list only for words rare in English (its own
    # lexicon), only in a document that shows lost letters (or three such names, or one of
    # no name's shape), so a name's form that is a word of another language ("Vlor" for
    # "Vlorë", a Dutch word at 2.0; "Tiran" for "Tiranë", Spanish at 3.8; "Kuks" for
    # "Kukës") was dropped for nothing. Tuning part of benchmarks/damage.py: "en" found names
    # deleted everywhere 0.601 -> 0.638 (374 -> 397 of 622) with no false alarm on clean
    # prose or on the names corpus undamaged; findings covering no damaged word 22 -> 25
    # ("Albani", "Birit", "Budi", written right in a Wikipedia paragraph whose other names
    # lost letters). A margin of 0.5 against every language's words found 385.
    ap.add_argument("--name-words", choices=("en", "all"), default="en")
    ap.add_argument("--faker", help="where Faker is installed, when not on the path")
    ap.add_argument("--no-names", action="store_true", help="wordfreq only (for comparison)")
    args = ap.parse_args()
    best: dict[str, tuple[float, str]] = {}
    loose: dict[str, float] = {}  # form -> the zipf of its most frequent word of wordfreq
    named: set[str] = set()  # the forms of the curated names
    # The forms that kept their word's first letter. Only they enter the loose list: CIT404
    # reads it for capitalised words, and a conversion that deleted a first letter leaves
    # the next one in lower case ("Ísabella" -> "sabella", never "Sabella", a name written
    # right): those forms enter the first-letter list only.
    whole: set[str] = set()
    initial: set[str] = set()
    initial_named: set[str] = set()  # (of them, the curated names' forms)

    def add_loose(word: str, zipf: float | None) -> None:
        """Add ``word``'s forms: of wordfreq at ``zipf``, of a curated name when None (the
        first-letter list takes only the forms that kept two thirds of the letters: it is
        read on every rare lower-case word)."""
        usual = {form.lower() for form in forms(word)}
        first = unicodedata.normalize("NFKD", word)[:1].lower()
        for form in usual if zipf is not None else {f.lower() for f in forms(word, args.name_lost)}:
            if form[:1] == first:
                whole.add(form)
            if zipf is None:
                named.add(form)
            else:
                loose[form] = max(zipf, loose.get(form, 0.0))
            if not word[0].isascii() and form in usual:
                initial.add(form)
                if zipf is None:
                    initial_named.add(form)
    for lang in LANGUAGES:
        for word, freq in wordfreq.get_frequency_dict(lang, wordlist="best").items():
            word = unicodedata.normalize("NFC", word)
            if word.isascii() or not word.isalpha():
                continue
            if not all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word):
                continue
            zipf = math.log10(freq) + 9
            if zipf >= args.loose_zipf:
                add_loose(word, zipf)
            if zipf < (args.min_zipf_en if lang == "en" else args.min_zipf):
                continue
            if lang != "en" and not interior(word):
                continue
            for form in forms(word):
                if form not in best or best[form][0] < zipf:
                    best[form] = (zipf, word)
    # A form that is a word of some language as it stands ("korban" is Indonesian, not
    # "korában" damaged) is left out.
    words: dict[str, float] = {}
    english: dict[str, float] = {}
    for lang in wordfreq.available_languages(wordlist="best"):
        for word, freq in wordfreq.get_frequency_dict(lang, wordlist="best").items():
            zipf = math.log10(freq) + 9
            if word.isascii() and zipf >= args.word_zipf:
                words[word] = max(zipf, words.get(word, 0.0))
                if lang == "en":
                    english[word] = zipf
    best = {form: found for form, found in best.items() if form not in words}
    if not args.no_names:
        for source, found in (("iso-codes", iso_codes_names()), ("CLDR", cldr_names()), ("Faker", faker_names(args.faker))):
            before = len(named | loose.keys())
            for word in found:
                add_loose(word, None)
            print(f"{source}: {len(found)} names, {len(named | loose.keys()) - before} new forms")
    # The web text wordfreq counts holds damaged forms too ("garca" in Spanish, 2.8 against
    # 4.8 for "garcía"): a form that is a word, but far rarer than the word it is a
    # damaged form of, stays in the loose list.
    name_words = english if args.name_words == "en" else words

    def keep(form: str) -> bool:
        if form in best or form not in whole:
            return False
        if form in loose and (form not in words or words[form] < loose[form] - args.word_margin):
            return True
        if args.name_words == "en" and form.endswith("s") and english.get(form[:-1], 0.0) >= 3.0:
            # An English word and an "s" is its plural or a possessive that lost its
            # apostrophe (CIT403's): "Finlands" is "Finland's" far more often than
            # iso-codes' Albanian genitive "Finlandës" damaged (found in a smartbook report
            # with "en"; 65 forms, none of them found on the tuning part).
            return False
        return form in named and (form not in name_words or name_words[form] < args.name_zipf - args.word_margin)

    kept = [form for form in named | loose.keys() if keep(form)]
    # The first-letter list is read on rare lower-case words standing where a name's capital
    # stood: a curated name's form there is filtered, as in the loose list, against English
    # words only ("tienne" for "Étienne" is French). Tuning part: names deleted everywhere
    # 397 -> 399 of 622, no other finding changed (clean prose, names corpus undamaged,
    # the extra tuning sources, smartbook).
    initial = {
        form
        for form in initial
        if form not in words or (args.name_words == "en" and form in initial_named and form not in english)
    }
    LOOSE.write_bytes(lostletters.encode_loose(kept, args.bits, initial, args.initial_bits))
    print(f"{len(kept)} loose forms, {len(initial)} with the first letter lost, {LOOSE.stat().st_size} bytes -> {LOOSE}")
    lines = [f"{form}\t{word}\n" for form, (_, word) in sorted(best.items())]
    header = "# ASCII form<TAB>word; built by scripts/build_lostletters.py from wordfreq (CC BY-SA 4.0)\n"
    OUT.write_bytes(gzip.compress((header + "".join(lines)).encode("utf-8"), mtime=0))
    print(f"{len(lines)} forms, {OUT.stat().st_size} bytes -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
