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


def split(
    text: Text,
    make: MakeText,
    max_sentences: int | None = None,
    max_chars: int | None = None,
    whole: bool = True,
) -> tuple[list[Sentence], int | None]:
    """Sentences of a summary paragraph; ``make(start, end)`` builds a positioned Text.

    At most ``max_sentences`` sentences are read, and only whole sentences within the first
    ``max_chars`` characters: the second value is the offset in the source where reading
    stopped, or None when the whole paragraph was read. Not ``whole``: the paragraph goes on
    past the end of ``text`` (the file was read only so far), and its last sentence is not
    read either."""
    raw = text.raw
    limit = len(raw)
    if max_chars is not None and limit > max_chars:
        space = raw.rfind(" ", max(0, max_chars - 1000), max_chars)
        limit = space if space > 0 else max_chars
    # Markers are read as the sentence ends reach them (both in order), so a paragraph cut
    # short by its sentence bound is scanned no further than that.
    pending = markers.scan(raw if limit == len(raw) else raw[:limit])
    found: list[markers.Found] = []
    marker_starts: dict[int, markers.Found] = {}

    def marker_at(pos: int) -> markers.Found | None:
        while not found or found[-1].start < pos:
            nxt = next(pending, None)
            if nxt is None:
                break
            found.append(nxt)
            marker_starts[nxt.start] = nxt
        return marker_starts.get(pos)

    bounds: list[int] = []
    stopped = False
    for m in _END_RE.finditer(raw, 0, limit):
        end = m.end()
        if end < limit and raw[end] not in _AFTER_STOP:
            continue  # "3.7", "a.b": a stop inside a word is no sentence end (checked first: cheap)
        if not _is_boundary(raw, end):
            continue
        # Markers right after the stop belong to the sentence they follow, and close it:
        # "... in prison. (1) Griner was ..." ends the sentence after "(1)".
        pos = end
        closed = False
        while True:
            after_marker = marker_at(_skip_space(raw, pos))
            if after_marker is None:
                break
            pos = after_marker.end
            closed = True
        if pos >= limit:
            continue
        after = _GAP_RE.match(raw, pos, limit).end()  # type: ignore[union-attr]
        if after == pos:
            continue  # "3.7", "U.S.-led": no space, no sentence end
        # "...[1].</p><p>Next": markup between sentences separates them like a space.
        if not closed and after < limit:
            first = raw[after]
            if not (first.isupper() or first.isdigit() or first in "\"'\u201c\u2018(<["):
                continue
        bounds.append(pos)
        if max_sentences is not None and len(bounds) >= max_sentences:
            stopped = True
            break
    if (limit < len(raw) or not whole) and not stopped:
        # Cut by the character bound: the sentence it cuts is not read at all (its marker
        # may lie past the cut), so that no rule judges half a sentence.
        stopped = True
        bounds = bounds or [0]
    stop = bounds[-1] if stopped else limit
    marker_at(stop)  # every marker before the stop
    result = []
    start = 0
    next_marker = 0  # markers and sentences are both in order: one pass over each
    for end in bounds if stopped else [*bounds, limit]:
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
    rest = _skip_space(raw, stop)
    return result, (text.start + rest if rest < len(raw) else None)


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
