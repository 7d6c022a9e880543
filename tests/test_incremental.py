"""Linting again after an edit: the parse followed through an edit of the claims rows
(``citelint.incremental``), the memos kept between runs (``citelint.memo``), and what the
language server publishes from both, which must be what a fresh full run finds; and the
column conversions at the server's edge."""
from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from citelint import engine, incremental, memo, parser, positions, readers
from citelint import server as lsp_server
from citelint.finding import Finding
from citelint.limits import DEFAULT as DEFAULT_LIMITS
from citelint.model import Document, LineIndex
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


PATH = "/tmp/incremental-test.md"
RULES = load_rules()


def edit_line(text: str, line: int, old: str, new: str) -> str:
    lines = text.split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


BASE = report(40)
ROW = 9 + 17  # the 1-based line of row 18


def _lines(text: str, at: int, remove: int, add: list[str]) -> str:
    lines = text.split("\n")
    lines[at - 1 : at - 1 + remove] = add
    return "\n".join(lines)


ROW_EDITS = {
    "a word in a claim": lambda t: edit_line(t, ROW, " was published in spring.<a", " was printed.<a"),
    "a word in a context": lambda t: edit_line(t, ROW, "After.|", "Afterwards it rained.|"),
    "a glued word": lambda t: edit_line(t, ROW, "was published", "wasnot published"),
    "a marker": lambda t: edit_line(t, ROW, "[18]", "[81]"),
    "a row deleted": lambda t: _lines(t, ROW, 1, []),
    "a row added": lambda t: _lines(t, ROW, 0, [t.split("\n")[ROW - 1].replace("spring", "autumn")]),
    "two rows swapped": lambda t: _lines(t, ROW, 2, [t.split("\n")[ROW], t.split("\n")[ROW - 1]]),
    "a comment line": lambda t: _lines(t, ROW, 0, ["<!-- citelint-disable-next-line CIT401 -->"]),
    "a cell too many": lambda t: edit_line(t, ROW, "| Before.", "| x | Before."),
    "the last row": lambda t: edit_line(t, 48, "After.|", "After!|"),
    "a row after the last": lambda t: _lines(t, 49, 0, [t.split("\n")[47].replace("[40]", "[41]")]),
}
SUMMARY_EDITS = {
    "a word in the summary": lambda t: edit_line(t, 4, "report number 17 was", "report number 17 is"),
    "a sentence stop": lambda t: edit_line(t, 4, "number 17 was", "number 17. It was"),
    "a marker in the summary": lambda t: edit_line(t, 4, "[17]", "[17, 18]"),
    "a line break": lambda t: edit_line(t, 4, "report number 17 ", "report number 17\n"),
    "the first word": lambda t: edit_line(t, 4, "The ", "A ", ),
}


@pytest.mark.parametrize("kind", sorted(SUMMARY_EDITS))
def test_an_edit_of_a_summary_paragraph_is_parsed_as_a_full_parse_would(kind: str) -> None:
    old = parser.parse(BASE, PATH)
    text = SUMMARY_EDITS[kind](BASE)
    new = incremental.reparse(old, text)
    assert new is not None
    assert new == parser.parse(text, PATH)


@pytest.mark.parametrize("form", ["lf", "crlf-and-bom"])
@pytest.mark.parametrize("kind", sorted(ROW_EDITS))
def test_an_edit_of_the_rows_is_parsed_as_a_full_parse_would(kind: str, form: str) -> None:
    def written(text: str) -> str:
        return text if form == "lf" else "\ufeff" + text.replace("\n", "\r\n")

    old = parser.parse(written(BASE), PATH)
    text = written(ROW_EDITS[kind](BASE))
    new = incremental.reparse(old, text)
    assert new is not None
    assert new == parser.parse(text, PATH)
    # Rows before the edit are the very objects of the last parse.
    assert all(a is b for a, b in zip(old.rows[:10], new.rows[:10]))


@pytest.mark.parametrize(
    ("line", "old", "new"),
    [
        (4, "The", "- The"),  # the summary becomes a list
        (4, "The", "`The`"),  # a code span in the summary
        (7, "Context", "Contexts"),  # the table header
        (1, "What", "Who"),  # the title
        (ROW, "|<font", "<font"),  # the line stops being a row
        (ROW, "After.|", "After. `code` |"),  # a code span in the table
    ],
)
def test_other_edits_are_left_to_a_full_parse(line: int, old: str, new: str) -> None:
    assert incremental.reparse(parser.parse(BASE, PATH), edit_line(BASE, line, old, new)) is None


# Words whose presence somewhere changes findings elsewhere: a name standing alone makes
# "Kyivand" a merge, "harbour-master" makes "harbourmaster" a compound, an accented
# spelling makes its unaccented form lost letters.
FACT_WORDS = [" Kyiv", " Kyivand", " harbour-master", " harbourmaster", " dont", " Russias", " ferry,harbour",
              " supply.Kherson", " Kherson", " Türkiye", " Trkiye", " Rodol", " cafÃ©", " fall-through", " fallthrough"]


def _random_edit(rng: random.Random, text: str) -> str:
    """One edit of the kinds a writer makes, anywhere in the report."""
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines) if line.startswith("|") and "font" in line]
    i = rng.choice(rows)
    kind = rng.randrange(11)
    if kind == 0:  # a word in a claim or a context
        words = list(re.finditer(r"[a-z]{3,}", lines[i]))
        m = rng.choice(words)
        lines[i] = lines[i][: m.start()] + rng.choice(["harbour", "andthe", "ferrys", "x", ""]) + lines[i][m.end() :]
    elif kind == 1:  # a marker's number
        lines[i] = re.sub(r"\[(\d+)\]", lambda m: f"[{rng.randrange(1, 60)}]", lines[i], count=1)
    elif kind == 2:
        del lines[i]
    elif kind == 3:
        lines.insert(i, lines[rng.choice(rows)])
    elif kind == 4:  # a word in the summary
        at = rng.randrange(len(lines[3]))
        lines[3] = lines[3][:at] + rng.choice([" the", "x", "andmore ", ". It", " [7]", "\nAnd then", "Mr. "]) + lines[3][at:]
    elif kind == 5:  # a comment between rows
        lines.insert(i, f"<!-- citelint-disable-next-line {rng.choice(['CIT401', 'CIT301', 'CIT999'])} -->")
    elif kind == 6:  # a source link
        lines[i] = lines[i].replace("https://example.org/", rng.choice(["https://example.org/ferry/1#", "ftp://"]), 1)
    elif kind == 7:  # punctuation damage
        lines[i] = lines[i].replace(". After", rng.choice([".After", ",after", ". after"]), 1)
    elif kind == 9:  # words that change what the document as a whole says (its names, compounds, accents)
        at = i if rng.random() < 0.7 else 3
        line = lines[at]
        words = list(re.finditer(r" [a-z]{3,}", line))
        m = rng.choice(words)
        lines[at] = line[: m.start()] + rng.choice(FACT_WORDS) + line[m.start() :]
    elif kind == 10:  # one row repeating another: its line, its claim or its source
        other = lines[rng.choice(rows)]
        choice = rng.randrange(3)
        if choice == 0:
            lines.insert(i, other)
        elif choice == 1:
            lines[i] = other.replace("example.org/", "example.org/x", 1)
        else:
            url = re.search(r'href="([^"]*)"', other)
            if url:
                lines[i] = re.sub(r'href="[^"]*"', f'href="{url.group(1)}"', lines[i], count=1)
    else:  # a structural edit: a row broken, a heading renamed
        lines[i] = lines[i].rstrip("|") if rng.random() < 0.5 else lines[i]
        if rng.random() < 0.2:
            lines[5] = rng.choice(["## Claims", "## Claim sentences", "## Notes"])
    return "\n".join(lines)


