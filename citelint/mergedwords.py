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

_TOKEN_RE = re.compile(r"\S+")
_STRIP_LEFT = "\"'([{<\u201c\u2018"
_STRIP_RIGHT = "\"')]}>.,;:!?\u201d\u2019"
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
    for m in _TOKEN_RE.finditer(text):
        raw = m.group(0)
        left = len(raw) - len(raw.lstrip(_STRIP_LEFT))
        core = raw[left:].rstrip(_STRIP_RIGHT)
        if not core.isascii() or not core.isalpha():
            continue
        before = raw[:left]
        after = raw[left + len(core) :]
        if before.endswith(("*", "_")) or before.endswith("'") and after.startswith("'"):
            continue
        yield m.start() + left, core


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

    def scan(self, text: str, names: Iterable[str] = ()) -> Iterator[Merge]:
        """Merges in ``text``; ``names`` are capitalised words that stand alone elsewhere in
        the document (a name glued to a following word is only recognised through them)."""
        known_names = names if isinstance(names, (set, frozenset)) else set(names)
        for start, token in candidates(text):
            split = self.split(token, known_names)
            if split:
                yield Merge(start, start + len(token), token, split[0], split[1])

    def split(self, token: str, names: set[str] | frozenset[str] = frozenset()) -> tuple[str, str] | None:
        if len(token) < self.options.min_letters or len(token) > _MAX_LEN or token.isupper():
            return None
        if token.lower() in self.options.allow:
            return None
        if token[0].isupper():
            if not token[1:].islower():
                return None
            glued = self._name_and_glue(token, names)
            if glued:
                return glued
            # Sentence-initial merges ("Inthe", "Theshipment") need a counted bigram.
            return self._cached(token.lower(), self.options.capitalised_ratio, token[0])
        if not token.islower():
            m = _LOWER_UPPER.fullmatch(token)
            if m and m.group(1) in FRONT_WORDS:
                return m.group(1), m.group(2)
            return None
        return self._cached(token, self.options.ratio, "")

    def _name_and_glue(self, token: str, names: set[str] | frozenset[str]) -> tuple[str, str] | None:
        lower = token.lower()
        info = self.info(lower)
        if info is not None and (info[1] or info[0] >= self.options.part_zipf):
            return None
        for glue in GLUE_WORDS:
            if lower.endswith(glue) and len(token) - len(glue) >= 3:
                name = token[: -len(glue)]
                if name in names:
                    return name, glue
        return None

    def _cached(self, word: str, ratio: float, capital: str) -> tuple[str, str] | None:
        key = capital + word
        if key not in self._verdicts:
            found = self._best_split(word, ratio, counted_only=bool(capital))
            if found and capital:
                found = (capital + found[0][1:], found[1])
            self._verdicts[key] = found
        return self._verdicts[key]

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
