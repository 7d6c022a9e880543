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

import bisect
import itertools
import operator
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from citelint.config import match_rules
from citelint.finding import Edit, Finding, Fix, Hit
from citelint.model import Document, Span
from citelint.context import RuleContext
from citelint.registry import Rule, rule

UNUSED = "CIT900"
_OPEN, _CLOSE = "<!--", "-->"
_KIND_RE = re.compile(r"\s*citelint-(?P<kind>disable-next-line|disable-file|disable|enable)(?![\w-])")


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


def _in_code(doc: Document, offset: int) -> bool:
    """Whether ``offset`` lies in a code block or an inline code span: a comment shown
    there is documentation, not a directive."""
    code = doc.code
    i = bisect.bisect_right(code, (offset, len(doc.source) + 1)) - 1
    return i >= 0 and code[i][0] <= offset < code[i][1]


def directives(doc: Document, rules: Iterable[Rule]) -> list[Directive]:
    """The suppression comments of ``doc``, in order. One forward scan: an HTML comment
    ends at the first ``-->`` after its ``<!--``, and when there is none no later comment
    can close either, so unclosed comments cost one look each."""
    # Only the part of the file that was read (citelint.limits): nothing past it is checked,
    # so a comment there neither silences a finding nor is one.
    source = doc.source if doc.unread is None else doc.source[: doc.read_end]
    if "citelint-" not in source:
        return []
    known = list(rules)
    named: dict[str, list[Rule]] = {}
    found = []
    pos = source.find(_OPEN)
    close = -1
    while pos >= 0:
        if close < pos + len(_OPEN):  # openers shown in code share the close after them
            close = source.find(_CLOSE, pos + len(_OPEN))
            if close < 0:
                break
        end = close + len(_CLOSE)
        m = _KIND_RE.match(source, pos + len(_OPEN), close)
        if m is not None and not _in_code(doc, pos):
            body, _, reason = source[m.end() : close].partition("--")
            specs = tuple(s for s in re.split(r"[,\s]+", body.strip()) if s)
            codes: set[str] = set()
            unknown = []
            for spec in specs:
                matched = named.get(spec)
                if matched is None:
                    matched = named[spec] = match_rules(spec, known)
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
                    span=doc.span(pos, end),
                    text=" ".join(source[pos:end].split()),
                    start=pos,
                    end=end,
                )
            )
            pos = source.find(_OPEN, end)
        elif m is None and not _in_code(doc, pos):
            pos = source.find(_OPEN, end)  # another comment: what it holds is comment too
        else:
            pos = source.find(_OPEN, pos + len(_OPEN))  # shown in code: not a comment
    return found


class Usage(NamedTuple):
    """How a document's suppression comments were used: what the unused-suppression rule
    (or a plugin's "after" rule) reads."""

    directives: tuple[Directive, ...]
    used: frozenset[int]  # indices into ``directives`` of those that silenced a finding


class _Silencers:
    """Which directive silences a finding of a code on a line.

    Every kind is indexed so that one question costs a lookup or a bisection, never a walk
    over the other directives: a file may hold thousands of comments and findings.
    """

    def __init__(self, doc: Document, found: list[Directive], codes: Iterable[str]) -> None:
        self.file_all: int | None = None  # the first disable-file naming every rule
        self.file: dict[str, int] = {}  # code -> the first disable-file naming it
        self.line_all: dict[int, int] = {}  # line -> the first disable-next-line of every rule
        self.line: dict[tuple[int, str], int] = {}  # (line, code) -> the first naming it
        for i, d in enumerate(found):
            if d.kind == "disable-file":
                if d.codes is None:
                    self.file_all = i if self.file_all is None else self.file_all
                else:
                    for code in d.codes:
                        self.file.setdefault(code, i)
            elif d.kind == "disable-next-line":
                target = _next_nonblank(doc, d.span.end_line)
                if d.codes is None:
                    self.line_all.setdefault(target, i)
                else:
                    for code in d.codes:
                        self.line.setdefault((target, code), i)
        # Ranges, per code: an enable that names the code (or every rule) closes every open
        # range covering it, so the range that answers is the first disable covering the
        # code since the last such enable, up to the next one. One pass per code the
        # findings have (at most the number of rules).
        last = len(doc.lines.starts)
        self.ranges: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}
        if any(d.kind == "disable" for d in found):
            for code in codes:
                starts: list[int] = []
                spans: list[tuple[int, int]] = []  # (last line, directive index)
                first: int | None = None
                for i, d in enumerate(found):
                    if d.kind == "disable" and first is None and d.covers(code):
                        first = i
                    elif d.kind == "enable" and first is not None and d.covers(code):
                        starts.append(found[first].span.line)
                        spans.append((d.span.line, first))
                        first = None
                if first is not None:
                    starts.append(found[first].span.line)
                    spans.append((last, first))
                self.ranges[code] = (starts, spans)

        # The codes some directive other than a disable-file of every rule may silence: a
        # finding of any other code is answered at once (thousands of findings, a few
        # directives).
        self.named: frozenset[str] | None = (
            None if self.line_all else frozenset({c for _, c in self.line} | self.file.keys() | {c for c, (starts, _) in self.ranges.items() if starts})
        )

    def silencer(self, line: int, code: str) -> int | None:
        """The first directive (in file order) that silences ``code`` on ``line``."""
        named = self.named
        if named is not None and code not in named:
            return self.file_all
        candidates = [self.file_all, self.file.get(code), self.line_all.get(line), self.line.get((line, code))]
        indexed = self.ranges.get(code)
        if indexed is not None:
            starts, spans = indexed
            k = bisect.bisect_right(starts, line) - 1
            if k >= 0 and spans[k][0] >= line:
                candidates.append(spans[k][1])
        return min((c for c in candidates if c is not None), default=None)