ASTRAL = ["\U0001F600", "\U00020000", "é", "\U0001F600 \U00020000"]


def _random_text_edit(rng: random.Random, text: str) -> str:
    """A random edit anywhere: inside a line, of whole lines (rows added, deleted, two
    joined), above, inside and below the rows and in the summary, with characters outside
    the BMP and a text cut or grown at a line's start or end."""
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines) if line.startswith("|") and "font" in line] or [len(lines) // 2]
    i = rng.choice(rows + [3, 0, len(lines) - 1, rows[0], rows[-1], rows[-1] + 1])
    i = min(i, len(lines) - 1)
    kind = rng.randrange(6)
    line = lines[i]
    at = rng.randrange(len(line) + 1)
    if kind == 0:  # characters typed in a line (astral ones too)
        lines[i] = line[:at] + rng.choice(ASTRAL + ["x", " the", "|", ""]) + line[at:]
    elif kind == 1:  # characters deleted
        lines[i] = line[:at] + line[at + rng.randrange(4) :]
    elif kind == 2:  # a row repeated (with an astral character in it) or a line added
        lines.insert(i + rng.randrange(2), rng.choice([lines[rng.choice(rows)].replace("was", "was \U0001F600"), "", "text"]))
    elif kind == 3 and len(lines) > 2:
        del lines[i]
    elif kind == 4 and i + 1 < len(lines):  # two lines joined
        lines[i : i + 2] = [lines[i] + lines[i + 1]]
    else:  # a line cut in two
        lines[i : i + 1] = [line[:at], line[at:]]
    return "\n".join(lines)


# A "# Summary" over "## Claims": the summary's section holds the claims section, and its
# text runs on past the table to the paragraph after it.
SUMMARY_AROUND_TABLE = """# Report

# Summary
The plan works [1].

## Claims
| Claim Sentence | Context |
|---|---|
|<font color=#FF3399>[1]</font> The plan works. | It was tested. |
|<font color=#FF3399>[2]</font> It is cheap. | Costs fell. |
|---|---| note
Text after the table dont stop [2].
"""


def test_a_row_edit_inside_a_summary_that_runs_past_the_table_moves_the_summary_too(tmp_path: Path) -> None:
    # Found by a fuzz of server sessions on real reports: the row edit was followed but the
    # summary kept its old offsets, so the fixes of its findings after the table (an
    # apostrophe, a dangling marker) pointed two characters off in the edited text.
    doc = readers.read(SUMMARY_AROUND_TABLE, PATH)
    assert doc.summary is not None and doc.summary.text is not None
    assert doc.summary.text.span.end_line > doc.rows[-1].line  # (the case: text after the table)
    edited = SUMMARY_AROUND_TABLE.replace("The plan works. |", "The new plan works. |")
    followed = incremental.reparse(doc, edited, PATH)
    assert followed is None or followed == readers.read(edited, PATH)
    # And through the server's lint, the fix of 'dont' after the table lands on it.
    state = lsp_server._State(rules=RULES)
    uri = (tmp_path / "report.md").as_uri()
    state.open[uri] = lsp_server._Open()
    lsp_server.analyse(state, uri, SUMMARY_AROUND_TABLE)
    found = lsp_server.analyse(state, uri, edited).findings
    assert list(found) == _fresh(edited, lsp_server.path_of(uri), state)
    dont = [f for f in found if f.code == "CIT403"]
    assert dont and dont[0].fix is not None
    edit = dont[0].fix.edits[0]
    assert edited[edit.start : edit.end] == "dont"


# Edits of the kinds of damage the rules look for, typed into real reports: words run
# together, an apostrophe or accents dropped, code, glued punctuation, lines repeated,
# deleted, joined and cut, a heading's level changed.
_DAMAGE_TYPED = ["`x.Y`", "`", ",x", ".The", " the", " Trkiye", " dont", " Russias", "\u00c3\u00a9", " andthe", "\n"]
_ACCENTED = {"a": "\u00e1", "e": "\u00e9", "o": "\u00f6", "u": "\u00fc", "c": "\u00e7", "s": "\u015f"}


def _damage_edit(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    line = lines[i]
    at = rng.randrange(len(line) + 1)
    kind = rng.randrange(9)
    if kind == 8 and line.startswith("#"):  # a heading's level changed: the sections nest anew
        lines[i] = line[1:] if line.startswith("##") else "#" + line
    elif kind == 0 and " " in line:
        at = rng.choice([j for j, c in enumerate(line) if c == " "])
        lines[i] = line[:at] + line[at + 1 :]
    elif kind == 1 and "'" in line:
        at = rng.choice([j for j, c in enumerate(line) if c == "'"])
        lines[i] = line[:at] + line[at + 1 :]
    elif kind == 2:
        lines[i] = "".join(_ACCENTED.get(c, c) if rng.random() < 0.05 else c for c in line)
    elif kind == 3:
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif kind == 4 and len(lines) > 3:
        del lines[i]
    elif kind == 5 and i + 1 < len(lines):
        lines[i : i + 2] = [line + lines[i + 1]]
    elif kind == 6:
        lines[i] = line[:at] + line[at + rng.randrange(1, 6) :]
    else:
        lines[i] = line[:at] + rng.choice(_DAMAGE_TYPED) + line[at:]
    return "\n".join(lines)


def test_server_sessions_on_real_reports_lint_as_fresh_runs_do(tmp_path: Path) -> None:
    # The server's way (the parse followed through each edit, the rules' kept work) against
    # a fresh run, finding for finding and fix for fix, on reports of the corpus under
    # edits that make and mend the damage the rules read.
    from tests.conftest import shared

    reports = sorted(shared("corpus", "smartbook").glob("*.md"))
    rng = random.Random(41)
    uri = (tmp_path / "report.md").as_uri()
    path = lsp_server.path_of(uri)
    for source in rng.sample(reports, 6):
        state = lsp_server._State(rules=RULES)
        state.open[uri] = lsp_server._Open()
        text = source.read_text(encoding="utf-8")
        lsp_server.analyse(state, uri, text)
        for _ in range(30):
            text = _damage_edit(rng, text)
            analysis = lsp_server.analyse(state, uri, text)
            if analysis.read_error is not None:
                continue
            fresh = _fresh(text, path, state)
            assert list(analysis.findings) == fresh, source.name
            assert [_fix_places(f) for f in analysis.findings] == [_fix_places(f) for f in fresh], source.name


def test_random_edits_are_parsed_as_a_full_parse_would() -> None:
    """The parse followed through random edits (each one's followed parse the start of the
    next) equals a full parse of the text, wherever the edit is followed."""
    rng = random.Random(29)
    base = report(30).replace("was published", "was \U0001F600 published", 7)
    text, doc = base, parser.parse(base, PATH)
    followed = 0
    for _ in range(600):
        text = _random_text_edit(rng, text)
        new = incremental.reparse(doc, text) if incremental.follows(doc, DEFAULT_LIMITS) else None
        if new is None:  # an edit it does not follow: from the start again
            text, doc = base, parser.parse(base, PATH)
            continue
        assert new == parser.parse(text, PATH)
        followed += 1
        doc = new
    assert followed >= 200


def _fresh(text: str, path: str, state: lsp_server._State) -> list[Finding]:
    settings = lsp_server.settings_for(state, path)
    doc = readers.read(text, path)
    return engine.check_document(doc, settings.rules_for(path), settings.options, settings.severity, RULES)


@pytest.mark.parametrize("pieces", [False, True])
def test_random_edits_lint_as_a_fresh_full_run_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces: bool) -> None:
    # The server's way (the last parse followed through the edit, memos kept from run to
    # run) against a fresh parse and run without memos, after every edit. With pieces, a
    # summary is short enough to be scanned by CIT401 in pieces (as a long one is).
    if pieces:
        from citelint.checks import damage

        monkeypatch.setattr(damage, "PIECE_FIELD", 500)
        monkeypatch.setattr(damage, "PIECE_STOPS", 3)
    state = lsp_server._State(rules=RULES)
    uri = (tmp_path / "report.md").as_uri()
    path = lsp_server.path_of(uri)
    state.open[uri] = lsp_server._Open()
    rng = random.Random(13)
    text = report(60)
    followed = 0
    for _ in range(60):
        text = _random_edit(rng, text)
        last = state.open[uri].parsed
        if last is not None and incremental.reparse(last[1], text, path) is not None:
            followed += 1
        analysis = lsp_server.analyse(state, uri, text)
        fresh = _fresh(text, path, state)
        assert list(analysis.findings) == fresh
        # (an edit's place is no part of a finding's equality: the fixes' places, as editors get them)
        assert [_fix_places(f) for f in analysis.findings] == [_fix_places(f) for f in fresh]
    assert followed >= 30  # most edits were followed, not parsed in full


def test_memo_each_reuses_the_results_of_the_same_text_objects() -> None:
    """After an edit, the rows' texts it did not reach are the same string objects: their
    results are the last call's, even where they moved, and equal to a fresh call's."""
    calls: list[str] = []

    @memo.pure
    def count(text: str) -> tuple[str, int]:
        calls.append(text)
        return (text, len(calls))

    rng = random.Random(5)
    texts = [f"row {i} " * 3 for i in range(60)]
    with memo.session(size=1) as session:  # (a memo of one: the rows' results are not in it)
        assert [r[0] for r in memo.each(count, texts)] == texts
        for _ in range(40):
            at = rng.randrange(len(texts))
            kind = rng.choice(["edit", "add", "delete"])
            new = "".join(rng.choice("ab ") for _ in range(5)) + str(len(calls))
            if kind == "edit":
                texts[at] = new
            elif kind == "add":
                texts.insert(at, new)
            elif len(texts) > 1:
                del texts[at]
            before = len(calls)
            found = memo.each(count, texts)
            assert [r[0] for r in found] == texts
            assert len(calls) - before <= 1  # only the edited text (a memo of one)
            found.clear()  # (what the caller does with its list is its own)
            with memo.session(keep=session):
                assert [r[0] for r in memo.each(count, texts)] == texts
        # The same list changed in place is read as it now is.
        memo.each(count, texts)
        texts[0] = "changed in place"
        assert memo.each(count, texts)[0][0] == "changed in place"


def _fix_places(finding: Finding) -> list[Any]:
    return [] if finding.fix is None else [(e.start, e.end, e.span) for e in finding.fix.edits]


def test_pure_functions_are_memoized_only_in_a_session() -> None:
    calls: list[str] = []

    @memo.pure
    def shout(text: str) -> str:
        calls.append(text)
        return text.upper()

    assert shout("a") == shout("a") == "A" and calls == ["a", "a"]
    with memo.session(size=2) as session:
        assert [shout(t) for t in "abab"] == list("ABAB") and calls == ["a", "a", "a", "b"]
        shout("c")
        shout("a")  # "a" was the least recently used of three: computed again
        assert calls[-2:] == ["c", "a"]
    with memo.session(keep=session):
        shout("c")
        assert calls[-1] == "a"  # kept by the session, computed once
        # Long texts go to a small memo of their own: many versions of a whole summary
        # never fill the session.
        long = ["x" * (memo.BIG_TEXT + 1 + i) for i in range(memo.BIG_ENTRIES + 1)]
        for text in long:
            shout(text)
        shout(long[-1])
        shout("c")
        assert calls.count(long[-1]) == 1 and calls[-1] == long[-1]  # "c" was still kept
        shout(long[0])
        assert calls.count(long[0]) == 2  # pushed out of the small memo
        # memo.each, with and without a long text among the short ones, is the same calls
        # on the same memos.
        before = len(calls)
        assert memo.each(shout, ("c", "d", "c")) == ["C", "D", "C"] and calls[before:] == ["d"]
        assert memo.each(shout, iter(["d", long[0], "e"])) == ["D", long[0].upper(), "E"]
        assert calls[before + 1 :] == ["e"]  # long[0] was kept in the small memo
        # (each long text's result in its place, wherever the long ones stand)
        mixed = [long[1], "d", long[2], long[3], "e", long[4]]
        assert memo.each(shout, mixed) == [t.upper() for t in mixed]
        shout("d")
        assert calls.count("d") == 1  # "d" was not pushed out by a long text
    assert memo.active() is None
    assert memo.each(shout, ["a"]) == ["A"] and calls[-1] == "a"  # outside a session: called


def _region(old: list[str], new: list[str]) -> tuple[int, ...]:
    a, b = "\n".join(old), "\n".join(new)
    return tuple(incremental.changed(a, LineIndex.of(a).starts, b, LineIndex.of(b).starts))


def test_changed_lines() -> None:
    old = [f"line {i}" for i in range(1000)]
    new = list(old)
    new[700] = "edited"
    assert _region(old, new) == (700, 701, 701)
    new.insert(300, "inserted")
    assert _region(old, new) == (300, 701, 702)
    # (the text cut at the end of line 9: that line's end is where the texts differ)
    assert _region(old, old[:10]) == (9, 1000, 10)
    assert _region(["a", "a"], ["a"]) == (0, 2, 1)
    # A line added at a line's start: the lines after it are not counted.
    assert _region(old, old[:5] + ["new"] + old[5:]) == (5, 5, 6)


def test_changed_lines_hold_every_difference() -> None:
    """Random edits of lines that look alike: the lines before the region and after it
    are the same in both texts, and the region is no larger than the lines the edit
    touched and the one after them; the new text's line starts, moved from the old
    text's, are those a search of the new text finds."""
    rng = random.Random(5)
    for _ in range(500):
        old = [rng.choice(["a", "ab", "b", "", "| x |"]) for _ in range(rng.randrange(1, 12))]
        new = list(old)
        at = rng.randrange(len(old) + 1)
        removed = rng.randrange(min(3, len(old) - at) + 1)
        new[at : at + removed] = [rng.choice(["a", "ab", "b", "", "c"]) for _ in range(rng.randrange(3))]
        if new == old or not new:  # (no lines is no text: one empty line)
            continue
        start, old_end, new_end = _region(old, new)
        a, b = "\n".join(old), "\n".join(new)
        assert incremental.moved_lines(LineIndex.of(a), b, incremental.edit_of(a, b)) == LineIndex.of(b)
        assert start <= old_end and start <= new_end
        assert old[:start] == new[:start]
        assert old[old_end:] == new[new_end:]
        assert old_end - start <= removed + 2 and new_end - start <= len(new) - len(old) + removed + 2


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


@pytest.mark.parametrize("encoding", [positions.UTF8, positions.UTF16, positions.UTF32])
def test_columns_convert_by_a_line_table_as_by_encoding_the_line(encoding: str) -> None:
    # A line's wide characters found once (the server converts hundreds of places on one
    # line) give every column what encoding the text before it gives.
    rng = random.Random(3)
    line = "".join(rng.choice(["a", " ", "\u00e9", "\u4e2d", "\U0001F600", "\U00020000", "z"]) for _ in range(400))
    codec = {"utf-8": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}[encoding]
    width = {"utf-8": 1, "utf-16": 2, "utf-32": 4}[encoding]
    table = positions.wide(line, encoding)
    for column in range(len(line) + 1):
        assert positions.to_units_in(table, column) == len(line[:column].encode(codec)) // width
    assert positions.wide("plain ascii", encoding) == ([], [])


def test_an_offset_inside_a_character_lands_on_it() -> None:
    line = "a\U0001F600b"
    assert positions.from_units(line, 2, positions.UTF16) == 1  # between the two surrogates
    assert positions.from_units(line, 3, positions.UTF8) == 1  # inside the emoji's four bytes


def _replace_in(text: str, line: int, old: str, new: str) -> str:
    return edit_line(text, line, old, new)


# Edits, each applied to the text the one before left, where a finding in one place starts
# or stops because of a change elsewhere (a name, a compound, an accented spelling, another
# row's words), or moves because the text before it grew: kept results must follow.
ROW_33 = ROW + 15


def _row_says(t: str, line: int, number: int, words: str) -> str:
    """The row on ``line`` with the claim (and context) of row ``number`` replaced by ``words``."""
    lines = t.split("\n")
    topic = TOPICS[number % len(TOPICS)]
    lines[line - 1] = lines[line - 1].replace(f"The {topic} report number {number} was published in spring.", words)
    return "\n".join(lines)


STEPS = [
    lambda t: _replace_in(t, ROW, "published in spring.", "published in Zorvathand spring, fallthrough Trkiye, supply.Kherson now."),
    # "Rodol" is read as lost letters only while the document shows others ("Trkiye").
    lambda t: _replace_in(t, ROW + 7, "After.|", "After Rodol spoke.|"),
    lambda t: _replace_in(t, ROW, "fallthrough Trkiye,", "fallthrough Ankara,"),
    lambda t: _replace_in(t, ROW, "fallthrough Ankara,", "fallthrough Trkiye,"),
    lambda t: _replace_in(t, ROW + 5, "After.|", "After Zorvath met Kherson in Türkiye.|"),
    lambda t: _replace_in(t, ROW + 6, "After.|", "After the fall-through came.|"),
    lambda t: _replace_in(t, ROW + 5, "After Zorvath met Kherson in Türkiye.|", "After.|"),
    lambda t: _lines(t, 2, 0, ["An introduction andmore words.", ""]),  # every place moves two lines down
    lambda t: _replace_in(t, 1, "# What", "# What andmore"),
    lambda t: _replace_in(t, 1, "# What", "#   What"),  # the title's words move right
    lambda t: _replace_in(t, 6, "report number 12 was", "report number 77 was"),
    lambda t: _row_says(t, ROW_33 + 2, 33, "The council report number 77 was published in spring."),
    lambda t: _replace_in(t, ROW_33 + 2, "[33]", "[133]"),  # the row's cells move right
    lambda t: _lines(t, ROW + 2, 1, []),
    # A source's quote changes but not its words: the clause it backs is judged again.
    lambda t: _in_row(t, 133, "The council report number 77 was published in spring.<a", "Published in spring.<a"),
    # A clause cites a row that is not there, then the row appears.
    lambda t: _replace_in(t, 6, "[14]</font>", "[99]</font>"),
    lambda t: _in_row(t, 40, "[40]", "[99]"),
]


def _in_row(t: str, number: int, old: str, new: str) -> str:
    """``t`` with ``old`` replaced by ``new`` (once) in the row numbered ``number``."""
    lines = t.split("\n")
    (at,) = [i for i, line in enumerate(lines) if line.startswith(f"|{FONT.format(number)}")]
    assert old in lines[at]
    lines[at] = lines[at].replace(old, new, 1)
    return "\n".join(lines)


def test_findings_that_depend_on_other_places_follow_their_changes(tmp_path: Path) -> None:
    state = lsp_server._State(rules=RULES)
    uri = (tmp_path / "report.md").as_uri()
    path = lsp_server.path_of(uri)
    state.open[uri] = lsp_server._Open()
    text = BASE
    assert list(lsp_server.analyse(state, uri, text).findings) == _fresh(text, path, state)
    seen = set()
    for step in STEPS:
        text = step(text)
        found = list(lsp_server.analyse(state, uri, text).findings)
        assert found == _fresh(text, path, state)
        seen |= {f.code for f in found}
    # The steps made findings of these rules come and go.
    assert {"CIT301", "CIT303", "CIT401", "CIT402", "CIT404"} <= seen


def test_a_units_hits_are_kept_only_when_they_are_the_units_alone() -> None:
    from citelint import units
    from citelint.finding import Hit, Related
    from citelint.model import Span, Text

    calls: list[str] = []

    def check(raw: str) -> list[Hit]:
        calls.append(raw)
        if raw == "volatile":
            units.volatile()
        line = 5 if raw == "elsewhere" else 2
        return [Hit(Span(2, 3, 2, 4), raw, (Related(Span(line, 1, line, 2), "there"),))]

    def run(line: int, col: int) -> list[Hit]:
        anchors = [Text(raw, 10, Span(line, col, line, col + len(raw))) for raw in ("kept", "volatile", "elsewhere")]
        with memo.session(keep=session):
            return list(units.each("CIT999", {}, [(a.raw, a, a.raw) for a in anchors], check))

    session = memo.Session(100)
    first = run(2, 1)
    assert calls == ["kept", "volatile", "elsewhere"]
    again = run(2, 1)
    assert again == first and calls[3:] == ["volatile", "elsewhere"]  # the kept unit is not checked again
    del calls[:]
    moved = run(4, 3)  # two lines down, two columns right
    assert moved[0] == Hit(Span(4, 5, 4, 6), "kept", (Related(Span(4, 3, 4, 4), "there"),))
    assert calls == ["volatile", "elsewhere"]
    # Outside a session nothing is kept.
    del calls[:]
    anchor = Text("kept", 10, Span(2, 1, 2, 5))
    list(units.each("CIT999", {}, [("kept", anchor, "kept")], check))
    assert calls == ["kept"]


# Edits that change CIT401's document-level decision and nothing in the places it
# reports: two content words glued together ("carkeys") are reported only where a
# function word glued on somewhere shows the document damaged ("andmore"), and not where
# the document writes the token three times outside its claims (a term it means).
DECISION_STEPS = [
    lambda t: _replace_in(t, ROW, "After.|", "After the carkeys left.|"),
    lambda t: _replace_in(t, ROW + 3, "After.|", "After andmore.|"),  # now reported at ROW
    lambda t: _replace_in(t, ROW + 5, "After.|", "After carkeys.|"),  # reported at both
    lambda t: _replace_in(t, ROW + 6, "After.|", "After carkeys.|"),  # three uses: a term
    lambda t: _replace_in(t, ROW + 6, "After carkeys.|", "After.|"),  # two: reported again
    lambda t: _lines(t, 2, 0, ["Intro.", ""]),  # every place moves two lines down
    lambda t: _replace_in(t, ROW + 5, "After andmore.|", "After.|"),  # no damage left
]


def test_merged_words_follow_the_documents_decision(tmp_path: Path) -> None:
    state = lsp_server._State(rules=RULES)
    uri = (tmp_path / "report.md").as_uri()
    path = lsp_server.path_of(uri)
    state.open[uri] = lsp_server._Open()
    text = BASE
    lsp_server.analyse(state, uri, text)
    reported = []
    for step in DECISION_STEPS:
        text = step(text)
        found = list(lsp_server.analyse(state, uri, text).findings)
        assert found == _fresh(text, path, state)
        reported.append(sum(1 for f in found if f.code == "CIT401" and "carkeys" in f.message))
    assert reported == [0, 1, 2, 0, 2, 2, 0]


def test_a_units_value_is_kept_while_the_sets_it_asked_answer_alike() -> None:
    from citelint import units

    calls: list[str] = []
    names = {"Kyiv"}

    def compute(raw: str) -> tuple[str, ...]:
        calls.append(raw)
        return tuple(w for w in raw.split() if w in watched)

    def run(texts: list[str]) -> list[tuple[str, ...]]:
        with memo.session(keep=session):
            return units.values("CIT999", {}, [(t, t) for t in texts], compute, (), (watched,))

    session = memo.Session(100)
    watched = units.Watched(lambda: names)
    assert run(["Kyiv Odesa", "Lviv"]) == [("Kyiv",), ()]
    names.add("Kharkiv")  # asked by neither unit: both kept
    assert run(["Kyiv Odesa", "Lviv"]) == [("Kyiv",), ()] and calls == ["Kyiv Odesa", "Lviv"]
    names.add("Odesa")  # the first unit asked about it: computed again
    assert run(["Kyiv Odesa", "Lviv"]) == [("Kyiv", "Odesa"), ()] and calls[2:] == ["Kyiv Odesa"]
    # Outside a session nothing is kept.
    assert units.values("CIT999", {}, [("Lviv", "Lviv")], compute, (), (watched,)) == [()]
    assert calls[-1] == "Lviv"


def test_a_units_value_checked_under_the_same_content_is_reused_unasked() -> None:
    """A watched set named by a version: while the version is the same the kept values are
    reused without gathering the set; a new version asks again, and a changed answer
    computes the value again."""
    from citelint import units

    calls: list[str] = []
    gathered: list[int] = []
    names = {"Kyiv"}
    version = [1]
    current: list[Any] = []

    def compute(raw: str) -> tuple[str, ...]:
        calls.append(raw)
        return tuple(w for w in raw.split() if w in current[-1])

    def gather() -> set[str]:
        gathered.append(version[0])
        return set(names)

    def run(texts: list[str]) -> list[tuple[str, ...]]:
        with memo.session(keep=session):
            current.append(units.Watched(gather, lambda: version[0]))  # (a new one each run, as a rule makes)
            return units.values("CIT998", {}, [(t, t) for t in texts], compute, (), (current[-1],))

    session = memo.Session(100)
    assert run(["Kyiv Odesa", "Lviv"]) == [("Kyiv",), ()] and gathered == [1]
    assert run(["Kyiv Odesa", "Lviv"]) == [("Kyiv",), ()] and gathered == [1] and len(calls) == 2
    names.add("Kharkiv")
    version[0] = 2  # asked again, answered alike: kept
    assert run(["Kyiv Odesa", "Lviv"]) == [("Kyiv",), ()] and gathered == [1, 2] and len(calls) == 2
    assert run(["Kyiv Odesa", "Lviv"]) == [("Kyiv",), ()] and gathered == [1, 2]  # checked under 2 now
    names.add("Odesa")
    version[0] = 3
    assert run(["Kyiv Odesa", "Lviv"]) == [("Kyiv", "Odesa"), ()] and calls[2:] == ["Kyiv Odesa"]


def test_a_units_hits_are_kept_while_the_watched_sets_answer_alike() -> None:
    """ctx.each with a watched set (CIT402's names standing alone, say): a unit's hits are
    reused while the set answers the unit's questions as it did, a unit with no hits is
    passed over, and a changed answer checks the unit again, its hits then as a fresh check
    gives them."""
    from citelint import units
    from citelint.finding import Hit
    from citelint.model import Span, Text

    calls: list[str] = []
    names = {"Kyiv"}
    version = [1]

    def run(texts: list[str]) -> list[str]:
        watched = units.Watched(lambda: set(names), lambda: version[0])

        def check(raw: str) -> Iterator[Hit]:
            calls.append(raw)
            for w in raw.split():
                if w in watched:
                    yield Hit(Span(1, 1, 1, 2), w)

        items = [(t, Text(t, 0, Span(1, 1, 1, len(t) + 1)), t) for t in texts]
        with memo.session(keep=session):
            return [h.message for h in units.each("CIT998", {}, items, check, (), (watched,))]

    session = memo.Session(100)
    texts = ["Kyiv Odesa", "Lviv", "no names here"]
    assert run(texts) == ["Kyiv"] and len(calls) == 3
    names.add("Kharkiv")
    version[0] = 2  # a name no unit asked about: nothing checked again
    assert run(texts) == ["Kyiv"] and len(calls) == 3
    assert run(texts) == ["Kyiv"] and len(calls) == 3
    names.add("Lviv")
    version[0] = 3  # "Lviv" was asked about: that unit alone is checked again
    assert run(texts) == ["Kyiv", "Lviv"] and calls[3:] == ["Lviv"]
    names.discard("Kyiv")
    version[0] = 4
    assert run(texts) == ["Lviv"] and calls[4:] == ["Kyiv Odesa"]


T = TypeVar("T")


def _in_session_before_and_after(kind: str, build: Callable[[Document], T]) -> tuple[Document, Document, T, T]:
    """The base report and its edit of ``kind`` (followed by the incremental parse), and what
    ``build`` makes of each, in turn, in one memo session."""
    old = parser.parse(BASE, PATH)
    new = incremental.reparse(old, ROW_EDITS[kind](BASE))
    assert new is not None
    with memo.session(keep=memo.Session(100)):
        before = build(old)
        after = build(new)
    return old, new, before, after


@pytest.mark.parametrize("kind", sorted(ROW_EDITS))
def test_row_units_of_rows_an_edit_kept_are_kept(kind: str) -> None:
    """In a memo session the unit of a row the parse kept is last run's; every unit is
    what a run outside a session makes of the text (its key's shape number aside)."""
    from citelint import units

    old, new, before, after = _in_session_before_and_after(kind, units.rows)
    kept = {id(row) for row in old.rows}
    for unit, fresh in zip(after, units.rows(parser.parse(new.source, PATH))):
        assert (unit[0][:2], unit[1], unit[2]) == (fresh[0][:2], fresh[1], fresh[2])
    by_row = {id(u[2]): u for u in before}
    assert all(u is by_row[id(u[2])] for u in after if id(u[2]) in kept)
    assert sum(1 for u in after if id(u[2]) in kept) >= 10


@pytest.mark.parametrize("kind", sorted(ROW_EDITS))
def test_prose_fields_of_rows_an_edit_kept_are_kept(kind: str) -> None:
    """In a memo session a row the parse kept at its place keeps last run's prose fields;
    every field is what a run outside a session makes of the text."""
    from citelint.checks import damage

    _, new, before, after = _in_session_before_and_after(kind, damage.prose_fields)
    assert after == damage.prose_fields(parser.parse(new.source, PATH))
    same = [f for f in after if f.row is not None and f.row < 10]
    assert same and all(any(f is b for b in before) for f in same)


def test_kept_rows_reuses_the_values_of_the_rows_at_both_ends_only() -> None:
    """Random edits of a list of rows (objects added, removed, replaced): every value is
    what ``make`` gives for the row at its place, and only the rows between the longest
    run of last run's rows at the start and at the end are made again (at the end only
    when the count is the same, if asked: a value holding its index)."""
    from citelint import units

    rng = random.Random(3)
    session = memo.Session(100)
    for same_count in (False, True):
        rows: list[Any] = [object() for _ in range(30)]
        last: list[Any] = []
        for _ in range(300):
            at = rng.randrange(len(rows) + 1)
            rows[at : at + rng.randrange(3)] = [object() for _ in range(rng.randrange(3))]
            made: list[int] = []

            def make(i: int, row: Any) -> tuple[int, Any]:
                made.append(i)
                return (i, row)

            with memo.session(keep=session):
                found = units.kept_rows("test", "p", None, tuple(rows), make, same_count)
            n = min(len(rows), len(last))
            head = next((i for i in range(n) if rows[i] is not last[i]), n)
            tail = 0
            if not same_count or len(rows) == len(last):
                tail = next((i for i in range(n) if rows[-1 - i] is not last[-1 - i]), n)
                tail = min(tail, n - head)
            assert made == list(range(head, len(rows) - tail))
            assert [r for _, r in found] == rows
            if same_count:
                assert found == [(i, r) for i, r in enumerate(rows)]
            last = list(rows)


@pytest.mark.parametrize("kind", sorted(ROW_EDITS) + sorted(SUMMARY_EDITS))
def test_citations_of_what_an_edit_kept_are_kept(kind: str) -> None:
    """In a memo session the statement of a summary sentence and the source of a row that
    the parse kept are last run's; the citations are what a run outside a session reads."""
    from citelint import citations

    session = memo.Session(100)
    old = parser.parse(BASE, PATH)
    edit = {**ROW_EDITS, **SUMMARY_EDITS}[kind]
    new = incremental.reparse(old, edit(BASE))
    assert new is not None
    with memo.session(keep=session):
        before = citations.from_smartbook(old)
        after = citations.from_smartbook(new)
    assert after == citations.from_smartbook(parser.parse(new.source, PATH))
    if kind in ROW_EDITS:  # (the summary stands before the table)
        assert after.sources[0] is before.sources[0]
        assert all(a is b for a, b in zip(after.statements, before.statements))
    elif kind != "the first word":  # (the edits are in a later sentence)
        assert after.statements[0] is before.statements[0]


def test_a_union_is_followed_through_the_texts_that_changed() -> None:
    from citelint import units

    parts: list[str] = []

    def words(text: str) -> frozenset[str]:
        parts.append(text)
        return frozenset(text.split())

    session = memo.Session(100)

    def union(texts: list[str]) -> tuple[set[str], int]:
        with memo.session(keep=session):
            found = units.union("words", "/r.md", texts, words)
        assert found is not None
        return set(found[0]), found[1]

    first, v1 = union(["a b", "b c", "b c"])
    assert first == {"a", "b", "c"}
    again, v2 = union(["b c", "a b", "b c"])  # the same texts in another order: not read again
    assert again == first and v2 == v1 and len(parts) == 2
    fewer, v3 = union(["b c", "a b"])  # one of two "b c" gone: the union stays
    assert fewer == first and v3 == v1 and parts[2:] == ["b c"]
    gone, v4 = union(["b c", "c d"])  # "a" went, "d" came
    assert gone == {"b", "c", "d"} and v4 != v1
    assert sorted(parts[3:]) == ["a b", "c d"]  # only the texts that came or went were read
    with memo.session(keep=session):
        assert units.union("words", "/other.md", ["x"], words) is not None
    assert units.union("words", "/r.md", ["x"], words) is None  # outside a session: the caller gathers
    # Random edits of a list (texts changed, added, removed, or replaced by an equal text
    # that is another object): the union followed is the union gathered afresh.
    rng = random.Random(3)
    texts = ["".join(rng.choice("abcdef ") for _ in range(6)) for _ in range(50)]
    for _ in range(60):
        at = rng.randrange(len(texts))
        new = "".join(rng.choice("abcdefg ") for _ in range(6))
        kind = rng.choice(["edit", "add", "delete", "copy"])
        if kind == "edit":
            texts[at] = new
        elif kind == "add":
            texts.insert(at, new)
        elif kind == "delete" and len(texts) > 1:
            del texts[at]
        else:
            texts[at] = "".join(list(texts[at]))  # an equal text, another object
        assert union(list(texts))[0] == set().union(*(t.split() for t in texts))


class _Sink:
    def write(self, data: bytes) -> None:
        self.data = data


def _publishing_server(uri: str, encoding: str) -> tuple[Any, Any]:
    """A server state with ``uri`` open, and a stand-in server whose writer keeps what
    ``publish`` sends last."""
    from types import SimpleNamespace

    state = lsp_server._State(rules=RULES)
    state.open[uri] = lsp_server._Open()
    server: Any = SimpleNamespace(
        state=state, protocol=SimpleNamespace(writer=_Sink()), workspace=SimpleNamespace(position_encoding=encoding)
    )
    return state, server


def _publish(server: Any, uri: str, text: str, found: Any, version: int, encoding: str) -> tuple[Any, Any]:
    """What ``publish`` sends for ``found`` in ``text``, and what the protocol classes'
    conversion of the same diagnostics gives."""
    from lsprotocol.converters import get_converter

    lsp_server.publish(server, uri, text, found, version)
    body = server.protocol.writer.data.split(b"\r\n\r\n", 1)[1]
    lines = lsp_server.Lines(text, encoding)
    converter = get_converter()
    expected = [converter.unstructure(lsp_server.diagnostic(server.state, uri, lines, f)) for f in found]
    return json.loads(body)["params"]["diagnostics"], expected


@pytest.mark.parametrize("encoding", [positions.UTF8, positions.UTF16])
def test_published_diagnostics_are_what_the_protocol_classes_give(encoding: str) -> None:
    # The diagnostics are put together from templates and each finding's ranges and
    # messages (quotes, backslashes, non-ASCII and astral characters in them, related
    # places), after edits that renumber the lines the messages name.
    uri = "file:///tmp/published.md"
    state, server = _publishing_server(uri, encoding)
    text = report(12).replace("spring.", 'spring "𠀀" \\ café andmore.', 3)
    text = text.replace("https://example.org/bridge/4", "https://example.org/ferry/1")  # a duplicate source
    for step in range(3):
        found = lsp_server.analyse(state, uri, text).findings
        assert any(f.related for f in found) and any(not f.message.isascii() for f in found)
        published, expected = _publish(server, uri, text, found, step, encoding)
        assert published == expected
        text = _lines(text, 2, 0, ["An introduction.", ""])  # every line named moves


def test_a_long_summary_is_scanned_in_pieces_that_see_their_neighbours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # CIT401 scans a long field in pieces cut after sentence stops (here: every one); a
    # merge at the end of a piece is judged with the words after the cut (a foreign phrase
    # there leaves it alone), and moves with its piece.
    from citelint.checks import damage

    monkeypatch.setattr(damage, "PIECE_FIELD", 500)
    monkeypatch.setattr(damage, "PIECE_STOPS", 1)
    state = lsp_server._State(rules=RULES)
    uri = (tmp_path / "report.md").as_uri()
    path = lsp_server.path_of(uri)
    state.open[uri] = lsp_server._Open()

    def summary_with(merge: bool, foreign: bool, before: str = "") -> str:
        sentences = [f"Report {i} says the ferry left at noon." for i in range(1, 30)]
        if merge:
            sentences[14] = sentences[14][:-1] + " andmore."
        if foreign:
            sentences[15] = "tous un peu peur de la mer."
        lines = BASE.split("\n")
        lines[3] = before + " ".join(sentences)
        return "\n".join(lines)

    steps = [(True, False, ""), (True, True, ""), (True, False, ""), (True, False, "Then "), (False, True, ""), (True, True, "So ")]
    reported = []
    for merge, foreign, before in steps:
        text = summary_with(merge, foreign, before)
        found = list(lsp_server.analyse(state, uri, text).findings)
        assert found == _fresh(text, path, state)
        reported.append([f.col for f in found if f.code == "CIT401" and f.line == 4])
    assert reported[1] == reported[4] == reported[5] == [] and reported[0] == reported[2]
    assert reported[3] == [reported[0][0] + len("Then ")]


def test_the_server_freezes_what_a_run_leaves_and_sweeps_now_and_then(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # In the server's process, a run's survivors are frozen out of the collector's walks
    # (the next young collection would walk all of them), and every SWEEP_RUNS runs all is
    # collected once. The collector is the test's stand-in: this process is left alone.
    from types import SimpleNamespace

    calls: list[str] = []
    enabled = [True]
    fake = SimpleNamespace(
        isenabled=lambda: enabled[0],
        disable=lambda: (calls.append("disable"), enabled.__setitem__(0, False)),
        enable=lambda: (calls.append("enable"), enabled.__setitem__(0, True)),
        freeze=lambda: calls.append("freeze"),
        unfreeze=lambda: calls.append("unfreeze"),
        collect=lambda: calls.append("collect"),
    )
    monkeypatch.setattr(lsp_server, "gc", fake)
    monkeypatch.setattr(lsp_server, "SWEEP_RUNS", 2)
    uri = (tmp_path / "report.md").as_uri()
    for freeze in (False, True):
        state = lsp_server._State(rules=RULES, freeze=freeze)
        state.open[uri] = lsp_server._Open()
        del calls[:]
        for n in range(3):
            lsp_server.analyse(state, uri, report(3 + n))
        if freeze:
            assert calls == ["disable", "freeze", "enable", "disable", "unfreeze", "collect", "freeze", "enable", "disable", "freeze", "enable"]
        else:
            assert calls == ["disable", "enable"] * 3
    assert enabled[0]


def test_duplicate_sources_follow_the_rows_they_repeat(tmp_path: Path) -> None:
    # CIT201 keeps its findings by what each is made of (the URL, both rows' numbers, lines
    # and link places): an edit of the row repeated, of the repeating row, or before both
    # must give what a fresh run gives, and the merge fix follows the claims.
    state = lsp_server._State(rules=RULES)
    uri = (tmp_path / "report.md").as_uri()
    path = lsp_server.path_of(uri)
    state.open[uri] = lsp_server._Open()
    row = {n: 8 + n for n in (10, 20, 30)}  # 1-based lines of rows 10, 20 and 30 (all "ferry")
    steps = [
        lambda t: edit_line(edit_line(t, row[20], "ferry/20", "ferry/10"), row[30], "ferry/30", "ferry/10"),
        lambda t: _lines(t, 12, 0, [t.split("\n")[11].replace("[4]", "[44]").replace("/4", "/44")]),  # all move down
        lambda t: edit_line(t, row[10] + 1, "[10]", "[90]"),  # the row repeated is renumbered
        lambda t: edit_line(t, row[20] + 1, "number 20 was published in spring.<a", "number 10 was published in spring.<a"),
        lambda t: edit_line(t, row[10] + 1, "in spring.<a", "in a late spring.<a"),  # its link moves right
        lambda t: _lines(t, 12, 1, []),  # all move back up
        lambda t: edit_line(t, row[30], "ferry/10", "ferry/30"),
    ]
    text = BASE
    assert list(lsp_server.analyse(state, uri, text).findings) == _fresh(text, path, state)
    seen: list[list[Finding]] = []
    for step in steps:
        text = step(text)
        found = list(lsp_server.analyse(state, uri, text).findings)
        assert found == _fresh(text, path, state)
        seen.append([f for f in found if f.code == "CIT201"])
    assert all(seen[:-1]) and len(seen[-1]) == 1
    assert any(f.fix is not None for f in seen[3]) and not any(f.fix is not None for f in seen[4])
    assert seen[1][0].span.line == seen[0][0].span.line + 1 and "[90]" in seen[2][0].message
    assert seen[4][0].related[0].span.col > seen[3][0].related[0].span.col


@pytest.mark.parametrize("encoding", [positions.UTF8, positions.UTF16])
def test_a_diagnostic_published_again_is_what_the_protocol_classes_give(encoding: str) -> None:
    # In ASCII text the JSON text of a diagnostic whose finding is the same as last time
    # (a kept hit: same span, message and related places) is reused: after edits that keep
    # most findings, move them, make the text non-ASCII and ASCII again, every diagnostic
    # is still what the protocol classes give.
    uri = "file:///tmp/published-again.md"
    state, server = _publishing_server(uri, encoding)
    text = report(12).replace("spring.", "spring andmore.", 3)
    text = text.replace("https://example.org/bridge/4", "https://example.org/ferry/1")  # a duplicate source
    steps = [
        lambda t: t,
        lambda t: edit_line(t, 9 + 6, "published in", "printed in"),  # one row: the others' findings kept
        lambda t: _lines(t, 2, 0, ["An introduction.", ""]),  # every line named moves
        lambda t: edit_line(t, 11 + 2, "| Before.", "| Before “𠀀”."),  # not ASCII: columns differ
        lambda t: edit_line(t, 11 + 2, "| Before “𠀀”.", "| Before."),
        lambda t: edit_line(t, 11 + 8, "published in", "printed in"),
    ]
    reused = 0
    for step, change in enumerate(steps):
        text = change(text)
        before = dict(state.open[uri].shown)
        found = lsp_server.analyse(state, uri, text).findings
        reused += sum(1 for f in found if id(f.span) in before and before[id(f.span)][0] is f.span)
        published, expected = _publish(server, uri, text, found, step, encoding)
        assert published == expected
    assert reused  # (the kept texts were used)
    # The same findings (a kept hit's span is the same object) in a text where a letter
    # before them became an astral character (the same code-point columns): the ranges
    # are converted again.
    f = next(f for f in found if f.span.col > 2)
    lines_of = text.split("\n")
    lines_of[f.span.line - 1] = "𠀀" + lines_of[f.span.line - 1][1:]
    astral = "\n".join(lines_of)
    published, expected = _publish(server, uri, astral, found, 99, encoding)
    assert published == expected


def test_the_support_analysis_followed_through_random_edits_is_a_fresh_ones() -> None:
    """In a memo session the support analysis reuses the last run's evidence of the sources
    and the supports of the clauses an edit kept (by identity); after each of random edits
    (rows edited, added, deleted and repeated, summary words, markers), it equals an
    analysis outside a session, clause for clause, and some clauses were judged again."""
    from citelint import citations, scorers, support

    session = memo.Session(1000)
    rng = random.Random(41)
    text = report(60)
    doc = parser.parse(text, PATH)
    lexical = scorers.get("lexical")
    kept_some = judged_again = 0
    for n in range(80):
        text = _random_edit(rng, text) if n % 4 else _random_text_edit(rng, text)
        new = incremental.reparse(doc, text) if incremental.follows(doc, DEFAULT_LIMITS) else None
        doc = new if new is not None else parser.parse(text, PATH)
        with memo.session(keep=session):
            kept = session.kept("support-lexical", support._Kept)
            last = kept.made
            followed = support.analyse_with(doc, lexical, "lexical", citations.of(doc))
        fresh = support.analyse_with(doc, lexical, "lexical", citations.of(parser.parse(text, PATH)))
        assert followed == fresh
        if last is not None:
            before = {id(c) for c in last[2]}
            kept_some += any(id(c) in before for c in followed.clauses)
            judged_again += any(id(c) not in before for c in followed.clauses)
    assert kept_some >= 10 and judged_again >= 10


def test_a_long_field_cut_again_after_an_edit_is_cut_as_afresh() -> None:
    """CIT401 cuts a long field into pieces; in a server's session, an edit's new text is
    cut again only around the edit, and the pieces are those a fresh cut gives."""
    from citelint.checks import damage

    rng = random.Random(11)
    words = ["alpha", "beta.", "gamma!", "delta?", "epsilon", "zeta.", "eta", "theta,"]
    text = " ".join(rng.choice(words) for _ in range(6000))
    session = memo.Session(100)
    for _ in range(60):
        at = rng.randrange(len(text))
        cut = rng.choice([0, 0, 1, 5, 40])
        added = rng.choice(["", ". ", "x", " beta. ", "! Kyiv ", "\n"])
        text = text[:at] + added + text[at + cut :]
        with memo.session(keep=session):
            followed = damage._pieces(text)
        assert followed == damage._pieces(text)  # (outside a session: cut afresh)
        assert "".join(piece[1] for piece in followed) == text
