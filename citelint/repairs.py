"""Repairs that several rules build: renumbering rows and rewriting the markers that cite
them. A repair is a Fix: edits on the document's source."""
from __future__ import annotations

import re
from collections.abc import Mapping

from citelint.finding import Applicability, Edit, Fix
from citelint.model import Document, Marker

_DIGITS_RE = re.compile(r"\d+")
# The bracketed number list of a marker (not the digits of a tag's attributes around it).
_LIST_RE = re.compile(r"[\[(][^\[\]()<>]*\d[^\[\]()<>]*[\])]")
_RANGE_RE = re.compile(r"\d\s*[-\u2013\u2014]\s*\d")


def render(numbers: tuple[int, ...]) -> str:
    """Row numbers as a marker lists them: ranges for runs of three or more."""
    parts: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{numbers[i]}-{numbers[j]}")
            i = j + 1
        else:
            parts.append(str(numbers[i]))
            i += 1
    return ", ".join(parts)


def marker_edits(marker: Marker, mapping: Mapping[int, int]) -> list[Edit]:
    """Edits that make ``marker`` cite ``mapping[n]`` for each number n it cites (numbers
    not in the mapping stay). Each number is replaced where it is written; a marker with a
    range is rewritten as a whole list."""
    new = tuple(mapping.get(n, n) for n in marker.numbers)
    if new == marker.numbers:
        return []
    raw, base = marker.text.raw, marker.text.start
    runs = [r for lst in _LIST_RE.finditer(raw) for r in _DIGITS_RE.finditer(raw, lst.start(), lst.end())]
    if not runs:
        return []
    if _RANGE_RE.search(raw) or len(runs) != len(marker.numbers) or len(set(new)) != len(new):
        # A range, or two numbers that became one: the list is written anew.
        return [Edit(base + runs[0].start(), base + runs[-1].end(), render(tuple(sorted(set(new)))))]
    return [
        Edit(base + m.start(), base + m.end(), str(mapping.get(int(m.group()), int(m.group()))))
        for m in runs
        if mapping.get(int(m.group()), int(m.group())) != int(m.group())
    ]


def renumber(doc: Document) -> Fix | None:
    """Number the rows 1..N in table order and make every summary marker cite the rows it
    cited before. None when the current numbers do not name one row each (a duplicate
    number is CIT103's to resolve by hand).

    Rows numbered from 0 that the summary cites from 1 come from one generator's
    off-by-one: their markers count rows by position, so the rows are renumbered and the
    markers kept. That reading is a guess, so that fix is unsafe."""
    rows = [r for r in doc.rows if r.numbered_by == "marker" and r.marker is not None and r.number is not None]
    if not rows or len(rows) != len(doc.rows):
        return None
    numbers = [r.number for r in rows]
    if len(set(numbers)) != len(numbers):
        return None
    mapping = {r.number: i for i, r in enumerate(rows, start=1) if r.number is not None}
    cited = {n for m in doc.summary.markers for n in m.numbers} if doc.summary else set()
    positional = min(mapping) == 0 and 0 not in cited and cited <= set(range(1, len(rows) + 1))
    edits: list[Edit] = []
    for r in rows:
        assert r.marker is not None
        edits.extend(marker_edits(r.marker, mapping))
    if not positional and doc.summary is not None:
        for m in doc.summary.markers:
            edits.extend(marker_edits(m, mapping))
    if not edits:
        return None
    if positional:
        return Fix(tuple(edits), "number the rows 1..N, as the summary's markers count them", Applicability.UNSAFE)
    return Fix(tuple(edits), "number the rows 1..N and update the markers that cite them")


def _list_digits(raw: str) -> tuple[int, int] | None:
    """Where a marker's number list is written: from its first digit to its last, inside
    the brackets (not the digits of a tag's attributes)."""
    for lst in _LIST_RE.finditer(raw):
        runs = list(_DIGITS_RE.finditer(raw, lst.start(), lst.end()))
        if runs:
            return runs[0].start(), runs[-1].end()
    return None


def restyle(markers: list[Marker], model: Marker) -> Fix | None:
    """Write ``markers`` the way ``model`` is written (its tags, brackets and words), each
    with its own numbers."""
    where = _list_digits(model.text.raw)
    if where is None:
        return None
    head, tail = model.text.raw[: where[0]], model.text.raw[where[1] :]
    edits = [Edit(m.text.start, m.text.end, head + render(m.numbers) + tail) for m in markers if m.numbers]
    edits = [e for e, m in zip(edits, markers) if e.text != m.text.raw]
    if not edits:
        return None
    return Fix(tuple(edits), f"write {'this marker' if len(edits) == 1 else f'these {len(edits)} markers'} as {head}N{tail}")


def merge_duplicate(doc: Document, keep: int, drop: int) -> Fix | None:
    """Delete row ``drop`` (the index of a row that repeats row ``keep``), make the summary's
    markers cite the kept row instead, and number the rows that follow one lower. Unsafe:
    the two rows may differ in what the summary relied on."""
    rows = list(doc.rows)
    if not (0 <= keep < drop < len(rows)):
        return None
    by_marker = all(r.numbered_by == "marker" and r.marker is not None and r.number is not None for r in rows)
    by_position = all(r.numbered_by == "position" for r in rows)
    numbers = [r.number for r in rows]
    if not (by_marker or by_position) or None in numbers or len(set(numbers)) != len(numbers):
        return None
    kept = [r for i, r in enumerate(rows) if i != drop]
    mapping: dict[int, int] = {}
    # New numbers keep the table's own scheme: rows after the deleted one move up by one
    # when the numbers run 1..N (or 0..N-1); otherwise each keeps its number.
    first = numbers[0]
    assert first is not None
    consecutive = numbers == list(range(first, first + len(numbers)))
    for i, r in enumerate(kept):
        assert r.number is not None
        mapping[r.number] = first + i if consecutive else r.number
    dropped, kept_row = rows[drop], rows[keep]
    assert dropped.number is not None and kept_row.number is not None
    mapping[dropped.number] = mapping[kept_row.number]
    start = doc.lines.starts[dropped.line - 1]
    end = doc.source.find("\n", start)
    end = len(doc.source) if end < 0 else end + 1
    edits = [Edit(start, end, "")]
    if by_marker:
        for r in kept:
            assert r.marker is not None
            edits.extend(marker_edits(r.marker, mapping))
    if doc.summary is not None:
        for m in doc.summary.markers:
            edits.extend(marker_edits(m, mapping))
    return Fix(
        tuple(edits),
        f"delete row [{dropped.number}], cite row [{kept_row.number}] instead and renumber",
        Applicability.UNSAFE,
    )


def without_numbers(marker: Marker, numbers: list[int]) -> Fix:
    """A suggestion (never applied: the row may be what is missing) to drop ``numbers``
    from the marker, or the marker itself when it cites nothing else."""
    left = tuple(n for n in marker.numbers if n not in numbers)
    where = _list_digits(marker.text.raw)
    listed = ", ".join(f"[{n}]" for n in numbers)
    if not left or where is None:
        edit = Edit(marker.text.start, marker.text.end, "")
        return Fix((edit,), "remove the marker, or add the row it cites", Applicability.DISPLAY)
    start, end = marker.text.start + where[0], marker.text.start + where[1]
    return Fix((Edit(start, end, render(left)),), f"drop {listed} from the marker, or add the row", Applicability.DISPLAY)
