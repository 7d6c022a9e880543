"""Parse a report again after an edit, reusing what the edit did not touch.

A keystroke in a report of thousands of claim rows changes one row, but a parse reads them
all (mistune's block and inline parsers, markers, links: most of a full run's parse). When
the edit is confined to the rows of the claims table and leaves every edited line a table
row (or a comment line between rows), the table's structure is the one the last parse found:
the rows before the edit are the same objects, the edited rows are built again by the
parser's own row builder, and the rows after it are the old ones moved by the edit's change
of length and of line count. Anything else (an edit in the summary or a heading, a line that
stops being a row, a table holding code spans) is parsed again in full.

The result is the Document a full parse of the new text gives (a test checks this on random
edits); ``reparse`` returns None when it cannot be sure, and the caller parses in full.
"""
from __future__ import annotations

import bisect
import operator

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NamedTuple

from mistune.plugins.table import _strip_pipe_table_row

from citelint import parser, sentences
from citelint.limits import DEFAULT, Limits
from citelint.model import ClaimRow, Clause, Document, LineIndex, Marker, Section, Sentence, Span, Summary, Text

_LINE = operator.attrgetter("line")

# Beyond this many edited lines a full parse costs about as much as building the rows.
MAX_LINES = 500


class Region(NamedTuple):
    """Lines an edit changed (0-based, end exclusive) in the old and in the new text."""

    start: int
    old_end: int
    new_end: int

    @property
    def delta(self) -> int:
        return self.new_end - self.old_end


def edit_of(old: str, new: str) -> tuple[int, int, int]:
    """Where two texts differ: old [e0, e1) became new [e0, f1), found from the characters
    they share at their starts and at their ends (compared a chunk at a time in C)."""
    e0 = _common_prefix(old, new, 0)
    tail = _common_suffix(old, new, min(len(old), len(new)) - e0)
    return e0, len(old) - tail, len(new) - tail


def moved_lines(old: LineIndex, new: str, edit: tuple[int, int, int]) -> LineIndex:
    """``LineIndex.of(new)``, from the old text's index and the edit (``edit_of``): the
    line starts before the edit are kept, those in its new text found, and those after
    it moved (in C), not every line end of the text searched again."""
    e0, e1, f1 = edit
    starts = old.starts
    before = bisect.bisect_right(starts, e0)  # (a start at e0 or before: its line end is before the edit)
    after = bisect.bisect_right(starts, e1)  # (a start past e1: its line end is in the shared tail)
    found = list(starts[:before])
    find = new.find
    pos = find("\n", e0, f1)
    while pos >= 0:
        found.append(pos + 1)
        pos = find("\n", pos + 1, f1)
    found.extend(map((f1 - e1).__add__, starts[after:]))
    return LineIndex(tuple(found))


def changed(old: str, old_starts: Sequence[int], new: str, new_starts: Sequence[int], edit: tuple[int, int, int] | None = None) -> Region:
    """The lines that differ between two different texts, given where their lines start
    (and the edit, ``edit_of``, when known), so that a keystroke in a report of thousands
    of lines splits neither text into lines. A line the edit touches counts as changed,
    and so does the line after a change that ends inside it."""
    e0, e1, f1 = edit_of(old, new) if edit is None else edit
    start = bisect.bisect_right(old_starts, e0) - 1
    old_line = bisect.bisect_right(old_starts, e1) - 1
    new_line = bisect.bisect_right(new_starts, f1) - 1
    if old_starts[old_line] == e1 and new_starts[new_line] == f1:
        # Both texts go on alike from a line's start: the lines from there are the same.
        return Region(start, old_line, new_line)
    return Region(start, old_line + 1, new_line + 1)


def _line(source: str, starts: Sequence[int], i: int) -> str:
    """Line ``i`` (0-based) of ``source``, without its line end."""
    return source[starts[i] : starts[i + 1] - 1 if i + 1 < len(starts) else len(source)]




def normalized(text: str) -> str:
    """The text as the parser reads it (no byte-order mark, LF line ends)."""
    text = text[1:] if text.startswith("\ufeff") else text
    # (looked for first: a search for a lone character is ten times quicker than the
    # replacement's search for two, and a report of 1 MB is read after every change)
    return text.replace("\r\n", "\n") if "\r" in text else text




