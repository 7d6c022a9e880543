"""Citation markers: the report format's own syntax, which Markdown knows nothing about.

Markdown sees ``[1]`` as a shortcut reference that resolves to nothing and ``(1)`` as text,
so the markers are found here, in the text of the blocks the Markdown parser delimited.

A marker is read by its structure, not its spelling: a number list in brackets or
parentheses (``[1]``, ``(4,5)``, ``[1-3]``, ``(2 & 4)``, ``(Contexts 1 and 2)``,
``(Context 3, Context 4)``), wrapped in any inline markup (``<font color=...>``,
``<span style=...>``, ``<b>``, ``<sup>``...). Markers side by side, with nothing but markup,
whitespace or a comma between them, are one citation group. Bracketed text that looks like a
citation but cannot be read that way is reported as such (``unreadable``), never guessed.

Every pattern here is linear: alternatives start with distinct characters, and a tag is at
most ``_MAX_TAG`` characters long and never spans another ``<``, so a run of unclosed tags
costs one short scan each.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from citelint.textnorm import MAX_TAG as _MAX_TAG
from citelint.textnorm import TAG, TAG_RE

# What may stand between the parts of a marker: whitespace, a non-breaking space, markup.
# Bounded repetitions: an attempt that fails costs a bounded amount of backtracking, so a
# text full of brackets and tags stays linear to read.
_GAP = rf"(?:\s|&nbsp;|&#160;|{TAG}){{0,24}}"
# Words a marker may put before its numbers: "(Context 3)", "(Contexts 1, 3)", "[Claim 2]".
CITE_WORDS = ("context", "claim", "source", "citation", "cite", "reference", "ref", "row", "passage")
_WORD = r"(?:" + "|".join(CITE_WORDS) + r")s?\b\.?:?"
_NUM = r"\d{1,5}(?!\d)"
_DASH = r"[-\u2010\u2011\u2012\u2013\u2014]"
_ITEM = rf"(?:{_WORD}{_GAP})?#?{_NUM}(?:{_GAP}{_DASH}{_GAP}(?:{_WORD}{_GAP})?#?{_NUM})?"
_SEP = rf"{_GAP}(?:,{_GAP}and\b|,|;|&amp;|&|\band\b){_GAP}"
_BODY = rf"{_GAP}{_ITEM}(?:{_SEP}{_ITEM}){{0,300}}{_GAP}"
MARKER_RE = re.compile(
    # A bracket followed by "(" or ":" is a Markdown link or link definition, not a marker.
    rf"\[(?P<b>{_BODY})\](?![(:])|\((?P<p>{_BODY})\)",
    re.IGNORECASE,
)
_NUM_RE = re.compile(rf"{_NUM}|{_DASH}", re.IGNORECASE)
_WORD_RE = re.compile(_WORD, re.IGNORECASE)
_THOUSANDS_RE = re.compile(r"\s*\d{1,3}(?:,\d{3})+\s*")
# Bracketed text short enough to be a marker: a candidate for "looks like a citation".
_CANDIDATE_RE = re.compile(r"\[(?P<b>[^\[\]\n]{0,80})\](?![(:])|\((?P<p>[^()\n]{0,80})\)")
# Between two markers of one group: whitespace, markup, commas.
_JOIN_RE = re.compile(rf"(?:\s|&nbsp;|&#160;|,|{TAG})*")
_OPEN_BEFORE_RE = re.compile(rf"<[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]{{0,{_MAX_TAG}}})?>\s*\Z")
_CLOSE_RE = re.compile(r"\s*</[A-Za-z][A-Za-z0-9:-]*\s*>")
_ENTITY_RE = re.compile(r"&#?[A-Za-z0-9]{1,10};")
_NAME_RE = re.compile(r"<([A-Za-z][A-Za-z0-9:-]*)")
_MAX_RANGE = 200
_MAX_WRAPPERS = 8  # elements wrapping one marker: "<p><font><b>[1]</b></font></p>" is 3
_MAX_NARROW = 999  # a bare "(2022)" in prose is a year, not a citation


class Found(NamedTuple):
    """A marker (or citation group) in a text: offsets into that text."""

    start: int
    end: int
    numbers: tuple[int, ...]
    style: str
    readable: bool = True


def numbers(inner: str) -> tuple[int, ...]:
    """The row numbers a marker's inside cites: "1, 2" -> (1, 2); "1-3" -> (1, 2, 3);
    "Context 3, Context 4" -> (3, 4). Markup and words between them are ignored."""
    if inner.isdigit():  # the common case, "[3]"
        return (int(inner),)
    result: list[int] = []
    tokens = [m.group(0) for m in _NUM_RE.finditer(_ENTITY_RE.sub(" ", TAG_RE.sub(" ", inner)))]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not tok[0].isdigit():
            i += 1
            continue
        lo = int(tok)
        if i + 2 < len(tokens) and not tokens[i + 1][0].isdigit() and tokens[i + 2][0].isdigit():
            hi = int(tokens[i + 2])
            if lo <= hi and hi - lo <= _MAX_RANGE:
                result.extend(range(lo, hi + 1))
            else:  # "5-2" is no range anyone writes on purpose: keep both ends
                result.extend((lo, hi))
            i += 3
        else:
            result.append(lo)
            i += 1
    return tuple(dict.fromkeys(result))


def _wrapped(text: str, start: int, end: int) -> tuple[int, int, str | None]:
    """Widen a bracket at [start, end) over the inline elements that wrap it: opening tags
    right before it, and as many closing tags right after it. Returns the new bounds and
    the outermost wrapper's tag name."""
    opened = 0
    name = None
    while opened < _MAX_WRAPPERS:
        before = start - 1
        while before >= 0 and text[before].isspace():
            before -= 1
        if before < 0 or text[before] != ">":  # the common case: no markup before it
            break
        m = _OPEN_BEFORE_RE.search(text, max(0, start - _MAX_TAG - 40), start)
        if m is None or m.end() != start:
            break
        start = m.start()
        tag = _NAME_RE.match(m.group(0))
        name = tag.group(1).lower() if tag else None
        opened += 1
    for _ in range(opened):
        m = _CLOSE_RE.match(text, end)
        if m is None:
            break
        end = m.end()
    return start, end, name


