"""Columns as an editor counts them. citelint counts code points; the Language Server
Protocol counts UTF-16 code units unless client and server agree on UTF-8 bytes or UTF-32
(code points) when they start. Only the language server converts, at its edge."""
from __future__ import annotations

import bisect
import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"

# The characters that take more than one code unit: outside the BMP in UTF-16 (a surrogate
# pair), outside ASCII in UTF-8.
_WIDE = {UTF16: re.compile("[\U00010000-\U0010ffff]"), UTF8: re.compile("[^\x00-\x7f]")}

# A line's wide characters (``wide``): their columns, and the units they add, summed up to
# and including each.
Wide = tuple[list[int], list[int]]


def units(text: str, encoding: str) -> int:
    """How many code units ``text`` takes in ``encoding``."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF16:
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


def to_units(line: str, column: int, encoding: str) -> int:
    """The editor's character offset of 0-based code-point ``column`` on ``line``."""
    if encoding == UTF32 or line.isascii():
        return column
    return to_units_in(wide(line, encoding), column)


def wide(line: str, encoding: str) -> Wide:
    """Where ``line``'s characters that take more than one unit in ``encoding`` stand (found
    in C), for ``to_units_in``: built once for a line, each of its columns then converts by
    bisection, not by a walk of the line (hundreds of findings on one line of a summary of
    300,000 characters)."""
    columns: list[int] = []
    added: list[int] = []
    if encoding == UTF32 or line.isascii():
        return columns, added
    total = 0
    for m in _WIDE[encoding].finditer(line):
        total += 1 if encoding == UTF16 else len(m.group().encode("utf-8", "surrogatepass")) - 1
        columns.append(m.start())
        added.append(total)
    return columns, added


def to_units_in(table: Wide, column: int) -> int:
    """``to_units`` of 0-based ``column`` on the line whose ``wide`` is ``table``."""
    columns, added = table
    before = bisect.bisect_left(columns, column)  # (the wide characters left of the column)
    return column + (added[before - 1] if before else 0)


def from_units(line: str, offset: int, encoding: str) -> int:
    """The 0-based code-point column of the editor's character ``offset`` on ``line``. An
    offset inside a character (half a surrogate pair, a byte of a UTF-8 sequence) lands on
    that character; one past the line's end, on its end."""
    if encoding == UTF32 or line.isascii():
        return min(offset, len(line))
    count = 0
    for column, ch in enumerate(line):
        width = 1 if ch.isascii() else units(ch, encoding)
        if count + width > offset:
            return column
        count += width
    return len(line)