def _is_row_line(line: str) -> bool:
    """Whether the parser's table rule keeps ``line`` in the table: a row (with outer pipes,
    so a pipe table and a table without them both read it as one) or a comment line (with
    no pipe, which a table without outer pipes would read as a row)."""
    stripped = line.strip()
    if stripped.startswith("<!--") and stripped.endswith("-->"):
        return "|" not in line
    return _strip_pipe_table_row(line) is not None


# Each field of a Text and a Span set through its slot (the dataclasses are frozen):
# thousands of rows move after an edit near the top of the table.
_SET_RAW, _SET_START, _SET_SPAN = (vars(Text)[name].__set__ for name in ("raw", "start", "span"))
_SET_LINE, _SET_COL, _SET_END_LINE, _SET_END_COL = (vars(Span)[name].__set__ for name in ("line", "col", "end_line", "end_col"))


_NEW = object.__new__
_SET_DICT = object.__setattr__
_SET_M_TEXT, _SET_M_NUMBERS, _SET_M_STYLE, _SET_M_READABLE = (
    vars(Marker)[name].__set__ for name in ("text", "numbers", "style", "readable")
)
_SET_C_TEXT, _SET_C_MARKER = (vars(Clause)[name].__set__ for name in ("text", "marker"))
_SET_S_TEXT, _SET_S_CLAUSES, _SET_S_TAIL = (vars(Sentence)[name].__set__ for name in ("text", "clauses", "tail"))


def _span(line: int, col: int, end_line: int, end_col: int) -> Span:
    """``Span(line, col, end_line, end_col)``, built without the dataclass __init__."""
    found = object.__new__(Span)
    _SET_LINE(found, line)
    _SET_COL(found, col)
    _SET_END_LINE(found, end_line)
    _SET_END_COL(found, end_col)
    return found


def _text_mover(by: int, span_of: Callable[[Span], Span] | None) -> Callable[[Text], Text]:
    """A function that moves a Text by ``by`` offsets (and its span by ``span_of``, None:
    the span stays), built without the dataclass __init__: thousands move after an edit."""
    new = object.__new__
    set_raw, set_start, set_span = _SET_RAW, _SET_START, _SET_SPAN

    def text(t: Text) -> Text:
        found = new(Text)
        set_raw(found, t.raw)
        set_start(found, t.start + by)
        set_span(found, t.span if span_of is None else span_of(t.span))
        return found

    def offsets(t: Text) -> Text:  # (an edit inside a row's line: the later rows' offsets alone move)
        found = new(Text)
        set_raw(found, t.raw)
        set_start(found, t.start + by)
        set_span(found, t.span)
        return found

    return offsets if span_of is None else text


