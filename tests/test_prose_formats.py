"""The damage rules on the prose of the formats other than SmartBook's (issue 14).

The fixtures are our own reports with damage put in by hand (a glued comma, a merged pair,
a lost apostrophe, a letter lost in a conversion: "Zrich" for "Zürich"), in prose and next
to every kind of markup that is not prose (URLs, link destinations, code, HTML, hidden text,
citations, the source list).
CIT402 runs on every format; CIT401, CIT403 and CIT404 stay on SmartBook reports (their
findings on real endnote reports were false alarms), so their tests run them by hand, as a
user's plugin could, to check that what they read and repair is the right place.
"""
from __future__ import annotations

import dataclasses
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from citelint import api, citations, cli, prose, readers
from citelint.checks.damage import prose_fields
from citelint.finding import Finding
from citelint.registry import Rule, load_rules
from tests.conftest import shared

DAMAGE = ("CIT401", "CIT402", "CIT403", "CIT404")

ENDNOTES = """# Harbour repairs in Port Aldane

## What happened

Crews reopened the **north pier** in May,after two storms [1]. The harbour master said the
work wouldnt stop before winter [2].
Divers from Zürich and crews andmore volunteers cleared the channel [1][2].

- **Dredging**: the board's [tender notice](https://harbour.example/tender?lots=1,2,3) asked for bids;
  `lots.Split,Join` is the form's field, <span title="a,b">kept</span> as sent.
- The boats from Zrich returned in June [2].

| Berth | State |
|---|---|
| North and South | open |

```
crane,hoist = 2,3
```

## Sources

[1] Russias Ports,Explained: https://news.example/ports,harbours
[2] Harbour board minutes: https://harbour.example/minutes
"""

FOOTNOTES = """# Ferry notes

Ferries stopped on Tuesday,and crews cleared the docks[^1]. Thats what the port wrote[^2].
<span style="display:none">[^3] hidden,text the reader never sees</span>

[^1]: https://port.example/ferries
[^2]: https://port.example/notice
[^3]: https://port.example/unused,old
"""

INLINE = """# Ferry notes

Ferries stopped on Tuesday,and crews cleared the docks ([port.example,notices](https://port.example/a,b)).

## References

- [Port notices,2024](https://port.example/a,b)
"""


