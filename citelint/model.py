"""The positioned document model: what the parser produces and every rule reads.

Everything is immutable. Offsets are indices into ``Document.source`` (the file's text
after the byte-order mark is dropped and CRLF is read as LF, which keeps every line and
column where the file has it). Lines and columns are 1-based and count Unicode code
points; an end column is exclusive (it names the column just past the last character),
as in SARIF and LSP.
"""
from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from citelint.citations import Citations


@dataclass(frozen=True, slots=True)  # slots: a long summary holds many
class Span:
    """A place in the source: 1-based lines and code-point columns, end exclusive."""

    line: int
    col: int
    end_line: int
    end_col: int


@dataclass(frozen=True)
class LineIndex:
    """Maps offsets in the source to (line, column)."""

    starts: tuple[int, ...]

    @classmethod
    def of(cls, source: str) -> LineIndex:
        starts = [0]
        find = source.find
        pos = find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        return cls(tuple(starts))

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        starts = self.starts
        line = bisect.bisect_right(starts, start)
        if line == len(starts) or end < starts[line]:  # on one line: one search, not two
            base = starts[line - 1] - 1
            return Span(line, start - base, line, end - base)
        end_line, end_col = self.position(end)
        return Span(line, start - starts[line - 1] + 1, end_line, end_col)


# textnorm.visible, once imported (an import statement on every call cost four times the
# call, measured).
_VISIBLE: list[Callable[[str], str]] = []


@dataclass(frozen=True, slots=True)
class Text:
    """A piece of the source: its raw text (entities not decoded) and where it starts."""

    raw: str
    start: int
    span: Span

    @property
    def end(self) -> int:
        return self.start + len(self.raw)

    @property
    def visible(self) -> str:
        """The text a reader sees (tags removed, entities decoded); ``visible_map`` maps
        it back to source offsets."""
        if not _VISIBLE:  # imported on first use, then called directly
            from citelint.textnorm import visible

            _VISIBLE.append(visible)
        return _VISIBLE[0](self.raw)

    def visible_map(self) -> tuple[str, list[int]]:
        """The visible text and, for each of its characters (and its end), the offset in
        ``Document.source`` it comes from."""
        from citelint.textnorm import visible_with_map

        text, index = visible_with_map(self.raw)
        return text, [self.start + i for i in index]


@dataclass(frozen=True, slots=True)
class Marker:
    """A citation marker such as ``<font color=#FF3399>[1, 2]</font>``, ``[3]`` or ``(4,5)``,
    or a group of markers side by side (``[1][2]``): one citation of all their rows."""

    text: Text
    numbers: tuple[int, ...]
    # How it is written: "bracket", "paren", "context" (a word before the numbers), each
    # with the wrapping element's name before it when there is one ("font-bracket").
    style: str
    # False for text that looks like a citation but cannot be read as one (CIT003): it
    # cites no number the reader could trust, and rules must not guess.
    readable: bool = True


@dataclass(frozen=True, slots=True)
class Clause:
    """Summary text closed by a marker: the words that marker is meant to support."""

    text: Text
    marker: Marker


@dataclass(frozen=True, slots=True)
class Sentence:
    """A summary sentence and the clauses its markers close."""

    text: Text
    clauses: tuple[Clause, ...]
    # Words after the sentence's last marker (None when the sentence ends on a marker).
    tail: Text | None

    @property
    def markers(self) -> tuple[Marker, ...]:
        return tuple(c.marker for c in self.clauses)


@dataclass(frozen=True)
class Section:
    """A section: its title (without a trailing colon), heading and body. Any heading but
    the title opens one, ATX (``## Summary``) or setext (``Summary`` over ``---``)."""

    title: str
    heading: Span
    # Offsets of the section body: from the line after the heading to the next heading.
    body_start: int
    body_end: int


@dataclass(frozen=True, slots=True)
class Unread:
    """Text the reader did not read because it lies past one of the bounds in
    ``citelint.limits``; CIT004 reports it."""

    part: str  # "file", "summary" or "claims": what was cut short
    start: int  # offset in ``Document.source`` where reading stopped
    span: Span  # from there to the end of the part
    why: str  # "the file has more than 20,000 lines"
    # The unread text has a Summary or Claims heading or a marker: a file whose report
    # starts past the bound is a report (said by CIT004), not a README to skip.
    report_past: bool = False


@dataclass(frozen=True)
class Summary:
    """The ``## Summary`` section: its text, split into sentences."""

    section: Section
    # The summary paragraph(s) that were read (all of them unless ``unread``); None when the
    # section is empty.
    text: Text | None
    sentences: tuple[Sentence, ...]
    unread: Unread | None = None

    # Computed once: several rules ask, and a summary may have many sentences.
    @cached_property
    def markers(self) -> tuple[Marker, ...]:
        """Every marker, readable or not (an unreadable one still closes its clause)."""
        # (each clause's, gathered in C: a summary of thousands of sentences, once per edit
        # of it in a server)
        return tuple(map(_MARKER, itertools.chain.from_iterable(map(_CLAUSES, self.sentences))))

    @cached_property
    def readable(self) -> tuple[Marker, ...]:
        return tuple(m for m in self.markers if m.readable)

    @cached_property
    def cited(self) -> frozenset[int]:
        """The row numbers the readable markers cite. Several rules ask; after an edit of
        the rows the incremental parse keeps the summary, and this with it."""
        return frozenset(itertools.chain.from_iterable(map(_NUMBERS, self.readable)))

    @cached_property
    def unreadable(self) -> tuple[Marker, ...]:
        return tuple(m for m in self.markers if not m.readable)

    @cached_property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(c for s in self.sentences for c in s.clauses)


