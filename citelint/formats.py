"""Output formats. A reporter turns findings into text; it knows rules only as the metadata
the caller hands it (for SARIF's rule list), never how they check."""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple
from urllib.parse import quote

from citelint import __version__
from citelint.finding import Finding, Related, Severity

JSON_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FORMATS = ("text", "json", "jsonl", "sarif", "github", "junit")


class RuleInfo(NamedTuple):
    code: str
    name: str
    severity: Severity
    summary: str
    page: str | None  # the rule book page (Markdown), if the rule has one


class Report(NamedTuple):
    findings: Sequence[Finding]
    files: Sequence[str]  # every file linted, in order
    rules: Mapping[str, RuleInfo]  # by code
    errors: Sequence[tuple[str, str]] = ()  # (path, reason) of files that could not be linted


def page_name(code: str) -> str:
    return f"rules/{code}.md"


# text


_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def use_color(stream: object) -> bool:
    """Color only on a terminal, and never when NO_COLOR is set (https://no-color.org), the
    terminal is dumb, or the terminal is an Emacs buffer (compilation mode shows escape
    codes as they are)."""
    env = os.environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb" or env.get("INSIDE_EMACS"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def text_line(finding: Finding, color: bool = False, fixable: bool = False) -> str:
    mark = " [*]" if fixable else ""
    if not color:
        return f"{finding.path}:{finding.line}:{finding.col}: {finding.code}{mark} {finding.message}"
    code = f"{_COLORS[finding.severity]}{finding.code}{_RESET}"
    return f"{_BOLD}{finding.path}{_RESET}:{finding.line}:{finding.col}: {code}{mark} {finding.message}"


def summary_line(findings: Sequence[Finding], files: int, not_reports: int = 0) -> str:
    line = _summary(findings, files)
    if not_reports:  # skipped Markdown files (a README): said, so that none goes unnoticed
        line = line[:-1] + f"; {not_reports} {'file was not a report' if not_reports == 1 else 'files were not reports'}."
    return line


def _summary(findings: Sequence[Finding], files: int) -> str:
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


def format_text(report: Report, color: bool = False, summary: bool = True, not_reports: int = 0) -> str:
    lines = [text_line(f, color) for f in report.findings]
    if summary:
        lines.append(summary_line(report.findings, len(report.files), not_reports))
    return "".join(line + "\n" for line in lines)


# json and jsonl


def _related(r: Related, path: str) -> dict[str, object]:
    return {
        "path": path,
        "line": r.span.line,
        "column": r.span.col,
        "end_line": r.span.end_line,
        "end_column": r.span.end_col,
        "message": r.message,
    }


def finding_dict(f: Finding, rules: Mapping[str, RuleInfo]) -> dict[str, object]:
    info = rules.get(f.code)
    return {
        "path": f.path,
        "line": f.line,
        "column": f.col,
        "end_line": f.span.end_line,
        "end_column": f.span.end_col,
        "code": f.code,
        "name": f.name,
        "severity": str(f.severity),
        "message": f.message,
        "related": [_related(r, f.path) for r in f.related],
        "rule_page": page_name(f.code) if info is not None and info.page is not None else None,
    }


