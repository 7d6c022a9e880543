"""Source rules: is each claim row's source distinct and usable?"""
from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator, Mapping
from typing import Any

from urllib.parse import urlsplit

from citelint.finding import Hit, Related
from citelint.model import ClaimRow, Document, Span
from citelint import memo, repairs
from citelint.checks.claims import claim_keys
from citelint.context import RuleContext
from citelint.registry import Option, rule
from citelint.urls import normalize_url


_URL = operator.attrgetter("url")


def _where(row: ClaimRow) -> str:
    return f"row [{row.number}]" if row.number is not None else f"the row on line {row.line}"


@rule("CIT201", "duplicate-source", "warning", "Two claim rows cite the same source URL.", fix="unsafe")
def duplicate_source(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.doc
    rows = doc.rows
    # CIT202's table-wide merge, on the first finding it applies to (see CIT202); the
    # claims it compares are normalized once, with CIT202's.
    merge = doc.read_whole("file")
    claims = ctx.cached(claim_keys) if merge else None
    urls = list(map(_URL, rows))  # (in C: thousands of rows)
    with_url = list(itertools.compress(itertools.count(), urls))
    # (normalized in one call: a server's memo of them is looked up once for the loop)
    keys = memo.each(normalize_url, list(filter(None, urls)))
    # The rows that repeat a source and the first row citing it, paired in C: per
    # normalized URL the index of its first row (the last one written, going backwards).
    first = dict(zip(reversed(keys), reversed(with_url)))
    firsts = list(map(first.__getitem__, keys))
    pairs = list(itertools.compress(zip(with_url, firsts), map(operator.ne, with_url, firsts)))
    repeats = list(map(rows.__getitem__, map(_FIRST, pairs)))
    earliers = list(map(rows.__getitem__, map(_SECOND, pairs)))
    # A server's last run's findings. A finding is made of its row and the row it repeats
    # (their places, URL, numbers, line): when both are the very objects of the last run
    # (rows an edit did not reach), it is the same, found in C. Otherwise by where it
    # stands: a row that repeats a source as it did gives the same finding, and thousands
    # of rows may repeat a source. The places are compared by identity (the incremental
    # parse keeps a Span an edit did not move, even when the row's offsets moved), and
    # held with the finding, so an id is not reused while it is a key.
    session = memo.active()
    kept: list[dict[int, Any]] | None = None if session is None else session.kept("CIT201", _last)
    by_row: dict[int, tuple[ClaimRow, ClaimRow, _Made]] = kept[0] if kept is not None else {}
    by_span: dict[int, _Made] = kept[1] if kept is not None else {}
    had = list(map(by_row.get, map(id, repeats), itertools.repeat(_NOT_KEPT)))
    same = map(operator.and_, map(operator.is_, map(_FIRST, had), repeats), map(operator.is_, map(_SECOND, had), earliers))
    made: list[_Made] = list(map(_THIRD, had))
    for k in itertools.compress(itertools.count(), map(operator.not_, same)):
        row, earlier = repeats[k], earliers[k]
        span = row.url_text.span if row.url_text else row.span
        related_span = earlier.url_text.span if earlier.url_text else earlier.span
        was = by_span.get(id(span))
        if (
            was is not None
            and was[0] is span
            and was[1] is related_span
            and was[2] == row.url
            and was[3] == row.number
            and was[4] == earlier.number
            and was[5] == earlier.line
        ):
            hit = was[6]
        else:
            hit = Hit(
                span,
                f"{_where(row)} cites the same source as {_where(earlier)} (line {earlier.line}): {row.url}",
                (Related(related_span, f"first cited by {_where(earlier)}"),),
            )
        made[k] = (span, related_span, row.url, row.number, earlier.number, earlier.line, hit)
    if kept is not None:  # (a one-file run keeps nothing)
        kept[0] = dict(zip(map(id, repeats), zip(repeats, earliers, made)))
        kept[1] = dict(zip(map(id, map(_FIRST, made)), made))
    hits: list[Hit] = list(map(_HIT, made))
    # Only a row that repeats the claim too is merged: two claims from one source are two
    # citations, not a duplicate to delete. The first such finding carries the merge, if
    # there is one (found in C).
    if claims is not None:
        at = next(
            itertools.compress(
                itertools.count(), map(operator.eq, map(claims.__getitem__, map(_FIRST, pairs)), map(claims.__getitem__, map(_SECOND, pairs)))
            ),
            None,
        )
        if at is not None:
            fix = ctx.cached(repairs.merge_duplicates)
            if fix is not None:
                hit = hits[at]
                hits[at] = Hit(hit.span, hit.message, hit.related, fix)
    return iter(hits)


# What a finding of CIT201 is made of (its hit without a fix): where it stands and where
# the row it repeats stands, the URL, the numbers of the two rows and the line of the first.
_Made = tuple[Span, Span, str | None, int | None, int | None, int, Hit]
_FIRST, _SECOND, _THIRD = operator.itemgetter(0), operator.itemgetter(1), operator.itemgetter(2)
_HIT = operator.itemgetter(6)
_NOT_KEPT = (None, None, None)


def _last() -> list[dict[int, Any]]:
    # (per row of the last run, its row, first row and finding; per place, the finding)
    return [{}, {}]


_BAD_SCHEMES = ("javascript", "data", "file", "vbscript", "about", "blob")


@memo.pure
def url_problem(url: str) -> str | None:
    """Why ``url`` is not a usable source, or None."""
    if not url.strip():
        return "the source link is empty"
    if len(url.split()) != 1 or url != url.strip():
        return f"the source URL contains spaces: '{url}'"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return f"the source URL cannot be parsed: '{url}'"
    scheme = parts.scheme.lower()
    if scheme in _BAD_SCHEMES:
        return f"the source URL uses the '{scheme}:' scheme; a source must be an http(s) URL"
    if not scheme:
        return f"the source URL is relative ('{url}'); use an absolute http(s) URL"
    if scheme not in ("http", "https"):
        return f"the source URL is not http(s) ('{scheme}:')"
    if not parts.hostname or "." not in parts.hostname and parts.hostname != "localhost":
        return f"the source URL has no valid host: '{url}'"
    return None


@rule("CIT203", "invalid-source-url", "error", "A source is not an absolute http(s) URL.")
def invalid_source_url(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    # (no link at all is a malformed row: CIT002's)
    with_url = [row for row in doc.rows if row.url is not None]
    for row, problem in zip(with_url, memo.each(url_problem, [row.url for row in with_url if row.url is not None])):
        if problem:
            yield Hit(row.url_text.span if row.url_text else row.span, f"{_where(row)}: {problem}")
