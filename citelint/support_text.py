"""The words the support scorers compare: content words, their stems, their rarity, and the
numbers, names and negations of a clause."""
from __future__ import annotations

import html
import re
import threading
from functools import lru_cache
from typing import Any, NamedTuple

from citelint import memo
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
NEGATIONS = frozenset("not no never without none nor neither cannot nothing nobody n't".split())
_WORD_RE = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
# Words as written, to find names: a capital, then letters (or an acronym).
_CASED_RE = re.compile(r"[A-Za-z][A-Za-z'\u2019]*")
_NEGATION_RE = re.compile(r"\b(?:not|no|never|without|none|nor|neither|cannot|nothing|nobody)\b|n['\u2019]t\b")
# A word's stem depends on the word alone, so a memo of them holds nothing of a document;
# it is kept per thread (with the stemmer, which must not be shared between threads) so that
# no two threads write one dict, and bounded for a long-lived process.
_LOCAL = threading.local()
MAX_STEMS = 500_000


def stems() -> dict[str, str]:
    """This thread's memo of word -> stem (what ``term`` has computed on this thread)."""
    try:
        found: dict[str, str] = _LOCAL.stems
    except AttributeError:
        found = _LOCAL.stems = {}
    return found


def term(word: str) -> str:
    """The comparison form of a lowercase word: its Porter2 stem ("1,000" -> "1000")."""
    return terms_of([word])[0]


def terms_of(words: list[str]) -> list[str]:
    """``[term(w) for w in words]``, the words this thread has not met stemmed in one call."""
    known = stems()
    try:
        return [known[w] for w in words]  # most words were met before
    except KeyError:
        pass
    missing = [w for w in words if w not in known]
    if len(known) + len(missing) > MAX_STEMS:
        known.clear()
        missing = words
    plain = [w for w in missing if not w[0].isdigit()]
    known.update(zip(plain, _stemmer().stemWords(plain)))
    known.update((w, w.replace(",", "")) for w in missing if w[0].isdigit())
    return [known[w] for w in words]


def _stemmer() -> Any:
    try:
        return _LOCAL.stemmer
    except AttributeError:
        import Stemmer  # PyStemmer: the Snowball stemmers compiled, ~1 us a word

        found = _LOCAL.stemmer = Stemmer.Stemmer("english")
        return found


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry content (lowercase, no stop words)."""
    words = _WORD_RE.findall(normalize(text))
    return [w for w in words if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


def content_words_and_terms(text: str) -> tuple[list[str], list[str]]:
    words = content_words(text)
    return words, terms_of(words)


@memo.pure  # a server's session keeps every text of the report, not only 4096
@lru_cache(maxsize=4096)
def terms(text: str) -> tuple[str, ...]:
    """Content-word stems of ``text``, in order ("1,000" and "1000" are one term). Cached:
    reports on one topic quote the same passages again and again."""
    return tuple(terms_of(content_words(text)))


@memo.pure  # a row's passage terms, kept by a server's session from run to run
def term_set(texts: tuple[str, ...]) -> frozenset[str]:
    """The terms of all of ``texts``."""
    return frozenset(t for text in texts for t in terms(text))


def negated(text: str) -> bool:
    """Whether the text has a negation ("not", "never", "didn't", ...)."""
    return _NEGATION_RE.search(text.lower()) is not None


@lru_cache(maxsize=65536)
def weight(word: str) -> float:
    """How much a term says about what a text is about: rare words more than common ones.
    From wordfreq's Zipf frequency (a general English corpus; 7 is "the", 3 a word met once
    in a million): 1 for the commonest words, up to 4 for rare ones, names and numbers."""
    if word[0].isdigit():
        return 4.0
    from citelint import lexicon

    found = lexicon.load().word(word) if word.isascii() else None
    if found is None:
        return 4.0  # a word English corpora do not know: a name, a term of art
    return max(1.0, min(4.0, 7.0 - found[0]))


class ClauseWords(NamedTuple):
    terms: tuple[str, ...]
    weights: dict[str, float]  # each distinct term, weighted by its rarest word
    pairs: frozenset[tuple[str, str]]  # neighbouring content terms, each pair sorted
    numbers: frozenset[str]  # terms that are numbers
    names: frozenset[str]  # terms of capitalised words not at the clause's start
    negated: bool


@memo.pure
@lru_cache(maxsize=4096)
def clause_words(clause: str) -> ClauseWords:
    words, ts = content_words_and_terms(clause)
    weights: dict[str, float] = {}
    for w, t in zip(words, ts):
        weights[t] = max(weights.get(t, 0.0), weight(w))
    cased = _CASED_RE.findall(html.unescape(clause))
    names = {
        term(w.lower())
        for w in cased[1:]
        if w[0].isupper() and w.lower() not in STOP_WORDS and len(w) > 1 and "'" not in w and "\u2019" not in w
    }
    pairs = frozenset((a, b) if a < b else (b, a) for a, b in zip(ts, ts[1:]) if a != b)
    return ClauseWords(tuple(ts), weights, pairs, frozenset(t for t in ts if t[0].isdigit()), frozenset(names), negated(clause))
