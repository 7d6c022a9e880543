"""True positives and tricky negatives for the rule catalogue (CIT001-CIT403)."""
from __future__ import annotations

import pytest

from citelint import lint_text
from citelint.finding import Finding
from tests.reports import marker, report, row

M1, M2, M3 = marker(1), marker(2), marker(3)
ROWS = [
    row(1, "The ferry stopped running in March.", "Before. The ferry stopped running in March. After."),
    row(2, "The city will lease a new boat.", "Earlier. The city will lease a new boat. Later."),
]
CLEAN = report(f"The ferry stopped running in March {M1}. The city will lease a new boat {M2}.", ROWS)


def found(text: str, code: str) -> list[Finding]:
    return [f for f in lint_text(text) if f.code == code]


def test_the_clean_report_is_clean() -> None:
    assert lint_text(CLEAN) == []


# CIT001 missing-section


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("# Q?\n\n## Claims\n| Claim Sentence | Context |\n|---|---|\n" + ROWS[0] + "\n", 1, "no '## Summary' section"),
        (f"# Q?\n\n## Summary\nA {M1}.\n", 4, "no '## Claims' section"),
        (f"# Q?\n\n## Summary\nA {M1}.\n\n## Claims\nNone yet.\n", 6, "the Claims section has no table"),
        (report(f"A {M1}.", ROWS, header="| Sentence | Passage |"), 7, "claims table header 'Sentence | Passage'"),
        ("# Q?\n\n## Summary\n\n## Claims\n| Claim Sentence | Context |\n|---|---|\n" + ROWS[0] + "\n", 3, "the Summary section is empty"),
    ],
)
def test_missing_section(text: str, line: int, message: str) -> None:
    (f,) = found(text, "CIT001")
    assert f.line == line and message in f.message


def test_missing_section_does_not_cascade() -> None:
    text = report(f"A {M1}. B {M2}.", ROWS, header="| Sentence | Passage |")
    assert [f.code for f in lint_text(text)] == ["CIT001"]


def test_both_sections_missing_is_one_finding() -> None:
    (f,) = found("# Notes\n\nJust some text.\n", "CIT001")
    assert "Summary" in f.message and "Claims" in f.message


# CIT002 malformed-claim-row


def test_malformed_rows() -> None:
    rows = [
        "|[1] Claim one.| Claim one. |",  # no source link
        "|[2] <a href='https://e.org/2'>Source</a>| Context two. |",  # empty claim
        "|[3] Claim three.<a href='https://e.org/3'>Source</a>|   |",  # empty context
        "|[4] Claim four.<a href='https://e.org/4'>Source</a>| Claim four | plus a stray pipe. |",
    ]
    text = report("A [1]. B [2]. C [3]. D [4].", rows)
    messages = {f.line: f.message for f in found(text, "CIT002")}
    assert messages == {
        9: "row [1]: no source link",
        10: "row [2]: the claim sentence is empty",
        11: "row [3]: the context is empty",
        12: "row [4]: row has 3 cells; the header has 2",
    }


def test_escaped_pipe_is_not_a_malformed_row() -> None:
    text = report(f"A {M1}.", [row(1, "Claim one.", r"Site \| Title. Claim one.")])
    assert found(text, "CIT002") == []


# CIT102 uncited-claim


def test_uncited_claim() -> None:
    text = report(f"The ferry stopped running in March {M1}.", ROWS)
    (f,) = found(text, "CIT102")
    assert f.line == 10 and f.message == "claim [2] is never cited in the summary"


def test_range_and_grouped_markers_cite_every_row() -> None:
    assert found(report("A [1-2].", ROWS), "CIT102") == []
    assert found(report("A (1, 2).", ROWS), "CIT102") == []


def test_summary_without_markers_is_not_one_finding_per_row() -> None:
    assert found(report("Nothing is cited here at all.", ROWS), "CIT102") == []


# CIT103 duplicate-row-number


def test_duplicate_row_number() -> None:
    text = report(f"A {M1}.", [ROWS[0], ROWS[1].replace(M2, M1)])
    (f,) = found(text, "CIT103")
    assert f.line == 10 and "used again (first on line 9)" in f.message


