"""Build citelint/data/verbs.txt, the verbs that are no other part of speech, for CIT403.

    apt-get install wordnet-base
    python scripts/build_verbs.py [--wordnet /usr/share/wordnet]

Reads the index files of WordNet 3.0 (Princeton University, licence in
citelint/data/NOTICE-WordNet) and writes, one per line in byte order, each single-word lemma
of ASCII letters that WordNet lists as a verb and never as a noun, an adjective or an
adverb ("consist", "convey", "include"; not "link" or "mean"). After a name's form with "s",
such a word is the verb of a plural subject ("the basic Playstations consist of"), never
the noun or adjective a possessive is followed by.
"""
from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "citelint" / "data" / "verbs.txt"
HEADER = "# verbs that are no other part of speech in WordNet 3.0; built by scripts/build_verbs.py\n"


def lemmas(wordnet: Path, pos: str) -> set[str]:
    out = set()
    with open(wordnet / f"index.{pos}", encoding="latin-1") as fh:
        for line in fh:
            if line.startswith(" "):  # the licence at the head of the file
                continue
            lemma = line.split(" ", 1)[0]
            if lemma.isalpha() and lemma.isascii():
                out.add(lemma)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    verbs = lemmas(args.wordnet, "verb") - lemmas(args.wordnet, "noun") - lemmas(args.wordnet, "adj") - lemmas(args.wordnet, "adv")
    args.out.write_text(HEADER + "".join(f"{v}\n" for v in sorted(verbs)), encoding="ascii")
    print(f"{len(verbs)} verbs -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
