"""The source-neutral citation model: what every reader produces and format-neutral rules read.

A report, whatever its shape, is statements that cite sources by key. A SmartBook report cites
claim rows by number (each row's claim sentence is the quote, its context the passage); a
numbered-endnotes report cites ``[n]`` entries of a source list, which give a URL and a title
but no quote and no passage. A rule that needs a quote or a passage asks for it and is silent
on a format that does not provide one.
"""
from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter
from typing import Any, NamedTuple

from citelint.model import ClaimRow, Document, Sentence, Span, Text

# The formats a reader can produce, as the configuration and --input-format name them.
SMARTBOOK = "smartbook"
ENDNOTES = "endnotes"
FOOTNOTES = "footnotes"
STORM = "storm"
INLINE = "inline-links"
FORMATS = (SMARTBOOK, ENDNOTES, FOOTNOTES, STORM, INLINE)


@dataclass(frozen=True, slots=True)
class CitationGroup:
    """Citations written together (``[1][2]``, ``[3, 4]``): where, and the keys they cite.
    No keys means text that looks like a citation but cannot be read as one."""

    text: Text
    keys: tuple[str, ...]
    # The words the citation is meant to back, when the reader split them (a SmartBook
    # clause); otherwise ``clauses`` derives them from the sentence the citation closes.
    clause: Text | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """A piece of the text (a sentence, a paragraph, a list item) and the groups in it."""

    text: Text
    groups: tuple[CitationGroup, ...]


@dataclass(frozen=True, slots=True)
class Source:
    """One entry a citation can point at, and where it is defined."""

    key: str  # what citations name it by ("3")
    span: Span  # the whole entry (a list item, a claim row)
    label: Text | None  # its own number as written ("[3]", "3."), when it has one
    url: str | None  # entities decoded; None when the entry has no URL
    url_text: Text | None  # where the URL is written
    title: str | None
    quote: Text | None = None  # the words quoted from the source, when the format has them
    passage: Text | None = None  # the source text around the quote
    # Text quoted from the source outside the report (STORM's snippets), when there is any.
    snippets: tuple[str, ...] = ()
    # The file that defines the source when it is not the report (a sidecar), else None.
    defined_in: str | None = None

    @property
    def evidence(self) -> tuple[str, ...]:
        """What the source is known to say: its quote, then its passage or its snippets."""
        texts = [t.raw for t in (self.quote, self.passage) if t is not None]
        return tuple(t for t in (*texts, *self.snippets) if t)


class Words(NamedTuple):
    """How a format names a source's parts, for messages: a SmartBook report cites claim
    *rows* whose *claim* is quoted from a *context*; STORM cites *sources* known by their
    *snippets*."""

    quote: str = "quote"
    passage: str = "passage"
    source: str = "source"


@dataclass(frozen=True)
class Citations:
    """The statements and sources of one document, as one reader read them."""

    format: str
    statements: tuple[Statement, ...]
    sources: tuple[Source, ...]
    # The heading of the source list, when it has one.
    source_heading: Span | None = None
    # Offsets (start, end) of the source list in the document's source.
    source_region: tuple[int, int] | None = None
    # How a key is shown when it is not a number the text writes (inline links: the URL).
    display: Mapping[str, str] | None = None
    words: Words = Words()

    @cached_property
    def groups(self) -> tuple[CitationGroup, ...]:
        return tuple(g for s in self.statements for g in s.groups)

    @cached_property
    def by_key(self) -> Mapping[str, tuple[Source, ...]]:
        sources = self.sources
        keys = list(map(_KEY, sources))
        # Each key's source, built in C (thousands of rows a run; a key's place in the
        # mapping is where it first comes); then the few keys that several sources share,
        # with all their sources in order.
        index: dict[str, tuple[Source, ...]] = dict(zip(keys, zip(sources)))
        if len(index) != len(keys):
            first = dict(zip(reversed(keys), reversed(range(len(keys)))))  # (the first source of each)
            shared: dict[str, list[Source]] = {}
            for i in itertools.compress(itertools.count(), map(operator.ne, map(first.__getitem__, keys), itertools.count())):
                shared.setdefault(keys[i], [sources[first[keys[i]]]]).append(sources[i])
            index.update((k, tuple(v)) for k, v in shared.items())
        return index

    def show(self, key: str) -> str:
        """A key as this format writes a citation of it: "[3]", or "[^3]" for a footnote."""
        if self.display is not None:
            return f"<{self.display.get(key, key)}>"
        return f"[^{key}]" if self.format == FOOTNOTES else f"[{key}]"

    @property
    def has_quotes(self) -> bool:
        return any(s.quote is not None for s in self.sources)

    @property
    def has_passages(self) -> bool:
        """Whether any source has a passage: text of the source around what is cited, in the
        report (a SmartBook context) or outside it (STORM's snippets)."""
        return any(s.passage is not None or s.snippets for s in self.sources)

    def provides(self, need: str) -> bool:
        """Whether the sources give what a rule reads: "quote" or "passage"."""
        return self.has_quotes if need == "quote" else self.has_passages if need == "passage" else False


