"""``citelint inspect``, and files that are not reports."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from citelint import cli
from citelint.api import run
from citelint.config import Resolver
from citelint.registry import load_rules
from tests.conftest import shared
from tests.reports import marker, report, row

PACKAGE = Path(cli.__file__).resolve().parent
SCHEMA = json.loads((PACKAGE / "inspect_schema.json").read_text(encoding="utf-8"))
REPORT = report(
    f"The ferry stopped in March {marker(1)}{marker(2)}. Repairs take months (Contexts 2 and three).",
    [row(1, "The ferry stopped in March."), row("2x", "Its only boat failed an inspection.")],
)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_inspect_text_shows_clauses_rows_and_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "r.md", REPORT)
    assert cli.main(["inspect", path]) == 0
    out = capsys.readouterr().out
    assert "Summary: heading line 3" in out and "Claims: heading line 6" in out
    assert "cites [1], [2]  (font-bracket): The ferry stopped in March" in out
    assert "unreadable '(Contexts 2 and three)'" in out
    assert "line 9 row [1] numbered by marker" in out and "line 10 row [?]" in out
    assert "CIT003" in out and "CIT002" in out


def test_inspect_json_is_valid_against_the_shipped_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "r.md", REPORT)
    assert cli.main(["inspect", "--format", "json", path]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, SCHEMA)
    (first, second) = data["summary"]["sentences"]
    assert first["clauses"][0]["marker"]["numbers"] == [1, 2]
    assert second["clauses"][0]["marker"]["readable"] is False
    assert [r["number"] for r in data["claims"]["rows"]] == [1, None]
    assert sorted(p["code"] for p in data["problems"]) == ["CIT002", "CIT003"]


def test_inspect_a_missing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["inspect", str(tmp_path / "none.md")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err


def test_inspect_every_corpus_file_against_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from citelint import parser, reading
    from citelint.inspect import describe, render

    files = sorted(shared("corpus", "smartbook").glob("*.md"))
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for path in files:
        data = describe(parser.parse(reading.read(str(path)), str(path)))
        validator.validate(data)
        assert render(data).startswith(str(path))
        json.dumps(data)


# Files that are not reports


README = "# My project\n\nA tool that does things. Install it with `pip install x` and run `x [1]`.\n\n## Usage\n\nRun it (twice).\n"


def test_a_markdown_file_that_is_no_report_is_skipped_and_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = write(tmp_path, "README.md", README)
    changelog = write(tmp_path, "CHANGELOG.md", "Changelog\n=========\n\n1.0\n---\n\n- first release\n")
    good = write(tmp_path, "r.md", report(f"Prices rose {marker(1)}.", [row(1, "Prices rose.")]))
    assert cli.main(["--isolated", readme, changelog, good]) == 0
    out = capsys.readouterr().out
    assert out == "No findings in 1 file (this run); 2 files were not reports.\n"
    result = run([readme, good], resolver=Resolver(load_rules(), isolated=True))
    assert result.not_reports == [readme] and result.files == 1


def test_a_file_that_looks_like_a_report_still_gets_CIT001(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A citation marker, but no Summary and no Claims: a report missing its parts.
    path = write(tmp_path, "r.md", "# Why?\n\nPrices rose [1] and fell [2].\n")
    assert cli.main(["--isolated", "--select", "CIT001", path]) == 1
    assert "CIT001" in capsys.readouterr().out
    # A Claims section alone makes it a report too.
    path = write(tmp_path, "c.md", "# Why?\n\n## Claims\n\nNothing yet.\n")
    assert cli.main(["--isolated", "--select", "CIT001", path]) == 1


def test_require_report_restores_CIT001_on_every_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = write(tmp_path, "README.md", README)
    write(tmp_path, "citelint.toml", "require-report = true\n")
    assert cli.main(["--select", "CIT001", readme]) == 1
    out = capsys.readouterr().out
    assert "README.md:1:3: CIT001 no '## Summary' section" in out and "not reports" not in out


@pytest.mark.parametrize(
    ("text", "is_report"),
    [
        ("# Notes\n\n- prices rose [3]\n- and fell\n", True),  # a marker in a list item
        ("# Notes\n\nPrices rose.[^1]\n\n[^1]: https://example.org\n", True),  # a footnote citation
        ("# Notes\n\n> Prices rose (2).\n", True),
        ("# Notes\n\n```\nPrices rose [1].\n```\n", False),  # a marker shown in code
        ("# Notes\n\nRun `tool [1]` (in 2022) or see [the docs](https://example.org).\n", False),
        ("Notes\n=====\n\nNothing cited here.\n", False),
    ],
)
def test_what_looks_like_a_report(text: str, is_report: bool) -> None:
    from citelint.parser import parse

    assert parse(text).is_report is is_report


def test_inspect_shows_where_the_reader_stopped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [row(i, f"Claim {i} is about the ferry.") for i in range(1, 10_003)]
    path = write(tmp_path, "long.md", report(f"The ferry stopped {marker(1)}.", rows))
    assert cli.main(["inspect", "--format", "json", path]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, SCHEMA)
    assert len(data["claims"]["rows"]) == 10_000
    (unread,) = [p for p in data["problems"] if p["code"] == "CIT004"]
    assert unread["span"]["line"] == 8 + 10_001 and "more than 10,000 rows" in unread["message"]


def test_inspect_reads_the_file_as_its_configuration_says(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [row(i, f"Claim {i} is about the ferry.") for i in range(1, 6)]
    path = write(tmp_path, "r.md", report(f"The ferry stopped {marker(1)}.", rows))
    (tmp_path / "citelint.toml").write_text("[limits]\nrows = 3\n", encoding="utf-8")
    assert cli.main(["inspect", "--format", "json", path]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["claims"]["rows"]) == 3 and [p["code"] for p in data["problems"]] == ["CIT004"]
    assert cli.main(["inspect", "--isolated", "--format", "json", path]) == 0
    assert len(json.loads(capsys.readouterr().out)["claims"]["rows"]) == 5
    (tmp_path / "citelint.toml").write_text("[limits]\nrows = 0\n", encoding="utf-8")
    assert cli.main(["inspect", path]) == 2
    assert "limits.rows" in capsys.readouterr().err
