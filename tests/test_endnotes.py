"""The numbered-endnotes reader, the citation model and the CIT5xx rules."""
from __future__ import annotations

import pytest

from citelint import citations, parser, readers
from citelint.api import fix_text, lint_text
from citelint.checks.endnotes import without_tracking
from citelint.config import resolve
from citelint.registry import load_rules
from tests.conftest import shared

REPORT = """# Do green roofs cool a street?

Roof gardens lowered the surface heat of the block by four degrees [1][2]. Shade trees did more [3, 4].
- The effect lasted into the evening ([2](#sources), [4](#sources)).

## References

[1] Green roof heat study: https://example.org/roofs/heat
2. [City climate report](https://example.com/climate?utm_source=chatgpt.com&page=3)
[3] Street trees and shade
https://example.net/trees
[4] Evening temperatures: https://example.org/evening
"""


def codes(text: str) -> list[str]:
    return [f"{f.code} {f.span.line}:{f.span.col}" for f in lint_text(text, "r.md")]


def test_reader_reads_every_entry_form_and_citation_form() -> None:
    doc = readers.read(REPORT, "r.md")
    assert doc.format == "endnotes" and doc.is_report
    assert doc.citations is not None
    sources = {s.key: (s.title, s.url) for s in doc.citations.sources}
    assert sources == {
        "1": ("Green roof heat study", "https://example.org/roofs/heat"),
        "2": ("City climate report", "https://example.com/climate?utm_source=chatgpt.com&page=3"),
        "3": ("Street trees and shade", "https://example.net/trees"),
        "4": ("Evening temperatures", "https://example.org/evening"),
    }
    assert [(g.text.raw, g.keys) for g in doc.citations.groups] == [
        ("[1][2]", ("1", "2")),
        ("[3, 4]", ("3", "4")),
        ("[2](#sources), [4](#sources)", ("2", "4")),
    ]
    # Positions point into the source.
    url = doc.citations.sources[0].url_text
    assert url is not None and REPORT[url.start : url.end] == "https://example.org/roofs/heat"


def test_a_claims_table_stays_smartbook_and_plain_notes_are_not_reports() -> None:
    smartbook = "# Q\n\n## Summary\nIt rose [1].\n\n## Claims\n| Claim Sentence | Context |\n|---|---|\n|[1] It rose.| It rose.|\n\n## Sources\n\n[1] A: https://example.org/a\n"
    assert readers.read(smartbook).format == "smartbook"
    readme = "# Tool\n\nInstall it.\n\n## References\n\nSee the manual.\n"
    doc = readers.read(readme)
    assert doc.format == "smartbook" and not doc.is_report


def test_forced_format() -> None:
    text = "# Notes\n\nIt rose [1].\n"
    assert readers.read(text, fmt="endnotes").format == "endnotes"
    assert readers.read(REPORT, fmt="smartbook").format == "smartbook"


def test_trailing_list_without_a_heading_and_merged_numbers() -> None:
    text = "Title\n\nIt rose [1]. It fell [2]. It held [3].\n\n[1] [3] example.org\n\nhttps://example.org/a\n\n[2] https://example.com/b\n"
    doc = readers.read(text)
    assert doc.format == "endnotes" and doc.citations is not None
    assert sorted(s.key for s in doc.citations.sources) == ["1", "2", "3"]
    assert codes(text) == []  # [1] and [3] are one entry on purpose: no duplicate


def test_smartbook_adapter_gives_quote_and_passage() -> None:
    text = "# Q\n\n## Summary\nIt rose [1].\n\n## Claims\n| Claim Sentence | Context |\n|---|---|\n|[1] It rose. <a href=\"https://example.org/x\">Source</a>| Before. It rose. After.|\n"
    model = citations.of(parser.parse(text))
    assert model.format == "smartbook" and model.has_quotes and model.has_passages
    (source,) = model.sources
    assert source.key == "1" and source.url == "https://example.org/x" and source.passage is not None
    assert [g.keys for g in model.groups] == [("1",)]


def test_rules_on_a_report_with_every_defect() -> None:
    text = (
        "# Q\n\nIt rose [1][5]. It fell [2]. It held up . Again [3]\ue200cite\ue202turn0search3\ue201.\n\n## Sources\n\n"
        "[1] A: https://example.org/a?fbclid=xyz\n[2] B: https://example.org/a\n[3] C\n[5] D: https://example.com/d\n[6] E: https://example.com/e\n"
    )
    found = {f.code for f in lint_text(text, "r.md")}
    assert found == {"CIT502", "CIT503", "CIT504", "CIT506", "CIT507", "CIT508", "CIT509"}
    # Every number cited here is listed; cite one that is not.
    assert "CIT501" in {f.code for f in lint_text(text.replace("[1][5]", "[1][7]"), "r.md")}
    # No SmartBook rule runs on an endnotes report.
    assert not [f for f in lint_text(text, "r.md") if f.code < "CIT500"]