_KEY = attrgetter("key")


def provides(doc: Document, needs: Iterable[str]) -> bool:
    """Whether ``doc``'s sources give any of ``needs``. A SmartBook document (read by the
    SmartBook reader: its rows carry a claim and a context) always does, and is not asked:
    its rules are silent where it has no rows."""
    if doc.citations is None:
        return True
    return any(doc.citations.provides(n) for n in needs)


def clauses(doc: Document, citations: Citations) -> tuple[tuple[CitationGroup, Text], ...]:
    """Each citation group with the words it backs: what the reader split (a SmartBook
    clause), or the text from the start of the sentence the group closes, or from the
    group before it in that sentence, up to the group. Groups side by side back the same
    words. Sentences are split as the SmartBook summary is (``citelint.sentences``), so a
    group after a sentence's stop closes that sentence."""
    from citelint import sentences
    from citelint.limits import DEFAULT

    if citations.format == SMARTBOOK:
        # Each group has its clause (``from_smartbook``). In a memo session, the clauses of
        # the statements an edit did not reach are last run's (``units.kept_rows``: thousands
        # of sentences, found by identity in C).
        from citelint import units

        per_statement = units.kept_rows("clauses", doc.path, None, citations.statements, _own_clauses)
        return tuple(itertools.chain.from_iterable(per_statement))
    out: list[tuple[CitationGroup, Text]] = []
    for statement in citations.statements:
        if not statement.groups:
            continue
        if len(statement.groups) == 1:  # (most statements, thousands in a report: no generators)
            group = statement.groups[0]
            if group.clause is not None:
                out.append((group, group.clause))
                continue
        elif all(g.clause is not None for g in statement.groups):
            out.extend((g, g.clause) for g in statement.groups if g.clause is not None)
            continue
        # Bounded as the SmartBook summary is (citelint.limits): a hostile one-line paragraph
        # of a million sentences is split no further than a summary would be.
        read, _ = sentences.split(statement.text, doc.text, DEFAULT.sentences, DEFAULT.summary_chars)
        bounds = [(s.text.start, s.text.end) for s in read]
        source = doc.source
        previous: tuple[int, Text] | None = None  # the end of the group before, and its words
        i = 0  # groups and sentences are both in order: one pass over each
        for group in statement.groups:
            if group.clause is not None:
                out.append((group, group.clause))
                previous = (group.text.end, group.clause)
                continue
            at = group.text.start
            while i < len(bounds) and bounds[i][1] <= at:
                i += 1
            start = bounds[i][0] if i < len(bounds) and bounds[i][0] <= at else statement.text.start
            if previous is not None and previous[0] > start:
                start = previous[0]
            cs, ce = start, at
            while cs < ce and source[cs] in _PUNCT:
                cs += 1
            while ce > cs and source[ce - 1] in " \t\n":
                ce -= 1
            if ce == cs and previous is not None and previous[0] >= start:
                words = previous[1]  # "[1][2]", "[1], [2]": the same words
            else:
                words = doc.text(cs, ce)
            out.append((group, words))
            previous = (group.text.end, words)
    return tuple(out)


