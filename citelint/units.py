"""A rule's findings per unit of text, kept between runs of a long-lived process.

A rule whose findings in one unit (a claims row, the summary) depend only on that unit's
text, its options and a few document-level facts it declares (the names the document
uses, say) asks ``RuleContext.each`` to check its units. Outside a memo session
(``citelint.memo``: the command line, the API) that is a plain loop. Inside one (the
language server's lint thread) each unit's hits are kept, keyed by the rule, its options,
the facts and the unit's key (everything else the check reads, as plain values), and
placed where the unit now stands: a re-lint after an edit checks only the units the edit
changed, and gives what a fresh run gives.

A unit's hits are placed relative to its anchor (the Text they stand in); a hit with a
place outside its anchor (a related row elsewhere) is never kept: it is computed again on
every run. The stores are bounded per rule, oldest entries dropped first.
"""
from __future__ import annotations

import itertools
import operator
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence, Set as AbstractSet
from typing import Any, Generic, TypeVar

from citelint import memo
from citelint.finding import Edit, Fix, Hit, Related
from citelint.model import ClaimRow, Document, Span, Text

U = TypeVar("U")
V = TypeVar("V")
E = TypeVar("E", bound=Hashable)

# Kept hits per rule: a report of thousands of rows has a unit per row for each rule, and
# each edit adds the few units it changed.
STORE_SIZE = 65_536
# Distinct fact values kept (each is compared once per run, then named by a number).
FACTS_SIZE = 32
# Unions followed (``union``): a few per document, for the last documents linted.
UNIONS = 64
# Lists of texts whose copy is kept (``Store.sequence``).
SEQUENCES = 4
# Option-and-fact sets kept per rule: the facts change with the document (a new name), and
# the hits kept under the last few serve an edit and its undoing.
BASES = 4


class Store:
    """A thread's kept hits, per rule; and the fact values seen, each named by a number so
    that a key compares in constant time however large the fact."""

    def __init__(self) -> None:
        # Per rule, per (options, facts): per unit key, where the unit stood and its hits;
        # and the keys whose hits are none (most units), which ``each`` passes over in C.
        self.rules: dict[str, dict[Hashable, _Hits]] = {}
        self.facts: dict[Hashable, int] = {}
        # Set by ``volatile`` while a unit is checked: its hits read more than its key.
        self.volatile = False
        # Per rule, per (options, facts): the values computed from units (``values``).
        self.values: dict[str, dict[Hashable, _Values]] = {}
        # Per (name, document path): a union of per-text parts followed from run to run.
        self.unions: dict[Hashable, Union[Any]] = {}
        # Per (name, document path): what the last run made of each row, the rows, and
        # what it was made under (``kept_rows``).
        self.by_row: dict[tuple[str, str], tuple[Hashable, tuple[Any, ...], list[Any]]] = {}
        # The last lists of texts followed, each with its copy (the unions over one list
        # share it), and the last difference of two such copies.
        self._sequences: list[tuple[object, tuple[str, ...]]] = []
        self._difference: tuple[object, object, list[tuple[str, int]]] | None = None

    def sequence(self, texts: Sequence[str]) -> tuple[str, ...]:
        """``tuple(texts)``, copied once for the same list object."""
        # (the last few lists: the prose fields' texts and the code union's, say, followed
        # in turn in one run)
        for seen, copy in self._sequences:
            if seen is texts:
                return copy
        copy = tuple(texts)
        self._sequences = [(texts, copy), *self._sequences[: SEQUENCES - 1]]
        return copy

    def difference(self, before: tuple[str, ...], now: tuple[str, ...]) -> list[tuple[str, int]]:
        """The texts whose count differs from ``before`` to ``now``, and by how much. The
        texts both share at their ends are passed over (``memo.common_ends``: after an
        edit, the texts it did not reach are the same objects, moved or not): only those
        between are counted."""
        last = self._difference
        if last is not None and last[0] is before and last[1] is now:
            return last[2]
        head, tail = memo.common_ends(before, now)
        counts = Counter(now[head : len(now) - tail])
        counts.subtract(before[head : len(before) - tail])
        found = [(t, by) for t, by in counts.items() if by]
        self._difference = (before, now, found)
        return found

    def fact(self, value: Hashable) -> int:
        facts = self.facts
        found = facts.pop(value, None)
        if found is None:
            if len(facts) >= FACTS_SIZE:
                # The least recently asked for goes. Numbers are never reused: keys holding
                # a forgotten number stay unmatched.
                del facts[next(iter(facts))]
            found = next(_numbers)
        facts[value] = found  # (the most recent last)
        return found


