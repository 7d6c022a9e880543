"""Source rules: is each claim row's source distinct and usable?"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from citelint.finding import Hit, Related
from citelint.model import ClaimRow, Document
from citelint.registry import rule
from citelint.urls import normalize_url


def _where(row: ClaimRow) -> str:
    return f"row [{row.number}]" if row.number is not None else f"the row on line {row.line}"


@rule("CIT201", "duplicate-source", "warning", "Two claim rows cite the same source URL.")
def duplicate_source(doc: Document, options: Mapping[str, Any]) -> Iterator[Hit]:
    first: dict[str, ClaimRow] = {}
    for row in doc.rows:
        if not row.url:
            continue
        key = normalize_url(row.url)
        earlier = first.setdefault(key, row)
        if earlier is row:
            continue
        span = row.url_text.span if row.url_text else row.span
        related_span = earlier.url_text.span if earlier.url_text else earlier.span
        yield Hit(
            span,
            f"{_where(row)} cites the same source as {_where(earlier)} (line {earlier.line}): {row.url}",
            (Related(related_span, f"first cited by {_where(earlier)}"),),
        )
