"""The Python API, for pipelines that generate reports."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from citelint import engine, parser, reading
from citelint.discovery import expand
from citelint.finding import Finding, Severity
from citelint.model import Span
from citelint.registry import Rule, load_rules

READ_ERROR = "CIT999"


@dataclass(frozen=True)
class FileError:
    path: str
    message: str

    def as_finding(self) -> Finding:
        return Finding(self.path, Span(1, 1, 1, 1), READ_ERROR, "read-error", Severity.ERROR, self.message)


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files: int = 0


def lint_text(text: str, path: str = "<string>", rules: Sequence[Rule] | None = None) -> list[Finding]:
    """Findings for one report given as text, sorted by line and column."""
    doc = parser.parse(text, path)
    return engine.check_document(doc, load_rules() if rules is None else rules)


# Below this many files a worker pool costs more than it saves.
PARALLEL_MIN_FILES = 16
_POOL_RULES: Sequence[Rule] = ()


def _lint_file(path: str, rules: Sequence[Rule]) -> tuple[list[Finding], FileError | None]:
    try:
        text = reading.decode(sys.stdin.buffer.read()) if path == "-" else reading.read(path)
    except reading.ReadError as exc:
        return [], FileError(path, str(exc))
    return lint_text(text, path, rules), None


def _lint_in_worker(path: str) -> tuple[list[Finding], FileError | None]:
    return _lint_file(path, _POOL_RULES)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run(paths: Sequence[str], rules: Sequence[Rule] | None = None, jobs: int | None = None) -> Result:
    """Lint files and directories; ``-`` reads standard input. Many files are linted by
    ``jobs`` worker processes (default: one per CPU), as flake8 does."""
    global _POOL_RULES
    rules = load_rules() if rules is None else rules
    result = Result()
    files = []
    for path, problem in expand(paths):
        if problem:
            result.errors.append(FileError(path, problem))
        else:
            files.append(path)
    jobs = default_jobs() if jobs is None else jobs
    outcomes: Iterable[tuple[list[Finding], FileError | None]]
    if jobs > 1 and len(files) >= PARALLEL_MIN_FILES and "-" not in files and _can_fork():
        import multiprocessing

        # Forked workers inherit the loaded rules and modules: nothing is imported again.
        _POOL_RULES = rules
        with multiprocessing.get_context("fork").Pool(min(jobs, len(files))) as pool:
            outcomes = pool.map(_lint_in_worker, files, chunksize=max(1, len(files) // (jobs * 4)))
    else:
        outcomes = (_lint_file(path, rules) for path in files)
    for findings, error in outcomes:
        if error is not None:
            result.errors.append(error)
        else:
            result.files += 1
            result.findings.extend(findings)
    result.findings.sort(key=Finding.sort_key)
    return result


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
