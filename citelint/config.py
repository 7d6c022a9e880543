"""Configuration: finding it, validating it, and resolving it into settings for a file.

Files, closest to the linted file first (as ruff does): ``.citelint.toml``, ``citelint.toml``,
or ``pyproject.toml`` with a ``[tool.citelint]`` table (one without it is passed over). The
JSON schema shipped beside this module is the single source of truth for the keys.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from citelint import cache
from citelint.finding import Severity
from citelint.limits import KEYS, Limits
from citelint.registry import OptionError, Rule

if TYPE_CHECKING:
    from citelint.fixer import Policy

CONFIG_NAMES = (".citelint.toml", "citelint.toml", "pyproject.toml")
SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config_schema.json")
_VALIDATED_CACHE = "config-valid.bin"


class ConfigError(Exception):
    """A configuration that cannot be used; str() is the one-line message."""


# hashlib, json, difflib and fnmatch are imported where they are used: this module is on
# every cold start, and most runs need none of them.


def get_close_matches(word: str, possibilities: list[str], n: int, cutoff: float) -> list[str]:
    import difflib

    return difflib.get_close_matches(word, possibilities, n=n, cutoff=cutoff)


def _display(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def load_schema(rules: Sequence[Rule] = ()) -> dict[str, Any]:
    """The configuration schema: the shipped file for the keys, and for ``options`` a table
    per rule generated from the options each rule declares (by code and by name)."""
    import json

    with open(SCHEMA_FILE, encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    if rules:
        per_rule = {}
        for r in rules:
            per_rule[r.code] = per_rule[r.name] = r.options_schema()
        schema["properties"]["options"]["properties"] = per_rule
        schema["properties"]["options"]["additionalProperties"] = False
    return schema


def read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise ConfigError(f"{_display(path)}: cannot read: {exc.strerror or exc}") from None


def read_table(path: str, raw: bytes | None = None) -> dict[str, Any] | None:
    """The citelint table of a config file (``raw``: its bytes, when already read), or None
    for a pyproject.toml without one."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    if raw is None:
        raw = read_bytes(path)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{_display(path)}: not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_display(path)}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        raise ConfigError(f"{_display(path)}: invalid TOML: arrays or tables nested too deeply") from None
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("citelint") if isinstance(tool, dict) else None
        return table if isinstance(table, dict) else None
    return data


