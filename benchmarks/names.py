"""Real names with letters outside ASCII, in real prose: the corpus CIT404's recall is
measured on (``benchmarks/damage.py``). Nothing is copied into this repository: the text is
read from installed packages at run time.

    python benchmarks/names.py     # prints each part's documents, words and names

Sources:

- every document of ``benchmarks/prose.py`` (all of them, not the budget's sample) that holds
  a word with a letter outside ASCII: the Python documentation's What's New pages and
  changelog (contributors: "Löwis", "Ziadé", "Łukasz"), FOLDOC ("Gödel", "Plankalkül"),
  the fortunes and the Jargon File;
- the Debian changelogs of the installed packages (``/usr/share/doc/*/changelog.Debian.gz``),
  one document per package (the changelog that the packages built from one source package
  each ship is read once, under the first of their names): each change entry is a paragraph ("Enable all hardening flags
  (Christian Göttsche)."). The maintainers' signature lines are left out: they are a name
  and an address, not prose, and a few maintainers would outweigh every other name.

Each document is assigned to the tuning or the test part by ``prose.part_of`` (a seeded
hash of its source and name), as the rest of the damage benchmarks are.

A target is a word of Latin letters with at least one outside ASCII. A capitalised one is
a *name* (people, places, organisations, titles: in English prose a capitalised word with
such letters is nearly always one); a lower-case one is a *word* ("über", "rôle"), counted
apart.

Damage, the ways lossy conversions make it:

- ``deleted``: the letters outside ASCII deleted, as ``encode("ascii", "ignore")`` does
  ("Grönholm" -> "Grnholm", "Łukasz" -> "ukasz");
- ``decomposed``: Unicode decomposition, accents dropped and the letters with no ASCII base
  deleted ("Kasımpaşa" -> "Kasmpasa"); only for words that have such a letter;
- ``accents``: accents dropped where every letter has an ASCII base ("Erdoğan" ->
  "Erdogan", "Gödel" -> "Godel"). This is counted apart and is not a miss: it is how
  English text commonly spells these names on purpose, no letter is lost, and a reader
  reads the name. A rule that flagged it would flag every report that writes "Erdogan".
"""
from __future__ import annotations

import glob
import gzip
import os
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import prose  # noqa: E402

# A changelog is cut to this many entries: gcc's alone would outweigh the rest.
MAX_PARAGRAPHS = 300
_WORD = re.compile(r"[^\W\d_]+")


def latin(word: str) -> bool:
    return all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word)


def targets(paragraphs: tuple[str, ...] | list[str]) -> set[str]:
    """The words of Latin letters with at least one outside ASCII."""
    return {w for p in paragraphs if not p.isascii() for w in _WORD.findall(p) if not w.isascii() and latin(w)}


def kind(word: str) -> str:
    return "names" if word[:1].isupper() else "words"


def damage(word: str, mode: str) -> str | None:
    """``word`` as the conversion ``mode`` leaves it, or None when that mode does not apply
    (see the module's docstring)."""
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = decomposed.encode("ascii", "ignore").decode()
    bases = sum(1 for c in decomposed if not unicodedata.combining(c))
    if mode == "deleted":
        out = word.encode("ascii", "ignore").decode()
    elif mode == "decomposed":
        out = stripped if len(stripped) < bases else ""
    elif mode == "accents":
        out = stripped if len(stripped) == bases else ""
    else:
        raise ValueError(mode)
    return out if len(out) >= 3 and out != word else None


def _changelog_paragraphs(text: str) -> list[str]:
    paras: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            paras.append(" ".join(current))
            current.clear()

    for line in text.split("\n"):
        stripped = line.strip()
        if not line.startswith(" ") or line.startswith(" -- ") or not stripped:
            close()  # a version header, a signature or a blank line
            continue
        if stripped[:1] in "*-+" and stripped[1:2] == " ":
            close()
            stripped = stripped[2:]
        elif stripped.startswith("[") and stripped.endswith("]"):
            close()  # "[ Name ]": who made the entries below
            continue
        current.append(stripped)
    close()
    return paras


def _changelogs() -> list[prose.Doc]:
    docs = []
    seen: set[str] = set()
    for path in sorted(glob.glob("/usr/share/doc/*/changelog.Debian.gz")):
        if os.path.islink(path):
            continue
        try:
            text = gzip.decompress(Path(path).read_bytes()).decode("utf-8")
        except (OSError, UnicodeDecodeError, EOFError):
            continue
        source = text.split(" ", 1)[0]
        if source in seen:
            continue  # the binary packages of one source package ship its changelog each
        seen.add(source)
        paras = _changelog_paragraphs(text)[:MAX_PARAGRAPHS]
        if paras:
            docs.append(prose.Doc("debian", path.split("/")[-2], tuple(paras)))
    return docs


def load() -> dict[str, list[prose.Doc]]:
    """{part: documents that hold at least one target}."""
    out: dict[str, list[prose.Doc]] = {"tuning": [], "test": []}
    everything = prose.load(10**9)
    for part, by_source in everything.items():
        out[part].extend(d for ds in by_source.values() for d in ds if targets(d.paragraphs))
    for doc in _changelogs():
        if targets(doc.paragraphs):
            out[prose.part_of(doc)].append(doc)
    return out


if __name__ == "__main__":
    for part, docs in load().items():
        found = [w for d in docs for w in targets(d.paragraphs)]
        names = sorted({w for w in found if kind(w) == "names"})
        print(part, len(docs), "documents,", sum(d.words for d in docs), "words,", len(names), "distinct names,",
              sum(kind(w) == "words" for w in set(found)), "distinct lower-case words")
        print("  ", " ".join(names[:60]))
