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
    session = memo.active()
    kept: list[Any] | None = None if session is None else session.kept("CIT201", _last)
    found = _followed(kept, rows, urls) if kept is not None else None
    if found is None:
        found = _found(rows, urls, kept)
    pairs, hits = found
    # Only a row that repeats the claim too is merged: two claims from one source are two
    # citations, not a duplicate to delete. The first such finding carries the merge, if
    # there is one.
    if claims is not None:
        for k, (i, j) in enumerate(pairs):
            if claims[i] == claims[j]:
                fix = ctx.cached(repairs.merge_duplicates)
                if fix is not None:
                    hit = hits[k]
                    hits = [*hits[:k], Hit(hit.span, hit.message, hit.related, fix), *hits[k + 1 :]]
                break
    return iter(hits)


def _hit(row: ClaimRow, earlier: ClaimRow, span: Span, related_span: Span) -> Hit:
    """The finding of ``row`` repeating ``earlier``'s source. Hit and Related built from
    their __dict__, without the frozen dataclasses' __init__ (a row added above thousands
    of repeating rows moves them all), as the engine builds findings."""
    where = _where(earlier)
    related = _new(Related)
    _set(related, "__dict__", {"span": related_span, "message": f"first cited by {where}"})
    hit = _new(Hit)
    _set(
        hit,
        "__dict__",
        {
            "span": span,
            "message": f"{_where(row)} cites the same source as {where} (line {earlier.line}): {row.url}",
            "related": (related,),
            "fix": None,
        },
    )
    return hit


_new, _set = object.__new__, object.__setattr__
assert tuple(Hit.__dataclass_fields__) == ("span", "message", "related", "fix")
assert tuple(Related.__dataclass_fields__) == ("span", "message")


def _found(rows: tuple[ClaimRow, ...], urls: list[str | None], kept: list[Any] | None) -> tuple[list[tuple[int, int]], list[Hit]]:
    """The rows that repeat a source, each with the first row citing it (indices), and
    their findings (without the merge)."""
    first: dict[str, int] = {}  # per normalized URL, the index of the first row citing it
    with_url = list(itertools.compress(itertools.count(), urls))
    # A server's last run's findings, by where each stands: a row that repeats a source as
    # it did gives the same finding, and thousands of rows may repeat a source. The places
    # are compared by identity (the incremental parse keeps a Span an edit did not move,
    # even when the row's offsets moved), and held with the finding, so an id is not
    # reused while it is a key.
    last: dict[int, _Made] = kept[0] if kept is not None else {}
    made: dict[int, _Made] = {}
    pairs: list[tuple[int, int]] = []
    entries: list[_Made] = []
    # (normalized in one call: a server's memo of them is looked up once for the loop)
    for i, key in zip(with_url, memo.each(normalize_url, list(filter(None, urls)))):
        j = first.setdefault(key, i)
        if j == i:
            continue
        row, earlier = rows[i], rows[j]
        span = _place(row)
        entry = _made_of(row, earlier, span, last.get(id(span)))
        made[id(span)] = entry
        pairs.append((i, j))
        entries.append(entry)
    if kept is not None:  # (a one-file run keeps nothing)
        kept[0], kept[1] = made, (urls, pairs, entries)
    return pairs, list(map(_HIT, entries))


def _followed(kept: list[Any], rows: tuple[ClaimRow, ...], urls: list[str | None]) -> tuple[list[tuple[int, int]], list[Hit]] | None:
    """The last run's pairs and findings followed to ``rows`` (in a memo session), when
    the rows cite the very URLs they did (one comparison of two lists, in C): the rows
    that repeat a source are then the same, found without normalizing and pairing the
    URLs again, and a finding is made again only where one of its two rows changed its
    number, line or place. None when the URLs changed."""
    last = kept[1]
    if last is None or last[0] != urls:
        return None
    _, pairs, entries = last
    made: dict[int, _Made] = kept[0]
    now: list[_Made] | None = None
    for k, (i, j) in enumerate(pairs):
        row, earlier = rows[i], rows[j]
        span = _place(row)
        had = entries[k]
        entry = _made_of(row, earlier, span, had)
        if entry is had:
            continue
        made.pop(id(had[0]), None)
        made[id(span)] = entry
        if now is None:
            now = list(entries)
        now[k] = entry
    if now is not None:
        kept[1] = (urls, pairs, now)
        entries = now
    return pairs, list(map(_HIT, entries))


# What a finding of CIT201 is made of (its hit without a fix): where it stands and where
# the row it repeats stands, the URL, the numbers of the two rows and the line of the first.
_Made = tuple[Span, Span, str | None, int | None, int | None, int, Hit]
_HIT = operator.itemgetter(6)


def _place(row: ClaimRow) -> Span:
    """Where a finding about ``row``'s source stands: its link, or the row."""
    return row.url_text.span if row.url_text else row.span


def _made_of(row: ClaimRow, earlier: ClaimRow, span: Span, had: _Made | None) -> _Made:
    """What the finding of ``row`` (standing at ``span``) repeating ``earlier``'s source is
    made of: ``had``, the last run's there, when both rows stand as they did (the places
    the very objects, the URL, numbers and line the same), else made anew."""
    related_span = _place(earlier)
    if (
        had is not None
        and had[0] is span
        and had[1] is related_span
        and had[2] == row.url
        and had[3] == row.number
        and had[4] == earlier.number
        and had[5] == earlier.line
    ):
        return had
    return (span, related_span, row.url, row.number, earlier.number, earlier.line, _hit(row, earlier, span, related_span))


def _last() -> list[Any]:
    # (per place, the finding made there; and the last run's URLs, pairs and what each
    # pair's finding is made of)
    return [{}, None]


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
    urls = list(map(_URL, doc.rows))  # (in C: thousands of rows, a few of them with a problem)
    has_url = list(map(operator.is_not, urls, itertools.repeat(None)))
    with_url = list(itertools.compress(doc.rows, has_url))
    problems = memo.each(url_problem, list(itertools.compress(urls, has_url)))
    for row, problem in zip(itertools.compress(with_url, problems), filter(None, problems)):
        yield Hit(_place(row), f"{_where(row)}: {problem}")