def test_every_repeat_of_a_row_number_is_reported_in_row_order() -> None:
    numbers = [1, 2, 1, 3, 2, 1]
    text = report(f"A {M1}.", [row(n, f"Claim {i}.") for i, n in enumerate(numbers)])
    found_ = found(text, "CIT103")
    first = {n: 9 + numbers.index(n) for n in numbers}  # (the rows start on line 9)
    expected = [(9 + i, f"[{n}] is used again (first on line {first[n]})") for i, n in enumerate(numbers) if first[n] != 9 + i]
    assert [(f.line, f.message.split("number ")[1]) for f in found_] == expected


def test_position_numbered_rows_have_no_duplicates() -> None:
    assert found(report("A (1). B (2).", [row(None, "a"), row(None, "b")]), "CIT103") == []


# CIT104 row-numbering


@pytest.mark.parametrize(
    ("numbers", "summary", "message"),
    [
        ((0, 1, 2), "A (1). B (2). C (3).", "rows are numbered from 0 (0..2); markers cite 1..3"),
        ((1, 2, 4), "A [1]. B [2]. C [4].", "row numbers skip 3 (rows are 1, 2, 4); markers cite 1, 2, 4"),
        ((1, 3, 2), "A [1]. B [2]. C [3].", "rows are out of order: 1, 3, 2"),
        ((2, 3, 4), "A [2]. B [3]. C [4].", "rows are numbered 2, 3, 4, not from 1; markers cite 2..4"),
    ],
)
def test_row_numbering(numbers: tuple[int, ...], summary: str, message: str) -> None:
    text = report(summary, [row(n, f"Claim {n}.") for n in numbers])
    (f,) = found(text, "CIT104")
    assert f.message == message


def test_numbering_1_to_n_is_silent() -> None:
    assert found(CLEAN, "CIT104") == []
    assert found(report("A (1). B (2).", [row(None, "a"), row(None, "b")]), "CIT104") == []


# CIT105 uncited-sentence


def test_uncited_sentence() -> None:
    text = report(f"The ferry stopped running in March {M1}. Commuters are angry about it. The city will lease a new boat {M2}.", ROWS)
    (f,) = found(text, "CIT105")
    line = text.split("\n")[f.line - 1]
    assert line[f.col - 1 : f.span.end_col - 1] == "Commuters are angry about it."


def test_refusal_summary_is_one_finding() -> None:
    text = report("There is no information about the ferry. Nothing was found. Try again later.", ROWS)
    (f,) = found(text, "CIT105")
    assert "refusal" in f.message


def test_summary_with_no_markers_is_one_finding() -> None:
    text = report("The ferry stopped. The city will lease a boat. Nobody knows when.", ROWS)
    (f,) = found(text, "CIT105")
    assert f.message == "the summary cites no claims (3 sentences without a marker)"


def test_marker_after_the_stop_and_abbreviations_do_not_make_uncited_sentences() -> None:
    text = report("The U.S. ferry stopped running in March.[1] The city will lease a new boat. [2]", ROWS)
    assert found(text, "CIT105") == []


# CIT106 inconsistent-marker-style


def test_mixed_marker_styles() -> None:
    text = report(f"The ferry stopped running in March {M1}. The city will lease a new boat (2).", ROWS)
    (f,) = found(text, "CIT106")
    assert "'(2)'" in f.message and "1 other marker use" in f.message


def test_one_style_with_groups_and_ranges_is_consistent() -> None:
    text = report(f"A {M1}. B <font color=#FF3399>[1, 2]</font>. C <font color=#FF3399>[1-2]</font>.", ROWS)
    assert found(text, "CIT106") == []


# CIT202 duplicate-claim


def test_duplicate_claim_ignores_typography() -> None:
    rows = [row(1, "The city’s “ferry” stopped."), row(2, "The city's \"ferry\"  STOPPED.", url="https://e.org/b")]
    (f,) = found(report("A [1, 2].", rows), "CIT202")
    assert f.line == 10 and "claim [2] repeats claim [1] (line 9)" in f.message


def test_different_claims_are_not_duplicates() -> None:
    assert found(CLEAN, "CIT202") == []


# CIT203 invalid-source-url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/news/ferry", "relative"),
        ("", "empty"),
        ("https://example.org/a b", "spaces"),
        ("javascript:alert(1)", "'javascript:' scheme"),
        ("data:text/html,hi", "'data:' scheme"),
        ("file:///etc/passwd", "'file:' scheme"),
        ("ftp://example.org/x", "not http(s)"),
        ("https://example.org:99999/x", "cannot be parsed"),
        ("https:///nohost", "no valid host"),
    ],
)
def test_invalid_source_url(url: str, message: str) -> None:
    text = report(f"A {M1}.", [f'|{M1} Claim.<a href="{url}">Source</a>| Claim. |'])
    (f,) = found(text, "CIT203")
    assert message in f.message


