"""Memos that outlive one document, for a process that lints the same text again and again
(the language server re-linting a report after each keystroke).

A function marked ``@pure`` computes its result from its arguments alone (plain text,
numbers, tuples of them: never a document or a position). Outside a session it is called
as it is, so a one-file run pays nothing; inside ``with session(size):`` on a thread, its
results are kept in an LRU memo of ``size`` entries per function, keyed by the arguments.
A re-lint after an edit then recomputes only the texts the edit touched, and gives what a
fresh run gives: the key is everything the result depends on.

The memos belong to the thread that opened the session (the server's lint thread) and
hold no document: nothing one document computed can reach another except a result the
same arguments would give again.
"""
from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

# A text this long (a whole summary, one line of a huge table) is kept in a small memo of
# its own: each edit of it makes a new key, and a few hundred such versions would fill
# the memory an editor session can spare.
BIG_TEXT = 20_000
BIG_ENTRIES = 8

_local = threading.local()


class Session:
    """The memos of one thread: per pure function, a bounded LRU (and a small one for
    calls on a long text)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.memos: dict[tuple[Callable[..., Any], bool], Callable[..., Any]] = {}
        self._kept: dict[str, Any] = {}

    def kept(self, name: str, make: Callable[[], T]) -> T:
        """What a module keeps from run to run beside the memos (a rule's hits per unit,
        the last support analysis), under ``name``: made on first use, dropped with them."""
        found: T | None = self._kept.get(name)
        if found is None:
            found = self._kept[name] = make()
        return found

    def of(self, fn: F, big: bool = False) -> F:
        found = self.memos.get((fn, big))
        if found is None:
            found = self.memos[(fn, big)] = lru_cache(maxsize=BIG_ENTRIES if big else self.size)(fn)
        return cast(F, found)

    def clear(self) -> None:
        for found in self.memos.values():
            found.cache_clear()  # type: ignore[attr-defined]
        # A new dict, not emptied: a run still going on another thread keeps what it holds.
        self._kept = {}


@contextmanager
def session(size: int = 100_000, keep: Session | None = None) -> Iterator[Session]:
    """Memoize the ``@pure`` functions called on this thread while the block runs; ``keep``
    is a session to go on with (its memos are what a previous run left)."""
    previous = getattr(_local, "session", None)
    current = keep if keep is not None else Session(size)
    _local.session = current
    try:
        yield current
    finally:
        _local.session = previous


def active() -> Session | None:
    """The session open on this thread, if any."""
    found: Session | None = getattr(_local, "session", None)
    return found


def pure(fn: F) -> F:
    """Mark ``fn`` as a function of its (hashable) arguments alone, memoized in a session."""

    last: list[Any] = [None, None, None]  # the session last seen and its memos of fn (a hot path)

    def call(*args: Any) -> Any:
        current: Session | None = getattr(_local, "session", None)
        if current is None:
            return fn(*args)
        if last[0] is not current:
            last[0], last[1], last[2] = current, current.of(fn), current.of(fn, big=True)
        first = args[0] if args else None
        if type(first) is str and len(first) > BIG_TEXT:
            return last[2](*args)
        return last[1](*args)

    call.__name__ = getattr(fn, "__name__", "pure")
    call.__doc__ = fn.__doc__
    call.__wrapped__ = fn  # type: ignore[attr-defined]
    return cast(F, call)


def each(fn: Callable[[str], T], texts: Iterable[str]) -> list[T]:
    """``[fn(t) for t in texts]`` for a ``@pure`` function of one text: its memo is found
    once for the whole loop, not once per call (a report's thousands of fields); and in a
    session, the results of the texts at the start and at the end of the list that are
    those of the last list ``fn`` was given are that call's (``common_ends``: after an
    edit, the texts of the rows it did not reach are the same string objects, whether they
    moved or not), so only the texts between go to the memo."""
    plain: Callable[[str], T] = getattr(fn, "__wrapped__", fn)
    current: Session | None = getattr(_local, "session", None)
    if current is None:
        return [plain(t) for t in texts]
    if not isinstance(texts, (list, tuple)):
        texts = list(texts)
    lasts: dict[Callable[[str], Any], tuple[Sequence[str], list[Any]]] = current.kept("each", dict)
    head = tail = 0
    last = lasts.get(plain)
    if last is not None:
        old, made = last
        head, tail = common_ends(old, texts)
    else:
        made = []
    found = made[:head]
    found += _each(current, plain, texts[head : len(texts) - tail] if head or tail else texts)
    if tail:
        found += made[len(made) - tail :]
    lasts[plain] = (tuple(texts), found)  # (a copy: a caller's list may change after)
    return list(found)  # (a copy: the kept list is never the caller's)


# Elements compared a slice at a time (in C) by ``common_ends``.
_SLICE = 256


def common_ends(a: Sequence[Any], b: Sequence[Any]) -> tuple[int, int]:
    """How many elements ``a`` and ``b`` share at their start, and how many of the rest at
    their end: compared a slice at a time in C (where the elements are the same objects,
    as the texts of rows an edit did not reach are, each comparison is one of identity),
    then one at a time in the slice that differs. Equal elements count as shared."""
    a, b = tuple(a), tuple(b)
    n = min(len(a), len(b))
    head, step = 0, _SLICE
    while head + step <= n and a[head : head + step] == b[head : head + step]:
        head += step
    while head < n and a[head] == b[head]:
        head += 1
    la, lb, limit = len(a), len(b), n - head
    tail = 0
    while tail + step <= limit and a[la - tail - step : la - tail] == b[lb - tail - step : lb - tail]:
        tail += step
    while tail < limit and a[la - tail - 1] == b[lb - tail - 1]:
        tail += 1
    return head, tail


def _each(current: Session, plain: Callable[[str], T], texts: Sequence[str]) -> list[T]:
    """``[fn(t) for t in texts]`` through the session's memos of ``plain``."""
    small = current.of(plain)
    # (most lists hold no long text: their memo is then called from C, without a test of
    # each text's length in Python)
    if max(map(len, texts), default=0) <= BIG_TEXT:
        return list(map(small, texts))
    big = current.of(plain, big=True)
    # (the few long texts, a summary, found in C: the others still go through the small
    # memo from C, and each long one's result is put in its place)
    at = list(itertools.compress(itertools.count(), map(BIG_TEXT.__lt__, map(len, texts))))
    out = list(map(small, itertools.compress(texts, map(BIG_TEXT.__ge__, map(len, texts)))))
    for i in at:
        out.insert(i, big(texts[i]))
    return out
