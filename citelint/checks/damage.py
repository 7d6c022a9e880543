"""Rules for text damaged upstream (a lossy conversion deleted spaces or apostrophes)."""
from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping, Set as AbstractSet
from typing import Any

from citelint import lexicon, mergedwords
from citelint.finding import Hit
from citelint.mergedwords import Detector, Options
from citelint.model import Document, Text
from citelint.context import RuleContext
from citelint.registry import Option, rule
from citelint.sentences import ABBREVIATIONS

# Memos that outlive a document hold only what is true of a word whatever the document
# (a detector's verdicts per option set, which chunks may hold an apostrophe). Each thread
# has its own, so that threads never race on them.
_LOCAL = threading.local()


def _memos() -> _Memos:
    memos: _Memos | None = getattr(_LOCAL, "memos", None)
    if memos is None:
        memos = _LOCAL.memos = _Memos()
    return memos


class _Memos:
    def __init__(self) -> None:
        self.detectors: dict[Options, Detector] = {}
        self.seen: set[str] = set()
        self.has_contraction: set[str] = set()
        self.has_ambiguous: set[str] = set()
        self.may_be_possessive: set[str] = set()


def prose_fields(doc: Document) -> list[Text]:
    """Every field of prose: the summary, then each row's claim and context."""
    fields = [doc.summary.text] if doc.summary and doc.summary.text else []
    for row in doc.rows:
        fields.append(row.claim)
        if row.context is not None:
            fields.append(row.context)
    return fields


def field_chunks(doc: Document) -> list[frozenset[str]]:
    """The whitespace-separated chunks of each prose field, as sets (two rules read them)."""
    return [frozenset(f.raw.split()) for f in prose_fields(doc)]


class DocumentNames(AbstractSet[str]):
    """Capitalised words anywhere in the document's prose, gathered on the first question:
    most documents never ask."""

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._names: set[str] | None = None

    def _all(self) -> set[str]:
        if self._names is None:
            self._names = set().union(*(mergedwords.names(f.raw) for f in prose_fields(self._doc)))
        return self._names

    def __contains__(self, name: object) -> bool:
        return name in self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())




def _detector(options: Mapping[str, Any]) -> Detector:
    opts = Options(allow=frozenset(w.lower() for w in options.get("allow", ())))
    # One detector per option set, so its memo of verdicts serves every file of a run.
    detectors = _memos().detectors
    if opts not in detectors:
        detectors[opts] = Detector(lexicon.load(), opts)
    return detectors[opts]


@rule(
    "CIT401",
    "merged-words",
    "warning",
    "Two words glued together by a missing space ('andmore').",
    options=(Option("allow", "string-list", (), "Words never to report as merged (names the document spells as one word)."),),
)
def merged_words(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    detector = _detector(options)
    fields = ctx.cached(prose_fields)
    # A name glued to the next word ("Kyivand") is only recognised when the name also
    # stands alone somewhere in the document.
    names = ctx.cached(DocumentNames)
    for field, chunks in zip(fields, ctx.cached(field_chunks)):
        for merge in detector.scan(field.raw, names, chunks):
            start = field.start + merge.start
            yield Hit(
                doc.span(start, start + len(merge.token)),
                f"'{merge.token}' looks like '{merge.first} {merge.second}' (a missing space)",
            )


# A comma or semicolon, or a sentence stop before a capital, glued to the next word.
_GLUED_RE = re.compile(
    r"(?<![A-Za-z0-9.])(?:([A-Za-z]{2,})([,;])(?=[A-Za-z]{2,}(?![A-Za-z0-9]))"
    r"|([A-Za-z][a-z]+)([.!?])(?=[A-Z][a-z]+(?![A-Za-z0-9])))"
)
# Where such a glue can be: the regex engine scans for these quickly, and the full pattern
# is tried only there.
_GLUE_POINT_RE = re.compile(r"[,;](?=[A-Za-z])|[.!?](?=[A-Z])")
_NOT_PROSE = ("://", "www.", "@", "<", ">", "=", "&", "/", "\\")


def _chunk_at(text: str, pos: int) -> str:
    """The whitespace-separated chunk of ``text`` around ``pos``."""
    start = max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos)) + 1
    end = len(text)
    for sep in (" ", "\n"):
        found = text.find(sep, pos)
        if 0 <= found < end:
            end = found
    return text[start:end]


