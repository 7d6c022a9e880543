"""Parse a report into the positioned document model.

mistune's block parser finds the structure (headings, paragraphs, the claims table), but its
tokens carry no positions. The block state knows its cursor, though, so a subclass records
where each top-level token starts, and the table rule records the offset of every row (a row
is one physical line). Inside a block only the report format's own syntax is read here:
citation markers, and the source link that mistune's inline parser finds in a claim cell.
"""
from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Match, NamedTuple

from mistune.block_parser import BlockParser
from mistune.core import BlockState
from mistune.inline_parser import InlineParser
from mistune.plugins.table import (
    NP_TABLE_PATTERN,
    TABLE_PATTERN,
    _is_escaped_pipe,
    _process_thead,
    _strip_pipe_table_row,
    _strip_table_line,
)

from citelint import htmltags  # noqa: F401  (mistune's HTML tag patterns made linear)
from citelint import limits, markers, sentences, textnorm
from citelint.model import (
    ClaimRow,
    ClaimsTable,
    Document,
    LineIndex,
    Marker,
    Section,
    Sentence,
    Span,
    Summary,
    Text,
    Unread,
)

Token = dict[str, Any]

# Header cell words that name each column; a header is matched by the first word it contains.
COLUMN_WORDS = {
    "claim": ("claim", "statement", "quote"),
    "source": ("source", "url", "link", "reference"),
    "context": ("context", "passage", "excerpt"),
}


# Header cells that name a column holding each row's number.
NUMBER_HEADERS = frozenset(("#", "no", "nr", "n", "num", "number", "id", "index", "marker", "row"))
_NUMBER_CELL_RE = re.compile(r"\s*(\d{1,5})\s*\.?\s*")


class _State(BlockState):
    def add_paragraph(self, text: str) -> None:
        last = self.last_token()
        if last and last["type"] == "paragraph":
            last["text"] += text
        else:
            # The cursor is where the text added here starts: every caller adds get_text().
            self.tokens.append({"type": "paragraph", "text": text, "_start": self.cursor})


class _Parser(BlockParser):
    state_cls = _State

    def parse_method(self, m: Match[str], state: BlockState) -> int | None:
        before = len(state.tokens)
        last = state.tokens[-1] if state.tokens else None
        end = super().parse_method(m, state)
        for token in state.tokens[before:]:
            token.setdefault("_start", m.start())
            token["_end"] = end
        if last is not None and last["type"] == "heading" and "_end" not in last:
            # A setext heading: mistune turned the paragraph before the underline into
            # a heading in place; it ends after the underline.
            last["_end"] = end
        return end

    def parse_atx_heading(self, m: Match[str], state: BlockState) -> int:
        """mistune's ATX heading, with its closing-#s trim done in linear time (its regex
        takes time quadratic in a run of spaces inside the heading)."""
        level = len(m.group("atx_1"))
        text = m.group("atx_2").strip()
        body = text.rstrip("#")
        if body != text and (not body or body[-1] in " \t"):
            text = body.rstrip()
        state.append_token({"type": "heading", "text": text, "attrs": {"level": level}, "style": "atx"})
        return m.end() + 1


def _lenient_table(strip: Callable[[str], str | None]) -> Callable[[BlockParser, Match[str], BlockState], int | None]:
    """mistune's table rules, made lenient: a row with the wrong number of cells stays in
    the table (its cells are counted later) instead of turning the whole table into a
    paragraph, comment lines between rows are skipped, and every row keeps the offset of
    its line. ``strip`` is mistune's own test of a row line (with or without outer pipes)."""

    def parse_table(block: BlockParser, m: Match[str], state: BlockState) -> int | None:
        start = m.start()
        header = strip(m.group(0))
        if header is None:
            return None
        pos = m.end()
        align_line = state.get_line(pos)
        align = strip(align_line)
        if align is None:
            return None
        thead, aligns = _process_thead(header, align)
        if not thead or aligns is None:
            return None
        pos += len(align_line)
        rows: list[Token] = []
        max_rows = state.env.get("max_rows", limits.DEFAULT.rows)
        unread = None  # where the rows past Limits.rows start: they end the table, unread
        while pos < state.cursor_max:
            line = state.get_line(pos)
            if strip(line) is None:
                stripped = line.strip()
                if stripped.startswith("<!--") and stripped.endswith("-->"):
                    pos += len(line)  # a comment line (a suppression) does not end the table
                    continue
                break
            if len(rows) < max_rows:
                rows.append({"type": "table_row", "_start": pos, "_line": line.rstrip("\n")})
            elif unread is None:
                unread = pos
            pos += len(line)
        state.append_token(
            {
                "type": "table",
                "_start": start,
                "_header_line": m.group(0).rstrip("\n"),
                "_width": len(aligns),
                "_unread": (unread, pos) if unread is not None else None,
                "children": [thead, {"type": "table_body", "children": rows}],
            }
        )
        return pos

    return parse_table


