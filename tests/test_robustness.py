"""Damaged and hostile input: one clear line per file, never a traceback or a rule crash."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from citelint import cli
from citelint.engine import INTERNAL_ERROR, check_document
from citelint.parser import parse
from citelint.registry import load_rules
from tests.test_catalogue import CLEAN
from tests.test_formats import REPORT

ROOT = Path(__file__).resolve().parent.parent
PIECES = [
    "|", "\n", "[", "]", "(", ")", "<font color=#FF3399>", "</font>", '<a href="', '">', "</a>", "[1-",
    ",", ".", "<!-- citelint-disable", "-->", "## ", "# ", "\r\n", "\ufeff", "&amp;", "\\|", "```\n",
    "    ", "\t", "(Context ", "999", "[0]", "|---|", "\u00a0", "é", "\U0001f642", "\x00", "\u200b",
]


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 12)):
        pos = rng.randrange(len(text) + 1)
        op = rng.random()
        if op < 0.4:
            text = text[:pos] + rng.choice(PIECES) + text[pos:]
        elif op < 0.7:
            text = text[:pos] + text[pos + rng.randint(1, 200) :]
        else:
            other = rng.randrange(len(text) + 1)
            text = text[:pos] + text[other : other + 100] + text[pos:]
    return text


def test_mutated_reports_never_crash_a_rule() -> None:
    rules = load_rules()
    seeds = [CLEAN, REPORT, (ROOT / "examples" / "report.md").read_text(encoding="utf-8")]
    rng = random.Random(2026)
    for _ in range(400):
        text = mutate(rng.choice(seeds), rng)
        doc = parse(text, "fuzz.md")
        lines = doc.source.split("\n")
        for f in check_document(doc, rules):
            assert f.code != INTERNAL_ERROR, (f.message, text)
            assert 1 <= f.line <= f.span.end_line <= len(lines), (f, text)
            assert 1 <= f.col <= len(lines[f.line - 1]) + 1, (f, text)


def test_table_without_outer_pipes() -> None:
    text = "# Q?\n\n## Summary\nA claim [1].\n\n## Claims\nClaim Sentence | Context\n---|---\n[1] A claim.<a href='https://e.org/x'>Source</a> | Before. A claim.\n"
    (row,) = parse(text).rows
    assert (row.number, row.claim.raw, row.url) == (1, "A claim.", "https://e.org/x")


def test_a_parser_bug_is_one_line_for_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import citelint.parser

    (tmp_path / "a.md").write_text(CLEAN, encoding="utf-8")

    def broken(text: str, path: str = "", *limits: object) -> None:
        raise IndexError("boom")

    monkeypatch.setattr(citelint.parser, "parse", broken)
    monkeypatch.setattr(citelint.parser, "parse_with_tokens", broken)  # what the readers call
    assert cli.main([str(tmp_path / "a.md")]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"citelint: error: {tmp_path / 'a.md'}: internal error while parsing: IndexError: boom"


@pytest.mark.parametrize("text", ["", "\n", "|", "# only a title", "## Claims\n|a|\n|-|\n", "\ufeff", "\r\n\r\n"])
def test_degenerate_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    path = tmp_path / "r.md"
    path.write_text(text, encoding="utf-8")
    assert cli.main(["-q", str(path)]) in (0, 1)
    # Nothing to say on stderr: a degenerate report is linted, not an error.
    assert capsys.readouterr().err == ""
