"""Source rules: is each claim row's source distinct and usable?"""
from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator, Mapping
from typing import Any, cast

from urllib.parse import urlsplit

from citelint.finding import Hit, Related
from citelint.model import ClaimRow, Document, Span, Text
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
    urls = list(map(_URL, rows))  # (in C: thousands of rows)
    with_url = list(itertools.compress(itertools.count(), urls))
    # (normalized in one call: a server's memo of them is looked up once)
    keys = memo.each(normalize_url, list(filter(None, urls)))
    # Per normalized URL, the index of the first row citing it (the last one set, going
    # backwards), and each row's first: a row is a repeat where that is another row. All
    # in C: thousands of rows, most of them repeats in a long report.
    first = dict(zip(reversed(keys), reversed(with_url)))
    firsts = list(map(first.__getitem__, keys))
    repeats = list(itertools.compress(with_url, map(operator.ne, with_url, firsts)))
    if not repeats:
        return
    earliest = list(itertools.compress(firsts, map(operator.ne, with_url, firsts)))
    repeating = list(map(rows.__getitem__, repeats))
    repeated = list(map(rows.__getitem__, earliest))
    # Where each finding stands and where the row it repeats stands: a link's place when
    # every row has one (all rows with a URL, as a rule; in C), else the row's.
    texts = list(map(_URL_TEXT, repeating)) + list(map(_URL_TEXT, repeated))
    if all(map(operator.is_not, texts, itertools.repeat(None))):
        places = list(map(_SPAN, cast("list[Text]", texts)))
    else:
        places = [row.url_text.span if row.url_text else row.span for row in itertools.chain(repeating, repeated)]
    spans, related = places[: len(repeats)], places[len(repeats) :]
    # A server's last run's findings, by what each is made of: the places of the two rows,
    # the URL, the numbers of the two rows and the line of the first (a row without a
    # number is named by its line: its place's). The incremental parse keeps a Span an
    # edit did not move, even when the row's offsets moved, so thousands of rows that
    # repeat a source give the very finding they gave, looked up in C. The places are
    # compared by identity, and held with the findings so that an id is not reused while
    # it is a key.
    session = memo.active()
    kept: _Kept | None = None if session is None else session.kept("CIT201", _last)
    made = list(
        zip(
            map(id, spans),
            map(id, related),
            map(_URL, repeating),
            map(_NUMBER, repeating),
            map(_NUMBER, repeated),
            map(_LINE, repeated),
        )
    )
    hits: list[Hit | None] = list(map(kept[0].get, made)) if kept is not None else [None] * len(made)
    # ... and by what its message says: a row moved by an edit above it (a row added) says
    # what it said, at its new place.
    last_said = kept[1] if kept is not None else {}
    said: dict[_Said, tuple[Span, Hit]] = {}
    for k in itertools.compress(itertools.count(), map(operator.not_, hits)):
        row, earlier, span, related_span = repeating[k], repeated[k], spans[k], related[k]
        says = (row.url, row.number, row.line if row.number is None else 0, earlier.number, earlier.line)
        again = last_said.get(says)
        if again is not None and again[0] is related_span:
            # Hit(span, message, related) through its __dict__ (a thousand rows move after a row added)
            hit = _NEW(Hit)
            _SET(hit, "__dict__", {"span": span, "message": again[1].message, "related": again[1].related, "fix": None})
        else:
            hit = Hit(
                span,
                f"{_where(row)} cites the same source as {_where(earlier)} (line {earlier.line}): {row.url}",
                (Related(related_span, f"first cited by {_where(earlier)}"),),
            )
        if kept is not None:  # (a one-file run keeps nothing)
            said[says] = (related_span, hit)
        hits[k] = hit
    found = cast("list[Hit]", hits)
    if kept is not None:
        kept[0].clear()
        kept[0].update(zip(made, found))
        kept[2][:] = places  # (the places whose ids are in the keys)
        kept[1].clear()
        kept[1].update(said)
    # CIT202's table-wide merge, on the first finding it applies to (see CIT202): only a
    # row that repeats the claim too is merged (two claims from one source are two
    # citations, not a duplicate to delete). The claims are normalized once, with CIT202's.
    if doc.read_whole("file"):
        claims = ctx.cached(claim_keys)
        same = list(map(operator.eq, map(claims.__getitem__, repeats), map(claims.__getitem__, earliest)))
        if True in same:
            at = same.index(True)
            fix = ctx.cached(repairs.merge_duplicates)
            if fix is not None:
                hit = found[at]
                found = found.copy()
                found[at] = Hit(hit.span, hit.message, hit.related, fix)
    yield from found


# What a finding's message and related place are made of: the URL, the row's number (its
# line when it has none), the first row's number and line.
_Said = tuple[str | None, int | None, int, int | None, int]
_NEW, _SET = object.__new__, object.__setattr__
_URL_TEXT, _SPAN = operator.attrgetter("url_text"), operator.attrgetter("span")
_NUMBER, _LINE = operator.attrgetter("number"), operator.attrgetter("line")


# A server's last findings: by what each is made of (the ids of its two places, the URL,
# the numbers of the two rows, the line of the first); by what each says; and the places
# whose ids are in the keys.
_Made = tuple[int, int, str | None, int | None, int | None, int]
_Kept = tuple[dict[_Made, Hit], dict[_Said, tuple[Span, Hit]], list[Span]]


def _last() -> _Kept:
    return ({}, {}, [])


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