def _block_parser() -> _Parser:
    block = _Parser()
    block.register("table", TABLE_PATTERN, _lenient_table(_strip_pipe_table_row), before="paragraph")
    block.register("nptable", NP_TABLE_PATTERN, _lenient_table(_strip_table_line), before="paragraph")
    return block


_BLOCK = _block_parser()
_LEAD_TAGS_RE = re.compile(rf"(?:\s|{textnorm.TAG})+")
# A code span shows text, it does not say it: "`[1]`" in a README is no citation.
_CODE_SPAN_RE = re.compile(r"`[^`]*`")
_FOOTNOTE_REF_RE = re.compile(r"\[\^\d{1,5}\]")


def _section_name(text: str) -> str:
    """A heading's name: "Summary:" and "SUMMARY" name the Summary section."""
    return text.strip().rstrip(":").strip()


def _is_part(name: str) -> bool:
    """Whether a heading names a part of the report ("# Summary"), not its question
    ("# Why do these claims matter?")."""
    return name.lower().strip("# ") in ("summary", "claims", "claim", "claim sentences")
_LINE_RE = re.compile(r"[^\n]*")
_ITEM_MARK_RE = re.compile(r"\s*(?:>\s?)*(?:[-*+]|\d{1,9}[.)])?\s*")
_INLINE = InlineParser()


def split_cells(line: str, offset: int, width: int | None = None) -> tuple[list[tuple[str, int]], int]:
    """Cells of a pipe-table row with the offset of each (whitespace stripped), split the
    way mistune splits them (a backslash-escaped pipe stays in its cell), and how many
    cells the row has. With ``width``, the cells past the first ``width - 1`` are one cell
    (the last column runs to the end of the row): a row of a million pipes is split
    ``width`` times and its surplus counted in C."""
    text = line.rstrip(" \t")
    first = len(text) - len(text.lstrip(" "))
    body_start = first + 1 if text[first : first + 1] == "|" else first
    body_end = len(text) - 1 if text.endswith("|") and len(text) - 1 >= body_start else len(text)
    cells: list[tuple[str, int]] = []
    start = body_start
    pipe = text.find("|", body_start, body_end)
    while True:
        if width is not None and len(cells) == width - 1 and pipe >= 0:
            # The rest is the last cell; its pipes (those not escaped) are cells counted.
            surplus = len(_UNESCAPED_PIPE_RE.findall(text, start, body_end))
            raw = text[start:body_end]
            lead = len(raw) - len(raw.lstrip())
            cells.append((raw.strip(), offset + start + lead))
            return cells, len(cells) + surplus
        if pipe < 0:
            pipe = body_end
        elif _is_escaped_pipe(text, pipe):
            pipe = text.find("|", pipe + 1, body_end)
            continue
        raw = text[start:pipe]
        lead = len(raw) - len(raw.lstrip())
        cells.append((raw.strip(), offset + start + lead))
        if pipe >= body_end:
            return cells, len(cells)
        start = pipe + 1
        pipe = text.find("|", start, body_end)


# A pipe after an even number of backslashes (none, or escaped backslashes): a cell border.
_UNESCAPED_PIPE_RE = re.compile(r"(?<!\\)(?:\\\\)*\|")


