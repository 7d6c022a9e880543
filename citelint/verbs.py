"""Verbs that are no other part of speech ("consist", "convey", "include"), from WordNet 3.0
(built by scripts/build_verbs.py into citelint/data/verbs.txt, 4,249 words). CIT403 reads a
name's form with "s" before one of them as a plural subject, never a possessive: a
possessive is followed by its noun or an adjective. Read once per process, on the first
question (most runs never ask one)."""
from __future__ import annotations

import functools
import os

from citelint.lexicon import LexiconError

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "verbs.txt")


@functools.cache
def verb_only() -> frozenset[str]:
    """The shipped list. A missing or damaged file is a LexiconError that names it (the rule
    becomes one CIT000 saying so), never a silently empty list."""
    try:
        with open(PATH, encoding="ascii") as fh:
            words = frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))
    except (OSError, UnicodeDecodeError):
        raise LexiconError(f"{PATH} is missing or damaged; reinstall citelint-reports") from None
    if not words:
        raise LexiconError(f"{PATH} is empty; reinstall citelint-reports")
    return words
