"""``citelint server``: a Language Server Protocol server over standard input and output.

Findings arrive as diagnostics while the writer types (debounced; a run that a newer change
supersedes is dropped), each finding's fix is a quick fix, and the citations can be
followed: hover on a marker shows the rows it cites, go-to-definition jumps to the row,
find-references lists the summary markers citing a row, rename renumbers a row and its
markers, source links are document links.

A re-lint after a change is exact and quick: the parse follows an edit of the claims rows
(``citelint.incremental``) and the rules run in a memo session (``citelint.memo``) whose
per-text results outlive the run, as do the rules' hits per row or field
(``citelint.units``) and the support analysis (``citelint.support``), so only what the
edit touched is computed again.

Built on pygls and lsprotocol (the ``lsp`` extra); only this subcommand imports them. The
model is read through ``citelint.navigation``; columns are converted to the negotiated
position encoding only here (``citelint.positions``).
"""
from __future__ import annotations

import asyncio
import gc
import json
from json.encoder import encode_basestring_ascii
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, overload
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition
from pygls.workspace.text_document import TextDocument

from citelint import __version__, api, engine, incremental, memo, navigation, parser, positions, readers
from citelint.config import CONFIG_NAMES, ConfigError, Resolver, Settings
from citelint.finding import Applicability, Edit, Finding, Related, Severity
from citelint.limits import DEFAULT as DEFAULT_LIMITS
from citelint.limits import Limits
from citelint.model import Document, LineIndex, Span
from citelint.registry import Rule, load_rules

SOURCE = "citelint"
FIX_ALL = "source.fixAll.citelint"
# Entries per memoized function in the server's session: a report of thousands of rows (a
# 4,000-row report keeps about 30,000 scores), with room for the texts its edits replaced.
MEMO_SIZE = 65_536
# How long typing must pause before a change is linted (ms); a client may set it with the
# initialization option "debounce".
DEBOUNCE_MS = 250
_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}
_REQUEST_FAILED = -32803  # LSP's RequestFailed: a request that is valid but cannot be done


class RequestFailed(JsonRpcException):
    CODE = _REQUEST_FAILED


@dataclass(frozen=True)
class Analysis:
    """One lint of one text: the findings and the settings they came from."""

    text: str
    findings: tuple[Finding, ...]
    settings: Settings | None  # None: the configuration could not be read
    config_error: str | None = None
    # Why the file could not be read as its format (a broken STORM sidecar), as the CLI says it.
    read_error: str | None = None


# A published diagnostic: its finding's span, message and related places, the template it
# was put into (from ``_Open.said``), its JSON text, and the rule and severity the
# template is of.
_Shown = tuple[Span, str, tuple[Related, ...], list[str], str, str, Severity]


@dataclass
class _Open:
    """What the server keeps per open document: the last parse and lint, and the pending run."""

    generation: int = 0
    # The last parse: (text, how it was read: format, sidecar and its stamp, limits), the parse.
    parsed: tuple[tuple[str, ReadAs], Document] | None = None
    analysis: Analysis | None = None
    task: asyncio.Task[None] | None = None
    # The JSON text of published diagnostics, less their ranges and messages, by rule,
    # severity and number of related places: thousands of diagnostics are published after
    # each change, and an edit that moves lines renumbers many messages.
    said: dict[tuple[str, Severity, int], list[str]] = field(default_factory=dict)
    # The last publication's diagnostics of ASCII text, by their finding's span (by
    # identity): a rule's kept hit (``citelint.units``) is the same span, message and
    # related places run after run, and its JSON text is the same.
    shown: dict[int, _Shown] = field(default_factory=dict)


@dataclass
class _State:
    rules: Sequence[Rule] = ()
    resolver: Resolver | None = None
    stamps: dict[str, tuple[tuple[str, int, int], ...]] = field(default_factory=dict)
    open: dict[str, _Open] = field(default_factory=dict)
    debounce: float = DEBOUNCE_MS / 1000
    pages: dict[str, str | None] = field(default_factory=dict)
    # One lint at a time, off the event loop: hovers and jumps stay quick while it runs.
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="citelint-lint"))
    # The lint thread's memos of per-text results, kept from run to run.
    memo: memo.Session = field(default_factory=lambda: memo.Session(MEMO_SIZE))
    # Parses for hover, jumps and code actions, off the event loop too.
    nav_pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="citelint-parse"))
    # Whether a run's survivors are frozen out of the cyclic collector's walks (the server
    # process only: ``_lint``), and the runs so far.
    freeze: bool = False
    runs: int = 0


