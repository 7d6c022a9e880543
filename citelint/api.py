"""The Python API, for pipelines that generate reports."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from citelint import engine, parser, reading
from citelint.config import Resolver, Settings
from citelint.discovery import expand
from citelint.finding import Finding, Severity
from citelint.model import Span
from citelint.registry import Rule, load_rules

READ_ERROR = "CIT999"


class FileError(NamedTuple):
    path: str
    message: str

    def as_finding(self) -> Finding:
        return Finding(self.path, Span(1, 1, 1, 1), READ_ERROR, "read-error", Severity.ERROR, self.message)


@dataclass
class Result:
    """What a run found: findings, files that could not be read, files linted."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: int = 0
    paths: list[str] = field(default_factory=list)  # the files linted, in order
    # Whether a finding reached its file's fail-on severity.
    failed: bool = False
    # Markdown files skipped as not reports (no Summary, no claims table, no marker), in
    # order; they are not counted in ``files``. ``require-report = true`` lints them.
    not_reports: list[str] = field(default_factory=list)


def lint_text(
    text: str, path: str = "<string>", rules: Sequence[Rule] | None = None, settings: Settings | None = None
) -> list[Finding]:
    """Findings for one report given as text, sorted by line and column. ``settings``
    (from ``citelint.config``) select rules, severities and options; by default every
    installed rule runs with its defaults. The text is linted as a report even when it
    does not look like one (the caller says it is: CIT001 names what it lacks)."""
    known = load_rules() if rules is None else rules
    doc = parser.parse(text, path)
    if settings is None:
        return engine.check_document(doc, known)
    return engine.check_document(doc, settings.rules_for(path), settings.options, settings.severity, known)


# Below this many files a worker pool costs more than it saves.
PARALLEL_MIN_FILES = 16
_POOL_WORK: list[tuple[str, Settings]] = []
_POOL_KNOWN: Sequence[Rule] = ()


class Outcome(NamedTuple):
    findings: list[Finding]
    error: FileError | None
    report: bool = True  # False: skipped, the file is not a report


def lint_file(
    path: str, settings: Settings, known: Sequence[Rule], shown_as: str | None = None
) -> tuple[list[Finding], FileError | None]:
    """Findings for one file (``-``: standard input) under its settings; ``shown_as`` is the
    path findings name (an editor's buffer, linted through stdin)."""
    outcome = lint_one(path, settings, known, shown_as)
    return outcome.findings, outcome.error


def lint_one(path: str, settings: Settings, known: Sequence[Rule], shown_as: str | None = None) -> Outcome:
    """lint_file(), saying also whether the file was skipped as not a report."""
    name = shown_as or path
    try:
        text = reading.decode(sys.stdin.buffer.read()) if path == "-" else reading.read(path)
    except reading.ReadError as exc:
        return Outcome([], FileError(name, str(exc)))
    try:
        doc = parser.parse(text, name)
    except Exception as exc:  # a parser bug: one line for this file, never a traceback
        return Outcome([], FileError(name, f"internal error while parsing: {type(exc).__name__}: {exc}"))
    if not doc.is_report and not settings.require_report:
        # A README or a changelog that pre-commit hands over: not a report, no findings.
        return Outcome([], None, report=False)
    found = engine.check_document(doc, settings.rules_for(name), settings.options, settings.severity, known)
    return Outcome(found, None)


def _lint_in_worker(index: int) -> Outcome:
    path, settings = _POOL_WORK[index]
    return lint_one(path, settings, _POOL_KNOWN)


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
) -> Result:
    """Lint files and directories; ``-`` reads standard input, linted as if it were
    ``stdin_filename`` when that is given. Each file gets the settings of its closest
    configuration file. Many files are linted by ``jobs`` worker processes
    (default: one per CPU), as flake8 does. Raises ConfigError for a bad configuration."""
    known = load_rules() if rules is None else rules
    resolver = resolver or Resolver(known)
    result = Result()
    work: list[tuple[str, Settings]] = []
    for path, problem, named in expand(paths):
        if problem:
            result.errors.append(FileError(path, problem))
            continue
        shown = stdin_filename if path == "-" and stdin_filename else path
        settings = resolver.settings_for(shown)
        if (not named or settings.force_exclude) and shown != "-" and settings.excludes(shown):
            continue
        work.append((path, settings))
    jobs = default_jobs() if jobs is None else jobs
    outcomes = None
    if jobs > 1 and len(work) >= PARALLEL_MIN_FILES and all(p != "-" for p, _ in work) and _can_fork():
        outcomes = _in_workers(work, known, min(jobs, len(work)))
    if outcomes is None:
        outcomes = [lint_one(path, settings, known, stdin_filename if path == "-" else None) for path, settings in work]
    for (path, settings), (findings, error, report) in zip(work, outcomes):
        if error is not None:
            result.errors.append(error)
            continue
        if not report:
            result.not_reports.append(stdin_filename if path == "-" and stdin_filename else path)
            continue
        result.files += 1
        result.paths.append(stdin_filename if path == "-" and stdin_filename else path)
        result.findings.extend(findings)
        if any(f.severity >= settings.fail_on for f in findings):
            result.failed = True
    result.findings.sort(key=Finding.sort_key)
    return result


def _in_workers(work: list[tuple[str, Settings]], known: Sequence[Rule], jobs: int) -> list[Outcome] | None:
    """Lint ``work`` in forked worker processes, or None when no pool can be had here (the
    caller then lints in this process). Forked workers inherit the loaded rules, the
    settings and every imported module."""
    global _POOL_WORK, _POOL_KNOWN
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _POOL_WORK, _POOL_KNOWN = work, known
    try:
        # A worker that dies makes the pool raise, rather than hang as multiprocessing.Pool does.
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            # Small chunks keep the workers evenly loaded to the end of the run.
            chunk = max(1, -(-len(work) // (jobs * 16)))
            return list(pool.map(_lint_in_worker, range(len(work)), chunksize=chunk))
    except (OSError, BrokenProcessPool):
        return None
    finally:
        _POOL_WORK = []


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def lint_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Finding]:
    """Findings for files and directories. A file that cannot be read gives one finding with
    code CIT999 (read-error) naming the reason, as flake8 reports E902."""
    result = run([os.fspath(p) for p in paths])
    findings = result.findings + [e.as_finding() for e in result.errors]
    findings.sort(key=Finding.sort_key)
    return findings