def _key_path(parts: Iterable[object]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate(table: Mapping[str, Any], path: str, raw: bytes | None = None, rules: Sequence[Rule] = ()) -> None:
    """Check ``table`` against the schema (with the options ``rules`` declare). jsonschema
    costs ~150 ms to import, so a file whose exact content passed before, against the same
    schema and rules, is not checked again."""
    import hashlib
    import json

    stamp = _schema_stamp() + repr([(r.code, r.name, r.options) for r in rules]).encode()
    digest = hashlib.sha256((raw if raw is not None else json.dumps(table, sort_keys=True).encode()) + stamp).hexdigest()
    known = cache.load(_VALIDATED_CACHE)
    if isinstance(known, list) and digest in known:
        return
    import jsonschema

    schema = load_schema(rules)
    validator = jsonschema.Draft202012Validator(schema)
    try:
        errors = sorted(validator.iter_errors(dict(table)), key=lambda e: (list(e.absolute_path), e.message))
        if errors:
            raise ConfigError(f"{_display(path)}: {_describe(errors[0], schema)}")
    except RecursionError:
        raise ConfigError(f"{_display(path)}: arrays or tables nested too deeply") from None
    cache.store(_VALIDATED_CACHE, ([*(known if isinstance(known, list) else [])][-255:] + [digest]))


def _schema_stamp() -> bytes:
    try:
        st = os.stat(SCHEMA_FILE)
        return f"{st.st_size}:{st.st_mtime_ns}".encode()
    except OSError:
        return b""


def _describe(error: Any, schema: Mapping[str, Any]) -> str:
    path = list(error.absolute_path)
    where = _key_path(path)
    prefix = f"{where}: " if where else ""
    if error.validator == "additionalProperties" and error.validator_value is False:
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        key = extra[0] if extra else "?"
        hint = get_close_matches(key, allowed, n=1, cutoff=0.6)
        suggestion = f", did you mean '{hint[0]}'?" if hint else ""
        if path == ["options"]:
            return f"options.{key}: name exactly one rule (a code or a name){suggestion}"
        if "x-rule" in error.schema:
            known = ", ".join(allowed) or "none"
            return f"{where}.{key}: unknown option for {error.schema['x-rule']}" + (suggestion or f" (its options: {known})")
        return f"{prefix}unknown key '{key}'{suggestion}"
    if path[:1] == ["options"] and len(path) >= 3:
        # A wrong option value: say what the rule's declaration expects, at the option's key.
        option = schema["properties"]["options"].get("properties", {}).get(path[1], {}).get("properties", {}).get(path[2], {})
        if "x-expected" in option:
            shown = _short_repr(error.instance) + ("" if len(path) == 3 else " in the list")
            return f"{_key_path(path[:3])}: {shown} is not {option['x-expected']}"
    if error.validator == "enum":
        choices = ", ".join(repr(c) for c in error.validator_value)
        return f"{prefix}{error.instance!r} is not one of {choices}"
    if error.validator == "type":
        return f"{prefix}{_short_repr(error.instance)} is not of type {error.validator_value!r}"
    return f"{prefix}{error.message}"


def match_rules(spec: str, rules: Sequence[Rule]) -> list[Rule]:
    """The rules a name in the configuration means: a code, a kebab-case name, a code prefix
    ("CIT4"), or ALL."""
    key = spec.strip()
    if key.upper() == "ALL":
        return list(rules)
    upper = key.upper()
    exact = [r for r in rules if r.code == upper or r.name == key.lower()]
    if exact:
        return exact
    if upper.startswith("CIT") and upper[3:].isdigit() or upper == "CIT":
        return [r for r in rules if r.code.startswith(upper)]
    return []


def _rules_named(specs: Iterable[str], rules: Sequence[Rule], path: str, key: str, indexed: bool = True) -> set[str]:
    codes: set[str] = set()
    for i, spec in enumerate(specs):
        found = match_rules(spec, rules)
        if not found:
            hint = get_close_matches(spec, [r.code for r in rules] + [r.name for r in rules], n=1, cutoff=0.6)
            where = f"{key}[{i}]" if indexed else key
            raise ConfigError(
                f"{_display(path)}: {where}: unknown rule '{spec}'" + (f", did you mean '{hint[0]}'?" if hint else "")
            )
        codes.update(r.code for r in found)
    return codes


@dataclass(frozen=True)
class Overrides:
    """What the command line says, which wins over the files."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    force_exclude: bool | None = None
    exclude: tuple[str, ...] | None = None  # replaces the files' exclude (relative to the working folder)
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool | None = None
    input_format: str | None = None  # --input-format


@dataclass(frozen=True)
class Settings:
    """What applies to one file: its configuration file's settings and the command line's."""

    path: str | None  # the configuration file, None for the defaults
    root: str  # the folder that globs are relative to
    rules: tuple[Rule, ...]  # the selected rules
    severity: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    fail_on: Severity = Severity.WARNING
    # Datasets: the field that holds a record's report text, and the one that names it.
    text_field: str | None = None
    id_field: str | None = None
    cache_dir: str | None = None  # the result cache (absolute), None for the default
    # Which rules may fix, and fix safety raised or lowered (codes).
    fixable: frozenset[str] | None = None
    unfixable: frozenset[str] = frozenset()
    extend_safe_fixes: frozenset[str] = frozenset()
    extend_unsafe_fixes: frozenset[str] = frozenset()

    def fix_policy(self, unsafe: bool = False) -> Policy:
        from citelint.fixer import Policy

        return Policy(unsafe, self.fixable, self.unfixable, self.extend_safe_fixes, self.extend_unsafe_fixes)

    # Patterns from the command line, relative to the working folder, not to ``root``.
    cli_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True

    # Lint every Markdown file as a report (CIT001 when it has no Summary or Claims);
    # by default a file with no Summary, no claims table and no marker is skipped.
    require_report: bool = False
    # The reader to use ("auto": the one that fits each file; see citelint.readers).
    input_format: str = "auto"
    # How much of a file the reader reads (citelint.limits; CIT004 reports the rest).
    limits: Limits = field(default_factory=Limits)
    # Where a STORM article's sidecar is (see citelint.sidecars); None: beside it by STORM's naming.
    storm_sidecar: str | None = None

    def rules_for(self, path: str) -> tuple[Rule, ...]:
        ignored: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            if _glob_match(path, pattern, self.root):
                ignored |= codes
        return tuple(r for r in self.rules if r.code not in ignored)

    def excludes(self, path: str) -> bool:
        if any(_glob_match(path, pattern, self.root) for pattern in self.exclude):
            return True
        return bool(self.cli_exclude) and any(_glob_match(path, p, os.getcwd()) for p in self.cli_exclude)

    def describe(self) -> dict[str, Any]:
        """The resolved settings, for --show-settings."""
        return {
            "config": self.path,
            "root": self.root,
            "rules": {r.code: {"name": r.name, "severity": str(self.severity.get(r.code, r.severity))} for r in self.rules},
            "options": {code: dict(opts) for code, opts in self.options.items()},
            "per-file-ignores": {pattern: sorted(codes) for pattern, codes in self.per_file_ignores},
            "exclude": list(self.exclude) + list(self.cli_exclude),
            "respect-gitignore": self.respect_gitignore,
            "force-exclude": self.force_exclude,
            "fail-on": str(self.fail_on),
            "text-field": self.text_field,
            "id-field": self.id_field,
            "cache-dir": self.cache_dir,
            "fixable": sorted(self.fixable) if self.fixable is not None else "all",
            "unfixable": sorted(self.unfixable),
            "extend-safe-fixes": sorted(self.extend_safe_fixes),
            "extend-unsafe-fixes": sorted(self.extend_unsafe_fixes),
            "require-report": self.require_report,
            "format": self.input_format,
            "limits": {key: getattr(self.limits, name) for key, name in KEYS.items()},
            "storm-sidecar": self.storm_sidecar,
        }


def _glob_match(path: str, pattern: str, root: str) -> bool:
    """Match like .gitignore: a pattern with no '/' matches a file or folder name anywhere;
    one with a '/' matches the path relative to the configuration's folder."""
    import fnmatch

    rel = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    if rel.startswith("../"):
        rel = os.path.abspath(path).replace(os.sep, "/")
    parts = rel.split("/")
    pattern = pattern.rstrip("/")
    if "/" not in pattern:
        return any(fnmatch.fnmatchcase(p, pattern) for p in parts)
    pattern = pattern.lstrip("/").removeprefix("./")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatchcase(p, pattern) for p in prefixes) or fnmatch.fnmatchcase(rel, pattern)