class _Codec(PositionCodec):
    """pygls's conversion of a client's column, answered at once on an ASCII line (where
    every encoding counts characters) and by bisection on another (``_from_client_units``):
    pygls walks the line in Python, which on the one line of a long summary (hundreds of
    thousands of characters) took longer than linting the edit (measured)."""

    def position_from_client_units(self, lines: Sequence[str], position: lsp.Position) -> ServerTextPosition:
        if 0 <= position.line < len(lines):
            line = lines[position.line]
            if line.isascii():
                # What the loop of pygls gives on such a line, clamping included.
                line = line.replace("\r\n", "\n")
                if not line:
                    return ServerTextPosition(position.line, 0)
                if position.character > len(line):
                    position.character = len(line) - 1
                return ServerTextPosition(position.line, position.character)
            encoding = getattr(self.encoding, "value", self.encoding)
            if encoding in (positions.UTF8, positions.UTF16):
                return ServerTextPosition(position.line, _from_client_units(line.replace("\r\n", "\n"), position, encoding))
        return super().position_from_client_units(lines, position)


def _from_client_units(line: str, position: lsp.Position, encoding: str) -> int:
    """What pygls's loop gives for ``position`` on a ``line`` with characters outside
    ASCII (clamping included, and an offset inside a character landing after it), found by
    bisection over the line's wide characters (``positions.wide``) instead of a walk of
    the line in Python: 49 ms near the end of a 300,000-character summary line, on every
    change."""
    table = positions.wide(line, encoding)
    size = len(line) + (table[1][-1] if table[1] else 0)  # (the line's units)
    if size == 0:
        return 0
    if position.character > size:
        position.character = size - 1
    target = position.character
    # The first column whose units before it reach the offset: units grow with the column.
    lo, hi = 0, len(line)
    while lo < hi:
        mid = (lo + hi) // 2
        if positions.to_units_in(table, mid) >= target:
            hi = mid
        else:
            lo = mid + 1
    return lo


class _Document(TextDocument):
    """pygls's document, with a range edit applied by slicing the text: pygls copies every
    line of the document through a StringIO in Python (a 4,000-row report's ten thousand
    lines, on the event loop, for each keystroke). The same text as pygls's loop, which
    is used for whatever is not a plain forward range inside the lines. The lines the
    edit's range is read in are those pygls splits (``TextDocument.lines``), read from
    the line starts kept through the edits instead of splitting the whole text again."""

    # The text its line starts were found in, and those (None: not known, or the text has
    # a line break other than LF, which pygls's split counts too).
    _index: tuple[str, LineIndex] | None = None

    def _line_index(self, source: str) -> LineIndex | None:
        kept = self._index
        if kept is not None and kept[0] is source:
            return kept[1]
        if any(c in source for c in _OTHER_BREAKS):
            return None
        found = LineIndex.of(source)
        self._index = (source, found)
        return found

    def _apply_incremental_change(self, change: lsp.TextDocumentContentChangePartial) -> None:
        source = self.source
        index = self._line_index(source)
        lines: Sequence[str] = self.lines if index is None else _Split(source, index.starts)
        where = self._position_codec.range_from_client_units(lines, change.range)
        (sl, sc), (el, ec) = (where.start.line, where.start.character), (where.end.line, where.end.character)
        if not (0 <= sl and 0 <= sc and 0 <= ec and (sl, sc) <= (el, ec) and el < len(lines)):
            super()._apply_incremental_change(change)
            return
        if index is None:
            at = sum(map(len, lines[:sl]))
            start = at + min(sc, len(lines[sl]))
            end = at + sum(map(len, lines[sl:el])) + min(ec, len(lines[el]))
        else:
            starts = index.starts
            start = starts[sl] + min(sc, len(lines[sl]))
            end = starts[el] + min(ec, len(lines[el]))
        text = change.text
        self._source = new = source[:start] + text + source[end:]
        if index is not None and not any(c in text for c in _OTHER_BREAKS):
            # (the starts before the edit kept, those in its text found, those after moved)
            self._index = (new, incremental.moved_lines(index, new, (start, end, start + len(text))))


# What ``str.splitlines`` breaks a line at besides LF.
_OTHER_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


class _Split(Sequence[str]):
    """``tuple(source.splitlines(True))`` for a text whose only line break is LF, given its
    line starts: a line is sliced when it is read."""

    def __init__(self, source: str, starts: tuple[int, ...]) -> None:
        self.source, self.starts = source, starts
        # (no line after a final line break, nor in an empty text)
        self.size = len(starts) - (1 if starts[-1] == len(source) else 0)

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...

    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return tuple(self[k] for k in range(*i.indices(self.size)))
        if i < 0:
            i += self.size
        if not 0 <= i < self.size:
            raise IndexError(i)
        starts = self.starts
        return self.source[starts[i] : starts[i + 1] if i + 1 < len(starts) else len(self.source)]


class CitelintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("citelint", __version__)
        self.state = _State()