def test_tracking_parameter_fix_keeps_the_rest_of_the_url() -> None:
    assert without_tracking("https://a.org/x?utm_source=chatgpt.com") == "https://a.org/x"
    assert without_tracking("https://a.org/x?id=3&gclid=1#part") == "https://a.org/x?id=3#part"
    assert without_tracking("https://a.org/x?id=3") is None
    settings = resolve({"fixable": ["CIT506"]}, None, load_rules(), root=".")
    out = fix_text(REPORT, "r.md", settings=settings)
    assert "https://example.com/climate?page=3)" in out.text and out.applied["CIT506"] == 1


def test_config_key_and_flag_force_the_format(tmp_path: pytest.TempPathFactory) -> None:
    from citelint import cli

    path = tmp_path / "r.md"  # type: ignore[operator]
    path.write_text(REPORT, encoding="utf-8")
    assert cli.main(["-q", "--isolated", "--input-format", "smartbook", str(path)]) == 1
    settings = resolve({"format": "smartbook"}, None, load_rules(), root=".")
    assert settings.input_format == "smartbook"


def test_shared_endnotes_example_is_clean() -> None:
    path = shared("examples", "formats", "endnotes", "odr_claude4-sonnet_id60.md")
    doc = readers.read(path.read_text(encoding="utf-8"), str(path))
    assert doc.format == "endnotes" and doc.citations is not None
    assert len(doc.citations.sources) == 31 and len(doc.citations.groups) == 37
    # Checked by hand: every one of the 31 sources is cited, no number is missing, no URL repeats.
    assert lint_text(path.read_text(encoding="utf-8"), str(path)) == []


def test_shared_chatgpt_export_findings() -> None:
    path = shared("examples", "formats", "chatgpt-export", "chatgpt_dr_docx_export_id58.md")
    text = path.read_text(encoding="utf-8")
    doc = readers.read(text, str(path))
    assert doc.format == "endnotes" and doc.citations is not None
    assert sorted(int(k) for k in doc.citations.by_key) == list(range(1, 74))
    # Checked by hand: the two URLs that carry ?utm_source=chatgpt.com, nothing else.
    assert [(f.code, f.span.line) for f in lint_text(text, str(path))] == [("CIT506", 663), ("CIT506", 719)]


def test_a_text_citing_nothing_gets_one_finding_not_one_per_source() -> None:
    text = "# Q\n\nIt rose.\n\n## Sources\n\n[1] A: https://example.org/a\n[2] B: https://example.org/b\n"
    found = [(f.code, f.message) for f in lint_text(text, "r.md")]
    assert found == [("CIT502", "the text cites none of the 2 listed sources")]


def test_a_source_linked_in_the_text_is_cited() -> None:
    text = "# Q\n\nIt rose [1], see [the study](https://example.org/b).\n\n## Sources\n\n[1] A: https://example.org/a\n[2] B: https://example.org/b\n"
    assert lint_text(text, "r.md") == []


def test_a_numbered_link_cites_its_number_even_when_its_url_is_another_entrys() -> None:
    # Entries 1 and 3 share a URL (a duplicate, CIT503): "[3](url)" cites 3, as written.
    text = (
        "# Q\n\nIt rose [1][2], then held ([3](https://example.org/a)).\n\n## Sources\n\n"
        "1. [A](https://example.org/a)\n2. [B](https://example.org/b)\n3. [A again](https://example.org/a)\n"
    )
    doc = readers.read(text, "r.md")
    assert doc.citations is not None
    cited = [g.keys for s in doc.citations.statements for g in s.groups]
    assert cited == [("1", "2"), ("3",)]
    assert [f.code for f in lint_text(text, "r.md")] == ["CIT503"]


def test_one_number_in_two_lists_is_no_duplicate() -> None:
    text = (
        "# Q\n\n## Part\n\nIt rose [1].\n\n#### Sources:\n- [1] A (https://example.org/a)\n\n"
        "## End\n\nIt held [2].\n\n### Sources\n\n1. A: https://example.org/a\n2. B: https://example.org/b\n"
    )
    assert [f.code for f in lint_text(text, "r.md")] == []


def endnotes_report(n: int) -> str:
    """``n`` paragraphs citing ``n`` sources (every tenth URL repeated, every seventh uncited)."""
    text = "\n\n".join(f"Finding {i} held in the valley [{i}][{i + 1}]." for i in range(1, n + 1) if i % 7)
    items = "\n".join(f"[{i}] Report {i}: https://example.org/r/{i - i % 10}?utm_source=x" for i in range(1, n + 2))
    return f"# Q\n\n{text}\n\n## Sources\n\n{items}\n"