def _style(bracket: str, inner: str, wrapper: str | None) -> str:
    word = _WORD_RE.search(TAG_RE.sub(" ", inner)) if not inner.isdigit() else None
    if word:  # "(Context 2)", "(Contexts 1, 3)": the word names the style
        kind = word.group(0).lower().rstrip(".:").rstrip("s")
    else:
        kind = "bracket" if bracket == "[" else "paren"
    return f"{wrapper}-{kind}" if wrapper else kind


def example(style: str) -> str:
    """How a marker of ``style`` is written, for messages: "font-bracket" -> <font ...>[N]</font>."""
    wrapper, _, kind = style.rpartition("-")
    if kind == "bracket":
        inner = "[N]"
    elif kind == "paren":
        inner = "(N)"
    else:
        inner = f"({kind.capitalize()} N)"
    if not wrapper:
        return inner
    attrs = " color=#FF3399" if wrapper == "font" else ""
    return f"<{wrapper}{attrs}>{inner}</{wrapper}>"


def _read(text: str, m: re.Match[str]) -> Found | None:
    inner = m.group("b") if m.group("b") is not None else m.group("p")
    bracket = text[m.start()]
    found = numbers(inner)
    if bracket == "(" and not _WORD_RE.search(inner):
        # "(2022)" is a year and "(1,000)" a number, not citations.
        if any(n > _MAX_NARROW for n in found) or _THOUSANDS_RE.fullmatch(inner):
            return None
    start, end, wrapper = _wrapped(text, m.start(), m.end())
    return Found(start, end, found, _style(bracket, inner, wrapper))


