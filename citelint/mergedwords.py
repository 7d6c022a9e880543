"""Find words glued together by a lost space ("andmore", "ofIran", "Kyivand").

Word splitters used as they are flag every rare word they can cut in two. Here a token is
only judged when it is not a known word, and a split is only proposed when both parts are
real words and the pair is clearly more likely than the token itself: evidence comes from
real bigram counts, and, for a pair too rare to be counted, from the frequencies of its parts.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Set as AbstractSet
from dataclasses import dataclass
from typing import NamedTuple

from citelint import memo
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
# Inflections and derivations: a known word plus one of these is a word, not a merge.
SUFFIXES = (
    "s es ed d ing er ers est ly ness ment ments ism ist ists like less hood ship ships wise "
    "ward wards ful able ible ish"
).split()
PREFIXES = (
    "non un dis mis re pre post out over under counter fore up sub super anti inter multi semi "
    "co de micro macro geo auto bio eco cyber neo pro pseudo mid mega tele trans hyper ultra "
    "electro socio psycho neuro hydro photo thermo radio aero astro cardio chemo cryo ethno "
    "immuno magneto nano paleo petro proto quasi retro techno poly mono omni infra intra "
    "extra meta para supra"
).split()
# The most frequent function words. A pair no bigram count backs is only taken for a merge
# when one side is one of these ("concerningis", "plantalready"), or when both sides are
# long content words (at least LONG_PART letters): compounds such as "answerback" or
# "basewoman" are content words with a short part.
FUNCTION_WORDS = frozenset(
    """the a an and or but nor of to in on at by for with from as into onto upon about over
    under after before since while when where whether because although though than then so
    is are was were be been being am has have had having will would can could should may
    might must shall do does did not no that which who whom whose what this these those it
    its their his her our my your we they he she you them him us me also just already more
    most very such only even still yet said says say every each some any all many much other
    both either neither how why there here if out up off down through between against during
    without within among across around per via first new own""".split()
) | frozenset(("like", "now", "once", "never", "always", "often", "again"))
# Of those, the adverbs and "like", which glue like function words ("likepraise", "oncemake")
# but may stand between a possessive and its noun no more than a verb does.
ADVERBS = frozenset(("like", "now", "once", "never", "always", "often", "again"))
LONG_PART = 5
# Under a capital, both words must be longer still: short ones make names ("Bargewater").
CAPITALISED_LONG_PART = 6
# Words a capitalised word of six letters or more may be glued to ("Templeof").
GLUE_AFTER = frozenset(
    "of to and the is for with was that from by were has had have will would could are also into your their".split()
)
# Of those, the words that no name ends in, glued to a word of four letters or more
# ("Hallof", "Losingyour"); names end in "to", "is", "by" ("Alito", "Travis", "Kirby").
GLUE_AFTER_SHORT = GLUE_AFTER - {"to", "is", "by", "for", "the"}
# The least length of a lowercase word glued to a capitalised one for the pair to be read as
# a word and a name without the name standing alone in the document ("spokespersonMaria").
CAMEL_FIRST = 6
# "I" glued to a common word: the token's own zipf frequency at most this, and its length
# beyond this when no bigram counts "i" before the word.
RARE_PART_LETTERS = 6
PRONOUN_OWN_ZIPF = 3.0  # "Iwas" (2.3), "Iam" (2.95) are typos the web makes often
# The least zipf frequency of a word before "is" for a capitalised token to be a merge
# rather than the plural of a people ("Lifeis" against "Nuristanis").
PEOPLE_BASE_ZIPF = 4.0
PRONOUN_UNCOUNTED = 5
NUMBER_WORDS = frozenset("two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand million".split())
_ADJECTIVE_ENDINGS = ("al", "ic", "ous", "ive", "ary", "ent", "ant", "ical", "ist", "ism")
ARTICLES = frozenset(("a", "the"))  # "aguy", "theman": an article before a common short word
# Function words that are also prefixes: glued to a word without a bigram count behind
# the pair, they more often make a word ("inhume", "amoral", "overtire", "downcased") than a merge.
PREFIX_LIKE = frozenset("an in be up out over under down".split())
# Function words that begin names ("Tomash", "Fortran", "Bynum", "Onslow").
NAME_PREFIXES = PREFIX_LIKE | frozenset(
    "to for by on at as so no or he we me my is are was were be has had have do did will can may".split()
)
# Endings of verb forms, abstract nouns and adjectives, which names hardly have (a plural
# in "s" is left out: "Peterson", "Masterson" are "Peters", "Masters" before "on").
DERIVED_ENDINGS = (
    "ed", "ing", "tion", "tions", "sion", "sions", "ment", "ments", "ness", "ity", "ive", "ous",
    "able", "ible", "ized", "ised", "ically", "ally",
)
# Function words that glue onto the end or the front of a word the document writes alone
# ("docstringa", "thefilesystem"). Particles are left out: "timeout", "checkin", "logon" and
# "addon" are compounds.
TAIL_GLUE = (
    "the of and to a an is are was were for with as by that this from or but not has have had "
    "which who will would can could should may their its his her our your be been"
).split()
HEAD_GLUE = "the of and to a an is for with as by that from or this".split()
# Capitalised function words that open sentences and seldom begin a name, longest first (a
# token is read with the longest that fits: "Thereby" is no "The" + "reby").
SENTENCE_OPENERS = tuple(
    sorted("the this these those that there their its if when where while what which with from and but each every also".split(), key=len, reverse=True)
)
# The least length of the document's word in such a merge.
DOCUMENT_STEM = 5
# The zipf frequency from which a token is a word of its own rather than a word the
# document writes glued to a function word ("accessor", "requestor"; "thefollowing" is 1.3).
# Chosen on the benchmark's tuning part.
OWN_WORD_ZIPF = 1.5
# A word is read as a verb when the bigram counts put it after a subject pronoun this many
# times more often than after a determiner. Chosen on the benchmark's tuning part.
VERB_RATIO = 5.0
SUBJECT_PRONOUNS = ("they", "we", "you", "i")
DETERMINERS_BEFORE = ("the", "a", "his", "their", "its")
# The least length of a content word glued after a verb form or an adverb ("usedlife").
INFLECTED_SECOND = 3
# The parts a merge of four letters or fewer may have ("itis", "tobe", "ofa", "isa").
SHORT_FUNCTION_WORDS = frozenset(
    "a an and as at be by do he if in is it me my no of on or so the to up us we was are has had not but for".split()
)

# A whitespace-separated word that is only ASCII letters once the punctuation around it is
# off. Found by the regex engine, so the Python loop only sees the few unknown tokens.
_CANDIDATE_RE = re.compile(
    r"(?<!\S)([\"'(\[{<*_\u201c\u2018]*)([A-Za-z]+)(?=[\"')\]}>.,;:!?*_\u201d\u2019]*(?!\S))"
)
# What surrounds a word in a whitespace-separated chunk: the candidates regex's classes.
_EDGE_CHARS = "\"'([{<*_\u201c\u2018)]}>.,;:!?\u201d\u2019"
EDGE_CHARS = _EDGE_CHARS
# A letter outside ASCII is a letter of the word too: "Genetōr" holds no name "Genet".
_NAME_RE = re.compile(r"(?<![^\W\d_])[A-Z][a-z]{2,}(?![^\W\d_])")
_UNJUDGED = object()
# How many distinct chunks a memo holds before it starts again: a run over a few thousand
# reports never gets there, a pipeline that lints millions in one process stays bounded.
MEMO_LIMIT = 500_000
# A capital inside a word: "ofIran", "easternMediterranean", "SystemsEvaluation", "andI".
_CASE_BREAK = re.compile(r"([A-Za-z][a-z]*)([A-Z][a-z]*)")
# Capitalised articles and prepositions that glue onto a name at a sentence's start
# ("InEurope", "TheUniversity"); pronouns and "No", "Any", "Be" make brands ("MySpace",
# "WeChat", "NoSQL", "AnyConnect", "BeReal").
CAPITAL_GLUE = frozenset("The An In At On Of To For With From By Into".split())
# Early Modern English spelt "-ical" as "-icall" ("hepaticall parte"): no "-ic" + "all".
ARCHAIC_ENDINGS = ("icall", "icalle")
# Particles glued together make words and compounds ("inout", "upon", "outdo"), never merges.
PARTICLES = frozenset("in out up on off over under down".split())
# A function word glued to an acronym ("theSPF", "aBIOS"), an acronym glued to a word
# ("SMTPserver", "NFSis").
_WORD_ACRONYM = re.compile(r"([a-z]+)([A-Z]{2,})")
_ACRONYM_WORD = re.compile(r"([A-Z]{2,})([a-z]{2,})")
# The function words an acronym is glued to; "an" and "it" make names ("UBSan", "MBit").
ACRONYM_GLUE = frozenset(GLUE_WORDS) | FRONT_WORDS | {"a"}
# The least length of an acronym glued to a content word ("VMware" is a brand).
ACRONYM_LETTERS = 3
# The least length of a word glued to a name in a damaged document ("Debianpackage").
DAMAGED_GLUED_LETTERS = 6
# The largest a token may be: longer runs of letters are not prose.
_MAX_LEN = 30


@dataclass(frozen=True)
class Options:
    """The detector's thresholds and the words never to flag."""

    # How many times likelier the split must be than the token, for lowercase and
    # capitalised tokens (a capitalised rare word is usually a name: "Blackwater").
    ratio: float = 20.0
    capitalised_ratio: float = 100.0
    # The least zipf frequency of each part of a split that no bigram count backs.
    unbacked_part_zipf: float = 2.9
    # The least zipf frequency of a part of three or more letters.
    part_zipf: float = 2.5
    min_letters: int = 5
    # A merge of fewer letters: its pair must have at least this bigram probability, and
    # the token itself at most this zipf frequency.
    short_bigram: float = 3e-6
    # The same for "a" before a common word of three letters ("awar", "abox").
    article_bigram: float = 1e-6
    short_own_zipf: float = 3.0
    # The least zipf frequency of the word a capitalised function word is glued to, when
    # no bigram count backs the pair ("Thecivility").
    capitalised_part_zipf: float = 3.0
    # The least zipf frequency of a part that is no dictionary word, or of a three-letter
    # word after an article.
    common_zipf: float = 4.0
    # The least bigram probability of two capitalised words glued together ("UnitedStates").
    title_bigram: float = 3e-7
    # How much likelier still a split of two content words must be than the token.
    compound_factor: float = 10.0
    # The least bigram probability for a capitalised token: a rare capitalised word is
    # usually a name ("Totie"), and only a very common pair ("In the") outweighs that.
    capitalised_bigram: float = 1e-5
    # The least zipf frequency of a name glued to a function word ("Washingtonand") when
    # the name does not stand alone in the document.
    name_zipf: float = 3.0
    # A token the web writes solid (wordsegment's unigram counts) that splits at a function
    # word is left alone when its count is at least this share of the pair's bigram count.
    joined_ratio: float = 0.03
    # The least zipf frequency of a dictionary word of RARE_PART_LETTERS letters or more
    # glued after a function word ("ofdejection").
    rare_part_zipf: float = 2.0
    # The least zipf frequency of the stem of a derivation ("moved" from "move").
    stem_zipf: float = 2.0
    # The least zipf frequency of a content word glued to an acronym ("SMTPserver") or,
    # in a damaged document, to a name ("Debianpackage").
    glued_word_zipf: float = 3.0
    # The zipf frequency from which a capitalised token is a name of its own rather than a
    # name glued to a function word ("Farhad" is no "Far had").
    name_own_zipf: float = 1.0
    allow: frozenset[str] = frozenset()
    # The document has merges of a function word elsewhere: a lossy conversion went over it,
    # and capitalised tokens are judged as lowercase ones are, title-case pairs of two
    # words or names ("OliverGoldsmith") and names glued to a word ("Debianpackage") taken.
    damaged: bool = False


