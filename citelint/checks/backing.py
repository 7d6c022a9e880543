"""Support rules: is each clause backed by the sources it cites?

CIT302 judges each clause by one of two standards (its ``standard`` option): the claim
standard asks whether the cited quotes (a SmartBook row's claim sentence) back it, the
passage standard whether the cited quotes and passages (contexts, STORM's snippets)
together do. CIT303 compares the clause with every source and names one that backs it
clearly better than the cited one. Both read the source-neutral citation model and run on
any format whose sources give a quote or a passage (``needs``); a format's own words name
the parts in messages ("claim", "context", "row"; "snippets", "source").
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from citelint import citations, repairs, scorers
from citelint.citations import CitationGroup, Citations
from citelint.context import RuleContext
from citelint.finding import Applicability, Fix, Hit, Related
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
# The formats whose sources can give a quote or a passage; ``needs`` decides per document.
_FORMATS = ("*",)
_NEEDS = ("quote", "passage")


def _cites(cits: Citations, keys: tuple[str, ...]) -> str:
    return ", ".join(cits.show(k) for k in keys)


def _quoted(words: tuple[str, ...], limit: int = 6) -> str:
    shown = ", ".join(f"'{w}'" for w in words[:limit])
    return shown + (f" and {len(words) - limit} more" if len(words) > limit else "")


def _analysis(ctx: RuleContext, options: Mapping[str, Any]) -> support.Analysis:
    from citelint import support

    # Once per document and scorer (keyed as ``ctx.cached`` keys), from the citations the
    # rules share.
    name = str(options["scorer"])
    analyser = support.ANALYSERS[name]
    found: support.Analysis | None = ctx.memo.get(analyser)
    if found is None:
        found = ctx.memo[analyser] = support.analyse_with(ctx.doc, scorers.get(name), name, ctx.cached(citations.of))
    return found


def misattributed(options: Mapping[str, Any]) -> Callable[[support.ClauseSupport], bool]:
    """Whether CIT303, run with ``options``, reports a clause (scored by its own scorer)
    whose cited sources exist (a dangling citation is CIT101's or CIT501's). The options
    are read once: thousands of clauses."""
    minimum = int(options["min-terms"])
    coverage, margin = float(options["misattributed-coverage"]), float(options["misattributed-margin"])

    def reported(c: support.ClauseSupport) -> bool:
        return (
            bool(c.cited)
            and c.distinct >= minimum
            and c.best_other is not None
            and c.best_other_score >= coverage
            and c.best_other_score >= c.strength + margin
        )

    return reported


def _unbacked(analysis: support.Analysis, options: Mapping[str, Any]) -> list[int]:
    """The indices of the clauses CIT302 judges (long enough, whose cited sources exist: a
    dangling citation is CIT101's or CIT501's) that their sources do not back as its
    standard asks."""
    minimum = int(options["min-terms"])
    by_passage = options["standard"] == "passage"
    min_passage, min_coverage = float(options["min-passage-score"]), float(options["min-coverage"])

    def unbacked(c: support.ClauseSupport) -> bool:
        # A source with no quote is judged by its passage under both standards.
        return bool(c.cited) and c.distinct >= minimum and not (
            c.passage_score >= min_passage and (by_passage or not c.quoted or c.claim_score >= min_coverage)
        )

    return _flagged(analysis, "CIT302", (minimum, by_passage, min_passage, min_coverage), unbacked)


def _misattributed(analysis: support.Analysis, options: Mapping[str, Any]) -> list[int]:
    """The indices of the clauses CIT303 reports (``misattributed``)."""
    under = (int(options["min-terms"]), float(options["misattributed-coverage"]), float(options["misattributed-margin"]))
    return _flagged(analysis, "CIT303", under, misattributed(options))


def _flagged(analysis: support.Analysis, name: str, under: Hashable, flagged: Callable[[support.ClauseSupport], bool]) -> list[int]:
    """The indices of the clauses ``flagged`` says yes to (what it reads of the options is
    ``under``). In a memo session (a server's re-lint), the clauses at both ends that are
    equal to the last run's (``memo.common_ends``: the supports of the clauses an edit did
    not reach are the last run's very objects) keep their verdicts: only the clauses
    between are looked at."""
    from citelint import memo

    clauses = analysis.clauses

    def scan(lo: int, hi: int) -> list[int]:
        return [i for i in range(lo, hi) if flagged(clauses[i])]

    session = memo.active()
    if session is None:
        return scan(0, len(clauses))
    kept: dict[str, tuple[Hashable, tuple[support.ClauseSupport, ...], list[int]]] = session.kept(name, dict)
    last = kept.get(analysis.scorer)
    if last is None or last[0] != under:
        found = scan(0, len(clauses))
    else:
        _, old, old_found = last
        head, tail = memo.common_ends(old, clauses)
        by, end = len(clauses) - len(old), len(old) - tail
        found = [i for i in old_found if i < head]
        found += scan(head, len(clauses) - tail)
        found += [i + by for i in old_found if i >= end]
    kept[analysis.scorer] = (under, clauses, found)
    return found


def _reported_by_cit303(ctx: RuleContext, index: int) -> bool:
    """Whether CIT303 runs on this file and, with its own options, reports clause ``index``."""
    options = ctx.options_of("CIT303")
    if options is None:
        return False
    return misattributed(options)(_analysis(ctx, options).clauses[index])


@rule(
    "CIT302",
    "unsupported-summary",
    "warning",
    "A summary clause is not backed by the rows it cites (their claims, or claims and contexts).",
    options=_SUPPORTED,
    fix="display",
    formats=_FORMATS,
    needs=_NEEDS,
)
def unsupported_summary(ctx: RuleContext) -> Iterator[Hit]:
    # The words a finding quotes are those the evidence lacks by word and synonym, whichever
    # scorer judged: an embedding cannot say which words are missing.
    from citelint import support
    from citelint.scorers.lexical import unbacked

    options = ctx.options
    cits = ctx.cached(citations.of)
    sources, words = cits.by_key, cits.words
    analysis = _analysis(ctx, options)
    min_passage = float(options["min-passage-score"])
    for i in _unbacked(analysis, options):
        c = analysis.clauses[i]
        backed_by_passage = c.passage_score >= min_passage
        # A clause that CIT303 reports as citing the wrong source is its finding, not this
        # one's, but only when CIT303 runs on this file, judged with its own options.
        if _reported_by_cit303(ctx, i):
            continue
        text, cites = c.text.raw, _cites(cits, c.cited)
        if backed_by_passage:
            lacking = unbacked(text, support.claims_of(sources, c.cited))
            message = f"clause is backed only by the {words.passage} of {cites}" + (
                f": {_quoted(lacking)} {'is' if len(lacking) == 1 else 'are'} not in its {words.quote}" if lacking else ""
            )
            suggestion = (
                f"quote the {words.passage} sentence of {cites} that says this as the {words.quote}, "
                f"or cite a {words.source} whose {words.quote} does"
            )
        else:
            lacking = unbacked(text, support.passages_of(sources, c.cited))
            evidence = f"neither the {words.quote} nor the {words.passage}" if c.quoted else f"none of the {words.passage}"
            message = f"clause is backed by {evidence} of {cites}" + (
                f": {_quoted(lacking)}" if lacking else f" (support {c.passage_score:.2f})"
            )
            suggestion = f"cite a {words.source} that says this, or reword the clause to what {cites} says"
        if c.best_other is not None and c.best_other_score > c.strength:
            suggestion += (
                f" ({words.source} {cits.show(c.best_other)} backs it better: "
                f"{c.best_other_score:.2f} against {c.strength:.2f})"
            )
        # Quotes in the report are shown beside the finding; a sidecar's snippets have no place in it.
        related = tuple(
            Related(s.quote.span, f"{words.quote} {cits.show(k)}")
            for k in c.cited
            for s in sources.get(k, ())
            if s.quote is not None
        )
        # A suggestion only: no edit can make a source say what it does not.
        yield Hit(c.text.span, message, related, Fix((), suggestion, Applicability.DISPLAY))


@rule(
    "CIT303",
    "misattributed-citation",
    "warning",
    "Another row backs a summary clause clearly better than the row it cites.",
    options=_MISATTRIBUTED,
    fix="unsafe",
    formats=_FORMATS,
    needs=_NEEDS,
)
def misattributed_citation(ctx: RuleContext) -> Iterator[Hit]:
    options = ctx.options
    cits = ctx.cached(citations.of)
    sources, words = cits.by_key, cits.words
    citing: Counter[str] | None = None  # how many citations cite each key (counted when a clause is reported)
    analysis = _analysis(ctx, options)
    for i in _misattributed(analysis, options):
        c = analysis.clauses[i]
        assert c.best_other is not None
        fix = repoint(c.group, c.best_other)
        if fix is not None and citing is None:
            citing = Counter(k for g in cits.groups for k in set(g.keys))
        if fix is not None and citing is not None and not _repoint_leaves_no_finding(ctx, c, citing):
            fix = Fix(fix.edits, fix.description + " (a suggestion: it would leave a finding)", Applicability.DISPLAY)
        other = sources[c.best_other][0]
        related = [Related(c.group.text.span, "the marker to correct")]
        if other.quote is not None:
            related.append(Related(other.quote.span, f"{words.quote} {cits.show(c.best_other)}"))
        yield Hit(
            c.text.span,
            f"clause cites {_cites(cits, c.cited)} but {words.source} {cits.show(c.best_other)} backs it "
            f"(support {c.best_other_score:.2f} against {c.strength:.2f})",
            tuple(related),
            fix,
        )


def _repoint_leaves_no_finding(ctx: RuleContext, c: support.ClauseSupport, citing: Counter[str]) -> bool:
    """Whether re-pointing the clause's citation is a repair that leaves nothing behind: the
    source it cites now stays cited by another citation (else CIT102 or CIT502 would call it
    uncited), and the source it would cite backs the clause as CIT302 judges (else CIT302
    would report it). A re-point that fails either is only shown, never applied."""
    from citelint import support

    if any(citing[k] < 2 for k in c.cited) or c.best_other is None:
        return False
    opts = ctx.options_of("CIT302")
    if opts is None:
        return True
    sources = ctx.cached(citations.of).by_key
    scorer = scorers.get(str(opts["scorer"]))
    text = c.text.raw
    passage = scorer.score(text, support.passages_of(sources, (c.best_other,)))
    if passage < float(opts["min-passage-score"]):
        return False
    claims = support.claims_of(sources, (c.best_other,))
    return opts["standard"] == "passage" or not claims or scorer.score(text, claims) >= float(opts["min-coverage"])


def repoint(group: CitationGroup, to: str) -> Fix | None:
    """Re-point a citation of one source at source ``to``: edit its number, keep its style.
    Unsafe: the score can be wrong, and only the author knows which source was meant. A
    citation of several sources is left alone (which of them to drop is not ours to guess),
    and so is one whose keys are not numbers."""
    if len(group.keys) != 1 or not group.keys[0].isdigit() or not to.isdigit():
        return None
    number = int(group.keys[0])
    edits = repairs.marker_edits(Marker(group.text, (number,), "group"), {number: int(to)})
    if len(edits) != 1:
        return None
    return Fix(tuple(edits), f"cite [{to}] instead of [{number}]", Applicability.UNSAFE)
