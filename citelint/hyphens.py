"""Which two words a text also writes joined by a hyphen ("fall-through" beside
"fallthrough"), answered from an index instead of a search of the whole text per question.

``"a-b" in text`` (for ``a`` and ``b`` of lower-case ASCII letters) holds exactly when some
hyphen has ``a`` as a tail of the letters just before it and ``b`` as a head of the letters
just after it. The pairs of letter runs around each hyphen are found once per piece of text
(memoized in a server session: a re-lint reads only the pieces an edit changed).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from citelint import memo

_AROUND_RE = re.compile(r"([a-z]+)-(?=([a-z]+))")
# Pairs are filed under the last letters before the hyphen (up to this many).
_KEY = 3


@memo.pure
def pairs(text: str) -> tuple[tuple[str, str], ...]:
    """(letters before, letters after) for each hyphen of ``text`` lowered that has letters
    on both sides."""
    if "-" not in text:
        return ()
    return tuple((m.group(1), m.group(2)) for m in _AROUND_RE.finditer(text.lower()))


class Index:
    """The hyphen pairs of several texts (which a newline joins: no pair crosses one)."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._by_tail: dict[str, list[tuple[str, str]]] = {}
        for text in texts:
            for pair in pairs(text):
                left = pair[0]
                for k in range(1, min(_KEY, len(left)) + 1):
                    self._by_tail.setdefault(left[-k:], []).append(pair)

    def joined(self, first: str, second: str) -> bool:
        """Whether ``first-second`` (lower-case ASCII letters) stands in one of the texts."""
        key = first[-_KEY:]
        return any(left.endswith(first) and right.startswith(second) for left, right in self._by_tail.get(key, ()))