class Merge(NamedTuple):
    start: int  # offset of the token in the text scanned
    end: int
    token: str
    first: str
    second: str
    # The word the second part ends with when it is itself a name glued to a word ("over"
    # of "ofMelitopolover": three words, two spaces lost), or "".
    third: str = ""

    def split(self) -> str:
        """The words the token was glued from, as they should be written."""
        if self.third:
            return f"{self.first} {self.second[: -len(self.third)]} {self.third}"
        return f"{self.first} {self.second}"


# A word alone between these is a word being talked about ("the term 'andmore'", a
# foreign word in quotes, a cross-reference in braces): it is spelt as meant.
_QUOTES = {"'": "'", '"': '"', "\u201c": "\u201d", "\u2018": "\u2019", "{": "}", "<": ">"}


def candidates(text: str) -> Iterator[tuple[int, str]]:
    """(offset, token) for each whitespace-separated word of ``text`` that is letters only,
    after surrounding punctuation is taken off. Italic or quoted words are words being
    talked about, and are left alone."""
    for m in _CANDIDATE_RE.finditer(text):
        before = m.group(1)
        if before.endswith(("*", "_")):
            continue
        end = m.end()
        if before and before[-1] in _QUOTES:
            after = end
            while after < len(text) and after - end < 3 and text[after] in ".,;:!?":
                after += 1  # "autismus," with the comma inside the quotes
            if text.startswith(_QUOTES[before[-1]], after):
                continue
        yield m.start(2), m.group(2)


