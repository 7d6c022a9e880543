"""Text normalisation for comparing claims, contexts and summary clauses.

Every comparison works on the text a reader sees: inline HTML tags are removed (keeping
their text: a highlighted word is still the word), entities decoded. Differences that are
typography, not content, must never make two texts differ either: non-breaking and other
Unicode spaces, zero-width characters, curly vs straight quotes, dash variants, runs of
whitespace and letter case.
"""
from __future__ import annotations

import functools
import html
import re
from array import array
from collections.abc import Iterable, Sequence
from itertools import repeat

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
_SPECIAL_RE = re.compile(r"[<&]")
# Characters that normalise to another number of characters: removed (zero-width), "..."
# for an ellipsis, and the one letter whose lower case is two ("İ" -> "i̇").
_RESIZING_RE = re.compile("[" + _ZERO_WIDTH + "\u2026\u0130]")
# A run of spaces that normalising makes one: two or more, or one at either end of a run
# of text (a single space between words is kept as it is, and costs nothing).
_SPACE_RUN_RE = re.compile(r" {2,}|^ | $")
_ENTITY_RE = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# An HTML tag: bounded, and never across another "<", so that a run of unclosed tags
# ("<font <font <font ...") costs one short scan each, not a scan to the end of the text.
MAX_TAG = 400
TAG = rf"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]{{0,{MAX_TAG}}})?/?>"
TAG_RE = re.compile(TAG)
# A tag or an entity, as TAG_RE and _ENTITY_RE read them, in one scan.
_MARKUP_RE = re.compile(f"(?P<tag>{TAG})|{_ENTITY_RE.pattern}")
# Tags that separate words when removed (a line break, a cell, a paragraph); other tags
# (<b>, <mark>, <span>, <font>...) sit inside the text and vanish without a trace.
_BREAKING = frozenset("br p div li td th tr table ul ol h1 h2 h3 h4 h5 h6 hr blockquote".split())


@functools.lru_cache(maxsize=4096)  # a text repeats the same few tags ("<b>", "</b>")
def _tag_text(tag: str) -> str:
    name = tag[1:].lstrip("/")
    end = 0
    while end < len(name) and (name[end].isalnum() or name[end] in ":-"):
        end += 1
    return " " if name[:end].lower() in _BREAKING else ""


def _shown(tag: re.Match[str]) -> str:
    return _tag_text(tag.group(0))


@memo.pure  # every rule reads cells through it: a server re-linting a report keeps them
def visible(text: str) -> str:
    """The text a reader sees: tags removed (their text kept), entities decoded."""
    if "<" in text:
        text = TAG_RE.sub(_shown, text)
    if "&" in text:
        text = html.unescape(text)
    return text


def visible_with_map(text: str) -> tuple[str, Sequence[int]]:
    """``visible(text)`` and, for each of its characters, the offset in ``text`` it comes
    from, plus one entry for the end (so that spans of the visible text point into the
    source)."""
    out: list[str] = []
    index = array("q")  # 8 bytes an offset: a list of ints takes 36 on a 10 MB context
    pos = 0
    n = len(text)
    # Text between tags and entities is copied a run at a time, and each tag or entity is
    # one step of one scan (a context of a million tags is read in about a second).
    for m in _MARKUP_RE.finditer(text):
        at = m.start()
        if at > pos:
            out.append(text[pos:at])
            index.extend(range(pos, at))
        shown = _tag_text(m.group()) if m.lastgroup == "tag" else html.unescape(m.group())
        if shown:
            out.append(shown)
            index.extend(repeat(at, len(shown)))
        pos = m.end()
    if pos < n:
        out.append(text[pos:])
        index.extend(range(pos, n))
    index.append(n)
    return "".join(out), index


def normalize(text: str) -> str:
    """The comparison form of ``text`` (of its visible text)."""
    return " ".join(visible(text).translate(_TABLE).lower().split())


def normalize_with_map(text: str) -> tuple[str, Sequence[int]]:
    """``normalize(text)`` and, for each of its characters, the offset in ``text`` it comes
    from (a space: where the whitespace it stands for begins). Slower than normalize(): used
    only to point at a place, never to compare. The visible text and its map first (a step a
    tag), then the visible text normalised as plain text (a step a run of spaces or a
    character that normalises to another length): a context of a million tags is read in
    about a second."""
    if "<" not in text and "&" not in text:
        return _normalize_plain_with_map(text)  # it is its own visible text
    shown, where = visible_with_map(text)
    normal, index = _normalize_plain_with_map(shown)
    return normal, array("q", map(where.__getitem__, index))


def _normalize_plain_with_map(text: str) -> tuple[str, array[int]]:
    """``normalize`` of text with no tags or entities, and each character's offset."""
    out: list[str] = []
    index = array("q")
    pending: int | None = None  # where the whitespace not yet written begins

    def space_at(pos: int) -> None:
        nonlocal pending
        if pending is None and out:
            pending = pos

    def write(piece: str, offsets: Iterable[int]) -> None:
        """``piece`` (no leading or trailing space), after a pending space."""
        nonlocal pending
        if pending is not None:
            out.append(" ")
            index.append(pending)
            pending = None
        out.append(piece)
        index.extend(offsets)

    def run(start: int, end: int) -> None:
        """Text whose normal form has its length: copied whole, each run of spaces made one."""
        piece = text[start:end].translate(_TABLE).lower()
        pos = 0
        for gap in _SPACE_RUN_RE.finditer(piece):
            a, b = gap.span()
            if a > pos:
                write(piece[pos:a], range(start + pos, start + a))
            space_at(start + a)
            pos = b
        if pos < len(piece):
            write(piece[pos:], range(start + pos, end))

    pos = 0
    for resizing in _RESIZING_RE.finditer(text):
        at = resizing.start()
        if at > pos:
            run(pos, at)
        for c in text[at].translate(_TABLE).lower():  # all of it from ``at``
            if c == " ":
                space_at(at)
            else:
                write(c, (at,))
        pos = at + 1
    if pos < len(text):
        run(pos, len(text))
    index.append(len(text))  # the end of the text, for exclusive end offsets
    return "".join(out), index
