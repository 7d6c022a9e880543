"""Run rules over a parsed document."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from citelint.finding import Finding, Severity
from citelint.model import Document, Span
from citelint.registry import Rule

INTERNAL_ERROR = "CIT000"


def check_document(
    doc: Document,
    rules: Iterable[Rule],
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Finding]:
    """Findings of every rule; a rule that raises becomes one internal-error finding."""
    findings: list[Finding] = []
    for rule in rules:
        opts = {**rule.options, **((options or {}).get(rule.code, {}))}
        try:
            for hit in rule.check(doc, opts):
                findings.append(
                    Finding(doc.path, hit.span, rule.code, rule.name, rule.severity, hit.message, hit.related)
                )
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
    findings.sort(key=Finding.sort_key)
    return findings
