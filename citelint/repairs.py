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


def number_lists(marker: Marker) -> list[str]:
    """The bracketed number lists a marker holds (several for markers side by side)."""
    return _LIST_RE.findall(marker.text.raw)


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
    if where is None or len(_LIST_RE.findall(model.text.raw)) != 1:
        return None  # markers side by side are no model of one marker's spelling
    head, tail = model.text.raw[: where[0]], model.text.raw[where[1] :]
    edits = [Edit(m.text.start, m.text.end, head + render(m.numbers) + tail) for m in markers if m.numbers]
    edits = [e for e, m in zip(edits, markers) if e.text != m.text.raw]
    if not edits:
        return None
    return Fix(tuple(edits), f"write {'this marker' if len(edits) == 1 else f'these {len(edits)} markers'} as {head}N{tail}")


def merge_duplicates(doc: Document) -> Fix | None:
    """Delete every row that repeats an earlier row's claim word for word, make the
    summary's markers cite the earlier row instead, and renumber the rows that stay. One
    fix for the whole table (every duplicate finding carries it), so that its cost is paid
    once per document. Unsafe: the rows may differ in what the summary relied on."""
    from citelint.checks.claims import claim_keys

    rows = list(doc.rows)
    by_marker = all(r.numbered_by == "marker" and r.marker is not None and r.number is not None for r in rows)
    by_position = all(r.numbered_by == "position" for r in rows)
    numbers = [r.number for r in rows]
    if not rows or not (by_marker or by_position) or None in numbers or len(set(numbers)) != len(numbers):
        return None
    first_of: dict[str, int] = {}
    keep_for: dict[int, int] = {}  # index of a dropped row -> index of the row it repeats
    # (normalised in one call: a server's memo of the claims is looked up from C, not
    # through the memo's Python wrapper once per row)
    for i, key in enumerate(claim_keys(doc)):
        if key:
            earlier = first_of.setdefault(key, i)
            if earlier != i:
                keep_for[i] = earlier
    if not keep_for:
        return None
    first = numbers[0]
    assert first is not None
    # Rows numbered 1..N (or 0..N-1) stay consecutive; other numbering keeps each number.
    consecutive = numbers == list(range(first, first + len(numbers)))
    mapping: dict[int, int] = {}
    position = first
    for i, r in enumerate(rows):
        assert r.number is not None
        if i not in keep_for:
            mapping[r.number] = position if consecutive else r.number
            position += 1
    for i, kept in keep_for.items():
        dropped, original = rows[i].number, rows[kept].number
        assert dropped is not None and original is not None
        mapping[dropped] = mapping[original]
    edits: list[Edit] = []
    for i, r in enumerate(rows):
        if i in keep_for:
            start = doc.lines.starts[r.line - 1]
            end = doc.source.find("\n", start)
            edits.append(Edit(start, len(doc.source) if end < 0 else end + 1, ""))
        elif by_marker:
            assert r.marker is not None
            edits.extend(marker_edits(r.marker, mapping))
    if doc.summary is not None:
        for m in doc.summary.markers:
            edits.extend(marker_edits(m, mapping))
    gone = ", ".join(f"[{rows[i].number}]" for i in sorted(keep_for))
    return Fix(
        tuple(edits),
        f"delete the repeated row{'s' if len(keep_for) > 1 else ''} {gone}, cite the first instead and renumber",
        Applicability.UNSAFE,
    )


def without_numbers(marker: Marker, numbers: list[int]) -> Fix:
    """A suggestion (never applied: the row may be what is missing) to drop ``numbers``
    from the marker, or the marker itself when it cites nothing else."""
    missing = set(numbers)
    left = tuple(n for n in marker.numbers if n not in missing)
    where = _list_digits(marker.text.raw) if len(_LIST_RE.findall(marker.text.raw)) == 1 else None
    listed = ", ".join(f"[{n}]" for n in numbers)
    if not left:
        edit = Edit(marker.text.start, marker.text.end, "")
        return Fix((edit,), "remove the marker, or add the row it cites", Applicability.DISPLAY)
    if where is None:  # markers side by side: suggest one list of what is left
        edit = Edit(marker.text.start, marker.text.end, f"[{render(left)}]")
        return Fix((edit,), f"drop {listed} from the markers, or add the row", Applicability.DISPLAY)
    start, end = marker.text.start + where[0], marker.text.start + where[1]
    return Fix((Edit(start, end, render(left)),), f"drop {listed} from the marker, or add the row", Applicability.DISPLAY)