def path_of(uri: str) -> str:
    """The file path of a ``file:`` URI; other URIs (an unsaved buffer) are linted under
    their own name, with the settings of the working directory."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return uri
    return unquote(parsed.path)


def _settings_path(path: str) -> str:
    return path if os.path.isabs(path) else os.path.join(os.getcwd(), "untitled.md")


def _stamp(path: str) -> tuple[tuple[str, int, int], ...]:
    """The configuration files that could apply to ``path``, with their times and sizes: a
    change, a new file or a removed one means the settings must be read again."""
    found = []
    current = os.path.dirname(os.path.abspath(path))
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(current, name)
            try:
                st = os.stat(candidate)
            except OSError:
                continue
            found.append((candidate, st.st_mtime_ns, st.st_size))
        parent = os.path.dirname(current)
        if parent == current:
            return tuple(found)
        current = parent


def settings_for(state: _State, path: str) -> Settings:
    """The settings of ``path``'s closest configuration file, read again when any
    configuration file on its way up changed (raises ConfigError)."""
    where = _settings_path(path)
    stamp = _stamp(where)
    if state.resolver is None or state.stamps.get(where) != stamp:
        if state.stamps.get(where) is not None:
            state.stamps.clear()
        state.resolver = Resolver(state.rules)
        state.stamps[where] = stamp
    return state.resolver.settings_for(where)


ReadAs = tuple[str, "str | None", str, Limits]


def parse_cached(state: _State, uri: str, text: str, settings: Settings | None = None, strict: bool = True) -> Document:
    """The parse of ``text`` by the reader the file's settings name (``format``,
    ``storm-sidecar``, ``limits``), as the command line reads it: the last one while the
    text and those are unchanged, else the last one followed through the edit when
    ``citelint.incremental`` can, else a full parse (kept for open documents only: a
    document closed while a thread parsed it is not brought back). readers.ReaderError
    when the file cannot be read as its format, unless not ``strict`` (navigation): then
    its plain Markdown parse."""
    from citelint import sidecars

    path = path_of(uri)
    opened = state.open.get(uri)
    if settings is None and opened is not None and opened.analysis is not None:
        settings = opened.analysis.settings  # those of the last run (navigation's thread reads no files)
    elif settings is None:
        try:
            settings = settings_for(state, path)
        except ConfigError:
            settings = None
    fmt = settings.input_format if settings is not None else readers.AUTO
    sidecar = settings.storm_sidecar if settings is not None else None
    limits = settings.limits if settings is not None else DEFAULT_LIMITS
    how: ReadAs = (fmt, sidecar, sidecars.stamp(path, sidecar), limits)
    last = opened.parsed if opened is not None else None
    if last is not None and last[0] == (text, how):
        return last[1]
    doc = None
    if last is not None and last[0][1] == how and incremental.follows(last[1], limits):
        try:
            doc = incremental.reparse(last[1], text, path)
        except Exception:  # the full parse below is the reference: never worse than it
            doc = None
        if doc is not None and not incremental.follows(doc, limits):
            doc = None  # past a reader bound now: the full parse says where it stops
    if doc is None:
        try:
            doc = readers.read(text, path, fmt, sidecar, limits)
        except readers.ReaderError:
            if strict:
                raise
            return parser.parse(text, path, limits)
    if opened is not None:
        opened.parsed = ((text, how), doc)
    return doc


def _lint(state: _State, uri: str, text: str, settings: Settings) -> tuple[Finding, ...]:
    path = path_of(uri)
    # The cyclic garbage collector would walk the whole kept parse and memos several times
    # during a run that builds tens of thousands of model objects (most of a re-lint's
    # time, measured); they hold no cycles to collect, and it runs again after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # The rules' per-text work (scores, word lists, URLs, ...) is memoized across runs.
        with memo.session(keep=state.memo):
            doc = parse_cached(state, uri, text, settings)
            found = engine.check_document(doc, settings.rules_for(path), settings.options, settings.severity, state.rules)
    finally:
        if collecting:
            if state.freeze:
                _freeze(state)
            gc.enable()
    return tuple(found)


def _freeze(state: _State) -> None:
    """Freeze what the run left (``gc.freeze``). Everything a run allocates is young once
    the collector is enabled again, and its next young collection walked all of it: 25 to
    60 ms after every edit of a large report (measured). Frozen objects are still freed
    when nothing refers to them; only garbage in cycles waits, so every SWEEP_RUNS runs
    everything is collected once (a pause of about the time of a full run) and frozen
    again. (Counting the frozen objects to sweep when they grow walks them all: as slow
    as the collection it saves.)"""
    state.runs += 1
    if state.runs % SWEEP_RUNS == 0:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


# Runs between two full collections of what runs left frozen.
SWEEP_RUNS = 200


def analyse(state: _State, uri: str, text: str) -> Analysis:
    """Lint ``text`` with its file's settings (on the lint thread)."""
    path = path_of(uri)
    try:
        settings = settings_for(state, path)
    except ConfigError as exc:
        return Analysis(text, (), None, str(exc))
    if settings.force_exclude and settings.excludes(path):
        # As on the command line: a file named (here: opened) is linted unless the
        # configuration forces its exclusion.
        return Analysis(text, (), settings)
    try:
        return Analysis(text, _lint(state, uri, text, settings), settings)
    except readers.ReaderError as exc:  # the file, not the server, is at fault
        return Analysis(text, (), settings, read_error=str(exc))


