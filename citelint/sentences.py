"""Split summary text into sentences, and each sentence into the clauses its markers close."""
from __future__ import annotations

import re
from collections.abc import Callable

from citelint import markers
from citelint.model import Clause, Marker, Sentence, Text

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


def _is_boundary(text: str, end: int) -> bool:
    stop = end
    while stop > 0 and text[stop - 1] in "\"'\u201d\u2019)]":
        stop -= 1
    if text[stop - 1] != ".":
        return True
    # The word before the stop: from the last space, not a search from the start of the text
    # (which would make splitting quadratic in the summary's length).
    word = text[text.rfind(" ", 0, stop) + 1 : stop].lstrip("\"'(\u201c\u2018[").lower().rstrip(".")
    if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False
    # "U.S." and other dotted initialisms end a sentence only when a capital follows,
    # which the caller checks; inside one there is no space, so no candidate.
    return True


def split(text: Text, make: MakeText) -> list[Sentence]:
    """Sentences of a summary paragraph; ``make(start, end)`` builds a positioned Text."""
    raw = text.raw
    found = [(s, e, n, st) for s, e, n, st in markers.scan(raw)]
    marker_starts = {s: (s, e, n, st) for s, e, n, st in found}
    bounds: list[int] = []
    for m in _END_RE.finditer(raw):
        end = m.end()
        if not _is_boundary(raw, end):
            continue
        # Markers right after the stop belong to the sentence they follow.
        pos = end
        while True:
            skip = pos + len(raw[pos:]) - len(raw[pos:].lstrip())
            if skip in marker_starts:
                pos = marker_starts[skip][1]
            else:
                break
        if pos < len(raw) and not raw[pos].isspace():
            continue  # "3.7", "U.S.-led": no space, no sentence end
        after = raw[pos:].lstrip()
        if after and not (after[0].isupper() or after[0].isdigit() or after[0] in "\"'\u201c\u2018(<["):
            continue
        if pos < len(raw):
            bounds.append(pos)
    result = []
    start = 0
    next_marker = 0  # markers and sentences are both in order: one pass over each
    for end in [*bounds, len(raw)]:
        chunk = raw[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        s, e = start + lead, start + len(chunk.rstrip())
        inside = []
        while next_marker < len(found) and found[next_marker][1] <= e:
            if found[next_marker][0] >= s:
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
    inside: list[tuple[int, int, tuple[int, ...], str]],
    base: int,
    make: MakeText,
) -> Sentence:
    clauses: list[Clause] = []
    cursor = start
    for s, e, numbers, style in inside:
        marker = Marker(make(base + s, base + e), numbers, style)
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
    tail = make(base + ts, base + te) if any(ch.isalnum() for ch in tail_raw) else None
    return Sentence(make(base + start, base + end), tuple(clauses), tail)
