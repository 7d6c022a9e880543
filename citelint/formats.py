"""Output formats. A reporter turns findings into text; it knows rules only as the metadata
the caller hands it (for SARIF's rule list), never how they check."""
from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple
from urllib.parse import quote

from citelint import __version__
from citelint.finding import Finding, Fix, Related, Severity

JSON_VERSION = 2  # 2: findings carry their fix, and a dataset record's finding its record
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FORMATS = ("text", "json", "jsonl", "sarif", "github", "junit", "gitlab")
# Formats that are documents for programs: always written as UTF-8, whatever the terminal's
# encoding (JSON must be UTF-8, and the XML declares it).
BINARY_SAFE = frozenset({"json", "jsonl", "sarif", "junit", "gitlab"})


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


# file names


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\udc80-\udcff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """Control characters as escapes, so that a file name with a newline cannot split a
    line of output in two."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def escape_name(path: str) -> str:
    """A file name as printable text: control characters and the bytes that were not UTF-8
    (read by Python as surrogate escapes) written as backslash escapes."""
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", escape_controls(path))


def _json_safe(text: str) -> str:
    # json.dumps(ensure_ascii=False) leaves a lone surrogate as it is, which no encoder can
    # write; as a \udcXX escape it reads back (in Python) as the same name.
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _fallback(exc: UnicodeError) -> tuple[str | bytes, int]:
    """Encoding error handler for the output: a surrogate escape is written back as the byte
    it stands for (so a text line names the file with its real bytes), anything else the
    stream's encoding cannot hold as a backslash escape."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = bytearray()
    for ch in exc.object[exc.start : exc.end]:
        code = ord(ch)
        out += bytes([code - 0xDC00]) if 0xDC80 <= code <= 0xDCFF else ch.encode("ascii", "backslashreplace")
    return bytes(out), exc.end


def encode(text: str, encoding: str = "utf-8") -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        import codecs

        codecs.register_error("citelint-output", _fallback)
        return text.encode(encoding, "citelint-output")


# text


_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def use_color(stream: object, mode: str = "auto") -> bool:
    """``--color always`` and ``never`` decide. ``auto``: never when NO_COLOR is set
    (https://no-color.org); always when FORCE_COLOR is (https://force-color.org: CI systems
    and task runners set it to ask for color through a pipe; pre-commit instead runs a hook
    on a pseudo-terminal when its own output is colored); otherwise only on a terminal that is not dumb and not an Emacs buffer (compilation mode shows
    escape codes as they are)."""
    if mode != "auto":
        return mode == "always"
    env = os.environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb" or env.get("INSIDE_EMACS"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def text_line(finding: Finding, color: bool = False, fixable: bool = False) -> str:
    mark = " [*]" if fixable else ""
    path = escape_controls(finding.where)
    if not color:
        return f"{path}:{finding.line}:{finding.col}: {finding.code}{mark} {finding.message}"
    code = f"{_COLORS[finding.severity]}{finding.code}{_RESET}"
    return f"{_BOLD}{path}{_RESET}:{finding.line}:{finding.col}: {code}{mark} {finding.message}"


def summary_line(findings: Sequence[Finding], files: int, not_reports: int = 0) -> str:
    """The totals, and how many Markdown files were skipped as not reports."""
    return summary_from_counts(Counter(str(f.severity) for f in findings), files, not_reports)


def summary_from_counts(counts: Mapping[str, int], files: int, not_reports: int = 0, noun: str = "files") -> str:
    """``summary_line`` from the findings per severity (a streamed run keeps only counts);
    ``noun``: "files", or "reports" when a run counts the records of datasets."""
    line = _summary(counts, files, noun)
    if not_reports:  # skipped Markdown files (a README): said, so that none goes unnoticed
        line = line[:-1] + f"; {not_reports} {'file was not a report' if not_reports == 1 else 'files were not reports'}."
    return line


def _summary(counts: Mapping[str, int], files: int, noun: str) -> str:
    """The run's totals. pre-commit lints its files in several batches, one citelint each,
    and shows every batch's output: each line says it counts only its own run's files."""
    noun = noun[:-1] if files == 1 else noun
    total = sum(counts.values())
    if not total:
        return f"No findings in {files} {noun} (this run)."
    parts = [
        f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}"
        for s in ("error", "warning", "info")
        if counts.get(s)
    ]
    return f"{total} finding{'s' if total != 1 else ''} ({', '.join(parts)}) in {files} {noun} (this run)."


def statistics(findings: Sequence[Finding]) -> list[str]:
    """One line per rule: its count, code and name, the most frequent first."""
    return statistics_from_counts(Counter((f.code, f.name) for f in findings))


