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
from dataclasses import replace
from typing import Any

from citelint import reading
from citelint.citations import STORM, Citations, Source, Words
from citelint.model import Document, Span
from citelint.readers.endnotes import statements

SIDECAR = "url_to_info.json"
# Its sources are known by the snippets STORM quoted from them: they are the passages.
_WORDS = Words(passage="snippets")
_ARTICLE_SUFFIXES = ("storm_gen_article_polished", "storm_gen_article")


def sidecar_of(path: str) -> str | None:
    """The sidecar beside the article at ``path``, when there is one."""
    folder, name = os.path.split(path)
    stem = os.path.splitext(name)[0]
    candidates = []
    for suffix in _ARTICLE_SUFFIXES:
        if stem.endswith(suffix):
            candidates.append(stem[: -len(suffix)] + SIDECAR)
            break
    candidates.append(SIDECAR)
    for candidate in candidates:
        full = os.path.join(folder, candidate)
        if os.path.isfile(full):
            return full
    return None


def _sources(data: Any, where: str) -> list[Source] | None:
    if not isinstance(data, dict):
        return None
    index = data.get("url_to_unified_index")
    info = data.get("url_to_info")
    if not isinstance(index, dict):
        return None
    info = info if isinstance(info, dict) else {}
    span = Span(1, 1, 1, 1)
    out = []
    for url, number in index.items():
        if not isinstance(url, str) or isinstance(number, bool) or not isinstance(number, int):
            continue
        entry = info.get(url)
        entry = entry if isinstance(entry, dict) else {}
        title = entry.get("title")
        snippets = entry.get("snippets")
        out.append(
            Source(
                key=str(number),
                span=span,
                label=None,
                url=url,
                url_text=None,
                title=title if isinstance(title, str) else None,
                snippets=tuple(s for s in snippets if isinstance(s, str)) if isinstance(snippets, list) else (),
                defined_in=where,
            )
        )
    out.sort(key=lambda s: int(s.key))
    return out


def read(doc: Document, tokens: list[dict[str, Any]], forced: bool = False) -> Document | None:
    """``doc`` read as a STORM article with its sidecar, or None when it has none (or the
    sidecar is not one: unreadable, not JSON, or without ``url_to_unified_index``)."""
    sidecar = sidecar_of(doc.path) if doc.path not in ("<string>", "-") else None
    sources: list[Source] | None = None
    if sidecar is not None:
        try:
            sources = _sources(json.loads(reading.read(sidecar)), os.path.basename(sidecar))
        except (reading.ReadError, ValueError):
            sources = None
    if sources is None and not forced:
        return None
    said = statements(doc, tokens, [], {})
    return replace(doc, format=STORM, citations=Citations(STORM, tuple(said), tuple(sources or ()), words=_WORDS))