def resolve(
    table: Mapping[str, Any] | None,
    path: str | None,
    rules: Sequence[Rule],
    overrides: Overrides = Overrides(),
    root: str | None = None,
) -> Settings:
    """Settings from a validated table (None: the defaults) and the command line."""
    table = table or {}
    where = path or "command line"
    if "select" in table:
        selected = _rules_named(table["select"], rules, where, "select")
    else:
        selected = {r.code for r in rules}
    selected |= _rules_named(table.get("extend-select", ()), rules, where, "extend-select")
    selected -= _rules_named(table.get("ignore", ()), rules, where, "ignore")
    if overrides.select is not None:
        selected = _rules_named(overrides.select, rules, "--select", "select")
    selected |= _rules_named(overrides.extend_select, rules, "--extend-select", "extend-select")
    selected -= _rules_named(overrides.ignore, rules, "--ignore", "ignore")

    severity: dict[str, Severity] = {}
    for spec, level in table.get("severity", {}).items():
        for code in _rules_named([spec], rules, where, f"severity.{spec}", indexed=False):
            severity[code] = Severity.parse(level)

    options: dict[str, dict[str, Any]] = {}
    for spec, values in table.get("options", {}).items():
        found = match_rules(spec, rules)
        if len(found) != 1:
            raise ConfigError(f"{_display(where)}: options.{spec}: name exactly one rule (a code or a name)")
        rule = found[0]
        checked: dict[str, Any] = dict(options.get(rule.code, {}))
        for key, value in values.items():
            option = rule.option(key)
            if option is None:
                names = [o.name for o in rule.options]
                hint = get_close_matches(key, names, n=1, cutoff=0.6)
                known = ", ".join(names) or "none"
                raise ConfigError(
                    f"{_display(where)}: options.{spec}.{key}: unknown option for {rule.code} {rule.name}"
                    + (f", did you mean '{hint[0]}'?" if hint else f" (its options: {known})")
                )
            try:
                checked[key] = option.check(value)
            except OptionError as exc:
                raise ConfigError(f"{_display(where)}: options.{spec}.{key}: {exc}") from None
        options[rule.code] = checked

    per_file = tuple(
        (pattern, frozenset(_rules_named(specs, rules, where, f"per-file-ignores.{pattern}")))
        for pattern, specs in table.get("per-file-ignores", {}).items()
    )
    fail_on = Severity.parse(overrides.fail_on or table.get("fail-on", "warning"))
    force = overrides.force_exclude if overrides.force_exclude is not None else bool(table.get("force-exclude", False))
    exclude = tuple(table.get("exclude", ())) + tuple(table.get("extend-exclude", ()))
    if overrides.exclude is not None:
        exclude = ()
    respect = overrides.respect_gitignore
    if respect is None:
        respect = bool(table.get("respect-gitignore", True))
    return Settings(
        path=path,
        root=root or (os.path.dirname(os.path.abspath(path)) if path else os.getcwd()),
        rules=tuple(r for r in rules if r.code in selected),
        severity=severity,
        options=options,
        per_file_ignores=per_file,
        exclude=exclude,
        force_exclude=force,
        fail_on=fail_on,
        text_field=table.get("text-field"),
        id_field=table.get("id-field"),
        cache_dir=os.path.join(os.path.dirname(os.path.abspath(path)), table["cache-dir"]) if path and "cache-dir" in table else None,
        fixable=frozenset(_rules_named(table["fixable"], rules, where, "fixable")) if "fixable" in table else None,
        unfixable=frozenset(_rules_named(table.get("unfixable", ()), rules, where, "unfixable")),
        extend_safe_fixes=frozenset(_rules_named(table.get("extend-safe-fixes", ()), rules, where, "extend-safe-fixes")),
        extend_unsafe_fixes=frozenset(
            _rules_named(table.get("extend-unsafe-fixes", ()), rules, where, "extend-unsafe-fixes")
        ),
        cli_exclude=(overrides.exclude or ()) + overrides.extend_exclude,
        respect_gitignore=respect,
        require_report=bool(table.get("require-report", False)),
        input_format=overrides.input_format or str(table.get("format", "auto")),
        limits=_limits(table.get("limits", {})),
        storm_sidecar=table.get("storm-sidecar"),
    )


