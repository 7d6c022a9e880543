"""Find words glued together by a lost space ("andmore", "ofIran", "Kyivand").

Word splitters used as they are flag every rare word they can cut in two. Here a token is
only judged when it is not a known word, and a split is only proposed when both parts are
real words and the pair is clearly more likely than the token itself: evidence comes from
real bigram counts, and, for a pair too rare to be counted, from the frequencies of its parts.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from citelint.lexicon import BIGRAM_TOTAL, Lexicon

# Words that glue onto the end of a name when a space is lost ("Kyivand", "Israelsaid").
GLUE_WORDS = (
    "and said says the to of in on at for with from has had have was were is are will would "
    "could also after before but or as by that which who"
).split()
# Lowercase words that glue onto the front of a name ("ofIran", "theKremlin").
FRONT_WORDS = frozenset("of in to and the for on at by with from as is was that than into".split())
# Two-letter words that may be one part of a split; "a" is the only one-letter part.
SHORT_WORDS = frozenset("a an as at be by do go he if in is it me my no of on or so to up us we".split())
SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "est", "ly", "ness", "ment", "ments", "ism", "ist", "ists")

# A whitespace-separated word that is only ASCII letters once the punctuation around it is
# off. Found by the regex engine, so the Python loop only sees the few unknown tokens.
_CANDIDATE_RE = re.compile(
    r"(?<!\S)([\"'(\[{<*_\u201c\u2018]*)([A-Za-z]+)(?=[\"')\]}>.,;:!?*_\u201d\u2019]*(?!\S))"
)
_NAME_RE = re.compile(r"(?<![A-Za-z])[A-Z][a-z]{2,}(?![A-Za-z])")
_UNJUDGED = object()
_LOWER_UPPER = re.compile(r"([a-z]+)([A-Z][a-z]{2,})")
# The largest a token may be: longer runs of letters are not prose.
_MAX_LEN = 30


@dataclass(frozen=True)
class Options:
    # How many times likelier the split must be than the token, for lowercase and
    # capitalised tokens (a capitalised rare word is usually a name: "Blackwater").
    ratio: float = 20.0
    capitalised_ratio: float = 500.0
    # The least zipf frequency of each part of a split that no bigram count backs.
    unbacked_part_zipf: float = 3.5
    # The least zipf frequency of a part of three or more letters.
    part_zipf: float = 2.5
    min_letters: int = 4
    allow: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Merge:
    start: int  # offset of the token in the text scanned
    end: int
    token: str
    first: str
    second: str


def candidates(text: str) -> Iterator[tuple[int, str]]:
    """(offset, token) for each whitespace-separated word of ``text`` that is letters only,
    after surrounding punctuation is taken off. Italic or single-quoted words are words
    being talked about, and are left alone."""
    for m in _CANDIDATE_RE.finditer(text):
        before = m.group(1)
        if before.endswith(("*", "_")):
            continue
        end = m.end()
        if before.endswith("'") and text.startswith("'", end):
            continue
        yield m.start(2), m.group(2)


def names(text: str) -> set[str]:
    """Capitalised words of ``text`` (three letters or more)."""
    return set(_NAME_RE.findall(text))


class Detector:
    def __init__(self, lexicon: Lexicon, options: Options | None = None) -> None:
        self.lexicon = lexicon
        self.options = options or Options()
        self._words: dict[str, tuple[float, bool] | None] = {}
        self._verdicts: dict[str, tuple[str, str] | None] = {}

    def info(self, word: str) -> tuple[float, bool] | None:
        try:
            return self._words[word]
        except KeyError:
            found = self._words[word] = self.lexicon.word(word)
            return found

    def scan(self, text: str, names: set[str] | frozenset[str] = frozenset()) -> Iterator[Merge]:
        """Merges in ``text``; ``names`` are capitalised words that stand alone elsewhere in
        the document (a name glued to a following word is only recognised through them)."""
        # Judge each distinct token once; only a flagged one is looked for again.
        tokens = {m.group(2) for m in _CANDIDATE_RE.finditer(text)}
        flagged = {}
        for token in tokens:
            found = self.split(token, names)
            if found:
                flagged[token] = found
        if not flagged:
            return
        for start, token in candidates(text):
            if token in flagged:
                first, second = flagged[token]
                yield Merge(start, start + len(token), token, first, second)

    def split(self, token: str, names: set[str] | frozenset[str] = frozenset()) -> tuple[str, str] | None:
        """The two words ``token`` was glued from, or None."""
        verdict = self._verdicts.get(token, _UNJUDGED)
        if verdict is not _UNJUDGED:
            return verdict  # type: ignore[return-value]
        verdict, depends_on_names = self._judge(token, names)
        if not depends_on_names:
            self._verdicts[token] = verdict
        return verdict

    def _judge(self, token: str, names: set[str] | frozenset[str]) -> tuple[tuple[str, str] | None, bool]:
        if len(token) < self.options.min_letters or len(token) > _MAX_LEN or token.isupper():
            return None, False
        lower = token.lower()
        if lower in self.options.allow:
            return None, False
        if token[0].isupper():
            if not token[1:].islower():
                return None, False
            info = self.info(lower)
            if info is not None and info[1]:
                return None, False
            # A name the word list knows ("Blackwater") is not a name glued to a word.
            frequent = info is not None and info[0] >= self.options.part_zipf
            glues = [] if frequent else [g for g in GLUE_WORDS if lower.endswith(g) and len(token) - len(g) >= 3]
            for glue in glues:
                if token[: -len(glue)] in names:
                    return (token[: -len(glue)], glue), True
            # Sentence-initial merges ("Inthe", "Theshipment") need a counted bigram.
            found = self._best_split(lower, self.options.capitalised_ratio, counted_only=True)
            return (token[0] + found[0][1:], found[1]) if found else None, bool(glues)
        if not token.islower():
            m = _LOWER_UPPER.fullmatch(token)
            if m and m.group(1) in FRONT_WORDS:
                return (m.group(1), m.group(2)), False
            return None, False
        return self._best_split(token, self.options.ratio, counted_only=False), False

    def _real(self, part: str) -> float | None:
        """The zipf frequency of ``part`` if it is a word a split may produce."""
        if len(part) <= 2:
            return 7.0 if part in SHORT_WORDS else None
        info = self.info(part)
        if info is None or not info[1] or info[0] < self.options.part_zipf:
            return None
        return info[0]

    def _known(self, word: str) -> tuple[bool, float]:
        """(never to flag, the word's own zipf frequency)."""
        info = self.info(word)
        if info is not None and info[1]:
            return True, info[0]
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                base = word[: -len(suffix)]
                for stem in (base, base + "e", base[:-1] if base[-1:] == base[-2:-1] else None):
                    if stem:
                        stem_info = self.info(stem)
                        if stem_info is not None and stem_info[1]:
                            return True, 0.0
        return False, info[0] if info else 0.0

    def _best_split(self, word: str, ratio: float, counted_only: bool) -> tuple[str, str] | None:
        known, zipf = self._known(word)
        if known:
            return None
        own = 10 ** (zipf - 9) if zipf > 0 else 0.0
        floor = 100000 / BIGRAM_TOTAL  # the smallest count in the bigram file
        best: tuple[float, str, str] | None = None
        for i in range(1, len(word)):
            first, second = word[:i], word[i:]
            z1 = self._real(first)
            if z1 is None:
                continue
            z2 = self._real(second)
            if z2 is None:
                continue
            p = self.lexicon.bigram_probability(first, second)
            if not p:
                if counted_only or own > 0 or min(z1, z2) < self.options.unbacked_part_zipf:
                    continue
                # An uncounted pair is rarer than the rarest counted one.
                p = min(10 ** (z1 - 9) * 10 ** (z2 - 9), floor)
            if best is None or p > best[0]:
                best = (p, first, second)
        if best is None or best[0] < own * ratio:
            return None
        return best[1], best[2]
