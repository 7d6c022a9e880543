"""Rules, and finding them through the ``citelint.rules`` entry-point group.

Built-in rules are registered in this package's own metadata, exactly as a plugin would
register its rules, so both are loaded the same way and neither is special.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
import importlib
import os
import sys
from typing import Any

from citelint import cache
from citelint.finding import Hit, Severity
from citelint.model import Document

ENTRY_POINT_GROUP = "citelint.rules"
_CACHE_NAME = "entry-points.bin"
CODE_RE = re.compile(r"CIT\d{3}")
NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

Check = Callable[[Document, Mapping[str, Any]], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A check, with the metadata that names it and its default severity and options."""

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


def _environment_key() -> list[object]:
    # Installing, upgrading or removing a distribution adds or removes a *.dist-info
    # directory, which changes the mtime of the directory on sys.path that holds it.
    key: list[object] = [sys.executable]
    for entry in sys.path:
        try:
            key.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            pass
    return key


def _entry_points() -> list[tuple[str, str]]:
    """(name, "module:attribute") of each rule entry point. importlib.metadata reads every
    installed distribution's metadata (tens of milliseconds on each cold start), so the
    answer is cached until the set of installed distributions changes."""
    key = _environment_key()
    cached = cache.load(_CACHE_NAME)
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == key:
        return list(cached[1])
    from importlib.metadata import entry_points

    found = sorted({(ep.name, ep.value) for ep in entry_points(group=ENTRY_POINT_GROUP)})
    cache.store(_CACHE_NAME, (key, found))
    return found


def _resolve(value: str) -> object:
    module, _, attr = value.partition(":")
    obj: object = importlib.import_module(module.strip())
    for part in attr.strip().split(".") if attr.strip() else []:
        obj = getattr(obj, part)
    return obj


def load_rules() -> tuple[Rule, ...]:
    """Every installed rule, sorted by code. Two rules with one code is an error."""
    by_code: dict[str, Rule] = {}
    for name, value in _entry_points():
        try:
            obj = _resolve(value)
        except Exception as exc:  # a broken plugin is named, not a traceback
            raise RuleLoadError(f"cannot load rule plugin {name!r} ({value}): {exc}") from exc
        if not isinstance(obj, Rule):
            raise RuleLoadError(f"entry point {name!r} ({value}) is not a citelint Rule")
        if obj.code in by_code and by_code[obj.code] is not obj:
            raise RuleLoadError(f"two rules claim code {obj.code}: {by_code[obj.code].name} and {obj.name}")
        by_code[obj.code] = obj
    return tuple(by_code[c] for c in sorted(by_code))