class _Shift:
    """Moves model values that stand after an edit: ``by`` characters; a place on the old
    line ``line`` (where the edit ends) moves to the new line ``line + lines``, its column
    by ``cols``; a place on a later line moves by ``lines`` lines, its column unchanged."""

    __slots__ = ("by", "lines", "line", "cols", "_row_text", "_context_at", "_sentence")

    def __init__(self, by: int, lines: int, line: int = 0, cols: int = 0) -> None:
        self.by = by
        self.lines = lines
        self.line = line
        self.cols = cols
        self._row_text: Callable[[Text], Text] | None = None
        self._context_at = 0  # the column where the last row moved held its context
        self._sentence: Callable[[Sentence], Sentence] | None = None

    def span(self, s: Span) -> Span:
        lines, cols = self.lines, self.cols
        if cols and (s.line == self.line or s.end_line == self.line):
            return _span(
                s.line + lines,
                s.col + cols if s.line == self.line else s.col,
                s.end_line + lines,
                s.end_col + cols if s.end_line == self.line else s.end_col,
            )
        return _span(s.line + lines, s.col, s.end_line + lines, s.end_col) if lines else s

    def text(self, t: Text) -> Text:
        return Text(t.raw, t.start + self.by, self.span(t.span))

    def sentence(self, sentence: Sentence) -> Sentence:
        mover = self._sentence
        if mover is None:
            mover = self._sentence = self._sentence_mover()
        return mover(sentence)

    def _sentence_mover(self) -> Callable[[Sentence], Sentence]:
        """What moves a summary sentence. Written for speed, as rows are (a summary of
        thousands of sentences moves after an edit near its start): Span, Text, Marker,
        Clause and Sentence built through their slots, without their dataclass __init__; a
        clause's text that the next clause shares ("[1][2]") stays shared."""
        by, lines, at, cols = self.by, self.lines, self.line, self.cols
        new = _NEW
        set_raw, set_start, set_span = _SET_RAW, _SET_START, _SET_SPAN
        set_line, set_col, set_end_line, set_end_col = _SET_LINE, _SET_COL, _SET_END_LINE, _SET_END_COL
        set_m_text, set_m_numbers, set_m_style, set_m_readable = _SET_M_TEXT, _SET_M_NUMBERS, _SET_M_STYLE, _SET_M_READABLE
        set_c_text, set_c_marker = _SET_C_TEXT, _SET_C_MARKER
        set_s_text, set_s_clauses, set_s_tail = _SET_S_TEXT, _SET_S_CLAUSES, _SET_S_TAIL

        def text(t: Text) -> Text:
            # (the span as ``span`` moves it, built inline)
            s = t.span
            line, end_line = s.line, s.end_line
            if cols and (line == at or end_line == at):
                span = new(Span)
                set_line(span, line + lines)
                set_col(span, s.col + cols if line == at else s.col)
                set_end_line(span, end_line + lines)
                set_end_col(span, s.end_col + cols if end_line == at else s.end_col)
            elif lines:
                span = new(Span)
                set_line(span, line + lines)
                set_col(span, s.col)
                set_end_line(span, end_line + lines)
                set_end_col(span, s.end_col)
            else:
                span = s
            found = new(Text)
            set_raw(found, t.raw)
            set_start(found, t.start + by)
            set_span(found, span)
            return found

        def sentence(s: Sentence) -> Sentence:
            clauses = []
            last_old: Text | None = None
            last_new: Text | None = None
            for c in s.clauses:
                if c.text is not last_old:
                    last_old, last_new = c.text, text(c.text)
                m = c.marker
                marker = new(Marker)
                set_m_text(marker, text(m.text))
                set_m_numbers(marker, m.numbers)
                set_m_style(marker, m.style)
                set_m_readable(marker, m.readable)
                clause = new(Clause)
                set_c_text(clause, last_new)
                set_c_marker(clause, marker)
                clauses.append(clause)
            moved = new(Sentence)
            set_s_text(moved, text(s.text))
            set_s_clauses(moved, tuple(clauses))
            set_s_tail(moved, None if s.tail is None else text(s.tail))
            return moved

        return sentence

    def row(self, row: ClaimRow, position: int) -> ClaimRow:
        # Written for speed (thousands of rows move after an edit near the top of the
        # table): Text, Span, Marker and ClaimRow built without their dataclass __init__,
        # spans kept when only offsets move, and the context kept one object with its
        # cell, as in the parse.
        text = self._row_text
        if text is None:
            text = self._row_text = self._mover()
        if self.cols and (row.line == self.line or row.span.end_line == self.line):
            text = _text_mover(self.by, self.span)  # (a row on the edit's last line)
        old_cells = row.cells
        cells = tuple(map(text, old_cells))
        context = row.context
        if context is not None:
            # (the context stands in the same column in each row: looked for there first)
            k = self._context_at
            if k < len(old_cells) and old_cells[k] is context:
                context = cells[k]
            else:
                for k, old_cell in enumerate(old_cells):
                    if old_cell is context:
                        context = cells[k]
                        self._context_at = k
                        break
                else:
                    context = text(context)
        marker = row.marker
        if marker is not None:
            moved_marker = _NEW(Marker)
            _SET_M_TEXT(moved_marker, text(marker.text))
            _SET_M_NUMBERS(moved_marker, marker.numbers)
            _SET_M_STYLE(moved_marker, marker.style)
            _SET_M_READABLE(moved_marker, marker.readable)
            marker = moved_marker
        span = row.span if not self.lines and not self.cols else self.span(row.span)
        fields = row.__dict__.copy()
        if row.numbered_by == "position":
            fields["number"] = position
        fields["marker"] = marker
        fields["claim"] = text(row.claim)
        if row.url_text is not None:
            fields["url_text"] = text(row.url_text)
        fields["context"] = context
        fields["cells"] = cells
        fields["line"] = span.line
        fields["span"] = span
        moved = _NEW(ClaimRow)
        _SET_DICT(moved, "__dict__", fields)
        return moved

    def _mover(self) -> Callable[[Text], Text]:
        """What moves a Text of a row that does not stand on the edit's last line (whose
        columns stay): by ``by`` offsets and ``lines`` lines, its Span built inline."""
        by, lines = self.by, self.lines
        new = _NEW
        set_raw, set_start, set_span = _SET_RAW, _SET_START, _SET_SPAN
        set_line, set_col, set_end_line, set_end_col = _SET_LINE, _SET_COL, _SET_END_LINE, _SET_END_COL
        if not lines:
            return _text_mover(by, None)

        def text(t: Text) -> Text:
            s = t.span
            span = new(Span)
            set_line(span, s.line + lines)
            set_col(span, s.col)
            set_end_line(span, s.end_line + lines)
            set_end_col(span, s.end_col)
            found = new(Text)
            set_raw(found, t.raw)
            set_start(found, t.start + by)
            set_span(found, span)
            return found

        return text

    def section(self, s: Section, at: int) -> Section:
        """``s`` with its places after offset ``at`` (of the old text) moved."""
        moved_heading = s.body_start > at
        return Section(
            s.title,
            self.span(s.heading) if moved_heading else s.heading,
            s.body_start + self.by if moved_heading else s.body_start,
            # (a section that ends where rows are added after its last one takes them in)
            s.body_end + self.by if s.body_end >= at else s.body_end,
        )