def block_ends(tokens: list[Token], end: int) -> dict[int, int]:
    """Where each top-level block ends: where the next one starts (the last one at ``end``),
    by the offset it starts at."""
    starts = sorted({t["_start"] for t in tokens if "_start" in t} | {end})
    return dict(zip(starts, starts[1:]))


def parse(text: str, path: str = "<string>", limit: limits.Limits = limits.DEFAULT) -> Document:
    """Parse report text (already decoded; a BOM and CRLF are tolerated here too), reading
    as much of it as ``limit`` allows."""
    return parse_with_tokens(text, path, limit)[0]


def parse_with_tokens(
    text: str, path: str = "<string>", limit: limits.Limits = limits.DEFAULT, cut: tuple[int, str] | None = None
) -> tuple[Document, list[Token]]:
    """``parse``, and mistune's block tokens it read (the other readers read them again).
    ``cut``: read the file only up to this offset (of the text without its byte-order mark,
    CRLF read as LF), for this reason (a reader's own bound)."""
    source = text[1:] if text.startswith("\ufeff") else text
    # CRLF -> LF keeps every line and column; a lone CR is not a line break in this format.
    source = source.replace("\r\n", "\n")
    lines = LineIndex.of(source)
    state = _State()
    state.env["max_rows"] = limit.rows
    # mistune reads the first limit.lines lines; the rest of the file is not read.
    read_end = len(source)
    why = ""
    if len(lines.starts) > limit.lines and lines.starts[limit.lines] < len(source):
        read_end = lines.starts[limit.lines]
        why = f"the file has more than {limits.plural(limit.lines, 'line')}"
    if cut is not None and cut[0] < read_end:
        read_end, why = cut
    state.process(source[:read_end] if read_end < len(source) else source)
    _BLOCK.parse(state)
    doc = _Builder(path, source, lines, state.tokens, read_end, limit).build()
    code = _code_regions(source[:read_end] if read_end < len(source) else source, state.tokens)
    if code:
        doc = replace(doc, code=code)
    if read_end < len(source):
        end = len(source.rstrip())
        past = not doc.is_report and _REPORT_SIGN.search(source, read_end) is not None
        doc = replace(doc, unread=Unread("file", read_end, lines.span(read_end, max(read_end, end)), why, past))
    return doc, state.tokens


# What says "report" in text mistune was not given (past the line bound): a Summary or
# Claims heading, or a coloured marker. A scan of one regular expression, linear: each
# alternative is anchored or bounded in length.
_REPORT_SIGN = re.compile(r"^ {0,3}#{1,6}[ \t]+(?:summary|claims)\b|<font\b[^<>\n]{0,80}>\s{0,10}\[\d", re.I | re.M)


