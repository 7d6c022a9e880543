"""Build citelint/data/synonyms.txt, the synonym and derivation table of the support scorer.

    apt-get install wordnet-base
    python scripts/build_synonyms.py [--wordnet /usr/share/wordnet] [--senses 2]

Reads the WordNet 3.0 database files (Princeton University, licence in
citelint/data/NOTICE-WordNet) and writes one line per word stem (Porter2, as the support
rules compare words), in byte order, so that a look-up is a bisection over the
memory-mapped file and a run reads only the pages it touches:

    stem<TAB>related stem,related stem,...

Related means: another single-word lemma of one of the word's first ``--senses`` senses in
each part of speech (a synonym), or a word that WordNet links to those senses as a
derivation ("decide" / "decision") or a pertainym ("economic" / "economy"). Only the
commonest senses are read: a rare sense would make "run" match "bunk", and the table would
let a clause pass on words its source never meant.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import Stemmer

POS = ("noun", "verb", "adj", "adv")
# Pointer symbols kept: derivationally related form, pertainym (adjective / adverb).
LINKS = {"+", "\\"}
OUT = Path(__file__).resolve().parent.parent / "citelint" / "data" / "synonyms.txt"


def single_word(lemma: str) -> bool:
    return lemma.isalpha() and lemma.isascii() and len(lemma) > 2


def clean(word: str) -> str:
    # Adjective lemmas may carry a syntactic marker: "galore(ip)".
    return word.split("(", 1)[0].lower()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    ap.add_argument("--senses", type=int, default=2)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    stem = Stemmer.Stemmer("english").stemWord
    # synset (pos, offset) -> (its words, the words its pointers link to)
    synsets: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for pos in POS:
        with open(args.wordnet / f"data.{pos}", encoding="latin-1") as fh:
            for line in fh:
                if line.startswith(" "):
                    continue  # the licence header
                fields = line.split(" | ", 1)[0].split()
                offset, count = fields[0], int(fields[3], 16)
                words = [clean(fields[4 + 2 * i]) for i in range(count)]
                at = 4 + 2 * count
                pointers = int(fields[at])
                linked: list[str] = []
                for p in range(pointers):
                    symbol, target, target_pos, source_target = fields[at + 1 + 4 * p : at + 5 + 4 * p]
                    if symbol in LINKS:
                        linked.append(f"{target_pos}:{target}:{source_target[2:]}")
                synsets[(pos[0], offset)] = (words, linked)
    pos_of = {"n": "n", "v": "v", "a": "a", "s": "a", "r": "r"}

    def words_of(key: str) -> list[str]:
        target_pos, offset, word_number = key.split(":")
        entry = synsets.get((pos_of[target_pos], offset))
        if entry is None:
            return []
        number = int(word_number, 16)
        return entry[0] if number == 0 else entry[0][number - 1 : number]

    related: dict[str, set[str]] = {}
    for pos in POS:
        with open(args.wordnet / f"index.{pos}", encoding="latin-1") as fh:
            for line in fh:
                if line.startswith(" "):
                    continue
                fields = line.split()
                lemma = fields[0]
                if not single_word(lemma):
                    continue
                offsets = fields[-int(fields[2]) :][: args.senses]
                mine = stem(lemma)
                found = related.setdefault(mine, set())
                for offset in offsets:
                    words, linked = synsets[(pos[0], offset)]
                    others = list(words) + [w for key in linked for w in words_of(key)]
                    for other in others:
                        if single_word(other) and stem(other) != mine:
                            found.add(stem(other))
    # Irregular forms ("fell" -> "fall", "children" -> "child") match their base word and
    # what it is related to.
    for pos in POS:
        exceptions = args.wordnet / f"{pos}.exc"
        with open(exceptions, encoding="latin-1") as fh:
            for line in fh:
                inflected, *bases = line.split()
                if not single_word(inflected):
                    continue
                mine = stem(inflected)
                for base in bases:
                    if single_word(base) and stem(base) != mine:
                        found = related.setdefault(mine, set())
                        found.add(stem(base))
                        found.update(r for r in related.get(stem(base), ()) if r != mine)
    lines = sorted(f"{s}\t{','.join(sorted(r))}\n".encode("ascii") for s, r in related.items() if r and s.isascii())
    args.out.write_bytes(b"".join(lines))
    print(f"{len(lines)} stems, {args.out.stat().st_size} bytes -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
