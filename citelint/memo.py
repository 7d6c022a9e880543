"""Share work between rules that read the same derived data of a document."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from citelint.model import Document

T = TypeVar("T")


def per_document(fn: Callable[[Document], T]) -> Callable[[Document], T]:
    """Cache ``fn(doc)`` for the document being checked. The engine runs every rule on one
    document before the next, so remembering the last document is enough, and nothing
    outlives it."""
    last: list[tuple[Document, T]] = []

    @wraps(fn)
    def cached(doc: Document) -> T:
        if last and last[0][0] is doc:
            return last[0][1]
        value = fn(doc)
        last[:] = [(doc, value)]
        return value

    return cached
