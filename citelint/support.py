"""Is a clause backed by the sources it cites? The analysis both support rules share
(computed once per document and scorer, through ``ctx.cached``).

It reads the source-neutral citation model (``citelint.citations``), so it runs on any
format whose sources give a quote or a passage: a SmartBook row's claim sentence is its
quote and its context the passage; a STORM source has no quote, and its snippets are its
passage. Two standards, each with its own evidence:

- the claim standard: the cited sources' quotes, the words the text relies on;
- the passage standard: the cited sources' quotes and passages together, what a reader
  of the source would check. A source with no quote is judged by its passage under both.

A clause is also scored against every other source's evidence with the same scorer, so
that a misattributed citation shows as relative evidence (another source backs the clause
clearly better than the cited one), which survives paraphrase as well as the scorer does.

The interface to the document is small on purpose: clauses (the words a citation group
backs, and the keys it cites) and sources (key, quote text, passage texts). Scorers see
plain text only.
"""
from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Mapping
from typing import NamedTuple, cast

from citelint import citations as model
from citelint import support_text, units
from citelint.citations import CitationGroup, Source
from citelint.model import Document, Text
from citelint.scorers import Scorer, get
from citelint.support_text import STOP_WORDS, content_words, term, terms  # noqa: F401 (re-exported)

# A term that many sources share says nothing about which one the clause follows, and
# reading its long posting list for every clause would make the work grow with clauses
# times sources.
_MAX_POSTING = 32
# Sources (besides the cited ones) scored for each clause: those sharing the most weighted
# clause words. Scoring all would cost clauses times sources.
_CANDIDATES = 3


class ClauseSupport(NamedTuple):
    text: Text  # the words the citation group backs
    group: CitationGroup  # the citation
    terms: tuple[str, ...]  # content-word stems of the clause
    cited: tuple[str, ...]  # the cited keys that name a source
    quoted: bool  # whether the cited sources have quotes (else the claim score is the passage's)
    claim_score: float  # how well the cited quotes back the clause (0-1)
    passage_score: float  # how well the cited quotes and passages back it
    strength: float  # the cited sources' evidence, as CIT303 compares sources (see ``strength``)
    best_other: str | None  # the uncited source with the strongest evidence for the clause
    best_other_score: float  # its strength
    distinct: int  # how many distinct terms (read for each clause by both support rules)


# A ClauseSupport is built as a tuple of its fields, in their order (``analyse_with``).
_new_tuple = tuple.__new__
assert ClauseSupport._fields[:2] == ("text", "group") and len(ClauseSupport._fields) == 11


class Analysis(NamedTuple):
    scorer: str
    clauses: tuple[ClauseSupport, ...]


Sources = Mapping[str, tuple[Source, ...]]


def claims_of(sources: Sources, keys: tuple[str, ...]) -> list[str]:
    # Two sources under one key (CIT103, CIT503) are both read: either may be the one meant.
    return [s.quote.raw for k in keys for s in sources.get(k, ()) if s.quote is not None]


def passages_of(sources: Sources, keys: tuple[str, ...]) -> list[str]:
    return [t for k in keys for s in sources.get(k, ()) for t in s.evidence]


def strength(claim_score: float, passage_score: float) -> float:
    """How strongly a source backs a clause, to compare sources: its quote and its whole
    passage count equally. The passage alone would tie rows whose contexts overlap
    (neighbouring excerpts of one article); the quote alone would miss paraphrase of the
    context. A source with no quote is compared by its passage."""
    return (claim_score + passage_score) / 2


def _order(key: str) -> tuple[int, int, str]:
    """Keys in the order a tie is broken: numbers by value, then the rest by name."""
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def _scores(scorer: Scorer, text: str, sources: Sources, keys: tuple[str, ...]) -> tuple[bool, float, float]:
    """(quoted, claim score, passage score) of the sources ``keys`` for ``text``."""
    claims, passage = claims_of(sources, keys), passages_of(sources, keys)
    passage_score = scorer.score(text, passage) if passage else 0.0
    if not claims:
        return False, passage_score, passage_score
    return True, scorer.score(text, claims), passage_score


class _Judged(NamedTuple):
    """What the analysis found for a clause's words and keys, wherever they stand."""

    terms: tuple[str, ...]
    cited: tuple[str, ...]
    quoted: bool
    claim_score: float
    passage_score: float
    best_other: str | None
    best_other_score: float
    weighted: frozenset[str]  # the terms whose postings chose the candidates
    scored: frozenset[str]  # the sources it was scored against (cited and candidates)
    distinct: int  # how many distinct terms