# Numbers for fact values, never given twice in a process (``next`` on a count is atomic).
_numbers = itertools.count(1)


def store() -> Store | None:
    """The store of this thread's memo session, if one is open."""
    session = memo.active()
    return None if session is None else session.kept("units", Store)


def volatile() -> None:
    """Say that the unit being checked read the document beyond its key and the declared
    facts (a count over every field, say): its hits are not kept."""
    kept = store()
    if kept is not None:
        kept.volatile = True


def frozen(value: Any) -> Hashable:
    """An option value as a hashable one (lists as tuples, mappings as sorted pairs)."""
    if isinstance(value, (list, tuple)):
        return tuple(frozen(v) for v in value)
    if isinstance(value, Mapping):
        return tuple(sorted((k, frozen(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return frozenset(frozen(v) for v in value)
    return value  # type: ignore[no-any-return]


K = TypeVar("K")


def _kept_for(
    kept: Store, table: dict[str, dict[Hashable, K]], code: str, options: Mapping[str, Any], facts: Hashable, make: Callable[[], K]
) -> K:
    """What ``table`` keeps for the rule ``code`` under these options and facts (made by
    ``make`` at first): the BASES most recent such sets are kept, the oldest dropped first."""
    bases = table.get(code)
    if bases is None:
        bases = table[code] = {}
    base = (frozen(dict(options)), kept.fact(facts))
    by_key = bases.get(base)
    if by_key is None:
        if len(bases) >= BASES:
            del bases[next(iter(bases))]  # the oldest
        by_key = bases[base] = make()
    return by_key


_FIRST = operator.itemgetter(0)


class _Hits:
    """A rule's kept hits per unit key under some options and facts (``each``): where the
    unit stood, its hits, the questions it asked of the watched sets with their answers,
    and the sets' versions it was last checked under. The keys of the units with no hit
    are held apart, for a pass over them in C: those that asked nothing always, the
    others while the watched sets' versions are the same."""

    __slots__ = ("by_key", "empty", "versions", "fresh_empty")

    def __init__(self) -> None:
        self.by_key: dict[
            Hashable, tuple[int, int, int, tuple[Hit, ...], tuple[tuple[int, object, object], ...], tuple[Hashable, ...] | None]
        ] = {}
        self.empty: set[Hashable] = set()
        self.versions: tuple[Hashable, ...] | None = None
        self.fresh_empty: set[Hashable] = set()


def _versions(watched: tuple[Watched[Any], ...]) -> tuple[Hashable, ...] | None:
    """Number the ``watched`` sets (the slots their questions are logged under) and give
    their contents' versions, or None when one has no version."""
    for slot, w in enumerate(watched):
        w.slot = slot
    if all(w.version is not None for w in watched):
        return tuple(w.version() for w in watched if w.version is not None)
    return None


def each(
    code: str,
    options: Mapping[str, Any],
    units: Iterable[tuple[Hashable, Text, U]],
    check: Callable[[U], Iterable[Hit]],
    facts: Hashable = (),
    watched: tuple[Watched[Any], ...] = (),
) -> Iterator[Hit]:
    """``check(item)``'s hits for each unit ``(key, anchor, item)``, kept in a memo session
    (see the module's docstring); and, as ``values`` does, reused while the ``watched``
    sets answer the questions the check asked of them as they did."""
    kept = store()
    if kept is None:
        for _, _, item in units:
            yield from check(item)
        return
    table = _kept_for(kept, kept.rules, code, options, facts, _Hits)
    by_key, empty = table.by_key, table.empty
    versions = _versions(watched)
    if table.versions != versions or versions is None or len(table.fresh_empty) >= STORE_SIZE:
        table.versions, table.fresh_empty = versions, set()
    fresh_empty = table.fresh_empty
    # The units whose kept hits are none are passed over in C (thousands of rows, an edit
    # changes a few): only the others are looked at here.
    if not isinstance(units, (list, tuple)):
        units = list(units)
    skip: Iterable[bool] = map(empty.__contains__, map(_FIRST, units))
    if fresh_empty:
        skip = map(operator.or_, skip, map(fresh_empty.__contains__, map(_FIRST, units)))
    for key, anchor, item in itertools.compress(units, map(operator.not_, skip)):
        entry = by_key.get(key)
        if entry is not None:
            start, line, col, hits, asked, checked = entry
            if asked and not (versions is not None and checked == versions):
                if not all(watched[slot].answer(q) == a for slot, q, a in asked):
                    entry = None  # an answer changed: checked again below
                elif versions is not None:
                    by_key[key] = entry = (start, line, col, hits, asked, versions)
        if entry is not None:
            if not hits:  # (most units)
                (fresh_empty if asked else empty).add(key)
                continue
            span = anchor.span
            if start == anchor.start and line == span.line and col == span.col:
                yield from hits
                continue
            moved = tuple(_moved(h, anchor.start - start, span.line - line, line, span.col - col) for h in hits)
            # Kept where it now stands: the next run finds it in place.
            by_key[key] = (anchor.start, span.line, span.col, moved, asked, entry[5])
            yield from moved
            continue
        log: list[tuple[int, object, object]] = []
        for w in watched:
            w.asked = log
        kept.volatile = False
        try:
            hits = tuple(check(item))
        finally:
            for w in watched:
                w.asked = None
        if kept.volatile or (hits and not all(_inside(h, anchor) for h in hits)):
            # It read more than its key, or it has a place outside the unit: not the unit's alone.
            yield from hits
            continue
        if len(by_key) >= STORE_SIZE:
            for old in list(by_key)[: STORE_SIZE // 4]:
                del by_key[old]
                empty.discard(old)
                fresh_empty.discard(old)
        span = anchor.span
        by_key[key] = (anchor.start, span.line, span.col, hits, tuple(log), versions)
        if not hits:
            (fresh_empty if log else empty).add(key)
        yield from hits


def _within(span: Span, anchor: Span) -> bool:
    return (anchor.line, anchor.col) <= (span.line, span.col) and (span.end_line, span.end_col) <= (
        anchor.end_line,
        anchor.end_col,
    )


def _inside(hit: Hit, anchor: Text) -> bool:
    area = anchor.span
    if not _within(hit.span, area) or not all(_within(r.span, area) for r in hit.related):
        return False
    if hit.fix is not None:
        end = anchor.start + len(anchor.raw)
        for e in hit.fix.edits:
            if not anchor.start <= e.start <= e.end <= end or (e.span is not None and not _within(e.span, area)):
                return False
    return True


def _span(s: Span, lines: int, first: int, cols: int) -> Span:
    return Span(
        s.line + lines,
        s.col + cols if s.line == first else s.col,
        s.end_line + lines,
        s.end_col + cols if s.end_line == first else s.end_col,
    )


def _moved(hit: Hit, by: int, lines: int, first: int, cols: int) -> Hit:
    """``hit`` moved with its unit: ``by`` characters, ``lines`` lines, and ``cols``
    columns on the unit's first line (``first``, before the move)."""
    if not lines and not cols:
        # Only the offsets moved (an edit earlier on another line kept its length in
        # lines): the places stay the very objects, and a hit with no fix is itself.
        if hit.fix is None:
            return hit
        edits = tuple(Edit(e.start + by, e.end + by, e.text, e.span) for e in hit.fix.edits)
        return Hit(hit.span, hit.message, hit.related, Fix(edits, hit.fix.description, hit.fix.applicability))
    fix = hit.fix
    if fix is not None:
        fix = Fix(
            tuple(
                Edit(e.start + by, e.end + by, e.text, None if e.span is None else _span(e.span, lines, first, cols))
                for e in fix.edits
            ),
            fix.description,
            fix.applicability,
        )
    return Hit(
        _span(hit.span, lines, first, cols),
        hit.message,
        tuple(Related(_span(r.span, lines, first, cols), r.message) for r in hit.related),
        fix,
    )


# A question a unit's computation asked of a watched set other than membership.
_NONEMPTY, _SIZE = object(), object()


class Watched(AbstractSet[E]):
    """A document-level set (the names a document uses, say) as ``values`` hands it to a
    unit's computation: each question asked of it and the answer are noted, so that the
    unit's kept value is reused while this run's set gives the same answers, whatever else
    in the set changed. Iterating over it reads all of it: the value is not kept."""

    def __init__(self, gather: Callable[[], AbstractSet[E]], version: Callable[[], Hashable] | None = None) -> None:
        # Gathered on the first question (a run that asks none never pays for it).
        self._gather: Callable[[], AbstractSet[E]] | None = gather
        self._items: AbstractSet[E] = frozenset()
        self.slot = 0
        self.asked: list[tuple[int, object, object]] | None = None
        # What names the set's content (equal only for sets alike: ``union``'s number), if
        # known: a unit's value checked under the same content is reused unasked.
        self.version = version

    @property
    def items(self) -> AbstractSet[E]:
        if self._gather is not None:
            self._items, self._gather = self._gather(), None
        return self._items

    def __contains__(self, x: object) -> bool:
        found = x in self.items
        if self.asked is not None:
            self.asked.append((self.slot, x, found))
        return found

    def __bool__(self) -> bool:
        found = bool(self.items)
        if self.asked is not None:
            self.asked.append((self.slot, _NONEMPTY, found))
        return found

    def __len__(self) -> int:
        found = len(self.items)
        if self.asked is not None:
            self.asked.append((self.slot, _SIZE, found))
        return found

    def __iter__(self) -> Iterator[E]:
        volatile()
        return iter(self.items)

    def answer(self, question: object) -> object:
        """What this run's set answers to a question noted on an earlier run."""
        if question is _NONEMPTY:
            return bool(self.items)
        if question is _SIZE:
            return len(self.items)
        return question in self.items


class _Values:
    """A rule's values per unit key under some options and facts (``values``): each with
    the questions it asked of the watched sets, their answers and the sets' versions it was
    last checked under; and those known good under the last versions, for a look-up in C."""

    __slots__ = ("by_key", "versions", "fresh")

    def __init__(self) -> None:
        self.by_key: dict[Hashable, tuple[Any, tuple[tuple[int, object, object], ...], tuple[Hashable, ...] | None]] = {}
        self.versions: tuple[Hashable, ...] | None = None
        self.fresh: dict[Hashable, Any] = {}


_MISSING = object()


def values(
    code: str,
    options: Mapping[str, Any],
    units: Iterable[tuple[Hashable, U]],
    compute: Callable[[U], V],
    facts: Hashable = (),
    watched: tuple[Watched[Any], ...] = (),
) -> list[V]:
    """``compute(item)`` for each unit ``(key, item)``: in a memo session kept by the rule,
    its options, the facts and the unit's key (everything ``compute`` reads besides the
    ``watched`` sets), and reused while the watched sets answer the questions it asked of
    them as they did. The value must not depend on where the unit stands (offsets within
    the unit's own text, not the document's): a rule's per-unit work that a
    document-level decision reads before the hits are made."""
    kept = store()
    if kept is None:
        return [compute(item) for _, item in units]
    table = _kept_for(kept, kept.values, code, options, facts, _Values)
    by_key = table.by_key
    # The sets' contents by name, when each has one: a value last checked against the same
    # contents is reused without asking again (thousands of units, each asked about a few
    # words), and the sets are then never gathered.
    versions = _versions(watched)
    if not isinstance(units, (list, tuple)):
        units = list(units)
    out: list[Any]
    todo: Iterable[int]
    fresh: dict[Hashable, Any] | None = None
    if versions is not None:
        # The values known good under these versions are looked up in C (thousands of
        # units, an edit changes a few): only the others are looked at here.
        if table.versions != versions or len(table.fresh) >= STORE_SIZE:
            table.versions, table.fresh = versions, {}
        fresh = table.fresh
        out = list(map(fresh.get, map(_FIRST, units), itertools.repeat(_MISSING)))
        todo = list(itertools.compress(itertools.count(), map(operator.is_, out, itertools.repeat(_MISSING))))
    else:
        out = [_MISSING] * len(units)
        todo = range(len(units))
    get = by_key.get
    for i in todo:
        key, item = units[i]
        entry = get(key)
        if entry is not None:
            value, asked, checked = entry
            if not asked or (versions is not None and checked == versions):
                out[i] = value
                if fresh is not None:
                    fresh[key] = value
                continue
            if all(watched[slot].answer(q) == a for slot, q, a in asked):
                out[i] = value
                if fresh is not None:
                    by_key[key] = (value, asked, versions)
                    fresh[key] = value
                continue
        log: list[tuple[int, object, object]] = []
        for w in watched:
            w.asked = log
        kept.volatile = False
        try:
            value = compute(item)
        finally:
            for w in watched:
                w.asked = None
        out[i] = value
        if kept.volatile:
            continue  # it read more than its key and its questions: not kept
        if len(by_key) >= STORE_SIZE:
            for old in list(by_key)[: STORE_SIZE // 4]:
                del by_key[old]
        by_key[key] = (value, tuple(log), versions)
        if fresh is not None:
            fresh[key] = value
    return out


class Union(Generic[E]):
    """The union of ``part(text)`` over a document's texts, followed from run to run: only
    the texts that came or went since the last run are read, and ``version`` changes
    whenever the union does (a fact key that compares in constant time)."""

    def __init__(self) -> None:
        self.texts: tuple[str, ...] = ()
        self.counts: dict[E, int] = {}
        self.version = next(_numbers)

    def follow(self, now: tuple[str, ...], part: Callable[[str], AbstractSet[E]], store: Store) -> None:
        before = self.texts
        if now is before:
            return
        counts, changed = self.counts, False
        for text, by in store.difference(before, now):
            for element in part(text):
                n = counts.get(element, 0) + by
                if n:
                    changed |= n == by  # it came
                    counts[element] = n
                else:
                    del counts[element]
                    changed = True  # it went
        self.texts = now
        if changed:
            self.version = next(_numbers)


def union(name: str, path: str, texts: Sequence[str], part: Callable[[str], AbstractSet[E]]) -> tuple[AbstractSet[E], int] | None:
    """In a memo session: the union of ``part(t)`` for ``t`` in ``texts`` (a live view:
    read it during this run only) and a number naming its content, followed from the last
    run on the same ``path`` under ``name``. Outside one: None (compute the union)."""
    kept = store()
    if kept is None:
        return None
    unions = kept.unions
    found: Union[E] | None = unions.pop((name, path), None)
    if found is None:
        if len(unions) >= UNIONS:
            del unions[next(iter(unions))]  # the least recently followed
        found = Union()
    unions[(name, path)] = found  # (the most recent last)
    try:
        found.follow(kept.sequence(texts), part, kept)
    except BaseException:
        del kept.unions[(name, path)]  # half followed: start afresh next time
        raise
    return found.counts.keys(), found.version


_SPAN_SETTERS = tuple(vars(Span)[name].__set__ for name in ("line", "col", "end_line", "end_col"))
_TEXT_SETTERS = tuple(vars(Text)[name].__set__ for name in ("raw", "start", "span"))


R = TypeVar("R")


def kept_rows(
    name: str, path: str, under: Hashable, rows: tuple[R, ...], make: Callable[[int, R], V], same_count: bool = False
) -> list[V]:
    """``[make(i, row) for i, row in enumerate(rows)]``; in a memo session, what the last
    run on ``path`` made under ``name`` (and ``under`` the same conditions) of the rows at
    the start and at the end of ``rows`` that are its very row objects is reused, found by
    identity in C; at the end only when there are as many rows as then, if ``same_count``
    (a value holding the row's index). A row is any model value the incremental parse
    keeps when an edit does not reach it (a claims row: every row before an edit, and
    every row after one that moved nothing, stands on the same line with the same text; a
    summary sentence), and ``make`` must read nothing else that may change."""
    kept = store()
    if kept is None:
        return [make(i, row) for i, row in enumerate(rows)]
    table = kept.by_row
    last_under, last_rows, last_made = table.pop((name, path), (None, (), []))
    if last_under != under:
        last_rows, last_made = (), []
    head, tail = same_ends(rows, last_rows, not same_count or len(rows) == len(last_rows))
    made = last_made[:head]
    made += [make(i, rows[i]) for i in range(head, len(rows) - tail)]
    if tail:
        made += last_made[len(last_made) - tail :]
    if len(table) >= UNIONS:
        del table[next(iter(table))]  # the least recently read
    table[(name, path)] = (under, rows, made)
    return made


def same_run(a: Iterable[object], b: Iterable[object], n: int) -> int:
    """How many elements ``a`` and ``b`` start with that are the very same objects (at
    most ``n``, the shorter's length): the first that differ found in C, with no list of
    the comparisons made (thousands of rows, an edit changes a few)."""
    return next(itertools.compress(itertools.count(), map(operator.is_not, a, b)), n)


def same_ends(a: Sequence[object], b: Sequence[object], at_end: bool = True) -> tuple[int, int]:
    """How many elements ``a`` and ``b`` start with that are the very same objects, and
    (``at_end``) how many of the rest they end with (``same_run`` from both ends): the rows
    an edit did not reach, before it and after it."""
    n = min(len(a), len(b))
    head = same_run(a, b, n)
    tail = min(same_run(reversed(a), reversed(b), n), n - head) if at_end else 0
    return head, tail


def rows(doc: Document) -> list[tuple[Hashable, Text, ClaimRow]]:
    """Each claims row as a unit, anchored at its whole source line and keyed by that line,
    its number (a row numbered by its place has none in its line) and the table's header
    (which says which cell is which): all a row is built from."""
    claims = doc.claims
    if claims is None or not doc.rows:
        return []
    shape: Hashable = (claims.header, tuple(sorted(claims.columns.items())))
    kept = store()
    if kept is not None:
        shape = kept.fact(shape)  # a number: a key hashes quickly
    starts, source = doc.lines.starts, doc.source
    last = len(starts)
    # Text and Span built through their slots, without their dataclass __init__ (thousands
    # of rows, each run).
    new = object.__new__
    set_line, set_col, set_end_line, set_end_col = _SPAN_SETTERS
    set_raw, set_start, set_span = _TEXT_SETTERS

    def unit(_: int, row: ClaimRow) -> tuple[Hashable, Text, ClaimRow]:
        line = row.line
        start = starts[line - 1]
        raw = source[start : starts[line] - 1 if line < last else len(source)]
        span = row.span
        # (a row's span is its whole line, as a rule: that very object)
        if span.line != line or span.col != 1 or span.end_line != line or span.end_col != len(raw) + 1:
            span = new(Span)
            set_line(span, line)
            set_col(span, 1)
            set_end_line(span, line)
            set_end_col(span, len(raw) + 1)
        anchor = new(Text)
        set_raw(anchor, raw)
        set_start(anchor, start)
        set_span(anchor, span)
        return ((raw, row.number, shape), anchor, row)

    # (none when the header is not one a rule can read)
    return kept_rows("units", doc.path, shape, doc.rows, unit)
