from __future__ import annotations

import pytest

from citelint.model import Span
from citelint.parser import parse, split_cells
from tests.reports import marker, report, row


def test_title_sections_and_rows() -> None:
    doc = parse(report(f"The sky is blue {marker(1)}.", [row(1, "The sky is blue.")]))
    assert doc.title is not None and doc.title.raw == "What happened?"
    assert doc.title.span == Span(1, 3, 1, 17)  # the end column is exclusive
    assert [s.title for s in doc.sections] == ["Summary", "Claims"]
    assert doc.claims is not None and doc.claims.header == ("Claim Sentence", "Context")
    (r,) = doc.rows
    assert (r.number, r.numbered_by, r.line) == (1, "marker", 9)
    assert r.claim.raw == "The sky is blue."
    assert r.url == "https://example.org/1" and r.link_text == "Source"
    assert r.context is not None and r.context.raw == "The sky is blue."


def test_claim_position_is_exact() -> None:
    text = report("S [1].", [row(1, "Grain ships left Odesa.")])
    doc = parse(text)
    claim = doc.rows[0].claim
    line = text.split("\n")[claim.span.line - 1]
    assert line[claim.span.col - 1 : claim.span.end_col - 1] == "Grain ships left Odesa."


@pytest.mark.parametrize(
    ("written", "numbers", "style"),
    [
        (marker(3), (3,), "font-bracket"),
        ("<font color=#FF3399>[1, 2, 3]</font>", (1, 2, 3), "font-bracket"),
        ("<font color=#FF3399>[4,5]</font>", (4, 5), "font-bracket"),
        ("[1-5]", (1, 2, 3, 4, 5), "bracket"),
        ("(1-5)", (1, 2, 3, 4, 5), "paren"),
        ("(1)", (1,), "paren"),
        ("(4,5)", (4, 5), "paren"),
        ("(Context 2)", (2,), "context"),
        ("[1]", (1,), "bracket"),
        ("[2\u20134]", (2, 3, 4), "bracket"),
    ],
)
def test_marker_variants(written: str, numbers: tuple[int, ...], style: str) -> None:
    doc = parse(report(f"Prices rose sharply {written}.", [row(1, "x")]))
    assert doc.summary is not None
    (m,) = doc.summary.markers
    assert m.numbers == numbers and m.style == style
    assert m.text.raw == written


def test_markdown_link_and_year_are_not_markers() -> None:
    doc = parse(report("See [the data](https://example.org) from (2022) and [123456].", [row(1, "x")]))
    assert doc.summary is not None and doc.summary.markers == ()


def test_large_reports_have_four_digit_row_numbers() -> None:
    doc = parse(report(f"A {marker(1234)}. B [1235]. C (Context 1236).", [row(1234, "x")]))
    assert doc.summary is not None
    assert [m.numbers for m in doc.summary.markers] == [(1234,), (1235,), (1236,)]
    assert doc.rows[0].number == 1234


def test_clauses_and_sentences() -> None:
    summary = (
        f"Iran sent drones {marker(1)} to help Russia {marker(2)}, and more may follow {marker(3)}. "
        f"U.S. officials were alarmed {marker(4)}. Nobody knows why."
    )
    doc = parse(report(summary, [row(i, "x") for i in range(1, 5)]))
    assert doc.summary is not None
    first, second, third = doc.summary.sentences
    assert [c.text.raw for c in first.clauses] == ["Iran sent drones", "to help Russia", "and more may follow"]
    assert [c.marker.numbers for c in first.clauses] == [(1,), (2,), (3,)]
    assert first.tail is None  # only the full stop follows the last marker
    assert [c.text.raw for c in second.clauses] == ["U.S. officials were alarmed"]
    assert third.clauses == () and third.tail is not None and third.tail.raw == "Nobody knows why"


def test_marker_after_full_stop_belongs_to_its_sentence() -> None:
    doc = parse(report("Prices rose.[1] Wages fell. (2) Then calm.", [row(1, "x"), row(2, "y")]))
    assert doc.summary is not None
    sentences = doc.summary.sentences
    assert [s.markers[0].numbers for s in sentences[:2]] == [(1,), (2,)]
    assert sentences[2].clauses == ()


def test_adjacent_markers_are_one_citation_group() -> None:
    doc = parse(report(f"Prices rose {marker(1)}{marker(2)}.", [row(1, "x"), row(2, "y")]))
    assert doc.summary is not None
    (clause,) = doc.summary.clauses
    assert clause.text.raw == "Prices rose" and clause.marker.numbers == (1, 2)
    assert clause.marker.text.raw == marker(1) + marker(2)


def test_rows_without_markers_are_numbered_by_position() -> None:
    doc = parse(report("A (1). B (2).", [row(None, "First."), row(None, "Second.")]))
    assert [(r.number, r.numbered_by) for r in doc.rows] == [(1, "position"), (2, "position")]
    assert doc.rows[0].claim.raw == "First."


def test_zero_based_rows_keep_their_numbers() -> None:
    doc = parse(report("A (1). B (2).", [row(0, "First."), row(1, "Second.")]))
    assert [r.number for r in doc.rows] == [0, 1]