def looks_like_citation(bracket: str, inner: str, wrapped: bool) -> bool:
    """Whether bracketed text the marker grammar could not read still looks like a citation
    (so that the reader says it cannot read it rather than treating it as prose)."""
    visible = TAG_RE.sub(" ", inner).replace("&nbsp;", " ")
    words = re.findall(r"[A-Za-z]+", visible)
    digits = re.findall(r"\d+", visible)
    cite_word = bool(words) and any(words[0].lower().rstrip("s") == w for w in CITE_WORDS)
    if cite_word and (digits or len(words) <= 3):
        return True  # "(Contexts 1 and five)", "(Context three)"
    if wrapped or "<" in inner:
        # Markup is how the generator highlights its markers: "<font ...>[?]</font>";
        # "<b>(up 3%)</b>" is emphasis on prose.
        return len(visible.strip()) <= 16 and not any(len(w) > 1 for w in words) and (bool(digits) or not words)
    if not digits or any(len(d) > 3 for d in digits):
        return False
    if bracket == "[":
        # "[1, 2a]", "[3 4]": numbers and at most a letter or two of noise.
        return all(len(w) <= 1 or w.lower() in ("and", "to") for w in words)
    # "(1 2)", "(1,,2)": numbers and separators only ("(1.5)", "(24/7)" are prose).
    return not words and all(ch.isdigit() or ch in " ,;&-\u2013\u2014" for ch in visible)


def _unreadable(text: str, start: int, end: int) -> Iterator[Found]:
    """Bracketed text in text[start:end] (which holds no readable marker) that looks like a
    citation."""
    for m in _CANDIDATE_RE.finditer(text, start, end):
        inner = m.group("b") if m.group("b") is not None else m.group("p")
        s, e, wrapper = _wrapped(text, m.start(), m.end())
        if s < start or e > end:
            s, e, wrapper = m.start(), m.end(), None
        if looks_like_citation(text[m.start()], inner, wrapper is not None):
            yield Found(s, e, (), "unreadable", readable=False)


def _single(text: str) -> Iterator[Found]:
    """Every marker, readable or not, in order (before grouping)."""
    cursor = 0
    for m in MARKER_RE.finditer(text):
        found = _read(text, m)
        if found is None:  # prose ("(2022)"): neither a marker nor an unreadable one
            yield from _unreadable(text, cursor, m.start())
            cursor = m.end()
            continue
        yield from _unreadable(text, cursor, found.start)
        yield found
        cursor = found.end
    yield from _unreadable(text, cursor, len(text))


def scan(text: str) -> Iterator[Found]:
    """Each citation group in ``text``: markers side by side (nothing but whitespace, markup
    or commas between them) are one group citing all of their numbers."""
    group: list[Found] = []
    for found in _single(text):
        if (
            group
            and group[-1].readable
            and found.readable
            and _JOIN_RE.match(text, group[-1].end).end() >= found.start  # type: ignore[union-attr]
        ):
            group.append(found)
            continue
        if group:
            yield _merged(group)
        group = [found]
    if group:
        yield _merged(group)


def _merged(group: list[Found]) -> Found:
    if len(group) == 1:
        return group[0]
    numbers = tuple(dict.fromkeys(n for f in group for n in f.numbers))
    return Found(group[0].start, group[-1].end, numbers, group[0].style)


def leading(text: str) -> Found | None:
    """The marker a claim cell starts with, if any (after leading spaces and any markup
    that wraps it), readable or not. Its end is past the closing tags that follow it, so
    that the claim text starts after all of the marker's markup."""
    probe = _JOIN_RE.match(text).end()  # type: ignore[union-attr]
    if probe >= len(text) or text[probe] not in "[(":
        return None
    # Only the head of the cell: a marker is short, and the claim may be long. One marker,
    # not a group: "[4] [41], most ..." is row 4 quoting a source's own footnote "[41]".
    first = next(_single(text[: probe + 300]), None)
    if first is None or first.start > probe:
        return None
    end = first.end
    while True:  # a closing tag whose opening tag stands before the cell's marker
        close = _CLOSE_RE.match(text, end)
        if close is None:
            return first._replace(end=end)
        end = close.end()