def follows(doc: Document, limits: Limits) -> bool:
    """Whether ``doc`` is inside every reader bound of ``limits`` (citelint.limits), with
    room: only then is a parse followed through an edit the parse a full read would give
    (a full read past a bound stops there and says so, CIT004)."""
    if doc.all_unread or len(doc.lines.starts) >= limits.lines:
        return False
    if doc.claims is not None and len(doc.claims.rows) >= limits.rows:
        return False
    summary = doc.summary
    return summary is None or summary.text is None or (
        len(summary.sentences) < limits.sentences and len(summary.text.raw) < limits.summary_chars
    )


def reparse(old: Document, text: str, path: str | None = None) -> Document | None:
    """The parse of ``text`` (what ``readers.read(text, path)`` gives), built from ``old``,
    the parse of an earlier text; None when the edit is not one it can follow."""
    claims = old.claims
    if old.format != "smartbook" or claims is None or not claims.rows:
        return None
    path = old.path if path is None else path
    source = normalized(text)
    if source == old.source:
        return old if path == old.path else replace(old, path=path)
    edit = edit_of(old.source, source)
    lines = moved_lines(old.lines, source, edit)
    region = changed(old.source, old.lines.starts, source, lines.starts, edit)
    if max(region.old_end - region.start, region.new_end - region.start) > MAX_LINES:
        return None
    new_lines = [_line(source, lines.starts, i) for i in range(region.start, region.new_end)]
    rows = claims.rows
    if rows[0].line <= region.start + 1 and region.old_end <= rows[-1].line:
        return _in_rows(old, path, source, lines, new_lines, region)
    summary = old.summary
    if summary is not None and summary.text is not None:
        span = summary.text.span
        if span.line <= region.start + 1 and region.old_end <= span.end_line and region.new_end > region.start:
            return _in_summary(old, path, source, lines, new_lines, region, edit)
    return None


