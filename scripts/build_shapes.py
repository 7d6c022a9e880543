"""Build ``citelint/data/lostletters-shapes.txt``: the consonant clusters that begin and end
words and names of the languages written in the Latin alphabet.

    python scripts/build_shapes.py [--min-zipf 1.0] [--faker /tmp/faker]

(needs wordfreq, Debian's ``iso-codes`` and ``unicode-cldr-core``, and Faker, as
``scripts/build_lostletters.py`` does, and the shipped map and loose list; the shipped file
was built from wordfreq 3.1.1, iso-codes 4.15.0, CLDR 41 and Faker 40.63.0)

CIT404 reads it to tell a name that lost letters from one spelled as written when no list
knows either: "Grnholm" (Grönholm), "Jrgen" (Jürgen) and "Snchez" (Sánchez) begin with a
cluster of consonants that no word or name of these languages begins with, and "Engestrm"
(Engeström) ends with one no word ends with, so a deleted letter is the only reading. A
general model of letter sequences was tried and dropped (it flagged correct names:
"Nakhchivan", "Giampaolo"); this asks for a cluster that *no* word has at that place.

Words: every word of wordfreq's lists (``--min-zipf``) for the languages
``LANGUAGES`` (code Apache-2.0, data CC BY-SA 4.0), and every word of Latin letters in the
names of iso-codes (LGPL-2.1+), CLDR's core data (Unicode-DFS-2016) and Faker's locale
providers (MIT), ASCII or not. Each word is lowered and folded to ASCII as a reader
would say it ("ø" as "o", "ł" as "l", accents dropped), so "Grønholm" gives the cluster
"gr", and its first and last runs of consonants (letters other than a, e, i, o, u, y) are
kept (a word with no vowel has neither). wordfreq's ASCII words that the shipped map or
loose list holds as damaged forms are left out (build those first). Only clusters are
shipped, no words. The output is sorted, so a rebuild from the same sources gives the same
bytes.
"""
from __future__ import annotations

import argparse
import math
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_lostletters  # noqa: E402

from citelint import lostletters  # noqa: E402

OUT = Path(lostletters.SHAPES)
# The lost-letter lists' languages, and those written in the Latin alphabet that they leave
# out as sources of damaged forms but whose words and names have shapes all the same:
# Serbo-Croatian (its Latin words: "Crnković", "Trnski"), Indonesian, Malay, Filipino.
LANGUAGES = build_lostletters.LANGUAGES + ["sh", "id", "ms", "fil"]
_LETTERS = re.compile(r"[^\W\d_]+")


def source_words(faker: str | None) -> set[str]:
    """The words of Latin letters in the names of iso-codes, CLDR and Faker (in strings,
    and the tuples, lists and dicts of them Faker's providers hold); Faker's are left out
    when ``faker`` is "" (for a measure on names the table never saw)."""
    stack: list[object] = [build_lostletters.iso_codes_texts(), build_lostletters.cldr_texts()]
    if faker != "":
        stack.append(build_lostletters.faker_texts(faker))
    out: set[str] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            for word in _LETTERS.findall(unicodedata.normalize("NFC", item)):
                if all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word):
                    out.add(word)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (tuple, list, set, frozenset)):
            stack.extend(item)
    return out


def main() -> int:
    import wordfreq

    ap = argparse.ArgumentParser()
    ap.add_argument("--min-zipf", type=float, default=1.0)
    # How many distinct words (of all the lists) must begin or end with a cluster for it
    # to be a shape words have.
    ap.add_argument("--min-words", type=int, default=1)
    ap.add_argument("--faker", help="where Faker is installed, when not on the path")
    # (to measure the table on Faker's names as names it never saw)
    ap.add_argument("--no-faker", action="store_true", help="leave Faker's names out")
    args = ap.parse_args()
    # The web text wordfreq counts holds damaged forms ("snchez", "grna"), which would
    # teach the table the very clusters a deletion makes: an ASCII word that the shipped
    # map or loose list holds as a damaged form is left out.
    damaged, loose = lostletters.load(), lostletters.load_loose()
    words: set[str] = set()
    for lang in LANGUAGES:
        for word, freq in wordfreq.get_frequency_dict(lang, wordlist="best").items():
            if math.log10(freq) + 9 < args.min_zipf or not word.isalpha():
                continue
            if word.isascii() and (word in loose or damaged.get(word) is not None):
                continue
            words.add(unicodedata.normalize("NFC", word))
    words |= source_words("" if args.no_faker else args.faker)
    seen: dict[str, Counter[str]] = {"begin": Counter(), "end": Counter()}
    for word in words:
        folded = lostletters.fold(word)
        if folded is None or len(folded) < 2:
            continue
        for place, cluster in lostletters.edge_clusters(folded):
            if place in seen:  # (a word with no vowel tells CIT404 nothing: see odd_cluster)
                seen[place][cluster] += 1
    kept = {place: sorted(c for c, n in counts.items() if n >= args.min_words) for place, counts in seen.items()}
    lines = [f"{place} {' '.join(clusters)}\n" for place, clusters in kept.items()]
    header = (
        "# place, then the consonant clusters words and names begin or end with; built by"
        " scripts/build_shapes.py from wordfreq (CC BY-SA 4.0), iso-codes (LGPL-2.1+), CLDR (Unicode-DFS-2016)"
        " and Faker (MIT)\n"
    )
    OUT.write_text(header + "".join(lines), encoding="ascii")
    print(f"{len(words)} words, {sum(map(len, kept.values()))} clusters, {OUT.stat().st_size} bytes -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