def _limits(table: Mapping[str, Any]) -> Limits:
    """The ``limits`` table (its types and ranges are checked by the schema)."""
    return replace(Limits(), **{KEYS[key]: int(value) for key, value in table.items()})


def _short_repr(value: Any) -> str:
    # A hostile value can be megabytes long or nested beyond repr's recursion limit.
    try:
        text = repr(value)
    except RecursionError:
        return f"a deeply nested {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def find_config(directory: str) -> str | None:
    """The closest configuration file at or above ``directory``."""
    current = os.path.abspath(directory)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(current, name)
            if os.path.isfile(candidate):
                if name != "pyproject.toml" or _has_citelint_table(candidate):
                    return candidate
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _has_citelint_table(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            text = fh.read()
    except OSError:
        return False
    # A quick look before parsing: most pyproject.toml files have no citelint table, and
    # those that name citelint mostly do so as a dependency.
    if b"citelint" not in text or not (b"tool.citelint" in text or b"[tool]" in text):
        return False
    return read_table(path, text) is not None


class Resolver:
    """Settings for each linted path, from its closest configuration file."""

    def __init__(
        self,
        rules: Sequence[Rule],
        config: str | None = None,
        isolated: bool = False,
        overrides: Overrides = Overrides(),
    ) -> None:
        self.rules = rules
        self.isolated = isolated
        self.overrides = overrides
        self._by_file: dict[str | None, Settings] = {}
        self._by_dir: dict[str, str | None] = {}
        self.explicit = config
        if config is not None:
            if not os.path.isfile(config):
                raise ConfigError(f"{config}: no such configuration file")
            self._load(config)

    def _load(self, path: str | None) -> Settings:
        if path not in self._by_file:
            table = None
            if path is not None:
                raw = read_bytes(path)
                table = read_table(path, raw)
                if table is None:
                    if self.explicit == path:
                        raise ConfigError(f"{_display(path)}: has no [tool.citelint] table")
                    table = {}
                validate(table, path, raw, self.rules)
            self._by_file[path] = resolve(table, path, self.rules, self.overrides)
        return self._by_file[path]

    def config_for(self, path: str) -> str | None:
        if self.isolated:
            return None
        if self.explicit is not None:
            return self.explicit
        directory = os.path.dirname(os.path.abspath(path)) if path != "-" else os.getcwd()
        if directory not in self._by_dir:
            self._by_dir[directory] = find_config(directory)
        return self._by_dir[directory]

    def settings_for(self, path: str) -> Settings:
        return self._load(self.config_for(path))
