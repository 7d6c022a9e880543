"""Text normalisation for comparing claims, contexts and summary clauses.

Every comparison works on the text a reader sees: inline HTML tags are removed (keeping
their text: a highlighted word is still the word), entities decoded. Differences that are
typography, not content, must never make two texts differ either: non-breaking and other
Unicode spaces, zero-width characters, curly vs straight quotes, dash variants, runs of
whitespace and letter case.
"""
from __future__ import annotations

import html
import re

from citelint import memo

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\n\r\f\v"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_TABLE = str.maketrans(
    {
        **{c: " " for c in _SPACES},
        **{c: None for c in _ZERO_WIDTH},
        **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"},
        **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},
        "\u2026": "...",
    }
)
_ENTITY_RE = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# An HTML tag: bounded, and never across another "<", so that a run of unclosed tags
# ("<font <font <font ...") costs one short scan each, not a scan to the end of the text.
MAX_TAG = 400
TAG = rf"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]{{0,{MAX_TAG}}})?/?>"
TAG_RE = re.compile(TAG)
# Tags that separate words when removed (a line break, a cell, a paragraph); other tags
# (<b>, <mark>, <span>, <font>...) sit inside the text and vanish without a trace.
_BREAKING = frozenset("br p div li td th tr table ul ol h1 h2 h3 h4 h5 h6 hr blockquote".split())


def _tag_text(tag: str) -> str:
    name = tag[1:].lstrip("/")
    end = 0
    while end < len(name) and (name[end].isalnum() or name[end] in ":-"):
        end += 1
    return " " if name[:end].lower() in _BREAKING else ""


@memo.pure  # every rule reads cells through it: a server re-linting a report keeps them
def visible(text: str) -> str:
    """The text a reader sees: tags removed (their text kept), entities decoded."""
    if "<" in text:
        text = TAG_RE.sub(lambda m: _tag_text(m.group(0)), text)
    if "&" in text:
        text = html.unescape(text)
    return text


def visible_with_map(text: str) -> tuple[str, list[int]]:
    """``visible(text)`` and, for each of its characters, the offset in ``text`` it comes
    from, plus one entry for the end (so that spans of the visible text point into the
    source)."""
    out: list[str] = []
    index: list[int] = []
    pos = 0
    n = len(text)
    while pos < n:
        ch = text[pos]
        width = 1
        if ch == "<":
            m = TAG_RE.match(text, pos)
            if m:
                for c in _tag_text(m.group(0)):
                    out.append(c)
                    index.append(pos)
                pos = m.end()
                continue
        elif ch == "&":
            m = _ENTITY_RE.match(text, pos)
            if m:
                ch, width = html.unescape(m.group(0)), len(m.group(0))
        for c in ch:
            out.append(c)
            index.append(pos)
        pos += width
    index.append(n)
    return "".join(out), index


@memo.pure
def normalize(text: str) -> str:
    """The comparison form of ``text`` (of its visible text)."""
    return " ".join(visible(text).translate(_TABLE).lower().split())


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """``normalize(text)`` and, for each of its characters, the offset in ``text`` it comes
    from. Slower than normalize(): used only to point at a place, never to compare."""
    out: list[str] = []
    index: list[int] = []
    pos = 0
    pending_space = False
    n = len(text)
    while pos < n:
        ch = text[pos]
        width = 1
        if ch == "<":
            tag = TAG_RE.match(text, pos)
            if tag:
                ch, width = _tag_text(tag.group(0)), len(tag.group(0))
        elif ch == "&":
            m = _ENTITY_RE.match(text, pos)
            if m:
                ch, width = html.unescape(m.group(0)), len(m.group(0))
        piece = ch.translate(_TABLE).lower()
        for c in piece:
            if c == " ":
                pending_space = bool(out)
                continue
            if pending_space:
                out.append(" ")
                index.append(pos)
                pending_space = False
            out.append(c)
            index.append(pos)
        pos += width
    index.append(len(text))  # the end of the text, for exclusive end offsets
    return "".join(out), index