class _Builder:
    def __init__(
        self, path: str, source: str, lines: LineIndex, tokens: list[Token], read_end: int, limit: limits.Limits
    ) -> None:
        self.path = path
        self.limits = limit
        self.source = source
        self.read_end = read_end  # the file is read up to here (limit.lines)
        self.lines = lines
        self.tokens = tokens
        self.problems: list[tuple[Span, str]] = []

    def text(self, start: int, end: int) -> Text:
        return Text(self.source[start:end], start, self.lines.span(start, end))

    def build(self) -> Document:
        title = None
        headings: list[tuple[int, int, Text, Token]] = []  # (token index, level, text, token)
        for i, token in enumerate(self.tokens):
            if token["type"] != "heading":
                continue
            start = token["_start"]
            text = token["text"].strip()
            # A setext heading's text may span lines; an ATX heading's is on its line.
            line_end = self.source.find("\n", start) if token.get("style") == "atx" else token.get("_end")
            line_end = self.read_end if line_end is None or line_end < 0 else line_end
            at = self.source.find(text, start, line_end) if text else -1
            text_start = at if at >= 0 else start
            heading = self.text(text_start, text_start + len(text))
            level = token["attrs"]["level"]
            name = _section_name(text)
            if title is None and level == 1 and not headings and not _is_part(name):
                title = heading
            else:
                headings.append((i, level, heading, token))
        # A section runs to the next heading of its level or above: a "### Notes" inside the
        # summary is part of the summary. Found for all in one walk back with a stack of the
        # headings that may still end one (a search of the rest for each was quadratic).
        ends: list[tuple[int, int, Text, Token] | None] = [None] * len(headings)
        later: list[tuple[int, int, Text, Token]] = []
        for n in range(len(headings) - 1, -1, -1):
            while later and later[-1][1] > headings[n][1]:
                later.pop()  # deeper than this one: an earlier heading meets this one first
            ends[n] = later[-1] if later else None
            later.append(headings[n])
        sections = []
        for n, (i, level, heading, token) in enumerate(headings):
            nxt = ends[n]
            end = nxt[3]["_start"] if nxt else self.read_end
            sections.append(
                (
                    Section(_section_name(heading.raw), heading.span, token["_end"] or heading.end, end),
                    i,
                    nxt[0] if nxt else len(self.tokens),
                )
            )
        summary = claims = None
        for section, first, last in sections:
            name = section.title.lower()
            body = self.tokens[first + 1 : last]
            if summary is None and "summary" in name:
                summary = self.summary(section, body)
            elif claims is None and "claim" in name:
                claims = self.claims(section, body)
        has_markers = False
        if summary is None and claims is None:
            # Is this a report at all? Markers in its prose say so (not in code blocks).
            has_markers = any(self._cites(t) for t in self.tokens)
        return Document(
            path=self.path,
            source=self.source,
            lines=self.lines,
            title=title,
            sections=tuple(s for s, _, _ in sections),
            summary=summary,
            claims=claims,
            problems=tuple(self.problems),
            has_markers=has_markers,
        )

    def summary(self, section: Section, body: list[Token]) -> Summary:
        units = []  # (start, end) of each run of summary text
        # Where the next token with a position starts, after each token: found in one walk
        # back (a search of the rest of the body for each list or quote was quadratic).
        next_start: list[int] = [section.body_end] * len(body)
        for i in range(len(body) - 2, -1, -1):
            after = body[i + 1]
            next_start[i] = after["_start"] if "_start" in after else next_start[i + 1]
        for i, token in enumerate(body):
            if token["type"] == "paragraph":
                units.append((token["_start"], token["_start"] + len(token["text"].rstrip())))
            elif token["type"] in ("list", "block_quote") and "_start" in token:
                # mistune's list items carry no positions: each line of the block, less its
                # bullet or quote mark, is a unit (a bullet summary is one point a line).
                end = next_start[i]
                for m in _LINE_RE.finditer(self.source, token["_start"], end):
                    lead = _ITEM_MARK_RE.match(m.group(0))
                    start = m.start() + (lead.end() if lead else 0)
                    if m.end() > start and self.source[start : m.end()].strip():
                        units.append((start, m.end() - (len(m.group(0)) - len(m.group(0).rstrip()))))
            elif token["type"] == "block_html" and "_start" in token:
                # "<p>The summary [1].</p>" is an HTML block to Markdown, but its text is
                # the summary all the same (a comment, a suppression, is not).
                unit = self._html_text(token["_start"], token["_start"] + len(token.get("raw", "")))
                if unit is not None:
                    units.append(unit)
        units = sorted(set(units))
        if not units:
            return Summary(section, None, ())
        found: list[Sentence] = []
        stopped: int | None = None
        chars = self.limits.summary_chars
        # Where the text read ends, less the spaces before that end: a unit ending at or past
        # it runs up to the cut (a slice of the rest of the file for each unit was quadratic).
        content_end = len(self.source[: self.read_end].rstrip()) if self.read_end < len(self.source) else 0
        for start, end in units:
            if len(found) >= self.limits.sentences or chars <= 0:
                stopped = start
                break
            # A paragraph that runs up to where the file was cut (limits.lines) goes on
            # past it: its last sentence is not read whole.
            cut = self.read_end < len(self.source) and end >= content_end
            read, stopped = sentences.split(
                self.text(start, end), self.text, self.limits.sentences - len(found), chars, whole=not cut
            )
            found.extend(read)
            chars -= end - start
            if stopped is not None:
                break
        last = units[-1][1]
        if stopped is None:
            return Summary(section, self.text(units[0][0], last), tuple(found))
        read_end = len(self.source[units[0][0] : stopped].rstrip()) + units[0][0]
        if len(found) < self.limits.sentences and chars > 0:
            # Stopped where the file was cut, which the file's own Unread reports.
            return Summary(section, self.text(units[0][0], read_end), tuple(found))
        why = (
            f"the summary has more than {limits.plural(self.limits.sentences, 'sentence')}"
            if len(found) >= self.limits.sentences
            else f"the summary is longer than {limits.plural(self.limits.summary_chars, 'character')}"
        )
        unread = Unread("summary", stopped, self.lines.span(stopped, last), why)
        return Summary(section, self.text(units[0][0], read_end), tuple(found), unread)

    def _cites(self, token: Token) -> bool:
        """Whether a block's text (not code) holds a citation: a marker, or a footnote
        reference ("[^3]", how other generators cite)."""
        if token["type"] in ("block_code", "blank_line", "thematic_break") or "_start" not in token:
            return False
        # A paragraph token may end before the next block's start: its own text says where.
        body = token.get("text") if token["type"] == "paragraph" else None
        end = token["_start"] + len(body) if isinstance(body, str) else (token.get("_end") or token["_start"])
        text = _CODE_SPAN_RE.sub(" ", self.source[token["_start"] : end])
        return bool(_FOOTNOTE_REF_RE.search(text)) or any(f.readable for f in markers.scan(text))

    def _html_text(self, start: int, end: int) -> tuple[int, int] | None:
        """The text of an HTML block without the tags that open and close it, or None
        when it shows no text (a comment, an empty element)."""
        source = self.source
        if source.startswith("<!--", start) or source[start:end].lstrip().startswith("<!--"):
            return None
        while start < end:
            m = _LEAD_TAGS_RE.match(source, start, end)
            if m is None or m.end() == start:
                break
            start = m.end()
        while end > start:
            stripped = len(source[start:end].rstrip())
            end = start + stripped
            if end > start and source[end - 1] == ">":
                lt = source.rfind("<", max(start, end - textnorm.MAX_TAG - 40), end)
                if lt >= 0 and textnorm.TAG_RE.fullmatch(source, lt, end):
                    end = lt
                    continue
            break
        if not any(ch.isalnum() for ch in textnorm.visible(source[start:end])):
            return None
        return start, end

    def claims(self, section: Section, body: list[Token]) -> ClaimsTable | None:
        table = next((t for t in body if t["type"] == "table"), None)
        if table is None:
            return None
        header = tuple(c["text"] for c in table["children"][0]["children"])
        columns: dict[str, int] = {}
        for index, cell in enumerate(header):
            words = cell.lower()
            if "number" not in columns and textnorm.visible(words).strip(" .:") in NUMBER_HEADERS:
                columns["number"] = index  # "| # | Claim Sentence | Context |"
                continue
            for column, names in COLUMN_WORDS.items():
                if column not in columns and any(n in words for n in names):
                    columns[column] = index
                    break
        header_span = self.lines.span(table["_start"], table["_start"] + len(table["_header_line"]))
        rows = []
        for position, row in enumerate(table["children"][1]["children"], start=1):
            rows.append(self.row(row, position, table["_width"], columns))
        for token in body:
            if token["type"] == "paragraph" and "|" in token["text"] and token["_start"] > table["_start"]:
                self.problems.append(
                    (
                        self.lines.span(token["_start"], token["_start"] + len(token["text"].split("\n")[0])),
                        "line is not part of the claims table (a row must start and end with '|')",
                    )
                )
        unread = None
        if table.get("_unread"):
            start, end = table["_unread"]
            end = start + len(self.source[start:end].rstrip())
            why = f"the claims table has more than {limits.plural(self.limits.rows, 'row')}"
            unread = Unread("claims", start, self.lines.span(start, end), why)
        return ClaimsTable(section, header, columns, header_span, tuple(rows), unread)

    def row(self, token: Token, position: int, width: int, columns: dict[str, int]) -> ClaimRow:
        start = token["_start"]
        line_text = token["_line"]
        # Surplus cells come from an unescaped '|' inside the text, most often the long
        # last column (the context): that column runs to the end of the row.
        found, count = split_cells(line_text, start, width if width >= 1 else None)
        span = self.lines.span(start, start + len(line_text))
        if count != width:
            self.problems.append((span, f"row has {count} cells; the header has {width}"))
        cells = tuple(self.text(off, off + len(raw)) for raw, off in found)

        def cell(name: str) -> Text | None:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        claim_cell = cell("claim") or (cells[0] if cells else self.text(start, start))
        marker = None
        claim_start = claim_cell.start
        lead = markers.leading(claim_cell.raw)
        if lead:
            s, e = lead.start, lead.end
            marker = Marker(self.text(claim_cell.start + s, claim_cell.start + e), lead.numbers, lead.style, lead.readable)
            claim_start = claim_cell.start + e
            if not lead.readable:
                seen = " ".join(marker.text.raw.split())
                self.problems.append((span, f"the row's marker '{seen[:40]}' cannot be read as a row number"))
        number_cell = cell("number")
        if marker is None and number_cell is not None and number_cell.raw.strip():
            # The number in a column of its own: "[3]", "3", "3." or a wrapped marker.
            plain = _NUMBER_CELL_RE.fullmatch(textnorm.visible(number_cell.raw))
            own = markers.leading(number_cell.raw)
            if own is not None and own.end >= len(number_cell.raw.rstrip()):
                s, e = own.start, own.end
                marker = Marker(self.text(number_cell.start + s, number_cell.start + e), own.numbers, own.style, own.readable)
            elif plain is not None:
                marker = Marker(number_cell, (int(plain.group(1)),), "column")
            else:
                marker = Marker(number_cell, (), "unreadable", readable=False)
            if not marker.readable:
                seen = " ".join(number_cell.raw.split())
                self.problems.append((span, f"the row's number '{seen[:40]}' cannot be read as a row number"))
        claim_end = claim_cell.end
        holder = claim_cell
        link = _find_link(claim_cell.raw, claim_start - claim_cell.start)
        if link is not None:
            claim_end = claim_cell.start + link.start
        else:
            source_cell = cell("source")
            if source_cell is not None:
                holder = source_cell
                link = _find_link(source_cell.raw, 0)
                if link is None and source_cell.raw.strip():  # a bare URL in its own cell
                    link = _Link(0, len(source_cell.raw), source_cell.raw.strip(), 0, None)
        url = url_text = link_text = None
        if link is not None:
            url, link_text = link.url, link.text
            if link.url_at is not None:
                url_text = self.text(holder.start + link.url_at, holder.start + link.url_at + len(link.url))
        claim = self.text(claim_start, claim_end)
        stripped = claim.raw.strip()
        if stripped != claim.raw:
            lead_ws = len(claim.raw) - len(claim.raw.lstrip())
            claim = self.text(claim_start + lead_ws, claim_start + lead_ws + len(stripped))
        number: int | None
        if marker is not None and not marker.readable:
            number, numbered_by = None, "marker"  # no number rather than a wrong one
        elif marker is not None and len(marker.numbers) == 1:
            number, numbered_by = marker.numbers[0], "marker"
        else:
            number, numbered_by = position, "position"
        return ClaimRow(
            number=number,
            numbered_by=numbered_by,
            marker=marker,
            claim=claim,
            url=html.unescape(url) if url is not None else None,
            url_text=url_text,
            link_text=link_text,
            context=cell("context"),
            cells=cells,
            line=span.line,
            span=span,
        )


