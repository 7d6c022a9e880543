"""What a rule sees: one RuleContext per rule and document.

A rule reads the document, its own options, whether another rule runs on this file (and with
which options), and a cache shared by the rules of this one document. Nothing outlives the
document, so a long-lived process (an editor session, a pipeline calling the API for millions
of reports, several threads) never sees one document's state in another. The one exception
is what ``each`` keeps of a rule's hits per unit in a thread's memo session (the language
server's): keyed by everything the hits depend on, so it gives what a fresh run gives.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from citelint.model import Document

if TYPE_CHECKING:
    from citelint.finding import Finding, Hit
    from citelint.registry import Rule
    from citelint.model import Text
    from citelint.suppression import Usage
    from citelint.units import Watched

T = TypeVar("T")
U = TypeVar("U")


class RunPlan:
    """The rules that run on one document, each with its resolved options (its defaults,
    overridden by the configuration). Shared by the contexts of that document's rules."""

    __slots__ = ("rules", "options", "_by_name")

    def __init__(self, rules: tuple[Rule, ...], options: Mapping[str, Mapping[str, Any]]) -> None:
        self.rules = rules
        self.options = options
        self._by_name = {r.name: r.code for r in rules}

    def code(self, rule: str) -> str | None:
        """The code of a selected rule named by code or name; None when it does not run."""
        if rule in self.options:
            return rule
        return self._by_name.get(rule)


class RuleContext:
    """The document, this rule's options, the other rules of the run, and a per-document
    cache. ``findings`` and ``suppressions`` are filled for "after" rules only."""

    __slots__ = ("doc", "rule", "options", "memo", "findings", "suppressions", "_plan")

    def __init__(
        self,
        doc: Document,
        rule: Rule,
        plan: RunPlan,
        memo: dict[object, Any],
        findings: tuple[Finding, ...] = (),
        suppressions: Usage | None = None,
    ) -> None:
        self.doc = doc
        self.rule = rule
        self.options: Mapping[str, Any] = plan.options.get(rule.code, rule.defaults)
        self.memo = memo
        self.findings = findings
        self.suppressions = suppressions
        self._plan = plan

    def enabled(self, rule: str) -> bool:
        """Whether the rule (a code or a name) runs on this document."""
        return self._plan.code(rule) is not None

    def options_of(self, rule: str) -> Mapping[str, Any] | None:
        """The options another rule runs with on this document; None when it does not run."""
        code = self._plan.code(rule)
        return None if code is None else self._plan.options[code]

    def cached(self, fn: Callable[[Document], T]) -> T:
        """``fn(doc)``, computed once for this document and shared by every rule that asks."""
        try:
            value: T = self.memo[fn]
        except KeyError:
            value = self.memo[fn] = fn(self.doc)
        return value

    def each(
        self,
        units: Iterable[tuple[Hashable, Text, U]],
        check: Callable[[U], Iterable[Hit]],
        facts: Hashable = (),
        watched: tuple[Watched[Any], ...] = (),
    ) -> Iterator[Hit]:
        """``check(item)``'s hits for each unit ``(key, anchor, item)``: ``anchor`` is the
        text the unit's hits stand in (a row's line), ``key`` everything ``check(item)``
        reads besides this rule's options and ``facts`` (the document-level values it
        depends on), as plain values. In a long-lived process's memo session the hits of a
        unit are kept by those and moved to where the anchor now stands
        (``citelint.units``); elsewhere this is a plain loop. The ``watched`` sets
        (``units.Watched``) are document-level sets the check asks about instead: a unit's
        hits are kept while the sets answer its questions as they did."""
        from citelint import units as per_unit

        return per_unit.each(self.rule.code, self.options, units, check, facts, watched)