# --- positions ---------------------------------------------------------------------------


class Lines:
    """Converts citelint's places (1-based lines, code-point columns) to the client's
    positions and back, for one text."""

    def __init__(self, text: str, encoding: str) -> None:
        self.bom = text.startswith("\ufeff")
        self.crlf = "\r\n" in text
        self.source = incremental.normalized(text)
        self.encoding = encoding
        self._wide: dict[int, positions.Wide] = {}

    @cached_property
    def lines(self) -> list[str]:
        # Split on first use: publishing the findings of a text of ASCII characters only
        # needs no line (its columns are the client's units).
        return self.source.split("\n")

    def _line(self, index: int) -> str:
        line = self.lines[index] if 0 <= index < len(self.lines) else ""
        return "\ufeff" + line if self.bom and index == 0 else line

    def position(self, line: int, col: int) -> lsp.Position:
        """The client position of 1-based ``line`` and code-point ``col``."""
        index = line - 1
        column = col - 1 + (1 if self.bom and index == 0 else 0)
        # Each line's wide characters found once for the text: a publication converts the
        # places of thousands of findings, hundreds of them on one long summary line.
        table = self._wide.get(index)
        if table is None:
            table = self._wide[index] = positions.wide(self._line(index), self.encoding)
        return lsp.Position(index, positions.to_units_in(table, column))

    def range(self, span: Span) -> lsp.Range:
        return lsp.Range(self.position(span.line, span.col), self.position(span.end_line, span.end_col))

    def offset_in(self, doc: Document, pos: lsp.Position) -> int:
        """The offset in ``doc.source`` (the parse of this text) of a client position."""
        index = min(max(pos.line, 0), len(doc.lines.starts) - 1)
        column = positions.from_units(self._line(index), pos.character, self.encoding)
        if self.bom and index == 0:
            column = max(column - 1, 0)
        return doc.lines.starts[index] + min(column, len(self.lines[index]))

    def edit(self, doc: Document, edit: Edit) -> lsp.TextEdit:
        span = edit.span or doc.span(edit.start, edit.end)
        text = edit.text.replace("\n", "\r\n") if self.crlf else edit.text
        return lsp.TextEdit(self.range(span), text)


def encoding_of(server: LanguageServer) -> str:
    chosen = server.workspace.position_encoding or lsp.PositionEncodingKind.Utf16
    return str(chosen.value if isinstance(chosen, lsp.PositionEncodingKind) else chosen)


# --- diagnostics -------------------------------------------------------------------------


def rule_page_uri(state: _State, code: str) -> str | None:
    """A file: URI of the rule's page in the installed rule book (None for a rule without
    one, such as a plugin's)."""
    if code not in state.pages:
        uri = None
        candidates: list[Path] = []
        try:
            from importlib.resources import files

            found = files("citelint.rulebook") / f"{code}.md"
            if isinstance(found, Path):
                candidates.append(found)
        except (ModuleNotFoundError, NotADirectoryError, TypeError):
            pass
        candidates.append(Path(__file__).resolve().parent.parent / "rules" / f"{code}.md")
        for candidate in candidates:
            if candidate.is_file():
                uri = candidate.resolve().as_uri()
                break
        state.pages[code] = uri
    return state.pages[code]


def diagnostic(state: _State, uri: str, lines: Lines, f: Finding) -> lsp.Diagnostic:
    page = rule_page_uri(state, f.code)
    return lsp.Diagnostic(
        range=lines.range(f.span),
        message=f.message,
        severity=_SEVERITY[f.severity],
        code=f.code,
        code_description=lsp.CodeDescription(href=page) if page else None,
        source=SOURCE,
        related_information=[
            lsp.DiagnosticRelatedInformation(lsp.Location(uri, lines.range(r.span)), r.message) for r in f.related
        ]
        or None,
    )


def _range(lines: Lines, span: Span) -> dict[str, Any]:
    start, end = lines.position(span.line, span.col), lines.position(span.end_line, span.end_col)
    return {"start": {"line": start.line, "character": start.character}, "end": {"line": end.line, "character": end.character}}


def diagnostic_json(state: _State, uri: str, lines: Lines, f: Finding) -> dict[str, Any]:
    """The diagnostic of a finding as its JSON value (what ``diagnostic`` gives, built
    without the protocol classes: a report of thousands of rows has thousands of them)."""
    value: dict[str, Any] = {
        "range": _range(lines, f.span),
        "message": f.message,
        "severity": _SEVERITY[f.severity].value,
        "code": f.code,
        "source": SOURCE,
    }
    page = rule_page_uri(state, f.code)
    if page:
        value["codeDescription"] = {"href": page}
    if f.related:
        value["relatedInformation"] = [
            {"location": {"uri": uri, "range": _range(lines, r.span)}, "message": r.message} for r in f.related
        ]
    return value


