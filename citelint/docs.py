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


# The parts of the rule book and the README that are generated from each rule's declaration
# (``python -m citelint.docs`` rewrites them; a test checks that they are up to date).
_FIX_WORDS = {
    "none": "none",
    "display": "suggestion only (never applied)",
    "safe": "safe (`--fix`)",
    "unsafe": "unsafe (`--fix --unsafe-fixes`)",
    "sometimes": "safe or unsafe, per finding",
}


def header(rule: Rule) -> str:
    """A page's first lines: title, severity, fix safety and summary."""
    return f"# {rule.code} {rule.name}\n\n**Severity:** {rule.severity}. **Fix:** {_FIX_WORDS[rule.fix]}. {rule.summary}\n"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    if isinstance(value, str):
        return f'"{value}"'
    return f"{value}"


def options_section(rule: Rule) -> str:
    """A page's '## Options' section, from the options the rule declares."""
    if not rule.options:
        return "## Options\n\nNone.\n"
    lines = ["## Options", ""]
    lines += [f"- `{o.name}` ({o.describe_type()}, default `{_value(o.default)}`): {o.meaning}" for o in rule.options]
    return "\n".join(lines) + "\n"


def sync_page(text: str, rule: Rule) -> str:
    """``text`` with its generated header and Options section rewritten from ``rule``."""
    body = text[text.find("\n## ") + 1 :] if "\n## " in text else ""
    start = _section_start(body, "Options")
    if start >= 0:
        end = _section_start(body, None, start + 1)
        body = body[:start] + options_section(rule) + ("\n" + body[end:] if end >= 0 else "")
    else:
        body = body.rstrip("\n") + "\n\n" + options_section(rule)
    return header(rule) + "\n" + body


def _section_start(body: str, title: str | None, after: int = 0) -> int:
    """Where the '## title' line (any '## ' line when title is None) starts at or after
    ``after``, outside fenced examples; -1 when there is none."""
    pos, in_fence = 0, False
    for line in body.splitlines(keepends=True):
        if line.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and pos >= after and line.startswith("## "):
            if title is None or line[3:].strip() == title:
                return pos
        pos += len(line)
    return -1


def readme_table(rules: tuple[Rule, ...]) -> str:
    """The README's table of rules."""
    lines = ["| code | name | severity | fix | checks |", "|---|---|---|---|---|"]
    for r in rules:
        lines.append(f"| {r.code} | {r.name} | {r.severity} | {r.fix} | {r.summary} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Rewrite the generated parts of rules/*.md and README.md in a source checkout."""
    import re

    from citelint.registry import load_rules

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rules = load_rules()
    for r in rules:
        path = os.path.join(root, "rules", f"{r.code}.md")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(sync_page(text, r))
    readme = os.path.join(root, "README.md")
    with open(readme, encoding="utf-8") as fh:
        text = fh.read()
    text = re.sub(r"\| code \| name \| severity \|.*?\n(?=\n)", lambda m: readme_table(rules), text, count=1, flags=re.S)
    with open(readme, "w", encoding="utf-8") as fh:
        fh.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
