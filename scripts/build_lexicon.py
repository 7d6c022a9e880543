"""Build citelint/data/lexicon.bin, the merged-word rule's lexicon, and its manifest.

    pip install -e '.[lexicon]' && python scripts/build_lexicon.py [--check] [--output DIR]

The sources are three packages pinned in pyproject.toml's ``lexicon`` extra (they are not
runtime dependencies): wordfreq's large English frequency list (CC BY-SA 4.0), the
frequency dictionary that ships in symspellpy (MIT) and the bigram and unigram counts that
ship in wordsegment (Apache-2.0). The same versions always give the same bytes (tables are sorted,
nothing depends on hash order), so the file is reproducible. Beside it goes lexicon.json:
its SHA-256, size, format version and the exact source versions, which a test checks
against the file and against the pins. ``--check`` builds into memory and exits 1 if the
shipped file differs. Attribution and licences of the data: NOTICE.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citelint import lexicon  # noqa: E402

DATA = ROOT / "citelint" / "data"
# Distribution name -> licence of the data citelint takes from it.
SOURCES = {
    "wordfreq": "CC-BY-SA-4.0",
    "symspellpy": "MIT",
    "wordsegment": "Apache-2.0",
}
_ALPHA = re.compile(r"[a-z]+")


def _source_paths() -> tuple[str, str, str]:
    import symspellpy
    import wordsegment

    return (
        os.path.join(os.path.dirname(symspellpy.__file__), "frequency_dictionary_en_82_765.txt"),
        os.path.join(os.path.dirname(wordsegment.__file__), "bigrams.txt"),
        os.path.join(os.path.dirname(wordsegment.__file__), "unigrams.txt"),
    )


def build() -> lexicon.Lexicon:
    """Compile the lexicon from the installed sources (about two seconds)."""
    import wordfreq

    dictionary_path, bigram_path, unigram_path = _source_paths()
    dictionary = set()
    with open(dictionary_path, encoding="utf-8") as fh:
        for line in fh:
            word = line.split(" ", 1)[0]
            if _ALPHA.fullmatch(word):
                dictionary.add(word)
    # Zipf frequency * 100, doubled; the low bit says "in the never-flag dictionary".
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
    # Web counts of tokens the word list lacks that split into two of its words: the only
    # tokens the merged-word rule may flag, and the only ones whose count it asks for.
    joined: dict[str, int] = {}
    with open(unigram_path, encoding="utf-8") as fh:
        for line in fh:
            token, _, count = line.rstrip("\n").partition("\t")
            if _ALPHA.fullmatch(token) and token not in values:
                if any(token[:i] in values and token[i:] in values for i in range(1, len(token))):
                    joined[token] = joined.get(token, 0) + int(count)
    return lexicon.Lexicon(
        lexicon.Table.build(values.items()), lexicon.Table.build(bigrams.items()), lexicon.Table.build(joined.items())
    )


def manifest(data: bytes) -> dict[str, object]:
    return {
        "file": "lexicon.bin",
        "format_version": lexicon.FORMAT_VERSION,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "sources": {name: {"version": version(name), "license": lic} for name, lic in SOURCES.items()},
        "builder": "scripts/build_lexicon.py",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the shipped file differs from a fresh build")
    ap.add_argument("--output", type=Path, default=DATA, help="directory to write lexicon.bin and lexicon.json to")
    args = ap.parse_args(argv)
    data = lexicon.serialise(build())
    if args.check:
        shipped = (args.output / "lexicon.bin").read_bytes()
        same = shipped == data
        print("lexicon.bin is what the sources build" if same else "lexicon.bin differs from a fresh build")
        return 0 if same else 1
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "lexicon.bin").write_bytes(data)
    text = json.dumps(manifest(data), indent=2, sort_keys=True) + "\n"
    (args.output / "lexicon.json").write_text(text, encoding="utf-8")
    print(f"wrote {args.output / 'lexicon.bin'} ({len(data):,} bytes) and lexicon.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