# A stand-in for a range in a diagnostic's JSON text: a character JSON always escapes and
# an engine message never holds (it makes them printable).
_HOLE = "\x01"
_HOLE_JSON = json.dumps(_HOLE)


def _pieces(state: _State, uri: str, f: Finding) -> list[str]:
    """The JSON text of a diagnostic of ``f``'s rule, severity and number of related
    places, split where its ranges and messages go: the finding's range and message, then
    each related place's range and message."""
    value = diagnostic_json(state, uri, _NO_LINES, f)
    value["range"] = value["message"] = _HOLE
    for info in value.get("relatedInformation", ()):
        info["location"]["range"] = info["message"] = _HOLE
    pieces = _dumps(value).split(_HOLE_JSON)
    assert len(pieces) == 3 + 2 * len(f.related)  # (no other text in it is the finding's)
    return pieces


class _NoLines:
    """``Lines`` for a template: every range is the stand-in."""

    def position(self, line: int, col: int) -> lsp.Position:
        return lsp.Position(0, 0)


_NO_LINES: Any = _NoLines()
_RANGE = '{"start":{"line":%d,"character":%d},"end":{"line":%d,"character":%d}}'


def publish(server: CitelintServer, uri: str, text: str, findings: Sequence[Finding], version: int | None) -> None:
    """Send the findings of ``text`` as the document's diagnostics."""
    state = server.state
    opened = state.open.get(uri)
    encoding = encoding_of(server)
    lines = Lines(text, encoding)
    # Columns count code points; in text of ASCII characters only (with no byte-order mark
    # before the first line) they are the client's units in every encoding.
    plain = lines.source.isascii() and not lines.bom
    said = opened.said if opened is not None else {}

    def range_json(span: Span) -> str:
        if plain:
            return _RANGE % (span.line - 1, span.col - 1, span.end_line - 1, span.end_col - 1)
        start, end = lines.position(span.line, span.col), lines.position(span.end_line, span.end_col)
        return _RANGE % (start.line, start.character, end.line, end.character)

    # Each diagnostic is put together from the JSON text of its rule's template (what
    # depends on the rule, the severity and the number of related places) and its ranges
    # and messages: an edit that renumbers lines changes thousands of messages.
    message_json = encode_basestring_ascii  # (what json.dumps writes for a string)
    values: list[str] = []
    # In ASCII text a range is its span's numbers whatever the encoding: a diagnostic made
    # of the same span, message, related places and template is the same text.
    shown = opened.shown if opened is not None and plain else {}
    now: dict[int, _Shown] = {}
    append, get = values.append, shown.get
    for f in findings:
        span, message, related = f.span, f.message, f.related
        had = get(id(span))
        # (the same rule and severity with the same related places: the same template)
        if had is not None and had[0] is span and had[1] is message and had[2] is related and had[5] is f.code and had[6] is f.severity:
            now[id(span)] = had
            append(had[4])
            continue
        key = (f.code, f.severity, len(related))
        pieces = said.get(key)
        if pieces is None:
            pieces = said[key] = _pieces(state, uri, f)
        parts = [pieces[0], range_json(span), pieces[1], message_json(message), pieces[2]]
        at = 3
        for r in related:
            parts += (range_json(r.span), pieces[at], message_json(r.message), pieces[at + 1])
            at += 2
        value = "".join(parts)
        if plain:
            now[id(span)] = (span, message, related, pieces, value, f.code, f.severity)
        append(value)
    if opened is not None:
        opened.shown = now  # (emptied when the text is not ASCII)
    params: dict[str, Any] = {"uri": uri}
    if version is not None:
        params["version"] = version
    head = {"jsonrpc": "2.0", "method": lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, "params": params}
    # The message is put together from the diagnostics' JSON text, and written as pygls
    # writes its own messages (one synchronous write on the event loop's thread).
    body = _dumps(head)[:-2] + ',"diagnostics":[' + ",".join(values) + "]}}"
    writer = getattr(server.protocol, "writer", None)
    if writer is not None and hasattr(writer, "write"):
        data = body.encode("utf-8")
        res = writer.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        if asyncio.iscoroutine(res) or isinstance(res, asyncio.Future):
            asyncio.ensure_future(res)
    else:  # pragma: no cover - no transport of its own: through the protocol classes
        diags = [diagnostic(state, uri, lines, f) for f in findings]
        server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, diags, version))


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _file_error(server: CitelintServer, uri: str, message: str, version: int | None) -> None:
    """One error diagnostic on the first line: the file cannot be linted as configured."""
    diag = lsp.Diagnostic(
        range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
        message=message,
        severity=lsp.DiagnosticSeverity.Error,
        source=SOURCE,
    )
    server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, [diag], version))


