"""The default scorer: what share of a clause's content the evidence contains.

Measured on expert-labelled reports (benchmarks/support_rules.py), each of these helps on
reports it was not tuned on, so the score combines them and nothing else:

- a clause word counts as backed when the evidence has it (same Porter2 stem) or a WordNet
  synonym or derivation of it ("climbed" / "rose", "decide" / "decision"), at a discount;
- each word is weighted by its rarity in English (wordfreq's Zipf frequency, a general
  corpus, not the labelled set): "mortgage" says more about support than "make";
- pairs of neighbouring content words must also occur near each other in the evidence, so
  that words gathered from all over a long passage do not pass for what it says;
- a number, a name or a negation the clause has and the evidence lacks is a strong sign the
  clause says something else, and lowers the score.

Nothing in it reads the clause's length or position: a short clause is judged by its words.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from citelint import memo
from citelint import support_text as text
from citelint.synonyms import related

SYNONYM_CREDIT = 0.8  # a synonym backs a word, but less surely than the word itself
WINDOW = 4  # content words apart that still make a pair
PAIR_SHARE = 0.5  # weight of the pair score against the word score
NUMBER_PENALTY = 0.25
NAME_PENALTY = 0.1
NEGATION_PENALTY = 0.15


class Prepared(NamedTuple):
    terms: frozenset[str]
    # Where each term occurs, per evidence text: a clause's word pair is found when both
    # words occur near each other in one text.
    positions: tuple[dict[str, list[int]], ...]
    negated: bool


@lru_cache(maxsize=4096)
def prepare(evidence: str) -> Prepared:
    """The terms, their positions and the negation of one evidence text. Cached: a row is
    read for every clause of its report, and reports on one topic quote the same passages."""
    positions: dict[str, list[int]] = {}
    get = positions.get
    for i, t in enumerate(text.terms(evidence)):
        at = get(t)
        if at is None:
            positions[t] = [i]
        else:
            at.append(i)
    return Prepared(frozenset(positions), (positions,), text.negated(evidence))


def _merge(evidence: Sequence[str]) -> Prepared:
    if len(evidence) == 1:
        return prepare(evidence[0])
    return _merged(tuple(evidence))


@lru_cache(maxsize=1024)
def _merged(evidence: tuple[str, ...]) -> Prepared:
    # Cached: a row's claim and context are read together once for every clause of its report.
    parts = [prepare(e) for e in evidence]
    return Prepared(
        frozenset().union(*(p.terms for p in parts)),
        tuple(d for p in parts for d in p.positions),
        any(p.negated for p in parts),
    )


def _places(t: str, positions: dict[str, list[int]]) -> list[int]:
    """Where ``t`` occurs in one evidence text, or else where its synonyms do."""
    found = positions.get(t)
    if found is not None or t[0].isdigit():
        return found or []
    return [i for r in related(t) for i in positions.get(r, ())]


def _near(pair: tuple[str, str], have: Prepared) -> bool:
    """Whether both words of a clause's pair (or their synonyms) occur near each other in
    one evidence text: a paraphrase keeps which words go together."""
    a, b = pair
    for positions in have.positions:
        first = _places(a, positions)
        if first:
            second = _places(b, positions)
            if second and any(abs(i - j) <= WINDOW for i in first for j in second):
                return True
    return False


def credit(term: str, have: frozenset[str]) -> float:
    """How well evidence with the terms ``have`` backs one clause term."""
    if term in have:
        return 1.0
    if not term[0].isdigit() and not related(term).isdisjoint(have):
        return SYNONYM_CREDIT
    return 0.0


class Lexical:
    name = "lexical"

    def score(self, clause: str, evidence: Sequence[str]) -> float:
        return _score(clause, tuple(evidence))


@memo.pure  # a function of the texts alone: a server re-linting a report keeps the scores
def _score(clause: str, evidence: tuple[str, ...]) -> float:
    words = text.clause_words(clause)
    if not words.terms:
        return 1.0
    have = _merge(evidence)
    total = matched = 0.0
    backed = set()
    for t, w in words.weights.items():
        total += w
        c = credit(t, have.terms)
        if c:
            matched += w * c
            backed.add(t)
    score = matched / total
    pairs = words.pairs
    if pairs:
        # A pair with a word the evidence lacks cannot be near: only the others are looked up.
        found = sum(1 for p in pairs if p[0] in backed and p[1] in backed and _near(p, have))
        score = (1 - PAIR_SHARE) * score + PAIR_SHARE * found / len(pairs)
    if any(n not in have.terms for n in words.numbers):
        score -= NUMBER_PENALTY
    if any(n not in have.terms for n in words.names):
        score -= NAME_PENALTY
    if words.negated and not have.negated:
        score -= NEGATION_PENALTY
    return max(0.0, min(1.0, score))


def unbacked(clause: str, evidence: Sequence[str]) -> tuple[str, ...]:
    """The clause's content words (as written, each once) that the evidence backs neither
    by the word nor by a synonym: what a finding quotes."""
    have = _merge(evidence).terms
    out: list[str] = []
    said: set[str] = set()  # what ``out`` holds (a look through the list per word was quadratic)
    for w, t in zip(*text.content_words_and_terms(clause)):
        if credit(t, have) == 0.0 and w not in said:
            out.append(w)
            said.add(w)
    return tuple(out)


SCORER = Lexical()
