"""The rule book: one Markdown page per rule, shipped inside the package."""
from __future__ import annotations

import os
from difflib import get_close_matches

from citelint.registry import Rule


def page(code: str) -> str | None:
    """The page of rule ``code``, from the installed package or, in a source checkout that
    was not installed, from the rules/ folder beside the package."""
    name = f"{code}.md"
    try:
        from importlib.resources import files

        return (files("citelint.rulebook") / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        pass
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "rules", name)
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        return None


def find_rule(rules: tuple[Rule, ...], wanted: str) -> Rule | None:
    """A rule by its code or kebab-case name, in any case."""
    key = wanted.strip().lower()
    return next((r for r in rules if key in (r.code.lower(), r.name)), None)


def suggest(rules: tuple[Rule, ...], wanted: str) -> str | None:
    names = [r.code for r in rules] + [r.name for r in rules]
    close = get_close_matches(wanted.strip(), names, n=1, cutoff=0.6)
    return close[0] if close else None