_HREF_RE = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


class _Link(NamedTuple):
    start: int  # offsets in the cell
    end: int
    url: str  # as written (entities not decoded)
    url_at: int | None  # where the URL is written, when it could be found
    text: str | None


def _find_link(cell: str, after: int) -> _Link | None:
    """The last link in a cell after offset ``after``, from mistune's inline tokens."""
    # The source link closes the cell: inline-parse from its opening tag when there is one,
    # not the whole claim (the inline parser is the costliest step of reading a row).
    tag = cell.lower().rfind("<a", after)
    if tag >= 0 and cell[tag + 2 : tag + 3].isspace():
        after = tag
    elif "](" in cell:
        # A Markdown link: parse from the last "[" before the last "](" (its label), and
        # from the claim's start only when that finds no link (a label holding brackets).
        opening = cell.rfind("[", after, cell.rfind("]("))
        if opening > after:
            last = _find_link(cell, opening)
            if last is not None:
                return last
    tokens = _INLINE(cell[after:], {})
    # The raw text of the next token that has one, for each token: found in one backward
    # pass (looking ahead from every link would be quadratic in the links of a cell).
    next_raws: list[str | None] = [None] * len(tokens)
    upcoming: str | None = None
    for i in range(len(tokens) - 1, -1, -1):
        next_raws[i] = upcoming
        if tokens[i].get("raw") is not None:
            upcoming = tokens[i]["raw"]
    cursor = after
    found: _Link | None = None
    pending: tuple[int, str, int | None] | None = None  # an open <a href=...>
    for i, token in enumerate(tokens):
        kind = token["type"]
        raw = token.get("raw")
        if raw is not None:
            at = cell.find(raw, cursor)
            at = cursor if at < 0 else at
            cursor = at + len(raw)
            if kind == "inline_html" and raw[:2].lower() == "<a":
                m = _HREF_RE.search(raw)
                if m:
                    url = next(g for g in m.groups() if g is not None)
                    pending = (at, url, at + m.start(m.lastindex or 1))
            elif kind == "inline_html" and raw.lower().startswith("</a") and pending is not None:
                start, url, url_at = pending
                text = cell[start:at]
                text = text[text.find(">") + 1 :] if ">" in text else text
                found = _Link(start, cursor, url, url_at, text.strip())
                pending = None
        elif kind == "link":
            url = token["attrs"]["url"]
            next_raw = next_raws[i]
            end = cell.find(next_raw, cursor) if next_raw else len(cell)
            end = len(cell) if end < 0 else end
            url_at = cell.find(url, cursor, end)
            label = "".join(c.get("raw", "") for c in token.get("children", []))
            # Tokens tile the cell, so the link starts where the previous token ended.
            found = _Link(cursor, end, url, url_at if url_at >= 0 else None, label)
            cursor = end
    if pending is not None and found is None:  # <a href=...> never closed: still a source
        start, url, url_at = pending
        found = _Link(start, len(cell), url, url_at, None)
    return found


