"""Rules: how one is declared, and finding them through the ``citelint.rules`` entry points.

Built-in rules are registered in this package's own metadata, exactly as a plugin would
register its rules, so both are loaded the same way and neither is special.

A rule's metadata is declared once, in its decorator: code, name, severity, summary, its
options (type, default, range, meaning) and how safe its fixes are. The configuration
schema, the rule page's header and the README's rule table are generated from, or checked
against, that declaration.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

from citelint import cache
from citelint.finding import Hit, Severity

if TYPE_CHECKING:
    from citelint.context import RuleContext

ENTRY_POINT_GROUP = "citelint.rules"
_CACHE_NAME = "entry-points.bin"
CODE_RE = re.compile(r"CIT\d{3}")
NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
OPTION_TYPES = ("number", "integer", "boolean", "string", "string-list")
# What a rule's fixes may do: none, shown only, safe, unsafe, or safe or unsafe per finding.
FIX_KINDS = ("none", "display", "safe", "unsafe", "sometimes")
_INT64 = 2**63

Check = Callable[["RuleContext"], Iterable[Hit]]


class OptionError(ValueError):
    """A configured option value that the rule cannot use; str() says what was expected."""


@dataclass(frozen=True)
class Option:
    """One option a rule reads: its name, type, default, allowed range and meaning."""

    name: str
    type: str
    default: Any
    meaning: str
    minimum: float | None = None
    maximum: float | None = None
    # The values a string option accepts (empty: any string).
    choices: tuple[str, ...] = ()
    # Why a value cannot be used here (an optional dependency it needs is not installed), or
    # None: checked when a configuration sets the option, so the user gets one clear
    # configuration error instead of a failure while linting.
    requires: Callable[[Any], str | None] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.type not in OPTION_TYPES:
            raise ValueError(f"option {self.name!r}: type {self.type!r} is not one of {', '.join(OPTION_TYPES)}")
        self.check(self.default)

    def describe_type(self) -> str:
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        return {
            "number": "a number",
            "integer": "an integer",
            "boolean": "true or false",
            "string": "a string",
            "string-list": "a list of strings",
        }[self.type] + self._range()

    def _range(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f" from {self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f" of at least {self.minimum:g}"
        if self.maximum is not None:
            return f" of at most {self.maximum:g}"
        return ""

    def check(self, value: Any) -> Any:
        """``value`` as the rule reads it (a tuple for a list), or OptionError."""
        shown = repr(value) if not isinstance(value, (list, dict)) else type(value).__name__
        wrong = OptionError(f"{shown if len(shown) <= 60 else shown[:57] + '...'} is not {self.describe_type()}")
        if self.type == "boolean":
            if not isinstance(value, bool):
                raise wrong
            return value
        if self.type == "string":
            if not isinstance(value, str) or self.choices and value not in self.choices:
                raise wrong
            problem = self.requires(value) if self.requires else None
            if problem:
                raise OptionError(problem)
            return value
        if self.type == "string-list":
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise wrong
            return tuple(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise wrong
        if self.type == "integer" and not isinstance(value, int):
            raise wrong
        # TOML reads inf, nan and integers of any size; no rule means them.
        if isinstance(value, float) and not math.isfinite(value) or isinstance(value, int) and abs(value) >= _INT64:
            raise wrong
        if self.minimum is not None and value < self.minimum or self.maximum is not None and value > self.maximum:
            raise wrong
        return value

    def schema(self) -> dict[str, Any]:
        """The JSON schema of this option's values (finite numbers are checked by ``check``)."""
        out: dict[str, Any]
        if self.type == "string-list":
            out = {"type": "array", "items": {"type": "string"}}
        else:
            out = {"type": self.type}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.choices:
            out["enum"] = list(self.choices)
        out["default"] = list(self.default) if isinstance(self.default, tuple) else self.default
        out["description"] = self.meaning
        out["x-expected"] = self.describe_type()  # how a configuration error says it
        return out


@dataclass(frozen=True)
class Rule:
    """A check, with the metadata that names it, its default severity, options and fixes."""

    code: str
    name: str
    severity: Severity
    summary: str
    check: Check = field(compare=False, repr=False)
    options: tuple[Option, ...] = field(default=(), compare=False)
    # How safe the rule's fixes are (see FIX_KINDS).
    fix: str = "none"
    # An "after" rule runs once the others have, and reads their findings and how the
    # suppression comments were used (ctx.findings, ctx.suppressions): CIT900 is one.
    after: bool = False
    # The input formats the rule runs on (a reader's name, or "*" for every format): a rule
    # that needs what a format lacks (a claims table, a quote) is silent there, not wrong.
    formats: tuple[str, ...] = ("smartbook",)
    # What the rule reads from the cited sources ("quote", "passage"): it runs only on a
    # document whose reader gives the sources at least one of them, and is silent elsewhere.
    needs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not CODE_RE.fullmatch(self.code):
            raise ValueError(f"rule code {self.code!r} is not CIT followed by three digits")
        if not NAME_RE.fullmatch(self.name):
            raise ValueError(f"rule name {self.name!r} is not kebab-case")
        if self.fix not in FIX_KINDS:
            raise ValueError(f"rule {self.code}: fix {self.fix!r} is not one of {', '.join(FIX_KINDS)}")
        if any(n not in ("quote", "passage") for n in self.needs):
            raise ValueError(f"rule {self.code}: needs {self.needs!r}: each is 'quote' or 'passage'")
        names = [o.name for o in self.options]
        if len(set(names)) != len(names):
            raise ValueError(f"rule {self.code}: two options share a name")

    def __reduce__(self) -> str | tuple[Any, ...]:
        # Pickled by reference (its module and name), so that Settings travel to worker
        # processes (Dask, Spark, Ray) and the worker uses its own loaded rule.
        module, name = getattr(self.check, "__module__", None), getattr(self.check, "__qualname__", "")
        if module and _lookup(module, name) is self:
            return (_lookup, (module, name))
        return (Rule, (self.code, self.name, self.severity, self.summary, self.check, self.options, self.fix, self.after, self.formats, self.needs))

    def runs_on(self, fmt: str) -> bool:
        return fmt in self.formats or "*" in self.formats

    @property
    def defaults(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)

    def options_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "description": f"Options of {self.code} {self.name}.",
            "x-rule": f"{self.code} {self.name}",
            "properties": {o.name: o.schema() for o in self.options},
            "additionalProperties": False,
        }


def _lookup(module: str, name: str) -> object:
    obj: object = sys.modules.get(module) or importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part, None)
    return obj


def rule(
    code: str,
    name: str,
    severity: str,
    summary: str,
    options: Iterable[Option] = (),
    fix: str = "none",
    after: bool = False,
    formats: tuple[str, ...] = ("smartbook",),
    needs: tuple[str, ...] = (),
) -> Callable[[Check], Rule]:
    """Decorator that turns a check function ``check(ctx) -> Iterable[Hit]`` into a Rule."""

    def wrap(check: Check) -> Rule:
        return Rule(code, name, Severity.parse(severity), summary, check, tuple(options), fix, after, formats, needs)

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
