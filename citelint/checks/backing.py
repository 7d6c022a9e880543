"""Support rules: is each summary clause backed by the claim rows it cites?

CIT302 judges each clause by one of two standards (its ``standard`` option): the claim
standard asks whether the cited claim sentences back it, the passage standard whether the
cited claims and contexts together do. CIT303 compares the clause with every row and names
one that backs it clearly better than the cited one.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from citelint import repairs, scorers
from citelint.context import RuleContext
from citelint.finding import Applicability, Edit, Fix, Hit, Related
from citelint.model import Marker
from citelint.registry import Option, rule

if TYPE_CHECKING:  # imported where a clause is judged: a run the result cache answers needs none of it
    from citelint import support

_MIN_TERMS = Option(
    "min-terms", "integer", 3, "Clauses with fewer distinct content words than this are not judged.", minimum=1
)
_SCORER = Option(
    "scorer",
    "string",
    "lexical",
    "How support is scored: 'lexical' (word overlap with synonyms, no model) or 'semantic' "
    "(sentence embeddings; needs the semantic extra, see the rule page).",
    choices=scorers.NAMES,
    requires=lambda name: scorers.missing_requirement(str(name)),
)
# The passage boundary, and CIT303's thresholds below: chosen by benchmarks/support_rules.py
# on training folds of the expert-labelled reports (the median of the folds' choices; the
# rule pages show the held-out figures).
PASSAGE_DEFAULT = 0.41
_SUPPORTED = (
    Option(
        "standard",
        "string",
        "claim",
        "What must back a clause: 'claim' (the cited claim sentences) or 'passage' (the cited claims and contexts together).",
        choices=("claim", "passage"),
    ),
    Option(
        "min-coverage",
        "number",
        0.25,
        "Claim standard: the support score (0-1) the cited claim sentences must reach.",
        minimum=0,
        maximum=1,
    ),
    Option(
        "min-passage-score",
        "number",
        PASSAGE_DEFAULT,
        "The support score (0-1) the cited claims and contexts together must reach: below it a clause is backed "
        "by neither (under both standards).",
        minimum=0,
        maximum=1,
    ),
    _MIN_TERMS,
    _SCORER,
)
_MISATTRIBUTED = (
    Option(
        "misattributed-coverage",
        "number",
        0.3,
        "The support score (0-1) another row's claim and context must reach to be named.",
        minimum=0,
        maximum=1,
    ),
    Option(
        "misattributed-margin",
        "number",
        0.2,
        "How much higher that row's score must be than the cited rows' score.",
        minimum=0,
        maximum=1,
    ),
    _MIN_TERMS,
    _SCORER,
)
# A marker's numbers, as written: "<font color=#FF3399>[12]</font>" has "12" but also the
# digits of its colour, so only those after the opening bracket count.


def _cites(numbers: tuple[int, ...]) -> str:
    return ", ".join(f"[{n}]" for n in numbers)


def _quoted(words: tuple[str, ...], limit: int = 6) -> str:
    shown = ", ".join(f"'{w}'" for w in words[:limit])
    return shown + (f" and {len(words) - limit} more" if len(words) > limit else "")


def _analysis(ctx: RuleContext, options: Mapping[str, Any]) -> support.Analysis:
    from citelint import support

    return ctx.cached(support.ANALYSERS[str(options["scorer"])])


def misattributed(c: support.ClauseSupport, options: Mapping[str, Any]) -> bool:
    """Whether CIT303, run with ``options``, reports the clause (scored by its own scorer)."""
    return (
        len(set(c.terms)) >= int(options["min-terms"])
        and c.best_other is not None
        and c.best_other_score >= float(options["misattributed-coverage"])
        and c.best_other_score >= c.strength + float(options["misattributed-margin"])
    )


def _judged(analysis: support.Analysis, options: Mapping[str, Any]) -> Iterator[support.ClauseSupport]:
    """Clauses long enough to judge, whose cited rows exist (a dangling marker is CIT101's)."""
    for c in analysis.clauses:
        if c.cited and len(set(c.terms)) >= int(options["min-terms"]):
            yield c


def _reported_by_cit303(ctx: RuleContext, index: int) -> bool:
    """Whether CIT303 runs on this file and, with its own options, reports clause ``index``."""
    options = ctx.options_of("CIT303")
    if options is None:
        return False
    c = _analysis(ctx, options).clauses[index]
    return bool(c.cited) and misattributed(c, options)


@rule(
    "CIT302",
    "unsupported-summary",
    "warning",
    "A summary clause is not backed by the rows it cites (their claims, or claims and contexts).",
    options=_SUPPORTED,
    fix="display",
)
def unsupported_summary(ctx: RuleContext) -> Iterator[Hit]:
    # The words a finding quotes are those the evidence lacks by word and synonym, whichever
    # scorer judged: an embedding cannot say which words are missing.
    from citelint import support
    from citelint.scorers.lexical import unbacked

    doc, options = ctx.doc, ctx.options
    rows = doc.rows_by_number()
    by_passage = options["standard"] == "passage"
    analysis = _analysis(ctx, options)
    index = {id(c.clause): i for i, c in enumerate(analysis.clauses)}
    for c in _judged(analysis, options):
        backed_by_passage = c.passage_score >= float(options["min-passage-score"])
        if backed_by_passage and (by_passage or c.claim_score >= float(options["min-coverage"])):
            continue
        # A clause that CIT303 reports as citing the wrong row is its finding, not this one's,
        # but only when CIT303 runs on this file, judged with its own options.
        if _reported_by_cit303(ctx, index[id(c.clause)]):
            continue
        text, cites = c.clause.text.raw, _cites(c.cited)
        claims = support.claims_of(rows, c.cited)
        if backed_by_passage:
            lacking = unbacked(text, claims)
            message = f"clause is backed only by the context of {cites}" + (
                f": {_quoted(lacking)} {'is' if len(lacking) == 1 else 'are'} not in its claim" if lacking else ""
            )
            suggestion = f"quote the context sentence of {cites} that says this as the claim, or cite a row whose claim does"
        else:
            lacking = unbacked(text, support.passages_of(rows, c.cited))
            message = f"clause is backed by neither the claim nor the context of {cites}" + (
                f": {_quoted(lacking)}" if lacking else f" (support {c.passage_score:.2f})"
            )
            suggestion = f"cite a row that says this, or reword the clause to what {cites} says"
        if c.best_other is not None and c.best_other_score > c.strength:
            suggestion += f" (row [{c.best_other}] backs it better: {c.best_other_score:.2f} against {c.strength:.2f})"
        related = tuple(Related(r.claim.span, f"claim [{n}]") for n in c.cited for r in rows.get(n, ()))
        # A suggestion only: no edit can make a source say what it does not.
        yield Hit(c.clause.text.span, message, related, Fix((), suggestion, Applicability.DISPLAY))


@rule(
    "CIT303",
    "misattributed-citation",
    "warning",
    "Another row backs a summary clause clearly better than the row it cites.",
    options=_MISATTRIBUTED,
    fix="unsafe",
)
def misattributed_citation(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    rows = doc.rows_by_number()
    citing = Counter(n for m in doc.summary.markers for n in set(m.numbers)) if doc.summary else Counter()
    for c in _judged(_analysis(ctx, options), options):
        if not misattributed(c, options) or c.best_other is None:
            continue
        other = rows[c.best_other][0]
        marker = c.clause.marker
        fix = repoint(marker, c.best_other)
        if fix is not None and not _repoint_leaves_no_finding(ctx, c, citing):
            fix = Fix(fix.edits, fix.description + " (a suggestion: it would leave a finding)", Applicability.DISPLAY)
        yield Hit(
            c.clause.text.span,
            f"clause cites {_cites(c.cited)} but row [{c.best_other}] backs it "
            f"(support {c.best_other_score:.2f} against {c.strength:.2f})",
            (
                Related(marker.text.span, "the marker to correct"),
                Related(other.claim.span, f"claim [{c.best_other}]"),
            ),
            fix,
        )


def _repoint_leaves_no_finding(ctx: RuleContext, c: support.ClauseSupport, citing: Counter[int]) -> bool:
    """Whether re-pointing the clause's marker is a repair that leaves nothing behind: the
    row it cites now stays cited by another marker (else CIT102 would call it uncited), and
    the row it would cite backs the clause as CIT302 judges (else CIT302 would report it).
    A re-point that fails either is only shown, never applied."""
    from citelint import support

    if any(citing[n] < 2 for n in c.cited) or c.best_other is None:
        return False
    opts = ctx.options_of("CIT302")
    if opts is None:
        return True
    rows = ctx.doc.rows_by_number()
    scorer = scorers.get(str(opts["scorer"]))
    text = c.clause.text.raw
    passage = scorer.score(text, support.passages_of(rows, (c.best_other,)))
    if passage < float(opts["min-passage-score"]):
        return False
    return opts["standard"] == "passage" or scorer.score(text, support.claims_of(rows, (c.best_other,))) >= float(
        opts["min-coverage"]
    )


def repoint(marker: Marker, to: int) -> Fix | None:
    """Re-point a marker citing one row at row ``to``: edit its number, keep its style.
    Unsafe: the score can be wrong, and only the author knows which source was meant. A
    marker citing several rows is left alone (which of them to drop is not ours to guess)."""
    if len(marker.numbers) != 1:
        return None
    edits = repairs.marker_edits(marker, {marker.numbers[0]: to})
    if len(edits) != 1:
        return None
    return Fix(tuple(edits), f"cite [{to}] instead of [{marker.numbers[0]}]", Applicability.UNSAFE)
