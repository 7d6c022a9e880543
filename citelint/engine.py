"""Run rules over a parsed document."""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Any

from citelint import suppression
from citelint.context import RuleContext, RunPlan
from citelint.finding import Edit, Finding, Fix, Hit, Severity
from citelint.model import Document, Span
from citelint.registry import Rule

INTERNAL_ERROR = "CIT000"
# Finding.sort_key, read in C (a report of thousands of findings is sorted twice a run).
_ORDER = attrgetter("path", "span.line", "span.col", "code")
# Finding's fields, in order: the engine builds each finding's __dict__ directly.
FINDING_FIELDS = ("path", "span", "code", "name", "severity", "message", "related", "fix", "record")
assert tuple(Finding.__dataclass_fields__) == FINDING_FIELDS


def plan(rules: Sequence[Rule], options: Mapping[str, Mapping[str, Any]] | None = None) -> RunPlan:
    """The rules to run with their options: each rule's defaults under the configured values."""
    options = options or {}
    resolved = {r.code: {**r.defaults, **options.get(r.code, {})} if r.code in options else r.defaults for r in rules}
    return RunPlan(tuple(rules), resolved)


def _one_line(message: str) -> str:
    """A message as one line: a rule quoting text that spans lines (a marker whose tag
    wraps) must not split a finding over two lines of output."""
    return "".join(ch if ch.isprintable() else " " for ch in message)


def _positioned(doc: Document, fix: Fix) -> Fix:
    """The fix with each edit's place as lines and columns, for reporters and editors."""
    edits = tuple(Edit(e.start, e.end, e.text, doc.span(e.start, e.end)) for e in fix.edits)
    return Fix(edits, fix.description, fix.applicability)


def _still_placed(doc: Document, fix: Fix) -> bool:
    """Whether each edit of a positioned fix is on one line and stands where ``doc.span``
    places its offsets in ``doc`` (its line starts where it did, and holds the edit)."""
    starts = doc.lines.starts
    last = len(starts)
    for e in fix.edits:
        span = e.span
        if span is None or span.line != span.end_line or not 0 < span.line <= last:
            return False
        base = starts[span.line - 1] - 1
        if e.start - base != span.col or e.end - base != span.end_col or (span.line < last and e.end >= starts[span.line]):
            return False
    return True


# At most this many findings of the "after" rules are inserted into the sorted list one by
# one; more are sorted with it.
_INSERTED = 256
# Documents whose last run's positioned fixes and findings a memo session keeps (``_keep``).
_POSITIONED_KEPT = 8


def _last_runs(name: str) -> dict[str, Any] | None:
    """In a memo session, what the last runs left under ``name``, per document path
    (``_keep``); None outside one."""
    from citelint import memo

    session = memo.active()
    return None if session is None else session.kept(name, dict)