def _in_rows(
    old: Document, path: str, source: str, lines: LineIndex, edited: list[str], region: Region
) -> Document | None:
    """An edit whose old lines lie within the table's rows (``edited``: the new text's
    lines of ``region``)."""
    claims = old.claims
    assert claims is not None
    rows = claims.rows
    first, last = rows[0].line, rows[-1].line  # 1-based
    if not all(_is_row_line(line) for line in edited):
        return None
    starts = old.lines.starts
    at = starts[region.start]  # where the edit begins, in both texts
    old_end = starts[region.old_end] if region.old_end < len(starts) else len(old.source)
    new_starts = lines.starts
    new_end = new_starts[region.new_end] if region.new_end < len(new_starts) else len(source)
    shift = _Shift(new_end - old_end, region.delta, region.old_end + 1, 0)
    # Places before the table stay where they are; those after it move. A summary that
    # reaches past the edit is read again in full: one whose section holds the claims
    # section (a "# Summary" over "## Claims") reads its paragraphs after the table too.
    summary = old.summary
    if summary is not None and (
        summary.section.body_start > at
        or (summary.text is not None and summary.text.end > at)
        or (summary.unread is not None and summary.unread.start > at)
    ):
        return None
    if old.title is not None and old.title.start > at:
        return None
    # Code spans inside the table would be read again from the whole table block.
    top = claims.header_span.line if claims.header_span is not None else first
    if source.find("`", new_starts[top - 1], new_starts[last - 1 + region.delta]) >= 0 or "`" in _line(
        source, new_starts, last - 1 + region.delta
    ):
        return None
    if any(start >= at for start, _ in old.code):
        return None

    # The rows: the same objects before the edit, built anew on the edited lines, moved
    # after it.
    builder = parser._Builder(path, source, lines, [], len(source), DEFAULT)
    columns = claims.columns
    width = len(claims.header)
    # (the rows stand in line order: the edit's place in them found by bisection, not by
    # a walk over thousands of rows)
    before = bisect.bisect_right(rows, region.start, key=_LINE)
    new_rows: list[ClaimRow] = list(rows[:before])
    for i, line in enumerate(edited):
        stripped = line.strip()
        if stripped.startswith("<!--") and stripped.endswith("-->"):
            continue
        offset = new_starts[region.start + i]
        new_rows.append(builder.row({"_start": offset, "_line": line}, len(new_rows) + 1, width, columns))
    after = bisect.bisect_right(rows, region.old_end, key=_LINE, lo=before)  # (past the edited rows)
    if shift.by == 0 and shift.lines == 0 and len(new_rows) == after:
        # Nothing after the edit moved, nor changed its place in the table: the very rows.
        new_rows.extend(rows[after:])
    else:
        for row in rows[after:]:
            if shift.by == 0 and shift.lines == 0 and (row.numbered_by != "position" or row.number == len(new_rows) + 1):
                new_rows.append(row)
            else:
                new_rows.append(shift.row(row, len(new_rows) + 1))
    # The parser's problems: the rows' (in row order), then the lines after the table.
    problems = [p for p in old.problems if p[0].line <= region.start]
    problems += builder.problems
    problems += [(shift.span(span), message) for span, message in old.problems if span.line > region.old_end]
    return _moved(old, path, source, lines, shift, at, old.summary, tuple(new_rows), tuple(problems))


def _moved(
    old: Document,
    path: str,
    source: str,
    lines: LineIndex,
    shift: _Shift,
    at: int,
    summary: Summary | None,
    rows: tuple[ClaimRow, ...],
    problems: tuple[tuple[Span, str], ...],
) -> Document:
    """``old`` with its sections moved past offset ``at``, and the summary, rows and
    problems given."""
    claims = old.claims
    assert claims is not None
    sections = tuple(shift.section(s, at) for s in old.sections)
    by_heading = {s.heading: n for s, n in zip(old.sections, sections)}
    header = claims.header_span
    if header is not None and claims.section.body_start > at:  # the whole table moved
        header = shift.span(header)
    new_claims = replace(claims, section=by_heading.get(claims.section.heading, claims.section), header_span=header, rows=rows)
    if summary is not None:
        section = by_heading.get(summary.section.heading, summary.section)
        if section != summary.section:
            summary = replace(summary, section=section)
    return replace(
        old, path=path, source=source, lines=lines, sections=sections, summary=summary, claims=new_claims, problems=problems
    )


# A line that only continues a paragraph: it cannot open a block of its own (a heading, a
# list item, a quote, a fence, HTML, a table row, a setext underline, a link definition)
# and holds no code span.
_BLOCK_OPENERS = frozenset("#>-*+=_`~|<[ \t0123456789")


