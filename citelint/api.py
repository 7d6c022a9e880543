"""The Python API, for pipelines that generate reports."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from citelint import engine, parser, reading
from citelint.config import Resolver, Settings
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


def lint_text(
    text: str, path: str = "<string>", rules: Sequence[Rule] | None = None, settings: Settings | None = None
) -> list[Finding]:
    """Findings for one report given as text, sorted by line and column. ``settings``
    (from ``citelint.config``) select rules, severities and options; by default every
    installed rule runs with its defaults."""
    known = load_rules() if rules is None else rules
    doc = parser.parse(text, path)
    if settings is None:
        return engine.check_document(doc, known)
    return engine.check_document(doc, settings.rules_for(path), settings.options, settings.severity, known)


# Below this many files a worker pool costs more than it saves.
PARALLEL_MIN_FILES = 16


def lint_file(
    path: str, settings: Settings, known: Sequence[Rule], shown_as: str | None = None
) -> tuple[list[Finding], FileError | None]:
    """Findings for one file (``-``: standard input) under its settings; ``shown_as`` is the
    path findings name (an editor's buffer, linted through stdin)."""
    name = shown_as or path
    try:
        text = reading.decode(sys.stdin.buffer.read()) if path == "-" else reading.read(path)
    except reading.ReadError as exc:
        return [], FileError(name, str(exc))
    try:
        doc = parser.parse(text, name)
    except Exception as exc:  # a parser bug: one line for this file, never a traceback
        return [], FileError(name, f"internal error while parsing: {type(exc).__name__}: {exc}")
    found = engine.check_document(doc, settings.rules_for(name), settings.options, settings.severity, known)
    return found, None


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
    from citelint import streaming

    known = load_rules() if rules is None else rules
    resolver = resolver or Resolver(known)
    result = Result()
    jobs = default_jobs() if jobs is None else jobs
    # Worker processes stream (citelint/streaming.py): an ordered imap with a bounded
    # amount of work in flight, whatever the number of files.
    inputs = streaming.Inputs(paths, resolver, stdin_filename)
    for outcome in streaming.outcomes(streaming.units(inputs), known, jobs):
        if outcome.error is not None:
            result.errors.append(FileError(*outcome.error))
            continue
        result.files += 1
        result.paths.append(outcome.shown)
        result.findings.extend(outcome.findings)
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
