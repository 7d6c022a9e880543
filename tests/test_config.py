from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from citelint import cli
from citelint.config import load_schema
from tests.reports import marker, report, row

ROOT = Path(__file__).resolve().parent.parent
# One CIT101 (error), one CIT401 (warning) and one CIT105 (warning).
TEXT = report(
    f"The ferry stopped running in March {marker(1)}. The boat andmore were sold {marker(2)}. Nobody came back to say why.",
    [row(1, "The ferry stopped running in March.")],
)


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = cli.main(["-q", *args])
    out, err = capsys.readouterr()
    return code, [line.split(": ", 1)[1].split()[0] if ": " in line else line for line in out.splitlines()], err


def test_defaults_run_every_rule(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "r.md", TEXT)
    code, codes, _ = lint(capsys, "r.md")
    assert code == 1 and sorted(codes) == ["CIT101", "CIT105", "CIT401"]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ('select = ["CIT1"]', ["CIT101", "CIT105"]),
        ('select = ["merged-words"]', ["CIT401"]),
        ('select = ["CIT101"]\nextend-select = ["CIT4"]', ["CIT101", "CIT401"]),
        ('ignore = ["uncited-sentence", "CIT4"]', ["CIT101"]),
        ('select = ["ALL"]\nignore = ["CIT1"]', ["CIT401"]),
    ],
)
def test_selection(tree: Path, capsys: pytest.CaptureFixture[str], config: str, expected: list[str]) -> None:
    write(tree / "r.md", TEXT)
    write(tree / "citelint.toml", config)
    assert sorted(lint(capsys, "r.md")[1]) == expected


def test_pyproject_table_and_precedence(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "r.md", TEXT)
    write(tree / "pyproject.toml", '[project]\nname = "x"\n\n[tool.citelint]\nselect = ["CIT101"]\n')
    assert lint(capsys, "r.md")[1] == ["CIT101"]
    # In one folder .citelint.toml wins over citelint.toml, which wins over pyproject.toml.
    write(tree / "citelint.toml", 'select = ["CIT105"]')
    assert lint(capsys, "r.md")[1] == ["CIT105"]
    write(tree / ".citelint.toml", 'select = ["CIT401"]')
    assert lint(capsys, "r.md")[1] == ["CIT401"]


