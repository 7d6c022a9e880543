"""Citation rules: do the summary's markers and the claim rows fit together?"""
from __future__ import annotations

import itertools
import operator
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

from citelint import markers, memo
from citelint.finding import Fix, Hit, Related
from citelint.model import ClaimRow, Document, Span
from citelint import repairs
from citelint.context import RuleContext
from citelint.registry import Option, rule


_NUMBERS = operator.attrgetter("numbers")


_MARKER, _READABLE = operator.attrgetter("marker"), operator.attrgetter("readable")
_NUMBER, _NUMBERED_BY = operator.attrgetter("number"), operator.attrgetter("numbered_by")
_STYLE = operator.attrgetter("style")


def unreadable_row_number(doc: Document) -> bool:
    """Whether a row's marker cannot be read (CIT002): read in C, once per document (two
    rules ask, thousands of rows)."""
    return not all(map(_READABLE, filter(None, map(_MARKER, doc.rows))))


@rule(
    "CIT101", "dangling-marker", "error", "A summary marker cites a row number that has no claim row.", fix="display"
)
def dangling_marker(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    if not doc.cited_and_citable or doc.summary is None or not doc.read_whole("claims"):
        return  # a row not read (CIT004) may be the one cited
    if ctx.cached(unreadable_row_number):
        return  # a row whose number cannot be read (CIT002) may be the one cited
    rows = doc.rows_by_number()
    readable = doc.summary.readable
    # (thousands of markers, mostly citing rows that exist: the numbers gathered once per
    # summary, in C)
    absent = doc.summary.cited.difference(rows)
    if not absent:
        return
    have = ""  # (worked out for a finding only: it sorts every row's number)
    # (the markers citing an absent row found in C: thousands of markers, a few of them)
    for marker in itertools.compress(readable, map(operator.not_, map(absent.isdisjoint, map(_NUMBERS, readable)))):
        missing = [n for n in marker.numbers if n not in rows]
        if missing:
            if not have:
                numbers = sorted(rows)
                have = f"rows are {numbers[0]}..{numbers[-1]}" if numbers else "the claims table has no rows"
            listed = ", ".join(f"[{n}]" for n in missing)
            noun = "rows" if len(missing) > 1 else "row"
            yield Hit(
                marker.text.span,
                f"marker cites {noun} {listed}, which the claims table lacks ({have})",
                fix=repairs.without_numbers(marker, missing),
            )


@rule("CIT102", "uncited-claim", "warning", "A claim row that the summary never cites.")
def uncited_claim(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    if not doc.cited_and_citable or doc.summary is None or not doc.summary.readable or not doc.read_whole("summary"):
        # A summary with no markers at all is one CIT105 finding, not one per row; one
        # whose markers cannot be read (CIT003), or that was not read to its end (CIT004),
        # may cite any row.
        return
    cited = set(doc.summary.cited)
    for m in doc.summary.unreadable:
        # Rows an unreadable marker may cite are not "never cited"; one with no number in
        # it may cite any row.
        maybe = _digits(m.text.visible)
        if not maybe or _other_words(m.text.visible):
            return  # "(Contexts 2 and three)": "three" may be any row
        cited.update(maybe)
    for row in doc.rows:
        if row.number is not None and row.number not in cited:
            span = row.marker.text.span if row.marker else row.claim.span
            yield Hit(span, f"claim [{row.number}] is never cited in the summary")


def _digits(text: str) -> set[int]:
    return {int(d) for d in re.findall(r"\d{1,5}", text)}


def _other_words(text: str) -> bool:
    """Whether a marker's text has words besides "Context"-like ones and "and"."""
    return any(
        w.lower().rstrip("s") not in markers.CITE_WORDS and w.lower() != "and"
        for w in re.findall(r"[A-Za-z]{2,}", text)
    )


@rule("CIT103", "duplicate-row-number", "error", "Two claim rows have the same number.")
def duplicate_row_number(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    # The numbers several rows have, found in C from the shared index (thousands of rows,
    # a few repeated); then, in row order, each row after the first of its number that
    # carries its own marker.
    index = doc.rows_by_number()
    shared = itertools.compress(index.values(), map(operator.lt, itertools.repeat(1), map(len, index.values())))
    again: list[tuple[ClaimRow, ClaimRow]] = []
    for rows in shared:
        marked = [r for r in rows if r.numbered_by == "marker" and r.marker is not None]
        again.extend((row, marked[0]) for row in marked[1:])
    again.sort(key=lambda pair: pair[0].line)
    for row, earlier in again:
        assert row.marker is not None
        yield Hit(
            row.marker.text.span,
            f"row number [{row.number}] is used again (first on line {earlier.line})",
            (Related(earlier.span, f"first row [{row.number}]"),),
        )


def _ranges(numbers: list[int]) -> str:
    return f"{numbers[0]}..{numbers[-1]}" if numbers == list(range(numbers[0], numbers[-1] + 1)) else ", ".join(map(str, numbers))


@rule(
    "CIT104",
    "row-numbering",
    "warning",
    "Claim rows are not numbered 1..N in order (gaps, zero-based numbering, out of order).",
    fix="sometimes",
)
def row_numbering(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    # The rows numbered by their own marker. Most tables number every row so: then the
    # rows and their numbers are taken as they are, checked in C (thousands of rows).
    rows: Sequence[ClaimRow] = doc.rows
    numbers = cast("list[int]", list(map(_NUMBER, rows)))
    # (a marker is never false: ``all`` asks no Marker.__eq__)
    if None in numbers or not all(map(_MARKER, rows)) or list(map(_NUMBERED_BY, rows)).count("marker") != len(rows):
        rows = [r for r in doc.rows if r.numbered_by == "marker" and r.number is not None and r.marker]
        numbers = [r.number for r in rows if r.number is not None]
    if not rows or ctx.cached(unreadable_row_number):
        return  # a row whose number cannot be read (CIT002) would show as a gap
    unique = sorted(set(numbers))
    # In a server session, the last run's lists of numbers (an edit of a row's words
    # changes none of them): (numbers, as listed), (the summary's cited numbers, as listed).
    session = memo.active()
    kept: dict[str, tuple[object, str]] = {} if session is None else session.kept("CIT104", dict)

    # What a finding says, worked out for a finding only (it lists every row and marker).
    def cites() -> str:
        cited_numbers = doc.summary.cited if doc.summary else frozenset()
        last = kept.get("cites")
        if last is None or last[0] is not cited_numbers:  # (held there: the id is not reused)
            cited = sorted(cited_numbers)
            last = kept["cites"] = (cited_numbers, f"; markers cite {_ranges(cited)}" if cited else "")
        return last[1]

    def listed() -> str:
        last = kept.get("listed")
        if last is None or last[0] != numbers:
            last = kept["listed"] = (numbers, ", ".join(map(str, numbers)))
        return last[1]

    def at(row: ClaimRow) -> Span:
        return row.marker.text.span if row.marker else row.span

    # The renumbering fix is worked out only for a finding (it reads every marker and row),
    # and not when some markers were not read (CIT004): it rewrites every one.
    whole = doc.read_whole("file")

    def renumbered() -> Fix | None:
        return ctx.cached(repairs.renumber) if whole else None

    if unique == list(range(len(unique))):
        yield Hit(at(rows[0]), f"rows are numbered from 0 ({_ranges(unique)}){cites()}", fix=renumbered())
    elif unique != list(range(1, len(unique) + 1)):
        missing = sorted(set(range(unique[0], unique[-1] + 1)) - set(unique))
        odd = next((r for i, r in enumerate(rows) if r.number != i + 1), rows[0])
        fix = renumbered()
        if missing:
            yield Hit(at(odd), f"row numbers skip {', '.join(map(str, missing))} (rows are {listed()}){cites()}", fix=fix)
        else:
            yield Hit(at(odd), f"rows are numbered {listed()}, not from 1{cites()}", fix=fix)
    elif not all(map(operator.le, numbers, numbers[1:])):  # (in C: thousands of rows, mostly in order)
        # (the first row numbered below the row before it, found in C)
        late = next(itertools.compress(itertools.count(1), map(operator.lt, numbers[1:], numbers)), None)
        if late is not None:
            yield Hit(at(rows[late]), f"rows are out of order: {listed()}", fix=renumbered())


# Summaries that answer nothing: one finding for the whole summary, not one per sentence.
_REFUSAL_RE = re.compile(
    r"^\s*(?:there (?:is|are|was|were) no (?:\w+ )?(?:information|data|evidence|details|mention|reports?)"
    r"|(?:i|we) (?:could not|couldn't|cannot|can't|was unable to|am unable to|did not|didn't) find"
    r"|no (?:information|data|evidence|details) (?:is|are|was|were)?\s*(?:available|found|provided)"
    r"|(?:the )?(?:provided |given )?(?:sources?|claims?|context|texts?) (?:do(?:es)? not|did not) (?:provide|mention|contain|say)"
    r"|i'?m sorry|sorry,)",
    re.IGNORECASE,
)
_MIN_WORDS = 3


def is_refusal(text: str) -> bool:
    return bool(_REFUSAL_RE.match(text))


@rule(
    "CIT105",
    "uncited-sentence",
    "warning",
    "A summary sentence has no citation marker (a refusal summary is one finding).",
)
def uncited_sentence(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    summary = doc.summary
    if summary is None or summary.text is None or not summary.sentences:
        return
    if not summary.markers and doc.read_whole("summary"):  # the rest may cite (CIT004)
        first = " ".join(summary.sentences[0].text.visible.split())
        if is_refusal(first):
            quote = first if len(first) <= 70 else first[:67] + "..."
            yield Hit(summary.sentences[0].text.span, f"the summary is a refusal, not an answer ('{quote}')")
        else:
            n = len(summary.sentences)
            yield Hit(summary.text.span, f"the summary cites no claims ({n} sentence{'s' if n != 1 else ''} without a marker)")
        return
    for sentence in summary.sentences:
        if sentence.clauses:  # cited (most sentences: their visible text is not needed)
            continue
        seen = sentence.text.visible  # words as a reader sees them, not tags
        if len(seen.split()) < _MIN_WORDS:
            continue
        if is_refusal(seen):
            continue  # "There is no information about X." beside cited sentences says so honestly
        yield Hit(sentence.text.span, "summary sentence has no citation marker")


@rule(
    "CIT106",
    "inconsistent-marker-style",
    "info",
    "The summary's markers are written in more than one style.",
    fix="safe",
)
def inconsistent_marker_style(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    # The summary's markers: a row's own number is a table label, written by the table's
    # generator, and a different style there is no inconsistency a reader trips over.
    found = list(doc.summary.readable) if doc.summary else []
    counts = Counter(map(_STYLE, found))  # (counted in C: thousands of markers)
    if len(counts) < 2:
        return
    # The most common style is the document's; the first marker of every other style is
    # reported, once per style.
    main = max(counts, key=lambda s: (counts[s], -min(i for i, m in enumerate(found) if m.style == s)))
    reported = set()
    # The model spelling: a marker of the main style with one number list.
    model = next((m for m in found if m.style == main and len(repairs.number_lists(m)) == 1), None)
    for m in found:
        if m.style != main and m.style not in reported:
            reported.add(m.style)
            yield Hit(
                m.text.span,
                f"marker '{m.text.raw}' is written as {markers.example(m.style)}; "
                f"{counts[main]} other marker{'s' if counts[main] != 1 else ''} use {markers.example(main)}",
                fix=repairs.restyle([o for o in found if o.style == m.style], model) if model else None,
            )


@rule(
    "CIT003",
    "unreadable-marker",
    "warning",
    "Summary text looks like a citation marker but cannot be read as one.",
)
def unreadable_marker(ctx: RuleContext) -> Iterator[Hit]:
    # The reader says what it could not read instead of guessing: the rows it might cite
    # are not "never cited" (CIT102), its sentence is not "uncited" (CIT105) and its clause
    # is not judged (CIT302, CIT303).
    summary = ctx.doc.summary
    if summary is None:
        return
    for m in summary.unreadable:
        seen = " ".join(m.text.raw.split())
        seen = seen if len(seen) <= 60 else seen[:57] + "..."
        yield Hit(
            m.text.span,
            f"'{seen}' looks like a citation marker but cannot be read as one "
            "(write the row numbers in brackets: [1], [1, 2], [1-3])",
        )
