"""The damage rules (CIT401-CIT404) on the prose of reports in the other formats (issue 14).

    python benchmarks/prose_formats.py [--part tuning|test|both] [--show] [PATH ...]

PATHs default to ../shared/corpus/open_deep_research (real endnote reports) and
../shared/examples/formats. Every report not read as SmartBook is split by a seeded hash of
its name into a tuning part and a test part. For each part, with each rule made to run on
every format:

- the words of prose the rules read (``prose_fields``) and the findings the rules give on
  the reports as they are (real reports from generators that write Markdown directly: a
  finding is a false alarm unless a reader says otherwise; ``--show`` prints each with its
  line, to be judged by hand);
- the findings on STORM's snippets (text quoted from the sources), read as a document;
- synthetic damage, put into the visible prose one place at a time (fixed seed, at most
  ``--per-report`` places per kind and report): two lower-case words merged ("crews and" ->
  "crewsand"), a space deleted after a comma or a sentence stop, an apostrophe deleted
  ("don't", "Russia's"), a non-ASCII letter deleted from a word the report writes more than
  once ("Zürich" -> "Zrich"). Counted: damage found by the right rule at the right line and
  column, and whether applying that finding's fix gives the report back.

Nothing is tuned here: the figures decide only which rules run on which formats (the
decision is made on the tuning part; the test part is what is reported).
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citelint import engine, readers, reading  # noqa: E402
from citelint.checks.damage import prose_fields  # noqa: E402
from citelint.finding import Finding  # noqa: E402
from citelint.fixer import apply_edits  # noqa: E402
from citelint.registry import load_rules  # noqa: E402

SEED = 14
CODES = ("CIT401", "CIT402", "CIT403", "CIT404")
DEFAULT_PATHS = (ROOT.parent / "shared" / "corpus" / "open_deep_research", ROOT.parent / "shared" / "examples" / "formats")

_MERGE_RE = re.compile(r"(?<![\w'\u2019-])([a-z]{3,}) ([a-z]{3,})(?![\w'\u2019-])")
_GLUE_RE = re.compile(r"(?<![\w.])([a-z]{3,})([,;]) ([a-z]{3,})(?![\w])|(?<![\w.])([a-z]{3,})([.]) ([A-Z][a-z]{2,})(?![\w])")
_APOSTROPHE_RE = re.compile(r"(?<![\w'\u2019])([A-Za-z]{2,})(['\u2019])(s|t)(?![\w'\u2019])")
_NON_ASCII_WORD_RE = re.compile(r"(?<![^\W\d_])[^\W\d_]*[^\x00-\x7f\W\d_][^\W\d_]*(?![^\W\d_])")


def part_of(path: Path) -> str:
    digest = hashlib.sha256(f"{SEED}:{path.name}".encode()).digest()
    return "test" if digest[0] & 1 else "tuning"


def report_paths(roots: list[Path]) -> list[Path]:
    out: list[Path] = []
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix in (".md", ".txt"))
        out.extend(p for p in files if p.name != "README.md")
    return out


def sites(doc: Any) -> dict[str, list[tuple[int, int, str, int]]]:
    """Places to damage, per rule: (start, end, replacement, where the finding must start),
    offsets into the source, all inside visible prose."""
    out: dict[str, list[tuple[int, int, str, int]]] = {code: [] for code in CODES}
    fields = prose_fields(doc)
    counts: Counter[str] = Counter()
    for f in fields:
        counts.update(_NON_ASCII_WORD_RE.findall(f.text.raw))
    for f in fields:
        raw, base = f.text.raw, f.text.start
        for m in _MERGE_RE.finditer(raw):
            out["CIT401"].append((base + m.end(1), base + m.start(2), "", base + m.start(1)))
        for m in _GLUE_RE.finditer(raw):
            mark = 2 if m.group(2) else 5
            out["CIT402"].append((base + m.end(mark), base + m.end(mark) + 1, "", base + m.start(mark)))
        for m in _APOSTROPHE_RE.finditer(raw):
            out["CIT403"].append((base + m.start(2), base + m.end(2), "", base + m.start(1)))
        for m in _NON_ASCII_WORD_RE.finditer(raw):
            word = m.group()
            if counts[word] < 2 or len(word) < 5 or not all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in word):
                continue  # a Latin word only: a lost letter of a name, not a character of Chinese
            i = next(i for i, c in enumerate(word) if not c.isascii())
            out["CIT404"].append((base + m.start() + i, base + m.start() + i + 1, "", base + m.start()))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--part", choices=("tuning", "test", "both"), default="both")
    ap.add_argument("--show", action="store_true", help="print every finding on the reports as they are")
    ap.add_argument("--per-report", type=int, default=2)
    args = ap.parse_args()
    roots = args.paths or [p for p in DEFAULT_PATHS if p.exists()]
    if not roots:
        print("no reports found (../shared is not available)")
        return 1
    rules = [dataclasses.replace(r, formats=("*",)) for r in load_rules() if r.code in CODES]
    parts = ("tuning", "test") if args.part == "both" else (args.part,)
    for part in parts:
        words = reports = 0
        formats: Counter[str] = Counter()
        natural: Counter[tuple[str, str]] = Counter()
        tried: Counter[str] = Counter()
        found: Counter[str] = Counter()
        restored: Counter[str] = Counter()
        shown: list[str] = []
        missed: list[str] = []
        snippets: Counter[str] = Counter()
        snippet_words = 0
        for path in report_paths(roots):
            if part_of(path) != part:
                continue
            text = reading.read(str(path))
            doc = readers.read(text, str(path))
            if doc.format == "smartbook":
                continue
            reports += 1
            formats[doc.format] += 1
            words += sum(len(f.text.raw.split()) for f in prose_fields(doc))
            for finding in engine.check_document(doc, rules):
                natural[(finding.code, doc.format)] += 1
                line = doc.source.split("\n")[finding.line - 1]
                shown.append(f"{path.name}:{finding.line}:{finding.col}: {finding.code} {finding.message}\n    {line[max(0, finding.col - 70) : finding.col + 70]}")
            if doc.citations is not None and any(src.snippets for src in doc.citations.sources):
                # STORM's snippets: text quoted from the sources, outside the report (the rules
                # cannot point into the sidecar yet); read as a document of their own.
                quoted = "\n\n".join(s for src in doc.citations.sources for s in src.snippets)
                sdoc = readers.read(quoted, f"{path.name} (snippets)", "endnotes")
                snippet_words += sum(len(f.text.raw.split()) for f in prose_fields(sdoc))
                for finding in engine.check_document(sdoc, rules):
                    snippets[finding.code] += 1
                    line = sdoc.source.split("\n")[finding.line - 1]
                    shown.append(f"{sdoc.path}: {finding.code} {finding.message}\n    {line[max(0, finding.col - 70) : finding.col + 70]}")
            rng = random.Random(f"{SEED}:{path.name}")
            for code, places in sites(doc).items():
                for start, end, replacement, expect in rng.sample(places, min(args.per_report, len(places))):
                    damaged = doc.source[:start] + replacement + doc.source[end:]
                    ddoc = readers.read(damaged, str(path))
                    want = ddoc.lines.position(expect)
                    tried[code] += 1
                    hits = [f for f in engine.check_document(ddoc, rules) if f.code == code and (f.line, f.col) == want]
                    if not hits:
                        if args.show:
                            lo = max(0, start - 40)
                            missed.append(f"missed {code} {path.name}:{want[0]}:{want[1]}: {damaged[lo : start + 40]!r}")
                        continue
                    found[code] += 1
                    fix = hits[0].fix
                    if fix is not None and _normal(apply_edits(damaged, fix.edits)) == _normal(doc.source):
                        restored[code] += 1
        print(f"== {part} part: {reports} reports ({', '.join(f'{k} {v}' for k, v in sorted(formats.items()))}), {words:,} words of prose ==")
        for code in CODES:
            per_format = ", ".join(f"{fmt} {n}" for (c, fmt), n in sorted(natural.items()) if c == code) or "none"
            rate = found[code] / tried[code] if tried[code] else 0.0
            print(
                f"{code}: findings on the reports as they are: {sum(n for (c, _), n in natural.items() if c == code)} ({per_format}); "
                f"damage put in: {tried[code]}, found at its place {found[code]} ({rate:.3f}), fix gives the report back {restored[code]}"
            )
        if snippet_words:
            print(f"STORM snippets: {snippet_words:,} words, findings: " + (", ".join(f"{c} {n}" for c, n in sorted(snippets.items())) or "none"))
        if args.show:
            print("\n".join(shown + missed))
    return 0


def _normal(text: str) -> str:
    # A fix writes the ASCII apostrophe where the report may have had a typographic one.
    return text.replace("\u2019", "'")


if __name__ == "__main__":
    raise SystemExit(main())
