"""Reporters: turn findings into output. They know nothing about rules."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from citelint.finding import Finding


def text_line(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.col}: {finding.code} {finding.message}"


def summary_line(findings: Sequence[Finding], files: int) -> str:
    noun = "file" if files == 1 else "files"
    if not findings:
        return f"No findings in {files} {noun}."
    counts = Counter(str(f.severity) for f in findings)
    parts = [
        f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}"
        for s in ("error", "warning", "info")
        if counts[s]
    ]
    total = len(findings)
    return f"Found {total} finding{'s' if total != 1 else ''} ({', '.join(parts)}) in {files} {noun}."