async def lint_and_publish(server: CitelintServer, uri: str, delay: float) -> None:
    """Lint the document after ``delay`` seconds and publish, unless a newer change came.
    A run that a newer change supersedes still finishes on the lint thread (it cannot be
    stopped part-way), and what it memoized serves the newer run."""
    state = server.state
    opened = state.open.get(uri)
    if opened is None:
        return
    generation = opened.generation
    if delay > 0:
        await asyncio.sleep(delay)
    if opened.generation != generation or uri not in state.open:
        return
    document = server.workspace.get_text_document(uri)
    text, version = document.source, document.version
    loop = asyncio.get_running_loop()
    try:
        analysis = await loop.run_in_executor(state.pool, analyse, state, uri, text)
    except Exception as exc:  # a parser bug: said once, never a crashed server
        server.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, f"citelint: {type(exc).__name__}: {exc}"))
        return
    if opened.generation != generation or uri not in state.open:
        return  # superseded while it ran: the newer run publishes
    opened.analysis = analysis
    if analysis.config_error is not None:
        _file_error(server, uri, f"configuration error: {analysis.config_error}", version)
    elif analysis.read_error is not None:
        _file_error(server, uri, analysis.read_error, version)
    else:
        publish(server, uri, text, analysis.findings, version)


def schedule(server: CitelintServer, uri: str, delay: float) -> None:
    opened = server.state.open.setdefault(uri, _Open())
    opened.generation += 1
    if opened.task is not None and not opened.task.done():
        opened.task.cancel()
    opened.task = asyncio.ensure_future(lint_and_publish(server, uri, delay))


async def current(server: CitelintServer, uri: str) -> Analysis:
    """The analysis of the document's current text (linted now when the last run is stale)."""
    state = server.state
    text = server.workspace.get_text_document(uri).source
    opened = state.open.get(uri)
    if opened is not None and opened.analysis is not None and opened.analysis.text == text:
        return opened.analysis
    loop = asyncio.get_running_loop()
    analysis = await loop.run_in_executor(state.pool, analyse, state, uri, text)
    if opened is not None and server.workspace.get_text_document(uri).source == text:
        opened.analysis = analysis
    return analysis


async def parsed(server: CitelintServer, uri: str, text: str | None = None) -> tuple[Document, Lines]:
    """The parse of the document's text (or of ``text``), made off the event loop."""
    if text is None:
        text = server.workspace.get_text_document(uri).source
    loop = asyncio.get_running_loop()
    doc = await loop.run_in_executor(server.state.nav_pool, parse_cached, server.state, uri, text, None, False)
    return doc, Lines(text, encoding_of(server))


# --- code actions ------------------------------------------------------------------------


def _workspace_edit(server: CitelintServer, uri: str, edits: list[lsp.TextEdit]) -> lsp.WorkspaceEdit:
    """Edits of one document, tied to its version when the client can check it (an edit
    computed for an older text is then refused instead of applied in the wrong place)."""
    caps = server.client_capabilities
    versioned = bool(caps.workspace and caps.workspace.workspace_edit and caps.workspace.workspace_edit.document_changes)
    if versioned:
        version = server.workspace.get_text_document(uri).version
        return lsp.WorkspaceEdit(
            document_changes=[lsp.TextDocumentEdit(lsp.OptionalVersionedTextDocumentIdentifier(uri, version), list(edits))]
        )
    return lsp.WorkspaceEdit(changes={uri: edits})


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    return not only or any(kind == o or kind.startswith(o + ".") for o in only)


def minimal_edit(before: str, after: str, lines: Lines) -> lsp.TextEdit:
    """One edit that turns ``before`` into ``after``, touching only the part that differs."""
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end_b, end_a = len(before), len(after)
    while end_b > start and end_a > start and before[end_b - 1] == after[end_a - 1]:
        end_b -= 1
        end_a -= 1

    def position(offset: int) -> lsp.Position:
        head = before[:offset]
        line = head.count("\n")
        col = offset - (head.rfind("\n") + 1)
        text = before[offset - col :].split("\n", 1)[0]
        return lsp.Position(line, positions.to_units(text, col, lines.encoding))

    return lsp.TextEdit(lsp.Range(position(start), position(end_b)), after[start:end_a])