def _plain(line: str) -> bool:
    return bool(line) and line[0] not in _BLOCK_OPENERS and "|" not in line and "`" not in line and bool(line.strip())


_CHUNK = 4096


def _common_prefix(a: str, b: str, start: int) -> int:
    """Where ``a`` and ``b`` (equal before ``start``) first differ: compared a chunk at a
    time in C, then a character at a time in the chunk that differs."""
    limit = min(len(a), len(b))
    i = start
    while i + _CHUNK <= limit and a[i : i + _CHUNK] == b[i : i + _CHUNK]:
        i += _CHUNK
    while i < limit and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a: str, b: str, limit: int) -> int:
    """How many characters ``a`` and ``b`` share at their ends (at most ``limit``)."""
    n = 0
    la, lb = len(a), len(b)
    while n + _CHUNK <= limit and a[la - n - _CHUNK : la - n] == b[lb - n - _CHUNK : lb - n]:
        n += _CHUNK
    while n < limit and a[la - n - 1] == b[lb - n - 1]:
        n += 1
    return n


# How far from an edit (in characters) the summary is split again: the sentence splitter
# decides each sentence end from a few dozen characters around it.
_PAD = 400


def _in_summary(
    old: Document, path: str, source: str, lines: LineIndex, edited: list[str], region: Region, edit: tuple[int, int, int]
) -> Document | None:
    """An edit within the summary, when it is one paragraph of plain lines (``edited``:
    the new text's lines of ``region``; ``edit``: the characters it changed, ``edit_of``):
    the sentences around the edit are split again; those before it are kept, those after
    it moved."""
    summary = old.summary
    assert summary is not None and summary.text is not None
    text = summary.text
    old_source = old.source
    # One paragraph: every line of it a plain line, starting at its line's start.
    if text.start > 0 and old_source[text.start - 1] != "\n":
        return None
    if not all(_plain(line) for line in text.raw.split("\n")):
        return None
    if not all(_plain(line) for line in edited):
        return None
    if any(start >= text.start for start, _ in old.code):
        return None
    # The characters the edit changed: old [e0, e1), new [e0, f1).
    e0, e1, f1 = edit
    by = f1 - e1
    old_line, old_col = old.lines.position(e1)
    new_line, new_col = lines.position(f1)
    shift = _Shift(by, new_line - old_line, old_line, new_col - old_col)
    # The paragraph's new end: its last line, less trailing space.
    last = text.span.end_line - 1 + (region.new_end - region.old_end)
    para_end = text.start + len(source[text.start : lines.starts[last] + len(_line(source, lines.starts, last))].rstrip())

    def make(start: int, end: int) -> Text:
        return Text(source[start:end], start, lines.span(start, end))

    found = summary.sentences
    starts = [s.text.start for s in found]
    pad = _PAD
    for _ in range(3):
        k = max(bisect.bisect_right(starts, e0 - pad) - 2, 0)
        j = bisect.bisect_left(starts, e1 + pad) + 1
        left = found[k].text.start if k > 0 else text.start
        right = found[j].text.end + by if j < len(found) else para_end
        window, _ = sentences.split(make(left, right), make)
        # The window's first and last sentences must be the old ones (the last one moved):
        # the sentences between are then what a split of the whole paragraph gives.
        if (k == 0 or (window and window[0] == found[k])) and (
            j >= len(found) or (window and window[-1] == shift.sentence(found[j]))
        ):
            new_sentences = found[:k] + tuple(window) + tuple(shift.sentence(s) for s in found[j + 1 :])
            break
        pad *= 4
    else:
        return None
    new_summary = Summary(summary.section, make(text.start, para_end), new_sentences)
    claims = old.claims
    assert claims is not None
    if by == 0 and shift.lines == 0:  # the same length: nothing after the edit moved
        rows, problems = claims.rows, old.problems
    else:
        rows = tuple(shift.row(r, i) for i, r in enumerate(claims.rows, start=1))
        problems = tuple((shift.span(span), message) for span, message in old.problems)
    return _moved(old, path, source, lines, shift, e0, new_summary, rows, problems)
