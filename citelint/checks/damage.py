"""Rules for text damaged upstream (a lossy conversion deleted spaces or apostrophes)."""
from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import string
import sys
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence, Set as AbstractSet
from typing import Any, NamedTuple, TypeVar, cast, overload

from citelint import lexicon, lostletters, memo, mergedwords, units, verbs
from citelint.codespans import blank_code, code_ranges
from citelint.finding import Applicability, Edit, Fix, Hit
from citelint.mergedwords import Detector, Options
from citelint.model import ClaimRow, Document, Text
from citelint.context import RuleContext
from citelint.registry import Option, rule
from citelint.sentences import ABBREVIATIONS

# Memos that outlive a document hold only what is true of a word whatever the document
# (a detector's verdicts per option set, which chunks may hold an apostrophe). Each thread
# has its own, so that threads never race on them.
_LOCAL = threading.local()
# The formats each rule runs on. Every format's prose is read (``prose_fields``); on the
# prose of real endnote reports (benchmarks/prose_formats.py) CIT401, CIT403 and CIT404
# gave false alarms only (technical words, capitalised plurals, product names), so they
# stay on SmartBook reports; CIT402 gave none, and finds the damage put in.
SMARTBOOK_ONLY = ("smartbook",)
EVERY_FORMAT = ("smartbook", "endnotes", "footnotes", "inline-links", "storm")


def _memos() -> _Memos:
    memos: _Memos | None = getattr(_LOCAL, "memos", None)
    if memos is None:
        memos = _LOCAL.memos = _Memos()
    return memos


class _Memos:
    def __init__(self) -> None:
        self.detectors: dict[tuple[tuple[str, ...], bool], Detector] = {}
        self.seen: set[str] = set()
        self.has_contraction: set[str] = set()
        self.has_ambiguous: set[str] = set()
        self.may_be_possessive: set[str] = set()
        self.lost_seen: set[str] = set()
        self.lost_fields: set[str] = set()  # texts whose every chunk is in lost_seen
        self.lost_chunks: set[str] = set()
        self.lost: dict[str, str] = {}
        self.markdown: Any = None  # a mistune inline parser (CIT401's italic phrases)
        self.loose: dict[str, bool] = {}
        self.first_chunks: set[str] = set()
        self.first: set[str] = set()
        self.loose_chunks: dict[str, tuple[str, ...]] = {}  # chunk -> its capitalised loose-list words
        self.generation = 0  # how often the lost-letters memos were cleared (``_LostFollowed``)


class Field(NamedTuple):
    """A piece of prose a damage rule reads: its text with any code in it blanked out
    (offsets unchanged), what it is, and the row it belongs to. (A named tuple: a server
    builds thousands of them in C after an edit moves the rows, ``_fields_of_rows``.)"""

    text: Text
    kind: str  # "title", "summary", "claim" or "context"; in other formats "heading" or "prose"
    row: int | None = None  # index into doc.rows


_FIELD_TEXT = operator.itemgetter(0)  # (a Field's text)
# A Field from a (text, kind, row) tuple, built in C (without the named tuple's __new__).
_make_field = cast(Callable[[tuple[Text, str, "int | None"]], Field], functools.partial(tuple.__new__, Field))


def _field(text: Text, kind: str, row: int | None) -> Field:
    """A field of ``text`` with its code blanked, with no call where the text holds no code
    (thousands of rows, each run in a server)."""
    raw = text.raw
    if "`" in raw or "~" in raw and "~~~" in raw:  # (one character looked for first: in C, quickly)
        blanked = blank_code(raw)
        if blanked is not raw:
            text = Text(blanked, text.start, text.span)
    return _make_field((text, kind, row))


def prose_fields(doc: Document) -> list[Field]:
    """Every field of prose a reader reads: the title, the summary, then each row's claim
    and context. Code spans and fenced code blocks are blanked. In another format: the
    headings and the blocks of the text, with their markup blanked (``citelint.prose``)."""
    if doc.format != "smartbook":
        from citelint import prose

        return [Field(p.text, p.kind) for p in prose.pieces(doc)]

    fields = []
    if doc.title is not None and doc.title.raw:
        fields.append(_field(doc.title, "title", None))
    if doc.summary and doc.summary.text:
        fields.append(_field(doc.summary.text, "summary", None))

    fields.extend(itertools.chain.from_iterable(row_fields(doc)))
    return fields


def row_fields(doc: Document) -> list[tuple[Field, ...]]:
    """Each claims row's prose fields (``prose_fields``): its claim, and its context when
    it has one. In a memo session, the fields of the rows an edit did not reach are the
    last run's (the rows compared by identity, in C, as ``units.kept_rows`` does; those at
    the end only when no row came or went, for a field holds its row's index), and the
    others are built together (``_fields_of_rows``)."""
    rows = doc.rows
    session = memo.active()
    if session is None:
        return _fields_of_rows(rows, 0, len(rows))[0]
    kept: dict[str, _RowFields] = session.kept("prose-fields", dict)
    last = kept.pop(doc.path, None) or _RowFields()
    head, tail = units.same_ends(rows, last.rows, len(rows) == len(last.rows))
    middle, long = _fields_of_rows(rows, head, len(rows) - tail)
    now = _RowFields()
    now.rows = rows
    now.made = last.made[:head] + middle
    now.long = last.long[:head] + long
    if tail:
        now.made += last.made[len(last.made) - tail :]
        now.long += last.long[len(last.long) - tail :]
    # The fields' texts, followed the same way while every row has as many fields (as a
    # report's rows have: a claim and a context each), for ``_field_raws``.
    size = len(middle[0]) if middle else last.size
    if size and (last.size == size or not head + tail) and all(map(size.__eq__, map(len, middle))):
        now.size = size
        now.raws = last.raws[: head * size]
        now.raws += map(_RAW, map(_FIELD_TEXT, itertools.chain.from_iterable(middle)))
        if tail:
            now.raws += last.raws[len(last.raws) - tail * size :]
    if len(kept) >= DOCUMENTS_KEPT:
        del kept[next(iter(kept))]  # the least recently read
    kept[doc.path] = now  # (the most recent last)
    return now.made


class _RowFields:
    """What ``row_fields`` made on the last run on a document in a memo session: the rows,
    their fields, whether each has one longer than PIECE_FIELD, and, when every row has
    ``size`` fields (else 0), the fields' texts in order."""

    def __init__(self) -> None:
        self.rows: tuple[ClaimRow, ...] = ()
        self.made: list[tuple[Field, ...]] = []
        self.long: list[bool] = []
        self.size = 0
        self.raws: list[str] = []


def _rows_followed(doc: Document) -> _RowFields | None:
    """What ``row_fields`` made of ``doc``'s rows in this memo session, if it did."""
    session = memo.active()
    if session is None:
        return None
    table: dict[str, _RowFields] = session.kept("prose-fields", dict)
    found = table.get(doc.path)
    return found if found is not None and found.rows is doc.rows else None


def _no_long_row_field(doc: Document) -> bool:
    """Whether, as ``row_fields`` last found in a memo session, no row of ``doc`` has a
    field longer than PIECE_FIELD (False when it does not know)."""
    followed = _rows_followed(doc)
    return followed is not None and not any(followed.long)


def _fields_of_rows(rows: tuple[ClaimRow, ...], lo: int, hi: int) -> tuple[list[tuple[Field, ...]], list[bool]]:
    """The fields of ``rows[lo:hi]`` (``row_fields``), and for each row whether a field of
    it is longer than PIECE_FIELD: built in C (thousands of rows after an edit that moved
    them), but for the rows with a cell that may hold code, or when some rows have a
    context and others none, each built alone."""
    if lo >= hi:
        return [], []  # (most documents of other formats, and most edits: no row)
    part = rows[lo:hi]
    claims = list(map(_CLAIM, part))
    contexts = list(map(_CONTEXT, part))
    missing = sum(map(operator.is_, contexts, itertools.repeat(None)))

    def of_row(i: int, row: ClaimRow) -> tuple[Field, ...]:
        claim = _field(row.claim, "claim", i)
        return (claim,) if row.context is None else (claim, _field(row.context, "context", i))

    if missing and missing != len(part):
        out = [of_row(i, row) for i, row in enumerate(part, lo)]
        return out, [any(len(f.text.raw) > PIECE_FIELD for f in fields) for fields in out]
    cells = [claims] if missing else [claims, contexts]
    out = list(zip(*(map(_make_field, zip(texts, itertools.repeat(kind), itertools.count(lo))) for texts, kind in zip(cells, ("claim", "context")))))
    long = [False] * len(part)
    for texts in cells:
        raws = list(map(_RAW, texts))
        # (code needs a backtick or a tilde: the few cells with either are built alone)
        maybe = map(operator.or_, map(operator.contains, raws, itertools.repeat("`")), map(operator.contains, raws, itertools.repeat("~")))
        for j in itertools.compress(itertools.count(), maybe):
            out[j] = of_row(lo + j, part[j])
        long = list(map(operator.or_, long, map(operator.lt, itertools.repeat(PIECE_FIELD), map(len, raws))))
    # (a field's code blanked keeps its length: a cell's length is its field's)
    return out, long


T = TypeVar("T")


def per_document(ctx: RuleContext, fn: Callable[[RuleContext], T]) -> T:
    """``fn(ctx)``, computed once per document (in the cache ``ctx.cached`` uses) and shared
    by the rules: for what is derived from other cached values."""
    # (looked up without an exception: each is computed once a document, and a short
    # document's many first look-ups cost more raised than asked)
    value: T = ctx.memo.get(fn, _NOT_YET)
    if value is _NOT_YET:
        value = ctx.memo[fn] = fn(ctx)
    return value


_NOT_YET: Any = object()


def field_units(ctx: RuleContext) -> list[tuple[Hashable, Text, tuple[Field, ...]]]:
    """The prose fields as units for ``ctx.each``: a row's fields together, anchored at the
    row's line and keyed by the row (a repair edits the row's other field too); each other
    field alone, keyed by its kind and text."""
    return per_document(ctx, _field_units)


def _field_units(ctx: RuleContext) -> list[tuple[Hashable, Text, tuple[Field, ...]]]:
    rows = ctx.cached(units.rows)
    out: list[tuple[Hashable, Text, tuple[Field, ...]]] = []
    fields = ctx.cached(prose_fields)
    i, n = 0, len(fields)
    if ctx.doc.format == "smartbook":
        # The fields before the rows' (the title, the summary) alone; then each row's
        # fields with the row's key and anchor, zipped in C (thousands of rows, each run).
        while i < n and fields[i].row is None:
            field = fields[i]
            out.append(((field.kind, field.text.raw), field.text, (field,)))
            i += 1
        per_row = ctx.cached(row_fields)
        if i == n or (len(per_row) == len(rows) and fields[i].row == 0):
            out += zip(map(_KEY, rows), map(_SECOND, rows), per_row)
            return out
    while i < n:
        field = fields[i]
        if field.row is None:
            out.append(((field.kind, field.text.raw), field.text, (field,)))
            i += 1
            continue
        j = i + 1
        while j < n and fields[j].row == field.row:
            j += 1
        key, anchor, _ = rows[field.row]
        out.append((key, anchor, tuple(fields[i:j])))
        i = j
    return out


_KEY, _SECOND, _THIRD, _PIECE = (operator.itemgetter(i) for i in range(4))


def _each_followed(
    ctx: RuleContext,
    all_units: list[tuple[Hashable, Text, tuple[Field, ...]]],
    check: Callable[[tuple[Field, ...]], Iterator[Hit]],
    facts: Hashable = (),
    watched: tuple[units.Watched[Any], ...] = (),
) -> Iterator[Hit]:
    """``ctx.each(all_units, check, facts, watched)``. In a memo session, the units at the
    start and at the end whose keys are the last run's on the document (under the same
    options and facts) and that had no hit then are passed over when their check asked the
    watched sets nothing, or when the sets' contents are the same: ``ctx.each`` would find
    none for them (thousands of rows, an edit changes a few; the keys compared in C). A
    unit with hits, or whose check read more than its key, is always handed on."""
    session = memo.active()
    if session is None:
        # (ctx.each's own call, without its import on each call: thousands of short documents)
        return units.each(ctx.rule.code, ctx.options, all_units, check, facts, watched)
    # (field_units' keys, gathered once for the rules that read them)
    keys = per_document(ctx, _field_keys) if all_units is field_units(ctx) else list(map(_KEY, all_units))
    last, versions = _last_run(ctx, "damage-each", f"{ctx.rule.code}:{ctx.doc.path}", facts, watched, _LastRun, 4 * DOCUMENTS_KEPT)
    store = units.store()
    assert store is not None  # (a memo session's)
    # The last run's flags of the units at either end: 2 when a unit had no hit and its
    # check asked nothing, 1 when it had none and asked, 0 when it had hits or read more.
    flags, todo, _ = _at_ends(last, keys, versions)
    # (what a unit checked now did; one each() serves from its store is handed on again)
    for i in todo:
        flags[i] = 0
    noted: dict[int, int] = {}

    def noting(item: tuple[int, tuple[Field, ...]]) -> Iterator[Hit]:
        i, fields_of = item
        hits = tuple(check(fields_of))
        if hits or store.volatile:
            noted[i] = 0
        else:
            noted[i] = 1 if watched and watched[0].asked else 2
        return iter(hits)

    chosen = [(keys[i], all_units[i][1], (i, all_units[i][2])) for i in todo]
    found = list(units.each(ctx.rule.code, ctx.options, chosen, noting, facts, watched))
    for i, flag in noted.items():
        flags[i] = flag
    last.keys, last.versions, last.flags = keys, versions, flags
    return iter(found)


def _field_keys(ctx: RuleContext) -> list[Hashable]:
    """The keys of ``field_units``, gathered in C."""
    return list(map(_KEY, field_units(ctx)))


class _LastRun:
    """What a pass followed from run to run (``_each_followed``, ``_scanned``) found on the
    last run on a document, under some options and facts: the units' keys, the watched
    sets' versions, and a flag per unit (2: it asked the sets nothing, 1: it asked, 0: it
    is looked at again)."""

    def __init__(self, under: Hashable) -> None:
        self.under = under
        self.keys: list[Hashable] = []
        self.versions: tuple[Hashable, ...] | None = None
        self.flags: list[int] = []


_L = TypeVar("_L", bound=_LastRun)


def _last_run(
    ctx: RuleContext,
    table: str,
    name: str,
    facts: Hashable,
    watched: tuple[units.Watched[Any], ...],
    make: Callable[[Hashable], _L],
    limit: int,
) -> tuple[_L, tuple[Hashable, ...]]:
    """The record ``name`` of the memo session's ``table`` (a new one when the options or
    the facts are not its own), kept as the most recent of at most ``limit`` (the caller
    updates it in place), and the watched sets' versions now."""
    session = memo.active()
    assert session is not None
    under = (units.frozen(dict(ctx.options)), facts)
    kept: dict[str, _L] = session.kept(table, dict)
    last = kept.pop(name, None)
    if last is None or last.under != under:
        last = make(under)
    if len(kept) >= limit:
        del kept[next(iter(kept))]  # the least recently read
    kept[name] = last  # (the most recent last)
    return last, tuple(w.version() for w in watched if w.version is not None)


