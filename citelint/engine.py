"""Run rules over a parsed document."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from citelint.finding import Finding, Severity
from citelint.model import Document, Span
from citelint.registry import Rule

INTERNAL_ERROR = "CIT000"


def check_document(
    doc: Document,
    rules: Sequence[Rule],
    options: Mapping[str, Mapping[str, Any]] | None = None,
    severity: Mapping[str, Severity] | None = None,
    known: Sequence[Rule] | None = None,
) -> list[Finding]:
    """Findings of every rule, after the document's suppression comments. A rule that raises
    becomes one internal-error finding. ``known`` are all installed rules (a suppression
    comment may name one that is not selected); by default the rules given."""
    from citelint import suppression

    severity = severity or {}
    findings: list[Finding] = []

    def add(rule: Rule, hits: Any) -> None:
        level = severity.get(rule.code, rule.severity)
        for hit in hits:
            findings.append(Finding(doc.path, hit.span, rule.code, rule.name, level, hit.message, hit.related))

    unused_rule = None
    for rule in rules:
        if rule.code == suppression.UNUSED:
            unused_rule = rule  # it reads the other rules' findings: it runs last
            continue
        opts = {**rule.options, **((options or {}).get(rule.code, {}))}
        try:
            add(rule, rule.check(doc, opts))
        except Exception as exc:  # one broken rule must not take the run down
            findings.append(
                Finding(
                    doc.path,
                    Span(1, 1, 1, 1),
                    INTERNAL_ERROR,
                    "internal-error",
                    Severity.ERROR,
                    f"rule {rule.code} ({rule.name}) failed on this file: {type(exc).__name__}: {exc}",
                )
            )
    selected = frozenset(r.code for r in rules)
    findings, problems = suppression.apply(doc, findings, known or rules, selected)
    if unused_rule is not None:
        add(unused_rule, problems)
    findings.sort(key=Finding.sort_key)
    return findings
