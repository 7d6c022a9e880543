"""Is a summary clause backed by the claim rows it cites? The analysis both support rules
share (computed once per document and scorer, through ``ctx.cached``).

Two standards, each with its own evidence:

- the claim standard: the cited rows' claim sentences, the quotes the summary relies on;
- the passage standard: the cited rows' claims and contexts together, the passage a reader
  of the source would check.

A clause is also scored against every other row's passage with the same scorer, so that a
misattributed marker shows as relative evidence (another row backs the clause clearly
better than the cited one), which survives paraphrase as well as the scorer does.

The interface to the document is small on purpose: summary clauses (their text and marker
numbers) and rows (number, claim text, context text). Scorers see plain text only.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from citelint import support_text
from citelint.model import Clause, ClaimRow, Document
from citelint.scorers import Scorer, get
from citelint.support_text import STOP_WORDS, content_words, term, terms  # noqa: F401 (re-exported)

# A term that many rows share says nothing about which one the clause follows, and reading
# its long posting list for every clause would make the work grow with clauses times rows.
_MAX_POSTING = 32
# Rows (besides the cited ones) scored for each clause: those sharing the most weighted
# clause words. Scoring all rows would cost clauses times rows.
_CANDIDATES = 3


class ClauseSupport(NamedTuple):
    clause: Clause
    terms: tuple[str, ...]  # content-word stems of the clause
    cited: tuple[int, ...]  # the cited row numbers that exist
    claim_score: float  # how well the cited claim sentences back the clause (0-1)
    passage_score: float  # how well the cited claims and contexts back it
    strength: float  # the cited rows' evidence, as CIT303 compares rows (see ``strength``)
    best_other: int | None  # the uncited row with the strongest evidence for the clause
    best_other_score: float  # its strength


class Analysis(NamedTuple):
    scorer: str
    clauses: tuple[ClauseSupport, ...]


def claims_of(rows: Mapping[int, tuple[ClaimRow, ...]], numbers: tuple[int, ...]) -> list[str]:
    # Two rows with one number (CIT103) are both read: either may be the one meant.
    return [r.claim.raw for n in numbers for r in rows.get(n, ())]


def passages_of(rows: Mapping[int, tuple[ClaimRow, ...]], numbers: tuple[int, ...]) -> list[str]:
    return [t for n in numbers for r in rows.get(n, ()) for t in (r.claim.raw, r.context.raw if r.context else "") if t]


def strength(claim_score: float, passage_score: float) -> float:
    """How strongly a row backs a clause, to compare rows: its claim and its whole passage
    count equally. The passage alone would tie rows whose contexts overlap (neighbouring
    excerpts of one article); the claim alone would miss paraphrase of the context."""
    return (claim_score + passage_score) / 2


def analyse_with(doc: Document, scorer: Scorer, name: str = "custom") -> Analysis:
    if doc.summary is None:
        return Analysis(name, ())
    rows = doc.rows_by_number()
    # An inverted index from term to the rows whose passage has it, so that finding the
    # rows worth scoring costs the clause's postings, not one comparison per row.
    postings: dict[str, set[int]] = {}
    for n in rows:
        for t in support_text.term_set(tuple(passages_of(rows, (n,)))):
            postings.setdefault(t, set()).add(n)
    out = []
    for clause in doc.summary.clauses:
        text = clause.text.raw
        words = support_text.clause_words(text)
        cited = tuple(n for n in clause.marker.numbers if n in rows)
        claims, passage = claims_of(rows, cited), passages_of(rows, cited)
        claim_score = scorer.score(text, claims) if claims else 0.0
        passage_score = scorer.score(text, passage) if passage else 0.0
        shared: dict[int, float] = {}
        for t, w in words.weights.items():
            rows_with = postings.get(t, ())
            if len(rows_with) > _MAX_POSTING:
                continue
            for n in rows_with:
                if n not in cited:
                    shared[n] = shared.get(n, 0.0) + w
        best_other, best_other_score = None, 0.0
        for n in sorted(shared, key=lambda n: (-shared[n], n))[:_CANDIDATES]:
            s = strength(scorer.score(text, claims_of(rows, (n,))), scorer.score(text, passages_of(rows, (n,))))
            if s > best_other_score:
                best_other, best_other_score = n, s
        out.append(
            ClauseSupport(
                clause,
                words.terms,
                cited,
                claim_score,
                passage_score,
                strength(claim_score, passage_score),
                best_other,
                best_other_score,
            )
        )
    return Analysis(name, tuple(out))


def _analyser(name: str) -> Callable[[Document], Analysis]:
    def analyse(doc: Document) -> Analysis:
        return analyse_with(doc, get(name), name)

    analyse.__name__ = f"analyse_{name}"
    return analyse


# One analysis function per scorer: ``ctx.cached`` keys on the function, so the rules that
# use one scorer share one analysis of the document.
ANALYSERS: Mapping[str, Callable[[Document], Analysis]] = {n: _analyser(n) for n in ("lexical", "semantic")}
analyse = ANALYSERS["lexical"]
