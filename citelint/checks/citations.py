"""Citation rules: do the summary's markers and the claim rows fit together?"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from citelint.finding import Hit, Related
from citelint.model import Document
from citelint.registry import rule


@rule("CIT101", "dangling-marker", "error", "A summary marker cites a row number that has no claim row.")
def dangling_marker(doc: Document, options: Mapping[str, Any]) -> Iterator[Hit]:
    if doc.summary is None or doc.claims is None:
        return
    rows = doc.rows_by_number()
    numbers = sorted(rows)
    have = f"rows are {numbers[0]}..{numbers[-1]}" if numbers else "the claims table has no rows"
    for marker in doc.summary.markers:
        missing = [n for n in marker.numbers if n not in rows]
        if missing:
            listed = ", ".join(f"[{n}]" for n in missing)
            noun = "rows" if len(missing) > 1 else "row"
            yield Hit(marker.text.span, f"marker cites {noun} {listed}, which the claims table lacks ({have})")
