"""The prose a reader reads in a report that is not a SmartBook report.

The damage rules read prose. A SmartBook report keeps its prose in a summary and a claims
table (``citelint.checks.damage.prose_fields`` reads them); a report in another format is
Markdown whose blocks the reader of its format found (``doc.citations.statements``, which
leave out the source list), and its headings. Markup in those blocks is no prose: handed to
the rules as it stands, "**Ukraine**and", "[label](https://a.example/b,c)", "`os.path`",
"<br>" and "[3]" are read as words and punctuation. Here each block is parsed with mistune
and what its inline tokens show a reader (text, emphasis, link labels, table cells, list
items, headings) is kept at its place in the file; everything else (code, URLs, link
destinations, images, HTML, text hidden with ``display:none``, citations) is blanked with
spaces, so that offsets into the text are offsets into the file and a fix edits the right
place. A blank can hide damage ("**Ukraine**and" shows "Ukraineand") but never makes it up.

The titles and URLs of the source list are not read: they are other people's text (a page's
own title, "BBCNews | Home", a site's name glued to its section), which the report quotes
and cannot repair; the readers leave the source list out of the statements.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import mistune
from mistune.helpers import parse_link, parse_link_label

from citelint import htmltags  # noqa: F401  (mistune's HTML tag patterns made linear)
from citelint.codespans import code_ranges
from citelint.model import Document, Text

_WORD_RE = re.compile(r"[A-Za-z]+")
# An HTML tag as mistune's inline_html token holds it: "<span ...>", "</span>".
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# Block and inline syntax as GitHub renders it (tables, strikethrough, bare URLs).
_MD: Any = mistune.create_markdown(renderer=None, plugins=["table", "strikethrough", "url"])


@dataclass(frozen=True)
class Piece:
    """One stretch of prose: its text with everything a reader does not read blanked
    (offsets unchanged), and what it is ("prose": a block of the text; "heading")."""

    text: Text
    kind: str


# What an inline token walk yields, in source order: ("text", raw) for text a reader reads;
# ("skip", raw) for text in the source a reader does not read (a URL, hidden text, HTML);
# ("code", "") for a code span; ("destination", "") after a link's label.
_Step = tuple[str, str]


def _looks_like_url(label: str) -> bool:
    lower = label.strip().lower()
    return lower.startswith(("http://", "https://", "www.", "ftp://", "mailto:"))


def _steps(tokens: list[dict[str, Any]], hidden: list[Any]) -> Iterator[_Step]:
    """The steps of ``tokens`` (mistune's block and inline tokens) in source order.
    ``hidden`` is [depth, tag name] of the ``display:none`` element the walk is in (depth 0:
    none), shared by the recursion."""
    for token in tokens:
        kind = token["type"]
        if kind == "text":
            raw = token.get("raw", "")
            # An autolink inside a link's label is kept as its text, "<https://...>".
            autolink = raw.startswith("<") and raw.endswith(">") and _looks_like_url(raw[1:-1])
            yield ("skip" if hidden[0] or autolink else "text", raw)
        elif kind == "codespan":
            yield ("code", "")
        elif kind in ("block_code", "block_html"):
            yield ("skip", token.get("raw", ""))
        elif kind == "inline_html":
            raw = token.get("raw", "")
            tag = _TAG_RE.match(raw)
            if tag is not None and not raw.endswith("/>"):
                name, closing = tag.group(2).lower(), bool(tag.group(1))
                if hidden[0]:
                    # Inside a hidden element: count its own tag's nesting until it closes.
                    if name == hidden[1]:
                        hidden[0] += -1 if closing else 1
                elif not closing and "display:none" in raw.lower().replace(" ", ""):
                    hidden[:] = [1, name]  # Perplexity parks its uncited sources in such a span
            yield ("skip", raw)
        elif kind in ("link", "image"):
            children = token.get("children", [])
            label = "".join(c.get("raw", "") for c in children if c["type"] == "text")
            if kind == "image" or _looks_like_url(label) or hidden[0]:
                # An image's alt text is not read; a bare URL (or a label that is one) is no prose.
                for step_kind, raw in _steps(children, hidden):
                    yield ("skip", raw) if step_kind == "text" else (step_kind, raw)
            else:
                yield from _steps(children, hidden)
            yield ("destination", "")  # "](url)" when the link is written so (not "<url>")
        elif "children" in token:
            yield from _steps(token["children"], hidden)


# How far past the previous step the next one is looked for: the markup between two pieces
# of text is short (a bullet, "**", "> "), and a step not found within it (text that is not
# the source's own characters) is left blank without a search to the end of the block.
_SLACK = 4000
# What may stand between a link label's last text and its "]": emphasis closing, spaces.
_CLOSERS = "*_~ \t\n"


def _visible(src: str, steps: Iterator[_Step]) -> list[tuple[int, int]]:
    """Where in ``src`` the text steps stand: each step's text is found after the previous
    one (mistune's text tokens are the source's own characters, in order); the markup
    between them is skipped with mistune's own link helpers and the project's code-span
    reading."""
    code = code_ranges(src)
    ci = 0
    cursor = 0
    out: list[tuple[int, int]] = []
    for kind, raw in steps:
        if kind == "code":
            while ci < len(code) and code[ci][0] < cursor:
                ci += 1
            if ci < len(code):
                cursor = max(cursor, code[ci][1])
                ci += 1
        elif kind == "destination":
            close = src.find("]", cursor, cursor + _SLACK)
            if close < 0 or src[cursor:close].strip(_CLOSERS):
                continue  # an autolink ("<https://...>") or a bare URL: no "](...)" after it
            end = close + 1
            if src.startswith("(", end):
                _, after = parse_link(src, end + 1)
                end = after if after is not None else end
            elif src.startswith("[", end):
                _, after = parse_link_label(src, end + 1)
                end = after if after is not None else end
            cursor = end
        else:
            # Text a reader reads, or text to step over (HTML, a URL, a code block): each of
            # its lines in turn (a block's lines lose their indentation in its tokens).
            for line in raw.split("\n"):
                if not line.strip():
                    continue
                at = src.find(line, cursor, cursor + len(line) + _SLACK)
                if at >= 0:
                    runs = [(at, at + len(line))]
                else:  # mistune joined text across an escape ("x\\*y" reads "x*y")
                    runs = _unescaped(src, line, cursor)
                    if not runs:
                        continue  # not the source's own characters: left blank
                if kind == "text":
                    out.extend(runs)
                cursor = runs[-1][1]
    return out


def _unescaped(src: str, text: str, cursor: int) -> list[tuple[int, int]]:
    """Where ``text`` stands in ``src`` from its first character found after ``cursor``,
    when ``src`` writes some of its characters escaped with a backslash: the runs of the
    characters themselves (the backslashes are markup). Empty when it does not stand there."""
    at = src.find(text[0], cursor, cursor + _SLACK)
    if at < 0:
        return []
    if at > 0 and src[at - 1] == "\\" and at - 1 >= cursor:
        at -= 1
    runs: list[tuple[int, int]] = []
    i, j, start = at, 0, at
    while j < len(text):
        if i < len(src) and src[i] == text[j]:
            i, j = i + 1, j + 1
        elif i + 1 < len(src) and src[i] == "\\" and src[i + 1] == text[j]:
            if i > start:
                runs.append((start, i))
            i += 1
            start = i
        else:
            return []
    runs.append((start, i))
    return runs


def _piece(doc: Document, start: int, src: str, tokens: list[dict[str, Any]], kind: str, blank: Sequence[tuple[int, int]] = ()) -> Piece | None:
    """The piece of ``src`` (at ``start`` in the file) that ``tokens`` show, with the
    offsets ``blank`` (citations) blanked too; None when nothing of it is prose."""
    chars = [c if c == "\n" else " " for c in src]
    for a, b in _visible(src, _steps(tokens, [0, ""])):
        chars[a:b] = src[a:b]
    for a, b in blank:
        a, b = max(0, a - start), min(len(src), b - start)
        chars[a:b] = " " * max(0, b - a)
    masked = "".join(chars)
    if not masked.strip():
        return None
    return Piece(Text(masked, start, doc.span(start, start + len(src))), kind)


def _headings(doc: Document) -> Iterator[tuple[int, str]]:
    """(offset, text) of the title and of each heading on one line."""
    if doc.title is not None:
        yield doc.title.start, doc.title.raw
    starts = doc.lines.starts
    for section in doc.sections:
        span = section.heading
        if span.line == span.end_line:
            at = starts[span.line - 1] + span.col - 1
            yield at, doc.source[at : at + span.end_col - span.col]


def pieces(doc: Document) -> list[Piece]:
    """The prose of ``doc`` (read by a reader other than SmartBook's): its headings and the
    blocks of its text outside the source list, in file order."""
    out: list[Piece] = []
    for at, src in _headings(doc):
        found = _piece(doc, at, src, _MD.inline(src, {}), "heading")
        if found is not None:
            out.append(found)
    if doc.citations is not None:
        for statement in doc.citations.statements:
            text = statement.text
            groups = [(g.text.start, g.text.end) for g in statement.groups]
            found = _piece(doc, text.start, text.raw, _MD(text.raw), "prose", groups)
            if found is not None:
                out.append(found)
    out.sort(key=lambda p: p.text.start)
    return out


def code_words(doc: Document) -> frozenset[str]:
    """The words in the code spans and code blocks of ``doc``'s text."""
    words: set[str] = set()
    citations = doc.citations
    for statement in citations.statements if citations is not None else ():
        raw = statement.text.raw
        for start, end in code_ranges(raw):
            words.update(_WORD_RE.findall(raw, start, end))
    return frozenset(words)