def _at_ends(
    last: _LastRun, keys: Sequence[Hashable], versions: tuple[Hashable, ...]
) -> tuple[list[int], list[int], Callable[[list[Any], Any], list[Any]]]:
    """The flags of the units whose keys are the last run's at the start and at the end of
    ``keys`` (compared in C) and 0 for the others, the indices of the units to look at
    (those with a 0, and those with a 1 when the watched sets' versions moved), and how to
    splice another per-unit list of the last run's the same way."""
    n = len(keys)
    head, tail = memo.common_ends(last.keys, keys)
    shift = len(last.keys) - n

    def spliced(old: list[Any], fill: Any) -> list[Any]:
        return old[:head] + [fill] * (n - head - tail) + old[n + shift - tail :]

    need = 2 if last.versions != versions else 1
    flags = spliced(last.flags, 0)
    return flags, list(itertools.compress(range(n), map(operator.lt, flags, itertools.repeat(need)))), spliced


def _each_field(check: Callable[[Field], Iterator[Hit]]) -> Callable[[tuple[Field, ...]], Iterator[Hit]]:
    """``check`` over each field of a unit, in order."""

    def over(fields: tuple[Field, ...]) -> Iterator[Hit]:
        for field in fields:
            yield from check(field)

    return over


def facts(ctx: RuleContext, *which: str) -> Hashable:
    """The document-level facts a damage rule's findings in a field depend on, for
    ``ctx.each``'s key (in a memo session only: elsewhere nothing is kept): "names"
    (``document_names``), "hyphenated", "standalone" (``standalone_names``), "words"
    (``document_words``), "code" (``code_words``), "forms" (the texts ``_document_forms``
    reads). A fact followed from run to run (``units.union``) is named by a number that
    changes with its content: a key compares in constant time."""
    if units.store() is None:
        return ()
    found: list[Hashable] = []
    for name in which:
        if name == "code":
            found.append(ctx.cached(_code_fact)[1])
        elif name == "forms":
            found.append(per_document(ctx, _non_ascii))
        else:
            found.append(_gathered(ctx, name)[1])
    return tuple(found)


def _watched(ctx: RuleContext, fn: Callable[[RuleContext], AbstractSet[str]], name: str) -> units.Watched[str]:
    """``per_document(ctx, fn)`` (a followed union, ``_gathered(ctx, name)``) as a set a
    unit's check asks about (``units.Watched``), gathered on its first question; named by
    the union's number in a memo session."""
    return units.Watched(lambda: per_document(ctx, fn), (lambda: _gathered(ctx, name)[1]) if units.store() is not None else None)


def _gathered(ctx: RuleContext, name: str) -> tuple[AbstractSet[Any], Hashable]:
    """The union of the prose fields' parts named ``name`` ("names", "hyphenated",
    "standalone", "words"), and what names its content: in a memo session the union is
    followed from the last run (only the fields that changed are read) and named by a
    number; elsewhere it is gathered, and names itself."""
    key = ("gathered", name)
    found: tuple[AbstractSet[Any], Hashable] | None = ctx.memo.get(key)
    if found is None:
        part = _PARTS[name]
        followed = None
        if units.store() is not None:
            followed = units.union(name, ctx.doc.path, per_document(ctx, _union_texts), part)
        if followed is None:
            value: frozenset[Any] = frozenset().union(*memo.each(part, _raws(ctx)))
            found = (value, value)
        else:
            found = followed
        ctx.memo[key] = found
    return found


def _union_texts(ctx: RuleContext) -> list[str]:
    """The texts a followed union reads: each prose field, a long one in CIT401's pieces
    (``_pieces``: cut after a sentence stop, before whitespace, where no part's match can
    cross: each part is a set of words, or of matches that need a letter or a hyphen on
    both sides of a space), so that an edit of a long summary reads a few pieces again."""
    raws = _raws(ctx)
    long = per_document(ctx, _long_fields)
    out: list[str] = []
    done = 0
    for i in long:
        out += raws[done:i]
        out.extend(piece[1] for piece in _pieces(raws[i]))
        done = i + 1
    out += raws[done:]
    return out


def _long_fields(ctx: RuleContext) -> list[int]:
    """The indices of the prose fields longer than PIECE_FIELD: the few long fields found
    in C (a report's thousands of fields are short); in a memo session, when no row has
    one (``row_fields`` notes it as it builds them), among the fields before the rows'."""
    raws = _raws(ctx)
    doc = ctx.doc
    if doc.format == "smartbook" and _no_long_row_field(doc):
        # (the title and the summary, as prose_fields has them)
        raws = raws[: bool(doc.title is not None and doc.title.raw) + bool(doc.summary and doc.summary.text)]
    return list(itertools.compress(itertools.count(), map(operator.lt, itertools.repeat(PIECE_FIELD), map(len, raws))))


def _names_union(ctx: RuleContext) -> AbstractSet[str]:
    return _gathered(ctx, "names")[0]


def _hyphenated_union(ctx: RuleContext) -> AbstractSet[tuple[str, str]]:
    return _gathered(ctx, "hyphenated")[0]


def _standalone_union(ctx: RuleContext) -> AbstractSet[str]:
    return _gathered(ctx, "standalone")[0]


def _raws(ctx: RuleContext) -> list[str]:
    return per_document(ctx, _field_raws)


def _field_raws(ctx: RuleContext) -> list[str]:
    fields = ctx.cached(prose_fields)
    followed = _rows_followed(ctx.doc) if ctx.doc.format == "smartbook" else None
    if followed is not None and followed.size:
        # (the rows' texts as row_fields followed them: the fields before them read here)
        out = [f.text.raw for f in fields[: len(fields) - len(followed.raws)]]
        out += followed.raws
        return out
    return [f.text.raw for f in fields]


# Each field's part of a document-level fact (memoized per text in a server's session):
# the document's is the union of its fields' parts.


@memo.pure
def _field_names(raw: str) -> frozenset[str]:
    """The field's part of ``document_names``."""
    return frozenset(mergedwords.names(raw))


@memo.pure
def _field_hyphenated(raw: str) -> frozenset[tuple[str, str]]:
    """The field's part of ``hyphenated`` (no match crosses a field's end)."""
    return frozenset(_HYPHENATED_RE.findall(raw.lower()))


@memo.pure
def _field_standalone(raw: str) -> frozenset[str]:
    """The field's part of ``standalone_names``."""
    out = set()
    for chunk in _chunks(raw):
        core = chunk.strip(_EDGE_PUNCT + ",;:.!?")
        if len(core) >= 3 and core[0].isupper() and core[1:].islower() and core.isalpha():
            out.add(core)
    return frozenset(out)


@memo.pure
def _field_words(raw: str) -> frozenset[str]:
    """The field's part of ``document_words``."""
    edge = mergedwords.EDGE_CHARS
    words = {c.strip(edge) for c in raw.split() if c.islower()}
    if " " in raw:
        words.update(_TITLE_PAIR_RE.findall(raw))
    return frozenset(words)


_PARTS: dict[str, Callable[[str], frozenset[Any]]] = {
    "names": _field_names,
    "hyphenated": _field_hyphenated,
    "standalone": _field_standalone,
    "words": _field_words,
}


def field_chunks(ctx: RuleContext) -> list[frozenset[str]]:
    """The whitespace-separated chunks of each prose field, as sets (several rules read them)."""
    return memo.each(_chunks, _raws(ctx))


@memo.pure  # a server re-linting a report splits each field once
def _chunks(raw: str) -> frozenset[str]:
    if len(raw) > PIECE_FIELD:
        session = memo.active()
        if session is not None:
            return _chunks_after_edit(session.kept("long-chunks", dict), raw)
    return frozenset(raw.split())


def _chunks_after_edit(kept: dict[str, Counter[str]], raw: str) -> frozenset[str]:
    """``frozenset(raw.split())`` for a long text (a summary) in a memo session, from the
    chunks counted in the last long text split: only the chunks between the text both
    share at their start and at their end are split again (an edit of a summary of
    300,000 characters re-reads a few words), the window widened to the whitespace
    around it so that no chunk is cut."""
    from citelint.incremental import edit_of

    if not kept:
        counts = Counter(raw.split())
    else:
        old = next(reversed(kept))  # (the most recent: a text before this edit, most often)
        counts = kept.pop(old)
        start, end, _ = edit_of(old, raw)
        while start > 0 and not old[start - 1].isspace():
            start -= 1
        while end < len(old) and not old[end].isspace():
            end += 1
        # (what follows ``end`` in the old text follows ``end + len(raw) - len(old)`` in this one)
        gone = old[start:end].split()
        counts.update(raw[start : end + len(raw) - len(old)].split())
        counts.subtract(gone)
        for chunk in gone:
            if counts.get(chunk, 1) <= 0:
                del counts[chunk]
    kept[raw] = counts  # (the one long text kept: its counts are the next one's start)
    return frozenset(counts)


def claims_in_contexts(doc: Document) -> list[int | None]:
    """For each row, where its claim stands verbatim in its context (an offset into the
    source), or None. Found once per document: every fix of the row reads it."""
    out: list[int | None] = []
    for r in doc.rows:
        claim = r.claim.raw.strip()
        at = r.context.raw.find(claim) if r.context is not None and claim else -1
        out.append(None if at < 0 or r.context is None else r.context.start + at)
    return out


# The longest context searched for a word of a claim that is no exact quote of it: past
# this, only the claim is repaired (each search costs the context's length).
_SEARCH_LIMIT = 20_000


def repair(ctx: RuleContext, field: Field, start: int, end: int, text: str) -> tuple[Edit, ...]:
    """The edit replacing ``source[start:end]`` with ``text``, and the same edit where the
    same words stand in the other half of the row: a claim is a verbatim quote of its
    context and must stay one (CIT301) once repaired."""
    doc = ctx.doc
    edits = [Edit(start, end, text)]
    if field.row is None or field.kind not in ("claim", "context"):
        return tuple(edits)
    row = doc.rows[field.row]
    quoted = ctx.cached(claims_in_contexts)[field.row]
    raw = row.claim.raw
    claim_start = row.claim.start + len(raw) - len(raw.lstrip()) if raw.strip() else None
    other: int | None = None
    if quoted is not None and claim_start is not None:
        length = len(row.claim.raw.strip())
        # An insertion at either end of the claim belongs to the text around it only.
        inner = 1 if start == end else 0
        if field.kind == "claim":
            if claim_start + inner <= start and end <= claim_start + length - inner:
                other = quoted + (start - claim_start)
        elif quoted + inner <= start and end <= quoted + length - inner:
            other = claim_start + (start - quoted)
    elif field.kind == "claim" and row.context is not None and end > start and len(row.context.raw) <= _SEARCH_LIMIT:
        # The claim is no exact quote: repair the word in the context when it stands there once.
        token = doc.source[start:end]
        found = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(token) + r"(?!\w)", row.context.raw)]
        if len(found) == 1:
            other = row.context.start + found[0]
    if other is not None:
        # The claim stands verbatim in the context (or the word stands there once): the
        # same text at both places.
        edits.append(Edit(other, other + end - start, text))
    return tuple(sorted(edits, key=lambda e: e.start))


def standalone_names(ctx: RuleContext) -> AbstractSet[str]:
    """Capitalised words that stand alone, between spaces, somewhere in the document's prose."""
    return per_document(ctx, _standalone_union)


class _Lazy(AbstractSet[str]):
    """A set of words gathered on the first question (most documents never ask one):
    ``gather()`` makes it."""

    def __init__(self, gather: Callable[[], AbstractSet[str]]) -> None:
        self._gather: Callable[[], AbstractSet[str]] | None = gather
        self._words: AbstractSet[str] = frozenset()

    def _all(self) -> AbstractSet[str]:
        if self._gather is not None:
            self._words, self._gather = self._gather(), None
        return self._words

    def __contains__(self, word: object) -> bool:
        return word in self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


_TITLE_PAIR_RE = re.compile(r"(?<![A-Za-z])[A-Z][a-z]+ [A-Z][a-z]+(?![A-Za-z])")


def document_words(ctx: RuleContext) -> AbstractSet[str]:
    """The lowercase words that stand alone in the document's prose, and its pairs of
    capitalised words written apart ("Oliver Goldsmith")."""
    if units.store() is not None:  # a memo session: the fact its kept hits are keyed by (``facts``)
        return _gathered(ctx, "words")[0]
    chunks, fields = per_document(ctx, field_chunks), ctx.cached(prose_fields)

    def gather() -> frozenset[str]:
        edge = mergedwords.EDGE_CHARS
        words = {c.strip(edge) for each in chunks for c in each if c.islower()}
        for field in fields:
            raw = field.text.raw
            if " " in raw:
                words.update(_TITLE_PAIR_RE.findall(raw))
        return frozenset(words)

    return _Lazy(gather)


def document_names(ctx: RuleContext) -> AbstractSet[str]:
    """Capitalised words anywhere in the document's prose."""
    if units.store() is not None:  # a memo session: the fact its kept hits are keyed by (``facts``)
        return _names_union(ctx)
    return _Lazy(lambda: _names_union(ctx))


def _detector(options: Mapping[str, Any], damaged: bool = False) -> Detector:
    # One detector per option set, so its memo of verdicts serves every file of a run. Kept
    # by the option's words as given: hashing Options (a score of thresholds) for every
    # file cost more than a short document's scan.
    key = (tuple(options.get("allow", ())), damaged)
    detectors = _memos().detectors
    found = detectors.get(key)
    if found is None:
        opts = Options(allow=frozenset(w.lower() for w in key[0]), damaged=damaged)
        found = detectors[key] = Detector(lexicon.load(), opts)
    return found


# Merges that are certain enough to repair without asking: a function word glued to a word
# ("andmore", "ofIran"). A split of two content words may be a compound the lexicon lacks.
def _merge_applicability(first: str, second: str) -> Applicability:
    if first.lower() in mergedwords.FUNCTION_WORDS or second.lower() in mergedwords.FUNCTION_WORDS:
        return Applicability.SAFE
    return Applicability.UNSAFE


_BRACES_RE = re.compile(r"\{[^{}\n]{0,100}\}")
_BOX_DRAWING_RE = re.compile("[\u2500-\u257f]")


_CODE_WORD_RE = re.compile(r"[A-Za-z]+")


def code_words(doc: Document) -> AbstractSet[str]:
    """The words inside the document's code spans and code blocks."""
    return _code_fact(doc)[0]


_CLAIM, _CONTEXT, _RAW = operator.attrgetter("claim"), operator.attrgetter("context"), operator.attrgetter("raw")
_NOT_NONE = functools.partial(operator.is_not, None)


def _code_fact(doc: Document) -> tuple[AbstractSet[str], Hashable]:
    """``code_words`` and what names its content (``_gathered``)."""
    if doc.format != "smartbook":
        from citelint import prose

        value = prose.code_words(doc)
        return value, value
    source = doc.source
    if "`" not in source and ("~" not in source or "~~~" not in source):
        # No code anywhere (most reports): looked for in C, without a pass over the rows
        # (a search for one character is many times quicker than one for three).
        # (A name that no followed union's number equals, for a memo session's keys.)
        return frozenset(), _NO_CODE
    texts = [doc.summary.text] if doc.summary and doc.summary.text else []
    # Each row's claim and context, in that order, gathered in C (thousands of rows, each run).
    rows = doc.rows
    texts += filter(_NOT_NONE, itertools.chain.from_iterable(zip(map(_CLAIM, rows), map(_CONTEXT, rows))))
    raws = list(map(_RAW, texts))
    followed = units.union("code", doc.path, raws, _code_words_in)
    if followed is not None:
        return followed
    words = frozenset().union(*map(_code_words_in, raws))
    return words, words


_NO_CODE = "no code"


