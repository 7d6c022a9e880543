"""Columns as an editor counts them. citelint counts code points; the Language Server
Protocol counts UTF-16 code units unless client and server agree on UTF-8 bytes or UTF-32
(code points) when they start. Only the language server converts, at its edge."""
from __future__ import annotations

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


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
    return units(line[:column], encoding)


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
