"""Claim rules: is each claim sentence what its source says?"""
from __future__ import annotations

import operator
from collections.abc import Iterator, Mapping
from typing import Any

from citelint.alignment import MAX_ALIGNED, UNRELATED_SCORE, align
from citelint.finding import Hit, Related
from citelint.model import ClaimRow, Document
from citelint import memo, repairs, units
from citelint.context import RuleContext
from citelint.registry import Option, rule
from citelint.textnorm import normalize, normalize_with_map

# Quotes and closing punctuation a quotation may gain or lose at its ends.
_EDGE = " \"'.,;:!?"


def _label(row: ClaimRow) -> str:
    return f"claim [{row.number}]" if row.number is not None else "claim"


@rule(
    "CIT301",
    "claim-not-in-context",
    "error",
    "A claim sentence does not occur in its context passage.",
)
def claim_not_in_context(ctx: RuleContext) -> Iterator[Hit]:
    # A row's finding depends on the row alone.
    doc = ctx.doc
    return ctx.each(ctx.cached(units.rows), lambda row: _check_row(doc, row))


def _check_row(doc: Document, row: ClaimRow) -> Iterator[Hit]:
    if row.context is None or not row.claim.raw.strip() or not row.context.raw.strip():
        return  # an empty cell is a malformed row, reported by its own rule
    claim = normalize(row.claim.raw).strip(_EDGE)
    context = normalize(row.context.raw)
    if not claim or claim in context:
        return
    found = align(claim, context)
    ctx_norm, index = normalize_with_map(row.context.raw)
    raw_start, raw_end = index[found.start], index[min(found.end, len(ctx_norm))]
    passage = doc.text(row.context.start + raw_start, row.context.start + raw_end)
    if not found.aligned:
        message = (
            f"{_label(row)} does not occur in its context (not aligned word by word: the claim has "
            f"{len(claim):,} characters, over the {MAX_ALIGNED:,} that are; {found.score:.0f}% of its "
            "three-word sequences occur in the context)"
        )
    elif found.score < UNRELATED_SCORE or not found.differences:
        message = (
            f"{_label(row)} does not occur in its context "
            f"(the closest passage matches {found.score:.0f}%)"
        )
    else:
        message = f"{_label(row)} differs from its context: " + "; ".join(found.differences)
    yield Hit(row.claim.span, message, (Related(passage.span, "closest passage in the context"),))


def claim_key(row: ClaimRow) -> str:
    """The comparison form of a claim sentence (CIT301's normalisation)."""
    return _claim_key(row.claim.raw)


@memo.pure  # a server re-linting a report normalises each claim once
def _claim_key(raw: str) -> str:
    return normalize(raw).strip(_EDGE)


def claim_keys(doc: Document) -> list[str]:
    """``claim_key`` of each of ``doc.rows``, in order: read through ``ctx.cached`` by the
    rules that compare claims (CIT202, and CIT201 for its merge), normalised in one call."""
    return memo.each(_claim_key, list(map(_RAW, map(_CLAIM, doc.rows))))  # (read in C: thousands of rows)


_CLAIM, _RAW = operator.attrgetter("claim"), operator.attrgetter("raw")


@rule("CIT202", "duplicate-claim", "warning", "The same claim sentence appears under two row numbers.", fix="unsafe")
def duplicate_claim(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    # (the claims normalized in one call, shared with CIT201: a server's memo of them is looked up once)
    keys = ctx.cached(claim_keys)
    # Most tables repeat no claim: counted in C, before any row is looked at.
    distinct = set(keys)
    distinct.discard("")
    if len(distinct) == len(keys) - keys.count(""):
        return
    first: dict[str, ClaimRow] = {}
    # One fix merges every repeat in the table and renumbers (its edits grow with the
    # table): it goes on the first finding, so that n repeats carry it once, not n times.
    # Merging re-points every marker: not when some were not read (CIT004).
    fix = ctx.cached(repairs.merge_duplicates) if doc.read_whole("file") else None
    for row, key in zip(doc.rows, keys):
        if not key:
            continue
        earlier = first.setdefault(key, row)
        if earlier is not row:
            yield Hit(
                row.claim.span,
                f"{_label(row)} repeats {_label(earlier)} (line {earlier.line}) word for word",
                (Related(earlier.claim.span, f"first as {_label(earlier)}"),),
                fix,
            )
            fix = None
