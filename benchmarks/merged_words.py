"""Measure the merged-word detector (CIT401) on clean English prose available offline.

    python benchmarks/merged_words.py [--samples N] [--seed S] [--show-fp]

Prose sources, each used when present:
- ``/usr/share/common-licenses``: licence texts (ship with Debian);
- ``/usr/share/games/fortunes``: the prose sections of Debian's ``fortunes`` package
  (quotations, anecdotes, literature; ``apt-get install fortunes``);
- ``../shared/labelled``: the context passages of the ExpertQA reports (web prose, which has
  real merges of its own: ``--show-fp`` lists every flag for reading).

False positives: every word the detector flags in the clean prose, per 10,000 words.
Recall: synthetic merges, made by deleting the space between two adjacent alphabetic words
of the same prose (a sample of N pairs); a merge counts as found when the detector flags
the glued token. Merges whose glued form is itself a dictionary word ("any one" ->
"anyone") are not detectable by definition and are counted apart. The tricky-word list
beside this script must produce no finding at all.
"""
from __future__ import annotations

import argparse
import glob
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from citelint import lexicon  # noqa: E402
from citelint import mergedwords  # noqa: E402
from citelint.mergedwords import Detector  # noqa: E402

# Edited prose. The ExpertQA passages are web scrapes that keep real merges of their own
# (headings run into the next sentence: "milestonesStep", "IssuesThe"), so their flags are
# listed for reading but not counted as false positives of the detector.
CLEAN_SOURCES = ("licences", "fortunes")
# The fortune files of prose; left out are word-play (zippy, riddles), verse, ASCII art and
# the computing ones full of command names.
FORTUNE_FILES = (
    "education food fortunes humorists kids law literature love medicine men-women "
    "miscellaneous news people pets platitudes politics science sports wisdom work"
).split()


def sources() -> dict[str, list[str]]:
    """Documents of clean prose, by source."""
    found: dict[str, list[str]] = {}
    licences = [
        Path(p).read_text(encoding="utf-8", errors="replace")
        for p in sorted(glob.glob("/usr/share/common-licenses/*"))
        if os.path.isfile(p)
    ]
    if licences:
        found["licences"] = licences
    fortunes = Path("/usr/share/games/fortunes")
    docs = []
    for name in FORTUNE_FILES:
        path = fortunes / name
        if path.is_file():
            docs.extend(part for part in path.read_text(encoding="utf-8", errors="replace").split("\n%\n") if part.strip())
    if docs:
        found["fortunes"] = docs
    labelled = HERE.parent.parent / "shared" / "labelled" / "expertqa-domain"
    if labelled.is_dir():
        docs = []
        for path in sorted(labelled.glob("*.md")):
            cells = []
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.startswith("|") and not line.startswith(("| Claim", "|---")):
                    cells.append(line.rsplit("|", 2)[-2])
            docs.append("\n".join(cells))
        found["expertqa-passages"] = docs
    return found


def words_in(text: str) -> int:
    return len(text.split())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show-fp", action="store_true")
    args = ap.parse_args()
    detector = Detector(lexicon.load())
    rng = random.Random(args.seed)

    tricky = [
        w.strip()
        for w in (HERE / "tricky_words.txt").read_text().splitlines()
        if w.strip() and not w.startswith("#")
    ]
    tricky_flagged = [w for w in tricky if detector.split(w, set())]

    total_words = total_fp = 0
    clean_words = clean_fp = 0
    pairs: list[tuple[str, str, str, set[str]]] = []
    print(f"{'source':20} {'words':>9} {'flagged':>8} {'FP/10k':>7}")
    for name, docs in sources().items():
        words = fps = 0
        for doc in docs:
            names = mergedwords.names(doc)
            words += words_in(doc)
            for m in detector.scan(doc, names):
                fps += 1
                if args.show_fp:
                    print(f"  FP [{name}] {m.token} -> {m.first} {m.second}")
            for line in doc.splitlines():
                toks = line.split()
                for a, b in zip(toks, toks[1:]):
                    if a.isascii() and b.isascii() and a.isalpha() and b.isalpha():
                        pairs.append((name, a, b, names))
        total_words += words
        total_fp += fps
        if name in CLEAN_SOURCES:
            clean_words += words
            clean_fp += fps
        print(f"{name:20} {words:9d} {fps:8d} {fps / words * 10000:7.2f}")
    print(f"{'all':20} {total_words:9d} {total_fp:8d} {total_fp / total_words * 10000:7.2f}")
    if clean_words:
        print(
            f"false positives on clean prose ({' + '.join(CLEAN_SOURCES)}): "
            f"{clean_fp} in {clean_words} words = {clean_fp / clean_words * 10000:.2f} per 10,000 words"
        )

    sample = rng.sample(pairs, min(args.samples, len(pairs)))
    found = real_word = 0
    missed: list[str] = []
    for _, a, b, names in sample:
        glued = a + b
        info = detector.info(glued.lower())
        if info is not None and info[1]:
            real_word += 1
            continue
        if detector.split(glued, names):
            found += 1
        else:
            missed.append(glued)
    judged = len(sample) - real_word
    print(
        f"\nsynthetic merges: {len(sample)} sampled, {real_word} form a dictionary word "
        f"(not detectable), {judged} judged"
    )
    print(f"recall: {found}/{judged} = {found / judged:.3f}")
    print(f"tricky legitimate words: {len(tricky_flagged)} of {len(tricky)} flagged {tricky_flagged}")
    if args.show_fp:
        print("some misses:", " ".join(missed[:60]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
