"""The GFM footnotes reader: ``[^n]`` / ``[^label]`` references and ``[^n]: ...`` definitions.

Perplexity's Markdown export cites this way and parks the sources it retrieved but never
cited in a hidden ``<span style="display:none">[^16][^17]</span>``: references there are not
citations (a reader never sees them), so those sources count as uncited. Definitions are found
line by line (each is one line in these exports; mistune's footnote plugin gives neither
positions nor the definitions it does not render).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import replace
from typing import Any

from citelint.citations import FOOTNOTES, CitationGroup, Citations, Source
from citelint.model import Document
from citelint.readers.endnotes import _FOOTNOTE_DEF_RE, entries, keys_by_url, statements

_REF_RE = re.compile(r"\[\^([^\]\s]{1,40})\](?!:)")
_JOIN_RE = re.compile(r"[ \t]*,?[ \t]*")
# A span hidden by its style, with what it holds up to its "</span>" (at most _MAX_HIDDEN
# characters on). The closing tags are found once, each opening tag's first one after it by
# bisection: a lazy ".{0,20000}?</span>" scanned 20,000 characters from each unclosed opening.
_HIDDEN_OPEN_RE = re.compile(r"<span\s[^<>]{0,200}display\s*:\s*none[^<>]{0,200}>", re.IGNORECASE)
_HIDDEN_CLOSE_RE = re.compile(r"</span>", re.IGNORECASE)
_MAX_HIDDEN = 20_000


def _hidden_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each hidden span, in order and disjoint: the matches of
    ``<span ...display:none...>.{0,20000}?</span>`` (IGNORECASE, DOTALL) by finditer. An opening
    tag's end is where its first "<" or ">" is, so one with no closing tag in reach leaves
    no other match starting inside it."""
    closes = [(m.start(), m.end()) for m in _HIDDEN_CLOSE_RE.finditer(text)]
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _HIDDEN_OPEN_RE.finditer(text):
        if m.start() < pos:
            continue  # inside the hidden span before it
        i = bisect.bisect_left(closes, (m.end(), 0))
        if i < len(closes) and closes[i][0] - m.end() <= _MAX_HIDDEN:
            out.append((m.start(), closes[i][1]))
            pos = closes[i][1]
    return out


def _groups(doc: Document, text: str, base: int, by_url: dict[str, str]) -> list[CitationGroup]:
    if "[^" not in text:
        return []
    hidden = _hidden_spans(text) if "display" in text else []
    # The hidden spans are in order and disjoint, and so are the references: one walk past
    # both (not a look through every span for each reference).
    next_hidden = 0
    # A group's keys grow in a list (a tuple grown by one key a time copies it each time).
    merged: list[tuple[int, int, list[str]]] = []
    for m in _REF_RE.finditer(text):
        while next_hidden < len(hidden) and hidden[next_hidden][1] <= m.start():
            next_hidden += 1
        if next_hidden < len(hidden) and hidden[next_hidden][0] <= m.start():
            continue  # parked in a hidden span: not a citation anyone reads
        if merged:
            p_start, p_end, keys = merged[-1]
            gap = _JOIN_RE.match(text, p_end, m.start())
            if gap is not None and gap.end() == m.start():
                keys.append(m.group(1))
                merged[-1] = (p_start, m.end(), keys)
                continue
        merged.append((m.start(), m.end(), [m.group(1)]))
    return [CitationGroup(doc.text(base + s, base + e), tuple(keys)) for s, e, keys in merged]


def _definition_lines(source: str) -> list[tuple[int, int]]:
    """(start, end) of each line that defines a footnote."""
    out: list[tuple[int, int]] = []
    pos = 0
    while True:
        at = source.find("[^", pos)
        if at < 0:
            return out
        line_start = source.rfind("\n", 0, at) + 1
        line_end = source.find("\n", at)
        line_end = len(source) if line_end < 0 else line_end
        if _FOOTNOTE_DEF_RE.match(source, line_start, line_end):
            out.append((line_start, line_end))
        pos = line_end + 1


def read(doc: Document, tokens: list[dict[str, Any]], forced: bool = False) -> Document | None:
    """``doc`` read as GFM footnotes, or None when it defines none (unless ``forced``)."""
    lines = _definition_lines(doc.source[: doc.read_end])
    if not lines and not forced:
        return None
    sources: list[Source] = []
    for start, end in lines:
        sources.extend(entries(doc, start, end, footnotes=True))
    by_url = keys_by_url(sources)
    said = statements(doc, tokens, lines, by_url, _groups)
    region = (lines[0][0], lines[-1][1]) if lines else None
    return replace(doc, format=FOOTNOTES, citations=Citations(FOOTNOTES, tuple(said), tuple(sources), None, region))
