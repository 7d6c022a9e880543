"""Where a STORM article's sidecar (``url_to_info.json``) is: beside it by STORM's own
naming, or where the ``storm-sidecar`` configuration key says.

Kept apart from the STORM reader (which imports the Markdown machinery) so that the result
cache can stamp a report with its sidecar's state on a warm run without importing it.
"""
from __future__ import annotations

import os

SIDECAR = "url_to_info.json"
# STORM names an article "<topic>storm_gen_article.txt" (or "..._polished.txt") and its
# sidecar "<topic>url_to_info.json"; in a folder per topic, the sidecar is "url_to_info.json".
_ARTICLE_SUFFIXES = ("storm_gen_article_polished", "storm_gen_article")


def _topic(name: str) -> str:
    for suffix in _ARTICLE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def candidates(path: str, pattern: str | None = None) -> list[str]:
    """Where the sidecar of the article at ``path`` may be, in order. ``pattern`` (the
    ``storm-sidecar`` key) is a path relative to the article's folder, in which ``{name}``
    stands for the article's file name without its extension and ``{topic}`` for that name
    without STORM's ``storm_gen_article`` suffix."""
    folder, base = os.path.split(path)
    name = os.path.splitext(base)[0]
    if pattern is not None:
        # str.replace, not str.format: a pattern is data, and format would read attributes.
        return [os.path.join(folder, pattern.replace("{name}", name).replace("{topic}", _topic(name)))]
    out = []
    if _topic(name) != name:
        out.append(os.path.join(folder, _topic(name) + SIDECAR))
    out.append(os.path.join(folder, SIDECAR))
    return out


def locate(path: str, pattern: str | None = None) -> str | None:
    """The first candidate that exists (a file or not: a directory there is an error the
    reader reports, not a reason to look on), or None; never for text with no file."""
    if path in ("<string>", "-") or path.startswith("<"):
        return None
    return next((c for c in candidates(path, pattern) if os.path.lexists(c)), None)


def stamp(path: str, pattern: str | None = None) -> str:
    """The state of the sidecar the article at ``path`` would be read with (its path, size
    and modification time), for the result cache: a changed sidecar changes the findings."""
    found = locate(path, pattern)
    if found is None:
        return ""
    try:
        st = os.stat(found)
    except OSError:
        return f"{found}:unreadable"
    return f"{found}:{st.st_size}:{st.st_mtime_ns}"