def test_reading_and_rules_grow_linearly() -> None:
    import gc
    import statistics
    import time

    known = load_rules()
    rules = [r for r in known if r.code.startswith("CIT5")]

    def typical(text: str) -> float:
        times = []
        for _ in range(3):
            gc.collect()
            start = time.perf_counter()
            from citelint import engine

            engine.check_document(readers.read(text), rules, known=known)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    typical(endnotes_report(50))
    small, large = typical(endnotes_report(1_000)), typical(endnotes_report(4_000))
    assert large / max(small, 0.005) < 8.0, f"{small:.3f} s at n, {large:.3f} s at 4n"


FOOTNOTED = """# Which bridges close in winter?

The north bridge closes in January.[^1][^2] The ferry runs all year.[^3]
<span style="display:none">[^4][^5]</span>

[^1]: https://example.org/bridges/north

[^2]: https://example.com/winter?fbclid=abc

[^3]: https://example.org/ferry

[^4]: https://example.net/parked

[^5]: https://example.org/bridges/north/
"""


def test_footnotes_reader() -> None:
    doc = readers.read(FOOTNOTED)
    assert doc.format == "footnotes" and doc.citations is not None
    assert [g.keys for g in doc.citations.groups] == [("1", "2"), ("3",)]
    assert [s.key for s in doc.citations.sources] == ["1", "2", "3", "4", "5"]


def test_footnote_rules_count_a_hidden_reference_as_uncited() -> None:
    found = [(f.code, f.span.line, f.message) for f in lint_text(FOOTNOTED, "r.md")]
    assert found == [
        ("CIT506", 8, "source [^2]: the URL carries tracking parameters (fbclid)"),
        ("CIT502", 12, "source [^4] is never cited in the text"),
        ("CIT502", 14, "source [^5] is never cited in the text"),
        ("CIT503", 14, "source [^5] has the same URL as source [^1] (line 6): cite one number"),
    ]


def test_shared_footnotes_excerpt_findings() -> None:
    path = shared("examples", "formats", "footnotes", "pplx_best_practices_EXCERPT.md")
    text = path.read_text(encoding="utf-8")
    assert readers.read(text).format == "footnotes"
    found = [(f.code, f.span.line) for f in lint_text(text, str(path))]
    # Checked by hand: the excerpt abridges the definitions of [^4]..[^15], so the citations
    # of them dangle (CIT501) and their numbers are missing (CIT504); [^16]..[^20] are cited
    # only inside the hidden span (CIT502).
    assert found == [
        ("CIT501", 12), ("CIT501", 13), ("CIT501", 15), ("CIT501", 17), ("CIT501", 30), ("CIT501", 30),
        ("CIT502", 32), ("CIT504", 32), ("CIT502", 34), ("CIT502", 36), ("CIT502", 38), ("CIT502", 40),
    ]


