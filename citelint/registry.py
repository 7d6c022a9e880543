"""Rules, and finding them through the ``citelint.rules`` entry-point group.

Built-in rules are registered in this package's own metadata, exactly as a plugin would
register its rules, so both are loaded the same way and neither is special.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

from citelint.finding import Hit, Severity
from citelint.model import Document

ENTRY_POINT_GROUP = "citelint.rules"
CODE_RE = re.compile(r"CIT\d{3}")
NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

Check = Callable[[Document, Mapping[str, Any]], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    check: Check = field(compare=False, repr=False)
    # Default values of the options the rule reads (configuration may override them).
    options: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not CODE_RE.fullmatch(self.code):
            raise ValueError(f"rule code {self.code!r} is not CIT followed by three digits")
        if not NAME_RE.fullmatch(self.name):
            raise ValueError(f"rule name {self.name!r} is not kebab-case")


def rule(
    code: str, name: str, severity: str, summary: str, **options: Any
) -> Callable[[Check], Rule]:
    """Decorator that turns a check function into a Rule."""

    def wrap(check: Check) -> Rule:
        return Rule(code, name, Severity.parse(severity), summary, check, dict(options))

    return wrap


class RuleLoadError(Exception):
    pass


def load_rules() -> tuple[Rule, ...]:
    """Every installed rule, sorted by code. Two rules with one code is an error."""
    by_code: dict[str, Rule] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj = ep.load()
        except Exception as exc:  # a broken plugin is named, not a traceback
            raise RuleLoadError(f"cannot load rule plugin {ep.name!r} ({ep.value}): {exc}") from exc
        if not isinstance(obj, Rule):
            raise RuleLoadError(f"entry point {ep.name!r} ({ep.value}) is not a citelint Rule")
        if obj.code in by_code and by_code[obj.code] is not obj:
            raise RuleLoadError(f"two rules claim code {obj.code}: {by_code[obj.code].name} and {obj.name}")
        by_code[obj.code] = obj
    return tuple(by_code[c] for c in sorted(by_code))