def test_three_column_table() -> None:
    text = "\n".join(
        [
            "# Q?",
            "## Summary",
            "Wheat exports resumed [1].",
            "## Claims",
            "| Claim Sentence | Source | Context |",
            "|---|---|---|",
            "| [1] Wheat exports resumed in August. | [Reuters](https://example.com/a) | Before. Wheat exports resumed in August. After. |",
            "| [2] Ships waited. | https://example.com/b | Ships waited. |",
        ]
    )
    doc = parse(text)
    assert doc.claims is not None and doc.claims.columns == {"claim": 0, "source": 1, "context": 2}
    first, second = doc.rows
    assert first.claim.raw == "Wheat exports resumed in August."
    assert first.url == "https://example.com/a" and first.link_text == "Reuters"
    assert first.url_text is not None and first.url_text.span.line == 7
    assert second.url == "https://example.com/b"
    assert first.context is not None and first.context.raw.startswith("Before.")


def test_crlf_and_bom_keep_lines_and_columns() -> None:
    text = report(f"Prices rose {marker(1)}.", [row(1, "Prices rose.")])
    plain = parse(text)
    crlf = parse("\ufeff" + text.replace("\n", "\r\n"))
    assert crlf.rows[0].claim.span == plain.rows[0].claim.span
    assert crlf.summary is not None and plain.summary is not None
    assert crlf.summary.markers[0].text.span == plain.summary.markers[0].text.span
    assert crlf.title is not None and crlf.title.span.col == 3


def test_columns_count_code_points() -> None:
    doc = parse(report(f"Zaporizhzhia’s plant — “safe” {marker(1)}.", [row(1, "x")]))
    assert doc.summary is not None
    assert doc.summary.markers[0].text.span.col == len("Zaporizhzhia’s plant — “safe” ") + 1


def test_entities_in_cells_are_decoded_in_urls() -> None:
    doc = parse(report("A [1].", [row(1, "Tom &amp; Jerry.", url="https://e.org/?a=1&amp;b=2")]))
    assert doc.rows[0].url == "https://e.org/?a=1&b=2"
    assert doc.rows[0].claim.raw == "Tom &amp; Jerry."


def test_row_with_surplus_cells_keeps_its_context_whole() -> None:
    bad = "|[1] Claim.<a href='https://e.org/x'>Source</a>| Before | with a pipe. Claim. After.|"
    doc = parse(report("A [1].", [bad]))
    (r,) = doc.rows
    assert r.context is not None and r.context.raw == "Before | with a pipe. Claim. After."
    assert doc.problems and "3 cells" in doc.problems[0][1]


def test_row_with_too_few_cells_is_kept_and_reported() -> None:
    doc = parse(report("A [1].", ["|[1] Only a claim.|"]))
    assert doc.rows[0].context is None
    assert doc.problems


def test_missing_sections() -> None:
    doc = parse("# Just a title\n\nSome text.\n")
    assert doc.summary is None and doc.claims is None and doc.rows == ()


def test_empty_and_garbage_input_parse() -> None:
    for text in ["", "\n\n", "|||\n|---|\n", "## Claims\n| a |\n|---|\n| b |\n", "#" * 10_000]:
        parse(text)


def test_split_cells_respects_escaped_pipes() -> None:
    assert split_cells(r"| a \| b | c |", 0) == ([(r"a \| b", 2), ("c", 11)], 2)


def test_split_cells_merges_the_surplus_into_the_last_cell_and_counts_it() -> None:
    line = r"| a | b \| c | d |  | e \\| f |"
    cells, count = split_cells(line, 10)
    assert count == len(cells) == 6
    merged, same = split_cells(line, 10, 2)
    assert same == 6 and merged[0] == cells[0]
    # The last cell runs from the second cell's start to the row's last text.
    assert merged[1] == (line[cells[1][1] - 10 : cells[-1][1] - 10 + len(cells[-1][0])], cells[1][1])


def test_bullet_and_quoted_summaries() -> None:
    text = report(f"- Prices rose {marker(1)}.\n- Wages fell {marker(2)}.\n\n> Nobody agreed {marker(1)}.", [row(1, "x"), row(2, "y")])
    doc = parse(text)
    assert doc.summary is not None
    assert [(s.text.raw, s.text.span.line, s.text.span.col) for s in doc.summary.sentences] == [
        (f"Prices rose {marker(1)}.", 4, 3),
        (f"Wages fell {marker(2)}.", 5, 3),
        (f"Nobody agreed {marker(1)}.", 7, 3),
    ]


def test_rows_by_number_holds_every_row_of_a_number_in_order() -> None:
    numbers = [1, 2, 3, 2, 4, 2, 1]
    doc = parse(report(f"A claim {marker(1)}.", [row(n, f"Claim {i}.") for i, n in enumerate(numbers)]), "r.md")
    index = doc.rows_by_number()
    assert set(index) == set(numbers)
    for n in set(numbers):
        assert [r.claim.raw for r in index[n]] == [f"Claim {i}." for i, m in enumerate(numbers) if m == n]
