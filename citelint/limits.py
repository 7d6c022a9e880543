"""How much of a file the reader models: bounds that keep every run fast on any input.

A real report is far inside every bound here (the 250 reports of the shared corpus have at
most a few hundred lines, rows and summary sentences). A file past one is still read up to
the bound and checked there; the rest is reported once (CIT004) and the rules that would
need the whole file to be right (a row "never cited" may be cited in the unread part) stay
silent for it. Each bound caps work that is linear but costs tens of microseconds a unit in
Python (a mistune block, a table row, a summary sentence with its positioned model values):
without them a 10 MB file of short blocks takes minutes. The ``limits`` table of the
configuration raises or lowers them.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    # Lines of a file handed to mistune (its block parser costs about 7 us a line, its list
    # parser ten times that) and read into the model.
    lines: int = 20_000
    # Rows of the claims table read into the model (each costs about 0.2 ms with its rules).
    rows: int = 10_000
    # Sentences of the summary read into the model, and the characters of summary text they
    # may span (a summary of markers and no stops has few sentences but many markers).
    sentences: int = 10_000
    summary_chars: int = 500_000
    # Characters of text (every block before the source list) a reader of the other formats
    # reads: it hands each block to mistune's inline parser, several times (links,
    # citations, visible prose), at up to 15 us a character on link-like markup. The
    # longest real endnote report of the shared corpus has 35,000 characters in all.
    prose_chars: int = 300_000


DEFAULT = Limits()
# The configuration keys of the ``limits`` table (config_schema.json gives their ranges).
KEYS = {
    "lines": "lines",
    "rows": "rows",
    "sentences": "sentences",
    "summary-chars": "summary_chars",
    "prose-chars": "prose_chars",
}


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