@memo.pure
def _code_words_in(raw: str) -> frozenset[str]:
    words: set[str] = set()
    for start, end in code_ranges(raw):
        words.update(_CODE_WORD_RE.findall(raw, start, end))
    return frozenset(words)


_HYPHENATED_RE = re.compile(r"(?<![A-Za-z-])([A-Za-z]+)-([A-Za-z]+)")


def hyphenated(ctx: RuleContext) -> dict[str, set[str]]:
    """The compounds the document writes with a hyphen, lower case: first part -> second
    parts ("fall-through", "cross-post")."""
    out: dict[str, set[str]] = {}
    for first, second in per_document(ctx, _hyphenated_union):
        out.setdefault(first, set()).add(second)
    return out


class _Compounds(AbstractSet[tuple[str, str]]):
    """The pairs (first, second) that ``_hyphenated_elsewhere`` finds, as a set to ask."""

    def __init__(self, compounds: Mapping[str, set[str]]) -> None:
        self.compounds = compounds

    def __contains__(self, pair: object) -> bool:
        return isinstance(pair, tuple) and _hyphenated_elsewhere(self.compounds, *pair)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((first, second) for first, seconds in self.compounds.items() for second in seconds)

    def __len__(self) -> int:
        return sum(len(seconds) for seconds in self.compounds.values())


def _hyphenated_elsewhere(compounds: Mapping[str, set[str]], first: str, second: str) -> bool:
    """Whether the document writes ``first-second`` with a hyphen, perhaps inflected
    otherwise ("cross-post" beside "crossposted")."""
    seconds = compounds.get(first)
    if not seconds:
        return False
    return second in seconds or any(len(s) >= 3 and second.startswith(s) for s in seconds)


# Two content words glued together that the document writes this often, outside its claims
# (which repeat their contexts), are a term it means ("bytearray", "lookbehind").
TERM_USES = 3
_LETTERS_RE = re.compile(r"[A-Za-z]+")
_ASCII_LETTERS = frozenset(string.ascii_letters)


class _Prose:
    """The document's prose outside its claims (which repeat their contexts), as the
    decisions that read the whole document ask about it: how often it writes a token as a
    whole run of letters (``uses``), and how many words it has (``enough``). Its texts are
    gathered on the first question (most runs ask none); in a memo session it follows the
    last run's on the same document (``_Followed``): only the texts an edit changed are
    read again (a report of thousands of rows, each edit)."""

    def __init__(self, followed: _Followed, gather: Callable[[], tuple[str, ...]]) -> None:
        self._followed = followed
        self._gather: Callable[[], tuple[str, ...]] | None = gather
        self.asked = 0  # how many counts were asked for (``_kept_merges``)

    def _now(self) -> _Followed:
        followed = self._followed
        if self._gather is not None:
            gather, self._gather = self._gather, None
            try:
                followed.follow(gather())
            except BaseException:
                followed.forget()  # half followed: start afresh
                raise
        return followed

    def uses(self, token: str, distinct: bool) -> int:
        """How often the texts write ``token`` as a whole run of letters; with ``distinct``,
        in texts that differ (rows repeat one context: "Lysychanskwas" thrice is one damage)."""
        self.asked += 1
        return self._now().uses(token, distinct)

    def distinct(self) -> list[str]:
        """The texts that differ."""
        return list(self._now().times)

    def enough(self) -> bool:
        """Whether the texts hold CLEAN_DOCUMENT_WORDS words or more (enough to tell a term
        or a name from a lone lost space)."""
        return self._now().words() >= CLEAN_DOCUMENT_WORDS


class _Followed:
    """What ``_Prose`` answers from, followed from text list to text list."""

    def __init__(self) -> None:
        self.forget()

    def forget(self) -> None:
        self.texts: tuple[str, ...] = ()
        self.times: Counter[str] = Counter()  # each distinct text, and how often it stands
        self.counts: dict[tuple[str, bool], int] = {}  # the tokens asked about
        self.total: int | None = None  # the words (counted when first asked)

    def follow(self, now: tuple[str, ...]) -> None:
        before = self.texts
        if now is before:
            return
        head, tail = memo.common_ends(before, now)
        changed: Counter[str] = Counter(now[head : len(now) - tail])
        changed.subtract(before[head : len(before) - tail])
        times, counts = self.times, self.counts
        for text, by in changed.items():
            if not by:
                continue
            was = times[text]
            if was + by:
                times[text] = was + by
            else:
                del times[text]
            if self.total is not None:
                self.total += by * len(text.split())
            for key in counts:
                token, distinct = key
                if token in text:
                    n = _runs(text, token)
                    if not distinct:
                        counts[key] += by * n
                    elif not was or not was + by:
                        counts[key] += n if not was else -n  # it came, or it went
        self.texts = now

    def uses(self, token: str, distinct: bool) -> int:
        key = (token, distinct)
        found = self.counts.get(key)
        if found is None:
            if not _LETTERS_RE.fullmatch(token):
                found = 0  # (never a run of letters)
            else:
                # The texts joined by a character that is no letter (each keeps its edges),
                # searched by str.find, in C. (Counting every word of a report's texts took
                # longer than the rest of CIT401's run in a server, measured.)
                found = _runs("\n".join(self.times if distinct else self.texts), token)
            if len(self.counts) >= USES_KEPT:
                self.counts.clear()  # (each is followed through every edit: a few at a time)
            self.counts[key] = found
        return found

    def words(self) -> int:
        if self.total is None:
            self.total = sum(map(len, map(str.split, self.texts)))
        return self.total


# Tokens whose counts a followed _Prose keeps up to date.
USES_KEPT = 64
_KIND = operator.attrgetter("kind")


def _prose_outside_claims(ctx: RuleContext) -> _Prose:
    """The document's ``_Prose``: in a memo session, following the last run's on it."""

    def texts() -> tuple[str, ...]:
        kinds = map(_KIND, ctx.cached(prose_fields))
        return tuple(itertools.compress(_raws(ctx), map(operator.ne, kinds, itertools.repeat("claim"))))

    session = memo.active()
    if session is None:
        return _Prose(_Followed(), texts)
    kept: dict[str, _Followed] = session.kept("CIT401-prose", dict)
    found = kept.pop(ctx.doc.path) if ctx.doc.path in kept else _Followed()
    if len(kept) >= DOCUMENTS_KEPT:
        del kept[next(iter(kept))]  # the least recently followed
    kept[ctx.doc.path] = found  # (the most recent last)
    return _Prose(found, texts)


def _runs(text: str, word: str) -> int:
    """How often ``word`` (ASCII letters) stands in ``text`` as a whole run of letters."""
    return sum(1 for _ in _whole_runs(text, word))


def _whole_runs(text: str, word: str) -> Iterator[int]:
    """Where ``word`` (ASCII letters) stands in ``text`` as a whole run of letters, as
    _LETTERS_RE's runs are: found by str.find, in C."""
    size = len(text)
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or text[at - 1] not in _ASCII_LETTERS) and (end == size or text[end] not in _ASCII_LETTERS):
            yield at
        at = text.find(word, at + 1)


# Words around a merge that are looked at, on each side, and how many of them must be no
# English dictionary word for the merge to be read as a word of a foreign phrase.
FOREIGN_WINDOW = 3
FOREIGN_NEIGHBOURS = 3
# How many characters on each side of a merge ``_among_foreign_words`` reads (the server's
# pieces of a long field carry this much of the text around them).
FOREIGN_REACH = 60


def _among_foreign_words(raw: str, start: int, end: int, detector: Detector) -> bool:
    """Whether the token at ``raw[start:end]`` stands among lowercase words that are no
    English dictionary words ("On a tous un peu peur", "Honi soit qui mal y pense"). Only
    words count: a URL or a path beside the token ("isat http://www.wps.com") is no phrase."""
    def words(text: str) -> list[str]:
        # Punctuation standing apart (the stop after "andmore.") is no word of the window.
        return [w for w in (chunk.strip(mergedwords.EDGE_CHARS) for chunk in text.split()) if w]

    # At the edge of a text the window takes its words from the other side ("Honi soit
    # qui mal y pense" opens a paragraph): a phrase is judged on as many words wherever it stands.
    # A word the reach cuts in two is no word of the window.
    lo, hi = max(0, start - FOREIGN_REACH), end + FOREIGN_REACH
    head, tail = raw[lo:start], raw[end:hi]
    if lo > 0 and head[:1].strip() and raw[lo - 1].strip():
        head = head[len(head.split(None, 1)[0]) :]
    if hi < len(raw) and tail[-1:].strip() and raw[hi].strip():
        tail = tail[: len(tail) - len(tail.rsplit(None, 1)[-1])]
    left, right = words(head), words(tail)
    before = left[-max(FOREIGN_WINDOW, 2 * FOREIGN_WINDOW - len(right)) :]
    after = right[: max(FOREIGN_WINDOW, 2 * FOREIGN_WINDOW - len(left))]
    foreign = 0
    for word in before + after:
        if len(word) >= 2 and word.isalpha() and word.islower():
            # A word with letters outside ASCII ("forças") is no English word either.
            info = detector.info(word) if word.isascii() else None
            foreign += info is None or not info[1]
    return foreign >= FOREIGN_NEIGHBOURS


def _markdown() -> Any:
    """This thread's mistune inline parser (text to tokens), made on first use."""
    memos = _memos()
    if memos.markdown is None:
        from mistune.inline_parser import InlineParser

        from citelint import htmltags  # noqa: F401  (mistune's HTML tag patterns made linear)

        memos.markdown = InlineParser()
    return memos.markdown


EMPHASIS_WINDOW = 80


def _in_emphasis(raw: str, start: int, end: int) -> bool:
    """Whether the token at ``raw[start:end]`` is inside an emphasis of its line, read by
    mistune: an italic phrase is a foreign phrase or a title ("*Forças Armadas Angolanas*",
    "*villa suburbana*"), spelt as meant. Asked only of the few merges found."""
    before, after = raw[max(0, start - EMPHASIS_WINDOW) : start], raw[end : end + EMPHASIS_WINDOW]
    if not any(c in before for c in "*_") or not any(c in after for c in "*_"):
        return False  # no emphasis can open before the token and close after it
    # The line around the token, at most EMPHASIS_WINDOW characters each side: an italic
    # phrase is short, and a long line of many merges is not parsed whole for each.
    # (The line break is looked for in the window only: a scan to the start of a long line
    # for each token was quadratic in a line of many.)
    line_start = max(raw.rfind("\n", max(0, start - EMPHASIS_WINDOW), start) + 1, start - EMPHASIS_WINDOW)
    line_end = raw.find("\n", end, end + EMPHASIS_WINDOW)
    line = raw[line_start : line_end if line_end >= 0 else min(len(raw), end + EMPHASIS_WINDOW)]
    token = raw[start:end]

    def inside(tokens: list[dict[str, Any]], emphasised: bool) -> bool:
        for tok in tokens:
            if tok.get("type") in ("emphasis", "strong"):
                if inside(tok.get("children", []), True):
                    return True
            elif tok.get("type") == "text" and emphasised and re.search(
                r"(?<![A-Za-z])" + re.escape(token) + r"(?![A-Za-z])", tok.get("raw", "")
            ):
                return True
            elif tok.get("children"):
                if inside(tok["children"], emphasised):
                    return True
        return False

    return inside(_markdown()(line, {}), False)


# A lossy conversion that deletes spaces deletes many: a document with a clear merge of a
# function word ("andmore", "ofIran") is damaged, and one of this many words without any is
# most likely clean. There, two content words glued together whose first is a bare stem
# ("zipfiles", "seatcovers") are far more often a compound the word list lacks than a lone
# lost space. Shorter documents say too little either way. Chosen on the benchmark's tuning
# part (benchmarks/damage.py).
CLEAN_DOCUMENT_WORDS = 100


def _compound_like(merge: mergedwords.Merge) -> bool:
    """Whether two content words glued together could be a compound written solid: the first
    part of one is a bare stem ("zipfiles", "seatcovers", "FrontPage"), never a verb form,
    an adverb or a plural ("targetingcritical", "pipelinesNord"), and a word glued to a
    capitalised one ("spokespersonMaria") is no compound."""
    first = merge.first.lower()
    if merge.first[0].islower() and merge.second[0].isupper():
        return False
    if first.endswith(("ed", "ing", "ly")):
        return False
    return not (first.endswith("s") and not first.endswith(("ss", "us", "is")))


def _uncounted_compound(merge: mergedwords.Merge, detector: Detector) -> bool:
    """Whether a lowercase token splits into two dictionary words that the bigram counts
    never put side by side: in documentation that is a term or a name written solid
    ("accountsservice", "vectorborne") more often than a lone lost space. Camel case is left
    to the case rules: the lexicon cannot tell "requestPort" from "spokespersonMaria"."""
    first, second = merge.first, merge.second
    if not merge.token.islower():
        return False
    if detector.lexicon.bigram_probability(first, second):
        return False
    return detector.is_dictionary_word(first) and detector.is_dictionary_word(second)


def _distinct(order: Iterable[int], per_unit: Mapping[int, list[tuple[int, mergedwords.Merge]]]) -> list[mergedwords.Merge]:
    """The merges of the units ``order`` names, each (token, first, second) once, in order
    (placed nowhere: the decision that reads them reads no place)."""
    return [mergedwords.Merge(0, 0, *key) for key in dict.fromkeys(m[2:] for i in order for _, m in per_unit[i])]


def _lone_merge(found: list[mergedwords.Merge]) -> mergedwords.Merge | None:
    """The document's merge when it has one token merged (however often), else None."""
    merge = found[0]
    return merge if all(m.token == merge.token for m in found) else None


def _unbacked_compounds(
    prose: _Prose, found: list[mergedwords.Merge], detector: Detector
) -> frozenset[str]:
    """The merges of two content words to leave alone because nothing else in the document
    shows damage (no merge of a function word), in enough prose to tell: a compound-like
    pair, or a pair the bigram counts never saw (``_uncounted_compound``), unless a verb
    stands where no compound has one ("moduledefines", "scientistsengaged")."""
    content = [m for m in found if _merge_applicability(m.first, m.second) is Applicability.UNSAFE]
    if not content or any(_merge_applicability(m.first, m.second) is Applicability.SAFE for m in found):
        return frozenset()  # a function word glued on somewhere: the document is damaged
    if not prose.enough():
        return frozenset()
    return frozenset(
        m.token.lower()
        for m in content
        if (_compound_like(m) or _uncounted_compound(m, detector)) and not detector.verb_evidence(m.first.lower(), m.second.lower())
    )


def _identifiers(
    found: list[mergedwords.Merge], code: AbstractSet[str], names: AbstractSet[str]
) -> frozenset[str]:
    """In a document that writes code and shows no other damage, the merges of a content
    word glued to a capitalised word that stands nowhere alone in it ("setting the
    requestPort to 0", "the LDAP objectClass values"): code identifiers. In a news report
    (no code) "spokespersonMaria" is a name glued on."""
    if not code:
        return frozenset()
    return frozenset(
        m.token.lower()
        for m in found
        if m.first[:1].islower()
        and m.first not in mergedwords.FUNCTION_WORDS  # "andUS", "ofIran": a function word glued to a name
        and m.second[:1].isupper()
        and m.second[1:].islower()
        and m.second not in names
    )


