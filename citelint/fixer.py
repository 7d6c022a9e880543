"""Applying fixes: the bounded fix loop, its safety checks, and writing a file back.

Designed against what users of other linters complain about: fixes are applied in passes
until nothing changes (bounded, and a file that does not settle is reported); an edit that
overlaps one already taken waits for the next pass instead of being lost; after every pass
the text is parsed and linted again, and a pass that breaks the report's structure is
undone (its fixes are then tried one by one, and a fix that breaks it alone is dropped and
reported); a pass breaks the report when it loses a section, a citation or rows it should
keep, or when any rule finds more than before; unsafe fixes are applied only when asked; the findings left are always reported.
Edits index the document's source (no byte-order mark, LF line ends); they are mapped onto
the file's own text, so a CRLF file stays CRLF, the mark stays, and bytes outside the edits
never change.
"""
from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from citelint.finding import Applicability, Edit, Finding, Fix
from citelint.model import Document

MAX_PASSES = 100
# A broken pass has its fixes retried one at a time, at most this many per pass.
_MAX_SINGLE_TRIES = 50


class Policy(NamedTuple):
    """Which fixes may be applied: ``unsafe`` adds unsafe fixes (--unsafe-fixes); the code
    sets come from the configuration (fixable, unfixable, extend-safe-fixes,
    extend-unsafe-fixes, as in ruff)."""

    unsafe: bool = False
    fixable: frozenset[str] | None = None  # None: every rule may fix
    unfixable: frozenset[str] = frozenset()
    extend_safe: frozenset[str] = frozenset()
    extend_unsafe: frozenset[str] = frozenset()

    def applicability(self, finding: Finding) -> Applicability | None:
        """How safe the finding's fix counts as under this policy; None when it has none or
        its rule may not fix."""
        fix = finding.fix
        if fix is None or not fix.edits or fix.applicability is Applicability.DISPLAY:
            return None
        code = finding.code
        if code in self.unfixable or (self.fixable is not None and code not in self.fixable):
            return None
        if code in self.extend_unsafe:
            return Applicability.UNSAFE
        if code in self.extend_safe:
            return Applicability.SAFE
        return fix.applicability

    def applies(self, finding: Finding) -> bool:
        level = self.applicability(finding)
        return level is Applicability.SAFE or (level is Applicability.UNSAFE and self.unsafe)


class Outcome(NamedTuple):
    """The fixed text (in the file's own form), the findings left in it, what was applied
    per rule code, and what went wrong (a pass that did not settle, a fix undone)."""

    text: str
    findings: list[Finding]
    applied: Counter[str]
    problems: list[str]

    @property
    def changed(self) -> bool:
        return sum(self.applied.values()) > 0


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """``source`` with non-overlapping ``edits`` applied (in any order given)."""
    out: list[str] = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < cursor:
            raise ValueError(f"edits overlap at offset {edit.start}")
        out.append(source[cursor : edit.start])
        out.append(edit.text)
        cursor = edit.end
    out.append(source[cursor:])
    return "".join(out)


class _Form(NamedTuple):
    """How a file's text differs from the document source that edits index: a leading
    byte-order mark, and the source offsets of line ends written CRLF in the file."""

    bom: str
    crlf: list[int]
    newline: str  # how a new line break in a replacement is written

    @classmethod
    def of(cls, text: str) -> _Form:
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        crlf = []
        pos, removed = text.find("\r\n", len(bom)), 0
        while pos >= 0:
            crlf.append(pos - len(bom) - removed)
            removed += 1
            pos = text.find("\r\n", pos + 2)
        bare = text.count("\n") - len(crlf)
        return cls(bom, crlf, "\r\n" if len(crlf) > bare else "\n")

    def offset(self, source_offset: int) -> int:
        """Where a source offset lies in the file's text."""
        return len(self.bom) + source_offset + bisect.bisect_left(self.crlf, source_offset)

    def edit(self, e: Edit) -> Edit:
        text = e.text.replace("\n", self.newline) if self.newline != "\n" else e.text
        return Edit(self.offset(e.start), self.offset(e.end), text)


