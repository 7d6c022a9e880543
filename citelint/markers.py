"""Citation markers: the report format's own syntax, which Markdown knows nothing about.

Markdown sees ``[1]`` as a shortcut reference that resolves to nothing and ``(1)`` as text,
so the markers are found here, in the text of the blocks the Markdown parser delimited.
"""
from __future__ import annotations

import re
from collections.abc import Iterator



def _numbers(digits: str) -> str:
    return rf"\d{{{digits}}}(?:\s*(?:[-\u2013\u2014,;]|\band\b)\s*\d{{{digits}}})*"


# Bracketed markers may be large; a bare parenthesised number only up to three digits:
# "(2022)" in prose is a year, not a citation.
_WIDE, _NARROW = _numbers("1,5"), _numbers("1,3")
MARKER_RE = re.compile(
    r"<font\b[^>]*>\s*(?:\[\s*(?P<fb>" + _WIDE + r")\s*\]"
    r"|\(\s*(?P<fc>Context\s+)?(?P<fp>" + _WIDE + r")\s*\))\s*</font>"
    # A bracket followed by "(" or ":" is a Markdown link or link definition, not a marker.
    r"|\[\s*(?P<b>" + _WIDE + r")\s*\](?![(:\[])"
    r"|\(\s*(?:(?P<c>Context\s+)(?P<cp>" + _WIDE + r")|(?P<p>" + _NARROW + r"))\s*\)",
    re.IGNORECASE,
)
_RANGE_RE = re.compile(r"(\d+)\s*[-\u2013\u2014]\s*(\d+)")
_MAX_RANGE = 200


def numbers(inner: str) -> tuple[int, ...]:
    """The row numbers a marker's inside cites: "1, 2" -> (1, 2); "1-3" -> (1, 2, 3)."""
    result: list[int] = []
    for part in re.split(r"\s*(?:[,;]|\band\b)\s*", inner.strip()):
        m = _RANGE_RE.fullmatch(part)
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
            if lo <= hi and hi - lo <= _MAX_RANGE:
                result.extend(range(lo, hi + 1))
            else:  # "5-2" is no range anyone writes on purpose: keep both ends
                result.extend((lo, hi))
        elif part.isdigit():
            result.append(int(part))
    return tuple(result)


def _describe(m: re.Match[str]) -> tuple[int, int, tuple[int, ...], str]:
    if m.group("fb") is not None:
        inner, style = m.group("fb"), "font-bracket"
    elif m.group("fp") is not None:
        inner = m.group("fp")
        style = "context" if m.group("fc") else "font-paren"
    elif m.group("b") is not None:
        inner, style = m.group("b"), "bracket"
    elif m.group("cp") is not None:
        inner, style = m.group("cp"), "context"
    else:
        inner, style = m.group("p"), "paren"
    return m.start(), m.end(), numbers(inner), style


def scan(text: str) -> Iterator[tuple[int, int, tuple[int, ...], str]]:
    """Yield (start, end, row numbers, style) for each marker in ``text``."""
    return map(_describe, MARKER_RE.finditer(text))


def leading(text: str) -> tuple[int, int, tuple[int, ...], str] | None:
    """The marker a claim cell starts with, if any (after leading spaces)."""
    m = MARKER_RE.match(text, len(text) - len(text.lstrip()))
    return _describe(m) if m else None
