"""The result cache, as ruff has one: a report file whose bytes, applicable settings,
citelint version and installed rules are unchanged is not linted again.

One entry file per key (``<dir>/<key[:2]>/<key>``), written to a temporary file and renamed
into place, so parallel runs (pre-commit starts several) never see half an entry; two
writers of one key write the same bytes. An entry carries a format version and a checksum
of its payload: a damaged or foreign entry is ignored (and overwritten), never used. The
cache is bounded: a run that wrote to it deletes the least recently used entries once it
holds more than ``max_bytes`` (a hit refreshes an entry's time).
"""
from __future__ import annotations

import hashlib
import marshal
import os
import time
from collections.abc import Sequence
from typing import Any

from citelint.finding import Applicability, Edit, Finding, Fix, Related, Severity
from citelint.model import Span

# 2: a fix's edits keep their line and column span.
FORMAT = 2
_MAGIC = b"CITLRC2\n"
DEFAULT_MAX_BYTES = 128 * 1024 * 1024
# Pruning walks the whole cache; a run does it at most this often (seconds).
PRUNE_INTERVAL = 60.0
_PRUNE_STAMP = ".pruned"
_ENV_STAMP: dict[str, str] = {}  # per process: the environment part of every key


def default_dir() -> str | None:
    """``results/`` in the user cache, or None when there is no place for one (HOME unset):
    the run then goes without the result cache."""
    from citelint import cache

    base = cache.cache_dir()
    return os.path.join(base, "results") if base is not None else None


def environment_stamp(known: Sequence[Any]) -> str:
    """citelint's version and the identity of every installed rule: its code, name, options
    and the size and mtime of the module that defines it, plus citelint's own modules (so
    an upgrade, a new plugin or an edited rule invalidates the cache)."""
    import citelint

    codes = ",".join(f"{r.code}:{r.name}:{r.severity}:{r.fix}:{int(r.after)}" for r in known)
    memo = _ENV_STAMP.get(codes)
    if memo is not None:
        return memo
    files = {os.path.abspath(__file__)}
    package = os.path.dirname(os.path.abspath(__file__))
    for folder in (package, os.path.join(package, "checks")):
        try:
            files.update(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".py"))
        except OSError:
            pass
    import sys

    for r in known:
        module = sys.modules.get(getattr(r.check, "__module__", "") or "")
        if module is not None and getattr(module, "__file__", None):
            files.add(os.path.abspath(str(module.__file__)))
    parts = [citelint.__version__, codes]
    for name in sorted(files):
        try:
            st = os.stat(name)
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:missing")
    stamp = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    _ENV_STAMP[codes] = stamp
    return stamp


def settings_stamp(rules: Sequence[Any], options: dict[str, Any], severity: dict[str, Any]) -> str:
    """What of a file's settings changes its findings: the rules that run on it, their
    options and their severities (not fail-on, excludes or anything else)."""
    codes = sorted(r.code for r in rules)
    used_options = {c: sorted(options[c].items()) for c in codes if c in options}
    used_severity = {c: int(severity[c]) for c in codes if c in severity}
    return repr((codes, sorted(used_options.items()), sorted(used_severity.items())))


def key(content: bytes, shown: str, settings: str, environment: str) -> str:
    h = hashlib.sha256()
    for part in (environment.encode(), shown.encode("utf-8", "surrogateescape"), settings.encode(), content):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def _entry(directory: str, k: str) -> str:
    return os.path.join(directory, k[:2], k)


def _span(s: Span) -> tuple[int, int, int, int]:
    return (s.line, s.col, s.end_line, s.end_col)


def _encode(findings: Sequence[Finding]) -> list[Any]:
    out = []
    for f in findings:
        fix = None
        if f.fix is not None:
            edits = [(e.start, e.end, e.text, _span(e.span) if e.span is not None else None) for e in f.fix.edits]
            fix = (edits, f.fix.description, f.fix.applicability.value)
        related = [(_span(r.span), r.message) for r in f.related]
        out.append((_span(f.span), f.code, f.name, int(f.severity), f.message, related, fix))
    return out


def _decode(rows: list[Any], path: str) -> list[Finding]:
    found = []
    for span, code, name, severity, message, related, fix in rows:
        fixed = None
        if fix is not None:
            edits, description, applicability = fix
            fixed = Fix(
                tuple(Edit(s, e, text, Span(*span) if span is not None else None) for s, e, text, span in edits),
                description,
                Applicability(applicability),
            )
        rel = tuple(Related(Span(*s), m) for s, m in related)
        found.append(Finding(path, Span(*span), code, name, Severity(severity), message, rel, fixed))
    return found


def load(directory: str, k: str, path: str) -> list[Finding] | None:
    """The findings stored under key ``k`` (named ``path``), or None: no entry, or one
    that is damaged, of another format, or of another key."""
    entry = _entry(directory, k)
    try:
        with open(entry, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    head = len(_MAGIC)
    if data[:head] != _MAGIC or hashlib.sha256(data[head + 32 :]).digest() != data[head : head + 32]:
        return None
    try:
        fmt, stored_key, rows = marshal.loads(data[head + 32 :])
        if fmt != FORMAT or stored_key != k:
            return None
        found = _decode(rows, path)
    except Exception:  # a checksummed entry of some other shape: still never used
        return None
    try:
        os.utime(entry)  # recently used: pruned last
    except OSError:
        pass
    return found


def store(directory: str, k: str, findings: Sequence[Finding]) -> bool:
    """Write the entry; False when the cache cannot be written (the run goes on)."""
    import tempfile

    payload = marshal.dumps((FORMAT, k, _encode(findings)))
    data = _MAGIC + hashlib.sha256(payload).digest() + payload
    folder = os.path.dirname(_entry(directory, k))
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, _entry(directory, k))
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        return False
    return True


def size(directory: str) -> tuple[int, int]:
    """(entries, bytes) in the cache."""
    n = total = 0
    for _, st in _entries(directory):
        n += 1
        total += st.st_size
    return n, total


def _entries(directory: str) -> list[tuple[str, os.stat_result]]:
    out: list[tuple[str, os.stat_result]] = []
    try:
        folders = [e for e in os.scandir(directory) if e.is_dir(follow_symlinks=False) and len(e.name) == 2]
    except OSError:
        return out
    for folder in folders:
        try:
            for e in os.scandir(folder.path):
                if not e.name.startswith("."):
                    try:
                        out.append((e.path, e.stat(follow_symlinks=False)))
                    except OSError:
                        pass
        except OSError:
            pass
    return out


def prune(directory: str, max_bytes: int = DEFAULT_MAX_BYTES, force: bool = False) -> int:
    """Delete the least recently used entries until the cache holds at most ``max_bytes``
    (three quarters of it, so that the next runs need not prune again at once). Runs at
    most once a PRUNE_INTERVAL unless ``force``. Returns how many entries were deleted."""
    stamp = os.path.join(directory, _PRUNE_STAMP)
    if not force:
        try:
            if time.time() - os.stat(stamp).st_mtime < PRUNE_INTERVAL:
                return 0
        except OSError:
            pass
    try:
        with open(stamp, "wb"):
            pass
    except OSError:
        pass
    entries = _entries(directory)
    total = sum(st.st_size for _, st in entries)
    if total <= max_bytes:
        return 0
    entries.sort(key=lambda e: e[1].st_mtime_ns)
    target = max_bytes * 3 // 4
    deleted = 0
    for name, st in entries:
        if total <= target:
            break
        try:
            os.unlink(name)
        except OSError:  # another run deleted it first
            pass
        total -= st.st_size
        deleted += 1
    return deleted