class _Taken:
    """The edits a pass has taken, disjoint and sorted, so that asking whether a new edit
    overlaps one of them is a bisection, not a walk over them all."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, e: Edit) -> bool:
        # Ranges that share a character overlap; so do two insertions at one place, or an
        # insertion inside a replaced range (their order would be a guess). Ranges that
        # only touch do not.
        i = bisect.bisect_left(self.starts, e.start)
        for j in (i - 1, i, i + 1):
            if 0 <= j < len(self.starts):
                s, t = self.starts[j], self.ends[j]
                if s < e.end and e.start < t or s == t == e.start == e.end:
                    return True
                if s == t and e.start < s < e.end or e.start == e.end and s < e.start < t:
                    return True
        return False

    def add(self, e: Edit) -> None:
        i = bisect.bisect_left(self.starts, e.start)
        self.starts.insert(i, e.start)
        self.ends.insert(i, e.end)


def _self_overlapping(fix: Fix) -> bool:
    own = _Taken()
    for e in fix.edits:
        if own.overlaps(e):
            return True
        own.add(e)
    return False


def choose(findings: Sequence[Finding], policy: Policy, rejected: set[tuple[str, Fix]]) -> list[Finding]:
    """The fixes of one pass: applicable, not rejected before, and overlapping none taken
    earlier in the pass (the rest wait for the next pass, after the text is linted again).
    A fix that several findings share (one repair of the whole table) is taken once."""
    taken: list[Finding] = []
    seen: set[int] = set()
    edits = _Taken()
    for f in sorted(findings, key=lambda f: (f.fix.start if f.fix else 0, f.code)):
        fix = f.fix
        if fix is None or id(fix) in seen or not policy.applies(f) or (f.code, fix) in rejected:
            continue
        seen.add(id(fix))
        if _self_overlapping(fix):
            continue  # a fix whose own edits overlap is a rule bug: never apply it
        if any(edits.overlaps(e) for e in fix.edits):
            continue
        taken.append(f)
        for e in fix.edits:
            edits.add(e)
    return taken


Lint = Callable[[str], tuple[Document, list[Finding]]]


def _structure(doc: Document) -> tuple[object, ...]:
    """What a fix must never change: the sections, whether there is a summary and a claims
    table, and how many citations the summary makes."""
    summary = doc.summary
    return (
        tuple(s.title.lower() for s in doc.sections),
        summary is not None,
        doc.claims is not None,
        len(summary.clauses) if summary is not None else 0,
    )


def _rows_removed(doc: Document, edits: Iterable[Edit]) -> int:
    """How many whole claim-table rows (with their line break) the edits delete."""
    deletions = sorted((e.start, e.end) for e in edits if not e.text)
    if not deletions:
        return 0
    starts = [d[0] for d in deletions]
    count = 0
    for row in doc.rows:
        start = doc.lines.starts[row.line - 1]
        line_end = doc.source.find("\n", start)
        end = len(doc.source) if line_end < 0 else line_end + 1
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and deletions[i][1] >= end:
            count += 1
    return count


def _breaks(
    before: Document,
    before_found: list[Finding],
    after: Document,
    after_found: list[Finding],
    removed: int,
    policy: Policy,
) -> str | None:
    """Why the text after a pass is worse than before it, or None."""
    if _structure(after) != _structure(before):
        return "it changed the report's sections or citations"
    if len(after.rows) != len(before.rows) - removed:
        return "it changed the claims table's rows"
    # A repair must leave nothing new behind that a later pass cannot repair: a re-pointed
    # marker that leaves its old row uncited, or a separated stop that leaves a sentence
    # without a marker, is undone (the finding it repairs stays, and the fix is named as
    # not applied). Two claims that one repair makes identical are fine: the duplicate's
    # own fix merges them in the next pass, when unsafe fixes are allowed.
    found_before = Counter(f.code for f in before_found if not policy.applies(f))
    found_after = Counter(f.code for f in after_found if not policy.applies(f))
    new = sorted(code for code in found_after if found_after[code] > found_before[code])
    if new:
        return f"it introduced {', '.join(new)}"
    return None


def fix_text(text: str, lint: Lint, policy: Policy, max_passes: int = MAX_PASSES) -> Outcome:
    """Fix ``text`` (a file's text: byte-order mark and CRLF kept) with the findings that
    ``lint`` gives, until no applicable fix is left or ``max_passes`` passes have run."""
    applied: Counter[str] = Counter()
    problems: list[str] = []
    rejected: set[tuple[str, Fix]] = set()
    try:
        doc, found = lint(text)
    except Exception as exc:  # a file the parser fails on is reported, never fixed
        return Outcome(text, [], applied, [f"not fixed: it cannot be parsed ({type(exc).__name__})"])
    for _ in range(max_passes):
        chosen = choose(found, policy, rejected)
        if not chosen:
            return Outcome(text, found, applied, problems)
        result = _try(text, doc, found, chosen, lint, policy)
        if result is not None:
            text, doc, found = result
            applied.update(f.code for f in chosen)
            continue
        # The pass as a whole broke the report: take its fixes one at a time.
        progress = False
        for f in chosen[:_MAX_SINGLE_TRIES]:
            assert f.fix is not None
            single = _try(text, doc, found, [f], lint, policy)
            if single is None:
                rejected.add((f.code, f.fix))
                why = _why(text, doc, found, f, lint, policy)
                problems.append(f"{f.line}:{f.col}: the fix of {f.code} was not applied: {why}")
                continue
            text, doc, found = single
            applied[f.code] += 1
            progress = True
            break  # the other fixes' edits index the old text: lint again first
        if not progress and len(chosen) > _MAX_SINGLE_TRIES:
            break
    else:
        problems.append(f"fixes did not settle after {max_passes} passes; the findings left are reported")
    return Outcome(text, found, applied, problems)


def _try(
    text: str, doc: Document, found: list[Finding], chosen: Sequence[Finding], lint: Lint, policy: Policy
) -> tuple[str, Document, list[Finding]] | None:
    edits = [e for f in chosen if f.fix is not None for e in f.fix.edits]
    form = _Form.of(text)
    new_text = apply_edits(text, [form.edit(e) for e in edits])
    if new_text == text:
        return None
    try:
        new_doc, new_found = lint(new_text)
    except Exception:
        return None
    if _breaks(doc, found, new_doc, new_found, _rows_removed(doc, edits), policy) is not None:
        return None
    return new_text, new_doc, new_found


def _why(text: str, doc: Document, found: list[Finding], f: Finding, lint: Lint, policy: Policy) -> str:
    """Why one fix, alone, is refused (for the report)."""
    assert f.fix is not None
    form = _Form.of(text)
    new_text = apply_edits(text, [form.edit(e) for e in f.fix.edits])
    if new_text == text:
        return "it changes nothing"
    try:
        new_doc, new_found = lint(new_text)
    except Exception as exc:
        return f"the result cannot be parsed ({type(exc).__name__})"
    return _breaks(doc, found, new_doc, new_found, _rows_removed(doc, f.fix.edits), policy) or "it conflicts with another fix"


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff that ``patch -p0`` and ``git apply -p0`` apply (both sides named
    ``path``; a last line without a line break is marked as such)."""
    import difflib

    def lines(text: str) -> list[str]:
        out = text.splitlines(keepends=True)
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n\\ No newline at end of file\n"
        return out

    return "".join(difflib.unified_diff(lines(before), lines(after), path, path))


class WriteError(Exception):
    """A fixed file that could not be written back; str() is the one-line reason."""


def write_back(path: str, original: bytes, text: str) -> None:
    """Replace the file at ``path`` with ``text`` (UTF-8), atomically: a temporary file
    beside it, with its mode, renamed over it. Refused when the file is read-only or no
    longer holds ``original`` (it changed on disk while it was being linted)."""
    import os
    import stat

    from citelint import atomic

    path = os.path.realpath(path)  # a symlink stays a symlink: its target is fixed
    try:
        st = os.stat(path)
    except OSError as exc:
        raise WriteError(f"cannot fix: {exc.strerror or exc}") from None
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise WriteError("file is read-only; not fixed")
    try:
        with open(path, "rb") as fh:
            current = fh.read()
    except OSError as exc:
        raise WriteError(f"cannot fix: {exc.strerror or exc}") from None
    if current != original:
        raise WriteError("file changed on disk while it was being fixed; not overwritten")
    try:
        atomic.replace(path, text.encode("utf-8", "surrogatepass"), stat.S_IMODE(st.st_mode))
    except OSError as exc:
        raise WriteError(f"cannot fix: {exc.strerror or exc}") from None
