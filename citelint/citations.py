"""The source-neutral citation model: what every reader produces and format-neutral rules read.

A report, whatever its shape, is statements that cite sources by key. A SmartBook report cites
claim rows by number (each row's claim sentence is the quote, its context the passage); a
numbered-endnotes report cites ``[n]`` entries of a source list, which give a URL and a title
but no quote and no passage. A rule that needs a quote or a passage asks for it and is silent
on a format that does not provide one.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from citelint.model import Document, Span, Text

# The formats a reader can produce, as the configuration and --input-format name them.
SMARTBOOK = "smartbook"
ENDNOTES = "endnotes"
FOOTNOTES = "footnotes"
STORM = "storm"
INLINE = "inline-links"
FORMATS = (SMARTBOOK, ENDNOTES, FOOTNOTES, STORM, INLINE)


@dataclass(frozen=True, slots=True)
class CitationGroup:
    """Citations written together (``[1][2]``, ``[3, 4]``): where, and the keys they cite.
    No keys means text that looks like a citation but cannot be read as one."""

    text: Text
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    """A piece of the text (a sentence, a paragraph, a list item) and the groups in it."""

    text: Text
    groups: tuple[CitationGroup, ...]


@dataclass(frozen=True, slots=True)
class Source:
    """One entry a citation can point at, and where it is defined."""

    key: str  # what citations name it by ("3")
    span: Span  # the whole entry (a list item, a claim row)
    label: Text | None  # its own number as written ("[3]", "3."), when it has one
    url: str | None  # entities decoded; None when the entry has no URL
    url_text: Text | None  # where the URL is written
    title: str | None
    quote: Text | None = None  # the words quoted from the source, when the format has them
    passage: Text | None = None  # the source text around the quote
    # Text quoted from the source outside the report (STORM's snippets), when there is any.
    snippets: tuple[str, ...] = ()
    # The file that defines the source when it is not the report (a sidecar), else None.
    defined_in: str | None = None


@dataclass(frozen=True)
class Citations:
    """The statements and sources of one document, as one reader read them."""

    format: str
    statements: tuple[Statement, ...]
    sources: tuple[Source, ...]
    # The heading of the source list, when it has one.
    source_heading: Span | None = None
    # Offsets (start, end) of the source list in the document's source.
    source_region: tuple[int, int] | None = None
    # How a key is shown when it is not a number the text writes (inline links: the URL).
    display: Mapping[str, str] | None = None

    @cached_property
    def groups(self) -> tuple[CitationGroup, ...]:
        return tuple(g for s in self.statements for g in s.groups)

    @cached_property
    def by_key(self) -> Mapping[str, tuple[Source, ...]]:
        index: dict[str, list[Source]] = {}
        for source in self.sources:
            index.setdefault(source.key, []).append(source)
        return {k: tuple(v) for k, v in index.items()}

    def show(self, key: str) -> str:
        """A key as this format writes a citation of it: "[3]", or "[^3]" for a footnote."""
        if self.display is not None:
            return f"<{self.display.get(key, key)}>"
        return f"[^{key}]" if self.format == FOOTNOTES else f"[{key}]"

    @property
    def has_quotes(self) -> bool:
        return any(s.quote is not None for s in self.sources)

    @property
    def has_passages(self) -> bool:
        return any(s.passage is not None for s in self.sources)


def from_smartbook(doc: Document) -> Citations:
    """A SmartBook report in the neutral model: each summary sentence is a statement whose
    markers cite claim rows; each row is a source whose claim is the quote and whose context
    is the passage."""
    statements = []
    if doc.summary is not None:
        for sentence in doc.summary.sentences:
            groups = tuple(CitationGroup(m.text, tuple(str(n) for n in m.numbers) if m.readable else ()) for m in sentence.markers)
            statements.append(Statement(sentence.text, groups))
    sources = tuple(
        Source(
            key=str(row.number) if row.number is not None else f"line {row.line}",
            span=row.span,
            label=row.marker.text if row.marker is not None else None,
            url=row.url,
            url_text=row.url_text,
            title=row.link_text,
            quote=row.claim,
            passage=row.context,
        )
        for row in doc.rows
    )
    heading = doc.claims.section.heading if doc.claims is not None else None
    return Citations(SMARTBOOK, tuple(statements), sources, heading)


def of(doc: Document) -> Citations:
    """The document's citations: those its reader produced, or the SmartBook reading
    (computed on demand: SmartBook rules read the document itself). Use through
    ``ctx.cached(citations.of)``."""
    if doc.citations is not None:
        return doc.citations
    return from_smartbook(doc)
