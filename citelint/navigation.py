"""Following the citations of a parsed report: which marker stands at a place, the rows it
cites, the markers that cite a row, the source links, and renumbering a row.

Editors ask these questions (the language server answers hover, go-to-definition,
find-references, document links and rename from here). Everything the server knows about
the document model is in this module, so that a change of the model changes only this file.
Offsets index ``Document.source``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from citelint.finding import Edit
from citelint.model import ClaimRow, Document, Marker, Span
from citelint.repairs import marker_edits

_DIGITS_RE = re.compile(r"\d+")


@dataclass(frozen=True)
class Place:
    """A marker at a place in the source: in the summary (``row`` None) or a row's own."""

    marker: Marker
    row: ClaimRow | None


@dataclass(frozen=True)
class Link:
    """A source link of a row: where its URL is written, and the URL."""

    start: int
    end: int
    url: str


def summary_markers(doc: Document) -> tuple[Marker, ...]:
    return doc.summary.markers if doc.summary is not None else ()


def _all_markers(doc: Document) -> Iterator[Place]:
    for m in summary_markers(doc):
        yield Place(m, None)
    for row in doc.rows:
        if row.marker is not None:
            yield Place(row.marker, row)


def marker_at(doc: Document, offset: int) -> Place | None:
    """The marker written at ``offset`` (its end counts: a cursor just after it)."""
    for place in _all_markers(doc):
        text = place.marker.text
        if text.start <= offset <= text.end:
            return place
    return None


def number_at(doc: Document, offset: int) -> tuple[Place, int, int, int] | None:
    """The marker at ``offset``, the row number written there, and the offsets of its
    digits. In a marker citing several rows, the number under the cursor (the first one
    when the cursor is on the brackets or a tag)."""
    place = marker_at(doc, offset)
    if place is None:
        return None
    text = place.marker.text
    # The digits of the marker's number list, not of a tag's attributes (``#FF3399``).
    runs = [m for m in _DIGITS_RE.finditer(text.raw) if int(m.group()) in place.marker.numbers]
    if not runs:
        return None
    chosen = next((m for m in runs if text.start + m.start() <= offset <= text.start + m.end()), runs[0])
    return place, int(chosen.group()), text.start + chosen.start(), text.start + chosen.end()


def rows_cited(doc: Document, marker: Marker) -> list[tuple[int, tuple[ClaimRow, ...]]]:
    """Each number a marker cites with the rows that carry it (none: a dangling citation)."""
    index = doc.rows_by_number()
    return [(n, index.get(n, ())) for n in marker.numbers]


def citing(doc: Document, number: int) -> list[Marker]:
    """The summary markers that cite row ``number``, in order."""
    return [m for m in summary_markers(doc) if number in m.numbers]


def row_target(row: ClaimRow) -> Span:
    """Where a jump to a row lands: its marker, or the row when it has none."""
    return row.marker.text.span if row.marker is not None else row.span


def hover(doc: Document, place: Place) -> str:
    """Markdown describing the rows a marker cites: number, claim sentence, source URL."""
    parts: list[str] = []
    for number, rows in rows_cited(doc, place.marker):
        if not rows:
            parts.append(f"**[{number}]** no row has this number")
            continue
        for row in rows:
            line = f"**[{number}]** {_plain(row.claim.raw)}"
            if row.url:
                line += f"  \n<{row.url}>"
            parts.append(line)
    if place.row is not None and place.row.number is not None:
        count = len(citing(doc, place.row.number))
        parts.append(f"cited by {count} summary marker{'s' if count != 1 else ''}")
    return "\n\n".join(parts)


def _plain(text: str) -> str:
    return " ".join(text.split())


def links(doc: Document) -> list[Link]:
    """The rows' source links (where the URL is written, and the decoded URL)."""
    found = []
    for row in doc.rows:
        if row.url and row.url_text is not None and re.match(r"(?i)https?://", row.url):
            found.append(Link(row.url_text.start, row.url_text.end, row.url))
    return found


class RenameError(ValueError):
    """A renumbering that cannot be done (the reason is for the user)."""


def renumber(doc: Document, old: int, new: int) -> list[Edit]:
    """Edits that give row ``old`` the number ``new``, in the row's marker and in every
    summary marker that cites it."""
    if new == old:
        return []
    if new < 0:
        raise RenameError("a row number is a whole number, 0 or more")
    index = doc.rows_by_number()
    if new in index:
        raise RenameError(f"row {new} already exists: renumber it first")
    mapping = {old: new}
    edits: list[Edit] = []
    for row in index.get(old, ()):
        if row.marker is not None:
            edits.extend(marker_edits(row.marker, mapping))
    for m in summary_markers(doc):
        edits.extend(marker_edits(m, mapping))
    if not edits:
        raise RenameError(f"nothing cites or carries number {old}")
    return edits


def continues_paragraph(doc: Document, line: int) -> bool:
    """Whether 1-based ``line`` continues a summary paragraph from the line above (a line
    put between them would split the paragraph where the report is shown)."""
    summary = doc.summary
    if summary is None or summary.text is None:
        return False
    span = summary.text.span
    if not span.line < line <= span.end_line:
        return False
    above = doc.source[doc.lines.starts[line - 2] : doc.lines.starts[line - 1]]
    return bool(above.strip())
