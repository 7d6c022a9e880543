"""The Python API, for pipelines that generate reports."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from collections import Counter

from citelint import engine, fixer, reading, readers
from citelint.config import Resolver, Settings
from citelint.finding import Finding, Severity
from citelint.model import Document, Span
from citelint.registry import Rule, load_rules

READ_ERROR = "CIT999"


class FileError(NamedTuple):
    path: str
    message: str

    def as_finding(self) -> Finding:
        return Finding(self.path, Span(1, 1, 1, 1), READ_ERROR, "read-error", Severity.ERROR, self.message)


@dataclass
class Result:
    """What a run found: findings, files that could not be read, files linted, and with
    fixing on, what was fixed."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: int = 0
    paths: list[str] = field(default_factory=list)  # the files linted, in order
    # Every file named or found, linted or not (unreadable, excluded): what -o must not be.
    inputs: list[str] = field(default_factory=list)
    # Whether a finding reached its file's fail-on severity.
    failed: bool = False
    # Markdown files skipped as not reports (no Summary, no claims table, no marker), in
    # order; they are not counted in ``files``. ``require-report = true`` lints them.
    not_reports: list[str] = field(default_factory=list)
    fixed: Counter[str] = field(default_factory=Counter)  # fixes applied, per rule code
    changed: list[str] = field(default_factory=list)  # files a fix changed (or would: --diff)
    diffs: list[str] = field(default_factory=list)  # unified diffs, with --diff
    fix_problems: list[tuple[str, str]] = field(default_factory=list)  # (path, what went wrong)
    stdin_fixed: str | None = None  # standard input's fixed text, with --fix


class FixMode(NamedTuple):
    """How a run fixes: ``diff`` only shows the change; ``unsafe`` adds unsafe fixes."""

    diff: bool = False
    unsafe: bool = False


class FileOutcome(NamedTuple):
    findings: list[Finding]
    error: FileError | None
    fixed: Counter[str] = Counter()
    diff: str | None = None
    problems: tuple[str, ...] = ()
    fixed_text: str | None = None  # standard input's fixed text
    report: bool = True  # False: a Markdown file that is not a report, skipped


def _read(text: str, path: str, settings: Settings | None) -> Document:
    """``text`` read by the reader the settings name (``format``, ``storm-sidecar``), or
    readers.ReaderError."""
    if settings is None:
        return readers.read(text, path)
    return readers.read(text, path, settings.input_format, settings.storm_sidecar, settings.limits)


def lint_text(
    text: str, path: str = "<string>", rules: Sequence[Rule] | None = None, settings: Settings | None = None
) -> list[Finding]:
    """Findings for one report given as text, sorted by line and column. ``settings``
    (from ``citelint.config``) select rules, severities and options; by default every
    installed rule runs with its defaults. The text is linted as a report even when it
    does not look like one (the caller says it is: CIT001 names what it lacks).
    readers.ReaderError when it cannot be read as its format (a broken STORM sidecar)."""
    known = load_rules() if rules is None else rules
    doc = _read(text, path, settings)
    if settings is None:
        return engine.check_document(doc, known)
    return engine.check_document(doc, settings.rules_for(path), settings.options, settings.severity, known)


def fix_text(
    text: str,
    path: str = "<string>",
    settings: Settings | None = None,
    unsafe: bool = False,
    rules: Sequence[Rule] | None = None,
) -> fixer.Outcome:
    """Fix one report given as text: ``.text`` is the fixed text, ``.findings`` what is
    left in it, ``.applied`` the fixes applied per rule code, ``.problems`` fixes that were
    not applied because they broke the report, or a file that did not settle."""
    known = load_rules() if rules is None else rules
    policy = settings.fix_policy(unsafe) if settings is not None else fixer.Policy(unsafe)

    def lint(current: str) -> tuple[Document, list[Finding]]:
        doc = _read(current, path, settings)
        if settings is None:
            return doc, engine.check_document(doc, known)
        return doc, engine.check_document(doc, settings.rules_for(path), settings.options, settings.severity, known)

    return fixer.fix_text(text, lint, policy)


# Below this many files a worker pool costs more than it saves.
PARALLEL_MIN_FILES = 16


def lint_file(
    path: str, settings: Settings, known: Sequence[Rule], shown_as: str | None = None, fix: FixMode | None = None
) -> FileOutcome:
    """Findings for one file (``-``: standard input) under its settings; ``shown_as`` is the
    path findings name (an editor's buffer, linted through stdin). With ``fix``, the file
    is fixed (written back, or only diffed) and the findings are those left."""
    name = shown_as or path
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
            text = reading.decode(raw)
        else:
            raw, text = reading.read_with_bytes(path)
    except reading.ReadError as exc:
        return FileOutcome([], FileError(name, str(exc)))
    return lint_read(path, name, raw, text, settings, known, fix)