def suppression_edit(doc: Document, lines: Lines, f: Finding) -> lsp.TextEdit | None:
    """Insert ``<!-- citelint-disable-next-line CODE -->`` on its own line above the
    finding's line. Between two table rows that is allowed (the reader skips comment
    lines); between a table's header and its delimiter row it is not, so none is offered.
    Inside a wrapped summary paragraph the comment ends the line above instead, so that the
    paragraph is not split in two where the report is shown."""
    line = f.span.line
    claims = doc.claims
    if claims is not None and claims.header_span is not None and line == claims.header_span.line + 1:
        return None
    comment = f"<!-- citelint-disable-next-line {f.code} -->"
    if line > 1 and navigation.continues_paragraph(doc, line):
        above = lines.lines[line - 2]
        at = lines.position(line - 1, len(above.rstrip()) + 1)
        end = lines.position(line - 1, len(above) + 1)
        return lsp.TextEdit(lsp.Range(at, end), " " + comment)
    index = line - 1
    source_line = lines.lines[index] if index < len(lines.lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
    newline = "\r\n" if lines.crlf else "\n"
    at = lines.position(line, 1)
    return lsp.TextEdit(lsp.Range(at, at), f"{indent}{comment}{newline}")


def code_actions(
    server: CitelintServer, uri: str, analysis: Analysis, doc: Document, rng: lsp.Range, only: Sequence[str] | None
) -> list[lsp.CodeAction]:
    """The actions on the lines of ``rng``; ``doc`` is the parse of ``analysis.text``."""
    lines = Lines(analysis.text, encoding_of(server))
    first, last = rng.start.line + 1, rng.end.line + 1
    actions: list[lsp.CodeAction] = []
    disabled: set[tuple[int, str]] = set()
    policy = analysis.settings.fix_policy(unsafe=True) if analysis.settings is not None else None
    for f in analysis.findings:
        if f.span.end_line < first or f.span.line > last:
            continue
        diag = diagnostic(server.state, uri, lines, f)
        level = policy.applicability(f) if policy is not None else None
        if f.fix is not None and level is not None and _wanted(lsp.CodeActionKind.QuickFix, only):
            label = "safe" if level is Applicability.SAFE else "unsafe"
            actions.append(
                lsp.CodeAction(
                    title=f"Fix {f.code}: {f.fix.description} ({label} fix)",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    is_preferred=level is Applicability.SAFE,
                    edit=_workspace_edit(server, uri, [lines.edit(doc, e) for e in f.fix.edits]),
                )
            )
        if (f.span.line, f.code) in disabled or not _wanted(lsp.CodeActionKind.QuickFix, only):
            continue
        disabled.add((f.span.line, f.code))
        edit = suppression_edit(doc, lines, f)
        if edit is not None:
            actions.append(
                lsp.CodeAction(
                    title=f"Disable {f.code} ({f.name}) for this line",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    edit=_workspace_edit(server, uri, [edit]),
                )
            )
    if _wanted(FIX_ALL, only) and analysis.settings is not None:
        policy = analysis.settings.fix_policy()
        count = sum(1 for f in analysis.findings if policy.applies(f))
        if count:
            action = lsp.CodeAction(title=f"Fix all safe problems ({count} fixable)", kind=FIX_ALL, data={"uri": uri})
            # The fix loop lints the report again after every pass: on a long report that
            # is worth doing only when the action is chosen, if the client can ask then.
            actions.append(action if _resolves_edits(server) else fix_all(server, action, analysis))
    return actions


def _resolves_edits(server: CitelintServer) -> bool:
    text = server.client_capabilities.text_document
    action = text.code_action if text else None
    support = action.resolve_support if action else None
    return support is not None and "edit" in support.properties


def fix_all(server: CitelintServer, action: lsp.CodeAction, analysis: Analysis) -> lsp.CodeAction:
    """The action with its edit: every safe fix, applied by the fix loop with the file's
    settings (as ``citelint --fix`` does)."""
    uri = str(action.data["uri"]) if isinstance(action.data, dict) else ""
    assert analysis.settings is not None
    outcome = api.fix_text(analysis.text, path_of(uri), analysis.settings, rules=server.state.rules)
    lines = Lines(analysis.text, encoding_of(server))
    edits = [minimal_edit(analysis.text, outcome.text, lines)] if outcome.changed else []
    action.title = f"Fix all safe problems ({sum(outcome.applied.values())} fixes)"
    action.edit = _workspace_edit(server, uri, edits)
    return action


# --- the server --------------------------------------------------------------------------


_WARM_UP = """# Did the ferry run?

## Summary
The ferry ran andmore in May <font color=#FF3399>[1]</font>, it said (2).

## Claims
| Claim Sentence | Context |
|---|---|
|<font color=#FF3399>[1]</font> The ferry ran in May.<a href="https://example.org/a">Source</a>| The ferry ran in May.It was late.|
"""


def build() -> CitelintServer:
    server = CitelintServer()
    state = server.state

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: CitelintServer, params: lsp.InitializeParams) -> None:
        codec = ls.workspace.position_codec
        if type(codec) is PositionCodec:  # the documents share it: quick on ASCII lines
            codec.__class__ = _Codec
        state.rules = load_rules()
        # Every rule's first-use set-up (the word lexicon, compiled patterns) happens here,
        # once, before the first document is opened.
        engine.check_document(parser.parse(_WARM_UP, "warm-up.md"), state.rules)
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)):
            state.debounce = max(0.0, float(options["debounce"]) / 1000)

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: CitelintServer, params: lsp.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        watch = caps.did_change_watched_files if caps else None
        if watch is not None and watch.dynamic_registration:
            watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
            registration = lsp.Registration(
                id="citelint-config",
                method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
            try:
                await ls.client_register_capability_async(lsp.RegistrationParams([registration]))
            except Exception:  # a client that refuses: mtimes are still checked on each lint
                pass

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: CitelintServer, params: None) -> None:
        for opened in state.open.values():
            if opened.task is not None:
                opened.task.cancel()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CitelintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        if type(document) is TextDocument:  # (pygls made it, from the opened text)
            document.__class__ = _Document
        schedule(ls, params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CitelintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri, state.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CitelintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CitelintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        opened = state.open.pop(uri, None)
        if opened is not None and opened.task is not None:
            opened.task.cancel()
        if not state.open:  # nothing left to re-lint: the memos go too
            state.memo.clear()
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: CitelintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        if any(os.path.basename(path_of(c.uri)) in CONFIG_NAMES for c in params.changes):
            state.resolver = None
            state.stamps.clear()
            for uri in list(state.open):
                schedule(ls, uri, 0)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True),
    )
    async def code_action(ls: CitelintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        analysis = await current(ls, uri)
        doc, _ = await parsed(ls, uri, analysis.text)
        return code_actions(ls, uri, analysis, doc, params.range, params.context.only)

    @server.feature(lsp.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: CitelintServer, action: lsp.CodeAction) -> lsp.CodeAction:
        if action.kind != FIX_ALL or not isinstance(action.data, dict) or "uri" not in action.data:
            return action
        analysis = await current(ls, str(action.data["uri"]))
        if analysis.settings is None:
            return action
        return fix_all(ls, action, analysis)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: CitelintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        doc, lines = await parsed(ls, params.text_document.uri)
        place = navigation.marker_at(doc, lines.offset_in(doc, params.position))
        if place is None:
            return None
        return lsp.Hover(
            lsp.MarkupContent(lsp.MarkupKind.Markdown, navigation.hover(doc, place)), lines.range(place.marker.text.span)
        )

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: CitelintServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
        uri = params.text_document.uri
        doc, lines = await parsed(ls, uri)
        place = navigation.marker_at(doc, lines.offset_in(doc, params.position))
        if place is None:
            return None
        rows = [row for _, found in navigation.rows_cited(doc, place.marker) for row in found]
        return [lsp.Location(uri, lines.range(navigation.row_target(row))) for row in rows] or None

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    async def references(ls: CitelintServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
        uri = params.text_document.uri
        doc, lines = await parsed(ls, uri)
        at = navigation.number_at(doc, lines.offset_in(doc, params.position))
        if at is None:
            return None
        number = at[1]
        found = [lsp.Location(uri, lines.range(m.text.span)) for m in navigation.citing(doc, number)]
        if params.context.include_declaration:
            rows = doc.rows_by_number().get(number, ())
            found = [lsp.Location(uri, lines.range(navigation.row_target(r))) for r in rows] + found
        return found

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_LINK)
    async def document_link(ls: CitelintServer, params: lsp.DocumentLinkParams) -> list[lsp.DocumentLink]:
        doc, lines = await parsed(ls, params.text_document.uri)
        return [
            lsp.DocumentLink(lines.range(doc.span(link.start, link.end)), target=link.url, tooltip="source of the claim")
            for link in navigation.links(doc)
        ]

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(ls: CitelintServer, params: lsp.PrepareRenameParams) -> lsp.PrepareRenamePlaceholder | None:
        doc, lines = await parsed(ls, params.text_document.uri)
        at = navigation.number_at(doc, lines.offset_in(doc, params.position))
        if at is None:
            return None
        _, number, start, end = at
        return lsp.PrepareRenamePlaceholder(lines.range(doc.span(start, end)), str(number))

    @server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
    async def rename(ls: CitelintServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        uri = params.text_document.uri
        doc, lines = await parsed(ls, uri)
        at = navigation.number_at(doc, lines.offset_in(doc, params.position))
        if at is None:
            return None
        wanted = params.new_name.strip().strip("[]()").strip()
        if not wanted.isdigit():
            raise RequestFailed(f"'{params.new_name}' is not a row number")
        try:
            edits = navigation.renumber(doc, at[1], int(wanted))
        except navigation.RenameError as exc:
            raise RequestFailed(str(exc)) from None
        return _workspace_edit(ls, uri, [lines.edit(doc, e) for e in edits])

    return server


def main(argv: Sequence[str] = ()) -> int:
    """Serve over standard input and output until the client says exit."""
    import argparse

    ap = argparse.ArgumentParser(prog="citelint server", description="Run the citelint language server (stdio).")
    ap.parse_args(list(argv))
    server = build()
    server.state.freeze = True  # (this process is the server's own)
    server.start_io()
    return 0