@rule(
    "CIT402",
    "missing-space-after-punctuation",
    "warning",
    "A comma or sentence stop is glued to the next word ('Sindh,Balochistan', 'Ukraine.The').",
)
def missing_space_after_punctuation(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    for field in ctx.cached(prose_fields):
        raw = field.raw
        for point in _GLUE_POINT_RE.finditer(raw):
            left = point.start()
            while left > 0 and raw[left - 1].isalpha():
                left -= 1
            m = _GLUED_RE.match(raw, left)
            if m is None or m.end() != point.end():
                continue
            word = m.group(1) or m.group(3)
            mark = m.group(2) or m.group(4)
            if m.group(3) and word.lower() in ABBREVIATIONS:
                continue
            chunk = _chunk_at(raw, m.start())
            if any(s in chunk for s in _NOT_PROSE):
                continue  # URLs, HTML, e-mail addresses, paths
            at = field.start + m.end() - 1
            yield Hit(doc.span(at, at + 1), f"no space after '{mark}' in '{chunk.strip(_EDGE_PUNCT + ',;:.!?')}'")


_EDGE_PUNCT = "\"'()[]{}\u201c\u201d\u2018\u2019"
CONTRACTIONS = {
    w.replace("'", ""): w
    for w in """don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't couldn't
    shouldn't wouldn't mustn't needn't mightn't should've could've would've might've must've
    they're you're we've they've you've they'll you'll it'll that's what's there's where's
    he's she's who've who'll""".split()
}
# Real words as they stand, and contractions only after a subject: "we cant", "it wont".
AMBIGUOUS = {"cant": "can't", "wont": "won't"}
SUBJECTS = "i you we they he she it that this who there people".split()
_CONTRACTION_RE = re.compile(
    r"(?<![\w'\u2019])(" + "|".join(sorted(CONTRACTIONS, key=len, reverse=True)) + r")(?![\w'\u2019])",
    re.IGNORECASE,
)
_AMBIGUOUS_RE = re.compile(
    r"\b(?:" + "|".join(SUBJECTS) + r")\s+(" + "|".join(AMBIGUOUS) + r")(?![\w'\u2019])", re.IGNORECASE
)
_CAPITALISED_S_RE = re.compile(r"[A-Z][a-z]{2,}s")


def _classify(fresh: AbstractSet[str], detector: Detector, m: _Memos) -> None:
    """Remember which whitespace-separated chunks may hold a lost apostrophe, so that each
    distinct chunk is looked at once per process and a field without one is skipped."""
    if len(m.seen) > mergedwords.MEMO_LIMIT:  # a long-lived process: start the memo afresh
        for memo in (m.seen, m.has_contraction, m.has_ambiguous, m.may_be_possessive):
            memo.clear()
    for chunk in fresh:
        core = chunk.strip(_EDGE_PUNCT + ",;:.!?")
        lower = core.lower()
        if lower in CONTRACTIONS:
            m.has_contraction.add(chunk)
        elif lower in AMBIGUOUS:
            m.has_ambiguous.add(chunk)
        elif _CAPITALISED_S_RE.fullmatch(core) and not _is_word(lower, detector):
            m.may_be_possessive.add(chunk)
    m.seen.update(fresh)


def _is_word(word: str, detector: Detector) -> bool:
    info = detector.info(word)
    return info is not None and (info[1] or info[0] >= 3.0)  # "Americans", "Koreas"


# A capitalised word ending in s before a lowercase word: "Russias war".
_POSSESSIVE_RE = re.compile(r"(?<![\w'\u2019-])([A-Z][a-z]{2,}s)(?=[\"\u201d]?\s+[a-z])")


@rule(
    "CIT403",
    "missing-apostrophe",
    "warning",
    "An apostrophe was lost upstream ('dont', 'couldnt', 'Russias').",
)
def missing_apostrophe(ctx: RuleContext) -> Iterator[Hit]:
    doc, options = ctx.doc, ctx.options
    names = ctx.cached(DocumentNames)
    detector = _detector({})
    memos = _memos()
    for field, chunks in zip(ctx.cached(prose_fields), ctx.cached(field_chunks)):
        hits = []
        # Most fields have no contraction at all: a set intersection says so cheaply.
        _classify(chunks - memos.seen, detector, memos)
        tables = []
        if chunks & memos.has_contraction:
            tables.append((_CONTRACTION_RE, CONTRACTIONS))
        if chunks & memos.has_ambiguous:
            tables.append((_AMBIGUOUS_RE, AMBIGUOUS))
        for pattern, table in tables:
            for m in pattern.finditer(field.raw):
                token = m.group(1)
                fixed = table.get(token.lower())
                if fixed is None:
                    continue
                if token[0].isupper():
                    fixed = fixed[0].upper() + fixed[1:]
                hits.append((m.start(1), token, fixed))
        if chunks & memos.may_be_possessive:
            for m in _POSSESSIVE_RE.finditer(field.raw):
                base = m.group(1)[:-1]
                # "Russias war": "Russia" must stand alone in the document too.
                if not _is_word(m.group(1).lower(), detector) and base in names:
                    hits.append((m.start(), m.group(1), base + "'s"))
        for start, token, fixed in sorted(hits):
            at = field.start + start
            yield Hit(doc.span(at, at + len(token)), f"'{token}' looks like '{fixed}' (a missing apostrophe)")
