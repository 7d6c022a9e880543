"""Build ``citelint/data/lostletters-shapes.txt``: the consonant clusters that begin and end
words and names of the languages written in the Latin alphabet.

    python scripts/build_shapes.py [--min-zipf 1.0]

(needs wordfreq, Debian's ``iso-codes`` and ``unicode-cldr-core``, as
``scripts/build_lostletters.py`` does; the shipped file was built from wordfreq 3.1.1,
iso-codes 4.15.0 and CLDR 41)

CIT404 reads it to tell a name that lost letters from one spelled as written when no list
knows either: "Grnholm" (Grönholm), "Jrgen" (Jürgen) and "Snchez" (Sánchez) begin with a
cluster of consonants that no word or name of these languages begins with, and "Engestrm"
(Engeström) ends with one no word ends with, so a deleted letter is the only reading. A
general model of letter sequences was tried and dropped (it flagged correct names:
"Nakhchivan", "Giampaolo"); this asks for a cluster that *no* word has at that place.

Words: every word of wordfreq's lists (``--min-zipf``) for the languages
``build_lostletters.LANGUAGES`` (code Apache-2.0, data CC BY-SA 4.0), and every word of
Latin letters in the names of iso-codes (LGPL-2.1+) and CLDR's core data
(Unicode-DFS-2016), ASCII or not. Each word is lowered and folded to ASCII as a reader
would say it ("ø" as "o", "ł" as "l", accents dropped), so "Grønholm" gives the cluster
"gr", and its first and last runs of consonants (letters other than a, e, i, o, u, y) are
kept; a word with no vowel is kept whole. wordfreq's ASCII words that the shipped
map or loose list holds as damaged forms are left out (build those first). Only clusters are shipped, no words. The output
is sorted, so a rebuild from the same sources gives the same bytes.
"""
from __future__ import annotations

import argparse
import math
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_lostletters  # noqa: E402

from citelint import lostletters  # noqa: E402

OUT = Path(lostletters.SHAPES)
_LETTERS = re.compile(r"[^\W\d_]+")


def source_words() -> set[str]:
    """The words of Latin letters in the names of iso-codes and CLDR (keys and values)."""
    texts = build_lostletters.iso_codes_texts() + build_lostletters.cldr_texts()
    out: set[str] = set()
    for text in texts:
        for word in _LETTERS.findall(unicodedata.normalize("NFC", text)):
            if all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word):
                out.add(word)
    return out


def main() -> int:
    import wordfreq

    ap = argparse.ArgumentParser()
    ap.add_argument("--min-zipf", type=float, default=1.0)
    args = ap.parse_args()
    # The web text wordfreq counts holds damaged forms ("snchez", "grna"), which would
    # teach the table the very clusters a deletion makes: an ASCII word that the shipped
    # map or loose list holds as a damaged form is left out.
    damaged, loose = lostletters.load(), lostletters.load_loose()
    words: set[str] = set()
    for lang in build_lostletters.LANGUAGES:
        for word, freq in wordfreq.get_frequency_dict(lang, wordlist="best").items():
            if math.log10(freq) + 9 < args.min_zipf or not word.isalpha():
                continue
            if word.isascii() and (word in loose or damaged.get(word) is not None):
                continue
            words.add(unicodedata.normalize("NFC", word))
    words |= source_words()
    seen: dict[str, set[str]] = {"begin": set(), "end": set()}
    for word in words:
        folded = lostletters.fold(word)
        if folded is None or len(folded) < 2:
            continue
        for place, cluster in lostletters.edge_clusters(folded):
            if place in seen:  # (a word with no vowel tells CIT404 nothing: see odd_cluster)
                seen[place].add(cluster)
    lines = [f"{place} {' '.join(sorted(clusters))}\n" for place, clusters in seen.items()]
    header = (
        "# place, then the consonant clusters words and names begin or end with; built by"
        " scripts/build_shapes.py from wordfreq (CC BY-SA 4.0), iso-codes (LGPL-2.1+) and CLDR (Unicode-DFS-2016)\n"
    )
    OUT.write_text(header + "".join(lines), encoding="ascii")
    print(f"{len(words)} words, {sum(map(len, seen.values()))} clusters, {OUT.stat().st_size} bytes -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