def _next_nonblank(doc: Document, line: int) -> int:
    """The first line after ``line`` (1-based) that is not blank, past the end when none:
    what a disable-next-line comment ending on ``line`` silences. (A directive's own line
    is not blank, so the walks of two directives never cross the same lines: linear.)"""
    starts, source = doc.lines.starts, doc.source
    number = line + 1
    while number <= len(starts):
        end = starts[number] - 1 if number < len(starts) else len(source)
        if source[starts[number - 1] : end].strip():
            break
        number += 1
    return number


def apply(doc: Document, findings: list[Finding], rules: Iterable[Rule]) -> tuple[list[Finding], Usage]:
    """The findings the directives leave, and how the directives were used."""
    found = directives(doc, rules)
    if not found:
        return findings, Usage((), frozenset())
    silencers = _Silencers(doc, found, set(map(_CODE, findings)))
    used: set[int] = set()
    kept: list[Finding] = []
    named = silencers.named
    # A rule's findings stand together: those of a code no directive names are kept at once
    # (thousands of findings, a few directives).
    for code, group in itertools.groupby(findings, _CODE):
        if named is not None and code not in named and silencers.file_all is None:
            kept += group
            continue
        for f in group:
            hit = silencers.silencer(f.span.line, code)
            if hit is None:
                kept.append(f)
            else:
                used.add(hit)
    return kept, Usage(tuple(found), frozenset(used))


_CODE = operator.attrgetter("code")


@rule(
    UNUSED,
    "unused-suppression",
    "warning",
    "A citelint-disable comment silences nothing, or names a rule that does not exist.",
    fix="safe",
    after=True,
    formats=("*",),
)
def unused_suppression(ctx: RuleContext) -> Iterator[Hit]:
    """Runs after the other rules, on how their findings met the suppression comments."""
    usage = ctx.suppressions
    if usage is None:
        return
    for d in usage.directives:
        if not d.unknown:
            continue
        # One finding for all of a comment's unknown names, with one fix that drops them
        # all: a finding (and a rewritten comment) per name was quadratic in a comment of
        # thousands of names.
        distinct = list(dict.fromkeys(d.unknown))
        names = ", ".join(f"'{spec}'" for spec in distinct[:UNKNOWN_NAMED])
        more = len(distinct) - UNKNOWN_NAMED
        names += f" and {more} more" if more > 0 else ""
        rules = "rule" if len(distinct) == 1 else "rules"
        yield Hit(d.span, f"unknown {rules} {names} in {_quoted(d)}", fix=_without(ctx.doc, d, frozenset(distinct)))
    if ctx.doc.all_unread:
        return  # what a comment would silence may be in the text that was not read (CIT004)
    for i, d in enumerate(usage.directives):
        if d.kind == "enable" or i in usage.used:
            continue
        if d.codes is not None and not any(ctx.enabled(code) for code in d.codes):
            continue  # it names only rules this run does not select
        if d.codes is not None and not d.codes and d.unknown:
            continue  # already reported as unknown
        yield Hit(d.span, f"suppression silenced nothing: {_quoted(d)}", fix=_removal(ctx.doc, d))


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
    return Fix((Edit(start, end, ""),), f"remove the comment {_quoted(d)}")


# How many unknown names one finding lists, and how much of a comment a message quotes.
UNKNOWN_NAMED = 5
QUOTED = 120


def _quoted(d: Directive) -> str:
    return d.text if len(d.text) <= QUOTED else d.text[: QUOTED - 3] + "..."


def _without(doc: Document, d: Directive, unknown: frozenset[str]) -> Fix:
    """Drop the unknown rules from the comment's list (the whole comment when it names no
    other rule: emptied, it would silence every rule)."""
    kept = [s for s in d.specs if s not in unknown]
    if not kept:
        return _removal(doc, d)
    reason = f" -- {d.reason}" if d.reason else ""
    text = f"<!-- citelint-{d.kind} {', '.join(kept)}{reason} -->"
    dropped = f"'{next(iter(unknown))}'" if len(unknown) == 1 else "the unknown rules"
    return Fix((Edit(d.start, d.end, text),), f"remove {dropped} from the comment")
