"""Rules on the source-neutral citation model: numbered endnotes and the exports that use them.

They read ``citations.of(doc)`` (statements with citation groups, numbered sources), so they
run on any reader that provides a source list; a SmartBook report has its own rules
(CIT101-CIT203) for the same defects and these stay off it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from typing import TYPE_CHECKING

from citelint.checks.sources import url_problem
from citelint.context import RuleContext
from citelint.finding import Applicability, Edit, Fix, Hit, Related
from citelint.registry import rule
from citelint.urls import TRACKING_PARAMS, normalize_url

if TYPE_CHECKING:
    from citelint.citations import Citations, Source

# The formats with a source list (citelint.citations names them; not imported here, since
# every run loads these rules and most runs read SmartBook only).
_ON = ("endnotes", "footnotes", "storm", "inline-links")


def _cites(ctx: RuleContext) -> Citations:
    from citelint import citations

    return ctx.cached(citations.of)


def _in(source: Source) -> str:
    """Where a source defined outside the report is: " (in url_to_info.json)"."""
    return f" (in {source.defined_in})" if source.defined_in else ""


@rule("CIT501", "dangling-citation", "error", "A citation names a number that no source in the source list has.", formats=_ON)
def dangling_citation(ctx: RuleContext) -> Iterator[Hit]:
    if ctx.doc.unread is not None:
        return  # the source list may be in the part that was not read (CIT004)
    cites = _cites(ctx)
    for group in cites.groups:
        missing = [k for k in group.keys if k not in cites.by_key]
        if missing:
            listed = ", ".join(cites.show(k) for k in missing)
            where = "the source list" if cites.sources else "the report (it has no source list)"
            yield Hit(group.text.span, f"citation {listed} names no source in {where}")


@rule("CIT502", "uncited-source", "warning", "A numbered source that the text never cites.", formats=_ON)
def uncited_source(ctx: RuleContext) -> Iterator[Hit]:
    if ctx.doc.unread is not None:
        return  # the citation may be in the part that was not read (CIT004)
    cites = _cites(ctx)
    cited = {k for g in cites.groups for k in g.keys}
    if not cited and cites.sources:
        # A text that cites nothing: one finding, not one per source.
        first = cites.sources[0]
        span = cites.source_heading or (first.label.span if first.label is not None else first.span)
        yield Hit(span, f"the text cites none of the {len(cites.by_key)} listed sources")
        return
    for source in cites.sources:
        if source.key not in cited:
            span = source.label.span if source.label is not None else source.span
            yield Hit(span, f"source {cites.show(source.key)}{_in(source)} is never cited in the text")


@rule("CIT503", "duplicate-source-url", "warning", "The same URL is listed under two source numbers.", formats=_ON)
def duplicate_source_url(ctx: RuleContext) -> Iterator[Hit]:
    first: dict[str, Source] = {}
    cites = _cites(ctx)
    for source in cites.sources:
        if not source.url:
            continue
        earlier = first.setdefault(normalize_url(source.url), source)
        # One entry may carry several numbers on purpose ("[1] [4] Title"): not a duplicate.
        # The same number in two lists (a section's own list, then the report's) is one
        # source listed twice, consistently: not two numbers for one source.
        same_entry = earlier.url_text is not None and earlier.url_text == source.url_text
        if earlier is source or same_entry or earlier.key == source.key:
            continue
        span = source.url_text.span if source.url_text is not None else source.span
        yield Hit(
            span,
            f"source {cites.show(source.key)}{_in(source)} has the same URL as source {cites.show(earlier.key)}"
            + (f" (line {earlier.span.line})" if not earlier.defined_in else "")
            + ": cite one number",
            (Related(earlier.span, f"source {cites.show(earlier.key)}"),),
        )


@rule("CIT504", "source-numbering-gap", "warning", "The source list skips numbers.", formats=_ON)
def source_numbering_gap(ctx: RuleContext) -> Iterator[Hit]:
    cites = _cites(ctx)
    sources = sorted((s for s in cites.sources if s.key.isdigit()), key=lambda s: int(s.key))
    previous = 0
    for source in sources:
        n = int(source.key)
        if n > previous + 1:
            gap = cites.show(str(previous + 1)) if n == previous + 2 else f"{cites.show(str(previous + 1))}-{cites.show(str(n - 1))}"
            span = source.label.span if source.label is not None else source.span
            yield Hit(span, f"the source list{_in(source)} skips {gap} before source {cites.show(str(n))}")
        previous = max(previous, n)


@rule("CIT505", "invalid-endnote-url", "error", "A source's URL is not an absolute http(s) URL.", formats=_ON)
def invalid_endnote_url(ctx: RuleContext) -> Iterator[Hit]:
    cites = _cites(ctx)
    for source in cites.sources:
        if source.url is None:
            continue
        problem = url_problem(source.url)
        if problem:
            span = source.url_text.span if source.url_text is not None else source.span
            yield Hit(span, f"source {cites.show(source.key)}{_in(source)}: {problem}")


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


def without_tracking(url: str) -> str | None:
    """``url`` without its tracking parameters (kept as written otherwise), or None when it
    has none."""
    base, sep, rest = url.partition("?")
    if not sep:
        return None
    query, hash_, fragment = rest.partition("#")
    params = query.split("&")
    kept = [p for p in params if not _is_tracking(p.split("=", 1)[0])]
    if len(kept) == len(params):
        return None
    return base + ("?" + "&".join(kept) if kept else "") + hash_ + fragment


@rule(
    "CIT506",
    "tracking-parameters",
    "warning",
    "A source URL carries tracking parameters (utm_*, fbclid, gclid, ...).",
    fix="safe",
    formats=_ON,
)
def tracking_parameters(ctx: RuleContext) -> Iterator[Hit]:
    seen: set[int] = set()
    cites = _cites(ctx)
    for source in cites.sources:
        if source.url is None or source.url_text is None or source.url_text.start in seen:
            continue
        seen.add(source.url_text.start)  # one entry with several numbers: one finding
        clean = without_tracking(source.url_text.raw)
        if clean is None:
            continue
        names = sorted({p.split("=", 1)[0] for p in source.url_text.raw.partition("?")[2].partition("#")[0].split("&") if _is_tracking(p.split("=", 1)[0])})
        fix = Fix(
            (Edit(source.url_text.start, source.url_text.end, clean),),
            f"remove {', '.join(names)} from the URL",
            Applicability.SAFE,
        )
        yield Hit(source.url_text.span, f"source {cites.show(source.key)}: the URL carries tracking parameters ({', '.join(names)})", fix=fix)


# Private-use characters that chat exports leave where a citation was (U+E200 "cite" U+E202
# "turn0search3" U+E201), with the words between them, and the same residue without them.
_LEAK_RE = re.compile(
    r"[\ue000-\uf8ff](?:[\w.:-]{0,40}[\ue000-\uf8ff])*"
    r"|(?<![A-Za-z])(?:cite|filecite|navlist)?turn\d{1,3}(?:search|view|news|fetch|file|image|academia|product)\d{1,4}\b"
)


@rule(
    "CIT507",
    "leaked-citation-token",
    "error",
    "Citation tokens of a chat export were left in the text (private-use characters, 'cite'/'turn0search' residue).",
    fix="safe",
    formats=_ON,
)
def leaked_citation_token(ctx: RuleContext) -> Iterator[Hit]:
    from citelint.codespans import blank_code

    doc = ctx.doc
    text = blank_code(doc.source[: doc.read_end])  # what was read (citelint.limits)
    for m in _LEAK_RE.finditer(text):
        shown = m.group(0).encode("unicode_escape").decode("ascii")
        # The space before the token goes with it: "twelve minutes [1] <token>." must not
        # become "twelve minutes [1] ." (a stub).
        start = m.start()
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        fix = Fix((Edit(start, m.end(), ""),), "remove the leaked citation token", Applicability.SAFE)
        yield Hit(doc.span(m.start(), m.end()), f"leaked citation token '{shown}' (a citation the export did not render)", fix=fix)


# A space before a sentence stop, where a clean-up cut the citation that stood there.
_STUB_RE = re.compile(r"(?<=[^\s.,;:!?\])|])( +)([.,])(?=\s|$|\[)")


@rule(
    "CIT508",
    "citation-stub",
    "warning",
    "A space before a full stop or comma, where a citation was cut from the text.",
    fix="unsafe",
    formats=_ON,
)
def citation_stub(ctx: RuleContext) -> Iterator[Hit]:
    from citelint.codespans import blank_code

    for statement in _cites(ctx).statements:
        raw = blank_code(statement.text.raw)
        if " ." not in raw and " ," not in raw:
            continue
        for m in _STUB_RE.finditer(raw):
            before = m.start(1) - 1
            if before >= 0 and (statement.text.raw[before] != raw[before] or statement.text.raw[m.start(1) : m.end(2)] != m.group(0)):
                continue  # the space is code blanked out ("`@Bean`, ..."), not a stub
            start = statement.text.start + m.start(1)
            end = statement.text.start + m.end(2)
            fix = Fix((Edit(start, statement.text.start + m.end(1), ""),), "remove the space (the citation that stood there is lost)", Applicability.UNSAFE)
            yield Hit(ctx.doc.span(start, end), f"a space before '{m.group(2)}': a citation was probably cut here", fix=fix)


@rule("CIT509", "source-without-url", "warning", "A numbered source has no URL.", formats=_ON)
def source_without_url(ctx: RuleContext) -> Iterator[Hit]:
    cites = _cites(ctx)
    for source in cites.sources:
        if source.url is None:
            title = f" ('{source.title}')" if source.title else ""
            yield Hit(source.span, f"source {cites.show(source.key)}{title}{_in(source)} has no URL")
