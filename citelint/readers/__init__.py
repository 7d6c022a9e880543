"""Readers: which format a report is written in, and reading it into a Document.

The SmartBook reader (``citelint.parser``) reads every file first: it is the format most
files are in, and its Document says whether there is a claims table. A file without one is
offered to the other readers, which are imported only then (cold start stays unchanged for
SmartBook reports).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from citelint import parser
from citelint.limits import DEFAULT, Limits, plural
from citelint.model import Document

AUTO = "auto"
# The values of the ``format`` configuration key and of --input-format.
CHOICES = (AUTO, "smartbook", "endnotes", "footnotes", "storm", "inline-links")


class ReaderError(Exception):
    """A file its reader cannot read (a STORM article whose sidecar is broken or missing):
    str() is the one line said for that file, which then gets no findings (exit 2)."""


def read(
    text: str, path: str = "<string>", fmt: str = AUTO, sidecar: str | None = None, limits: Limits = DEFAULT
) -> Document:
    """Parse ``text`` with the reader ``fmt`` names, or the one that fits (``auto``): a file
    with a claims table is SmartBook; one with footnote definitions (``[^1]: URL``) is GFM
    footnotes; one with STORM's ``url_to_info.json`` beside it is STORM; one whose citations point into a numbered source list is endnotes; one whose links
    point into a References list of links is inline-links; any other
    stays SmartBook (whose rules say what it lacks). ``sidecar`` is the ``storm-sidecar``
    key: where a STORM article's url_to_info.json is, instead of beside it by STORM's
    naming; ``limits`` how much of it is read. ReaderError when the reader that fits cannot read the file."""
    doc, tokens = parser.parse_with_tokens(text, path, limits)
    if fmt == "smartbook" or fmt == AUTO and doc.claims is not None:
        return doc
    cut = _prose_cut(doc, tokens, limits.prose_chars)
    if cut is not None:
        # The text past the bound is not read, by any reader (CIT004 says where).
        why = f"the text is longer than {plural(limits.prose_chars, 'character')}"
        whole = doc
        doc, tokens = parser.parse_with_tokens(text, path, limits, (cut, why))
        if whole.is_report and not doc.is_report:
            doc = replace(doc, has_markers=True)  # what was not read made it a report
    from citelint.readers import endnotes, footnotes, inline, storm

    # In order of how surely each says what a file is: a sidecar beside the file names its
    # sources (STORM); footnote definitions say more than a "Sources" heading does.
    for name, reader in (("storm", storm), ("footnotes", footnotes), ("endnotes", endnotes), ("inline-links", inline)):
        if fmt in (AUTO, name):
            found: Document | None = (
                storm.read(doc, tokens, forced=fmt == name, pattern=sidecar)
                if reader is storm
                else reader.read(doc, tokens, forced=fmt == name)
            )
            if found is not None:
                return found
    return doc


def _prose_cut(doc: Document, tokens: list[dict[str, Any]], budget: int) -> int | None:
    """Where the block that takes the text past ``budget`` characters starts (blocks of
    code not counted), or None when it is within: the other formats' readers and rules
    inline-parse every block, which costs too much a character to read megabytes."""
    following = parser.block_ends(tokens, doc.read_end)
    total = 0
    for token in tokens:
        start = token.get("_start")
        if start is None or token["type"] in ("block_code", "blank_line", "thematic_break"):
            continue
        total += following.get(start, doc.read_end) - start
        if total > budget:
            return int(start)
    return None
