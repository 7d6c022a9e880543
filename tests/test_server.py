"""The language server end to end: ``citelint server`` as a subprocess, driven over JSON-RPC
by a small client (tests/lspclient.py), as an editor drives it."""
from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

pytest.importorskip("pygls", reason="the lsp extra (pygls) is not installed")

from citelint import api  # noqa: E402
from tests.lspclient import Client, ServerError  # noqa: E402

FONT = "<font color=#FF3399>[{}]</font>"
# Astral characters (an emoji and a CJK extension B ideograph) before the findings of line 4:
# two UTF-16 units and four UTF-8 bytes each, one code point each.
PREFIX = "\U0001F600\U00020000 The ferry came back in May "
REPORT = f"""# Did the ferry come back?

## Summary
{PREFIX}andmore boats followed {FONT.format(1)}. Repairs took a year {FONT.format(3)}. The council paid for the repairs {FONT.format("1, 3")}.

## Claims
| Claim Sentence | Context |
|---|---|
|{FONT.format(1)} The ferry came back in May.<a href="https://example.org/ferry" target="_blank">Source</a>| Before that. The ferry came back in May. After that.|
<!-- citelint-disable-next-line CIT203 -->
|{FONT.format(3)} Repairs took a year.<a href="https://example.org/repairs" target="_blank">Source</a>| Repairs took a year. The council paid for the repairs.|
|{FONT.format(2)} The council paid for the repairs.<a href="https://example.org/ferry" target="_blank">Source</a>| The council paid for the repairs. Nobody objected.|
"""
SUMMARY_LINE = 3  # 0-based, as LSP counts lines
ROW_LINES = {1: 8, 3: 10, 2: 11}


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def offset(text: str, pos: dict[str, int], encoding: str) -> int:
    """The string index of an LSP position (worked out here, not with citelint's code)."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: pos["line"]])
    line, count = lines[pos["line"]], 0
    for i, ch in enumerate(line):
        if count >= pos["character"]:
            return start + i
        count += units(ch, encoding)
    return start + len(line)


def apply(text: str, edits: list[dict[str, Any]], encoding: str = "utf-16") -> str:
    places = [(offset(text, e["range"]["start"], encoding), offset(text, e["range"]["end"], encoding), e["newText"]) for e in edits]
    for start, end, new in sorted(places, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def edits_of(edit: dict[str, Any], uri: str, version: int | None = None) -> list[dict[str, Any]]:
    (change,) = edit["documentChanges"]
    assert change["textDocument"]["uri"] == uri
    if version is not None:
        assert change["textDocument"]["version"] == version
    return list(change["edits"])


def position(line: int, text_before: str, encoding: str = "utf-16") -> dict[str, int]:
    return {"line": line, "character": units(text_before, encoding)}


def summary_pos(needle: str, nth: int = 0, encoding: str = "utf-16", into: int = 0) -> dict[str, int]:
    line = REPORT.split("\n")[SUMMARY_LINE]
    at = -1
    for _ in range(nth + 1):
        at = line.index(needle, at + 1)
    return position(SUMMARY_LINE, line[: at + into], encoding)


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "ferry.md").write_text(REPORT, encoding="utf-8")
    return tmp_path


@pytest.fixture()
def client(workspace: Path) -> Iterator[Client]:
    c = Client(cwd=workspace)
    try:
        yield c
    finally:
        c.close()


def opened(client: Client, workspace: Path, encodings: list[str] | None = None, **options: Any) -> tuple[str, list[dict[str, Any]]]:
    client.initialize(workspace, encodings, **options)
    uri = (workspace / "ferry.md").as_uri()
    client.open(uri, REPORT)
    return uri, client.diagnostics(uri)


def by_code(diags: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {d["code"]: d for d in diags}


def test_diagnostics_carry_code_page_severity_and_related_places(client: Client, workspace: Path) -> None:
    (workspace / "citelint.toml").write_text('[severity]\nCIT401 = "error"\nCIT102 = "info"\n', encoding="utf-8")
    uri, diags = opened(client, workspace)
    lsp_severity = {"error": 1, "warning": 2, "info": 3}
    expected = sorted((f.code, f.line - 1, lsp_severity[str(f.severity)]) for f in api.run([str(workspace / "ferry.md")]).findings)
    assert sorted((d["code"], d["range"]["start"]["line"], d["severity"]) for d in diags) == expected
    assert {"CIT401", "CIT303", "CIT900", "CIT102", "CIT104", "CIT201"} <= {d["code"] for d in diags}
    found = by_code(diags)
    for d in diags:
        assert d["source"] == "citelint"
        page = Path(unquote(urlparse(d["codeDescription"]["href"]).path))
        assert page.name == f"{d['code']}.md" and page.read_text(encoding="utf-8").startswith(f"# {d['code']}")
    assert (found["CIT401"]["severity"], found["CIT104"]["severity"], found["CIT102"]["severity"]) == (1, 2, 3)
    # The duplicate source points at the row it repeats.
    (related,) = found["CIT201"]["relatedInformation"]
    assert related["location"]["uri"] == uri and related["location"]["range"]["start"]["line"] == ROW_LINES[1]
    assert "first cited by" in related["message"]


@pytest.mark.parametrize(
    ("offered", "chosen"),
    [(None, "utf-16"), (["utf-16"], "utf-16"), (["utf-8", "utf-16"], "utf-8"), (["utf-32", "utf-16"], "utf-32")],
)
def test_positions_in_the_negotiated_encoding(
    client: Client, workspace: Path, offered: list[str] | None, chosen: str
) -> None:
    result = client.initialize(workspace, offered)
    assert result["capabilities"]["positionEncoding"] == chosen
    uri = (workspace / "ferry.md").as_uri()
    client.open(uri, REPORT)
    d = by_code(client.diagnostics(uri))["CIT401"]
    # The glued word stands after two astral characters: the column differs per encoding.
    assert d["range"]["start"] == position(SUMMARY_LINE, PREFIX, chosen)
    assert d["range"]["end"] == position(SUMMARY_LINE, PREFIX + "andmore", chosen)
    start, end = (offset(REPORT, d["range"][k], chosen) for k in ("start", "end"))
    assert REPORT[start:end] == "andmore"
    # And back: a position the client sends in its encoding lands on the marker it names.
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": summary_pos("[3]", encoding=chosen, into=1)})
    assert "Repairs took a year." in hover["contents"]["value"]
    marker = FONT.format(3)
    assert offset(REPORT, hover["range"]["start"], chosen) == REPORT.index(marker)


def test_changes_are_debounced_and_superseded_runs_dropped(client: Client, workspace: Path) -> None:
    uri, diags = opened(client, workspace, debounce=300)
    assert "CIT401" in by_code(diags)
    text = REPORT
    for version, new in ((2, "and m"), (3, "and mo"), (4, "and more")):
        text = REPORT.replace("andmore", new)
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )
    msg = client.wait_for("textDocument/publishDiagnostics")
    assert msg["params"]["version"] == 4  # one run, for the last change
    assert "CIT401" not in by_code(msg["params"]["diagnostics"])
    time.sleep(0.6)
    client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
    assert not [n for n in client.notifications if n["method"] == "textDocument/publishDiagnostics"]
    # An incremental change (a range edit in UTF-16 units, after the astral characters).
    start = position(SUMMARY_LINE, PREFIX + "and")
    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 5},
            "contentChanges": [{"range": {"start": start, "end": {**start, "character": start["character"] + 1}}, "text": ""}],
        },
    )
    msg = client.wait_for("textDocument/publishDiagnostics")
    assert msg["params"]["version"] == 5 and "CIT401" in by_code(msg["params"]["diagnostics"])


def test_configuration_is_the_files_and_reloaded_when_it_changes(client: Client, workspace: Path) -> None:
    (workspace / "citelint.toml").write_text('ignore = ["CIT401"]\n', encoding="utf-8")
    uri, diags = opened(client, workspace)
    assert "CIT401" not in by_code(diags) and "CIT104" in by_code(diags)
    # The server asked to watch configuration files.
    (registration,) = [r for req in client.server_requests for r in req["params"]["registrations"]]
    assert registration["method"] == "workspace/didChangeWatchedFiles"
    (workspace / "citelint.toml").write_text('ignore = ["CIT104"]\n', encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": (workspace / "citelint.toml").as_uri(), "type": 2}]})
    codes = by_code(client.diagnostics(uri))
    assert "CIT401" in codes and "CIT104" not in codes
    # Without a notification, a save still sees a changed file (its time and size changed).
    (workspace / "citelint.toml").write_text('ignore = ["CIT104", "CIT201"]\n', encoding="utf-8")
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    codes = by_code(client.diagnostics(uri))
    assert "CIT201" not in codes and "CIT401" in codes
    # A broken configuration is one clear diagnostic, not a dead server.
    (workspace / "citelint.toml").write_text('ignore = ["CIT9999"]\n', encoding="utf-8")
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    (only,) = client.diagnostics(uri)
    assert only["message"].startswith("configuration error:") and "CIT9999" in only["message"]


def actions(client: Client, uri: str, line: int, only: list[str] | None = None) -> list[dict[str, Any]]:
    context: dict[str, Any] = {"diagnostics": []}
    if only is not None:
        context["only"] = only
    rng = {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}
    return list(client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng, "context": context}))


def relint(text: str, workspace: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for f in api.lint_text(text, str(workspace / "ferry.md")):
        found[f.code] = found.get(f.code, 0) + 1
    return found


def test_quick_fixes_and_fix_all(client: Client, workspace: Path) -> None:
    uri, _ = opened(client, workspace)
    row = actions(client, uri, ROW_LINES[2])
    titles = [a["title"] for a in row]
    (renumber,) = [a for a in row if a["title"].startswith("Fix CIT104")]
    assert renumber["kind"] == "quickfix" and renumber["title"].endswith("(safe fix)") and renumber["isPreferred"]
    assert renumber["diagnostics"][0]["code"] == "CIT104"
    fixed = apply(REPORT, edits_of(renumber["edit"], uri, version=1))
    assert "CIT104" not in relint(fixed, workspace)
    assert f"The council paid for the repairs {FONT.format('1, 2')}" in fixed and f"{FONT.format(3)} The council" in fixed
    assert "Disable CIT102 (uncited-claim) for this line" in titles
    # The unused comment's fix removes its line.
    (remove,) = [a for a in actions(client, uri, 9) if a["title"].startswith("Fix CIT900")]
    assert "citelint-disable" not in apply(REPORT, edits_of(remove["edit"], uri))
    # Fix all safe problems: the same text as the API's fix_text.
    (fix_all,) = actions(client, uri, 0, only=["source.fixAll"])
    assert fix_all["kind"] == "source.fixAll.citelint" and fix_all["title"].startswith("Fix all safe problems")
    expected = api.fix_text(REPORT, str(workspace / "ferry.md")).text
    assert apply(REPORT, edits_of(fix_all["edit"], uri)) == expected != REPORT
    assert actions(client, uri, 0, only=["refactor"]) == []


@pytest.mark.parametrize(("line", "code"), [(SUMMARY_LINE, "CIT401"), (ROW_LINES[2], "CIT102"), (ROW_LINES[2], "CIT201")])
def test_disable_for_this_line_silences_only_that_finding(client: Client, workspace: Path, line: int, code: str) -> None:
    uri, _ = opened(client, workspace)
    (action,) = [a for a in actions(client, uri, line) if a["title"].startswith(f"Disable {code} ")]
    text = apply(REPORT, edits_of(action["edit"], uri))
    assert f"<!-- citelint-disable-next-line {code} -->\n" in text
    before, after = relint(REPORT, workspace), relint(text, workspace)
    assert code not in after and "CIT900" in after  # the comment is used; the old unused one stays
    assert {c: n for c, n in after.items() if c != code} == {c: n for c, n in before.items() if c != code}


def test_follow_the_citations(client: Client, workspace: Path) -> None:
    uri, _ = opened(client, workspace)
    doc = {"textDocument": {"uri": uri}}
    hover = client.request("textDocument/hover", {**doc, "position": summary_pos("[1, 3]", into=1)})
    value = hover["contents"]["value"]
    assert "**[1]** The ferry came back in May." in value and "<https://example.org/ferry>" in value
    assert "**[3]** Repairs took a year." in value and "<https://example.org/repairs>" in value
    assert client.request("textDocument/hover", {**doc, "position": summary_pos("Repairs")}) is None
    # Go to definition: from a summary marker to its rows.
    found = client.request("textDocument/definition", {**doc, "position": summary_pos("[1, 3]", into=4)})
    assert sorted(loc["range"]["start"]["line"] for loc in found) == [ROW_LINES[1], ROW_LINES[3]]
    assert all(loc["uri"] == uri for loc in found)
    # Find references: from a row's marker, every summary marker citing it.
    row_marker = {"line": ROW_LINES[1], "character": 22}
    refs = client.request("textDocument/references", {**doc, "position": row_marker, "context": {"includeDeclaration": False}})
    line = REPORT.split("\n")[SUMMARY_LINE]
    starts = sorted(loc["range"]["start"]["character"] for loc in refs)
    assert starts == [units(line[: line.index(FONT.format(1))], "utf-16"), units(line[: line.index(FONT.format("1, 3"))], "utf-16")]
    refs = client.request("textDocument/references", {**doc, "position": row_marker, "context": {"includeDeclaration": True}})
    assert len(refs) == 3 and refs[0]["range"]["start"]["line"] == ROW_LINES[1]
    # Source links.
    links = client.request("textDocument/documentLink", doc)
    assert sorted((link["range"]["start"]["line"], link["target"]) for link in links) == [
        (ROW_LINES[1], "https://example.org/ferry"),
        (ROW_LINES[3], "https://example.org/repairs"),
        (ROW_LINES[2], "https://example.org/ferry"),
    ]
    for link in links:
        start, end = (offset(REPORT, link["range"][k], "utf-16") for k in ("start", "end"))
        assert REPORT[start:end] == link["target"]


def test_renumbering_is_a_rename(client: Client, workspace: Path) -> None:
    uri, _ = opened(client, workspace)
    doc = {"textDocument": {"uri": uri}}
    row_marker = {"line": ROW_LINES[3], "character": 22}
    prepared = client.request("textDocument/prepareRename", {**doc, "position": row_marker})
    assert prepared["placeholder"] == "3"
    start, end = (offset(REPORT, prepared["range"][k], "utf-16") for k in ("start", "end"))
    assert REPORT[start:end] == "3"
    assert client.request("textDocument/prepareRename", {**doc, "position": summary_pos("Repairs")}) is None
    edit = client.request("textDocument/rename", {**doc, "position": row_marker, "newName": "7"})
    renamed = apply(REPORT, edits_of(edit, uri, version=1))
    assert f"{FONT.format(7)} Repairs took a year." in renamed
    assert f"Repairs took a year {FONT.format(7)}" in renamed and FONT.format("1, 7") in renamed
    assert renamed.count("[3]") == 0 and relint(renamed, workspace) == {**relint(REPORT, workspace)}
    # From a summary marker, on the second number of a list: the same renumbering.
    edit = client.request("textDocument/rename", {**doc, "position": summary_pos("1, 3]", into=3), "newName": "7"})
    assert apply(REPORT, edits_of(edit, uri)) == renamed
    # A number another row has is refused with a reason.
    with pytest.raises(ServerError, match="row 2 already exists"):
        client.request("textDocument/rename", {**doc, "position": row_marker, "newName": "2"})
    with pytest.raises(ServerError, match="not a row number"):
        client.request("textDocument/rename", {**doc, "position": row_marker, "newName": "three"})


def test_the_cli_starts_the_server_and_exits_cleanly(workspace: Path) -> None:
    c = Client(cwd=workspace, command=["citelint", "server"])
    result = c.initialize(workspace)
    assert result["serverInfo"]["name"] == "citelint"
    c.close()
    assert c.proc.returncode == 0
    assert os.path.exists(workspace / "ferry.md")


def test_a_row_edit_is_linted_again_exactly(client: Client, workspace: Path) -> None:
    # The edit is followed by the incremental parse and the memoized rules: one
    # publication for the version, with what a command-line run finds.
    from tests.test_incremental import report

    text = report(60)
    path = workspace / "many.md"
    path.write_text(text, encoding="utf-8")
    client.initialize(workspace, debounce=0)
    uri = path.as_uri()
    client.open(uri, text)
    assert "CIT401" not in by_code(client.diagnostics(uri))
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("|") and "number 30 " in line)
    lines[row] = lines[row].replace("was published", "wasnot published")
    lines.insert(row, lines[row + 5])  # and a row added above it
    edited = "\n".join(lines)
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edited}]})
    versions = lambda m: m["params"]["uri"] == uri and m["params"]["version"] == 2  # noqa: E731
    final = client.wait_for("textDocument/publishDiagnostics", versions)["params"]["diagnostics"]
    path.write_text(edited, encoding="utf-8")
    expected = sorted((f.code, f.line - 1, f.col - 1, f.message) for f in api.run([str(path)]).findings)
    got = sorted((d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"], d["message"]) for d in final)
    assert got == expected
    assert any(d["code"] == "CIT401" and d["range"]["start"]["line"] == row + 1 for d in final)


def test_disable_inside_a_wrapped_summary_paragraph_keeps_it_one_paragraph(client: Client, workspace: Path) -> None:
    wrapped = REPORT.replace(f"andmore boats followed {FONT.format(1)}. ", f"andmore boats followed {FONT.format(1)}.\nRepairs andmore ")
    wrapped = wrapped.replace("Repairs andmore Repairs took", "Repairs andmore took")
    path = workspace / "wrapped.md"
    path.write_text(wrapped, encoding="utf-8")
    client.initialize(workspace)
    uri = path.as_uri()
    client.open(uri, wrapped)
    diags = client.diagnostics(uri)
    assert [d["range"]["start"]["line"] for d in diags if d["code"] == "CIT401"] == [SUMMARY_LINE, SUMMARY_LINE + 1]
    (action,) = [a for a in actions(client, uri, SUMMARY_LINE + 1) if a["title"].startswith("Disable CIT401 ")]
    text = apply(wrapped, edits_of(action["edit"], uri))
    assert text.count("\n") == wrapped.count("\n")  # no line between the paragraph's lines
    assert f"followed {FONT.format(1)}. <!-- citelint-disable-next-line CIT401 -->\nRepairs andmore" in text
    found = [(f.code, f.line) for f in api.lint_text(text, str(path))]
    assert ("CIT401", SUMMARY_LINE + 2) not in found and ("CIT401", SUMMARY_LINE + 1) in found


def test_fix_all_is_worked_out_when_chosen_if_the_client_resolves(client: Client, workspace: Path) -> None:
    client.initialize(workspace, resolve=True)
    uri = (workspace / "ferry.md").as_uri()
    client.open(uri, REPORT)
    client.diagnostics(uri)
    (action,) = actions(client, uri, 0, only=["source.fixAll.citelint"])
    assert "edit" not in action and action["kind"] == "source.fixAll.citelint"
    resolved = client.request("codeAction/resolve", action)
    expected = api.fix_text(REPORT, str(workspace / "ferry.md")).text
    assert apply(REPORT, edits_of(resolved["edit"], uri, version=1)) == expected != REPORT


def test_per_file_ignores_and_forced_excludes_apply_as_on_the_command_line(client: Client, workspace: Path) -> None:
    (workspace / "drafts").mkdir()
    (workspace / "citelint.toml").write_text(
        'exclude = ["drafts"]\nforce-exclude = true\n[per-file-ignores]\n"ferry.md" = ["CIT401"]\n', encoding="utf-8"
    )
    uri, diags = opened(client, workspace)
    assert "CIT401" not in by_code(diags) and "CIT104" in by_code(diags)
    draft = (workspace / "drafts" / "ferry.md").as_uri()
    client.open(draft, REPORT)
    assert client.diagnostics(draft) == []


# In process: the run in the lint thread.
from citelint import server as lsp_server  # noqa: E402
from citelint.registry import load_rules  # noqa: E402


def _state(tmp_path: Path) -> tuple[lsp_server._State, str]:
    state = lsp_server._State()
    state.rules = load_rules()
    uri = (tmp_path / "ferry.md").as_uri()
    state.open[uri] = lsp_server._Open()
    return state, uri


def test_a_run_finds_what_the_api_finds_and_again_after_a_change(tmp_path: Path) -> None:
    state, uri = _state(tmp_path)
    first = lsp_server.analyse(state, uri, REPORT)
    assert [f.code for f in first.findings] == [f.code for f in api.lint_text(REPORT, str(tmp_path / "ferry.md"))]
    assert any(f.fix is not None for f in first.findings)
    # The same text again: the kept parse and memos give the same findings.
    assert lsp_server.analyse(state, uri, REPORT).findings == first.findings


def test_a_failing_run_is_an_error_for_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state, uri = _state(tmp_path)

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a parser bug")

    monkeypatch.setattr(lsp_server.engine, "check_document", broken)
    with pytest.raises(ValueError, match="a parser bug"):
        lsp_server.analyse(state, uri, REPORT)


@pytest.mark.parametrize("prefix", ["", "\ufeff", "\U0001F600 "])
def test_published_diagnostics_are_each_findings_json(tmp_path: Path, prefix: str) -> None:
    # Diagnostics are put together from templates (what a diagnostic says) and ranges:
    # the same JSON as building each one, in ASCII text and past astral characters.
    from types import SimpleNamespace

    class Sink:
        data = b""

        def write(self, data: bytes) -> None:
            self.data = data

    state, uri = _state(tmp_path)
    text = prefix + REPORT
    findings = lsp_server.analyse(state, uri, text).findings
    assert any(f.related for f in findings)
    for encoding in ("utf-16", "utf-8"):
        sink = Sink()
        server: Any = SimpleNamespace(
            state=state, protocol=SimpleNamespace(writer=sink), workspace=SimpleNamespace(position_encoding=encoding)
        )
        for _ in range(2):  # built, then from the templates kept
            lsp_server.publish(server, uri, text, findings, 3)
            body = json.loads(sink.data.split(b"\r\n\r\n", 1)[1])
            lines = lsp_server.Lines(text, encoding)
            assert body["params"]["diagnostics"] == [lsp_server.diagnostic_json(state, uri, lines, f) for f in findings]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
def test_client_columns_convert_as_pygls_converts_them(encoding: str) -> None:
    # The server's quick answers (at once on ASCII lines, by bisection on the others) give
    # what pygls's walk of the line gives.
    import random

    from lsprotocol import types as lsp
    from pygls.workspace.position_codec import PositionCodec

    rng = random.Random(3)
    theirs, ours = PositionCodec(encoding), PositionCodec(encoding)
    ours.__class__ = lsp_server._Codec
    for _ in range(3000):
        lines = tuple(
            rng.choice(["abc\n", "\n", "", "a\r\n", "xyz", "é\U0001F600b\n", "\U0001F600", "中a\U00020000é\U0001F600\r\n"]) for _ in range(3)
        )
        a = lsp.Position(rng.randrange(0, 4), rng.randrange(0, 12))
        b = lsp.Position(a.line, a.character)
        assert ours.position_from_client_units(lines, b) == theirs.position_from_client_units(lines, a)
        assert a == b  # a position past the line's end is clamped alike


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
def test_range_edits_apply_as_pygls_applies_them(encoding: str) -> None:
    # The server's sliced edit leaves the text pygls's line-by-line copy leaves, for edits
    # inside, across, at the end of and past the lines, reversed and past a line's end.
    import random

    from lsprotocol import types as lsp
    from pygls.workspace.position_codec import PositionCodec
    from pygls.workspace.text_document import TextDocument

    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(["ab\n", "\n", "a\r\n", "é\U0001F600b\n", "x\u2028y", "z"]) for _ in range(rng.randrange(0, 5)))
        start = lsp.Position(rng.randrange(0, 6), rng.randrange(0, 5))
        end = lsp.Position(rng.randrange(0, 6), rng.randrange(0, 5))
        new = rng.choice(["", "Q", "q\nr", "\U0001F600"])
        docs = [TextDocument("file:///r.md", text, sync_kind=lsp.TextDocumentSyncKind.Incremental, position_codec=PositionCodec(encoding)) for _ in range(2)]
        docs[1].__class__ = lsp_server._Document
        for doc in docs:
            doc.apply_change(lsp.TextDocumentContentChangePartial(lsp.Range(lsp.Position(start.line, start.character), lsp.Position(end.line, end.character)), new))
        assert docs[1].source == docs[0].source, (text, start, end, new)


def test_edits_in_turn_apply_as_pygls_applies_them() -> None:
    # The server keeps the text's line starts from edit to edit (pygls splits the whole
    # text for each): after each of many edits in turn, some adding or removing lines,
    # some bringing in a line break of another kind, the text is the one pygls leaves.
    import random

    from lsprotocol import types as lsp
    from pygls.workspace.position_codec import PositionCodec
    from pygls.workspace.text_document import TextDocument

    rng = random.Random(7)
    for _ in range(60):
        text = "".join(rng.choice(["ab\n", "\n", "é\U0001F600b\n", "z"]) for _ in range(rng.randrange(0, 8)))
        docs = [TextDocument("file:///r.md", text, sync_kind=lsp.TextDocumentSyncKind.Incremental, position_codec=PositionCodec("utf-16")) for _ in range(2)]
        docs[1].__class__ = lsp_server._Document
        for _ in range(40):
            lines = max(docs[0].source.count("\n"), 1)
            start = lsp.Position(rng.randrange(0, lines + 2), rng.randrange(0, 5))
            end = rng.choice([start, lsp.Position(rng.randrange(start.line, lines + 2), rng.randrange(0, 5))])
            new = rng.choice(["", "Q", "q\nr", "\n", "\U0001F600", "x\u2028y"] if rng.random() < 0.1 else ["", "Q", "q\nr", "\n", "\U0001F600"])
            for doc in docs:
                doc.apply_change(lsp.TextDocumentContentChangePartial(lsp.Range(lsp.Position(start.line, start.character), lsp.Position(end.line, end.character)), new))
            assert docs[1].source == docs[0].source, (text, start, end, new)