@dataclass(frozen=True)
class ClaimRow:
    """One row of the claims table."""

    number: int | None  # None only when the row has no marker and position numbering is off
    # "marker" when the row carries its own marker, "position" when numbered by its place.
    numbered_by: str
    marker: Marker | None
    claim: Text  # the claim sentence, without marker and source link
    url: str | None  # the source URL with HTML entities decoded, None when there is no link
    url_text: Text | None  # where the URL stands in the source
    link_text: str | None
    context: Text | None
    cells: tuple[Text, ...]
    line: int
    span: Span


@dataclass(frozen=True)
class ClaimsTable:
    """The claims table: its header, the columns it names, and its rows."""

    section: Section
    header: tuple[str, ...]
    # Index of each known column in ``header`` ("claim", "source", "context").
    columns: dict[str, int]
    header_span: Span | None
    rows: tuple[ClaimRow, ...]
    unread: Unread | None = None  # the rows past ``limits.MAX_ROWS``

    @property
    def usable(self) -> bool:
        """Whether the header names the columns a row needs (its claim and its context)."""
        return "claim" in self.columns and "context" in self.columns


_NUMBER = operator.attrgetter("number")
_MARKER, _CLAUSES, _NUMBERS = operator.attrgetter("marker"), operator.attrgetter("clauses"), operator.attrgetter("numbers")


@dataclass(frozen=True)
class Document:
    """A parsed report."""

    path: str
    source: str
    lines: LineIndex
    title: Text | None
    sections: tuple[Section, ...]
    summary: Summary | None
    claims: ClaimsTable | None
    # Problems the parser met and could not represent (a table row it had to skip, ...),
    # as (span, message); structure rules report them.
    problems: tuple[tuple[Span, str], ...] = field(default=())
    # Offsets (start, end) of code blocks and inline code spans, sorted: text shown as
    # code, such as a suppression comment in documentation.
    code: tuple[tuple[int, int], ...] = field(default=())
    # Whether the file has a citation marker anywhere (readable or not).
    has_markers: bool = False
    # The reader that read the file ("smartbook", "endnotes"): rules declare the formats
    # they run on.
    format: str = "smartbook"
    # The citations in the source-neutral model, for readers other than SmartBook's
    # (``citelint.citations.of`` derives them for a SmartBook report).
    citations: Citations | None = None
    # Where the reader stopped reading the file (``limits.MAX_LINES``); None when it read it all.
    unread: Unread | None = None

    @property
    def read_end(self) -> int:
        """The offset up to which the file was read: readers look no further."""
        return self.unread.start if self.unread else len(self.source)

    def read_whole(self, part: str) -> bool:
        """Whether the reader read all of ``part`` ("summary", "claims" or "file"): a rule
        that judges by what is absent (a row never cited, a marker citing no row) is right
        only then."""
        if self.unread is not None:
            return False
        if part == "summary":
            return self.summary is None or self.summary.unread is None
        if part == "claims":
            return self.claims is None or self.claims.unread is None
        return part == "file" and self.read_whole("summary") and self.read_whole("claims")

    @property
    def all_unread(self) -> tuple[Unread, ...]:
        found = (self.unread, self.summary.unread if self.summary else None, self.claims.unread if self.claims else None)
        return tuple(u for u in found if u is not None)

    @property
    def is_report(self) -> bool:
        """Whether the file looks like a report at all: a Summary or Claims section, a
        claims table, or a citation marker. A README or a changelog does not, and is
        skipped unless the configuration says every file is a report."""
        return (
            self.format != "smartbook"
            or self.summary is not None
            or self.claims is not None
            or any("claim" in s.title.lower() for s in self.sections)
            or self.has_markers
            or (self.unread is not None and self.unread.report_past)
        )

    def span(self, start: int, end: int) -> Span:
        return self.lines.span(start, end)

    def text(self, start: int, end: int) -> Text:
        return Text(self.source[start:end], start, self.lines.span(start, end))

    @property
    def rows(self) -> tuple[ClaimRow, ...]:
        """The claim rows; none when there is no table or its header is unknown (CIT001
        reports that once, and no rule reads rows it cannot interpret)."""
        return self.claims.rows if self.claims and self.claims.usable else ()

    @property
    def cited_and_citable(self) -> bool:
        """Both halves exist, so markers and rows can be matched against each other."""
        return self.summary is not None and self.claims is not None and self.claims.usable

    def rows_by_number(self) -> Mapping[int, tuple[ClaimRow, ...]]:
        """The rows under each number. Several rules ask, some once per clause, so it is
        built once and kept on the (otherwise immutable) document."""
        cached: Mapping[int, tuple[ClaimRow, ...]] | None = self.__dict__.get("_rows_by_number")
        if cached is None:
            # Built in C (thousands of rows): each number's row, then the few numbers that
            # several rows have, with all their rows in order.
            rows = self.rows
            numbers: list[int | None] = list(map(_NUMBER, rows))
            index: dict[int | None, tuple[ClaimRow, ...]] = dict(zip(numbers, zip(rows)))
            if len(index) != len(numbers):
                first = dict(zip(reversed(numbers), reversed(range(len(numbers)))))  # (the first row of each)
                shared: dict[int | None, list[ClaimRow]] = {}
                for i in itertools.compress(itertools.count(), map(operator.ne, map(first.__getitem__, numbers), itertools.count())):
                    n = numbers[i]
                    shared.setdefault(n, [rows[first[n]]]).append(rows[i])
                index.update((n, tuple(rs)) for n, rs in shared.items())
            index.pop(None, None)  # (a row with no number is under none)
            cached = cast("dict[int, tuple[ClaimRow, ...]]", index)
            object.__setattr__(self, "_rows_by_number", cached)
        return cached