def _verb_form(word: str, detector: Detector) -> bool:
    """Whether the capitalised ``word`` is a verb form of a dictionary verb ("Used",
    "Called", "Running"): a sentence's first word, no name ("Reed", "Fred" have no stem)."""
    lower = word.lower()
    for ending in ("ed", "ing"):
        if lower.endswith(ending) and detector.is_dictionary_word(lower):
            base = lower[: -len(ending)]
            stems = (base, base + "e", base[:-1] if base[-1:] == base[-2:-1] else "")
            return any(len(stem) >= 3 and detector.is_dictionary_word(stem) for stem in stems)
    return False


def _lone_name_glue(
    prose: _Prose, found: list[mergedwords.Merge], names: AbstractSet[str], detector: Detector
) -> frozenset[str]:
    """A capitalised word glued to a function word ("Bergerand", "Genetor") as the only merge
    of a document long enough to tell, when the document never writes that word alone: a
    name that ends so more often than a lone lost space ("Lysychanskwas" beside
    "Lysychansk" is damage)."""
    merge = _lone_merge(found)
    if merge is None:
        return frozenset()
    if not (merge.token[0].isupper() and merge.first.lower() not in mergedwords.FUNCTION_WORDS and merge.second in mergedwords.GLUE_WORDS):
        return frozenset()
    if merge.first in names or _verb_form(merge.first, detector):
        return frozenset()  # (a verb form starts a sentence: "Usedin" is "Used in")
    return frozenset((merge.token.lower(),)) if prose.enough() else frozenset()


def _lone_uncounted(
    prose: _Prose, found: list[mergedwords.Merge], code: AbstractSet[str], detector: Detector
) -> frozenset[str]:
    """The one merge of a document that writes code, in enough prose to tell, when it is
    lowercase and the bigram counts never put its two words side by side ("heredocs",
    "itstool", "ifaccess"): a manual names tools, options and syntax written solid, and a
    pair no web text writes apart is such a term more often than a lone lost space. A
    report with no code keeps its one merge ("hisfaltering", "targetingcritical" are lone
    in real reports), as does a pair written apart often ("andmore")."""
    merge = _lone_merge(found)
    if not code or merge is None:
        return frozenset()
    if not merge.token.islower() or detector.lexicon.bigram_probability(merge.first, merge.second):
        return frozenset()
    return frozenset((merge.token,)) if prose.enough() else frozenset()


# How often a document with no other damage writes a token for it to be a term it means
# ("todo", "howto" in a manual): a lost space seldom glues the same two words twice.
REPEATED_USES = 2
# At most this many such terms in a document (more is no manual's vocabulary), and how many
# characters on each side tell one place from another.
REPEATED_TERMS = 8
PLACE_REACH = 40


def _repeated_terms(prose: _Prose, found: list[mergedwords.Merge], detector: Detector) -> frozenset[str]:
    """The merges the document writes REPEATED_USES times or more (outside its claims, in
    different places), when every merge it has is such a repeated one and a word the web
    writes solid (zipf mergedwords.OWN_WORD_ZIPF or more): nothing else shows a lossy
    conversion, so they are terms of the document ("the todo list", "see the howto"). A
    document with a merge written once keeps them all."""
    tokens = {m.token for m in found}
    if len(tokens) > REPEATED_TERMS:
        return frozenset()
    for t in tokens:
        own = detector.info(t.lower())
        if own is None or own[0] < mergedwords.OWN_WORD_ZIPF:
            # A word the web never writes solid ("andmore", "includinga") is damage
            # however often a document repeats it: news quotes one wire in many places.
            # (Asked first: it reads no more than the token.)
            return frozenset()
    if any(prose.uses(t, True) < REPEATED_USES for t in tokens):
        return frozenset()  # a merge written once: the document is damaged
    # Each written in REPEATED_USES different places: one passage quoted in two contexts
    # ("includinga" in both) is one damage, copied.
    places: dict[str, set[tuple[str, str]]] = {t: set() for t in tokens}
    distinct = prose.distinct()
    for t in tokens:
        # (the few texts that hold the token found in C)
        for raw in itertools.compress(distinct, map(operator.contains, distinct, itertools.repeat(t))):
            for at in _whole_runs(raw, t):
                places[t].add((raw[max(0, at - PLACE_REACH) : at], raw[at + len(t) : at + len(t) + PLACE_REACH]))
    if any(len(places[t]) < REPEATED_USES for t in tokens):
        return frozenset()
    return frozenset(t.lower() for t in tokens)


# How many distinct merges of a function word ("andmore", "ofIran") show a document damaged
# by a lossy conversion, where capitalised tokens are judged as lowercase ones and names
# glued to words are taken (mergedwords.Options.damaged). One may be a false alarm.
DAMAGED_MERGES = 2
# A capitalised token the document writes this often, outside its claims, is a name
# ("Traveland", "Icinga"): a lost space seldom glues the same two words twice.
NAME_USES = 2


def _function_head(merge: mergedwords.Merge) -> bool:
    """Whether a capitalised function word that begins no name is glued to a lowercase word
    ("Themaximum", "Ifset", "Thisis"): a sentence's opening words, damaged however often the
    document writes them (a manual's list that opens each item with "The maximum" loses
    the space each time). Names begin with "Or", "By", "To" ("Orwant", "Bywater")."""
    return _capitalised_function_word(merge) and merge.first.lower() not in mergedwords.NAME_PREFIXES


def _capitalised_function_word(merge: mergedwords.Merge) -> bool:
    """Whether the merge is a function word with a capital glued to a lowercase word
    ("Themaximum", "Orwant")."""
    return merge.token[0].isupper() and merge.token[1:].islower() and merge.first.lower() in mergedwords.FUNCTION_WORDS


def _verb_head(merge: mergedwords.Merge, detector: Detector) -> bool:
    """Whether a capitalised verb form is glued to a function word ("Usedin", "Calledby"): a
    sentence's opening words, no name (names are no verb forms: _verb_form), damaged however
    often the document writes them (a glossary opens each entry with "Used in"). A single
    letter after one makes names ("Icinga")."""
    second = merge.second.lower()
    return (
        merge.token[0].isupper()
        and len(second) >= 2
        and second in mergedwords.FUNCTION_WORDS
        and _verb_form(merge.first, detector)
    )


# What a unit's scan yields: the field's index in the unit, the merge (offsets in the field's
# text; for a piece, in the piece), and whether nothing in the unit or the document's facts
# explains it (a merge explained away still counts as examined: the harder second reading
# of a damaged document does not judge its place again).
_Scanned = tuple[tuple[int, mergedwords.Merge, bool], ...]


@rule(
    "CIT401",
    "merged-words",
    "warning",
    "Two words glued together by a missing space ('andmore').",
    options=(Option("allow", "string-list", (), "Words never to report as merged (names the document spells as one word)."),),
    formats=SMARTBOOK_ONLY,
    fix="sometimes",
)
def merged_words(ctx: RuleContext) -> Iterator[Hit]:
    # Three steps, so that a server re-linting after an edit reads only the units it changed:
    # the merges of each unit (a row's fields, the title, the summary), which read the unit
    # and document-level facts (kept per unit: units.values); the decision that reads every
    # merge of the document (terms it writes often, compounds no damage backs); then each
    # unit's hits (ctx.each, keyed by that decision too).
    doc, options = ctx.doc, ctx.options
    detector = _detector(options)
    # A name glued to the next word ("Kyivand") is recognised through the names that stand
    # alone somewhere in the document, or through the lexicon. What a unit asks of these
    # document-level sets is noted: its merges are kept while the answers stay the same.
    # Each gathered on its first question.
    # In a memo session each set is a followed union, named by a number that changes with
    # its content: a unit checked under the same numbers is not asked again.
    session = units.store() is not None
    names = units.Watched(lambda: per_document(ctx, document_names), (lambda: _gathered(ctx, "names")[1]) if session else None)
    words = units.Watched(lambda: per_document(ctx, document_words), (lambda: _gathered(ctx, "words")[1]) if session else None)
    compounds = units.Watched(
        lambda: _Compounds(per_document(ctx, hyphenated)), (lambda: _gathered(ctx, "hyphenated")[1]) if session else None
    )
    code = units.Watched(lambda: ctx.cached(_code_fact)[0], (lambda: ctx.cached(_code_fact)[1]) if session else None)

    def scanner(detector: Detector) -> Callable[[tuple[Field, ...] | _Piece], _Scanned]:
        def merges(unit: tuple[Field, ...] | _Piece) -> _Scanned:
            """The unit's merges as ``detector`` finds them, each marked whether nothing in
            the field or the document's facts explains it."""
            out = []
            if isinstance(unit[0], int):  # a piece of a long field, read with what stands around it
                _, raw, left, right = unit
                texts = [(0, raw, _chunks(raw), left + raw + right, len(left))]
            else:
                texts = []
                for n, field in enumerate(unit):
                    raw = field.text.raw
                    if not raw.isascii() and _BOX_DRAWING_RE.search(raw):
                        continue  # a table drawn with box characters: lists of names, not prose
                    chunks = _chunks(raw)
                    if "{" in raw:
                        # A word in braces is a cross-reference or a template field, not prose.
                        raw = _BRACES_RE.sub(lambda m: " " * len(m.group()), raw)
                    texts.append((n, raw, chunks, raw, 0))
            for n, raw, chunks, around, at in texts:
                for merge in detector.scan(raw, names, chunks, words):
                    merge = _split_further(merge, names, words, detector)
                    out.append((n, merge, not _explained(merge, around, at, detector, compounds, code)))
            return tuple(out)

        return merges

    all_units = _segment_units(ctx)
    watched = (names, words, compounds, code)

    def kept(scanned: _Scanned, examined: AbstractSet[tuple[int, int]] = frozenset()) -> list[tuple[int, mergedwords.Merge]]:
        """The merges no document-level fact explains: a capitalised token the document
        writes NAME_USES times is a name ("Traveland"), two content words it writes
        TERM_USES times a term ("bytearray"); a function word glued on ("andmore") is no
        term however often, nor a capitalised one glued before a word ("Themaximum") a
        name."""
        out = []
        for n, merge, unexplained in scanned:
            if not unexplained or (n, merge.start) in examined:
                continue
            unsafe = _merge_applicability(merge.first, merge.second) is Applicability.UNSAFE
            if (unsafe or merge.token[0].isupper()) and not (_function_head(merge) or _verb_head(merge, detector)):
                if per_document(ctx, _prose_outside_claims).uses(merge.token, not unsafe) >= (TERM_USES if unsafe else NAME_USES):
                    continue
            out.append((n, merge))
        return out

    first = _scanned(ctx, all_units, scanner(detector), (), watched)
    # The kept merges of each unit that has any, by the unit's index (most units have none:
    # they are passed over in C); in a memo session, a unit's that read no document-level
    # count are the last run's for the very same merges.
    per_unit = _kept_merges(ctx, first, kept, detector)
    # The document's merges, each (token, first, second) once, in order: what the decision
    # reads of them (each distinct merge judged once: a report repeats a few merges hundreds
    # of times).
    order = sorted(per_unit)
    found = _distinct(order, per_unit)
    safe = {m.token for m in found if _merge_applicability(m.first, m.second) is Applicability.SAFE}
    if len(safe) >= DAMAGED_MERGES:
        # A lossy conversion went over this document: look again, harder, where the first
        # reading found nothing to judge.
        again = _scanned(ctx, all_units, scanner(_detector(options, damaged=True)), "damaged", watched)
        for i in itertools.compress(itertools.count(), again):
            per_unit[i] = per_unit.get(i, []) + kept(again[i], {(n, m.start) for n, m, _ in first[i]})
        order = sorted(per_unit)
        found = _distinct(order, per_unit)
    if not found:
        return
    prose = per_document(ctx, _prose_outside_claims)
    unbacked = (
        _unbacked_compounds(prose, found, detector)
        | _lone_name_glue(prose, found, per_document(ctx, document_names), detector)
        | _repeated_terms(prose, found, detector)
        | _lone_uncounted(prose, found, ctx.cached(_code_fact)[0], detector)
    )
    if len(safe) < DAMAGED_MERGES:  # nothing shows a lossy conversion
        # (code_words(doc) is _code_fact(doc)[0]: one gathering of the code spans' words, not two)
        unbacked |= _identifiers(found, ctx.cached(_code_fact)[0], per_document(ctx, document_names))

    def hits(item: tuple[tuple[Field, ...], int, tuple[tuple[int, mergedwords.Merge], ...]]) -> Iterator[Hit]:
        fields_of, offset, unit_merges = item
        for n, merge in unit_merges:
            if merge.token.lower() in unbacked:
                continue
            field = fields_of[n]
            start = field.text.start + offset + merge.start
            end = start + len(merge.token)
            split = merge.split()
            yield Hit(
                doc.span(start, end),
                f"'{merge.token}' looks like '{split}' (a missing space)",
                fix=Fix(
                    repair(ctx, field, start, end, split),
                    f"split '{merge.token}' into '{split}'",
                    _merge_applicability(merge.first, merge.second),
                ),
            )

    # A unit's key and its merges are all its hits read, besides the decision. A piece of a
    # long field is anchored at itself (its hits move with it).
    def anchored(fields_of: tuple[Field, ...], anchor: Text | None, piece: _Piece | None) -> Text:
        if piece is None:
            assert anchor is not None
            return anchor
        start = fields_of[0].text.start + piece[0]
        return Text(piece[1], start, doc.span(start, start + len(piece[1])))

    with_merges = (
        ((key, tuple(m)), anchored(fields_of, anchor, piece), (fields_of, 0 if piece is None else piece[0], tuple(m)))
        for (key, fields_of, anchor, piece), m in ((all_units[i], per_unit[i]) for i in order)
        if m
    )
    kept_by = memo.active()
    if kept_by is None:
        yield from units.each(ctx.rule.code, options, with_merges, hits, unbacked)  # (ctx.each's own call)
        return
    # In a memo session, the last run's hits on this document are this run's when every
    # unit with a merge is as it was: its key, its merges, and where it stands (its anchor,
    # or for a piece its field's text and offset), under the same decision and options.
    # Compared in C, mostly by identity (a report's summary holds hundreds of merges, and
    # an edit elsewhere changes none of them).
    signature = (
        unbacked,
        units.frozen(dict(options)),
        [
            (key, m, anchor, None) if piece is None else (key, m, fields_of[0].text, piece[0])
            for (key, fields_of, anchor, piece), m in ((all_units[i], per_unit[i]) for i in order)
            if m
        ],
    )
    last_hits: dict[str, tuple[Hashable, list[Hit]]] = kept_by.kept("CIT401-hits", dict)
    last = last_hits.pop(doc.path, None)
    if last is not None and last[0] == signature:
        made = last[1]
    else:
        made = list(ctx.each(with_merges, hits, unbacked))
    if len(last_hits) >= DOCUMENTS_KEPT:
        del last_hits[next(iter(last_hits))]  # the least recently linted
    last_hits[doc.path] = (signature, made)  # (the most recent last)
    yield from made


