"""Source rules: is each claim row's source distinct and usable?"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from urllib.parse import urlsplit

from citelint.finding import Hit, Related
from citelint.model import ClaimRow, Document
from citelint import memo, repairs
from citelint.checks.claims import claim_key
from citelint.context import RuleContext
from citelint.registry import Option, rule
from citelint.urls import normalize_url


def _where(row: ClaimRow) -> str:
    return f"row [{row.number}]" if row.number is not None else f"the row on line {row.line}"


@rule("CIT201", "duplicate-source", "warning", "Two claim rows cite the same source URL.", fix="unsafe")
def duplicate_source(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    first: dict[str, ClaimRow] = {}
    # CIT202's table-wide merge, on the first finding it applies to (see CIT202).
    merge = doc.read_whole("file")
    with_url = [row for row in doc.rows if row.url]
    # A server's last run's findings, by what each is made of: a row that repeats a source
    # as it did (moved by an edit before it, or not) gives the same finding, and thousands
    # of rows may repeat a source.
    session = memo.active()
    kept: list[dict[_Where, Hit]] | None = None if session is None else session.kept("CIT201", _last)
    last = kept[0] if kept is not None else {}
    made: dict[_Where, Hit] = {}
    # (normalized in one call: a server's memo of them is looked up once for the loop)
    for row, key in zip(with_url, memo.each(normalize_url, [row.url for row in with_url if row.url])):
        earlier = first.setdefault(key, row)
        if earlier is row:
            continue
        span = row.url_text.span if row.url_text else row.span
        related_span = earlier.url_text.span if earlier.url_text else earlier.span
        where: _Where | None = None
        hit = None
        if kept is not None:  # (a one-file run keeps nothing: it builds no key)
            where = (
                row.url, row.number, row.line, earlier.number, earlier.line,
                span.line, span.col, span.end_line, span.end_col,
                related_span.line, related_span.col, related_span.end_line, related_span.end_col,
            )  # fmt: skip
            hit = last.get(where)
        if hit is None:
            hit = Hit(
                span,
                f"{_where(row)} cites the same source as {_where(earlier)} (line {earlier.line}): {row.url}",
                (Related(related_span, f"first cited by {_where(earlier)}"),),
            )
        if where is not None:
            made[where] = hit
        # Only a row that repeats the claim too is merged: two claims from one source
        # are two citations, not a duplicate to delete.
        fix = ctx.cached(repairs.merge_duplicates) if merge and claim_key(row) == claim_key(earlier) else None
        merge = merge and fix is None
        yield hit if fix is None else Hit(hit.span, hit.message, hit.related, fix)
    if kept is not None:
        kept[0] = made


# What a finding of CIT201 is made of (its hit without a fix): the URL, the numbers and
# lines of the row and of the row it repeats, and where their links stand.
_Where = tuple[str | None, int | None, int, int | None, int, int, int, int, int, int, int, int, int]


def _last() -> list[dict[_Where, Hit]]:
    return [{}]


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