def _own_clauses(_: int, statement: Statement) -> tuple[tuple[CitationGroup, Text], ...]:
    """A statement's groups with the clauses its reader split (every group has one)."""
    return tuple((g, g.clause) for g in statement.groups if g.clause is not None)


# What a clause does not start with (as in ``citelint.sentences``).
_PUNCT = " \t\n,;:\u2014\u2013-"


# The setters of Source's slots, in the order of its fields.
_SOURCE_SETTERS = tuple(
    vars(Source)[name].__set__
    for name in ("key", "span", "label", "url", "url_text", "title", "quote", "passage", "snippets", "defined_in")
)
assert len(_SOURCE_SETTERS) == len(Source.__dataclass_fields__)
_GROUP_SETTERS = tuple(vars(CitationGroup)[name].__set__ for name in ("text", "keys", "clause"))
assert len(_GROUP_SETTERS) == len(CitationGroup.__dataclass_fields__)
_STATEMENT_SETTERS = tuple(vars(Statement)[name].__set__ for name in ("text", "groups"))
assert len(_STATEMENT_SETTERS) == len(Statement.__dataclass_fields__)


def from_smartbook(doc: Document) -> Citations:
    """A SmartBook report in the neutral model: each summary sentence is a statement whose
    markers cite claim rows; each row is a source whose claim is the quote and whose context
    is the passage."""
    from citelint import units

    new = object.__new__
    set_group_text, set_group_keys, set_group_clause = _GROUP_SETTERS
    set_statement_text, set_statement_groups = _STATEMENT_SETTERS

    def statement(_: int, sentence: Sentence) -> Statement:
        # Statement and CitationGroup built through their slots (thousands of sentences, and
        # those after a summary edit are new objects each run).
        groups = []
        for c in sentence.clauses:
            marker = c.marker
            group = new(CitationGroup)
            set_group_text(group, marker.text)
            set_group_keys(group, tuple(map(str, marker.numbers)) if marker.readable else ())
            set_group_clause(group, c.text)
            groups.append(group)
        found = new(Statement)
        set_statement_text(found, sentence.text)
        set_statement_groups(found, tuple(groups))
        return found

    set_key, set_span, set_label, set_url, set_url_text, set_title, set_quote, set_passage, set_snippets, set_defined_in = (
        _SOURCE_SETTERS
    )

    def source_of(_: int, row: ClaimRow) -> Source | None:
        if row.number is None:
            return None  # a row with no number (position numbering off) is no source a citation can name
        # Source(key=..., span=..., ...), built through its slots (thousands of rows).
        source = new(Source)
        set_key(source, str(row.number))
        set_span(source, row.span)
        set_label(source, row.marker.text if row.marker is not None else None)
        set_url(source, row.url)
        set_url_text(source, row.url_text)
        set_title(source, row.link_text)
        set_quote(source, row.claim)
        set_passage(source, row.context)
        set_snippets(source, ())
        set_defined_in(source, None)
        return source

    # In a memo session (a server's re-lint), the statements of the sentences and the
    # sources of the rows an edit did not reach are last run's (``units.kept_rows``).
    sentences = doc.summary.sentences if doc.summary is not None else ()
    statements = units.kept_rows("citations-statements", doc.path, None, sentences, statement)
    sources = list(filter(None, units.kept_rows("citations-sources", doc.path, None, doc.rows, source_of)))
    heading = doc.claims.section.heading if doc.claims is not None else None
    return Citations(SMARTBOOK, tuple(statements), tuple(sources), heading, words=Words("claim", "context", "row"))


def of(doc: Document) -> Citations:
    """The document's citations: those its reader produced, or the SmartBook reading
    (computed on demand: SmartBook rules read the document itself). Use through
    ``ctx.cached(citations.of)``."""
    if doc.citations is not None:
        return doc.citations
    return from_smartbook(doc)
