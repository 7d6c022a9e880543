"""Build small reports for tests (our own text, in the format's shape)."""
from __future__ import annotations

FONT = "<font color=#FF3399>[{}]</font>"


def marker(n: int | str) -> str:
    return FONT.format(n)


def row(n: int | str | None, claim: str, context: str | None = None, url: str | None = None) -> str:
    lead = marker(n) + " " if n is not None else ""
    link = f'<a href="{url or f"https://example.org/{n}"}" target="_blank">Source</a>'
    return f"|{lead}{claim}{link}| {context if context is not None else claim}|"


def report(summary: str, rows: list[str], title: str = "What happened?", header: str = "| Claim Sentence | Context |") -> str:
    return "\n".join(
        [f"# {title}", "", "## Summary", summary, "", "## Claims", header, "|---|---|", *rows, ""]
    )
