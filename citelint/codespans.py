"""Where a piece of prose holds code: Markdown code spans and fenced code blocks.

The damage rules read prose; code (``decimal.Decimal``, ``f(a,b)``, ``bytearray``) is not
prose and must not be "repaired". The document model keeps the summary and table cells as
raw text, so the code inside them is found here, with CommonMark's rules: a code span opens
with a run of backticks and closes with the next run of the same length; a fenced block opens
with a line of three or more backticks or tildes and closes with a like fence at least as
long. One pass over the text, linear in its length.
"""
from __future__ import annotations

import re

_TICKS = re.compile(r"`+")
_FENCE = re.compile(r"(?m)^ {0,3}(`{3,}|~{3,})[^\n]*$")


def code_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the code in ``text``, sorted and disjoint."""
    if "`" not in text and "~~~" not in text:
        return []
    ranges: list[tuple[int, int]] = []
    blocks = _fenced_blocks(text)
    ranges.extend(blocks)
    # Inline spans, outside fenced blocks.
    cursor = 0
    for start, end in blocks + [(len(text), len(text))]:
        ranges.extend(_spans(text, cursor, start))
        cursor = end
    ranges.sort()
    return ranges


def _fenced_blocks(text: str) -> list[tuple[int, int]]:
    blocks = []
    opened: tuple[int, str] | None = None
    for m in _FENCE.finditer(text):
        fence = m.group(1)
        if opened is None:
            if fence[0] == "`" and "`" in m.group(0)[m.end(1) - m.start() :]:
                continue  # an info string with a backtick: not a fence (CommonMark)
            opened = (m.start(), fence)
        elif fence[0] == opened[1][0] and len(fence) >= len(opened[1]) and not m.group(0)[m.end(1) - m.start() :].strip():
            blocks.append((opened[0], m.end()))
            opened = None
    if opened is not None:  # an unclosed fence runs to the end
        blocks.append((opened[0], len(text)))
    return blocks


def _spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text, start, end)]
    # For each run, the next run of the same length: found right to left in one pass.
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        size = runs[i][1] - runs[i][0]
        following[i] = last.get(size)
        last[size] = i
    spans = []
    i = 0
    while i < len(runs):
        j = following[i]
        if j is None:
            i += 1
            continue
        spans.append((runs[i][0], runs[j][1]))
        i = j + 1
    return spans


def blank_code(text: str) -> str:
    """``text`` with its code replaced by spaces: offsets unchanged, no prose word left in it."""
    ranges = code_ranges(text)
    if not ranges:
        return text
    parts = []
    cursor = 0
    for start, end in ranges:
        parts.append(text[cursor:start])
        parts.append(re.sub(r"[^\n]", " ", text[start:end]))
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)
