"""A quick preview of the findings after an edit inside the claims table, while the whole
report is linted again.

Linting a report of thousands of rows takes far longer than a keystroke, and every rule
reads the whole document, so no part of a run can be reused exactly. But an edit in a row
mostly changes what is found on that row. The preview lints a small report made of the
table's header and the edited rows (before and after the edit), and calibrates itself on
the text before the edit: for each rule, when the small report gives on the old rows what
the last full run gave, the rule's findings on the new rows are taken from the small report;
otherwise (the rule reads other rows or the summary: numbering, duplicates, citations) the
last full run's findings on those rows are kept. Findings elsewhere are the last run's,
moved with the lines. The full run follows and replaces the preview.

A preview finding carries no fix (its offsets would index the small report): quick fixes
always come from a full run.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from citelint import engine, navigation, parser
from citelint.config import Settings
from citelint.finding import Finding, Related
from citelint.model import Span
from citelint.registry import Rule

# Beyond this many edited lines the preview is no quicker than linting everything.
MAX_LINES = 200


class Region(NamedTuple):
    """Lines an edit changed (0-based, end exclusive) in the old and in the new text."""

    start: int
    old_end: int
    new_end: int

    @property
    def delta(self) -> int:
        return self.new_end - self.old_end


def changed(old: Sequence[str], new: Sequence[str]) -> Region | None:
    """The lines that differ between two texts (None when they are the same)."""
    limit = min(len(old), len(new))
    start = 0
    # Whole runs of lines are compared at once (in C), then line by line in the run
    # that differs: a keystroke in a report of thousands of lines is found in a few steps.
    while start + _RUN <= limit and old[start : start + _RUN] == new[start : start + _RUN]:
        start += _RUN
    while start < limit and old[start] == new[start]:
        start += 1
    if start == len(old) == len(new):
        return None
    end = 0
    room = limit - start
    while end + _RUN <= room and old[len(old) - end - _RUN : len(old) - end] == new[len(new) - end - _RUN : len(new) - end]:
        end += _RUN
    while end < room and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    return Region(start, len(old) - end, len(new) - end)


_RUN = 256


def normalized(text: str) -> str:
    """The text as the parser reads it (no byte-order mark, LF line ends)."""
    return (text[1:] if text.startswith("\ufeff") else text).replace("\r\n", "\n")


def _is_row_or_comment(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") or (stripped.startswith("<!--") and stripped.endswith("-->"))


def _shift_span(span: Span, by: int) -> Span:
    return Span(span.line + by, span.col, span.end_line + by, span.end_col)


def _moved(f: Finding, by: int) -> Finding:
    related = tuple(Related(_shift_span(r.span, by), r.message) for r in f.related)
    return replace(f, span=_shift_span(f.span, by), related=related, fix=None)


def preview(
    before: str,
    layout: navigation.TableLayout | None,
    found: Sequence[Finding],
    text: str,
    path: str,
    settings: Settings,
    known: Sequence[Rule],
) -> list[Finding] | None:
    """Findings for ``text`` worked out from the last full run: the text it linted
    (``before``), where its claims table stood (``navigation.table_layout`` of its parse)
    and its findings. None when the edit is not confined to the rows of the table."""
    if layout is None:
        return None
    old_lines = normalized(before).split("\n")
    new_lines = normalized(text).split("\n")
    region = changed(old_lines, new_lines)
    if region is None:
        return list(found)
    # 1-based lines: the edit lies between the first and the last row.
    if region.start + 1 < layout.first_row or region.old_end > layout.last_row:
        return None
    if max(region.old_end - region.start, region.new_end - region.start) > MAX_LINES:
        return None
    new_rows = new_lines[region.start : region.new_end]
    old_rows = old_lines[region.start : region.old_end]
    if not all(_is_row_or_comment(line) for line in new_rows + old_rows):
        return None
    # The small report: title, a summary that cites nothing, the claims heading and table
    # header, the comments just above the edit (a disable-next-line), file-wide disables.
    head = [old_lines[layout.title_line - 1]] if layout.title_line else ["# Preview"]
    head += ["", "## Summary", "Preview.", ""]
    head += [line for line in old_lines if "citelint-disable-file" in line]
    head += ["", old_lines[layout.heading_line - 1], old_lines[layout.header_line - 1], old_lines[layout.header_line]]
    above = region.start
    while above > layout.header_line + 1 and old_lines[above - 1].strip().startswith("<!--"):
        above -= 1
    head += old_lines[above : region.start]
    first = len(head) + 1  # the small report's line of the first edited row

    rules = settings.rules_for(path)

    def lint(rows: list[str]) -> list[Finding]:
        small = parser.parse("\n".join(head + rows) + "\n", path)
        return engine.check_document(small, rules, settings.options, settings.severity, known)

    def on_rows(findings: Sequence[Finding], lo: int, hi: int) -> dict[str, list[Finding]]:
        by_code: dict[str, list[Finding]] = {}
        for f in findings:
            if lo <= f.span.line < hi:
                by_code.setdefault(f.code, []).append(f)
        return by_code

    def key(fs: Sequence[Finding], base: int) -> set[tuple[int, int, int, int, str]]:
        return {(f.span.line - base, f.span.col, f.span.end_line - base, f.span.end_col, f.message) for f in fs}

    old_small = on_rows(lint(old_rows), first, first + len(old_rows))
    new_small = on_rows(lint(new_rows), first, first + len(new_rows))
    old_full = on_rows(found, region.start + 1, region.old_end + 1)
    result: list[Finding] = []
    for f in found:
        if f.span.line <= region.start:
            result.append(f)
        elif f.span.line > region.old_end:
            result.append(_moved(f, region.delta) if region.delta else f)
    for code in set(old_small) | set(new_small) | set(old_full):
        if key(old_small.get(code, ()), first) == key(old_full.get(code, ()), region.start + 1):
            by = region.start + 1 - first
            for f in new_small.get(code, ()):
                related = tuple(r for r in f.related if first <= r.span.line < first + len(new_rows))
                result.append(replace(_moved(f, by), related=tuple(Related(_shift_span(r.span, by), r.message) for r in related)))
        elif region.delta == 0:
            result.extend(old_full.get(code, ()))
    result.sort(key=Finding.sort_key)
    return result
