"""Inline links as citations: ``([label](url))`` in the text and a References list of links
(GPT-Researcher). A source is an item of the list; a citation is a link in the text to its
URL. A parenthesised link to a URL the list lacks cites a source that is not there.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from citelint.citations import INLINE, CitationGroup, Citations, Source
from citelint.model import Document
from citelint.readers.endnotes import GroupFinder, _source_sections, keys_by_url, links, lines, statements
from citelint.urls import normalize_url

_ITEM_RE = re.compile(r"[ \t]*(?:[-*+]|\d{1,5}[.)])[ \t]+")


def _entries(doc: Document, start: int, end: int) -> list[Source]:
    out: list[Source] = []
    for at, line in lines(doc.source, start, end):
        m = _ITEM_RE.match(line)
        if m is None:
            continue
        found = links(line[m.end() :])
        if not found or found[0][2] < 0:
            continue
        url, label, url_at = found[0]
        title = line[m.end() : m.end() + url_at].strip().rstrip("[(<").strip() or (label if label != url else None)
        url_start = at + m.end() + url_at
        out.append(
            Source(
                key=str(len(out) + 1),
                span=doc.span(at, at + len(line.rstrip())),
                label=None,
                url=url,
                url_text=doc.text(url_start, url_start + len(url)),
                title=title,
            )
        )
    return out


def _finder(by_url: dict[str, str]) -> GroupFinder:
    def find(doc: Document, text: str, base: int, _: dict[str, str]) -> list[CitationGroup]:
        if "](" not in text:
            return []
        out: list[CitationGroup] = []
        cursor = 0
        for url, _label, at in links(text):
            if at < 0 or not text.startswith("](", at - 2):
                continue
            opening = text.rfind("[", cursor, at - 2)
            if opening < 0:
                continue
            end = at + len(url) + 1
            cursor = end
            key = by_url.get(normalize_url(url))
            quoted = opening > 0 and text[opening - 1] == "(" and text.startswith(")", end)
            if key is None and not quoted:
                continue  # a plain link in the prose, not a citation
            start, stop = (opening - 1, end + 1) if quoted else (opening, end)
            out.append(CitationGroup(doc.text(base + start, base + stop), (key or url,)))
        return out

    return find


def read(doc: Document, tokens: list[dict[str, Any]], forced: bool = False) -> Document | None:
    """``doc`` read as inline-link citations with a References list, or None when it has no
    such list or its text links none of it (unless ``forced``)."""
    regions: list[tuple[int, int]] = []
    sources: list[Source] = []
    for section in _source_sections(doc):
        found = _entries(doc, section.body_start, section.body_end)
        if found:
            regions.append((section.body_start, section.body_end))
            for s in found:
                sources.append(replace(s, key=str(len(sources) + 1)))
    if not sources and not forced:
        return None
    by_url = keys_by_url(sources)
    said = statements(doc, tokens, regions, by_url, _finder(by_url))
    if not forced and not any(st.groups for st in said):
        return None
    display = {s.key: s.url or s.key for s in sources}
    region = (min(a for a, _ in regions), max(b for _, b in regions)) if regions else None
    heading = next((s.heading for s in _source_sections(doc)), None)
    return replace(doc, format=INLINE, citations=Citations(INLINE, tuple(said), tuple(sources), heading, region, display))