def test_storm_article_with_its_sidecar(tmp_path: pytest.TempPathFactory) -> None:
    import json

    folder = tmp_path  # type: ignore[assignment]
    article = folder / "Lake_Ferry__storm_gen_article.txt"  # type: ignore[operator]
    article.write_text("# History\n\nThe ferry first sailed in 1921 .[1][2] It still runs .\n", encoding="utf-8")
    sidecar = {
        "url_to_unified_index": {"https://example.org/ferry": 1, "https://example.org/ferry/": 2, "https://example.com/x": 3},
        "url_to_info": {"https://example.org/ferry": {"title": "Ferry history", "snippets": ["First sailed in 1921."]}},
    }
    (folder / "Lake_Ferry__url_to_info.json").write_text(json.dumps(sidecar), encoding="utf-8")  # type: ignore[operator]
    doc = readers.read(article.read_text(encoding="utf-8"), str(article))
    assert doc.format == "storm" and doc.citations is not None
    assert doc.citations.by_key["1"][0].snippets == ("First sailed in 1921.",)
    found = [(f.code, f.span.line, f.span.col, f.message) for f in lint_text(article.read_text(encoding="utf-8"), str(article))]
    assert found == [
        ("CIT502", 1, 1, "source [3] (in Lake_Ferry__url_to_info.json) is never cited in the text"),
        ("CIT503", 1, 1, "source [2] (in Lake_Ferry__url_to_info.json) has the same URL as source [1]: cite one number"),
        ("CIT508", 3, 31, "a space before '.': a citation was probably cut here"),
        ("CIT508", 3, 53, "a space before '.': a citation was probably cut here"),
    ]
    # A sidecar that is not JSON is said, never read past (tests/test_storm_support.py has
    # each way a sidecar can be broken); without a sidecar the article is no STORM output.
    (folder / "Lake_Ferry__url_to_info.json").write_text("{not json", encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(readers.ReaderError, match="STORM sidecar .*Lake_Ferry__url_to_info.json: invalid JSON"):
        readers.read(article.read_text(encoding="utf-8"), str(article))
    (folder / "Lake_Ferry__url_to_info.json").unlink()  # type: ignore[operator]
    assert readers.read(article.read_text(encoding="utf-8"), str(article)).format == "smartbook"


def test_shared_storm_example_is_read_with_its_sidecar() -> None:
    path = shared("examples", "formats", "storm", "Taylor_Hawkins__storm_gen_article.txt")
    text = path.read_text(encoding="utf-8")
    doc = readers.read(text, str(path))
    assert doc.format == "storm" and doc.citations is not None
    # Checked by hand: the article cites [1]..[5], the sidecar lists five URLs under 1..5.
    assert sorted(doc.citations.by_key) == ["1", "2", "3", "4", "5"]
    assert all(s.snippets for s in doc.citations.sources)
    # No source-list finding; the support rules' findings are tests/test_storm_support.py's.
    assert [f for f in lint_text(text, str(path)) if f.code not in ("CIT302", "CIT303")] == []


def test_the_source_list_rules_run_on_every_format_but_smartbook() -> None:
    from citelint.readers import CHOICES

    for rule in load_rules():
        if rule.code.startswith("CIT5"):
            assert set(rule.formats) == set(citations.FORMATS) - {citations.SMARTBOOK}
    assert set(CHOICES) == {"auto", *citations.FORMATS}


LINKED = """# Which bridges close in winter?

The north bridge closes in January ([City notice](https://example.org/bridges/north)). The ferry
runs all year ([Ferry timetable](https://example.org/ferry?utm_source=feed)), says the
[harbour office](https://example.net/harbour) ([Old page](https://example.com/gone)).

## References

- City of Lake. (2024). Winter closures. [https://example.org/bridges/north](https://example.org/bridges/north)
- Ferry Co. (2024). Timetable. [https://example.org/ferry?utm_source=feed](https://example.org/ferry?utm_source=feed)
- Ferry Co. (2023). Timetable archive. [https://example.org/ferry/](https://example.org/ferry/)
- Lake News. (2022). Bridges. [https://example.org/bridges/old](https://example.org/bridges/old)
"""


def test_inline_links_reader_and_rules() -> None:
    doc = readers.read(LINKED)
    assert doc.format == "inline-links" and doc.citations is not None
    # A plain link to an unlisted page is prose; a parenthesised one cites.
    assert [g.keys for g in doc.citations.groups] == [("1",), ("2",), ("https://example.com/gone",)]
    found = [(f.code, f.span.line, f.message) for f in lint_text(LINKED, "r.md")]
    assert found == [
        ("CIT501", 5, "citation <https://example.com/gone> names no source in the source list"),
        ("CIT506", 10, "source <https://example.org/ferry?utm_source=feed>: the URL carries tracking parameters (utm_source)"),
        ("CIT502", 11, "source <https://example.org/ferry/> is never cited in the text"),
        ("CIT503", 11, "source <https://example.org/ferry/> has the same URL as source <https://example.org/ferry?utm_source=feed> (line 10): cite one number"),
        ("CIT502", 12, "source <https://example.org/bridges/old> is never cited in the text"),
    ]


def test_shared_inline_links_example_is_clean() -> None:
    path = shared("examples", "formats", "inline-links", "gptr_hallucination_eval_1.md")
    text = path.read_text(encoding="utf-8")
    doc = readers.read(text, str(path))
    assert doc.format == "inline-links" and doc.citations is not None
    # Checked by hand: the 13 references are each linked from the text, none twice.
    assert len(doc.citations.sources) == 13
    assert {k for g in doc.citations.groups for k in g.keys} == {str(i) for i in range(1, 14)}
    assert lint_text(text, str(path)) == []


def test_suppression_and_fix_loop_work_on_endnotes() -> None:
    text = REPORT.replace("[3] Street", "<!-- citelint-disable-next-line CIT506 -->\n[3] Street")
    # The comment sits above the wrong line: CIT506 is still reported, and the comment is unused.
    assert [f.code for f in lint_text(text, "r.md")] == ["CIT506", "CIT900"]
    text = REPORT.replace("2. [City", "<!-- citelint-disable-next-line CIT506 -->\n2. [City")
    assert lint_text(text, "r.md") == []
    out = fix_text(REPORT, "r.md")
    assert out.applied["CIT506"] == 1 and lint_text(out.text, "r.md") == []