def statistics_from_counts(counts: Mapping[tuple[str, str], int]) -> list[str]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = len(str(ranked[0][1])) if ranked else 1
    return [f"{n:>{width}}  {code}  {name}" for (code, name), n in ranked]


def format_text(
    report: Report,
    color: bool = False,
    summary: bool = True,
    stats: bool = False,
    not_reports: int = 0,
    is_fixable: Callable[[Finding], bool] | None = None,
    notes: Sequence[str] = (),
) -> str:
    """One line per finding (``[*]`` after the code when ``is_fixable`` says so), or one
    per rule with ``stats``; then the summary line and any notes (what --fix did or would
    do)."""
    if stats:
        lines = statistics(report.findings)
    else:
        lines = [text_line(f, color, bool(is_fixable and is_fixable(f))) for f in report.findings]
    if summary:
        lines.append(summary_line(report.findings, len(report.files), not_reports))
    lines.extend(notes)
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
    out: dict[str, object] = {
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
        "fix": fix_dict(f.fix) if f.fix is not None else None,
    }
    if f.record is not None:
        out["record"] = f.record
    return out


def fix_dict(fix: Fix) -> dict[str, object]:
    """A fix as JSON: its edits as source offsets (the text after the byte-order mark, LF
    line ends) and as lines and columns."""
    edits = []
    for e in fix.edits:
        edit: dict[str, object] = {"start": e.start, "end": e.end, "text": e.text}
        if e.span is not None:
            edit.update(
                {"line": e.span.line, "column": e.span.col, "end_line": e.span.end_line, "end_column": e.span.end_col}
            )
        edits.append(edit)
    return {"description": fix.description, "applicability": str(fix.applicability), "edits": edits}


def format_json(report: Report) -> str:
    import json

    doc = {
        "version": JSON_VERSION,
        "tool": {"name": "citelint", "version": __version__},
        "files": list(report.files),
        "findings": [finding_dict(f, report.rules) for f in report.findings],
        "errors": [{"path": p, "message": m} for p, m in report.errors],
    }
    return _json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def format_jsonl(report: Report) -> str:
    return "".join(json_line(finding_dict(f, report.rules)) + "\n" for f in report.findings)


def json_line(obj: object) -> str:
    """One JSON Lines object (a finding), as UTF-8-writable text."""
    import json

    return _json_safe(json.dumps(obj, ensure_ascii=False))


# sarif


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _quote(path: str) -> str:
    # Percent-encode the name's bytes (a name that is not UTF-8 keeps its real bytes), and
    # every character a URI would read otherwise (space, '?', '#', '%', apostrophe).
    return quote(os.fsencode(path), safe="/-._~!$&()*+,;=:@").replace("'", "%27")


def artifact_uri(path: str) -> str:
    """A path as a URI: relative to the working folder ('/' separators, '..' and '.'
    resolved) when it lies inside it, else an absolute file:// URI."""
    if path == "-":
        return "stdin"
    rel = os.path.normpath(os.path.relpath(os.path.abspath(path)))
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        absolute = os.path.abspath(path).replace(os.sep, "/")
        return "file://" + _quote(absolute if absolute.startswith("/") else "/" + absolute)
    return _quote(rel.replace(os.sep, "/"))


