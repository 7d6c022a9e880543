"""Structure rules: does the file have the parts of a report, and is each row whole?"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from citelint import units
from citelint.finding import Hit
from citelint.model import ClaimRow, Document, Span
from citelint.context import RuleContext
from citelint.registry import Option, rule

EXPECTED_HEADER = "'Claim Sentence | Context' or 'Claim Sentence | Source | Context'"


def _line_span(doc: Document, line: int) -> Span:
    start = doc.lines.starts[line - 1]
    end = doc.source.find("\n", start)
    return doc.span(start, len(doc.source) if end < 0 else end)


@rule(
    "CIT001",
    "missing-section",
    "error",
    "The report lacks its Summary or Claims section, or its claims table is missing or has an unknown header.",
)
def missing_section(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    if doc.unread is not None:
        return  # the part may be in the text that was not read (CIT004)
    # One finding, where the fix goes; rules that need the missing part stay silent.
    problems: list[tuple[Span, str]] = []
    top = doc.title.span if doc.title else _line_span(doc, 1)
    if doc.summary is None:
        problems.append((top, "no '## Summary' section"))
    elif doc.summary.text is None:
        problems.append((doc.summary.section.heading, "the Summary section is empty"))
    if doc.claims is None:
        section = next((s for s in doc.sections if "claim" in s.title.lower()), None)
        if section is None:
            # Where the section belongs: after the summary.
            after = doc.summary.text.span.end_line if doc.summary and doc.summary.text else None
            problems.append((_line_span(doc, after) if after else top, "no '## Claims' section"))
        else:
            problems.append((section.heading, "the Claims section has no table"))
    elif not doc.claims.usable:
        header = " | ".join(doc.claims.header)
        span = doc.claims.header_span or doc.claims.section.heading
        problems.append((span, f"claims table header '{header}' is not {EXPECTED_HEADER}"))
    if problems:
        span = min((s for s, _ in problems), key=lambda s: (s.line, s.col))
        yield Hit(span, "; ".join(m for _, m in problems))


@rule(
    "CIT002",
    "malformed-claim-row",
    "error",
    "A claim row has the wrong number of cells, an empty claim or context, or no source link.",
)
def malformed_claim_row(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    by_line: dict[int, list[str]] = {}
    spans: dict[int, Span] = {}
    for span, message in doc.problems:
        by_line.setdefault(span.line, []).append(message)
        spans[span.line] = span

    def check(item: tuple[ClaimRow, tuple[str, ...]]) -> Iterator[Hit]:
        row, problems = item
        found = list(problems)
        if not row.claim.visible.strip():  # "<b></b>" is no claim
            found.append("the claim sentence is empty")
        if row.context is None or not row.context.visible.strip():
            found.append("the context is empty")
        if row.url is None:
            found.append("no source link")
        if found:
            label = f"row [{row.number}]" if row.number is not None else "row"
            yield Hit(row.span, f"{label}: " + "; ".join(found))

    # Each row a unit, with the parser's problems on its line.
    if not by_line:  # (most documents: the shared row units as they are, none built per row)
        yield from ctx.each(ctx.cached(units.rows), lambda row: check((row, ())))
        return
    rows = []
    for key, anchor, row in ctx.cached(units.rows):
        problems = tuple(by_line.pop(row.line, ()))
        rows.append(((key, problems), anchor, (row, problems)))
    yield from ctx.each(rows, check)
    if doc.claims is not None and doc.claims.usable:
        for line, messages in sorted(by_line.items()):  # lines that are not rows at all
            yield Hit(spans[line], "; ".join(messages))


# What each cut leaves unchecked, for the message (the rules that stay silent for it).
_OFF = {
    "file": "rules that need the whole file (missing sections, rows or sources never cited, citations of missing sources) are off for it",
    "summary": "CIT102 (rows never cited) is off for this file",
    "claims": "CIT101 (markers citing a missing row) is off for this file",
}


@rule(
    "CIT004",
    "unread-text",
    "warning",
    "Part of the file is past a size bound of the reader and was not read or checked.",
    formats=("*",),
)
def unread_text(ctx: RuleContext) -> Iterator[Hit]:
    for unread in ctx.doc.all_unread:
        yield Hit(unread.span, f"{unread.why}: nothing from here on was read or checked, and {_OFF[unread.part]}")