def _keep(runs: dict[str, Any], path: str, value: Any) -> None:
    """Keep ``value`` as the last run's of ``path``, for the _POSITIONED_KEPT documents
    linted last."""
    if len(runs) >= _POSITIONED_KEPT:
        del runs[next(iter(runs))]  # the least recently linted
    runs[path] = value


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
    severity = severity or {}
    # Only the rules that can read this format run on it (a claims-table rule on an
    # endnotes report would only say the table is missing).
    known = known or rules
    rules = [r for r in rules if r.runs_on(doc.format)]
    # ... and of those, the rules that read a quote or a passage only where the sources give one.
    if any(r.needs for r in rules):
        from citelint.citations import provides

        rules = [r for r in rules if not r.needs or provides(doc, r.needs)]
    run = plan(rules, options)
    memo: dict[object, Any] = {}
    new, set_ = object.__new__, object.__setattr__
    positioned: dict[int, tuple[Fix, Fix]] = {}
    # In a memo session (a server's re-lint), last run's positioned fixes of this document:
    # a rule's kept hit (``units.each``) carries the very fix, still placed where it was.
    kept_fixes: dict[str, dict[int, tuple[Fix, Fix]]] | None = _last_runs("engine-positioned")
    last = kept_fixes.pop(doc.path, {}) if kept_fixes is not None else {}
    # ... and last run's findings by their hit: a rule's kept hit (``units.each``) is the
    # very object, and so is its finding while the rule, path and severity are the same.
    kept_findings: dict[str, dict[int, tuple[Hit, Finding]]] | None = _last_runs("engine-findings")
    last_found = kept_findings.pop(doc.path, {}) if kept_findings is not None else {}
    made: dict[int, tuple[Hit, Finding]] = {}
    findings: list[Finding] = []

    def run_rule(rule: Rule, ctx: RuleContext) -> list[Finding]:
        level = severity.get(rule.code, rule.severity)
        path, code, name = doc.path, rule.code, rule.name
        found: list[Finding] = []
        try:
            hits: Iterable[Hit] = rule.check(ctx)
            for hit in hits:
                had = last_found.get(id(hit))
                if had is not None and had[0] is hit:
                    finding = had[1]
                    if finding.code is code and finding.severity is level and finding.path == path and hit.fix is None:
                        made[id(hit)] = had
                        found.append(finding)
                        continue
                fix = None
                if hit.fix is not None:
                    # A fix several findings share (one repair of the whole table) is
                    # positioned once.
                    entry = positioned.get(id(hit.fix))
                    if entry is None or entry[0] is not hit.fix:  # (an id is reused once freed)
                        entry = last.get(id(hit.fix))  # (held there: its id is not reused)
                        if entry is None or entry[0] is not hit.fix or not _still_placed(doc, entry[1]):
                            entry = (hit.fix, _positioned(doc, hit.fix))
                        positioned[id(hit.fix)] = entry
                    fix = entry[1]
                message = hit.message if hit.message.isprintable() else _one_line(hit.message)
                # Finding(doc.path, hit.span, rule.code, ...) without the frozen dataclass's
                # __init__ (a report of thousands of rows has thousands of findings, each run).
                finding = new(Finding)
                set_(
                    finding,
                    "__dict__",
                    {
                        "path": path,
                        "span": hit.span,
                        "code": code,
                        "name": name,
                        "severity": level,
                        "message": message,
                        "related": hit.related,
                        "fix": fix,
                        "record": None,
                    },
                )
                if kept_findings is not None:
                    made[id(hit)] = (hit, finding)  # (held with its hit: the id is not reused)
                found.append(finding)
        except Exception as exc:  # one broken rule must not take the run down
            found.append(
                Finding(
                    doc.path,
                    Span(1, 1, 1, 1),
                    INTERNAL_ERROR,
                    "internal-error",
                    Severity.ERROR,
                    f"rule {rule.code} ({rule.name}) failed on this file: {type(exc).__name__}: {exc}",
                )
            )
        return found

    after = []
    for rule in rules:
        if rule.after:
            after.append(rule)  # it reads the other rules' findings: it runs last
        else:
            findings.extend(run_rule(rule, RuleContext(doc, rule, run, memo)))
    if kept_fixes is not None:
        _keep(kept_fixes, doc.path, positioned)
    kept, usage = suppression.apply(doc, findings, known)
    kept.sort(key=_ORDER)
    seen = tuple(kept)
    late: list[Finding] = []
    for rule in after:
        late.extend(run_rule(rule, RuleContext(doc, rule, run, memo, seen, usage)))
    if len(late) <= _INSERTED:
        # The "after" rules' few findings put in their places, each after the equal ones
        # before it: what a stable sort of the whole list gives, without sorting thousands
        # again (at most _INSERTED moves of the list: linear).
        for f in late:
            bisect.insort_right(kept, f, key=_ORDER)
    else:
        kept.extend(late)
        kept.sort(key=_ORDER)
    if kept_findings is not None:
        _keep(kept_findings, doc.path, made)
    return kept