class _CodeSpans(InlineParser):
    """mistune's inline parser, noting where each code span it reads lies (its tokens say
    what a span holds, not where it is)."""

    def parse_codespan(self, m: Match[str], state: Any) -> int:
        end: int = super().parse_codespan(m, state)
        # Spans inside a link's text are read from another string: their offsets would lie.
        if state.tokens and state.tokens[-1]["type"] == "codespan" and state.src is state.env["src"]:
            state.env["code"].append((m.start(), end))
        return end


_CODE_SPANS = _CodeSpans()


def _code_regions(source: str, tokens: list[Token]) -> tuple[tuple[int, int], ...]:
    """Offsets (start, end) of the code blocks, and of the inline code spans of the blocks
    that show an HTML comment (suppression comments there are examples, not directives;
    other blocks are not inline-parsed, which would cost time for nothing)."""
    bounds = sorted({t["_start"] for t in tokens if "_start" in t} | {len(source)})
    regions: list[tuple[int, int]] = []
    previous_end = 0
    for i, token in enumerate(tokens):
        start = token.get("_start")
        if start is None:  # an indented code block: mistune gives it no position
            start = previous_end
        end = bounds[bisect.bisect_right(bounds, start)] if start < len(source) else len(source)
        previous_end = token.get("_end") or end
        if token["type"] == "block_code":
            regions.append((start, end))
        elif token["type"] != "block_html":
            block = source[start:end]
            if "`" in block and "<!--" in block:
                env: dict[str, Any] = {"src": None, "code": []}
                state = _CODE_SPANS.state_cls(env)
                state.src = env["src"] = block
                _CODE_SPANS.parse(state)
                regions.extend((start + a, start + b) for a, b in env["code"])
    return tuple(sorted(set(regions)))
