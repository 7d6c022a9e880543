"""Inline suppression with HTML comments, which rendered Markdown does not show.

    <!-- citelint-disable CIT401, CIT402 -- these names are real -->
    ...
    <!-- citelint-enable -->
    <!-- citelint-disable-next-line merged-words -->
    <!-- citelint-disable-file CIT105 -->

No rule named means every rule. A directive that silences nothing, or names a rule that does
not exist, is itself reported (CIT900), so that stale comments do not pile up.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from citelint.config import match_rules
from citelint.finding import Edit, Finding, Fix, Hit
from citelint.model import Document, Span
from citelint.context import RuleContext
from citelint.registry import Rule, rule

UNUSED = "CIT900"
_DIRECTIVE_RE = re.compile(
    r"<!--\s*citelint-(?P<kind>disable-next-line|disable-file|disable|enable)(?![\w-])(?P<body>.*?)-->", re.S
)


class Directive(NamedTuple):
    kind: str  # "disable", "enable", "disable-next-line" or "disable-file"
    specs: tuple[str, ...]  # the rules as written; empty means every rule
    codes: frozenset[str] | None  # the codes they name; None means every rule
    unknown: tuple[str, ...]  # names that match no rule
    reason: str | None
    span: Span
    text: str
    start: int = 0  # offsets of the comment in the source
    end: int = 0

    def covers(self, code: str) -> bool:
        return self.codes is None or code in self.codes


def directives(doc: Document, rules: Iterable[Rule]) -> list[Directive]:
    if "citelint-" not in doc.source:
        return []
    known = list(rules)
    found = []
    for m in _DIRECTIVE_RE.finditer(doc.source):
        body, _, reason = m.group("body").partition("--")
        specs = tuple(s for s in re.split(r"[,\s]+", body.strip()) if s)
        codes: set[str] = set()
        unknown = []
        for spec in specs:
            matched = match_rules(spec, known)
            if matched:
                codes.update(r.code for r in matched)
            else:
                unknown.append(spec)
        found.append(
            Directive(
                kind=m.group("kind"),
                specs=specs,
                codes=frozenset(codes) if specs else None,
                unknown=tuple(unknown),
                reason=reason.strip() or None,
                span=doc.span(m.start(), m.end()),
                text=" ".join(m.group(0).split()),
                start=m.start(),
                end=m.end(),
            )
        )
    return found


def _scopes(doc: Document, found: list[Directive]) -> list[tuple[Directive, int, int]]:
    """(directive, first line, last line) of every disabling directive, in one pass: an
    enable closes the open disables it names."""
    last_line = len(doc.lines.starts)
    lines = doc.source.split("\n")
    scopes: list[tuple[Directive, int, int]] = []
    open_ranges: list[Directive] = []
    for d in found:
        if d.kind == "disable-file":
            scopes.append((d, 1, last_line))
        elif d.kind == "disable-next-line":
            target = d.span.end_line + 1
            while target <= last_line and not lines[target - 1].strip():
                target += 1
            scopes.append((d, target, target))
        elif d.kind == "disable":
            open_ranges.append(d)
        else:  # enable
            still_open = []
            for opened in open_ranges:
                if d.codes is None or opened.codes is None or d.codes & opened.codes:
                    scopes.append((opened, opened.span.line, d.span.line))
                else:
                    still_open.append(opened)
            open_ranges = still_open
    scopes.extend((d, d.span.line, last_line) for d in open_ranges)
    return scopes


class Usage(NamedTuple):
    """How a document's suppression comments were used: what the unused-suppression rule
    (or a plugin's "after" rule) reads."""

    directives: tuple[Directive, ...]
    # (directive, first line, last line) of each scope a directive opened.
    scopes: tuple[tuple[Directive, int, int], ...]
    used: frozenset[int]  # indices into ``scopes`` of the scopes that silenced a finding


def apply(doc: Document, findings: list[Finding], rules: Iterable[Rule]) -> tuple[list[Finding], Usage]:
    """The findings the directives leave, and how the directives were used."""
    found = directives(doc, rules)
    if not found:
        return findings, Usage((), (), frozenset())
    scopes = _scopes(doc, found)
    # Scopes by the lines they start on; a sweep over the findings in line order keeps the
    # scopes that cover the current line, so the work is findings plus scopes, not their product.
    starts = sorted(range(len(scopes)), key=lambda i: scopes[i][1])
    used: set[int] = set()
    kept = []
    active: list[int] = []
    pointer = 0
    for f in sorted(findings, key=lambda f: f.span.line):
        while pointer < len(starts) and scopes[starts[pointer]][1] <= f.span.line:
            active.append(starts[pointer])
            pointer += 1
        active = [i for i in active if scopes[i][2] >= f.span.line]
        hit = next((i for i in sorted(active) if scopes[i][0].covers(f.code)), None)
        if hit is None:
            kept.append(f)
        else:
            used.add(hit)
    return kept, Usage(tuple(found), tuple(scopes), frozenset(used))


@rule(
    UNUSED,
    "unused-suppression",
    "warning",
    "A citelint-disable comment silences nothing, or names a rule that does not exist.",
    fix="safe",
    after=True,
)
def unused_suppression(ctx: RuleContext) -> Iterator[Hit]:
    """Runs after the other rules, on how their findings met the suppression comments."""
    usage = ctx.suppressions
    if usage is None:
        return
    for d in usage.directives:
        for spec in d.unknown:
            yield Hit(d.span, f"unknown rule '{spec}' in {d.text}", fix=_without(ctx.doc, d, spec))
    for i, (d, _, _) in enumerate(usage.scopes):
        if i in usage.used:
            continue
        if d.codes is not None and not any(ctx.enabled(code) for code in d.codes):
            continue  # it names only rules this run does not select
        if d.codes is not None and not d.codes and d.unknown:
            continue  # already reported as unknown
        yield Hit(d.span, f"suppression silenced nothing: {d.text}", fix=_removal(ctx.doc, d))


def _removal(doc: Document, d: Directive) -> Fix:
    """Delete the comment; with its line when it stands alone there."""
    source = doc.source
    line_start = source.rfind("\n", 0, d.start) + 1
    line_end = source.find("\n", d.end)
    line_end = len(source) if line_end < 0 else line_end
    if not source[line_start : d.start].strip() and not source[d.end : line_end].strip():
        start, end = line_start, min(line_end + 1, len(source))
    else:
        start, end = d.start, d.end
    return Fix((Edit(start, end, ""),), f"remove the comment {d.text}")


def _without(doc: Document, d: Directive, spec: str) -> Fix:
    """Drop an unknown rule from the comment's list (the whole comment when it names no
    other rule: emptied, it would silence every rule)."""
    kept = [s for s in d.specs if s != spec]
    if not kept:
        return _removal(doc, d)
    reason = f" -- {d.reason}" if d.reason else ""
    text = f"<!-- citelint-{d.kind} {', '.join(kept)}{reason} -->"
    return Fix((Edit(d.start, d.end, text),), f"remove '{spec}' from the comment")
