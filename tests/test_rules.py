from __future__ import annotations

import pytest

from citelint import lint_text
from citelint.finding import Finding
from citelint.urls import normalize_url
from tests.reports import marker, report, row


def codes(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


# CIT101 dangling-marker


def test_dangling_marker_points_at_the_marker() -> None:
    text = report(f"Prices rose {marker(1)} and fell {marker(7)}.", [row(1, "Prices rose."), row(2, "x")])
    (f,) = codes(lint_text(text), "CIT101")
    line = text.split("\n")[f.line - 1]
    assert line[f.col - 1 : f.span.end_col - 1] == marker(7)
    assert "[7]" in f.message and "1..2" in f.message


def test_grouped_marker_names_only_the_missing_rows() -> None:
    text = report("Prices rose [1, 2, 9].", [row(1, "a"), row(2, "b")])
    (f,) = codes(lint_text(text), "CIT101")
    assert "[9]" in f.message and "[1]" not in f.message


def test_markers_that_resolve_are_silent() -> None:
    text = report("A [1-3]. B (Context 2). C [3].", [row(i, "x") for i in (1, 2, 3)])
    assert codes(lint_text(text), "CIT101") == []


def test_rows_numbered_by_position_resolve_markers() -> None:
    text = report("A (1). B (2).", [row(None, "a"), row(None, "b")])
    assert codes(lint_text(text), "CIT101") == []


# CIT201 duplicate-source


def test_duplicate_source_reports_the_later_row_and_names_the_earlier() -> None:
    text = report(
        "A [1]. B [2]. C [3].",
        [
            row(1, "a", url="https://www.Example.org/page/?utm_source=x&id=3#top"),
            row(2, "b", url="https://example.org/other"),
            row(3, "c", url="http://example.org:80/page?id=3&fbclid=abc"),
        ],
    )
    (f,) = codes(lint_text(text), "CIT201")
    assert f.line == 11 and "row [3]" in f.message and "row [1]" in f.message
    assert f.related and f.related[0].span.line == 9


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.org/a", "https://example.org/b"),
        ("https://example.org/a?id=1", "https://example.org/a?id=2"),
        ("https://example.org/a", "https://example.org:8443/a"),
        ("https://news.example.org/a", "https://example.org/a"),
    ],
)
def test_different_sources_are_silent(a: str, b: str) -> None:
    text = report("A [1]. B [2].", [row(1, "a", url=a), row(2, "b", url=b)])
    assert codes(lint_text(text), "CIT201") == []


def test_url_normalisation() -> None:
    assert normalize_url("HTTPS://WWW.Example.COM:443/x/?utm_medium=a&b=1#frag") == normalize_url(
        "https://example.com/x?b=1"
    )
    assert normalize_url("not a url") == "not a url"
    assert normalize_url("http://[::1:bad") == "http://[::1:bad"  # unparsable stays as is


# CIT301 claim-not-in-context


def test_claim_changed_number_is_reported_with_the_difference() -> None:
    text = report(
        "A [1].",
        [row(1, "The fund reached 400 million dollars.", "It grew fast. The fund reached 300 million dollars. Then it shrank.")],
    )
    (f,) = codes(lint_text(text), "CIT301")
    assert "context has '300' where the claim has '400'" in f.message
    assert f.line == 9 and f.related and f.related[0].span.line == 9


def test_claim_with_an_added_word() -> None:
    text = report("A [1].", [row(1, "The war went far beyond the border.", "The war went beyond the border.")])
    (f,) = codes(lint_text(text), "CIT301")
    assert "claim adds 'far'" in f.message


def test_unrelated_claim_says_so() -> None:
    text = report("A [1].", [row(1, "Bananas are yellow and sweet.", "Tanks crossed the river at dawn on Monday.")])
    (f,) = codes(lint_text(text), "CIT301")
    assert "does not occur in its context" in f.message


@pytest.mark.parametrize(
    ("claim", "context"),
    [
        ("Kyiv’s “allies” said — again — it’s over.", 'Before. Kyiv\'s "allies" said - again - it\'s over. After.'),
        ("Tom &amp; Jerry met.", "Tom & Jerry met."),
        ("The\u00a0price\u200b rose.", "the price   rose."),
        ("THE PRICE ROSE", "Earlier: the price rose."),
        ('"The price rose."', "He said the price rose. Nobody cared."),
    ],
)
def test_typography_never_makes_a_claim_differ(claim: str, context: str) -> None:
    assert codes(lint_text(report("A [1].", [row(1, claim, context)])), "CIT301") == []


# CIT401 merged-words


def test_merged_words_in_every_field() -> None:
    text = report(
        f"Iran sent drones andmore missiles {marker(1)}.",
        [row(1, "Officials saw the shipment ofthe missiles.", "Before. Officials saw the shipment ofthe missiles.")],
    )
    found = [(f.line, f.message) for f in codes(lint_text(text), "CIT401")]
    assert (4, "'andmore' looks like 'and more' (a missing space)") in found
    assert sum(1 for line, msg in found if line == 9 and "'ofthe'" in msg) == 2


def test_function_word_glued_to_a_name() -> None:
    text = report(f"Sanctions ofIran grew {marker(1)}.", [row(1, "x")])
    (f,) = codes(lint_text(text), "CIT401")
    assert "'ofIran' looks like 'of Iran'" in f.message


def test_name_glued_to_a_word_needs_the_name_elsewhere_or_well_known() -> None:
    # "Lindenport" is no name the lexicon knows: only the document can say it is one.
    alone = report(f"Officials in Lindenportand Lviv met {marker(1)}.", [row(1, "x")])
    assert codes(lint_text(alone), "CIT401") == []
    named = report(f"Officials in Lindenportand Lviv met {marker(1)}. Lindenport agreed.", [row(1, "x")])
    (f,) = codes(lint_text(named), "CIT401")
    assert "'Lindenportand' looks like 'Lindenport and'" in f.message
    known = report(f"Officials in Kyivand Lviv met {marker(1)}.", [row(1, "x")])
    (f,) = codes(lint_text(known), "CIT401")
    assert "'Kyivand' looks like 'Kyiv and'" in f.message


@pytest.mark.parametrize(
    "word",
    [
        "Zaporizhzhia", "Shahed-136", "Kharkiv", "nonetheless", "counteroffensive", "whereabouts",
        "heatwave", "1,000", "https://example.org/andmore", "U.S.", "NATO", "McDonald", "iPhone",
        "*andmore*", "'ofthe'", "Blackwater", "Starlink", "Rosatom", "wartime", "ceasefire",
    ],
)
def test_legitimate_tokens_are_not_merged_words(word: str) -> None:
    text = report(f"They mentioned {word} today {marker(1)}.", [row(1, "x")])
    assert codes(lint_text(text), "CIT401") == []


def test_allow_option_silences_a_word() -> None:
    from citelint.checks.damage import merged_words

    text = report(f"Iran sent drones andmore missiles {marker(1)}.", [row(1, "x")])
    assert codes(lint_text(text, rules=[merged_words]), "CIT401")
    from citelint.engine import check_document
    from citelint.parser import parse

    found = check_document(parse(text), [merged_words], {"CIT401": {"allow": ["andmore"]}})
    assert found == []