def _scanned(
    ctx: RuleContext,
    all_units: Sequence[_Unit],
    compute: Callable[[tuple[Field, ...] | _Piece], _Scanned],
    facts: Hashable,
    watched: tuple[units.Watched[Any], ...],
) -> list[_Scanned]:
    """``compute``'s merges of each unit (``units.values``). In a memo session, those of
    the units at the start and at the end whose keys are the last run's on the document
    (under the same options and facts) are the last run's when they asked the watched sets
    nothing, or when the sets' contents are the same: only the others are looked up
    (thousands of rows, an edit changes a few, and a new word in the document changes the
    sets' contents but not what the rows that asked nothing found; the keys are compared
    in C, by identity where a row did not move)."""

    session = memo.active()
    if session is None:
        return units.values(ctx.rule.code, ctx.options, _items(all_units), compute, facts, watched)
    keys = all_units.keys() if isinstance(all_units, _Segments) else list(map(_KEY, all_units))
    last, versions = _last_run(ctx, "CIT401-scanned", f"{facts}:{ctx.doc.path}", facts, watched, _LastScan, DOCUMENTS_KEPT)
    store = units.store()
    assert store is not None  # (a memo session's)
    quiet = last.quiet

    restless: set[Hashable] = set()  # the keys whose merges read more than their key this run

    def noting(item: tuple[Hashable, Any]) -> _Scanned:
        key, unit = item
        found = compute(unit)
        # (the log of questions values() hands each watched set while a unit is checked)
        if store.volatile:
            restless.add(key)
            quiet.discard(key)
        elif watched and watched[0].asked:
            quiet.discard(key)
        else:
            quiet.add(key)
        return found

    # The last run's flags of the units kept at either end: 2 when a unit asked nothing, 1
    # when it asked (kept while the contents are the same), 0 when it read more.
    flags, todo, spliced = _at_ends(last, keys, versions)
    found: list[_Scanned] = spliced(last.found, ())
    if len(quiet) >= units.STORE_SIZE:
        quiet.clear()
    looked = units.values(ctx.rule.code, ctx.options, list(zip(map(keys.__getitem__, todo), _items(list(map(all_units.__getitem__, todo))))), noting, facts, watched)
    for i, value in zip(todo, looked):
        found[i] = value
        # (a value values() kept was no volatile one; one computed now was noted)
        flags[i] = 0 if keys[i] in restless else 2 if keys[i] in quiet else 1
    last.keys, last.versions, last.flags, last.found = keys, versions, flags, found
    return found


def _items(chosen: Sequence[_Unit]) -> list[tuple[Hashable, Any]]:
    """Each unit's (key, fields), or (key, piece) for a piece of a long field: zipped in C,
    the few pieces put in after."""
    out: list[tuple[Hashable, Any]] = list(zip(map(_KEY, chosen), map(_SECOND, chosen)))
    for i in itertools.compress(itertools.count(), map(_PIECE, chosen)):
        key, _, _, piece = chosen[i]
        out[i] = (key, piece)
    return out


class _LastScan(_LastRun):
    """What ``_scanned`` found on the last run on a document, under some options and facts:
    a _LastRun with each unit's merges."""

    def __init__(self, under: Hashable) -> None:
        super().__init__(under)
        self.found: list[_Scanned] = []
        self.quiet: set[Hashable] = set()  # the keys whose merges asked the watched sets nothing


def _kept_merges(
    ctx: RuleContext,
    scanned: list[_Scanned],
    kept: Callable[[_Scanned], list[tuple[int, mergedwords.Merge]]],
    detector: Detector,
) -> dict[int, list[tuple[int, mergedwords.Merge]]]:
    """``kept(scanned[i])`` for each unit that has merges, by the unit's index. In a memo
    session, what the last run kept of the very same merges (the same object: a unit the
    edit did not reach) is reused when it read no document-level count then (most do not:
    only a capitalised or two content words' merge asks how often the document writes it)."""
    have = itertools.compress(itertools.count(), scanned)
    session = memo.active()
    if session is None:
        return {i: kept(scanned[i]) for i in have}
    memos: dict[str, tuple[Hashable, dict[int, tuple[_Scanned, list[tuple[int, mergedwords.Merge]]]]]] = session.kept("CIT401-kept", dict)
    under = (ctx.options.get("allow", ()), id(detector))
    last = memos.pop(ctx.doc.path, None)
    before = last[1] if last is not None and last[0] == under else {}
    now: dict[int, tuple[_Scanned, list[tuple[int, mergedwords.Merge]]]] = {}
    out = {}
    prose = per_document(ctx, _prose_outside_claims)
    for i in have:
        unit = scanned[i]
        seen = before.get(id(unit))
        if seen is not None and seen[0] is unit:
            out[i] = seen[1]
            now[id(unit)] = seen
            continue
        asked = prose.asked
        out[i] = kept(unit)
        if prose.asked == asked:  # it read no count: the same merges keep the same
            now[id(unit)] = (unit, out[i])
    if len(memos) >= DOCUMENTS_KEPT:
        del memos[next(iter(memos))]  # the least recently read
    memos[ctx.doc.path] = (under, now)  # (the most recent last)
    return out


# The shortest name a glued second part may begin with, and the least of the word after it.
FURTHER_NAME = 4
FURTHER_REST = 2


def _split_further(
    merge: mergedwords.Merge, names: AbstractSet[str], words: AbstractSet[str], detector: Detector
) -> mergedwords.Merge:
    """``merge`` with its capitalised second part split again when that part is a name the
    document writes alone glued to a word ("ofMelitopolover": "of Melitopol over", beside
    "Melitopol" elsewhere), so that the message and the fix name all three words: the fix
    "of Melitopolover" left a run-together word that no later run reports. The whole part
    must be no word or name the lexicon knows ("ofJohnson" is no "of John son"), and the
    name one the document never writes in lower case ("New" of "ofNewton" is a word)."""
    second = merge.second
    if len(second) < FURTHER_NAME + FURTHER_REST or not (second[0].isupper() and second[1:].islower()):
        return merge
    if detector.info(second.lower()) is not None:
        return merge
    # Cut where the rest is a word first (the lexicon), then ask the document's sets (watched:
    # each question is noted), the longest name first.
    cuts = [cut for cut in range(len(second) - FURTHER_REST, FURTHER_NAME - 1, -1) if detector.real(second[cut:]) is not None]
    if not cuts or second in names:
        return merge
    for cut in cuts:
        head = second[:cut]
        if head in names and head.lower() not in words:
            return merge._replace(third=second[cut:])
    return merge


def _explained(
    merge: mergedwords.Merge,
    around: str,
    at: int,
    detector: Detector,
    compounds: AbstractSet[tuple[str, str]],
    code: AbstractSet[str],
) -> bool:
    """Whether the unit's text (``around``, the merge at ``at`` past its start) or the
    document's facts explain the merge as no damage."""
    if (merge.first.lower(), merge.second.lower()) in compounds:
        return True  # "fallthrough" beside "fall-through": a compound spelled both ways
    start, end = at + merge.start, at + merge.end
    if _among_foreign_words(around, start, end, detector):
        return True  # "Honi soit qui mal y pense": a word of a quoted foreign phrase
    if merge.token in code or merge.token.endswith("s") and merge.token[:-1] in code:
        # "bytearray" beside `bytearray`, "zipfiles" beside `zipfile`: a name from the code
        # the text talks about, or its plural.
        return True
    if _against_grammar(merge, around, start, end):
        return True  # "the todo list", "see the howto.": the split reads as no English
    return _in_emphasis(around, start, end)  # "*villa suburbana*": an italic phrase, foreign words or a title


# Determiners that no preposition, conjunction, auxiliary or article follows: "the to do
# list" and "the a time" are no English, so "the todo list", "the atime" are words.
PURE_DETERMINERS = frozenset("the a an its their our my your every".split())
NEVER_AFTER_DETERMINER = frozenset(
    """to of and or nor but in on at by for with from as into than then if how is are was
    were be been has have had will would can could should may might must do does did a an the
    so not when where while because although though since whether which who whom whose""".split()
)
# Words that take what follows them and so never end a clause: "thea." is no "the a.".
# (Prepositions and "to" may: "what it is made of.", "when he had to.") A wh-word before
# "to" takes a verb: "the Access Control howto, which" is no "how to,".
NEVER_LAST = frozenset("the a an and or nor but than".split())
WH_WORDS = frozenset("how what where when whether which who".split())
_CLAUSE_END = frozenset(".,;:!?)\"\u201d")
# The word right before a token, one space away: code blanked out between them (a run of
# spaces) is no determiner's next word.
_WORD_BEFORE_RE = re.compile(r"(?<![A-Za-z])([A-Za-z]+)[ \t]$")


def _against_grammar(merge: mergedwords.Merge, around: str, start: int, end: int) -> bool:
    """Whether the split of the token at ``around[start:end]`` would not read as English
    where it stands: a preposition, conjunction, auxiliary or article after a determiner
    ("the todo list"), or a word that takes a complement right before the end of a phrase
    ("the Access Control howto, which"), or a capitalised function word right after a word
    ("Jon Orwant"), or two content words alone in brackets, a term named ("uses slight
    hinting (hintslight)"; "(andmore)" is damage). A lost space leaves words that stood
    side by side."""
    second, mark = merge.second.lower(), around[end : end + 1]
    if mark == ")" and around[start - 1 : start] == "(" and _merge_applicability(merge.first, merge.second) is Applicability.UNSAFE:
        return True
    # (A comma may open an aside after a conjunction: "Santiago Vila and, later, ...".)
    if (second in NEVER_LAST and mark != "," or second == "to" and merge.first.lower() in WH_WORDS) and mark in _CLAUSE_END:
        after = around[end + 1 : end + 2]
        # (An ellipsis cuts a quote short anywhere: "the end ofthe...".)
        if (not after or after.isspace() or after in _CLAUSE_END) and not around.startswith("..", end):
            return True
    first = merge.first
    if _capitalised_function_word(merge):
        # "Jon Orwant", "by Tom Inman": a function word is written with a capital inside a
        # sentence only in a title, where the next word has one too ("from The Linux");
        # after a word, "Or want" is no lost space but a name. (A sentence's first word,
        # or one after a function word, "Gone With", may still be "Theinquiry".)
        before = _WORD_BEFORE_RE.search(around, max(0, start - 30), start)
        if before is not None and before.group(1).lower() not in mergedwords.FUNCTION_WORDS:
            return True
    if first.lower() in NEVER_AFTER_DETERMINER and (first.islower() or first[1:].islower()):
        # (a word in capitals is a keyword: "all the MUSTand SHOULDs")
        before = _WORD_BEFORE_RE.search(around, max(0, start - 20), start)
        word = before.group(1) if before is not None else ""
        # A capital alone is a variable ("If A isactually"), not the article.
        if word.lower() in PURE_DETERMINERS and (word.islower() or len(word) > 1 and word[1:].islower()):
            return True
    return False


# A piece of a long field CIT401 scans: its offset in the field, its text, and the
# PIECE_REACH characters before and after it (what the checks of foreign words and of
# emphasis read around a merge).
_Piece = tuple[int, str, str, str]
# A field this long (a summary of thousands of sentences) is scanned in pieces, so that an
# edit scans again only the pieces around it. A piece ends after a sentence stop, where
# the hash of the text before says so (about one stop in PIECE_STOPS): the cuts stay where
# they are when text is added or removed elsewhere.
PIECE_FIELD = 20_000
PIECE_STOPS = 16
PIECE_REACH = max(FOREIGN_REACH + 1, EMPHASIS_WINDOW)  # the foreign-word check looks one character past its reach (a word cut there?)
_STOP_RE = re.compile(r"[.!?](?=\s)")


_Unit = tuple[Hashable, tuple[Field, ...], Text | None, "_Piece | None"]


def _segment_units(ctx: RuleContext) -> Sequence[_Unit]:
    """The units CIT401 scans: each unit of ``field_units`` (its key, fields and anchor);
    but in a memo session, where a piece's merges are kept from run to run, a long field
    with no braces and no box drawing in it is cut into pieces at whitespace (words never
    cross a cut, and a merge's verdict reads only its word), each a unit keyed by its text
    and the text around it that the check of foreign words reads (anchored at itself)."""
    out: list[_Unit] = []
    kept = units.store() is not None
    all_units = field_units(ctx)
    # The units of one field before the rows' (the title, the summary), then the rows': when
    # no row's field is long enough to be cut, the rows' units are reshaped as they are
    # read (thousands of rows, each run: ``_Segments``).
    k = 0
    while k < len(all_units) and all_units[k][2][0].row is None:
        k += 1
    rows_at = len(all_units)
    long = per_document(ctx, _long_fields) if kept else []
    if k < len(all_units) and (not long or long[-1] < k):  # (the fields before the rows' are the units before them)
        rows_at = k
    for key, anchor, fields_of in all_units[:rows_at]:
        raw = fields_of[0].text.raw
        if kept and len(raw) > PIECE_FIELD and len(fields_of) == 1 and "{" not in raw and (raw.isascii() or not _BOX_DRAWING_RE.search(raw)):
            out.extend((("piece", *piece[1:]), fields_of, None, piece) for piece in _pieces(raw))
        else:
            out.append((key, fields_of, anchor, None))
    rest = all_units[rows_at:]
    if kept:
        return _Segments(out, rest, per_document(ctx, _field_keys)[rows_at:])
    out += zip(map(_KEY, rest), map(_THIRD, rest), map(_SECOND, rest), itertools.repeat(None))
    return out


class _Segments(Sequence[_Unit]):
    """CIT401's units in a memo session: those before the rows' (``head``), then the rows'
    units of ``field_units`` (key, anchor, fields) reshaped as (key, fields, anchor, None)
    when read: a run reads the keys and the few units an edit changed or that hold merges."""

    def __init__(self, head: list[_Unit], rows: list[tuple[Hashable, Text, tuple[Field, ...]]], keys: list[Hashable]) -> None:
        self.head = head
        self.rows = rows
        self._keys = keys  # (the rows' keys, as field_units has them)

    def __len__(self) -> int:
        return len(self.head) + len(self.rows)

    @overload
    def __getitem__(self, i: int) -> _Unit: ...

    @overload
    def __getitem__(self, i: slice) -> list[_Unit]: ...

    def __getitem__(self, i: int | slice) -> _Unit | list[_Unit]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        k = len(self.head)
        if i < k:
            return self.head[i]
        key, anchor, fields_of = self.rows[i - k]
        return (key, fields_of, anchor, None)

    def keys(self) -> list[Hashable]:
        """Each unit's key."""
        return [unit[0] for unit in self.head] + self._keys


# Long fields whose cuts a memo session keeps (``_pieces``): a summary and its last versions.
PIECES_KEPT = 8
# Documents whose last run a memo session follows, in each table of it here (per rule for
# ``_each_followed``): the few a writer has open.
DOCUMENTS_KEPT = 8


def _pieces(raw: str) -> tuple[_Piece, ...]:
    """``raw`` cut into pieces (offset, text, the PIECE_REACH characters before and after).
    In a memo session, a text that differs from the last one cut by an edit is cut again
    only around the edit: a cut depends on the 24 characters before it and the one after,
    so the cuts before the edit stay and those after it move by its change of length."""
    session = memo.active()
    if session is None:
        return _cut(raw, _stops(raw, 0, len(raw)))
    kept: dict[str, tuple[list[int], tuple[_Piece, ...]]] = session.kept("CIT401-pieces", dict)
    found = kept.pop(raw, None)
    if found is None:
        if kept:
            last = next(reversed(kept))  # (the most recent)
            found_stops = _stops_after_edit(last, kept[last][0], raw)
        else:
            found_stops = _stops(raw, 0, len(raw))
        found = (found_stops, _cut(raw, found_stops))
        if len(kept) >= PIECES_KEPT:
            del kept[next(iter(kept))]  # the least recently cut
    kept[raw] = found  # (the most recent last)
    return found[1]


