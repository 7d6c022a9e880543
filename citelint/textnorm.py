"""Text normalisation for comparing claims, contexts and summary clauses.

Differences that are typography, not content, must never make two texts differ: HTML
entities, non-breaking and other Unicode spaces, zero-width characters, curly vs straight
quotes, dash variants, runs of whitespace and letter case.
"""
from __future__ import annotations

import html
import re

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


def normalize(text: str) -> str:
    """The comparison form of ``text``."""
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.translate(_TABLE).lower().split())


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
        if ch == "&":
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
