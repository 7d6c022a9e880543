"""The language server reads a file as the command line does: the ``format`` key and a STORM
article's sidecar (found beside it or named by ``storm-sidecar``), and a broken sidecar is
one error diagnostic, as it is one error line on the command line."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the lsp extra (pygls) is not installed")

from citelint import api  # noqa: E402
from tests.lspclient import Client  # noqa: E402
from tests.test_storm_support import ARTICLE, SIDECAR  # noqa: E402

# Numbered endnotes whose source [2] is never cited: CIT502 when read as endnotes; read as
# SmartBook (the format key forcing it) it is a report with no Summary and no claims table.
ENDNOTES = """# Which bridges close in winter?

The north bridge closes in January [1].

## Sources

[1] Winter closures: https://example.org/bridges/north
[2] Ferry timetable: https://example.org/ferry
"""


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[Client]:
    c = Client(cwd=tmp_path)
    try:
        yield c
    finally:
        c.close()


def codes(client: Client, uri: str) -> list[str]:
    return sorted(d["code"] for d in client.diagnostics(uri) if "code" in d)


def test_the_format_key_chooses_the_reader_as_on_the_command_line(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "bridges.md"
    path.write_text(ENDNOTES, encoding="utf-8")
    client.initialize(tmp_path)
    uri = path.as_uri()
    client.open(uri, ENDNOTES)
    assert codes(client, uri) == ["CIT502"]
    # The configuration forces SmartBook: the server reads it again as the CLI would.
    (tmp_path / "citelint.toml").write_text('format = "smartbook"\n', encoding="utf-8")
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    expected = sorted(f.code for f in api.run([str(path)]).findings)
    assert "CIT001" in expected and "CIT502" not in expected
    assert codes(client, uri) == expected


def test_a_storm_article_is_read_with_its_sidecar_and_a_broken_one_is_said(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "Harbour_Ferry__storm_gen_article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    sidecar = tmp_path / "sources.json"
    sidecar.write_text(json.dumps(SIDECAR), encoding="utf-8")
    (tmp_path / "citelint.toml").write_text('storm-sidecar = "sources.json"\n', encoding="utf-8")
    client.initialize(tmp_path)
    uri = path.as_uri()
    client.open(uri, ARTICLE)
    diags = client.diagnostics(uri)
    assert sorted(d["code"] for d in diags) == ["CIT302", "CIT303"]
    assert any("source [3] backs it" in d["message"] for d in diags)
    # A sidecar that is no longer JSON: one error on the first line, saying which file and why.
    sidecar.write_text("{not json", encoding="utf-8")
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    (only,) = client.diagnostics(uri)
    assert only["severity"] == 1 and only["range"]["start"] == {"line": 0, "character": 0}
    assert only["message"].startswith(f"STORM sidecar {sidecar}: invalid JSON")
    # Mended, the findings come back.
    sidecar.write_text(json.dumps(SIDECAR), encoding="utf-8")
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert codes(client, uri) == ["CIT302", "CIT303"]
