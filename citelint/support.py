"""Is a summary clause backed by the claim rows it cites?

The default scorer is lexical: the share of the clause's content words (stemmed, stop words
removed) that the evidence contains. Measured on the reference example it separates the
supported clauses from the unsupported ones where character-level fuzzy scores and sentence
embeddings did not (embeddings mistake topical relatedness for support), and it needs no
model. A scorer is anything with the ``Scorer`` interface, so a model-based one can be added
as an optional plugin; the default stays offline and light.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple, Protocol

from citelint.model import Clause, Document
from citelint.textnorm import normalize

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves may might must shall said says say according also however including
    could would well one two many much""".split()
)
_MAX_POSTING = 32
_WORD_RE = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")


_STEMS: dict[str, str] = {}


def term(word: str) -> str:
    """The comparison form of a lowercase word: its Porter2 stem ("1,000" -> "1000")."""
    try:
        return _STEMS[word]
    except KeyError:
        pass
    if len(_STEMS) > 500_000:  # bounded in a long-lived process
        _STEMS.clear()
    if word[0].isdigit():
        found = word.replace(",", "")
    else:
        found = _stemmer().stemWord(word)
    _STEMS[word] = found
    return found


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer  # PyStemmer: the Snowball stemmers compiled, ~1 us a word

    return Stemmer.Stemmer("english")


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry content (lowercase, no stop words)."""
    return [w for w in _WORD_RE.findall(normalize(text)) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


@lru_cache(maxsize=4096)
def terms(text: str) -> tuple[str, ...]:
    """Content-word stems of ``text``, in order ("1,000" and "1000" are one term). Cached:
    reports on one topic quote the same passages again and again."""
    return tuple(term(w) for w in content_words(text))


class Scorer(Protocol):
    def coverage(self, clause: Sequence[str], evidence: Iterable[str]) -> float:
        """How much of the clause (content terms) the evidence (content terms) backs, 0-1."""
        ...


class LexicalScorer:
    def coverage(self, clause: Sequence[str], evidence: Iterable[str]) -> float:
        wanted = set(clause)
        if not wanted:
            return 1.0
        # intersection() walks the smaller of two sets: a long evidence is not copied.
        return len(wanted.intersection(evidence)) / len(wanted)


class ClauseSupport(NamedTuple):
    clause: Clause
    terms: tuple[str, ...]
    cited: tuple[int, ...]  # the cited row numbers that exist
    coverage: float  # by the cited claim sentences
    missing: tuple[str, ...]  # clause words (as written) the cited claims lack
    best_other: int | None  # the uncited row whose claim covers the clause best
    best_other_coverage: float


class Analysis(NamedTuple):
    clauses: tuple[ClauseSupport, ...]


def analyse(doc: Document) -> Analysis:
    """The support of every clause of the summary with the default scorer (both support
    rules read it through ``ctx.cached``, so it is computed once per document)."""
    return analyse_with(doc, LexicalScorer())


def context_words(doc: Document, support: ClauseSupport) -> tuple[str, ...]:
    """The clause words its cited claims lack but their contexts have. Contexts are long,
    so they are read only for the clauses a rule reports."""
    rows = doc.rows_by_number()
    contexts = [_term_set(r.context.raw) for n in support.cited for r in rows[n] if r.context]
    return tuple(w for w in support.missing if any(term(w) in have for have in contexts))


@lru_cache(maxsize=256)
def _term_set(text: str) -> frozenset[str]:
    return frozenset(terms(text))


def analyse_with(doc: Document, scorer: Scorer) -> Analysis:
    if doc.summary is None:
        return Analysis(())
    # Two rows with one number (CIT103) are both read: either may be the one meant.
    rows = doc.rows_by_number()
    claim_terms = {n: tuple(t for r in rs for t in terms(r.claim.raw)) for n, rs in rows.items()}
    # An inverted index from term to the rows whose claim has it, so that finding the best
    # other row costs the clause's postings, not one comparison per row.
    claim_sets = {n: frozenset(ts) for n, ts in claim_terms.items()}
    # The evidence of each distinct citation, built once: many clauses citing one long row
    # would otherwise copy its terms once per clause.
    evidence_of: dict[tuple[int, ...], frozenset[str]] = {}
    postings: dict[str, set[int]] = {}
    for n, ts in claim_terms.items():
        for t in set(ts):
            postings.setdefault(t, set()).add(n)
    out = []
    for clause in doc.summary.clauses:
        words = content_words(clause.text.raw)
        clause_terms = [term(w) for w in words]
        cited = tuple(n for n in clause.marker.numbers if n in rows)
        evidence = evidence_of.get(cited)
        if evidence is None:
            evidence = evidence_of[cited] = frozenset().union(*(claim_sets[n] for n in cited))
        coverage = scorer.coverage(clause_terms, evidence)
        missing: list[str] = []
        seen: set[str] = set()
        for w, t in zip(words, clause_terms):
            if t not in evidence and w not in seen:
                seen.add(w)
                missing.append(w)
        counts: dict[int, int] = {}
        for t in set(clause_terms):
            rows_with = postings.get(t, ())
            # A term that many claims share says nothing about which one the clause
            # follows, and reading its long posting list for every clause would make the
            # work grow with clauses times rows.
            if len(rows_with) > _MAX_POSTING:
                continue
            for n in rows_with:
                if n not in cited:
                    counts[n] = counts.get(n, 0) + 1
        best_other = max(counts, key=lambda n: (counts[n], -n)) if counts else None
        out.append(
            ClauseSupport(
                clause=clause,
                terms=tuple(clause_terms),
                cited=cited,
                coverage=coverage,
                missing=tuple(missing),
                best_other=best_other,
                best_other_coverage=scorer.coverage(clause_terms, claim_sets[best_other]) if best_other else 0.0,
            )
        )
    return Analysis(tuple(out))