def test_pyproject_without_a_table_is_passed_over(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "citelint.toml", 'select = ["CIT401"]')
    write(tree / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    write(tree / "sub" / "r.md", TEXT)
    assert lint(capsys, "sub/r.md")[1] == ["CIT401"]


def test_the_closest_file_wins_per_path(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "citelint.toml", 'select = ["CIT101"]')
    write(tree / "a" / "r.md", TEXT)
    write(tree / "b" / "citelint.toml", 'select = ["CIT401"]')
    write(tree / "b" / "deeper" / "r.md", TEXT)
    code = cli.main(["-q", "."])
    out = capsys.readouterr().out
    got = sorted((line.split(":")[0], line.split(": ", 1)[1].split()[0]) for line in out.splitlines())
    assert got == [(os.path.join(".", "a", "r.md"), "CIT101"), (os.path.join(".", "b", "deeper", "r.md"), "CIT401")]
    assert code == 1


def test_explicit_config_and_isolated(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "r.md", TEXT)
    write(tree / "citelint.toml", 'select = ["CIT101"]')
    write(tree / "elsewhere" / "strict.toml", 'select = ["CIT105"]')
    assert lint(capsys, "--config", "elsewhere/strict.toml", "r.md")[1] == ["CIT105"]
    assert sorted(lint(capsys, "--isolated", "r.md")[1]) == ["CIT101", "CIT105", "CIT401"]


def test_command_line_selection_wins(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "r.md", TEXT)
    write(tree / "citelint.toml", 'select = ["CIT101"]')
    assert lint(capsys, "--select", "CIT401,CIT105", "--ignore", "CIT105", "r.md")[1] == ["CIT401"]


def test_severity_and_fail_on(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "r.md", TEXT)
    write(tree / "citelint.toml", 'select = ["CIT401"]\n[severity]\nmerged-words = "info"\n')
    code, codes, _ = lint(capsys, "r.md")
    assert codes == ["CIT401"] and code == 0  # info findings never fail a run by default
    assert cli.main(["-q", "--fail-on", "info", "r.md"]) == 1
    capsys.readouterr()
    write(tree / "citelint.toml", 'select = ["CIT401"]\nfail-on = "error"\n')
    assert cli.main(["-q", "r.md"]) == 0
    capsys.readouterr()
    write(tree / "citelint.toml", 'select = ["CIT101"]\nfail-on = "error"\n')
    assert cli.main(["-q", "r.md"]) == 1


def test_exit_zero(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "r.md", TEXT)
    assert cli.main(["--exit-zero", "r.md"]) == 0
    assert "CIT101" in capsys.readouterr().out
    assert cli.main(["--exit-zero", "r.md", "missing.md"]) == 2  # an error is still an error


def test_per_file_ignores_and_excludes(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "drafts" / "d.md", TEXT)
    write(tree / "final" / "f.md", TEXT)
    write(tree / "final" / "old" / "o.md", TEXT)
    write(
        tree / "citelint.toml",
        'select = ["CIT101", "CIT401"]\nexclude = ["old"]\n[per-file-ignores]\n"drafts/*.md" = ["CIT401"]\n',
    )
    code = cli.main(["-q", "."])
    lines = capsys.readouterr().out.splitlines()
    got = sorted((line.split(":")[0].replace(os.sep, "/"), line.split(": ", 1)[1].split()[0]) for line in lines)
    assert got == [("./drafts/d.md", "CIT101"), ("./final/f.md", "CIT101"), ("./final/f.md", "CIT401")]
    # A file named on the command line is linted even when excluded, unless force-exclude.
    assert sorted(lint(capsys, "final/old/o.md")[1]) == ["CIT101", "CIT401"]
    assert lint(capsys, "--force-exclude", "final/old/o.md")[:2] == (0, [])


def test_rule_options(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "r.md", TEXT)
    write(tree / "citelint.toml", 'select = ["CIT401"]\n[options.merged-words]\nallow = ["andmore"]\n')
    assert lint(capsys, "r.md")[1] == []


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('selct = ["CIT1"]', "citelint.toml: unknown key 'selct', did you mean 'select'?"),
        ('[severity]\nCIT401 = "fatal"', "citelint.toml: severity.CIT401: 'fatal' is not one of 'error', 'warning', 'info'"),
        ('select = "CIT1"', "citelint.toml: select: 'CIT1' is not of type 'array'"),
        ('select = ["CIT999"]', "citelint.toml: select[0]: unknown rule 'CIT999'"),
        ('ignore = ["merged-word"]', "citelint.toml: ignore[0]: unknown rule 'merged-word', did you mean 'merged-words'?"),
        ('[severity]\nnope = "info"', "citelint.toml: severity.nope: unknown rule 'nope'"),
        ('[per-file-ignores]\n"x/*.md" = ["CIT77"]', "per-file-ignores.x/*.md[0]: unknown rule 'CIT77'"),
        ('[options.merged-words]\nalow = []', "options.merged-words.alow: unknown option for CIT401 merged-words, did you mean 'allow'?"),
        ('[options.CIT302]\nmin-coverage = "high"', "options.CIT302.min-coverage: 'high' is not a number"),
        ('[options.CIT4]\nallow = []', "options.CIT4: name exactly one rule"),
        ('[options.merged-words]\nallow = [1]', "options.merged-words.allow: 1 in the list is not a list of strings"),
        ('[options.CIT302]\nmin-coverage = 1.5', "options.CIT302.min-coverage: 1.5 is not a number from 0 to 1"),
        ('[options.CIT302]\nmin-terms = 2.5', "options.CIT302.min-terms: 2.5 is not an integer of at least 1"),
        ('[options.CIT303]\nmisattributed-margin = nan', "options.CIT303.misattributed-margin: nan is not a number from 0 to 1"),
        ('[options.CIT302]\nmin-terms = inf', "options.CIT302.min-terms: inf is not an integer of at least 1"),
        ('[options.CIT302]\nmin-terms = 99999999999999999999999', "options.CIT302.min-terms: 99999999999999999999999 is not an integer of at least 1"),
        ('fail-on = "never"', "fail-on: 'never' is not one of 'error', 'warning', 'info'"),
        ("select = [", "citelint.toml: invalid TOML"),
    ],
)
def test_config_errors_are_one_line_and_exit_2(
    tree: Path, capsys: pytest.CaptureFixture[str], config: str, message: str
) -> None:
    write(tree / "r.md", TEXT)
    write(tree / "citelint.toml", config)
    code = cli.main(["r.md"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("citelint: error: ") and message in err and len(err.splitlines()) == 1


def test_missing_explicit_config(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "r.md", TEXT)
    assert cli.main(["--config", "nope.toml", "r.md"]) == 2
    assert "nope.toml: no such configuration file" in capsys.readouterr().err


def test_valid_config_is_not_revalidated(tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    write(tree / "r.md", TEXT)
    write(tree / "citelint.toml", 'select = ["CIT101"]  # first seen\n')
    assert cli.main(["-q", "r.md"]) == 1
    # The same content again: the schema check (and its jsonschema import) is skipped.
    monkeypatch.setitem(sys.modules, "jsonschema", None)
    assert cli.main(["-q", "r.md"]) == 1
    capsys.readouterr()


def test_show_settings(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "citelint.toml", 'select = ["CIT1"]\n[severity]\nCIT105 = "info"\n[per-file-ignores]\n"drafts/*" = ["CIT102"]\n')
    assert cli.main(["--show-settings", "drafts/x.md"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["config"].endswith("citelint.toml")
    assert shown["rules"]["CIT105"]["severity"] == "info"
    assert "CIT102" in shown["rules"] and "CIT102" not in shown["rules-for-path"]
    assert shown["fail-on"] == "warning"


def test_readme_documents_exactly_the_schema_keys() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", section, re.M))
    assert documented == set(load_schema()["properties"])


def test_extend_exclude_and_force_exclude_key(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "keep" / "k.md", TEXT)
    write(tree / "drafts" / "d.md", TEXT)
    write(tree / "archive" / "a.md", TEXT)
    write(
        tree / "citelint.toml",
        'select = ["CIT101"]\nexclude = ["drafts"]\nextend-exclude = ["archive/*.md"]\nforce-exclude = true\n',
    )
    code = cli.main(["-q", "."])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1 and [line.split(":")[0].replace(os.sep, "/") for line in lines] == ["./keep/k.md"]
    # force-exclude = true: files pre-commit names are excluded too.
    assert lint(capsys, "drafts/d.md", "archive/a.md")[:2] == (0, [])