def at(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """Line and column (1-based) of ``needle``'s first character plus ``offset``."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def forced(codes: Sequence[str]) -> list[Rule]:
    """The rules ``codes`` made to run on every format."""
    return [dataclasses.replace(r, formats=("*",)) for r in load_rules() if r.code in codes]


def places(findings: list[Finding], code: str) -> list[tuple[int, int]]:
    return [(f.line, f.col) for f in findings if f.code == code]


def lint_file(tmp_path: Path, name: str, text: str, *extra: str) -> tuple[int, list[str]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out.txt"
    code = cli.main(["--isolated", "--no-cache", "-q", "-o", str(out), *extra, str(path)])
    return code, out.read_text(encoding="utf-8").splitlines()


# what the rules read


@pytest.mark.parametrize("text", [ENDNOTES, FOOTNOTES, INLINE])
def test_prose_is_the_files_own_characters_at_their_places(text: str) -> None:
    doc = readers.read(text, "report.md")
    assert doc.format != "smartbook"
    for piece in prose.pieces(doc):
        raw = piece.text.raw
        for i, ch in enumerate(raw):
            assert ch == " " or ch == doc.source[piece.text.start + i], (piece.kind, i)


def visible(text: str) -> str:
    doc = readers.read(text, "report.md")
    return "\n".join(f.text.raw for f in prose_fields(doc))


def test_markup_urls_code_html_and_citations_are_not_read_as_prose() -> None:
    shown = visible(ENDNOTES)
    # Prose a reader reads, with emphasis, link labels, list items, table cells and headings.
    for words in ("north pier", "in May,after two storms", "tender notice", "Dredging", "North and South", "What happened"):
        assert words in shown
    # Not prose: link destinations and URLs, code spans and blocks, HTML, citations.
    for markup in ("harbour.example", "lots=1,2,3", "Split,Join", "crane,hoist", "title=", "<span", "[1]", "**"):
        assert markup not in shown
    assert "kept" in shown  # the text inside an element is read, its tag is not


def test_the_source_list_is_not_read() -> None:
    # Titles are the sources' own words (and URLs no prose): the report cannot repair them.
    shown = visible(ENDNOTES)
    assert "Russias" not in shown and "Ports,Explained" not in shown and "minutes" not in shown


def test_hidden_text_and_footnote_definitions_are_not_read() -> None:
    shown = visible(FOOTNOTES)
    assert "Tuesday,and" in shown
    assert "hidden,text" not in shown and "[^" not in shown and "unused" not in shown


def test_text_in_any_hidden_element_is_not_read_up_to_its_own_closing_tag() -> None:
    text = FOOTNOTES.replace(
        "Thats what", 'Seen <div style="display: none">hid,den <div>in,ner</div> still,hidden</div> after,this. Thats what'
    )
    shown = visible(text)
    assert "Seen" in shown and "after,this" in shown
    assert "hid,den" not in shown and "in,ner" not in shown and "still,hidden" not in shown


def test_inline_citation_labels_are_not_read() -> None:
    shown = visible(INLINE)
    assert "Tuesday,and" in shown
    assert "port.example,notices" not in shown and "Port notices,2024" not in shown


def test_an_escaped_character_is_read_without_its_backslash() -> None:
    text = ENDNOTES.replace("before winter", "before 1\\*2 winters,as planned")
    shown = visible(text)
    assert "before 1 *2 winters,as planned" in shown


# CIT402 on every format, through the command line


def test_glued_comma_found_at_its_place_in_endnotes(tmp_path: Path) -> None:
    code, lines = lint_file(tmp_path, "report.md", ENDNOTES, "--select", ",".join(DAMAGE))
    line, col = at(ENDNOTES, "May,after", 3)
    assert code == 1
    assert lines == [f"{tmp_path / 'report.md'}:{line}:{col}: CIT402 [*] no space after ',' in 'May,after'"]


def test_glued_comma_fixed_in_place(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(ENDNOTES, encoding="utf-8")
    cli.main(["--isolated", "--no-cache", "-q", "--select", "CIT402", "--fix", str(path)])
    assert path.read_text(encoding="utf-8") == ENDNOTES.replace("May,after", "May, after")


@pytest.mark.parametrize("name, text, fmt", [("notes.md", FOOTNOTES, "footnotes"), ("links.md", INLINE, "inline-links")])
def test_glued_comma_found_in_footnotes_and_inline_links(tmp_path: Path, name: str, text: str, fmt: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert readers.read(text, str(path)).format == fmt
    findings = api.lint_text(text, str(path))
    assert places(findings, "CIT402") == [at(text, "Tuesday,and", 7)]
    fixed = api.fix_text(text, str(path)).text
    assert fixed.replace("Tuesday, and", "Tuesday,and") == text and "Tuesday, and" in fixed


def test_glued_comma_found_in_a_storm_article(tmp_path: Path) -> None:
    article = "Ferries stopped on Tuesday,and crews cleared the docks [1].\n"
    (tmp_path / "Ferry_storm_gen_article.txt").write_text(article, encoding="utf-8")
    (tmp_path / "Ferry_url_to_info.json").write_text(
        '{"url_to_unified_index": {"https://port.example/a": 1}, "url_to_info": {}}', encoding="utf-8"
    )
    path = str(tmp_path / "Ferry_storm_gen_article.txt")
    assert readers.read(article, path).format == "storm"
    assert places(api.lint_text(article, path), "CIT402") == [at(article, "Tuesday,and", 7)]


# CIT401, CIT403, CIT404: off on these formats, and right when run


def test_cit402_runs_on_every_format_a_reader_produces() -> None:
    rule = next(r for r in load_rules() if r.code == "CIT402")
    assert all(rule.runs_on(fmt) for fmt in citations.FORMATS)


def test_merges_apostrophes_and_lost_letters_are_not_reported_on_endnotes() -> None:
    findings = api.lint_text(ENDNOTES, "report.md")
    assert not [f for f in findings if f.code in ("CIT401", "CIT403", "CIT404")]
    assert not [f for f in api.lint_text(FOOTNOTES, "notes.md") if f.code in ("CIT401", "CIT403", "CIT404")]


def test_when_run_they_find_the_damage_at_its_place() -> None:
    findings = api.lint_text(ENDNOTES, "report.md", rules=forced(DAMAGE))
    assert places(findings, "CIT401") == [at(ENDNOTES, "andmore")]
    assert places(findings, "CIT403") == [at(ENDNOTES, "wouldnt")]
    assert places(findings, "CIT404") == [at(ENDNOTES, "Zrich")]
    assert places(findings, "CIT402") == [at(ENDNOTES, "May,after", 3)]
    notes = api.lint_text(FOOTNOTES, "notes.md", rules=forced(DAMAGE))
    assert places(notes, "CIT403") == [at(FOOTNOTES, "Thats")]


def test_when_run_their_fixes_edit_the_right_place() -> None:
    fixed = api.fix_text(ENDNOTES, "report.md", unsafe=True, rules=forced(DAMAGE)).text
    expected = (
        ENDNOTES.replace("May,after", "May, after")
        .replace("andmore", "and more")
        .replace("wouldnt", "wouldn't")
        .replace("from Zrich", "from Zürich")
    )
    assert fixed == expected


# the shared examples


@pytest.mark.parametrize("folder", ["endnotes", "footnotes", "inline-links", "storm", "chatgpt-export"])
def test_no_damage_reported_on_the_shared_examples(folder: str) -> None:
    # Each example was read by hand: none has a glued comma or sentence stop.
    base = shared("examples", "formats", folder)
    for path in sorted(base.iterdir()):
        if path.suffix in (".md", ".txt"):
            findings = api.lint_text(path.read_text(encoding="utf-8"), str(path))
            assert not [f for f in findings if f.code in DAMAGE], path


# hostile input


_PARTS = (
    "word", " ", ",", ".", "*", "**", "_", "`", "``", "[", "]", "(", ")", "](https://x.example/a,b)", "<span>",
    "</span>", '<span style="display:none">', "\\*", "\\", "\n", "\n\n", "- ", "> ", "# ", "| a | b |\n|---|---|\n| c | d |",
    "```\ncode\n```", "<https://a.example/x>", "![alt](i.png)", "[1]", "[^2]", "&amp;", "    indented\n", "1. ", "\t", "é",
)


def test_any_markup_gives_prose_made_of_the_files_own_characters() -> None:
    rng = random.Random(14)
    for _ in range(300):
        body = "".join(rng.choice(_PARTS) for _ in range(rng.randint(1, 40)))
        text = body + "\n\n## Sources\n\n[1] Title: https://a.example/x\n"
        for fmt in ("endnotes", "footnotes"):
            doc = readers.read(text, "report.md", fmt)
            for piece in prose.pieces(doc):
                assert all(c == " " or c == doc.source[piece.text.start + i] for i, c in enumerate(piece.text.raw)), text


def _reading_time(text: str) -> float:
    doc = readers.read(text, "report.md", "endnotes")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        prose.pieces(doc)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@pytest.mark.parametrize(
    "build",
    [
        lambda n: "Words " + "x\\*y, " * n + "end [1].",  # escapes mistune joins into its text
        lambda n: "Words " + "[a,b](https://x.example/a,b) `c,d` <b>e</b> " * n + "end [1].",
        lambda n: "\n".join(f"- item **{i}**, and [1]" for i in range(n)),
        lambda n: "Words " + "[" * n + " end [1].",
    ],
    ids=["escapes", "links-code-html", "list", "brackets"],
)
def test_reading_the_prose_grows_linearly(build: Callable[[int], str]) -> None:
    sources = "\n\n## Sources\n\n[1] Title: https://a.example/x\n"
    _reading_time(build(100) + sources)  # imports: not timed
    small, large = _reading_time(build(1000) + sources), _reading_time(build(4000) + sources)
    assert large / max(small, 0.005) < 8.0, (small, large)
