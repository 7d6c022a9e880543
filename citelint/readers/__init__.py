"""Readers: which format a report is written in, and reading it into a Document.

The SmartBook reader (``citelint.parser``) reads every file first: it is the format most
files are in, and its Document says whether there is a claims table. A file without one is
offered to the other readers, which are imported only then (cold start stays unchanged for
SmartBook reports).
"""
from __future__ import annotations

from citelint import parser
from citelint.limits import DEFAULT, Limits
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