def lint_read(
    path: str, name: str, raw: bytes, text: str, settings: Settings, known: Sequence[Rule], fix: FixMode | None = None
) -> FileOutcome:
    """``lint_file`` once the file is read: ``raw`` its bytes (what a fix compares before
    writing back), ``text`` their decoding, ``name`` the path findings name."""
    try:
        doc = _read(text, name, settings)
    except readers.ReaderError as exc:  # a broken STORM sidecar: said, never ignored
        return FileOutcome([], FileError(name, str(exc)))
    except Exception as exc:  # a parser bug: one line for this file, never a traceback
        return FileOutcome([], FileError(name, f"internal error while parsing: {type(exc).__name__}: {exc}"))
    if not doc.is_report and not settings.require_report:
        # A README or a changelog that pre-commit hands over: not a report, no findings.
        return FileOutcome([], None, report=False)
    if fix is not None:
        return _fix_file(path, name, raw, text, settings, known, fix)
    found = engine.check_document(doc, settings.rules_for(name), settings.options, settings.severity, known)
    return FileOutcome(found, None)


def _fix_file(
    path: str, name: str, raw: bytes, text: str, settings: Settings, known: Sequence[Rule], fix: FixMode
) -> FileOutcome:
    try:
        outcome = fix_text(text, name, settings, fix.unsafe, known)
    except Exception as exc:  # a fixer or parser bug: one line for this file, never a traceback
        return FileOutcome([], FileError(name, f"internal error while fixing: {type(exc).__name__}: {exc}"))
    problems = tuple(outcome.problems)
    if path == "-" and not fix.diff:  # standard input's text goes back out, fixed or not
        return FileOutcome(outcome.findings, None, outcome.applied, problems=problems, fixed_text=outcome.text)
    if not outcome.changed:
        return FileOutcome(outcome.findings, None, problems=problems)
    if fix.diff:
        return FileOutcome(
            outcome.findings, None, outcome.applied, fixer.unified_diff(name, text, outcome.text), problems
        )
    try:
        fixer.write_back(path, raw, outcome.text)
    except fixer.WriteError as exc:
        return FileOutcome([], FileError(name, str(exc)))
    return FileOutcome(outcome.findings, None, outcome.applied, problems=problems)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run(
    paths: Sequence[str],
    rules: Sequence[Rule] | None = None,
    jobs: int | None = None,
    resolver: Resolver | None = None,
    stdin_filename: str | None = None,
    fix: FixMode | None = None,
) -> Result:
    """Lint files and directories; ``-`` reads standard input, linted as if it were
    ``stdin_filename`` when that is given. Each file gets the settings of its closest
    configuration file. Many files are linted by ``jobs`` worker processes
    (default: one per CPU), as flake8 does. Raises ConfigError for a bad configuration."""
    from citelint import streaming

    known = load_rules() if rules is None else rules
    resolved = resolver or Resolver(known)
    result = Result()
    jobs = min(default_jobs(), jobs) if jobs is not None else default_jobs()
    # Worker processes stream (citelint/streaming.py): an ordered imap with a bounded
    # amount of work in flight, whatever the number of files. Every input named or found
    # is kept in ``result.inputs`` (what -o must not be).
    inputs = streaming.Inputs(paths, resolved, stdin_filename, seen_inputs=result.inputs)
    for outcome in streaming.outcomes(streaming.units(inputs), known, jobs, fix=fix):
        if outcome.error is not None:
            result.errors.append(FileError(*outcome.error))
            continue
        shown = outcome.shown
        if not outcome.report:
            result.not_reports.append(shown)
            continue
        result.files += 1
        result.paths.append(shown)
        result.findings.extend(outcome.findings)
        result.fix_problems.extend((shown, p) for p in outcome.problems)
        if outcome.fixed:
            result.fixed.update(outcome.fixed)
            result.changed.append(shown)
        if outcome.diff:
            result.diffs.append(outcome.diff)
        if outcome.fixed_text is not None:
            result.stdin_fixed = outcome.fixed_text
        result.failed = result.failed or outcome.failed
    result.findings.sort(key=Finding.sort_key)
    return result


def lint_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Finding]:
    """Findings for files and directories. A file that cannot be read gives one finding with
    code CIT999 (read-error) naming the reason, as flake8 reports E902."""
    result = run([os.fspath(p) for p in paths])
    findings = result.findings + [e.as_finding() for e in result.errors]
    findings.sort(key=Finding.sort_key)
    return findings