def _stops(raw: str, lo: int, hi: int) -> list[int]:
    """The cuts of ``raw`` at offsets in [lo, hi): after a sentence stop, before whitespace,
    where the hash of the 24 characters before says so (one stop in PIECE_STOPS)."""
    out = []
    for m in _STOP_RE.finditer(raw, max(0, lo - 1), min(len(raw), hi + 1)):
        at = m.end()
        if lo <= at < hi and hash(raw[max(0, at - 24) : at]) % PIECE_STOPS == 0:
            out.append(at)
    return out


def _stops_after_edit(old: str, old_stops: list[int], raw: str) -> list[int]:
    """``_stops(raw, 0, len(raw))``, from the cuts of ``old``: those whose characters (the
    24 before, the stop, the whitespace after) lie in the text both share at their start
    are kept, those in the text they share at their end are moved, the others found again."""
    from citelint.incremental import edit_of

    p, old_end, new_end = edit_of(old, raw)
    before = old_stops[: bisect.bisect_right(old_stops, p - 1)]
    after = old_stops[bisect.bisect_left(old_stops, old_end + 24) :]
    return before + _stops(raw, p, new_end + 24) + [c + new_end - old_end for c in after]


def _cut(raw: str, stops: list[int]) -> tuple[_Piece, ...]:
    cuts = [0, *stops, len(raw)]
    reach = PIECE_REACH
    return tuple(
        (a, raw[a:b], raw[max(0, a - reach) : a], raw[b : b + reach]) for a, b in zip(cuts, cuts[1:]) if b > a
    )


# A comma or semicolon, or a sentence stop before a capital, glued to the next word.
_GLUED_RE = re.compile(
    r"(?<![A-Za-z0-9.])(?:([A-Za-z]{2,})([,;])(?=([A-Za-z]{2,})(?![A-Za-z0-9]))"
    r"|([A-Za-z][a-z]+)([.!?])(?=([A-Z][a-z]+)(?![A-Za-z0-9])))"
)
# Where such a glue can be: the regex engine scans for these quickly, and the full pattern
# is tried only there. (One class of the five marks first, each then checked by what it is:
# a pattern that opens with one class is scanned for it in C, an alternation of two is
# tried at every position, four times slower over a long summary, measured.)
_GLUE_POINT_RE = re.compile(r"[,;.!?](?:(?<=[,;])(?=[A-Za-z])|(?<=[.!?])(?=[A-Z]))")
# (A double hyphen inside a chunk is an option or a versioned name: "--foo,--bar",
# "archive,category--branch--version".)
_NOT_PROSE = ("://", "www.", "@", "<", ">", "=", "&", "/", "\\", "_", "()", "::", "--")
# How far a message quotes, and how far the checks look, on each side of the glue: a chunk
# of 100,000 glued words costs each finding no more than this.
_WINDOW = 40
_SPACE_RE = re.compile(r"\s")
_OPENERS = {")": "(", "]": "[", "}": "{"}


def _window(raw: str, at: int) -> tuple[int, int]:
    """The whitespace-separated chunk around ``at``, cut at _WINDOW characters each side."""
    lo = max(0, at - _WINDOW)
    left = raw[lo:at]
    found = max(left.rfind(" "), left.rfind("\n"), left.rfind("\t"))
    start = lo + found + 1 if found >= 0 else lo
    m = _SPACE_RE.search(raw, at, min(len(raw), at + _WINDOW))
    return start, m.start() if m else min(len(raw), at + _WINDOW)


def _in_code_brackets(chunk: str) -> bool:
    """Whether the glue (at the end of ``chunk``) stands inside brackets that hold code or a
    list of alternatives: "f(foo,bar)", "x[1,2]", "{Net,Free,Open}BSD"."""
    depth: list[tuple[str, int]] = []
    for i, c in enumerate(chunk):
        if c in "([{":
            depth.append((c, i))
        elif c in ")]}" and depth and depth[-1][0] == _OPENERS[c]:
            depth.pop()
    for opener, i in depth:
        if opener == "{" or (i > 0 and (chunk[i - 1].isalnum() or chunk[i - 1] in "_.")):
            return True
    return False


_SENTENCE_END_BEFORE_RE = re.compile(r"(?:^\s*|[.!?:]\s+|\n\s*)[\"'(\[\u201c\u2018]*$")


def _opens_sentence(raw: str, at: int) -> bool:
    """Whether the word at ``raw[at:]`` is the first of its text or sentence (what stands
    before it is read back _WINDOW characters at most)."""
    return _SENTENCE_END_BEFORE_RE.search(raw, max(0, at - _WINDOW), at) is not None


# Findings per summary, claim or context at most: text with thousands of glued commas is no
# prose that lost a few spaces, and a list of thousands of findings helps no one.
MAX_GLUES_PER_FIELD = 100
_SENTENCE_STARTERS = frozenset(w.capitalize() for w in mergedwords.FUNCTION_WORDS) | {"I"}


