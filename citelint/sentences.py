"""Split summary text into sentences, and each sentence into the clauses its markers close."""
from __future__ import annotations

import re
from collections.abc import Callable

from citelint import markers
from citelint.model import Clause, Marker, Sentence, Text
from citelint.textnorm import TAG

# Words that end in a full stop without ending a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt gen col lt sgt capt gov sen rep pres rev hon
    vs etc al approx est fig no nos vol pp ed eds inc ltd co corp dept univ
    jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.k u.n e.u""".split()
)
# A stop and any closing quotes or brackets: a candidate sentence end.
_END_RE = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*")
_PUNCT = " \t\n,;:\u2014\u2013-"

MakeText = Callable[[int, int], Text]


_SPACE_RE = re.compile(r"\s*")
_ALNUM_RE = re.compile(r"[^\W_]")
# What may follow a sentence's stop: a space, markup, or a marker ("prison.[1]").
_AFTER_STOP = frozenset(" \t\n\r\f\v\u00a0\u2009\u202f<[(&")
_GAP_RE = re.compile(rf"(?:\s|{TAG})*")
# No abbreviation is longer than this: the word before a stop is looked for this far back.
_MAX_WORD = 32


def _is_boundary(text: str, end: int) -> bool:
    stop = end
    while stop > 0 and text[stop - 1] in "\"'\u201d\u2019)]":
        stop -= 1
    if text[stop - 1] != ".":
        return True
    # The word before the stop: from the last space, looked for a bounded way back (a text
    # with no spaces, "a.a.a.", must not make every stop search back to its start).
    space = text.rfind(" ", max(0, stop - _MAX_WORD), stop)
    if space < 0 and stop > _MAX_WORD:
        return True  # a "word" this long is no abbreviation
    word = text[space + 1 : stop].lstrip("\"'(\u201c\u2018[").lower().rstrip(".")
    if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False
    # "U.S." and other dotted initialisms end a sentence only when a capital follows,
    # which the caller checks; inside one there is no space, so no candidate.
    return True


def _skip_space(text: str, pos: int) -> int:
    return _SPACE_RE.match(text, pos).end()  # type: ignore[union-attr]


def split(text: Text, make: MakeText) -> list[Sentence]:
    """Sentences of a summary paragraph; ``make(start, end)`` builds a positioned Text."""
    raw = text.raw
    found = list(markers.scan(raw))
    marker_starts = {f.start: f for f in found}
    bounds: list[int] = []
    n = len(raw)
    for m in _END_RE.finditer(raw):
        end = m.end()
        if end < n and raw[end] not in _AFTER_STOP:
            continue  # "3.7", "a.b": a stop inside a word is no sentence end (checked first: cheap)
        if not _is_boundary(raw, end):
            continue
        # Markers right after the stop belong to the sentence they follow, and close it:
        # "... in prison. (1) Griner was ..." ends the sentence after "(1)".
        pos = end
        closed = False
        while True:
            skip = _skip_space(raw, pos)
            if skip in marker_starts:
                pos = marker_starts[skip].end
                closed = True
            else:
                break
        if pos >= len(raw):
            continue
        after = _GAP_RE.match(raw, pos).end()  # type: ignore[union-attr]
        if after == pos:
            continue  # "3.7", "U.S.-led": no space, no sentence end
        # "...[1].</p><p>Next": markup between sentences separates them like a space.
        if not closed and after < len(raw):
            first = raw[after]
            if not (first.isupper() or first.isdigit() or first in "\"'\u201c\u2018(<["):
                continue
        bounds.append(pos)
    result = []
    start = 0
    next_marker = 0  # markers and sentences are both in order: one pass over each
    for end in [*bounds, len(raw)]:
        # A sentence starts after the space and markup before it, unless that markup
        # opens its first marker.
        s = _GAP_RE.match(raw, start).end()  # type: ignore[union-attr]
        if next_marker < len(found) and found[next_marker].start < s:
            s = max(_skip_space(raw, start), found[next_marker].start)
        e = end
        while e > s and raw[e - 1].isspace():
            e -= 1
        inside = []
        while next_marker < len(found) and found[next_marker].end <= e:
            if found[next_marker].start >= s:
                inside.append(found[next_marker])
            next_marker += 1
        if e > s:
            result.append(_sentence(raw, s, e, inside, text.start, make))
        start = end
    return result


def _trimmed(raw: str, start: int, end: int) -> tuple[int, int]:
    while start < end and raw[start] in _PUNCT:
        start += 1
    while end > start and raw[end - 1] in " \t\n":
        end -= 1
    return start, end


def _sentence(
    raw: str,
    start: int,
    end: int,
    inside: list[markers.Found],
    base: int,
    make: MakeText,
) -> Sentence:
    clauses: list[Clause] = []
    cursor = start
    for s, e, numbers, style, readable in inside:
        marker = Marker(make(base + s, base + e), numbers, style, readable)
        cs, ce = _trimmed(raw, cursor, s)
        if ce > cs or not clauses:
            clause_text = make(base + cs, base + ce)
        else:  # "[1][2]" or "[1], [2]": adjacent markers close the same clause
            clause_text = clauses[-1].text
        clauses.append(Clause(clause_text, marker))
        cursor = e
    ts, te = _trimmed(raw, cursor, end)
    while te > ts and raw[te - 1] in ".!?":
        te -= 1
    tail_raw = raw[ts:te]
    tail = make(base + ts, base + te) if _ALNUM_RE.search(tail_raw) else None
    return Sentence(make(base + start, base + end), tuple(clauses), tail)
