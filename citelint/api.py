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


def run(paths: Sequence[str], rules: Sequence[Rule] | None = None) -> Result:
    """Lint files and directories; ``-`` reads standard input."""
    rules = load_rules() if rules is None else rules
    result = Result()
    for path, problem in expand(paths):
        if problem:
            result.errors.append(FileError(path, problem))
            continue
        try:
            text = reading.decode(sys.stdin.buffer.read()) if path == "-" else reading.read(path)
        except reading.ReadError as exc:
            result.errors.append(FileError(path, str(exc)))
            continue
        result.files += 1
        result.findings.extend(lint_text(text, path, rules))
    result.findings.sort(key=Finding.sort_key)
    return result


def lint_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Finding]:
    """Findings for files and directories. A file that cannot be read gives one finding with
    code CIT999 (read-error) naming the reason, as flake8 reports E902."""
    result = run([os.fspath(p) for p in paths])
    findings = result.findings + [e.as_finding() for e in result.errors]
    findings.sort(key=Finding.sort_key)
    return findings