@pytest.mark.parametrize("url", ["https://example.org/a?b=1&amp;c=2#x", "http://news.example.co.uk/2022/10/story.html"])
def test_valid_source_urls(url: str) -> None:
    assert found(report(f"A {M1}.", [row(1, "Claim.", url=url)]), "CIT203") == []


# CIT302 unsupported-summary and CIT303 misattributed-citation


def test_clause_supported_only_by_the_context() -> None:
    rows = [row(1, "The ferry stopped running in March.", "Repairs will cost two million euros. The ferry stopped running in March.")]
    text = report(f"Repairs will cost two million euros {M1}.", rows)
    (f,) = found(text, "CIT302")
    assert f.message.startswith("clause is backed only by the context of [1]") and "'repairs'" in f.message


def test_clause_supported_by_neither() -> None:
    text = report(f"Tourists prefer bicycles in summer {M1}. The city will lease a new boat {M2}.", ROWS)
    (f,) = found(text, "CIT302")
    assert f.message.startswith("clause is backed by neither the claim nor the context of [1]: 'tourists'")


def test_paraphrase_with_inflections_and_numbers_is_supported() -> None:
    rows = [row(1, "Iran is sending 1,000 drones to Russia, officials said.")]
    text = report(f"Officials say Iran sent 1000 drones to Russia {M1}.", rows)
    assert found(text, "CIT302") == [] and found(text, "CIT303") == []


def test_short_clauses_and_dangling_markers_are_not_judged() -> None:
    text = report(f"Yes {M1}. Tourists prefer bicycles in summer {marker(9)}.", ROWS[:1])
    assert found(text, "CIT302") == []


def test_misattributed_citation_names_the_matching_row() -> None:
    text = report(f"The city will lease a new boat {M1}. The ferry stopped running in March {M2}.", ROWS)
    hits = found(text, "CIT303")
    assert [f.message.split(" (")[0] for f in hits] == [
        "clause cites [1] but row [2] backs it",
        "clause cites [2] but row [1] backs it",
    ]
    assert found(text, "CIT302") == []  # one finding per clause, not two


# CIT402 missing-space-after-punctuation


@pytest.mark.parametrize(
    ("text", "quoted"),
    [("Strikes hit Sindh,Balochistan and more.", "Sindh,Balochistan"), ("It rained in Ukraine.The war went on.", "Ukraine.The")],
)
def test_missing_space_after_punctuation(text: str, quoted: str) -> None:
    (f,) = found(report(f"{text} {M1}", [row(1, "x")]), "CIT402")
    assert f"in '{quoted}'" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "It cost 1,000 dollars and 3.7 percent.",
        "The U.S. and the U.K. agreed, e.g. on grain.",
        "See https://example.org/a,b and www.Example.Org/x.Y today.",
        "Write to press@example.org,Thanks.",
        "He paused...Then he left.",
        "They met Mr.Smith there.",
    ],
)
def test_punctuation_that_is_not_a_lost_space(text: str) -> None:
    assert found(report(f"{text} {M1}", [row(1, "x")]), "CIT402") == []


# CIT403 missing-apostrophe


def test_missing_apostrophes() -> None:
    text = report(f"We dont know. Officials couldnt say. They said we cant wait. Russia agreed; Russias army moved {M1}.", [row(1, "x")])
    assert [f.message.split(" (")[0] for f in found(text, "CIT403")] == [
        "'dont' looks like 'don't'",
        "'couldnt' looks like 'couldn't'",
        "'cant' looks like 'can't'",
        "'Russias' looks like 'Russia's'",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The cant of politicians, as was his wont, annoyed its readers.",
        "Americans and Brussels officials met.",
        "The two Koreas were rivals.",  # a plural after a number and before a verb
        "Russia agreed. The two Russias.",  # no lowercase word follows
    ],
)
def test_words_that_are_not_lost_apostrophes(text: str) -> None:
    assert found(report(f"{text} {M1}", [row(1, "x")]), "CIT403") == []