@memo.pure  # a server re-linting a report reads a long summary's words once
def _candidates_of(text: str) -> tuple[tuple[int, str], ...]:
    return tuple(candidates(text))


def names(text: str) -> set[str]:
    """Capitalised words of ``text`` (three letters or more)."""
    return set(_NAME_RE.findall(text))


class Detector:
    def __init__(self, lexicon: Lexicon, options: Options | None = None) -> None:
        self.lexicon = lexicon
        self.options = options or Options()
        self._words: dict[str, tuple[float, bool] | None] = {}
        self._verdicts: dict[str, tuple[str, str] | None] = {}
        self._seen: set[str] = set()
        self._flagged: set[str] = set()
        self._name_dependent: set[str] = set()

    def info(self, word: str) -> tuple[float, bool] | None:
        try:
            return self._words[word]
        except KeyError:
            found = self._words[word] = self.lexicon.word(word)
            return found

    def scan(
        self,
        text: str,
        names: AbstractSet[str] = frozenset(),
        chunks: AbstractSet[str] | None = None,
        words: AbstractSet[str] = frozenset(),
    ) -> Iterator[Merge]:
        """Merges in ``text``; ``names`` are capitalised words that stand alone elsewhere in
        the document (a name glued to a following word is only recognised through them);
        ``chunks`` is ``set(text.split())`` when the caller has it already."""
        # Whitespace-separated chunks are judged once per detector, in bulk: set operations
        # run in C, and Python only looks at chunks it has never seen (plus the few whose
        # verdict depends on the document's names).
        if chunks is None:
            chunks = set(text.split())
        if len(self._seen) > MEMO_LIMIT:  # a long-lived process (the API): start afresh
            for memo in (self._seen, self._flagged, self._name_dependent, self._verdicts, self._words):
                memo.clear()
        fresh = chunks - self._seen
        for chunk in fresh:
            core = chunk.strip(_EDGE_CHARS)
            verdict, by_names = (None, False)
            if not (core.isalpha() and core.isascii()):
                pass
            elif (core.islower() or core[1:].islower()) and self._is_dictionary_word(core.lower()):
                pass  # most words, capitalised or not: known as they stand
            else:
                verdict, by_names = self._verdict(core, names, words)
            if by_names:
                self._name_dependent.add(chunk)
            elif verdict:
                self._flagged.add(chunk)
        self._seen |= fresh
        flagged: dict[str, tuple[str, str]] = {}
        for chunk in chunks & self._name_dependent:
            core = chunk.strip(_EDGE_CHARS)
            found = self.split(core, names, words)
            if found:
                flagged[core] = found
        for chunk in chunks & self._flagged:
            core = chunk.strip(_EDGE_CHARS)
            found = self.split(core, names, words)
            if found:
                flagged[core] = found
        if not flagged:
            return
        for start, token in _candidates_of(text):
            if token in flagged:
                first, second = flagged[token]
                yield Merge(start, start + len(token), token, first, second)

    def _verdict(
        self, token: str, names: AbstractSet[str], words: AbstractSet[str] = frozenset()
    ) -> tuple[tuple[str, str] | None, bool]:
        cached = self._verdicts.get(token, _UNJUDGED)
        if cached is not _UNJUDGED:
            return cached, False  # type: ignore[return-value]
        verdict, depends_on_names = self._judge(token, names, words)
        if not depends_on_names:
            self._verdicts[token] = verdict
        return verdict, depends_on_names

    def split(
        self, token: str, names: AbstractSet[str] = frozenset(), words: AbstractSet[str] = frozenset()
    ) -> tuple[str, str] | None:
        """The two words ``token`` was glued from, or None; ``words`` are the lowercase words
        that stand alone in the document."""
        return self._verdict(token, names, words)[0]

    def _judge(
        self, token: str, names: AbstractSet[str], words: AbstractSet[str] = frozenset()
    ) -> tuple[tuple[str, str] | None, bool]:
        if len(token) < 3 or len(token) > _MAX_LEN or token.isupper():
            return None, False
        lower = token.lower()
        if lower in self.options.allow:
            return None, False
        if any(lower.startswith(p) and lower[len(p) :] in PARTICLES for p in PARTICLES):
            return None, False  # "inout", "onto": particles make words
        if lower.endswith(ARCHAIC_ENDINGS):
            return None, False  # "hepaticall", "musicall": Early Modern spellings of "-ical"
        if not token[1:].islower():
            acronym = self._acronym(token)
            if acronym:
                return acronym, False
            return self._case_break(token, names, words)
        if token[0] == "I" and len(token) >= 3:
            own = self.info(lower)
            rest = self.info(lower[1:])
            if (own is None or own[0] < PRONOUN_OWN_ZIPF) and rest is not None and rest[1] and rest[0] >= self.options.common_zipf:
                # "Idid", "Iwoke": the pronoun glued to a common word, counted beside it
                # or long enough not to be a name or a brand ("Ipad").
                if len(lower) > PRONOUN_UNCOUNTED or self.lexicon.bigram_probability("i", lower[1:]):
                    return ("I", lower[1:]), False
        if token[0].isupper() and len(token) < self.options.min_letters:
            return self._short_split(lower, (self.info(lower) or (0.0, False))[0]), False  # "Itis"
        if token[0].isupper():
            info = self.info(lower)
            if info is not None and info[1]:
                return None, False
            if self.options.damaged:
                return self._damaged_capitalised(token, names)
            # A name the word list knows ("Blackwater", "Farhad", "Helland": written so on
            # the web often enough to be counted) is not a name glued to a word.
            frequent = info is not None and info[0] >= self.options.name_own_zipf
            # "Nuristanis", "Zanzibaris": the plural of a people, not "Zanzibar is".
            glues = [] if frequent else [g for g in GLUE_WORDS if lower.endswith(g) and len(token) - len(g) >= 3 and g != "is"]
            for glue in glues:
                base = token[: -len(glue)]
                if base in names:
                    return (base, glue), True
                # "Washingtonand": a name the lexicon knows well, glued to a function word
                # of three letters or more (names end in "in", "at", "to": "Landin").
                known = self.info(base.lower())
                if len(glue) >= 3 and known is not None and known[0] >= self.options.name_zipf:
                    return (base, glue), False
            found = self._best_split(
                lower, self.options.capitalised_ratio, counted_only=False, least=self.options.capitalised_bigram, capitalised=True
            )
            if found and self._people(found[0], found[1]):
                found = None  # "Nuristanis", "Zanzibaris": the plural of a people ("Thereis" is no people)
            if found:
                return (token[0] + found[0][1:], found[1]), bool(glues)
            if token[1:].islower():
                opened, by_words = self._opener_glued(lower, words)
                if opened:
                    return (token[: len(opened[0])], opened[1]), by_words or bool(glues)
                return None, by_words or bool(glues)
            return None, bool(glues)
        found = self._best_split(token, self.options.ratio, counted_only=False)
        if found or self._known(lower)[0]:
            return found, False
        return self._document_word_glued(lower, words)

    def _opener_glued(self, lower: str, words: AbstractSet[str]) -> tuple[tuple[str, str] | None, bool]:
        """A capitalised word that opens sentences and begins no name ("The", "This", "If")
        glued to a word of DOCUMENT_STEM letters or more that the dictionary has or the
        document writes alone ("Thetilde", "Thiswould", "Thewhitespace"): a sentence's first
        two words, where the capital hides the function word from the lowercase reading
        (the bigram counts lack rare pairs such as "the tilde"). And whether the verdict
        depends on the document's words."""
        for head in SENTENCE_OPENERS:
            rest = lower[len(head) :]
            if not lower.startswith(head) or len(rest) < DOCUMENT_STEM:
                continue
            if self._is_dictionary_word(rest):
                return (head, rest), False
            if rest in words:
                return (head, rest), True
            return None, True
        return None, False

    def _people(self, first: str, second: str) -> bool:
        """Whether a capitalised split into a word and "is" is the plural of a people
        ("Nuristanis", "Zanzibaris"): a place's name, rarer than the common words that
        start a sentence before "is" ("Loveis", "Lifeis", "Datais")."""
        if second != "is" or first in FUNCTION_WORDS:
            return False
        info = self.info(first)
        return info is None or info[0] < PEOPLE_BASE_ZIPF

    def _damaged_capitalised(self, token: str, names: AbstractSet[str]) -> tuple[tuple[str, str] | None, bool]:
        """A capitalised token in a document damaged elsewhere: judged as a lowercase token
        is ("Theinquiry", "Officialssaid"), or a name the document writes alone, or a word
        the lexicon knows, glued to a common word ("Debianpackage", "Linuxequivalent")."""
        lower = token.lower()
        found = self._best_split(lower, self.options.ratio, counted_only=False)
        # Only with a function word: two content words under a capital are a compound
        # ("Bootloader", "Timesharing") or a name as often as not, damaged document or no.
        if found and (found[0] in FUNCTION_WORDS or found[1] in FUNCTION_WORDS) and not self._people(found[0], found[1]):
            return (token[0] + found[0][1:], found[1]), False
        info = self.info(lower)
        if info is not None and info[0] >= self.options.part_zipf:
            return None, False  # a name the word list knows ("Blackwater")
        # A name the document writes alone glued to a long common word; short ones make
        # place names ("Campbelltown", "Riverland").
        for i in range(len(token) - DAMAGED_GLUED_LETTERS, 2, -1):
            base, rest = token[:i], lower[i:]
            if base in names and self._is_dictionary_word(rest) and (self.info(rest) or (0.0, False))[0] >= self.options.glued_word_zipf:
                return (base, rest), True
        return None, bool(names)

    def _document_word_glued(self, word: str, words: AbstractSet[str]) -> tuple[tuple[str, str] | None, bool]:
        """A word the document writes alone, too rare or too new for the word list, glued
        to a function word ("docstringa", "thefilesystem"); and whether the verdict depends
        on the document."""
        possible = False
        own = self.info(word)
        if own is not None and own[0] >= OWN_WORD_ZIPF:
            return None, False  # a word of its own the web writes ("accessor" is no "access or")
        for glue in TAIL_GLUE:
            stem = word[: -len(glue)]
            if word.endswith(glue) and len(stem) >= DOCUMENT_STEM:
                possible = True
                if stem in words:
                    return (stem, glue), True
        for glue in HEAD_GLUE:
            rest = word[len(glue) :]
            if word.startswith(glue) and len(rest) >= DOCUMENT_STEM:
                possible = True
                if rest in words:
                    return (glue, rest), True
        return None, possible

    def _case_break(
        self, token: str, names: AbstractSet[str], words: AbstractSet[str] = frozenset()
    ) -> tuple[tuple[str, str] | None, bool]:
        """A word glued to a capitalised word: both sides must be words (or names standing
        alone in the document), and the whole must not be a known word ("YouTube")."""
        m = _CASE_BREAK.fullmatch(token)
        if not m:
            return None, False
        first, second = m.groups()
        info = self.info(token.lower())
        if info is not None and (info[1] or info[0] >= self.options.part_zipf):
            return None, False
        if first[0].isupper() and self._title_phrase(first.lower(), second.lower()):
            return (first, second), False  # "UnitedStates", "TradeAssociation"
        if first in CAPITAL_GLUE and len(second) >= 3 and (info is None or info[0] < self.options.name_own_zipf):
            # "InEurope", "TheUniversity", "AtHarvard": an article or a preposition glued to
            # a name or a word. Brands built so are written so on the web ("InDesign").
            if second in names:
                return (first, second), True
            known = self.info(second.lower())
            if known is not None and known[0] >= self.options.name_zipf:
                return (first, second), False
            return None, bool(names)
        if first[0].isupper() and len(first) >= 3 and len(second) >= 3 and second.lower() not in FUNCTION_WORDS:
            # "OliverGoldsmith" where the document writes "Oliver Goldsmith": a name it
            # writes apart elsewhere is no brand written solid. In a document damaged
            # elsewhere, two words or names the document writes alone.
            if f"{first} {second}" in words:
                return (first, second), True
            if self.options.damaged and first.lower() not in PREFIXES and self._name(first, names) and self._name(second, names) and (
                info is None or info[0] < self.options.name_own_zipf
            ):
                # Two names or words ("OliverGoldsmith", "MarkTwain"), written alone too or
                # known to the lexicon; a brand in camel case is written so on the web
                # ("VirtualBox", "PipeWire"), has a short part ("PolicyKit") or starts with a
                # prefix ("MicroEmacs", "HyperTalk").
                return (first, second), True
            return None, True
        if first[0].isupper() and (
            len(first) < 3 or second.lower() not in FUNCTION_WORDS or first.lower() in FUNCTION_WORDS
        ):
            # Two capitalised words are a brand ("NorthShore", "MedWatch"), a name
            # ("McCain", "DeSantis") or a title ("BeingThere") unless the second is a
            # sentence's first word ("IssuesThe").
            return None, False
        if first in FRONT_WORDS and len(second) >= 3:
            return (first, second), False  # "ofIran", "theZaporizhzhia": any name will do
        if first[0].islower() and second != "I" and second.lower() not in FUNCTION_WORDS:
            # "camelCased", "microLenat", "iPhone": a word glued to a capitalised word is
            # a merge only when that word is a name the document writes alone, or when a
            # long dictionary word is glued to a capitalised word the lexicon knows well
            # ("spokespersonMaria"): camel-case names begin with a short verb or a prefix.
            if first in PREFIXES or (second not in names and not self._word_then_name(first, second)):
                return None, bool(names)
        first_ok = self._real(first.lower()) is not None
        first_named = not first_ok and first in names
        if second == "I":  # "andI", "HowI"
            second_ok, second_named = True, False
        elif len(second) < 3:
            return None, False
        else:
            second_ok = self._real(second.lower()) is not None
            second_named = not second_ok and second in names
        if (first_ok or first_named) and (second_ok or second_named):
            return (first, second), first_named or second_named
        return None, bool(names) and not (first_ok and second_ok)

    def _acronym(self, token: str) -> tuple[str, str] | None:
        """A function word glued to an acronym ("theSPF", "ofPAM", "aBIOS"), or an acronym
        glued to a function word ("NFSis", "SMTPor") or to a common word ("SMTPserver",
        "ISOimage"); never a token the word list knows ("VMware")."""
        info = self.info(token.lower())
        if info is not None and (info[1] or info[0] >= self.options.part_zipf):
            return None
        m = _WORD_ACRONYM.fullmatch(token)
        if m:
            return (m.group(1), m.group(2)) if m.group(1) in ACRONYM_GLUE else None
        m = _ACRONYM_WORD.fullmatch(token)
        if not m:
            return None
        acronym, word = m.groups()
        if word in ACRONYM_GLUE:
            return acronym, word
        if not self.options.damaged:
            return None  # "SPARCsystem 4": a product name, unless the document is damaged
        if len(acronym) < ACRONYM_LETTERS or len(word) < 5 or not self._is_dictionary_word(word):
            return None  # "GNUstep", "VMware": a brand glues short words on
        if self._is_dictionary_word(acronym.lower()):
            return None  # a word in capitals, not an acronym ("TURBOchannel")
        zipf = (self.info(word) or (0.0, False))[0]
        return (acronym, word) if zipf >= self.options.glued_word_zipf else None

    def _name(self, part: str, names: AbstractSet[str]) -> bool:
        """Whether a capitalised ``part`` is a name the document writes alone, or a word of
        four letters or more the lexicon knows well ("William", "Shakespeare")."""
        if part in names:
            return True
        info = self.info(part.lower())
        return len(part) >= 4 and info is not None and info[0] >= self.options.name_zipf

    def _word_then_name(self, first: str, second: str) -> bool:
        if len(first) < CAMEL_FIRST or len(second) < 4 or not self._is_dictionary_word(first):
            return False
        info = self.info(second.lower())
        return info is not None and info[0] >= self.options.name_zipf

    def _title_phrase(self, first: str, second: str) -> bool:
        """Two capitalised words of a common phrase glued together ("UnitedStates"): both
        common content words of four letters or more, and the pair counted. A brand glued
        on purpose ("NorthShore") is usually a rarer pair, and titles made of function words
        ("BeingThere") are left alone."""
        if min(len(first), len(second)) < 4 or first in FUNCTION_WORDS or second in FUNCTION_WORDS:
            return False
        z1, z2 = self._real(first), self._real(second)
        if z1 is None or z2 is None or min(z1, z2) < self.options.unbacked_part_zipf:
            return False
        return self.lexicon.bigram_probability(first, second) >= self.options.title_bigram

    def _real(self, part: str) -> float | None:
        """The zipf frequency of ``part`` if it is a word a split may produce."""
        if len(part) <= 2:
            return 7.0 if part in SHORT_WORDS else None
        info = self.info(part)
        if info is None or info[0] < (self.options.part_zipf if info[1] else self.options.common_zipf):
            return None  # a word outside the dictionary only when common ("favorite")
        return info[0]

    def _known(self, word: str) -> tuple[bool, float]:
        """(never to flag, the word's own zipf frequency)."""
        info = self.info(word)
        if info is not None and info[1]:
            return True, info[0]
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                base = word[: -len(suffix)]
                if suffix == "d" and not base.endswith("e"):
                    continue  # "moved", never "akind" ("akin" + "d")
                # "moved", "hoping", "stopped": a silent "e" or a doubled consonant goes
                # before a suffix that starts with a vowel ("agood" is no "ago" + "od").
                vowel = suffix[0] in "aeiou"
                doubled = vowel and base[-1:] == base[-2:-1] and base[-1:] not in ("a", "e", "i", "o", "u")
                for stem in (base, base + "e" if vowel else None, base[:-1] if doubled else None):
                    if stem and stem not in FUNCTION_WORDS and self._is_dictionary_word(stem) and (suffix in ("s", "es") or self._used(stem)):
                        return True, 0.0
        for prefix in PREFIXES:
            rest = word[len(prefix) :]
            if word.startswith(prefix) and len(rest) >= 4 and rest not in FUNCTION_WORDS:
                # "overagain", "underanother": a prefix that is a word of its own, before a
                # word the bigram counts write after it, is that word.
                if self._is_dictionary_word(rest) and not self.lexicon.bigram_probability(prefix, rest):
                    return True, 0.0
        return False, info[0] if info else 0.0

    def _rare_part(self, part: str, function: str) -> float | None:
        """The zipf frequency of ``part`` when it is a long dictionary word too rare for
        ``_real`` glued to a function word that is no prefix ("ofdejection", "thelogician",
        "incapacitiesof"): the function word is what makes the token no word."""
        if function not in FUNCTION_WORDS or function in PREFIX_LIKE or len(function) < 2 or len(part) < RARE_PART_LETTERS:
            return None
        info = self.info(part)
        if info is None or not info[1] or info[0] < self.options.rare_part_zipf:
            return None
        return info[0]

    def _short_split(self, word: str, zipf: float, article: bool = False) -> tuple[str, str] | None:
        """A merge of four letters or fewer: two of the commonest words, a pair the bigram
        counts know well, and a token that is itself rare ("itis", "tobe", "ofa"); with
        ``article`` (a lowercase token), also "a" before a common word ("abig", "aset")."""
        if zipf >= self.options.short_own_zipf:
            return None
        best: tuple[float, str, str] | None = None
        for i in range(1, len(word)):
            first, second = word[:i], word[i:]
            common = article and first == "a" and (self._real(second) or 0.0) >= self.options.common_zipf
            if common or (first in SHORT_FUNCTION_WORDS and second in SHORT_FUNCTION_WORDS):
                p = self.lexicon.bigram_probability(first, second)
                if p >= (self.options.article_bigram if common else self.options.short_bigram) and (best is None or p > best[0]):
                    best = (p, first, second)
        return (best[1], best[2]) if best else None

    def _derived(self, word: str) -> bool:
        """Whether ``word`` is a dictionary word of five letters or more with an ending that
        makes a verb form, an abstract noun or an adjective ("Implemented", "Positioning",
        "Specifications"): such a word capitalised starts a sentence, not a name, so a
        function word glued to it ("Writtenin") is damage."""
        return len(word) >= 5 and word.endswith(DERIVED_ENDINGS) and self._is_dictionary_word(word)

    def _inflected(self, word: str) -> bool:
        """Whether ``word`` is a dictionary word in a verb form or an adverb ("used",
        "representing", "semantically"), which never starts a compound written solid:
        glued to a content word ("usedparticularly") it is a merge."""
        if len(word) < 5 or not self._is_dictionary_word(word):
            return False
        if word.endswith("ly"):  # "usually", "possibly", "happily", not "family", "butterfly"
            stems = (word[:-2], word[:-1] + "e", word[:-3] + "y" if word.endswith("ily") else "")
        elif word.endswith(("ed", "ing")):  # "used", "moved", "stopped", "hoping", not "string", "speed"
            base = word[:-2] if word.endswith("ed") else word[:-3]
            stems = (base, base + "e", base[:-1] if base[-1:] == base[-2:-1] else "")
        else:
            return False
        return any(len(stem) >= 3 and self._is_dictionary_word(stem) for stem in stems)

    def _plural_noun(self, word: str) -> bool:
        return len(word) >= 5 and word.endswith("s") and not word.endswith(("ss", "us", "is")) and self._is_dictionary_word(word[:-1])

    def _subject_verb(self, first: str, second: str) -> bool:
        """Whether ``first`` is a plural noun and ``second`` a verb of the present plural
        ("operationssee", "pagesmake"): a subject and its verb, never a compound ("techspeak"
        is no "techs peak": a peak is a noun)."""
        if len(first) < 5 or not first.endswith("s") or first.endswith(("ss", "us", "is")):
            return False
        return self._is_dictionary_word(first[:-1]) and self.plural_verb(second)

    def plural_verb(self, word: str) -> bool:
        """Whether ``word`` (lower case) is a verb of the present plural ("include",
        "remain"): the bigram counts put it after a subject pronoun VERB_RATIO times more
        often than after a determiner ("they include" against "the include"); a noun or an
        adjective goes the other way ("the war", "the largest")."""
        if word in FUNCTION_WORDS or word.endswith("s"):
            # Function words have their own readings; a verb in "s" agrees with a singular.
            return False
        bigram = self.lexicon.bigram_probability
        subject = sum(bigram(s, word) for s in SUBJECT_PRONOUNS)
        return subject > 0 and subject > VERB_RATIO * sum(bigram(d, word) for d in DETERMINERS_BEFORE)

    def _used(self, stem: str) -> bool:
        """Whether a dictionary word is used enough for a word derived from it to be read as
        a derivation: "astr", "thebe" and "notus" are in the dictionary, but "astring",
        "thebest" and "notused" are merges. (Any dictionary noun has a plural: "grainfields".)"""
        info = self.info(stem)
        return info is not None and info[0] >= self.options.stem_zipf

    def is_dictionary_word(self, word: str) -> bool:
        return self._is_dictionary_word(word)

    def real(self, part: str) -> float | None:
        """The zipf frequency of ``part`` (lower case) if it is a word a split may produce."""
        return self._real(part)

    def verb_evidence(self, first: str, second: str) -> bool:
        """Whether a split of two content words reads as a lost space by itself, a verb
        where no compound has one: a verb form or an adverb on either side
        ("usedparticularly", "scientistsengaged"), a subject and its verb ("operationssee",
        "moduledefines"). A compound written solid ends in a noun ("hintslight",
        "accountsservice")."""
        if len(second) < INFLECTED_SECOND:
            return False
        if self._inflected(first) or self._subject_verb(first, second):
            return True
        if self._plural_noun(first) and self._inflected(second):
            return True  # "scientistsengaged"; but "clearsigned", "handcrafted" are compounds
        # A verb of the third person singular: its stem is a verb of the present plural
        # ("defines", "installs"; not "files", "protocols": nouns).
        if second.endswith("s") and not second.endswith("ss"):
            stems = (second[:-1], second[:-2]) if second.endswith("es") else (second[:-1],)
            return any(len(stem) >= 3 and self.plural_verb(stem) for stem in stems)
        return False

    def _is_dictionary_word(self, word: str) -> bool:
        info = self.info(word)
        return info is not None and info[1]

    def _best_split(
        self, word: str, ratio: float, counted_only: bool, least: float = 0.0, capitalised: bool = False
    ) -> tuple[str, str] | None:
        known, zipf = self._known(word)
        if known:
            return None
        own = 10 ** (zipf - 9) if zipf > 0 else 0.0
        if len(word) < self.options.min_letters:
            return self._short_split(word, zipf, article=not capitalised)
        floor = 100000 / BIGRAM_TOTAL  # the smallest count in the bigram file
        best: tuple[float, str, str] | None = None
        for i in range(1, len(word)):
            first, second = word[:i], word[i:]
            z1 = self._real(first)
            if z1 is None and not capitalised:
                z1 = self._rare_part(first, second)  # "incapacitiesof"
            if z1 is None:
                continue
            z2 = self._real(second)
            if z2 is None:
                z2 = self._rare_part(second, first)
                if z2 is None:
                    continue
            p = self.lexicon.bigram_probability(first, second)
            if capitalised and 0 < p < least and not (
                (first in FUNCTION_WORDS and len(second) >= 4)
                or (len(first) >= 6 and second in GLUE_AFTER)
                or (len(first) >= 4 and second in GLUE_AFTER_SHORT)
                or (len(first) >= 4 and second == "is" and z1 >= PEOPLE_BASE_ZIPF)  # "Lifeis"
                or (first in FUNCTION_WORDS and first not in NAME_PREFIXES and len(second) >= 3 and z2 >= self.options.common_zipf)
                or (second in FUNCTION_WORDS and self._derived(first))
            ):
                continue  # "Themas", "Landin": a rare pair ending in a short word is a name
            if not p:
                if counted_only or own > 0:
                    continue
                if first in NUMBER_WORDS and len(second) >= 4 and z2 >= self.options.unbacked_part_zipf:
                    pass  # "fivedeputy": a number before a common word
                elif first in FUNCTION_WORDS or second in FUNCTION_WORDS:
                    content, z = (second, z2) if first in FUNCTION_WORDS else (first, z1)
                    function = first if content is second else second
                    # A two-letter word glued to a four-letter one with no count behind the
                    # pair ("hungus", "fileno") is as often a word of its own.
                    least_len = 5 if len(function) <= 2 and function not in ARTICLES else 4
                    short = len(content) < least_len and not (
                        first in ARTICLES and len(content) == 3 and z >= self.options.common_zipf
                    )
                    if short or (first in PREFIX_LIKE and first in FUNCTION_WORDS):
                        continue  # "inutility", "inhume": a prefix, not a word
                    if first == "a" and second.endswith(_ADJECTIVE_ENDINGS):
                        continue  # "adimensional", "asymptomatic": the prefix "a-" before an adjective
                    if capitalised and not (content is first and self._derived(first)) and (
                        first not in FUNCTION_WORDS or first in NAME_PREFIXES or z < self.options.capitalised_part_zipf
                    ):
                        continue  # "Albertano", "Presper": a rare capitalised word is more often a name
                elif not (not capitalised and len(second) >= INFLECTED_SECOND and (self._inflected(first) or self._subject_verb(first, second))) and (
                    min(len(first), len(second)) < (CAPITALISED_LONG_PART if capitalised else LONG_PART)
                    or min(z1, z2) < (self.options.capitalised_part_zipf if capitalised else self.options.unbacked_part_zipf)
                ):
                    # Two content words glued under a capital are a name more often than not
                    # ("Bargewater", "Brockhouses").
                    continue
                # An uncounted pair is rarer than the rarest counted one.
                p = min(10 ** (z1 - 9) * 10 ** (z2 - 9), floor)
            if best is None or p > best[0]:
                best = (p, first, second)
        if best is None or (best[0] < least and not capitalised):
            return None
        compound = (
            best[1] not in FUNCTION_WORDS
            and best[2] not in FUNCTION_WORDS
            and not self._inflected(best[1])
            and not self._subject_verb(best[1], best[2])
        )
        # A compound of two content words that the word list knows ("hotwater") is written
        # so on purpose more often than a function word glued on ("andmore").
        if best[0] < own * (ratio * self.options.compound_factor if compound else ratio):
            return None
        joined = self.lexicon.joined_count(word)
        if joined and (
            compound or joined >= self.options.joined_ratio * max(1, self.lexicon.bigram_count(best[1], best[2]))
        ):
            # The web writes the token solid: a compound of two content words written so on
            # purpose ("mailserver", "classmethod"), or a word of its own far more often
            # than its parts stand side by side ("newgroup"; "ofthe" is a rare typo of "of the").
            return None
        if self._plural_of_joined(word, best[1], best[2], compound):
            return None
        return best[1], best[2]

    def _plural_of_joined(self, word: str, first: str, second: str, compound: bool) -> bool:
        """Whether ``word`` is the plural of a token the web writes solid, read as that token
        is ("virtualhosts", "patchlevels" from "virtualhost", "patchlevel"): the word list
        counts a compound's singular far more often than its plural."""
        for suffix in ("s", "es"):
            stem, rest = word[: -len(suffix)], second[: -len(suffix)]
            if not (word.endswith(suffix) and second.endswith(suffix) and len(rest) >= 2) or (suffix == "s" and stem.endswith("s")):
                continue
            joined = self.lexicon.joined_count(stem)
            if joined and (compound or joined >= self.options.joined_ratio * max(1, self.lexicon.bigram_count(first, rest))):
                return True
        return False