Evidence = dict[str, tuple[tuple[str | None, str | None, tuple[str, ...]], ...]]


class _Kept:
    """A thread's last analysis with one scorer (in a memo session): each source's evidence,
    the postings, and the judgement of each clause's words and keys. The next analysis
    judges again only the clauses whose words, sources or postings changed."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.evidence: Evidence = {}
        self.postings: dict[str, set[str]] = {}
        self.judged: dict[tuple[str, tuple[str, ...]], _Judged] = {}
        # The sources whose evidence ``evidence`` holds (a source that is the very object
        # is made of the same texts).
        self.sources: tuple[Source, ...] = ()
        # The last run's clauses, their judgements and supports, in order; None when the
        # judgements were not all kept at its end.
        self.made: _Made | None = None
        self._forget()

    def _forget(self) -> None:
        # Which judgements read each source and each term's postings: a change drops those
        # alone. (An entry may outlive its judgement: dropping it again is harmless.)
        self.by_source: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
        self.by_term: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
        self.entries = 0
        # Changed whenever judgements are forgotten without being dropped one by one.
        self.generation = getattr(self, "generation", 0) + 1
        self.dropped: list[_Judged] = []  # the judgements the last ``_follow`` dropped

    def keep(self, key: tuple[str, tuple[str, ...]], judged: _Judged) -> None:
        if len(self.judged) >= _KEEP_JUDGED or self.entries >= 16 * _KEEP_JUDGED:
            self.judged = {}  # (bounded: judged again from now on)
            self._forget()
        self.judged[key] = judged
        by_source, by_term = self.by_source, self.by_term
        for k in judged.scored.union(key[1]):  # (a cited key with no source yet too)
            by_source.setdefault(k, set()).add(key)
        for t in judged.weighted:
            by_term.setdefault(t, set()).add(key)
        self.entries += len(judged.scored) + len(key[1]) + len(judged.weighted)


def _made_of(s: Source) -> tuple[str | None, str | None, tuple[str, ...]]:
    """What a source is made of (all a clause's scores read of it): its quote, passage and
    snippets."""
    return (s.quote.raw if s.quote is not None else None, s.passage.raw if s.passage is not None else None, s.snippets)


def _same(s: Source, o: Source) -> bool:
    """Whether two sources are under one key and made of the same texts (``_made_of``)."""
    q, oq, p, op = s.quote, o.quote, s.passage, o.passage
    return (
        s.key == o.key
        and (q is oq or (q is not None and oq is not None and q.raw == oq.raw))
        and (p is op or (p is not None and op is not None and p.raw == op.raw))
        and s.snippets == o.snippets
    )


def _evidence_followed(kept: _Kept, sources: Sources, listed: tuple[Source, ...]) -> tuple[Evidence, set[str]]:
    """Per key, what its sources are made of (``_made_of``), and the keys whose evidence
    changed since the last run:
    the sources at the start and at the end of ``listed`` that are the last run's very
    objects (found by identity in C: an edit reaches a few rows of thousands) are not read
    again, their keys' evidence unchanged unless a source that is not kept shares the key."""
    old_listed, evidence = kept.sources, kept.evidence
    head, tail = units.same_ends(listed, old_listed)
    middle, old_middle = listed[head : len(listed) - tail], old_listed[head : len(old_listed) - tail]
    if len(middle) == len(old_middle):
        # Rows edited in place (or moved by an edit above them: new objects holding the
        # same texts): only the keys of a source that changed.
        keys: set[str] = set()
        for s, o in zip(middle, old_middle):
            if not _same(s, o):
                keys.update((s.key, o.key))
    else:
        # A row added or deleted: the sources paired from the start and from the end that
        # are made of the same texts under the same keys (moved by the edit, new objects)
        # leave their keys' evidence as it was; the keys of those between are read again.
        start = len(list(itertools.takewhile(bool, map(_same, middle, old_middle))))
        end = len(list(itertools.takewhile(bool, map(_same, reversed(middle), reversed(old_middle)))))
        end = min(end, len(middle) - start, len(old_middle) - start)
        keys = {s.key for s in middle[start : len(middle) - end]}
        keys.update(s.key for s in old_middle[start : len(old_middle) - end])
    new = dict(evidence)
    changed = set()
    for k in keys:
        found = sources.get(k)
        if found is None:
            if new.pop(k, None) is not None:
                changed.add(k)
            continue
        made_of = tuple(_made_of(s) for s in found)
        if evidence.get(k) != made_of:
            changed.add(k)
        new[k] = made_of
    kept.sources = listed
    return new, changed


def _texts(made_of: tuple[str | None, str | None, tuple[str, ...]]) -> tuple[str, ...]:
    """A source's evidence (``Source.evidence``) from what ``_made_of`` keeps of it."""
    quote, passage, snippets = made_of
    return tuple(t for t in (quote, passage, *snippets) if t)


def _kept(name: str) -> _Kept | None:
    from citelint import memo

    session = memo.active()
    return None if session is None else session.kept(f"support-{name}", _Kept)


def analyse_with(doc: Document, scorer: Scorer, name: str = "custom", cits: model.Citations | None = None) -> Analysis:
    cits = model.of(doc) if cits is None else cits
    sources = cits.by_key
    kept = _kept(name) if name in ANALYSER_NAMES else None
    if kept is None:
        # An inverted index from term to the sources whose evidence has it, so that finding
        # the sources worth scoring costs the clause's postings, not one comparison per source.
        postings: dict[str, set[str]] = {}
        for key in sources:
            for t in support_text.term_set(tuple(passages_of(sources, (key,)))):
                postings.setdefault(t, set()).add(key)
        judged: dict[tuple[str, tuple[str, ...]], _Judged] = {}
        keep = judged.__setitem__
    else:
        # The last analysis followed through the change: the postings of the sources whose
        # evidence changed are replaced, and the judgements that read a changed source or
        # a changed posting are dropped.
        try:
            postings, judged = _follow(kept, sources, *_evidence_followed(kept, sources, cits.sources))
        except BaseException:
            kept.reset()  # half followed: start afresh next time
            raise
        keep = kept.keep
    pairs = model.clauses(doc, cits)
    out: list[ClauseSupport | None] = [None] * len(pairs)
    js: list[_Judged | None] = [None] * len(pairs)
    if kept is not None:
        generation = kept.generation
        _reuse(kept, pairs, out, js)
    # (the clauses not reused, found in C: an edit reaches a few of thousands)
    for i in itertools.compress(itertools.count(), map(operator.is_, out, itertools.repeat(None))):
        group, clause = pairs[i]
        text = clause.raw
        j = judged.get((text, group.keys))
        if j is None:
            j = _judge(scorer, text, group.keys, sources, postings)
            keep((text, group.keys), j)
            if kept is not None:
                judged = kept.judged  # (emptied when full)
        js[i] = j
        # ClauseSupport(clause, group, ...) without its Python __new__ (the clauses after a
        # summary edit are new objects, thousands of them).
        out[i] = _new_tuple(
            ClauseSupport,
            (
                clause,
                group,
                j.terms,
                j.cited,
                j.quoted,
                j.claim_score,
                j.passage_score,
                strength(j.claim_score, j.passage_score),
                j.best_other,
                j.best_other_score,
                j.distinct,
            ),
        )
    supports = cast("list[ClauseSupport]", out)
    if kept is not None:
        # Reused next run only if every judgement read is still kept (none forgotten wholesale).
        kept.made = (pairs, cast("list[_Judged]", js), supports) if kept.generation == generation else None
    return Analysis(name, tuple(supports))


# The last run's clauses (each group with its words), their judgements and supports.
_Made = tuple[tuple[tuple[CitationGroup, Text], ...], list[_Judged], list[ClauseSupport]]


def _reuse(kept: _Kept, pairs: tuple[tuple[CitationGroup, Text], ...], out: list[ClauseSupport | None], js: list[_Judged | None]) -> None:
    """Fill ``out`` and ``js`` with the last run's support of each clause at the start and
    at the end of ``pairs`` whose group and words are its very objects (a server's re-lint
    after an edit that did not reach them: found by identity in C, not looked up per
    clause), unless its judgement was dropped since."""
    made = kept.made
    if made is None:
        return
    last_pairs, last_js, last_out = made
    n = min(len(pairs), len(last_pairs))
    head = _same_start(pairs, last_pairs, n)
    tail = min(_same_start(pairs[::-1], last_pairs[::-1], n), n - head) if head < n else 0
    out[:head], js[:head] = last_out[:head], last_js[:head]
    if tail:
        out[len(out) - tail :], js[len(js) - tail :] = last_out[len(last_out) - tail :], last_js[len(last_js) - tail :]
    if kept.dropped:
        # The clauses whose judgement was dropped are judged again (found in C: the
        # dropped judgements are held in ``kept.dropped``, so their ids are not reused).
        ids = list(map(id, js))
        for x in set(map(id, kept.dropped)).intersection(ids):
            i = ids.index(x)
            while True:
                out[i] = js[i] = None
                try:
                    i = ids.index(x, i + 1)
                except ValueError:
                    break


_GROUP, _WORDS = operator.itemgetter(0), operator.itemgetter(1)


def _same_start(a: tuple[tuple[CitationGroup, Text], ...], b: tuple[tuple[CitationGroup, Text], ...], n: int) -> int:
    """How many clauses ``a`` and ``b`` start with whose group and words are the very
    objects (at most ``n``), found in C: first the very pairs (those of a SmartBook
    statement an edit did not reach are kept whole: thousands of clauses, with no list
    made of them), then, from the first pair that is not, its group and words."""
    head = units.same_run(a, b, n)
    if head < n:
        rest, last = a[head:n], b[head:n]
        same = map(
            operator.and_,
            map(operator.is_, map(_GROUP, rest), map(_GROUP, last)),
            map(operator.is_, map(_WORDS, rest), map(_WORDS, last)),
        )
        head += next(itertools.compress(itertools.count(), map(operator.not_, same)), n - head)
    return head


Judgements = dict[tuple[str, tuple[str, ...]], _Judged]


def _follow(
    kept: _Kept, sources: Sources, evidence: Evidence, changed_keys: set[str]
) -> tuple[dict[str, set[str]], Judgements]:
    """The postings and kept judgements of the last analysis followed through the change
    (``changed_keys``: the keys whose evidence changed): the postings of the sources whose
    evidence changed are replaced, and the judgements that read a changed source or a
    changed posting are dropped (and listed in ``kept.dropped``)."""
    postings = kept.postings
    changed_terms: set[str] = set()
    for k in changed_keys:
        old = kept.evidence.get(k)
        before = support_text.term_set(tuple(t for made_of in old for t in _texts(made_of))) if old else frozenset()
        after = support_text.term_set(tuple(passages_of(sources, (k,)))) if k in sources else frozenset()
        for t in before - after:
            with_term = postings[t]
            if len(with_term) <= _MAX_POSTING + 1:  # (a term with more is read by no clause either way)
                changed_terms.add(t)
            with_term.discard(k)
            if not with_term:
                del postings[t]
        for t in after - before:
            with_term = postings.setdefault(t, set())
            if len(with_term) <= _MAX_POSTING:
                changed_terms.add(t)
            with_term.add(k)
    judged = kept.judged
    dropped = kept.dropped = []
    for k in changed_keys:
        for key in kept.by_source.pop(k, ()):
            j = judged.pop(key, None)
            if j is not None:
                dropped.append(j)
    for t in changed_terms:
        for key in kept.by_term.pop(t, ()):
            j = judged.pop(key, None)
            if j is not None:
                dropped.append(j)
    kept.evidence = evidence
    return postings, judged


# Judgements kept from run to run: a report's clauses, and those its edits replaced.
_KEEP_JUDGED = 65_536


def _judge(scorer: Scorer, text: str, keys: tuple[str, ...], sources: Sources, postings: Mapping[str, set[str]]) -> _Judged:
    words = support_text.clause_words(text)
    cited = tuple(k for k in keys if k in sources)
    quoted, claim_score, passage_score = _scores(scorer, text, sources, cited)
    shared: dict[str, float] = {}
    for t, w in words.weights.items():
        with_term = postings.get(t, ())
        if len(with_term) > _MAX_POSTING:
            continue
        for k in with_term:
            if k not in cited:
                shared[k] = shared.get(k, 0.0) + w
    best_other, best_other_score = None, 0.0
    candidates = sorted(shared, key=lambda k: (-shared[k], _order(k)))[:_CANDIDATES]
    for k in candidates:
        s = strength(*_scores(scorer, text, sources, (k,))[1:])
        if s > best_other_score:
            best_other, best_other_score = k, s
    return _Judged(
        words.terms,
        cited,
        quoted,
        claim_score,
        passage_score,
        best_other,
        best_other_score,
        frozenset(words.weights),
        frozenset((*cited, *candidates)),
        len(set(words.terms)),
    )


def _analyser(name: str) -> Callable[[Document], Analysis]:
    def analyse(doc: Document) -> Analysis:
        return analyse_with(doc, get(name), name)

    analyse.__name__ = f"analyse_{name}"
    return analyse


# One analysis function per scorer: ``ctx.cached`` keys on the function, so the rules that
# use one scorer share one analysis of the document.
ANALYSER_NAMES = ("lexical", "semantic")
ANALYSERS: Mapping[str, Callable[[Document], Analysis]] = {n: _analyser(n) for n in ANALYSER_NAMES}
analyse = ANALYSERS["lexical"]