def artifact_location(path: str) -> dict[str, str]:
    """A SARIF artifactLocation: a relative uri with uriBaseId, or an absolute uri alone
    (SARIF1004: a uri given with a uriBaseId must be relative)."""
    uri = artifact_uri(path)
    return {"uri": uri} if uri.startswith("file://") else {"uri": uri, "uriBaseId": "%SRCROOT%"}


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
                "artifactLocation": artifact_location(f.path),
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
        if f.record is not None:
            result["properties"] = {"record": f.record}
        if f.fix is not None and f.fix.edits and all(e.span is not None for e in f.fix.edits):
            # SARIF 2.1.0 section 3.55: a fix is artifact changes, each a list of replacements.
            result["fixes"] = [
                {
                    "description": {"text": f"{f.fix.description} ({f.fix.applicability})"},
                    "artifactChanges": [
                        {
                            "artifactLocation": location["physicalLocation"]["artifactLocation"],
                            "replacements": [
                                {
                                    "deletedRegion": _region(e.span.line, e.span.col, e.span.end_line, e.span.end_col),
                                    "insertedContent": {"text": e.text},
                                }
                                for e in f.fix.edits
                                if e.span is not None
                            ],
                        }
                    ],
                }
            ]
        if f.related:
            result["relatedLocations"] = [
                {
                    "id": i,
                    "message": {"text": r.message},
                    "physicalLocation": {
                        "artifactLocation": artifact_location(f.path),
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
                "artifacts": [{"location": loc} for loc in _unique(artifact_location(p) for p in report.files)],
                "invocations": [
                    {
                        "executionSuccessful": not report.errors,
                        "toolExecutionNotifications": [
                            {
                                "level": "error",
                                "message": {"text": message},
                                "locations": [
                                    {"physicalLocation": {"artifactLocation": artifact_location(path)}}
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
    return _json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def _unique(locations: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    # The same file named twice (by an absolute and a relative path) is one artifact.
    seen: dict[str, dict[str, str]] = {}
    for loc in locations:
        seen.setdefault(loc["uri"], loc)
    return list(seen.values())


def _cwd_uri() -> str:
    cwd = os.getcwd().replace(os.sep, "/")
    return "file://" + _quote(cwd if cwd.startswith("/") else "/" + cwd) + "/"


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
            "file": escape_name(f.path),
            "line": str(f.line),
            "col": str(f.col),
            "endLine": str(f.span.end_line),
            "endColumn": str(f.span.end_col),
            "title": f"{f.code} {f.name}" + (f" in record {f.record}" if f.record is not None else ""),
        }
        joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {joined}::{escape_data(f.message)}\n")
    for path, message in report.errors:
        lines.append(f"::error file={escape_property(escape_name(path))},title=citelint::{escape_data(message)}\n")
    return "".join(lines)


# junit


def format_junit(report: Report) -> str:
    import xml.etree.ElementTree as ET

    by_file: dict[str, list[Finding]] = {p: [] for p in report.files}
    errors = dict(report.errors)
    for path in errors:
        by_file.setdefault(path, [])
    for f in report.findings:
        by_file.setdefault(f.where, []).append(f)
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
        # XML holds neither control characters nor the surrogates of a name that is not UTF-8.
        name = escape_name(path)
        case = ET.SubElement(suite, "testcase", classname="citelint", name=name)
        for f in found:
            failure = ET.SubElement(case, "failure", message=f"{f.code} {f.message}", type=f.code)
            failure.text = f"{name}:{f.line}:{f.col}: {f.code} {f.message}"
        if path in errors:
            ET.SubElement(case, "error", message=errors[path], type="read-error").text = f"{name}: {errors[path]}"
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


# gitlab


# GitLab Code Quality's five severities; a file that cannot be read is critical.
_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


_LINE_REF = re.compile(r"\blines? \d+(?:(?:-|\.\.)\d+)?")


def _gitlab_path(path: str) -> str:
    if path == "-":
        return "stdin"
    rel = os.path.normpath(os.path.relpath(os.path.abspath(path)))
    inside = not (rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel))
    return (rel if inside else os.path.abspath(path)).replace(os.sep, "/")


def format_gitlab(report: Report) -> str:
    """A GitLab Code Quality report (a JSON array of issues), which merge requests show
    inline. The fingerprint hashes the path, the rule, the message (without the line numbers
    it names) and how many identical findings come before it in the file, never the line: an
    issue keeps its fingerprint when lines above it move, so GitLab does not show it as fixed
    and new again."""
    import hashlib
    import json

    issues: list[dict[str, object]] = []
    seen: Counter[tuple[str, str, str]] = Counter()

    def add(path: str, code: str, name: str, message: str, severity: str, begin: int, end: int) -> None:
        shown = _gitlab_path(path)
        # A message that names another line ("... as row [1] (line 9)") would change its
        # fingerprint when lines move: the line numbers are left out of the hash.
        key = (shown, code, _LINE_REF.sub("line", message))
        occurrence = seen[key]
        seen[key] += 1
        digest = hashlib.sha256(json.dumps([*key, occurrence]).encode("utf-8", "surrogateescape")).hexdigest()
        issues.append(
            {
                "type": "issue",
                "check_name": code,
                "description": f"{code} {name}: {message}",
                "categories": ["Style"],
                "fingerprint": digest[:32],
                "severity": severity,
                "location": {"path": shown, "lines": {"begin": begin, "end": end}},
            }
        )

    for f in report.findings:
        # A dataset's record is named in the message, so each record's issue has its own fingerprint.
        message = f.message if f.record is None else f"{f.message} (record {f.record})"
        add(f.path, f.code, f.name, message, _GITLAB_SEVERITY[f.severity], f.line, f.span.end_line)
    for path, message in report.errors:
        add(path, "CIT999", "read-error", message, "critical", 1, 1)
    return _json_safe(json.dumps(issues, indent=2, ensure_ascii=False)) + "\n"


FORMATTERS: dict[str, Callable[[Report], str]] = {
    "gitlab": format_gitlab,
    "json": format_json,
    "jsonl": format_jsonl,
    "sarif": format_sarif,
    "github": format_github,
    "junit": format_junit,
}
