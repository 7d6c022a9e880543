"""Golden tests for every output format, and their schemas."""
from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from citelint import __version__, cli
from citelint.docs import page
from citelint.finding import Finding, Related, Severity
from citelint.formats import Report, artifact_uri, escape_data, escape_property, format_github
from citelint.model import Span
from tests.conftest import shared

GOLDEN = Path(__file__).resolve().parent / "golden"
PACKAGE = Path(__file__).resolve().parent.parent / "citelint"
# A path with a space, a '?', an apostrophe and a non-ASCII letter, as real report names have.
NAME = os.path.join("reports", "what if? it's Kharkiv’s.md")
# Our own report: a dangling marker, a duplicate source (with a related location), a glued
# word after non-ASCII text (columns count code points), a lost apostrophe.
REPORT = """# What happened at Kharkiv’s “south” station?

## Summary
Trains to Kharkiv’s “south” station — closed since May — resumed in June {m1}, after crews andmore volunteers rebuilt the bridge {m2}.

## Claims
| Claim Sentence | Context |
|---|---|
|{m1} Trains to the south station resumed in June.<a href="https://example.org/rail?id=1" target="_blank">Source</a>| Crews worked nights. Trains to the south station resumed in June. Officials dont expect delays.|
|{m2b} Crews andmore volunteers rebuilt the bridge.<a href="https://www.example.org/rail/?id=1&utm_source=x" target="_blank">Source</a>| Crews andmore volunteers rebuilt the bridge. It took weeks.|
""".format(m1="<font color=#FF3399>[1]</font>", m2="<font color=#FF3399>[3]</font>", m2b="<font color=#FF3399>[2]</font>")


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)  # set by some CI systems: no color here
    (tmp_path / "reports").mkdir()
    (tmp_path / NAME).write_text(REPORT, encoding="utf-8")
    return tmp_path