@rule(
    "CIT402",
    "missing-space-after-punctuation",
    "warning",
    "A comma or sentence stop is glued to the next word ('Sindh,Balochistan', 'Ukraine.The').",
    formats=EVERY_FORMAT,
    fix="safe",
)
def missing_space_after_punctuation(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.doc
    # The names that stand alone in the document, asked about through a watched set: a
    # unit's hits are kept while the set answers its questions as it did (a name added
    # elsewhere by an edit does not check every field again).
    standalone = _watched(ctx, standalone_names, "standalone")

    def check(field: Field) -> Iterator[Hit]:
        raw = field.text.raw
        reported = 0
        for point in _GLUE_POINT_RE.finditer(raw):
            if reported == MAX_GLUES_PER_FIELD:
                break
            left = point.start()
            # Only the letters of this word: each run of letters is walked once.
            while left > 0 and raw[left - 1].isalpha() and point.start() - left <= _WINDOW:
                left -= 1
            m = _GLUED_RE.match(raw, left)
            if m is None or m.end() != point.end():
                continue
            word = m.group(1) or m.group(4)
            mark = m.group(2) or m.group(5)
            after = m.group(3) or m.group(6)
            if m.group(4):
                if word.lower() in ABBREVIATIONS:
                    continue
                if (
                    after not in _SENTENCE_STARTERS
                    and (word[0].islower() or _opens_sentence(raw, left))
                    and (after.lower() == word.lower() or after not in standalone)
                ):
                    # "decimal.Decimal", "typing.Generic": a module and a name; "Boost.Build
                    # and bjam now ship": a dotted name, since "Boost." would be a sentence
                    # of one word. "supply.Kherson" is a lost space when "Kherson" stands
                    # alone elsewhere in the document, and so is "the Cold War.National".
                    continue
                if len(after) <= 3 and after not in _SENTENCE_STARTERS:
                    continue  # "One.Tel": a name written with a stop
                if raw.startswith((".", "("), point.end() + len(after)):
                    continue  # "re.Pattern.match", "name.Name(...)"
            lo, hi = _window(raw, point.start())
            chunk = raw[lo:hi]
            if any(s in chunk for s in _NOT_PROSE):
                continue  # URLs, HTML, e-mail addresses, paths, code
            # Brackets opened before the chunk count too: "memchr(const void*,int,unsigned int)".
            # The line break looked for only where it can cut the slice: a scan to the start
            # of a long line for each glue was quadratic in a line of many.
            line_start = raw.rfind("\n", max(0, lo - _WINDOW), point.start()) + 1
            if _in_code_brackets(raw[max(lo - _WINDOW, line_start) : point.start()]):
                continue
            if chunk[:1] in "([" and chunk.rstrip(".,;:")[-1:] in ")]":
                # "(Python.File)", "(post,pre)", "(rw,noatime)": a dotted name or a list of
                # alternatives alone in brackets, written without spaces on purpose
                continue
            at = field.text.start + point.start()
            excerpt = chunk.strip(_EDGE_PUNCT + ",;:.!?")
            if lo > 0 and not raw[lo - 1].isspace() or hi < len(raw) and not raw[hi].isspace():
                excerpt = f"...{excerpt}..."
            reported += 1
            more = " (more in this text are not reported)" if reported == MAX_GLUES_PER_FIELD else ""
            yield Hit(
                doc.span(at, at + 1),
                f"no space after '{mark}' in '{excerpt}'{more}",
                fix=Fix(repair(ctx, field, at + 1, at + 1, " "), f"insert a space after '{mark}'"),
            )

    return _each_followed(ctx, field_units(ctx), _each_field(check), watched=(standalone,))


_EDGE_PUNCT = "\"'()[]{}\u201c\u201d\u2018\u2019"
CONTRACTIONS = {
    w.replace("'", ""): w
    for w in """don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't couldn't
    shouldn't wouldn't mustn't needn't mightn't shan't should've could've would've might've
    must've they're you're we've they've you've they'll you'll it'll that's what's there's
    where's he's she's who've who'll i'm i've you'd he'd they'd here's everyone's
    everybody's someone's somebody's nobody's anyone's anybody's that'll there'll it'd
    that'd who'd what'd""".split()
}
# Real words as they stand ("cant", "wont", "hell"...), and contractions only after a
# subject: "we cant", "it wont".
AMBIGUOUS = {"cant": "can't", "wont": "won't"}
SUBJECTS = "i you we they he she it that this who there people".split()
_CONTRACTION_RE = re.compile(
    r"(?<![\w'\u2019-])(" + "|".join(sorted(CONTRACTIONS, key=len, reverse=True)) + r")(?![\w'\u2019-])",
    re.IGNORECASE,
)
_AMBIGUOUS_RE = re.compile(
    r"\b(?:" + "|".join(SUBJECTS) + r")\s+(" + "|".join(AMBIGUOUS) + r")(?![\w'\u2019])", re.IGNORECASE
)
# "Im" only where no acronym can be meant: lower case, or "I'm"'s own capital.
_CAPITALISED_S_RE = re.compile(r"[A-Z][a-z]{2,}s")
_LOWER_S_RE = re.compile(r"[a-z]{3,}s")
_ACRONYM_S_RE = re.compile(r"[A-Z]{2,}s")
# Irregular plurals take "'s": their apostrophe-less possessive is no word at all.
IRREGULAR_PLURALS = {"childrens": "children's", "womens": "women's", "mens": "men's"}


def _classify(fresh: AbstractSet[str], detector: Detector, m: _Memos) -> None:
    """Remember which whitespace-separated chunks may hold a lost apostrophe, so that each
    distinct chunk is looked at once per process and a field without one is skipped."""
    if len(m.seen) > mergedwords.MEMO_LIMIT:  # a long-lived process: start the memo afresh
        for memo in (m.seen, m.has_contraction, m.has_ambiguous, m.may_be_possessive):
            memo.clear()
    for chunk in fresh:
        core = chunk.strip(_EDGE_PUNCT + ",;:.!?")
        lower = core.lower()
        if lower in CONTRACTIONS and not (core.isupper() and len(core) > 1):
            m.has_contraction.add(chunk)
        elif lower in AMBIGUOUS:
            m.has_ambiguous.add(chunk)
        elif lower in IRREGULAR_PLURALS or (
            (_CAPITALISED_S_RE.fullmatch(core) or _LOWER_S_RE.fullmatch(core) or _ACRONYM_S_RE.fullmatch(core))
            and not _is_word(lower, detector)
        ):
            m.may_be_possessive.add(chunk)
    m.seen.update(fresh)


def _is_word(word: str, detector: Detector) -> bool:
    info = detector.info(word)
    return info is not None and (info[1] or info[0] >= 3.0)  # "Americans", "Koreas"


# A word ending in s before another word: "Russias war", "the countrys economy".
_POSSESSIVE_RE = re.compile(r"(?<![\w'\u2019-])([A-Za-z][a-z]{2,}s|[A-Z]{2,}s)(?=[\"\u201d]?\s+([A-Za-z]+))")
# Before a plural: "the Fatimids", "five Viscounts", "all Amigas", "Sri Lankans".
DETERMINERS = frozenset(
    """the these those some many several all both few two three four five six seven eight
    nine ten dozen hundreds thousands various numerous other such most first later early
    two rival our their his her its my your whose no any""".split()
)
# Endings of the plural names of peoples, dynasties and followers ("Fatimids", "Safavids",
# "Lankans", "Nuristanis", "Jacobites", "Topologists").
PEOPLE_ENDINGS = ("ids", "ans", "ites", "ists", "ics", "ers", "ens", "is", "ots", "ards")
# What follows a plural, never a possessive's noun: verbs, prepositions, conjunctions and
# pronouns (a possessive is followed by its noun or an adjective: "Russias most", "Europes own").
NOUN_LIKE = frozenset(
    "first new own other most more very only many much such every each both either neither all some any no".split()
)
NOT_A_NOUN = frozenset(mergedwords.FUNCTION_WORDS) - NOUN_LIKE - mergedwords.ADVERBS


# Nouns whose plural is not noun + "s": their "s" form can only be a possessive.
IRREGULAR_NOUNS = frozenset("woman man child person foot tooth mouse goose another else wife life knife".split())
_SIBILANT = ("s", "x", "z", "sh", "ch")


def _no_plural(base: str) -> bool:
    """Whether ``base + "s"`` can be no plural of ``base``: "countrys" (countries),
    "processs" (processes), "Bushs" (Bushes), "wifes" (wives), "womans" (women)."""
    lower = base.lower()
    if lower in IRREGULAR_NOUNS:
        return True
    if lower.endswith(_SIBILANT):
        return True
    # A name keeps its "y" in the plural ("the Kennedys"); a common noun does not.
    return base[0].islower() and len(lower) > 2 and lower.endswith("y") and lower[-2] not in "aeiou"


# How much rarer (in zipf) "Names" must be than "Name" to be read as "Name's". Chosen on
# the whole tuning part of benchmarks/damage.py (858,050 words, not only its sample): at 1.0
# the plurals of products and names the web writes now and then ("Playstations" 2.1 below
# its name, "Barrons", "Tates", "G. Goos") made 13 false alarms at a recall of 0.652; at 2.0,
# 7 at 0.635; at 2.5, 6 at 0.600.
# The same margin holds before a capitalised common noun ("Hanlons Razor"): kept at 1.0
# there, it found 10 more of the tuning part's possessives but made 3 more false alarms, all
# names of firms and places ("Sams Publishing", "Barrons Dictionary", "Scotts Valley"), and
# "Murphys Law" (1.9 below "Murphy") went with them.
POSSESSIVE_MARGIN = 2.0
# The least zipf frequency of a name the lexicon must know to read "Names" as "Name's"
# without the document writing the name alone; and the most a form with "s" may have
# before a capitalised word.
POSSESSIVE_NAME_ZIPF = 2.5
POSSESSIVE_RARE = 1.5
# The least zipf frequency of a name whose "s" form the lexicon does not know at all for
# that form to be read as a possessive even after a determiner.
POSSESSIVE_KNOWN = 3.0


def _common_noun_no_plural(lower: str, detector: Detector) -> bool:
    """Whether ``lower`` is a common noun whose plural the lexicon knows in another form,
    so that ``lower + "s"`` is no plural: "majesty" (majesties), "policeman" (policemen),
    "church" (churches). A name keeps its "y" ("the Kennedys") and has no such plural."""
    info = detector.info(lower)
    if info is None or not info[1]:
        return False
    if lower.endswith("y") and len(lower) > 2 and lower[-2] not in "aeiou":
        plural = lower[:-1] + "ies"
    elif lower.endswith("man"):
        plural = lower[:-3] + "men"
    elif lower.endswith(("fe", "f")):
        plural = lower[: -2 if lower.endswith("fe") else -1] + "ves"  # "wife", "life", "leaf"
    elif lower.endswith(("s", "x", "z", "sh", "ch")) and not _is_word(lower[:-1], detector):
        plural = lower + "es"  # but "sues" is "sue" + s, not a noun
    else:
        return False
    found = detector.info(plural)
    return found is not None and found[0] >= 2.0


# Verbs a plural subject never takes: "Ukraines has" is no plural, whatever it is.
SINGULAR_VERBS = frozenset("has is was does says".split())
# Words that coordinate one possessive with another ("Russias and its citizens future").
COORDINATORS = frozenset(("and", "or"))
# The least zipf frequency of a capitalised common noun after a name's "s" form for the
# pair to be read as a thing named after someone ("Murphys Law").
NAMED_NOUN_ZIPF = 4.0
# How much rarer (in zipf) "Names" must be than "Name" before "and"/"or" to be read as
# "Name's": plurals of families are common ("Obamas" 2.1 below "Obama"), damage is rarer.
COORDINATED_MARGIN = 2.5


def _not_a_plural_before(token: str, following: str, names: AbstractSet[str], detector: Detector) -> bool:
    """Whether the capitalised ``token`` cannot be a plural before the function word
    ``following``: a singular verb after it, or "and"/"or" after an "s" form that texts
    hardly write of a name the document writes alone and the lexicon knows well (the Obamas
    and the Kennedys are written about; "Russias" and "Irans" are damage; "Tooks" is no
    "took")."""
    if following in SINGULAR_VERBS:
        return True
    if following in COORDINATORS and token[:-1] in names:
        info, own = detector.info(token[:-1].lower()), detector.info(token.lower())
        if info is None or info[0] < POSSESSIVE_KNOWN:
            return False
        return own is None or own[0] < info[0] - COORDINATED_MARGIN
    return False


def _plural_verb(word: str, detector: Detector) -> bool:
    """Whether ``word`` (lower case) is a verb of the present plural ("include", "remain"),
    which follows a plural subject and never a possessive: a verb WordNet knows as no other
    part of speech ("the basic Playstations consist of", "FYIs convey"), or one the bigram
    counts put after a subject pronoun (they lack rarer pairs such as "they consist")."""
    return word not in NOUN_LIKE and (word in verbs.verb_only() or detector.plural_verb(word))


# Prepositions a verb of the past takes after it ("abstained from", "voted for").
VERB_PREPOSITIONS = frozenset("from for to in on at with against before after over into by about".split())


def _past_verb(word: str, after: str, detector: Detector) -> bool:
    """Whether ``word`` (lower case), before ``after``, reads as a verb of the past that
    follows a subject ("Steven Kons abstained from"), never a possessive: a form in "ed"
    the bigram counts never put after a determiner, before a preposition. A participle that
    qualifies a noun is written after a determiner ("the armed forces") or before its noun
    ("Argentina's discredited economy", "Lincoln's estranged son"); one in "un" is an
    adjective ("unprovoked")."""
    if len(word) < 5 or not word.endswith("ed") or word.startswith("un") or after.lower() not in VERB_PREPOSITIONS:
        return False
    bigram = detector.lexicon.bigram_probability
    return not any(bigram(d, word) for d in mergedwords.DETERMINERS_BEFORE)


# How much rarer (in zipf) "IBMs" must be than "IBM" to be read as "IBM's": the plurals of
# acronyms are common words ("PCs", "CPUs", "NGOs": within 1.1 of theirs).
ACRONYM_MARGIN = 2.0


def _acronym_possessive(token: str, previous: str, following: str, detector: Detector) -> tuple[str, Applicability] | None:
    """"IBMs new machine": an acronym the lexicon knows, whose "s" form it hardly knows,
    before a lowercase noun and after no determiner or number."""
    if not following.islower() or following in NOT_A_NOUN or previous.lower() in DETERMINERS:
        return None
    if _plural_verb(following, detector):
        return None  # "FYIs include": a plural subject before its verb
    info, own = detector.info(token[:-1].lower()), detector.info(token.lower())
    if info is None or info[0] < ACRONYM_MARGIN:
        return None
    if own is not None and own[0] > info[0] - ACRONYM_MARGIN:
        return None
    return token[:-1] + "'s", Applicability.UNSAFE


def _possessive(
    token: str, previous: str, following: str, names: AbstractSet[str], detector: Detector, after: str = ""
) -> tuple[str, Applicability] | None:
    """The possessive that ``token`` lost its apostrophe from, and how sure that is.
    ``previous`` is the word just before it in the same phrase ("" after punctuation),
    ``after`` the word after ``following`` ("" when there is none)."""
    base = token[:-1]
    follows = following.lower()
    if base.isupper():
        return _acronym_possessive(token, previous, following, detector)
    if follows in NOT_A_NOUN and not (token[0].isupper() and _not_a_plural_before(token, follows, names, detector)):
        return None  # "the Kennedys were", "neats tend to": plurals before a verb or a function word
    if token[0].isupper() and following.islower() and (_plural_verb(follows, detector) or _past_verb(follows, after, detector)):
        # "the 333 MHz Celerons include", "Steven Kons abstained from": a plural or a
        # surname, the subject of the verb after it
        return None
    if token[0].isupper():
        if _common_noun_no_plural(base.lower(), detector):
            return base + "'s", Applicability.SAFE  # "His Majestys", "the Universitys", "Churchs"
        info, own = detector.info(base.lower()), detector.info(token.lower())
        if previous.lower() in DETERMINERS or (token.endswith(PEOPLE_ENDINGS) and base not in names):
            # "the Fatimids", "five Viscounts", "Sri Lankans" (but "Irans plan": "Iran" stands
            # alone). A plural no text ever writes, of a well-known name, is no plural: "the
            # Kremlins earnings".
            # The same holds of a form with "s" texts hardly write ("Tolkiens", "Dylans"):
            # the plurals of peoples and families are written about ("Fatimids", "Kennedys").
            hardly = own is None or (info is not None and own[0] < info[0] - COORDINATED_MARGIN)
            if not (hardly and info is not None and info[0] >= POSSESSIVE_KNOWN and following.islower()):
                return None
        # "Russias war": "Russia" stands alone in the document too, or is a name the
        # lexicon knows well while the form with "s" is rare; "Bushs": no plural at all.
        if base in names:
            return base + "'s", Applicability.UNSAFE
        if info is None or info[0] < POSSESSIVE_NAME_ZIPF:
            return None
        if detector.lexicon.bigram_probability(token.lower(), following.lower()):
            return None  # "Kennedys lost": the plural before this word is a counted phrase
        if following.islower():
            rare = own is None or own[0] < info[0] - POSSESSIVE_MARGIN
        else:
            # Before a capital the word may be part of a name ("Sams Publishing", "Deutsches
            # Electronen"): only a form with "s" that the lexicon hardly knows, or knows far
            # less than the name ("Russias UN ambassador"), after no capital of the same phrase.
            # Before a common noun in capitals ("Murphys Law", "Hanlons Razor"), the rule
            # for a lowercase word: a law, a razor or a calendar is someone's.
            noun = detector.info(following.lower())
            law = following[1:].islower() and noun is not None and noun[1] and noun[0] >= NAMED_NOUN_ZIPF
            rare = (
                own is None
                or own[0] < POSSESSIVE_RARE
                or own[0] < info[0] - (POSSESSIVE_MARGIN if law else COORDINATED_MARGIN)
            ) and not previous[:1].isupper()
        return (base + "'s", Applicability.UNSAFE) if rare else None
    # "the countrys economy": "country" is a word and "countrys" no plural of it.
    info = detector.info(base)
    if info is not None and info[1] and (_no_plural(base) or _common_noun_no_plural(base, detector)):
        return base + "'s", Applicability.SAFE
    return None


# The word before a possible possessive, and what stands between: a word across a comma or
# a sentence stop ("first. Russias invasion", "However, Russias UN ambassador") is no
# determiner or name of the same phrase.
_PREVIOUS_RE = re.compile(r"([A-Za-z]+)(\W*)$")
# The word after the one that follows a possible possessive, in the same phrase.
_NEXT_WORD_RE = re.compile(r"[ \t]+([A-Za-z]+)")


@rule(
    "CIT403",
    "missing-apostrophe",
    "warning",
    "An apostrophe was lost upstream ('dont', 'couldnt', 'Russias').",
    formats=SMARTBOOK_ONLY,
    fix="sometimes",
)
def missing_apostrophe(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.doc
    # (asked about through a watched set, as CIT402's names are)
    names = _watched(ctx, document_names, "names")
    detector = _detector({})
    memos = _memos()

    def check(field: Field) -> Iterator[Hit]:
        raw = field.text.raw
        chunks = _chunks(raw)  # (what field_chunks holds for it)
        hits: list[tuple[int, str, str, Applicability]] = []
        # Most fields have no contraction at all: a set intersection says so cheaply.
        _classify(chunks - memos.seen, detector, memos)
        tables = []
        if chunks & memos.has_contraction:
            tables.append((_CONTRACTION_RE, CONTRACTIONS))
        if chunks & memos.has_ambiguous:
            tables.append((_AMBIGUOUS_RE, AMBIGUOUS))
        for pattern, table in tables:
            for m in pattern.finditer(raw):
                token = m.group(1)
                fixed = table.get(token.lower())
                if fixed is None or (token.isupper() and len(token) > 1):
                    continue  # "DONT", "IM": a constant or an acronym
                if token == "Im" and not raw[m.end(1) :].lstrip()[:1].islower():
                    continue
                if fixed.startswith("i'"):
                    fixed = "I" + fixed[1:]
                elif token[0].isupper():
                    fixed = fixed[0].upper() + fixed[1:]
                hits.append((m.start(1), token, fixed, Applicability.SAFE))
        possible = chunks & memos.may_be_possessive
        if possible:
            cores = {c.strip(_EDGE_PUNCT + ",;:.!?") for c in possible}
            for m in _POSSESSIVE_RE.finditer(raw):
                token = m.group(1)
                if token not in cores:
                    continue
                if token.lower() in IRREGULAR_PLURALS:
                    fixed = IRREGULAR_PLURALS[token.lower()]
                    hits.append((m.start(1), token, token[0] + fixed[1:], Applicability.SAFE))
                    continue
                if _is_word(token.lower(), detector):
                    continue
                before = _PREVIOUS_RE.search(raw, max(0, m.start() - 40), m.start())
                previous = before.group(1) if before and not before.group(2).strip(_EDGE_PUNCT + " \t\n") else ""
                beyond = _NEXT_WORD_RE.match(raw, m.end(2))
                found = _possessive(token, previous, m.group(2), names, detector, beyond.group(1) if beyond else "")
                if found:
                    hits.append((m.start(), token, found[0], found[1]))
        for start, token, fixed, applicability in sorted(hits):
            at = field.text.start + start
            yield Hit(
                doc.span(at, at + len(token)),
                f"'{token}' looks like '{fixed}' (a missing apostrophe)",
                fix=Fix(repair(ctx, field, at, at + len(token), fixed), f"write '{fixed}'", applicability),
            )

    return _each_followed(ctx, field_units(ctx), _each_field(check), watched=(names,))


def _document_forms(ctx: RuleContext) -> dict[str, str]:
    return lostletters.document_forms(_raws(ctx))


def _non_ascii(ctx: RuleContext) -> tuple[str, ...]:
    """The prose fields' texts with a character outside ASCII, in order (found in C)."""
    return tuple(itertools.filterfalse(str.isascii, _raws(ctx)))


class _LostFollowed:
    """What ``_shows_lost_letters`` reads of a document's fields, followed from the last
    run on it in a memo session (a report of thousands of fields, each edit): how many of
    its texts (as often as they stand) hold a chunk of a lost word and a chunk of a word
    that lost its first letter, and the loose list's names its texts hold. A chunk's verdict
    is learned once and never changes until the memos are cleared (``generation``): only
    the texts that came or went are read."""

    def __init__(self, generation: int) -> None:
        self.generation = generation
        self.texts: tuple[str, ...] = ()
        self.lost = 0
        self.first = 0
        self.loose: Counter[str] = Counter()

    def follow(self, now: tuple[str, ...], memos: _Memos, detector: Detector) -> None:
        before = self.texts
        head, tail = memo.common_ends(before, now)
        changed: Counter[str] = Counter(now[head : len(now) - tail])
        changed.subtract(before[head : len(before) - tail])
        for text, by in changed.items():
            if not by:
                continue
            chunks = _chunks(text)
            if text not in memos.lost_fields:
                _learn(chunks, memos, detector)
                memos.lost_fields.add(text)
            if not chunks.isdisjoint(memos.lost_chunks):
                self.lost += by
            if not chunks.isdisjoint(memos.first_chunks):
                self.first += by
            for chunk in chunks & memos.loose_chunks.keys():
                for name in memos.loose_chunks[chunk]:
                    self.loose[name] += by
        self.loose = +self.loose  # (the names no text holds now dropped)
        self.texts = now

    def shows_loose(self) -> bool:
        """``_shows_lost_letters``'s reading of the loose list's names."""
        names = self.loose.keys()
        return len(names) >= LOOSE_NAMES_MIN or any(map(_unspeakable, names))


def _followed_lost(ctx: RuleContext, memos: _Memos, detector: Detector) -> _LostFollowed | None:
    """The document's ``_LostFollowed``, in a memo session (None elsewhere)."""
    session = memo.active()
    if session is None:
        return None
    if len(memos.lost_seen) > mergedwords.MEMO_LIMIT or len(memos.lost_fields) > mergedwords.MEMO_LIMIT:
        # (as _shows_lost_letters clears them: between documents)
        for kept_memo in (memos.lost_seen, memos.lost_fields, memos.lost_chunks, memos.lost, memos.first_chunks, memos.first, memos.loose_chunks):
            kept_memo.clear()
        memos.generation += 1
    kept: dict[str, _LostFollowed] = session.kept("CIT404-lost", dict)
    found = kept.pop(ctx.doc.path, None)
    if found is None or found.generation != memos.generation:
        found = _LostFollowed(memos.generation)
    found.follow(tuple(_raws(ctx)), memos, detector)  # (on an error it is dropped: the next run starts afresh)
    if len(kept) >= DOCUMENTS_KEPT:
        del kept[next(iter(kept))]  # the least recently followed
    kept[ctx.doc.path] = found  # (the most recent last)
    return found


# A word of ASCII letters with no other letter against it: "Trkiye", not the "Erdo" of "Erdoğan".
_ASCII_WORD_RE = re.compile(r"(?<![^\W\d_])[A-Za-z]{4,}(?![^\W\d_])")


# The shortest word looked up in the word list's map of damaged forms.
LOST_LETTERS_MIN = 4
# In a document that lost letters, the English list's rarer words are read as damage too:
# the web text its counts come from holds damaged forms ("Comit", "Universit", "Csar").
# Chosen on the tuning part of benchmarks/damage.py.
DAMAGED_ENGLISH_ZIPF = 2.0
# Distinct capitalised words of the loose list that show a document lost letters when no
# name of the map or of the document does. Chosen on the tuning part of
# benchmarks/damage.py: one such word stands in 6 of its 5,504 clean documents ("Bujar",
# "Babyl"), two in one (Azerbaijan's languages "Juhuri" and "Rutul"); with two, names
# written without their accents ("Lumir", "Jendrik") were flagged in 16 of 509 places,
# with three in none, at 0.617 against 0.630 of the names deleted everywhere found.
LOOSE_NAMES_MIN = 3
# A word the English word list holds this often (zipf) is no damage, whatever another
# language's word it resembles ("Coronis" is a Greek name, not "Coronéis" damaged): damaged
# forms are almost never in it. Chosen on the tuning part of benchmarks/damage.py.
ENGLISH_ZIPF = 1.0


def _lost(word: str, detector: Detector, table: lostletters.LostLetters) -> str | None:
    """The word-list original of ``word`` when it is no English word. Words of three
    letters, words with more than one capital (acronyms: "RISC", "HLLs") and words in
    lower case are left to the document's own spellings: among them, damaged forms are
    too often words of their own ("param")."""
    if len(word) < LOST_LETTERS_MIN or not word[0].isupper() or not word[1:].islower():
        return None
    if not _rare(word, detector):
        return None
    return table.get(word.lower())


def _learn(chunks: frozenset[str], memos: _Memos, detector: Detector) -> None:
    """Look each chunk never seen before up, once per process: a capitalised word in the
    word list's map ("Trkiye") or else in the loose list ("Lwis"), a lower-case word the
    loose list knows as a word whose first letter was lost ("ukasz" for "Łukasz"). After that a field with no chunk that
    holds either (nearly all of them) costs two set intersections."""
    fresh = chunks - memos.lost_seen
    if not fresh:
        return
    table: lostletters.LostLetters | None = None
    for chunk in fresh:
        for word in _ASCII_WORD_RE.findall(chunk):
            if word[0].isupper():
                if word not in memos.lost and len(word) >= LOST_LETTERS_MIN:
                    if table is None:
                        table = lostletters.load()
                    found = _lost(word, detector, table)
                    if found:
                        memos.lost[word] = found
                if word in memos.lost:
                    memos.lost_chunks.add(chunk)
                elif _in_loose(word, memos, detector):
                    memos.loose_chunks[chunk] = (*memos.loose_chunks.get(chunk, ()), word)
            elif word.islower() and _rare(word, detector) and word in lostletters.load_loose().initial:
                memos.first.add(word)
                memos.first_chunks.add(chunk)
    memos.lost_seen |= fresh


def _lost_first_letter(raw: str, start: int, end: int, detector: Detector) -> bool:
    """Whether the lower-case word at ``raw[start:end]`` (one the loose list knows as a word
    that lost its first letter) stands where a name's capital was lost: before a surname
    ("ukasz Langa"), after a first name ("Mevlt avuolu"), or at the start of a sentence
    ("avuolu blamed the government")."""
    after = _NAME_AFTER_RE.match(raw, end)
    if after is not None and not _is_word(after.group(1).lower(), detector):
        return True
    before = _NAME_BEFORE_RE.search(raw, max(0, start - _NAME_REACH), start)
    if before is not None and not _is_word(before.group(1).lower(), detector):
        return True
    return _SENTENCE_START_RE.search(raw, max(0, start - 3), start) is not None


# Not before an accent written in ASCII, as TeX, old mail and overstruck terminal text
# wrote them ("Poincar'e", "Poincar\\'e", "Poincar'<backspace>e"): the letter is there. (A
# possessive, "Trkiye's", is no vowel.)
_ASCII_ACCENT_RE = re.compile(r"(?![\\'`\"^\x08]{1,2}[aeiouy](?![^\W\d_]))")


# The end of a sentence, or the start of a field, just before a word.
_SENTENCE_START_RE = re.compile(r"(?:\A\s*|[.!?]\s+)\Z")


# After a first name that lost its capital: the surname ("ukasz Langa"), a name and not a
# capitalised word ("trunc Closes: #373736" is a Debian changelog's tag).
_NAME_AFTER_RE = re.compile(r"[ \t]+([A-Z][a-z]+)(?![^\W\d_])")
# Before a surname that lost its capital: the first name, a name and not a capitalised word.
# Searched back at most _NAME_REACH characters, so a line of such words stays linear.
_NAME_BEFORE_RE = re.compile(r"(?<![^\W\d_])([A-Z][a-z]+)[ \t]+\Z")
_NAME_REACH = 40


def _shows_lost_letters(
    chunks_of: Mapping[str, frozenset[str]], in_document: Mapping[str, str], detector: Detector, memos: _Memos
) -> bool:
    """Whether the document (its fields' texts and chunks in ``chunks_of``) has a word the
    rule reports on its own: a name spelled right elsewhere in it, or one the word list
    knows. Only then are lower-case words and the loose list read: a conversion that lost
    letters in one name lost them in the others. Every field's chunks are learned here
    (``_learn``), so the memos are cleared, when they grow too large, only between
    documents."""
    if len(memos.lost_seen) > mergedwords.MEMO_LIMIT or len(memos.lost_fields) > mergedwords.MEMO_LIMIT:
        for memo in (memos.lost_seen, memos.lost_fields, memos.lost_chunks, memos.lost, memos.first_chunks, memos.first, memos.loose_chunks):
            memo.clear()
        memos.generation += 1
    learned = memos.lost_fields
    # A text learned before has nothing fresh (a server's re-lint: the fields learned are
    # passed over in C). A chunk is learned on its own, so a field's chunks meet the lost
    # ones learned from every field as they met those learned up to it.
    for raw in list(itertools.filterfalse(learned.__contains__, chunks_of)):
        _learn(chunks_of[raw], memos, detector)
        learned.add(raw)
    damaged = not all(map(memos.lost_chunks.isdisjoint, chunks_of.values()))  # (in C: thousands of fields)
    if not damaged and in_document:
        damaged = any(
            word.lower() in in_document and not _is_word(word.lower(), detector)
            for raw in chunks_of
            for word in _ASCII_WORD_RE.findall(raw)
        )
    if not damaged and memos.first:
        # A name that lost its first letter, where its capital stood, shows it too.
        for raw, chunks in chunks_of.items():
            if chunks & memos.first_chunks and any(
                m.group() in memos.first and _lost_first_letter(raw, m.start(), m.end(), detector)
                for m in _ASCII_WORD_RE.finditer(raw)
            ):
                return True
    if not damaged and memos.loose_chunks:
        # Names only the loose list knows: one may be a name of its own ("Bujar"), three
        # distinct ones in a document are lost letters, and so is one that no name is
        # shaped like ("Lwis").
        names: set[str] = set()
        for chunks in chunks_of.values():
            for chunk in chunks & memos.loose_chunks.keys():
                names.update(memos.loose_chunks[chunk])
        damaged = len(names) >= LOOSE_NAMES_MIN or any(map(_unspeakable, names))
    return damaged


# Consonants that begin words and names of the languages the word lists hold (English,
# German, Polish, Czech, Albanian, Dutch, Scandinavian, ...). A name that begins with any
# other cluster ("Lwis", "Grnholm", "Pdraig") is seldom written so.
_ONSETS = frozenset(
    "bh bj bl br brz ch chl chr chrz chw cl cr cw cz dh dj dl dr drz dw dz dzi dzw fj fl fr gh gj gl gn gr grz gw hj hl hr hv"
    " kh kj kl kn kr krz ks kw lj ll mj mn nj ph phl phr pf pfl pfr pl pr prz ps psch pt qu rh sb sc sch schl schm schn"
    " schr schw scr sd sf sh shch shl shm shn shr shw sj sk skj skr sl sm sn sp sph spl spr sq st str sv sw sz szcz szk szl"
    " szt th thr tj tl tr trz ts tsch tv tw tz vl vr wh wl wr wsz xh zb zd zg zh zl zm zn zr zw".split()
)
_CLUSTER_RE = re.compile(r"[^aeiouy]+")


def _unspeakable(word: str) -> bool:
    """Whether ``word`` (a name the loose list holds) has a shape names seldom have: no
    vowel ("Prnk"), a first cluster of consonants no word of these languages begins with
    ("Lwis", "Frnkel" is "fr" and then "nk": its second cluster is four consonants), or four
    consonants in a row past its start ("Holmstrm", "Grnholm")."""
    lower = word.lower()
    clusters = _CLUSTER_RE.findall(lower)
    if not any(c in "aeiouy" for c in lower):
        return True
    if clusters and lower.startswith(clusters[0]) and len(clusters[0]) > 1 and clusters[0] not in _ONSETS:
        return True
    rest = clusters[1:] if clusters and lower.startswith(clusters[0]) else clusters
    return any(len(c) >= 4 and "sch" not in c for c in rest)


def _in_loose(word: str, memos: _Memos, detector: Detector, zipf: float = 0.0) -> bool:
    """Whether ``word`` has a name's or word's shape, is rare in English (below ``zipf``,
    ``ENGLISH_ZIPF`` by default) and is a damaged form the loose list holds (looked up once
    per word and process)."""
    if not _rare(word, detector, zipf or ENGLISH_ZIPF):
        return False
    try:
        return memos.loose[word]
    except KeyError:
        if len(memos.loose) > mergedwords.MEMO_LIMIT:
            memos.loose.clear()
        found = memos.loose[word] = _loose_candidate(word) and word.lower() in lostletters.load_loose()
        return found


def _rare(word: str, detector: Detector, zipf: float = 0.0) -> bool:
    info = detector.info(word.lower())
    return info is None or not (info[1] or info[0] >= (zipf or ENGLISH_ZIPF))


# A URL as prose writes it: a scheme or "www.", up to a space, a quote, a bracket or an
# angle bracket (a Markdown link's target ends at its parenthesis, an HTML attribute at its
# quote).
_URL_RE = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[^\s<>\"'()\[\]]*")


def _url_ranges(raw: str) -> list[tuple[int, int]]:
    """(start, end) of each URL in ``raw``, in order."""
    return [m.span() for m in _URL_RE.finditer(raw)]


def _inside(ranges: list[tuple[int, int]], at: int) -> bool:
    """Whether ``at`` falls inside one of the sorted, disjoint ``ranges``."""
    i = bisect.bisect_right(ranges, (at, sys.maxsize)) - 1
    return i >= 0 and ranges[i][0] <= at < ranges[i][1]


def _loose_candidate(word: str) -> bool:
    """A word of one case, or capitalised: the shapes a name or word takes."""
    return len(word) >= LOST_LETTERS_MIN and (word.islower() or (word[0].isupper() and word[1:].islower()))


@rule(
    "CIT404",
    "lost-letters",
    "warning",
    "Letters lost in a lossy conversion ('Trkiye' for 'Türkiye', 'Ã©' for 'é').",
    formats=SMARTBOOK_ONLY,
    fix="sometimes",
)
def lost_letters(ctx: RuleContext) -> Iterator[Hit]:
    doc = ctx.doc
    in_document = per_document(ctx, _document_forms)
    detector = _detector({})
    memos = _memos()
    # In a memo session, a document whose words match no damaged form of its own is read
    # through what its fields hold, followed from the last run (only the fields an edit
    # changed are read); when no field holds a word that lost a first letter, that tells
    # whether it shows lost letters, and when it does not and all its text is ASCII (no
    # mojibake), no field has a finding.
    followed = _followed_lost(ctx, memos, detector) if not in_document else None
    chunks_of: Mapping[str, frozenset[str]] = {}
    if followed is not None and not followed.first:
        damaged = followed.lost > 0 or followed.shows_loose()
        if not damaged and not per_document(ctx, _non_ascii):
            return iter(())
    else:
        # (the fields' texts and chunks as the other rules have them: read once per document)
        chunks_of = dict(zip(_raws(ctx), per_document(ctx, field_chunks)))
        damaged = _shows_lost_letters(chunks_of, in_document, detector, memos)

    def check(field: Field) -> Iterator[Hit]:
        raw = field.text.raw
        chunks = chunks_of.get(raw) or _chunks(raw)  # (what field_chunks holds for it)
        for start, end, original in lostletters.mojibake(raw):
            at = field.text.start + start
            shown = raw[start:end]
            yield Hit(
                doc.span(at, at + len(shown)),
                f"'{shown}' looks like '{original}' read with the wrong encoding (mojibake)",
                fix=Fix(repair(ctx, field, at, at + len(shown), original), f"write '{original}'"),
            )
        if not damaged and not in_document and not chunks & memos.lost_chunks and not chunks & memos.first_chunks:
            return
        words = set(_ASCII_WORD_RE.findall(raw))
        # word -> (original or None when only the loose list knows it, how it is known)
        flagged: dict[str, tuple[str | None, str]] = {}
        for word in words:
            mine = in_document.get(word.lower()) if in_document else None
            if mine is not None and not _is_word(word.lower(), detector):
                flagged[word] = (mine, "document")
            elif word in memos.lost:
                flagged[word] = (lostletters.restore_case(word, memos.lost[word]), "list")
            elif word in memos.first:
                flagged[word] = (None, "first")
            elif damaged and _loose_candidate(word) and _rare(word, detector, DAMAGED_ENGLISH_ZIPF):
                listed = lostletters.load().get(word.lower())
                if listed is not None:
                    flagged[word] = (lostletters.restore_case(word, listed), "list")
                elif word[0].isupper() and _in_loose(word, memos, detector, DAMAGED_ENGLISH_ZIPF):
                    # A name the loose list holds. Not a lower-case word the loose list holds, nor a
                    # name no list knows for its odd shape alone: in the tuning part's damaged
                    # documents those were mostly right as written (identifiers and plurals:
                    # "dicts", "expr"; names: "Michlmayr", "Henstridge"), few lost letters.
                    flagged[word] = (None, "loose")
        if not flagged:
            return
        # A word inside a URL is part of an address, not prose: repairing it would break the
        # link ("https://example.org/Trkiye-vote" beside "Türkiye"). Found once per field that
        # has a flagged word, in C.
        urls = _url_ranges(raw) if "://" in raw or "www." in raw else []
        # Every flagged word is one of the field's ASCII words: walk those (an alternation of
        # thousands of flagged words was tried at every place, quadratic in a long field).
        for m in _ASCII_WORD_RE.finditer(raw):
            token = m.group()
            if token not in flagged or _ASCII_ACCENT_RE.match(raw, m.end()) is None:
                continue
            if urls and _inside(urls, m.start()):
                continue
            restored, known = flagged[token]
            if known == "first" and not _lost_first_letter(raw, m.start(), m.end(), detector):
                # No capital stood here. In a document that lost letters elsewhere, a name
                # that lost its first letter stands anywhere ("in skdar", "mkir and abran"
                # for Üsküdar, Şəmkir, Şabran): tuning part of benchmarks/damage.py, names
                # deleted everywhere 399 -> 403 of 622, one finding more covering no damaged
                # word ("trunc", Czech "štrunc"), none on clean prose. Elsewhere, and for an
                # English word's plural even there ("dicts" is also French "édictés"
                # damaged: 48 such findings on the tuning part), it is a lower-case word.
                if not damaged or (token.endswith("s") and _is_word(token[:-1], detector)):
                    continue
            at = field.text.start + m.start()
            span = doc.span(at, at + len(token))
            if known == "first":
                yield Hit(
                    span,
                    f"'{token}' looks like a name that lost its first letter in a conversion "
                    "(the original is not known)",
                )
                continue
            if restored is None:
                yield Hit(
                    span,
                    f"'{token}' looks like a word with its letters lost in a conversion "
                    "(the document lost letters elsewhere; the original is not known)",
                )
                continue
            where = "as the document writes it elsewhere" if known == "document" else "a known word"
            yield Hit(
                span,
                f"'{token}' looks like '{restored}' with its letters lost in a conversion ({where})",
                fix=Fix(
                    repair(ctx, field, at, at + len(token), restored),
                    f"write '{restored}'",
                    Applicability.SAFE if known == "document" else Applicability.UNSAFE,
                ),
            )

    return _each_followed(ctx, field_units(ctx), _each_field(check), (facts(ctx, "forms"), damaged))
