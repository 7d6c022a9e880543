"""Support rules: is each summary clause backed by the claim rows it cites?"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from citelint import support
from citelint.finding import Hit, Related
from citelint.context import RuleContext
from citelint.registry import Option, rule

_MIN_TERMS = Option(
    "min-terms", "integer", 3, "Clauses with fewer distinct content words than this are not judged.", minimum=1
)
_SUPPORTED = (
    Option(
        "min-coverage",
        "number",
        0.25,
        "The share of the clause's content words its cited claims must contain.",
        minimum=0,
        maximum=1,
    ),
    _MIN_TERMS,
)
_MISATTRIBUTED = (
    Option(
        "misattributed-coverage",
        "number",
        0.5,
        "The share of the clause's content words another row's claim must contain.",
        minimum=0,
        maximum=1,
    ),
    Option(
        "misattributed-margin",
        "number",
        0.4,
        "How much more of the clause that row must back than the cited rows do.",
        minimum=0,
        maximum=1,
    ),
    _MIN_TERMS,
)


def _cites(numbers: tuple[int, ...]) -> str:
    return ", ".join(f"[{n}]" for n in numbers)


def _quoted(words: tuple[str, ...], limit: int = 6) -> str:
    shown = ", ".join(f"'{w}'" for w in words[:limit])
    return shown + (f" and {len(words) - limit} more" if len(words) > limit else "")


def _misattributed(c: support.ClauseSupport, options: Mapping[str, Any]) -> bool:
    """Whether CIT303, run with ``options``, reports the clause."""
    return (
        len(set(c.terms)) >= int(options["min-terms"])
        and c.best_other is not None
        and c.best_other_coverage >= float(options["misattributed-coverage"])
        and c.best_other_coverage >= c.coverage + float(options["misattributed-margin"])
    )


def _judged(ctx: RuleContext, options: Mapping[str, Any]) -> Iterator[support.ClauseSupport]:
    """Clauses long enough to judge, whose cited rows exist (a dangling marker is CIT101's)."""
    for c in ctx.cached(support.analyse).clauses:
        if c.cited and len(set(c.terms)) >= int(options["min-terms"]):
            yield c


@rule(
    "CIT302",
    "unsupported-summary",
    "warning",
    "A summary clause is not backed by the claim sentences it cites.",
    options=_SUPPORTED,
)
def unsupported_summary(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    rows = doc.rows_by_number()
    # A clause that CIT303 reports as citing the wrong row is its finding, not this one's,
    # but only when CIT303 runs on this file, judged with its own options.
    misattribution = ctx.options_of("CIT303")
    for c in _judged(ctx, options):
        if c.coverage >= float(options["min-coverage"]):
            continue
        if misattribution is not None and _misattributed(c, misattribution):
            continue
        cites = _cites(c.cited)
        in_context = support.context_words(doc, c)
        if c.missing and len(in_context) >= len(c.missing) / 2:
            message = (
                f"clause is not backed by claim {cites}: {_quoted(in_context)} "
                f"{'is' if len(in_context) == 1 else 'are'} supported only by the context"
            )
        else:
            message = f"clause is not backed by claim {cites}: {_quoted(c.missing)} {'is' if len(c.missing) == 1 else 'are'} in neither its claim nor its context"
        related = tuple(Related(r.claim.span, f"claim [{n}]") for n in c.cited for r in rows.get(n, ()))
        yield Hit(c.clause.text.span, message, related)


@rule(
    "CIT303",
    "misattributed-citation",
    "warning",
    "Another row's claim backs a summary clause clearly better than the row it cites.",
    options=_MISATTRIBUTED,
)
def misattributed_citation(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    rows = doc.rows_by_number()
    for c in _judged(ctx, options):
        if not _misattributed(c, options) or c.best_other is None:
            continue
        other = rows[c.best_other][0]
        yield Hit(
            c.clause.text.span,
            f"clause cites {_cites(c.cited)} but matches claim [{c.best_other}] "
            f"({c.best_other_coverage:.0%} of its words against {c.coverage:.0%})",
            (
                Related(c.clause.marker.text.span, "the marker to correct"),
                Related(other.claim.span, f"claim [{c.best_other}]"),
            ),
        )