def format_json(report: Report) -> str:
    import json

    doc = {
        "version": JSON_VERSION,
        "tool": {"name": "citelint", "version": __version__},
        "files": list(report.files),
        "findings": [finding_dict(f, report.rules) for f in report.findings],
        "errors": [{"path": p, "message": m} for p, m in report.errors],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def format_jsonl(report: Report) -> str:
    import json

    return "".join(json.dumps(finding_dict(f, report.rules), ensure_ascii=False) + "\n" for f in report.findings)


# sarif


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    """A path as a relative URI reference: '/' separators, and every character a URI would
    read otherwise (space, '?', '#', '%', apostrophe, non-ASCII) percent-encoded."""
    if path == "-":
        path = "stdin"
    if os.path.isabs(path):
        rel = os.path.relpath(path)
        path = path if rel.startswith("..") else rel
    path = path.replace(os.sep, "/")
    while path.startswith("./"):
        path = path[2:]
    encoded = quote(path, safe="/-._~!$&()*+,;=:@")
    encoded = encoded.replace("'", "%27")
    return encoded if not os.path.isabs(path) else "file://" + encoded


def _region(line: int, col: int, end_line: int, end_col: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}


def format_sarif(report: Report) -> str:
    import json

    codes = sorted({f.code for f in report.findings} | set(report.rules))
    index = {code: i for i, code in enumerate(codes)}
    rules = []
    for code in codes:
        info = report.rules.get(code)
        entry: dict[str, object] = {"id": code}
        if info is not None:
            entry.update(
                {
                    "name": info.name,
                    "shortDescription": {"text": info.summary},
                    "defaultConfiguration": {"level": _SARIF_LEVEL[info.severity]},
                    "help": {"text": f"{info.summary} See {page_name(code)} or run 'citelint rule {code}'."},
                }
            )
            if info.page is not None:
                entry["help"] = {"text": f"{info.summary} See 'citelint rule {code}'.", "markdown": info.page}
        else:  # an internal or read error
            entry["shortDescription"] = {"text": code}
        rules.append(entry)
    results = []
    for f in report.findings:
        location = {
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(f.path), "uriBaseId": "%SRCROOT%"},
                "region": _region(f.line, f.col, f.span.end_line, f.span.end_col),
            }
        }
        result: dict[str, object] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [location],
        }
        if f.related:
            result["relatedLocations"] = [
                {
                    "id": i,
                    "message": {"text": r.message},
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(f.path), "uriBaseId": "%SRCROOT%"},
                        "region": _region(r.span.line, r.span.col, r.span.end_line, r.span.end_col),
                    },
                }
                for i, r in enumerate(f.related, start=1)
            ]
        results.append(result)
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "citelint", "version": __version__, "rules": rules}},
                # Columns count Unicode code points, as SARIF's default (utf16CodeUnits) does
                # not: said here rather than converted.
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {"%SRCROOT%": {"uri": _cwd_uri()}},
                "artifacts": [{"location": {"uri": artifact_uri(p), "uriBaseId": "%SRCROOT%"}} for p in report.files],
                "invocations": [
                    {
                        "executionSuccessful": not report.errors,
                        "toolExecutionNotifications": [
                            {
                                "level": "error",
                                "message": {"text": message},
                                "locations": [
                                    {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path), "uriBaseId": "%SRCROOT%"}}}
                                ],
                            }
                            for path, message in report.errors
                        ],
                    }
                ],
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _cwd_uri() -> str:
    cwd = os.getcwd().replace(os.sep, "/")
    return "file://" + quote(cwd if cwd.startswith("/") else "/" + cwd) + "/"


# github


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the Actions toolkit escapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def format_github(report: Report) -> str:
    lines = []
    for f in report.findings:
        props = {
            "file": f.path,
            "line": str(f.line),
            "col": str(f.col),
            "endLine": str(f.span.end_line),
            "endColumn": str(f.span.end_col),
            "title": f"{f.code} {f.name}",
        }
        joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {joined}::{escape_data(f.message)}\n")
    for path, message in report.errors:
        lines.append(f"::error file={escape_property(path)},title=citelint::{escape_data(message)}\n")
    return "".join(lines)


# junit


def format_junit(report: Report) -> str:
    import xml.etree.ElementTree as ET

    by_file: dict[str, list[Finding]] = {p: [] for p in report.files}
    errors = dict(report.errors)
    for path in errors:
        by_file.setdefault(path, [])
    for f in report.findings:
        by_file.setdefault(f.path, []).append(f)
    suites = ET.Element("testsuites", name="citelint")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="citelint",
        tests=str(len(by_file)),
        failures=str(sum(1 for fs in by_file.values() if fs)),
        errors=str(len(errors)),
    )
    for path, found in by_file.items():
        case = ET.SubElement(suite, "testcase", classname="citelint", name=path)
        for f in found:
            failure = ET.SubElement(case, "failure", message=f"{f.code} {f.message}", type=f.code)
            failure.text = text_line(f)
        if path in errors:
            ET.SubElement(case, "error", message=errors[path], type="read-error").text = f"{path}: {errors[path]}"
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


FORMATTERS: dict[str, Callable[[Report], str]] = {
    "json": format_json,
    "jsonl": format_jsonl,
    "sarif": format_sarif,
    "github": format_github,
    "junit": format_junit,
}
