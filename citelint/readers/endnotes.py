"""The numbered-endnotes reader: ``[n]`` citations in the text and a numbered source list.

The source list stands under a Sources / References / Bibliography heading (or, in exports
that lost their headings, is the run of numbered entries that ends the file). Its entries are
written ``[n] Title: URL``, ``n. [Title](URL)``, or ``[n] Title`` with the URL on a line of its
own. mistune finds the blocks and the links (bare URLs too, through its ``url`` plugin); the
entry numbers and the citations are this format's own syntax, which Markdown does not know,
and are read here.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import mistune

from citelint import htmltags  # noqa: F401  (mistune's HTML tag patterns made linear)
from citelint import markers, parser
from citelint.citations import ENDNOTES, CitationGroup, Citations, Source, Statement
from citelint.codespans import blank_code
from citelint.model import Document, Section, Span
from citelint.urls import normalize_url

# Source-list headings, compared after numbering ("7.", "七、") and a colon are stripped.
SOURCE_HEADINGS = frozenset(
    (
        "sources", "source", "references", "reference", "bibliography", "works cited",
        "citations", "sources cited", "references and sources", "参考文献", "参考资料", "参考来源",
        "主要参考资料", "主要参考文献", "来源", "资料来源", "引用", "出典", "参考", "参考链接",
    )
)
_HEADING_NUMBER_RE = re.compile(r"^(?:[\dIVXivx]{1,4}|[一二三四五六七八九十]{1,3})[.、):：]\s*")
# An entry's number at the start of its line: "[3]", "3.", "3)", after an optional bullet.
_LABEL_RE = re.compile(r"[ \t]*(?:[-*+][ \t]+)?(?:\[(\d{1,5})\]|(\d{1,5})[.)](?=[ \t]))[ \t]*")
# A GFM footnote definition: "[^3]: https://...".
_FOOTNOTE_DEF_RE = re.compile(r"[ \t]{0,3}\[\^([^\]\s]{1,40})\]:[ \t]*")
# More numbers of one entry ("[1] [4] [8] Title": an export that merged the numbers citing
# one source into one entry).
_MORE_LABEL_RE = re.compile(r"\[(\d{1,5})\][ \t]*")
# A citation written as a link whose label is its number: "[3](#sources)", "[3](https://...)".
_LINK_CITE_RE = re.compile(r"\[(\d{1,5})\]\((?:#[^()\s]*|https?://[^()\s]*)\)")
# What may stand between two citations of one group: "[1][2]", "[1], [2]", "([1](#s), [2](#s))".
_JOIN_RE = re.compile(r"[ \t]*[,;]?[ \t]*")
# Separators between an entry's title and its URL ("Title - https://..."), matched at the start
# of the reversed title: a pattern anchored at the end ("[...]+$") tried every start in a long
# run of separators that did not end the line, and rescanned the run from each.
_SEP_RUN_RE = re.compile(r"[\s:：\-–—|]+")
_MD: Any = mistune.create_markdown(renderer=None, plugins=["url"])


def _strip_trailing_seps(text: str) -> str:
    """``text`` without the separators that end it (what ``[seps]+$`` would remove)."""
    m = _SEP_RUN_RE.match(text[::-1])
    return text[: len(text) - m.end()] if m else text


def _heading_name(title: str) -> str:
    name = title.strip().strip("#*_ ").rstrip(":：").strip()
    return _HEADING_NUMBER_RE.sub("", name).strip().lower()


def lines(source: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    pos = start
    while pos < end:
        nl = source.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, source[pos:stop]
        pos = stop + 1


def links(line: str) -> list[tuple[str, str, int]]:
    """(url, label, offset of the URL in the line) of each link mistune finds in ``line``."""
    if "http" not in line and "](" not in line and "<" not in line:
        return []
    found = []
    cursor = 0
    # For each text looked for, where a search from ``cursor`` started and what it found: a
    # later search for it from a later cursor finds the same (an occurrence at or past the
    # cursor, or none), without rescanning the line. A URL that mistune decoded (and so is not
    # in the line as written) was looked for again to the line's end for each link to it.
    seen: dict[str, tuple[int, int]] = {}

    def find(text: str) -> int:
        if text in seen:
            since, at = seen[text]
            if since <= cursor and (at < 0 or at >= cursor):
                return at
        at = line.find(text, cursor)
        seen[text] = (cursor, at)
        return at

    for token in _MD.inline(line, {}):
        if token["type"] != "link":
            continue
        url = token["attrs"]["url"]
        label = "".join(c.get("raw", "") for c in token.get("children", []))
        at = find(url)
        if at < 0:  # written with entities or escapes: look for it undecoded
            at = find(html.escape(url, quote=False))
        if at >= 0:
            cursor = at + len(url)
        found.append((url, label, at))
    return found


def entries(doc: Document, start: int, end: int, footnotes: bool = False) -> list[Source]:
    """The numbered entries between ``start`` and ``end``; a line of its own with a link
    gives its URL to the entry above when that has none yet."""
    source = doc.source
    entries: list[dict[str, Any]] = []
    for at, line in lines(source, start, end):
        m = (_FOOTNOTE_DEF_RE if footnotes else _LABEL_RE).match(line)
        if m is not None and m.end() < len(line.rstrip()):
            if footnotes:  # "[^key]:"
                label_start, label_end = at + m.start(1) - 2, at + m.end(1) + 1
            else:  # "[n]" or "n."
                label_start = at + m.start(1 if m.group(1) else 2) - (1 if m.group(1) else 0)
                label_end = at + m.end(1 if m.group(1) else 2) + 1
            labels = [(m.group(1) or m.group(2), label_start, label_end)]
            body = m.end()
            more = _MORE_LABEL_RE.match(line, body) if m.group(1) and not footnotes else None
            while more is not None:
                labels.append((more.group(1), at + more.start(), at + more.start() + len(more.group(1)) + 2))
                body = more.end()
                more = _MORE_LABEL_RE.match(line, body)
            rest = line[body:]
            found_links = links(rest)
            entry: dict[str, Any] = {
                "labels": labels,
                "start": at,
                "end": at + len(line.rstrip()),
                "label": (label_start, label_end),
                "url": None,
                "url_at": None,
                "title": None,
            }
            if found_links:
                url, label, url_at = found_links[0]
                entry["url"] = url
                entry["url_at"] = at + body + url_at if url_at >= 0 else None
                if label and label != url:
                    entry["title"] = label
            if entry["title"] is None:
                text = rest
                if found_links and found_links[0][2] >= 0:
                    text = rest[: found_links[0][2]]
                title = _strip_trailing_seps(text.strip()).strip()
                if title.startswith("[") and title.endswith("]"):  # a link whose URL was lost
                    title = title[1:-1].strip()
                entry["title"] = title or None
            entries.append(entry)
        elif entries and line.strip() and not footnotes:
            last = entries[-1]
            found_links = links(line)
            if last["url"] is None and found_links:
                url, _, url_at = found_links[0]
                last["url"] = url
                last["url_at"] = at + url_at if url_at >= 0 else None
                last["end"] = at + len(line.rstrip())
    out = []
    for e in entries:
        url = e["url"]
        url_text = doc.text(e["url_at"], e["url_at"] + len(url)) if url is not None and e["url_at"] is not None else None
        span = doc.span(e["start"], e["end"])
        for key, label_start, label_end in e["labels"]:
            out.append(
                Source(
                    key=key,
                    span=span,
                    label=doc.text(label_start, label_end),
                    url=html.unescape(url) if url is not None else None,
                    url_text=url_text,
                    title=e["title"],
                )
            )
    return out


def _source_sections(doc: Document) -> list[Section]:
    return [s for s in doc.sections if _heading_name(s.title) in SOURCE_HEADINGS]


def _trailing_list(doc: Document) -> int | None:
    """Where the run of numbered entries that ends a file without a source heading starts
    (an export that lost its headings), or None: at least two entries, nothing but entries,
    their URL lines and blank lines after it."""
    source = doc.source
    first: int | None = None
    count = 0
    end = doc.read_end
    while end > 0:
        start = source.rfind("\n", 0, end - 1) + 1 if end > 0 else 0
        line = source[start:end].rstrip("\n")
        stripped = line.strip()
        if _LABEL_RE.match(line) and stripped[:1] in "[0123456789":
            first, count = start, count + 1
        elif stripped and not (stripped.startswith(("http://", "https://", "<http")) and len(stripped.split()) == 1) and stripped != "---":
            break
        if start == 0:
            break
        end = start
    return first if count >= 2 else None


def keys_by_url(sources: list[Source]) -> dict[str, str]:
    """Each listed URL (normalised) and the key of the first source that lists it: a link in
    the text to that URL cites that source."""
    by_url: dict[str, str] = {}
    for src in sources:
        if src.url:
            by_url.setdefault(normalize_url(src.url), src.key)
    return by_url


GroupFinder = Callable[[Document, str, int, dict[str, str]], list[CitationGroup]]


def statements(
    doc: Document,
    tokens: list[dict[str, Any]],
    regions: list[tuple[int, int]],
    by_url: dict[str, str],
    find: GroupFinder | None = None,
) -> list[Statement]:
    """Each block of the text outside the source lists, with its citation groups. A link in
    the text to a listed source's URL cites that source too (reports that cite some sources
    by number and others by linking them)."""
    source = doc.source
    following = parser.block_ends(tokens, doc.read_end)
    out = []
    for token in tokens:
        kind = token["type"]
        start = token.get("_start")
        if start is None or kind in ("block_code", "blank_line", "thematic_break", "heading"):
            continue
        if any(a <= start < b for a, b in regions):
            continue
        end = following.get(start, doc.read_end)
        end = start + len(source[start:end].rstrip())
        if end <= start:
            continue
        text = blank_code(source[start:end])
        groups = (find or _groups)(doc, text, start, by_url)
        out.append(Statement(doc.text(start, end), tuple(groups)))
    return out


def _groups(doc: Document, text: str, base: int, by_url: dict[str, str]) -> list[CitationGroup]:
    hits: list[tuple[int, int, tuple[str, ...]]] = []
    if "[" not in text and "http" not in text:
        return []
    if by_url and ("](" in text or "http" in text):
        cursor = 0
        for url, label, at in links(text):
            key = by_url.get(normalize_url(url))
            if key is None or at < 0:
                continue
            # A numbered link ("[3](https://...)") is read by its number below, even when its
            # URL is another listed source's (a duplicate entry, or a number and URL that
            # disagree): the number is what the report cites. Its label is found in constant
            # time from the URL's place, so many links stay linear.
            opening = at - len(label) - 3  # "[" label "](" URL
            if opening >= 0 and text.startswith("](", at - 2) and _LINK_CITE_RE.match(text, opening):
                continue
            # The link as written: from its label's "[" (when it has one) to the URL's end.
            opening = text.rfind("[", cursor, at)
            start = opening if opening >= 0 and text.startswith("](", at - 2) else at
            end = at + len(url) + (1 if text.startswith(")", at + len(url)) else 0)
            hits.append((start, end, (key,)))
            cursor = end
    for found in markers.scan(text):
        if found.readable and "bracket" in found.style and found.numbers:
            hits.append((found.start, found.end, tuple(str(n) for n in found.numbers)))
    if "](" in text:
        for m in _LINK_CITE_RE.finditer(text):
            hits.append((m.start(), m.end(), (m.group(1),)))
    hits.sort()
    # A group's keys grow in a list: a tuple grown by each citation copied it each time.
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, keys in hits:
        if merged:
            p_start, p_end, p_keys = merged[-1]
            if start < p_end:
                continue  # overlapping readings of one citation
            gap = _JOIN_RE.match(text, p_end, start)
            if gap is not None and gap.end() == start:
                p_keys.extend(keys)
                merged[-1] = (p_start, end, p_keys)
                continue
        merged.append((start, end, list(keys)))
    return [CitationGroup(doc.text(base + s, base + e), tuple(keys)) for s, e, keys in merged]


def read(doc: Document, tokens: list[dict[str, Any]], forced: bool = False) -> Document | None:
    """``doc`` read as numbered endnotes, or None when it is not in that format (unless
    ``forced``: then a file without a source list is read as one citing nothing)."""
    sections = _source_sections(doc)
    regions: list[tuple[int, int]] = []
    sources: list[Source] = []
    heading: Span | None = None
    for section in sections:
        found = entries(doc, section.body_start, section.body_end)
        if found:
            regions.append((section.body_start, section.body_end))
            sources.extend(found)
            heading = heading or section.heading
    if not sources:
        first = _trailing_list(doc)
        if first is not None:
            regions.append((first, doc.read_end))
            sources = entries(doc, first, doc.read_end)
    if not sources and not forced:
        return None
    by_url = keys_by_url(sources)
    said = statements(doc, tokens, regions, by_url)
    region = (min(a for a, _ in regions), max(b for _, b in regions)) if regions else None
    citations = Citations(ENDNOTES, tuple(said), tuple(sources), heading, region)
    return replace(doc, format=ENDNOTES, citations=citations)
