"""STORM's output: an article citing ``[n]`` with its sources in a sidecar JSON file.

STORM writes ``<topic>storm_gen_article.txt`` (or ``..._polished.txt``) and, beside it,
``<topic>url_to_info.json``: ``url_to_unified_index`` maps each URL to the number the article
cites it by, and ``url_to_info`` gives its title, description and the snippets STORM quoted
from it. The snippets are the sources' passages. Sources defined in the sidecar have no place
in the article: their findings point at its first line and name the sidecar.
"""
from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from typing import Any

from citelint import reading, sidecars
from citelint.citations import STORM, Citations, Source, Words
from citelint.model import Document, Span
from citelint.readers.endnotes import statements

# Its sources are known by the snippets STORM quoted from them: they are the passages.
_WORDS = Words(passage="snippets")
# A sidecar larger than this is no STORM output (the example's is 9 KB; a report may be 10 MiB).
MAX_BYTES = reading.MAX_BYTES


def sidecar_of(path: str, pattern: str | None = None) -> str | None:
    """The sidecar of the article at ``path``, when there is one (see ``citelint.sidecars``)."""
    return sidecars.locate(path, pattern)


class SidecarError(ValueError):
    """A sidecar that is not STORM's: str() says what is wrong with it."""


def _load(path: str) -> Any:
    """The sidecar's JSON, or SidecarError: not a regular file, too large, not UTF-8, not JSON."""
    from citelint.discovery import not_regular, stat_problem

    try:
        st = os.stat(path)
    except OSError as exc:
        raise SidecarError(stat_problem(path, exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise SidecarError("is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise SidecarError(not_regular(st.st_mode))
    if st.st_size > MAX_BYTES:
        raise SidecarError(f"is too large ({st.st_size / 1048576:.1f} MiB; the limit is {MAX_BYTES // 1048576} MiB)")
    try:
        text = reading.decode(reading.read_bytes(path))
    except reading.ReadError as exc:
        raise SidecarError(str(exc)) from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise SidecarError(f"invalid JSON: {exc}") from None
    except RecursionError:  # the C decoder recurses once per level of nesting
        raise SidecarError("invalid JSON: arrays or objects nested too deeply") from None


def _short(url: str) -> str:
    return url if len(url) <= 60 else url[:57] + "..."


def _sources(data: Any, where: str) -> list[Source]:
    """The sources a sidecar's JSON gives, or SidecarError naming the first thing that is
    not in STORM's shape (an entry is never skipped silently: a skipped source would turn
    the citations of it into dangling ones)."""
    if not isinstance(data, dict):
        raise SidecarError(f"not a JSON object but {_kind(data)}")
    index = data.get("url_to_unified_index")
    info = data.get("url_to_info", {})
    if not isinstance(index, dict):
        raise SidecarError("has no 'url_to_unified_index' object (URL -> citation number)")
    if not isinstance(info, dict):
        raise SidecarError(f"'url_to_info' is {_kind(info)}, not an object (URL -> title and snippets)")
    span = Span(1, 1, 1, 1)
    out = []
    for url, number in index.items():
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise SidecarError(f"url_to_unified_index[{_short(url)!r}] is {_kind(number)}, not a citation number")
        entry = info.get(url, {})
        if not isinstance(entry, dict):
            raise SidecarError(f"url_to_info[{_short(url)!r}] is {_kind(entry)}, not an object")
        title = entry.get("title")
        snippets = entry.get("snippets", [])
        if title is not None and not isinstance(title, str):
            raise SidecarError(f"url_to_info[{_short(url)!r}].title is {_kind(title)}, not a string")
        if not isinstance(snippets, list) or not all(isinstance(x, str) for x in snippets):
            raise SidecarError(f"url_to_info[{_short(url)!r}].snippets is not a list of strings")
        out.append(
            Source(
                key=str(number),
                span=span,
                label=None,
                url=url,
                url_text=None,
                title=title,
                snippets=tuple(snippets),
                defined_in=where,
            )
        )
    out.sort(key=lambda s: int(s.key))
    return out


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}" if len(repr(value)) <= 20 else "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object" if isinstance(value, dict) else type(value).__name__


def read(doc: Document, tokens: list[dict[str, Any]], forced: bool = False, pattern: str | None = None) -> Document | None:
    """``doc`` read as a STORM article with its sidecar, or None when it has none (unless
    ``forced``). A sidecar that is there but cannot be read, or is not STORM's, is a
    ReaderError: one line for the file, never a silent reading as another format."""
    from citelint.readers import ReaderError

    sidecar = sidecar_of(doc.path, pattern)
    if sidecar is None:
        if not forced:
            return None
        if doc.path.startswith("<") or doc.path == "-":
            raise ReaderError("read as STORM output, but text with no file has no url_to_info.json beside it")
        looked = " or ".join(sidecars.candidates(doc.path, pattern))
        raise ReaderError(f"read as STORM output, but it has no sidecar (looked for {looked})")
    try:
        sources = _sources(_load(sidecar), os.path.basename(sidecar))
    except SidecarError as exc:
        raise ReaderError(f"STORM sidecar {sidecar}: {exc}") from None
    said = statements(doc, tokens, [], {})
    return replace(doc, format=STORM, citations=Citations(STORM, tuple(said), tuple(sources), words=_WORDS))
