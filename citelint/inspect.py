"""``citelint inspect FILE``: what the reader saw.

Prints the parsed document: its sections with their lines, every summary clause with its span
and the rows it cites, every claim row with its number, claim, source and context (shortened),
and the problems the reader met (CIT001, CIT002, CIT003, CIT004). This is how a user finds out why a
finding happened, and how a new variant of the format is checked in seconds. ``--format json``
gives the same as JSON, valid against ``inspect_schema.json`` (shipped in the package).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from citelint.model import ClaimRow, Document, Marker, Span, Text

# The reader's own problems: what it could not find or read.
READER_RULES = ("CIT001", "CIT002", "CIT003", "CIT004")
_SHORT = 80


def _short(text: str, limit: int = _SHORT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _span(span: Span) -> dict[str, int]:
    return {"line": span.line, "column": span.col, "end_line": span.end_line, "end_column": span.end_col}


def _text(text: Text | None) -> dict[str, Any] | None:
    if text is None:
        return None
    return {"span": _span(text.span), "text": _short(text.visible)}


def _marker(marker: Marker) -> dict[str, Any]:
    return {
        "span": _span(marker.text.span),
        "written": _short(marker.text.raw),
        "numbers": list(marker.numbers),
        "style": marker.style,
        "readable": marker.readable,
    }


def _row(row: ClaimRow) -> dict[str, Any]:
    return {
        "line": row.line,
        "number": row.number,
        "numbered_by": row.numbered_by,
        "marker": _marker(row.marker) if row.marker else None,
        "claim": _text(row.claim),
        "source": row.url,
        "context": _text(row.context),
    }


def describe(doc: Document) -> dict[str, Any]:
    """The document as the reader saw it, as plain data (the JSON form)."""
    from citelint import engine
    from citelint.registry import load_rules

    summary = None
    if doc.summary is not None:
        summary = {
            "heading": _span(doc.summary.section.heading),
            "text": _text(doc.summary.text),
            "sentences": [
                {
                    "span": _span(s.text.span),
                    "text": _short(s.text.visible),
                    "clauses": [
                        {"span": _span(c.text.span), "text": _short(c.text.visible), "marker": _marker(c.marker)}
                        for c in s.clauses
                    ],
                    "tail": _text(s.tail),
                }
                for s in doc.summary.sentences
            ],
        }
    claims = None
    if doc.claims is not None:
        claims = {
            "header": list(doc.claims.header),
            "header_span": _span(doc.claims.header_span) if doc.claims.header_span else None,
            "columns": dict(doc.claims.columns),
            "usable": doc.claims.usable,
            "rows": [_row(r) for r in doc.claims.rows],
        }
    rules = [r for r in load_rules() if r.code in READER_RULES]
    problems = [
        {"code": f.code, "span": _span(f.span), "message": f.message}
        for f in engine.check_document(doc, rules)
    ]
    endnotes = None
    if doc.citations is not None:
        endnotes = {
            "groups": [
                {"span": _span(g.text.span), "written": _short(g.text.raw), "keys": list(g.keys)} for g in doc.citations.groups
            ],
            "sources": [
                {"key": s.key, "span": _span(s.span), "title": s.title, "url": s.url} for s in doc.citations.sources
            ],
        }
    return {
        "path": doc.path,
        "is_report": doc.is_report,
        "format": doc.format,
        "title": _text(doc.title),
        "sections": [
            {
                "title": s.title,
                "heading": _span(s.heading),
                "lines": [doc.lines.position(s.body_start)[0], doc.lines.position(max(s.body_start, s.body_end - 1))[0]],
            }
            for s in doc.sections
        ],
        "summary": summary,
        "claims": claims,
        "problems": problems,
        "endnotes": endnotes,
    }


def _at(span: dict[str, int]) -> str:
    return f"{span['line']}:{span['column']}"


def _cites(marker: dict[str, Any]) -> str:
    if not marker["readable"]:
        return f"unreadable '{marker['written']}'"
    return "cites " + ", ".join(f"[{n}]" for n in marker["numbers"]) + f"  ({marker['style']})"


def render(data: dict[str, Any]) -> str:
    """The text form of describe()."""
    out = [f"{data['path']}" + ("" if data["is_report"] else "  (not a report: no Summary, no claims table, no marker)")]
    out.append(f"reader   {data['format']}")
    title = data["title"]
    out.append(f"title    {_at(title['span'])}  {title['text']}" if title else "title    (none)")
    out.append("sections")
    for s in data["sections"]:
        out.append(f"  {s['title'] or '(untitled)'}: heading line {s['heading']['line']}, body lines {s['lines'][0]}-{s['lines'][1]}")
    endnotes = data.get("endnotes")
    if endnotes is not None:
        out.append(f"citations {len(endnotes['groups'])} group(s)")
        for g in endnotes["groups"]:
            out.append(f"  {_at(g['span'])} cites " + ", ".join(f"[{k}]" for k in g["keys"]) + f": {g['written']}")
        out.append(f"sources  {len(endnotes['sources'])} numbered source(s)")
        for s in endnotes["sources"]:
            out.append(f"  [{s['key']}] line {s['span']['line']}: {_short(s['title'] or '(no title)', 60)} -> {s['url'] or '(no URL)'}")
    summary = data["summary"]
    if summary is None:
        out.append("summary  (no Summary section)")
    else:
        sentences = summary["sentences"]
        clauses = sum(len(s["clauses"]) for s in sentences)
        out.append(f"summary  {len(sentences)} sentence(s), {clauses} clause(s)")
        for i, s in enumerate(sentences, 1):
            out.append(f"  sentence {i} at {_at(s['span'])}: {s['text']}")
            for c in s["clauses"]:
                out.append(f"    clause {_at(c['span'])}-{c['span']['end_line']}:{c['span']['end_column']} {_cites(c['marker'])}: {c['text']}")
            if s["tail"]:
                out.append(f"    uncited tail {_at(s['tail']['span'])}: {s['tail']['text']}")
    claims = data["claims"]
    if claims is None:
        out.append("claims   (no claims table)")
    else:
        usable = "" if claims["usable"] else "  (header not understood: rows are not checked)"
        out.append(f"claims   header '{' | '.join(claims['header'])}' columns {claims['columns']}{usable}")
        for r in claims["rows"]:
            number = f"[{r['number']}]" if r["number"] is not None else "[?]"
            marker = f", marker '{r['marker']['written']}'" if r["marker"] else ""
            out.append(f"  line {r['line']} row {number} numbered by {r['numbered_by']}{marker}")
            out.append(f"    claim:   {r['claim']['text'] if r['claim'] else ''}")
            out.append(f"    source:  {r['source'] or '(none)'}")
            out.append(f"    context: {r['context']['text'] if r['context'] else '(none)'}")
    out.append("problems" + ("  (none)" if not data["problems"] else ""))
    for p in data["problems"]:
        out.append(f"  {_at(p['span'])} {p['code']} {p['message']}")
    return "".join(line + "\n" for line in out)


def main(argv: Sequence[str]) -> int:
    """``citelint inspect FILE [--format text|json]``; 0, or 2 with one line on error."""
    from citelint import reading, readers

    ap = argparse.ArgumentParser(prog="citelint inspect", description="Print what the reader saw in a report.")
    ap.add_argument("file", metavar="FILE", help="a report ('-' reads stdin)")
    ap.add_argument("--format", choices=("text", "json"), default="text")
    ap.add_argument("--input-format", choices=("auto", "smartbook", "endnotes", "footnotes", "storm", "inline-links"), default=None, help="the reader to use (default: the configuration's format key, else detected)")
    ap.add_argument("--config", metavar="PATH", help="the configuration file (default: the closest one)")
    ap.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    try:
        args = ap.parse_args(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else 2
    from citelint.config import ConfigError, Overrides, Resolver
    from citelint.registry import load_rules

    try:
        # The file is read as a lint run reads it: its configuration's format, STORM
        # sidecar and reader limits.
        overrides = Overrides(input_format=args.input_format)
        resolver = Resolver(load_rules(), config=args.config, isolated=args.isolated, overrides=overrides)
        settings = resolver.settings_for(os.path.abspath(args.file) if args.file != "-" else os.path.join(os.getcwd(), "-"))
    except ConfigError as exc:
        print(f"citelint: error: {exc}", file=sys.stderr)
        return 2
    try:
        text = reading.decode(sys.stdin.buffer.read()) if args.file == "-" else reading.read(args.file)
        doc = readers.read(text, args.file, settings.input_format, settings.storm_sidecar, settings.limits)
    except (reading.ReadError, readers.ReaderError) as exc:
        print(f"citelint: error: {args.file}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a parser bug: one line, never a traceback
        print(f"citelint: error: {args.file}: internal error while parsing: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    data = describe(doc)
    if args.format == "json":
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render(data))
    return 0
