"""Clean English prose for the damage benchmarks, read from installed packages at run time
(no third-party text is ever copied into this repository), split by document into a tuning
part and a test part with a fixed seed.

Sources (each used when installed; ``apt-get install fortunes dict-devil dict-jargon
dict-foldoc python3-doc``):

- ``fortunes``: the prose files of Debian's fortune cookies (quotations, anecdotes);
- ``devil``: Ambrose Bierce, *The Devil's Dictionary* (public domain, from Project Gutenberg);
- ``jargon``: the Jargon File (public domain);
- ``foldoc``: the Free On-line Dictionary of Computing (GNU FDL): encyclopaedic entries;
- ``pydocs``: the reStructuredText sources of the Python documentation (PSF licence):
  documentation prose with code in it;
- ``licences``: ``/usr/share/common-licenses``.

A document is a fortune, a dictionary entry, a documentation page or a licence. Each is a
list of paragraphs, each paragraph unwrapped to one line; indented blocks (code, verse,
tables) and markup-only lines are left out. Large sources are sampled (fixed seed) to a word
budget so that one run stays short.
"""
from __future__ import annotations

import glob
import gzip
import hashlib
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path

FORTUNE_FILES = (
    "education food fortunes humorists kids law literature love medicine men-women "
    "miscellaneous news people pets platitudes politics science sports wisdom work"
).split()
# Words per source at most (a fixed-seed sample of its documents).
BUDGET = 120_000
SEED = 20261127


@dataclass(frozen=True)
class Doc:
    source: str
    name: str
    paragraphs: tuple[str, ...]

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


_RST_SKIP = re.compile(r"^(\.\.|:|[=\-~^*#+`\"']{3,}\s*$|\||>>>|\$ )")


def _paragraphs(text: str, skip_indented: bool = True) -> list[str]:
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = block.split("\n")
        if not block.strip():
            continue
        if skip_indented and lines[0][:1] in (" ", "\t"):
            continue
        if any(_RST_SKIP.match(line) for line in lines):
            continue
        para = " ".join(line.strip() for line in lines)
        if len(para.split()) >= 4 and para[:1] not in "#|>-*+=" and not para[:1].isdigit():
            out.append(para)
    return out


def _fortunes() -> list[Doc]:
    base = Path("/usr/share/games/fortunes")
    docs = []
    for name in FORTUNE_FILES:
        path = base / name
        if not path.is_file():
            continue
        for i, part in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n%\n")):
            paras = _paragraphs(part.replace("\t", " "), skip_indented=False)
            if paras:
                docs.append(Doc("fortunes", f"{name}:{i}", tuple(paras)))
    return docs


def _dictd(name: str) -> list[Doc]:
    path = Path(f"/usr/share/dictd/{name}.dict.dz")
    if not path.is_file():
        return []
    text = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
    docs = []
    entry: list[str] = []
    head = ""

    def close() -> None:
        if head and not head.startswith("00") and entry:
            body = "\n".join(re.sub(r"^ {1,4}", "", line) for line in entry)
            paras = [p for p in _paragraphs(body) if not re.fullmatch(r"\(\d{4}-\d\d-\d\d\)", p)]
            if paras:
                docs.append(Doc(name, head, tuple(paras)))

    if name == "devil":  # entries start at the margin: "AIM, n.  The task ..."
        starts = [m.start() for m in re.finditer(r"(?m)^(?=[A-Z][A-Z' -]+, )", text)]
        for a, b in zip(starts, starts[1:] + [len(text)]):
            paras = _paragraphs(text[a:b])
            if paras:
                docs.append(Doc(name, text[a : text.find(",", a)], tuple(paras)))
        return docs
    for line in text.split("\n"):
        if line and not line[0].isspace():
            close()
            head, entry = line.strip(), []
        else:
            entry.append(line)
    close()
    return docs


def _pydocs() -> list[Doc]:
    docs = []
    for path in sorted(glob.glob("/usr/share/doc/python3*/html/_sources/**/*.rst.txt", recursive=True)):
        paras = _paragraphs(Path(path).read_text(encoding="utf-8", errors="replace"))
        if paras:
            docs.append(Doc("pydocs", path.split("_sources/")[1], tuple(paras)))
    return docs


def _licences() -> list[Doc]:
    docs = []
    for path in sorted(glob.glob("/usr/share/common-licenses/*")):
        if os.path.isfile(path) and not os.path.islink(path):
            paras = _paragraphs(Path(path).read_text(encoding="utf-8", errors="replace"), skip_indented=False)
            if paras:
                docs.append(Doc("licences", os.path.basename(path), tuple(paras)))
    return docs


def _budget(docs: list[Doc], budget: int) -> list[Doc]:
    rng = random.Random(SEED)
    order = sorted(docs, key=lambda d: d.name)
    rng.shuffle(order)
    kept, words = [], 0
    for doc in order:
        if words >= budget:
            break
        kept.append(doc)
        words += doc.words
    return kept


def part_of(doc: Doc) -> str:
    """'tuning' or 'test', from a hash of the document's source and name: stable whatever
    else is installed."""
    digest = hashlib.sha256(f"{SEED}:{doc.source}:{doc.name}".encode()).digest()
    return "test" if digest[0] & 1 else "tuning"


def load(budget: int = BUDGET) -> dict[str, dict[str, list[Doc]]]:
    """{part: {source: documents}}."""
    out: dict[str, dict[str, list[Doc]]] = {"tuning": {}, "test": {}}
    loaders = {
        "fortunes": _fortunes,
        "devil": lambda: _dictd("devil"),
        "jargon": lambda: _dictd("jargon"),
        "foldoc": lambda: _dictd("foldoc"),
        "pydocs": _pydocs,
        "licences": _licences,
    }
    for source, loader in loaders.items():
        docs = loader()
        if not docs:
            continue
        for doc in docs:
            out[part_of(doc)].setdefault(source, [])
        for part in ("tuning", "test"):
            mine = [d for d in docs if part_of(d) == part]
            out[part][source] = _budget(mine, budget // 2)
    return out


if __name__ == "__main__":
    for part, by_source in load().items():
        for source, docs in by_source.items():
            print(part, source, len(docs), sum(d.words for d in docs))
