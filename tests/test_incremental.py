"""The preview of findings after an edit in the claims table (what the language server
publishes before its full run), and the column conversions at the server's edge."""
from __future__ import annotations

import pytest

from citelint import api, engine, incremental, navigation, parser, positions
from citelint.config import Resolver
from citelint.finding import Finding
from citelint.model import Document
from citelint.registry import load_rules

FONT = "<font color=#FF3399>[{}]</font>"
TOPICS = "ferry harbour council bridge engine season crews tunnel market school".split()


def report(n: int) -> str:
    clauses, rows = [], []
    for i in range(1, n + 1):
        topic = TOPICS[i % len(TOPICS)]
        claim = f"The {topic} report number {i} was published in spring."
        clauses.append(f"The {topic} report number {i} was published in spring {FONT.format(i)}.")
        rows.append(f'|{FONT.format(i)} {claim}<a href="https://example.org/{topic}/{i}">Source</a>| Before. {claim} After.|')
    return "\n".join(["# What was published?", "", "## Summary", " ".join(clauses), "", "## Claims",
                      "| Claim Sentence | Context |", "|---|---|", *rows, ""])


PATH = "/tmp/preview-test.md"
RULES = load_rules()
SETTINGS = Resolver(RULES, isolated=True).settings_for(PATH)


def full(text: str) -> tuple[Document, list[Finding]]:
    doc = parser.parse(text, PATH)
    return doc, engine.check_document(doc, SETTINGS.rules_for(PATH), SETTINGS.options, SETTINGS.severity, RULES)


def places(found: list[Finding]) -> list[tuple[str, int, int, int, int, str]]:
    return sorted((f.code, f.span.line, f.span.col, f.span.end_line, f.span.end_col, f.message) for f in found)


def edit_line(text: str, line: int, old: str, new: str) -> str:
    lines = text.split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    return "\n".join(lines)


BASE = report(40)
ROW = 9 + 17  # the 1-based line of row 18


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("was published", "wasnot published", None),  # a new glued word, in the claim and its context
        ("published in spring. After", "published in spring,after", "CIT402"),
        (" was published in spring.<a", " was printed.<a", "CIT301"),  # the claim leaves its context
    ],
)
def test_a_row_edit_previews_what_the_full_run_finds(old: str, new: str, code: str | None) -> None:
    doc, found = full(BASE)
    text = edit_line(BASE, ROW, old, new)
    quick = incremental.preview(doc.source, navigation.table_layout(doc), found, text, PATH, SETTINGS, RULES)
    assert quick is not None
    _, exact = full(text)
    assert places(quick) == places(exact) != places(found)
    if code is not None:
        assert any(f.code == code and f.span.line == ROW for f in quick)


def test_findings_after_an_inserted_row_move_with_their_lines() -> None:
    text = edit_line(BASE, ROW + 5, "was published", "wasnot published")  # a finding further down
    doc, found = full(text)
    lines = text.split("\n")
    lines.insert(ROW, "<!-- a note between rows -->")
    inserted = "\n".join(lines)
    quick = incremental.preview(doc.source, navigation.table_layout(doc), found, inserted, PATH, SETTINGS, RULES)
    assert quick is not None
    _, exact = full(inserted)
    moved = [f for f in quick if f.span.line == ROW + 6]
    assert moved and places(moved) == places([f for f in exact if f.span.line == ROW + 6])
    assert all(f.fix is None for f in quick if f.span.line > ROW)  # moved offsets: no fixes


def test_a_rule_that_reads_other_rows_keeps_its_last_findings() -> None:
    # Giving row 18 the source of row 3 makes a duplicate: the small report cannot know it,
    # and the calibration keeps the last full run's findings for that rule (none here) —
    # the full run reports it a moment later.
    doc, found = full(BASE)
    text = edit_line(BASE, ROW, "https://example.org/market/18", "https://example.org/bridge/3")
    assert "example.org/bridge/3" in text
    quick = incremental.preview(doc.source, navigation.table_layout(doc), found, text, PATH, SETTINGS, RULES)
    assert quick is not None
    _, exact = full(text)
    assert any(f.code == "CIT201" for f in exact)
    assert places([f for f in quick if f.code != "CIT201"]) == places([f for f in exact if f.code != "CIT201"])


@pytest.mark.parametrize("line", [4, 7, 1])  # the summary, the table header, the title
def test_edits_outside_the_rows_get_no_preview(line: int) -> None:
    doc, found = full(BASE)
    lines = BASE.split("\n")
    lines[line - 1] += " x"
    assert incremental.preview(doc.source, navigation.table_layout(doc), found, "\n".join(lines), PATH, SETTINGS, RULES) is None


def test_changed_lines() -> None:
    old = [f"line {i}" for i in range(1000)]
    assert incremental.changed(old, list(old)) is None
    new = list(old)
    new[700] = "edited"
    assert incremental.changed(old, new) == (700, 701, 701)
    new.insert(300, "inserted")
    assert incremental.changed(old, new) == (300, 701, 702)
    assert incremental.changed(old, old[:10]) == (10, 1000, 10)
    assert incremental.changed(["a", "a"], ["a"]) == (1, 2, 1)


def test_the_api_agrees_with_the_preview_baseline() -> None:
    # The full run the preview is checked against is what the API reports.
    assert places(full(BASE)[1]) == places(api.lint_text(BASE, PATH, settings=SETTINGS))


@pytest.mark.parametrize("encoding", [positions.UTF8, positions.UTF16, positions.UTF32])
def test_columns_round_trip_past_astral_characters(encoding: str) -> None:
    line = "a\U0001F600b\U00020000c é"
    codec = {"utf-8": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}[encoding]
    width = {"utf-8": 1, "utf-16": 2, "utf-32": 4}[encoding]
    for column in range(len(line) + 1):
        units = positions.to_units(line, column, encoding)
        assert units == len(line[:column].encode(codec)) // width
        assert positions.from_units(line, units, encoding) == column
    assert positions.from_units(line, 10_000, encoding) == len(line)


def test_an_offset_inside_a_character_lands_on_it() -> None:
    line = "a\U0001F600b"
    assert positions.from_units(line, 2, positions.UTF16) == 1  # between the two surrogates
    assert positions.from_units(line, 3, positions.UTF8) == 1  # inside the emoji's four bytes
