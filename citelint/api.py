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
from citelint.discovery import expand
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


def lint_text(
    text: str, path: str = "<string>", rules: Sequence[Rule] | None = None, settings: Settings | None = None
) -> list[Finding]:
    """Findings for one report given as text, sorted by line and column. ``settings``
    (from ``citelint.config``) select rules, severities and options; by default every
    installed rule runs with its defaults. The text is linted as a report even when it
    does not look like one (the caller says it is: CIT001 names what it lacks)."""
    known = load_rules() if rules is None else rules
    doc = readers.read(text, path, settings.input_format if settings is not None else readers.AUTO)
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
        doc = readers.read(current, path, settings.input_format if settings is not None else readers.AUTO)
        if settings is None:
            return doc, engine.check_document(doc, known)
        return doc, engine.check_document(doc, settings.rules_for(path), settings.options, settings.severity, known)

    return fixer.fix_text(text, lint, policy)


# Below this many files a worker pool costs more than it saves.
PARALLEL_MIN_FILES = 16
_POOL_WORK: list[tuple[str, Settings]] = []
_POOL_KNOWN: Sequence[Rule] = ()
_POOL_FIX: FixMode | None = None


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
    try:
        doc = readers.read(text, name, settings.input_format)
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


def _lint_in_worker(index: int) -> FileOutcome:
    path, settings = _POOL_WORK[index]
    return lint_file(path, settings, _POOL_KNOWN, fix=_POOL_FIX)


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
    known = load_rules() if rules is None else rules
    resolved = resolver or Resolver(known)
    result = Result()
    work: list[tuple[str, Settings]] = []
    # A file named twice (``reports reports/a.md``, ``a.md ./a.md``) is linted once.
    seen: set[str] = set()

    def respect_gitignore(root: str) -> bool:
        return resolved.settings_for(os.path.join(root, "-")).respect_gitignore

    for path, problem, named in expand(paths, respect_gitignore):
        shown = stdin_filename if path == "-" and stdin_filename else path
        result.inputs.append(shown)
        if problem:
            result.errors.append(FileError(path, problem))
            continue
        if path != "-":
            key = os.path.normpath(os.path.abspath(path))
            if key in seen:
                continue
            seen.add(key)
        settings = resolved.settings_for(shown)
        if (not named or settings.force_exclude) and shown != "-" and settings.excludes(shown):
            continue
        work.append((path, settings))
    # More workers than CPUs only adds forks that wait for a core.
    jobs = min(default_jobs(), jobs) if jobs is not None else default_jobs()
    outcomes: list[FileOutcome] | None = None
    if jobs > 1 and len(work) >= PARALLEL_MIN_FILES and all(p != "-" for p, _ in work) and _can_fork():
        # The first file is linted here before forking: the workers then inherit the
        # parser's compiled patterns and the lexicon pages it read, instead of each
        # paying for them on its own first file.
        outcomes = [lint_file(work[0][0], work[0][1], known, None, fix)]
        outcomes.extend(_in_workers(work[1:], known, min(jobs, len(work) - 1), fix) or [])
    outcomes = outcomes or []
    outcomes.extend(
        lint_file(path, settings, known, stdin_filename if path == "-" else None, fix)
        for path, settings in work[len(outcomes) :]
    )
    for (path, settings), outcome in zip(work, outcomes):
        findings, error = outcome.findings, outcome.error
        if error is not None:
            result.errors.append(error)
            continue
        shown = stdin_filename if path == "-" and stdin_filename else path
        if not outcome.report:
            result.not_reports.append(shown)
            continue
        result.files += 1
        result.paths.append(shown)
        result.findings.extend(findings)
        result.fix_problems.extend((shown, p) for p in outcome.problems)
        if outcome.fixed:
            result.fixed.update(outcome.fixed)
            result.changed.append(shown)
        if outcome.diff:
            result.diffs.append(outcome.diff)
        if outcome.fixed_text is not None:
            result.stdin_fixed = outcome.fixed_text
        if any(f.severity >= settings.fail_on for f in findings):
            result.failed = True
    result.findings.sort(key=Finding.sort_key)
    return result


def _in_workers(
    work: list[tuple[str, Settings]], known: Sequence[Rule], jobs: int, fix: FixMode | None = None
) -> list[FileOutcome] | None:
    """Lint ``work`` in forked worker processes, or None when no pool can be had here (the
    caller then lints in this process). Forked workers inherit the loaded rules, the
    settings and every imported module."""
    global _POOL_WORK, _POOL_KNOWN, _POOL_FIX
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _POOL_WORK, _POOL_KNOWN, _POOL_FIX = work, known, fix
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