def run_format(fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    code = cli.main(["--isolated", "--format", fmt, NAME])
    out = capsys.readouterr().out
    assert code == 1
    return out.replace(__version__, "<version>")


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "sarif", "github", "junit", "gitlab"])
def test_golden(fmt: str, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run_format(fmt, capsys)
    if fmt == "sarif":
        out = out.replace(json.dumps(workdir.as_uri() + "/")[1:-1], "file:///<cwd>/")
        # Each rule's help is its rule book page: checked here, left out of the golden file
        # so that editing a page does not change it.
        doc = json.loads(out)
        for entry in doc["runs"][0]["tool"]["driver"]["rules"]:
            if "markdown" in entry.get("help", {}):
                assert entry["help"]["markdown"] == page(entry["id"])
                entry["help"]["markdown"] = "<rule book page>"
        out = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    golden = GOLDEN / f"report.{fmt}"
    if os.environ.get("CITELINT_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_json_validates_against_its_schema(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    schema = json.loads((PACKAGE / "output_schema.json").read_text())
    doc = json.loads(run_format("json", capsys))
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
    assert {f["code"] for f in doc["findings"]} >= {"CIT101", "CIT201", "CIT401", "CIT403"}
    for line in run_format("jsonl", capsys).splitlines():
        line_schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/finding"}
        jsonschema.validate(json.loads(line), line_schema, cls=jsonschema.Draft202012Validator)


def test_json_schema_rejects_a_broken_document() -> None:
    import jsonschema

    schema = json.loads((PACKAGE / "output_schema.json").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": 1, "tool": {}, "files": [], "findings": [{"code": "X"}], "errors": []}, schema)


def test_sarif_validates_against_the_official_schema(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    schema = json.loads(shared("schemas", "sarif-schema-2.1.0.json").read_text())
    doc = json.loads(run_format("sarif", capsys))
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "CIT401" in ids and all(res["ruleId"] == ids[res["ruleIndex"]] for res in run["results"])
    dup = next(r for r in run["results"] if r["ruleId"] == "CIT201")
    assert dup["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 9
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "reports/what%20if%3F%20it%27s%20Kharkiv%E2%80%99s.md"


def test_sarif_with_an_unreadable_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    schema = json.loads(shared("schemas", "sarif-schema-2.1.0.json").read_text())
    assert cli.main(["--isolated", "--format", "sarif", NAME, "missing.md"]) == 2
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, schema)
    (invocation,) = doc["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert "no such file" in invocation["toolExecutionNotifications"][0]["message"]["text"]


@pytest.mark.parametrize(
    ("path", "uri"),
    [("a b/c#d.md", "a%20b/c%23d.md"), ("./x?.md", "x%3F.md"), ("50%.md", "50%25.md"), ("-", "stdin")],
)
def test_artifact_uris(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


def test_github_escaping() -> None:
    assert escape_data("100% sure\r\nnext: a, b") == "100%25 sure%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    finding = Finding(
        "dir, with: colon.md", Span(3, 4, 3, 9), "CIT401", "merged-words", Severity.WARNING,
        "50% glued: 'a,b'\nsecond line", (Related(Span(1, 1, 1, 2), "x"),),
    )
    out = format_github(Report([finding], ["dir, with: colon.md"], {}))
    assert out == (
        "::warning file=dir%2C with%3A colon.md,line=3,col=4,endLine=3,endColumn=9,"
        "title=CIT401 merged-words::50%25 glued: 'a,b'%0Asecond line\n"
    )


def test_junit_has_one_case_per_file_and_a_failure_per_finding(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "clean.md").write_text("# Q?\n\n## Summary\nPrices rose.\n", encoding="utf-8")
    cli.main(["--isolated", "--select", "CIT401", "--format", "junit", NAME, "clean.md"])
    root = ET.fromstring(capsys.readouterr().out)
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == [NAME, "clean.md"]
    assert len(cases[0].findall("failure")) == 3 and cases[1].findall("failure") == []


def test_text_color_only_on_a_terminal(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from citelint import formats

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert formats.use_color(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not formats.use_color(Tty())
    monkeypatch.delenv("NO_COLOR")
    with open(os.devnull, "w") as devnull:
        assert not formats.use_color(devnull)
        monkeypatch.setenv("FORCE_COLOR", "1")
        assert formats.use_color(devnull)
        assert not formats.use_color(devnull, "never")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("FORCE_COLOR")
    assert not formats.use_color(Tty()) and formats.use_color(Tty(), "always")


def test_output_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--isolated", "--format", "json", "-o", "out.json", NAME]) == 1
    assert capsys.readouterr().out == ""
    assert json.loads((workdir / "out.json").read_text())["findings"]


def test_output_file_never_overwrites_a_linted_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--isolated", "-o", NAME, NAME]) == 2
    assert (workdir / NAME).read_text(encoding="utf-8") == REPORT
    assert "not overwriting" in capsys.readouterr().err


def test_stdin_filename(workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    (workdir / "reports" / "citelint.toml").write_text('select = ["CIT401"]\n')
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(REPORT.encode())))
    assert cli.main(["-q", "-", "--stdin-filename", NAME]) == 1
    lines = capsys.readouterr().out.splitlines()
    # Named as the buffer, configured by the buffer's folder (only CIT401 selected there).
    assert lines and all(line.startswith(NAME + ":") and " CIT401 " in line for line in lines)


GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def test_gitlab_code_quality(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    issues = json.loads(run_format("gitlab", capsys))
    assert isinstance(issues, list) and len(issues) == 7
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["check_name"].startswith("CIT")
        assert issue["severity"] in GITLAB_SEVERITIES
        assert issue["location"]["path"] == NAME.replace(os.sep, "/")
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    # The same run again gives the same fingerprints; so does the report with lines added
    # above the findings, whose lines have moved.
    again = json.loads(run_format("gitlab", capsys))
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]
    (workdir / NAME).write_text(REPORT.replace("\n\n## Summary", "\n\nSome words.\n\nMore words.\n\n## Summary", 1), encoding="utf-8")
    moved = json.loads(run_format("gitlab", capsys))
    assert [i["location"]["lines"]["begin"] for i in moved] == [i["location"]["lines"]["begin"] + 4 for i in issues]
    assert {i["fingerprint"] for i in moved} == {i["fingerprint"] for i in issues}


def test_gitlab_reports_unreadable_files(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--isolated", "--format", "gitlab", NAME, "missing.md"]) == 2
    issues = json.loads(capsys.readouterr().out)
    (error,) = [i for i in issues if i["location"]["path"] == "missing.md"]
    assert error["severity"] == "critical" and "no such file" in error["description"]
