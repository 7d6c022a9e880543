"""The reader on every form a report is written in: one small report per form, our own text.

Each test checks what a user would see go wrong if the form were misread: a cited row
reported as never cited (CIT102), a cited sentence as uncited (CIT105), a claim as missing
from its context (CIT301), two markers side by side as a misattribution (CIT303).
"""
from __future__ import annotations

import random

import pytest

from citelint import lint_text
from citelint.finding import Finding
from citelint.model import Document
from citelint.parser import parse
from tests.reports import report

# Five rows about one small story; the summary forms below cite them.
CLAIMS = [
    "The Halden bridge closed on Monday for repairs.",
    "Engineers found cracks in two of its steel cables.",
    "The repairs are expected to last six weeks.",
    "Ferries will carry commuters across the river meanwhile.",
    "The council set aside four million crowns for the work.",
]


def rows(wrap: str = "<font color=#FF3399>[{}]</font>", claims: list[str] = CLAIMS, contexts: list[str] | None = None) -> list[str]:
    out = []
    for i, claim in enumerate(claims, 1):
        context = contexts[i - 1] if contexts else f"Residents were told last week. {claim} More news will follow."
        out.append(f'|{wrap.format(i)} {claim}<a href="https://example.org/halden/{i}" target="_blank">Source</a>| {context}|')
    return out


def codes(findings: list[Finding], *wanted: str) -> list[str]:
    return [f.code for f in findings if f.code in wanted]


def cited_numbers(doc: Document) -> list[tuple[int, ...]]:
    assert doc.summary is not None
    return [m.numbers for m in doc.summary.markers]


# Summary marker forms: numbers joined by '&', 'and', prefix words, the word repeated.


@pytest.mark.parametrize(
    ("written", "numbers"),
    [
        ("(1 & 2)", (1, 2)),
        ("(1 &amp; 2)", (1, 2)),
        ("(Contexts 1, 2, 5)", (1, 2, 5)),
        ("(Context 1, Context 2)", (1, 2)),
        ("(Contexts 1 and 2)", (1, 2)),
        ("[1, 2, and 5]", (1, 2, 5)),
        ("[1; 2]", (1, 2)),
        ("(Claims 1-2)", (1, 2)),
        ("[Source 1 & Source 2]", (1, 2)),
        ("<span style='color:#FF3399'>(1 and 2)</span>", (1, 2)),
    ],
)
def test_joined_numbers_are_all_read(written: str, numbers: tuple[int, ...]) -> None:
    summary = f"The Halden bridge closed for repairs to its cracked cables {written}. Ferries carry commuters and the council pays four million crowns [3-5]."
    text = report(summary, rows())
    assert cited_numbers(parse(text))[0] == numbers
    found = lint_text(text)
    # The rows it cites are cited, and its sentence has a marker.
    assert not [f for f in found if f.code == "CIT102" and any(f"[{n}]" in f.message for n in numbers)]
    assert codes(found, "CIT105", "CIT003") == []


# Markers side by side: one citation group, one clause.


@pytest.mark.parametrize(
    "written",
    [
        "[1][2]",
        "[1], [2]",
        "<font color=#FF3399>[1]</font><font color=#FF3399>[2]</font>",
        "<font color=#FF3399>[1]</font> <font color=#FF3399>[2]</font>",
        "<font color=#FF3399>[1]</font>, <font color=#FF3399>[2]</font>",
        "<sup>(1)</sup><sup>(2)</sup>",
    ],
)
def test_markers_side_by_side_are_one_group(written: str) -> None:
    summary = f"The bridge closed on Monday after engineers found cracks in two steel cables {written}. The repairs are expected to last six weeks [3]. Ferries carry commuters [4]. The council set aside four million crowns [5]."
    text = report(summary, rows())
    doc = parse(text)
    assert doc.summary is not None
    first = doc.summary.sentences[0]
    (clause,) = first.clauses
    assert clause.marker.numbers == (1, 2) and clause.marker.text.raw == written
    # The clause restates both rows: no "cites [1] but matches [2]".
    assert codes(lint_text(text), "CIT303", "CIT102", "CIT105") == []


def test_the_generators_side_by_side_spelling_is_one_group() -> None:
    # The closing tag of one marker and the opening tag of the next stand between them.
    summary = "Engineers found cracks in two steel cables and closed the bridge on Monday <font color=#FF3399>[1]</font><font color=#FF3399>[2]</font>."
    doc = parse(report(summary, rows()))
    assert cited_numbers(doc) == [(1, 2)]


def test_words_between_markers_keep_them_apart() -> None:
    doc = parse(report("The bridge closed [1] and cracks were found [2].", rows()))
    assert cited_numbers(doc) == [(1,), (2,)]


# Any inline wrapper, on summary markers and on rows.

WRAPPERS = [
    "<font color=#FF3399>[{}]</font>",
    '<span style="color: #FF3399; font-weight: bold">[{}]</span>',
    "<b>[{}]</b>",
    "<strong>({})</strong>",
    "<sup>[{}]</sup>",
    "<em><font color='red'>[{}]</font></em>",
    "<p>[{}]</p>",
    "[{}]",
    "({})",
    "<font color=#FF3399>(Context {})</font>",
]


@pytest.mark.parametrize("wrap", WRAPPERS)
def test_any_wrapper_on_rows(wrap: str) -> None:
    summary = " ".join(f"{c[:-1]} [{i}]." for i, c in enumerate(CLAIMS, 1))
    text = report(summary, rows(wrap))
    doc = parse(text)
    assert [r.number for r in doc.rows] == [1, 2, 3, 4, 5]
    assert all(r.numbered_by == "marker" for r in doc.rows)
    # The claim starts after the marker and all of its markup.
    assert [r.claim.raw for r in doc.rows] == CLAIMS
    assert codes(lint_text(text), "CIT301", "CIT002", "CIT102", "CIT003") == []


@pytest.mark.parametrize("wrap", WRAPPERS)
def test_any_wrapper_on_summary_markers(wrap: str) -> None:
    summary = " ".join(f"{c[:-1]} {wrap.format(i)}." for i, c in enumerate(CLAIMS, 1))
    text = report(summary, rows())
    doc = parse(text)
    assert cited_numbers(doc) == [(1,), (2,), (3,), (4,), (5,)]
    assert doc.summary is not None
    assert [c.text.raw for c in doc.summary.clauses] == [c[:-1] for c in CLAIMS]
    assert codes(lint_text(text), "CIT102", "CIT105", "CIT302", "CIT003") == []


# A marker after the sentence stop closes the sentence before it.


def test_marker_after_the_stop_closes_the_sentence_before_it() -> None:
    summary = "The Halden bridge closed on Monday for repairs. (1) Engineers found cracks in two of its steel cables. (2) The repairs are expected to last six weeks. <font color=#FF3399>[3]</font>"
    doc = parse(report(summary, rows()))
    assert doc.summary is not None
    sentences = doc.summary.sentences
    assert [s.markers[0].numbers for s in sentences] == [(1,), (2,), (3,)]
    assert [c.text.raw for s in sentences for c in s.clauses] == [c for c in CLAIMS[:3]]
    assert codes(lint_text(report(summary, rows()[:3])), "CIT105", "CIT302", "CIT303") == []


def test_marker_after_the_stop_before_a_lowercase_word() -> None:
    doc = parse(report("The bridge closed on Monday. [1] then the ferries began.", rows()))
    assert doc.summary is not None
    first, second = doc.summary.sentences
    assert first.markers[0].numbers == (1,) and second.clauses == ()


# Headings in every Markdown form.


def setext(summary: str, title_rule: str = "=====", section_rule: str = "-------") -> str:
    return "\n".join(
        ["Why did the Halden bridge close?", title_rule, "", "Summary", section_rule, summary, "", "Claims", section_rule,
         "| Claim Sentence | Context |", "|---|---|", *rows(), ""]
    )


@pytest.mark.parametrize("rules", [("=====", "-------"), ("===", "==="), ("---", "---")])
def test_setext_headings(rules: tuple[str, str]) -> None:
    summary = " ".join(f"{c[:-1]} [{i}]." for i, c in enumerate(CLAIMS, 1))
    text = setext(summary, *rules)
    doc = parse(text)
    assert [s.title for s in doc.sections][-2:] == ["Summary", "Claims"]
    assert doc.summary is not None and len(doc.summary.sentences) == 5
    assert doc.claims is not None and len(doc.rows) == 5
    if rules[0] != "---":
        assert doc.title is not None and doc.title.raw == "Why did the Halden bridge close?"
    found = lint_text(text)
    assert codes(found, "CIT000", "CIT001", "CIT002", "CIT102", "CIT105") == []


@pytest.mark.parametrize(
    ("summary_heading", "claims_heading"),
    [
        ("## SUMMARY", "## CLAIMS"),
        ("## Summary:", "## Claims:"),
        ("## Summary ##", "## Claims ###"),
        ("### summary", "### claims"),
        ("# Summary", "# Claims"),
        ("##   Summary   ", "## Claims   #"),
    ],
)
def test_atx_heading_variants(summary_heading: str, claims_heading: str) -> None:
    summary = " ".join(f"{c[:-1]} [{i}]." for i, c in enumerate(CLAIMS, 1))
    text = "\n".join(["# Why did the bridge close?", "", summary_heading, summary, "", claims_heading,
                      "| Claim Sentence | Context |", "|---|---|", *rows(), ""])
    doc = parse(text)
    assert doc.summary is not None and doc.claims is not None and len(doc.rows) == 5
    assert codes(lint_text(text), "CIT001", "CIT102") == []


def test_subheading_inside_the_summary_stays_in_the_summary() -> None:
    text = "\n".join(["# Q?", "", "## Summary", "The bridge closed [1].", "", "### Details", "Cracks were found [2].",
                      "", "## Claims", "| Claim Sentence | Context |", "|---|---|", *rows()[:2], ""])
    doc = parse(text)
    assert cited_numbers(doc) == [(1,), (2,)]


# Highlight markup in contexts and claims: compared as the reader sees them.


@pytest.mark.parametrize(
    "highlight",
    ["<mark>{}</mark>", "<b>{}</b>", '<span style="background: yellow">{}</span>', "<em>{}</em>", "<font color=red>{}</font>"],
)
def test_highlighted_contexts_are_no_CIT301(highlight: str) -> None:
    contexts = []
    for claim in CLAIMS:
        words = claim.split()
        words[1] = highlight.format(words[1])
        contexts.append("Residents were told last week. " + " ".join(words) + " More news will follow.")
    summary = " ".join(f"{c[:-1]} [{i}]." for i, c in enumerate(CLAIMS, 1))
    assert codes(lint_text(report(summary, rows(contexts=contexts))), "CIT301") == []


def test_entities_and_tags_in_claims_compare_as_text() -> None:
    claims = ["The repairs cost &euro;4&nbsp;million.", "The <b>ferry</b> runs &quot;every hour&quot;."]
    contexts = ["It was said. The repairs cost \u20ac4 million. Nothing else.", 'It was said. The ferry runs "every hour". Nothing else.']
    text = report("The repairs cost four million [1]. The ferry runs hourly [2].", rows(claims=claims, contexts=contexts))
    assert codes(lint_text(text), "CIT301") == []


def test_duplicate_claims_compare_visible_text() -> None:
    claims = ["The bridge closed on Monday.", "The <b>bridge</b> closed on Monday."]
    text = report("The bridge closed [1]. It closed on Monday [2].", rows(claims=claims))
    assert codes(lint_text(text), "CIT202") == ["CIT202"]


def test_a_real_difference_inside_markup_is_still_CIT301() -> None:
    contexts = ["It was said. The <mark>Halden</mark> bridge closed on Friday for repairs. More."]
    text = report("The bridge closed [1].", rows(claims=CLAIMS[:1], contexts=contexts))
    (f,) = [f for f in lint_text(text) if f.code == "CIT301"]
    assert "monday" in f.message.lower() or "friday" in f.message.lower()
    # The closest passage points into the file, past the markup.
    (related,) = f.related
    line = text.split("\n")[related.span.line - 1]
    assert "Halden</mark> bridge closed on Friday" in line[related.span.col - 1 : related.span.end_col - 1]


def test_visible_map_points_into_the_source() -> None:
    doc = parse(report("The <b>bridge</b> closed &amp; stayed shut [1].", rows()))
    assert doc.summary is not None and doc.summary.text is not None
    text, index = doc.summary.text.visible_map()
    at = text.index("bridge")
    assert doc.source[index[at] : index[at + len("bridge") - 1] + 1] == "bridge"
    amp = text.index("&")
    assert doc.source[index[amp] : index[amp + 1]] == "&amp;"


# Not markers: years, numbers, links.


@pytest.mark.parametrize(
    "prose",
    ["in (2022)", "of (1,000) people", "see [the plan](https://example.org/plan)", "by (COVID-19)", "under (Article 5)",
     "at (24/7)", "rose (1.5%)", "[sic]", "the (G7) leaders"],
)
def test_prose_in_brackets_is_neither_marker_nor_unreadable(prose: str) -> None:
    doc = parse(report(f"The bridge closed {prose} for repairs [1].", rows()[:1]))
    assert cited_numbers(doc) == [(1,)]


def test_link_definition_is_not_a_marker() -> None:
    doc = parse(report("The bridge closed [1].\n\n[2]: https://example.org/ref", rows()[:1]))
    assert cited_numbers(doc) == [(1,)]


# Honest uncertainty: what cannot be read is said once, and nothing builds on a guess.


@pytest.mark.parametrize(
    "unreadable",
    ["(Contexts 1 and two)", "[1, 2a]", "<font color=#FF3399>[?]</font>", "(1 2)", "<font color=#FF3399>[1.2]</font>", "[Context one]"],
)
def test_unreadable_marker_is_one_CIT003_and_no_cascade(unreadable: str) -> None:
    summary = f"The bridge closed after cracks were found in two steel cables {unreadable}. The repairs are expected to last six weeks [3]."
    text = report(summary, rows()[:3])
    found = lint_text(text)
    (f,) = [f for f in found if f.code == "CIT003"]
    line = text.split("\n")[f.line - 1]
    assert line[f.col - 1 : f.span.end_col - 1] == unreadable
    # Rows 1 and 2 may be what it cites; its sentence has a marker; its clause is not judged.
    assert codes(found, "CIT102", "CIT105", "CIT302", "CIT303", "CIT101") == []


def test_only_unreadable_markers_is_not_a_summary_without_citations() -> None:
    text = report("The bridge closed for repairs (Context one). Ferries run meanwhile (Context four).", rows())
    found = lint_text(text)
    assert codes(found, "CIT003") == ["CIT003", "CIT003"]
    assert codes(found, "CIT105", "CIT102") == []


def test_unreadable_marker_with_digits_exempts_only_those_rows() -> None:
    text = report("The bridge closed for repairs (1 2). Repairs last six weeks [3].", rows()[:4])
    found = [f for f in lint_text(text) if f.code == "CIT102"]
    assert [f.message for f in found] == ["claim [4] is never cited in the summary"]


def test_unreadable_row_marker_is_one_CIT002_and_no_number() -> None:
    table = rows()[:3]
    table[1] = table[1].replace("<font color=#FF3399>[2]</font>", "<font color=#FF3399>[2b]</font>")
    text = report("The bridge closed [1]. Cracks were found [2]. Repairs last six weeks [3].", table)
    doc = parse(text)
    assert [r.number for r in doc.rows] == [1, None, 3]
    assert doc.rows[1].claim.raw == CLAIMS[1]
    found = lint_text(text)
    (f,) = [f for f in found if f.code == "CIT002"]
    assert "[2b]" in f.message and f.line == 10
    assert codes(found, "CIT101", "CIT104") == []


# Generated marker spellings: every cited number is read.

_TAGS = ["font", "span", "b", "strong", "sup", "em", "i", "p", "mark", "small"]
_ATTRS = ["", " color=#FF3399", ' style="color:#FF3399"', " class='cite'", ' data-n="7" title="a (b) c"']
_WORDS = ["", "Context ", "Contexts ", "context ", "Claim ", "Claims ", "Source ", "Sources "]
_SEPS = [",", ", ", " ,", ";", "; ", " & ", "&amp;", " and ", ", and ", " , and "]


def _spelling(rng: random.Random) -> tuple[str, list[int]]:
    numbers: list[int] = []
    parts: list[str] = []
    word = rng.choice(_WORDS)
    repeat = rng.random() < 0.3
    for i in range(rng.randint(1, 4)):
        lo = rng.randint(1, 40)
        prefix = word if i == 0 or repeat else ""
        if rng.random() < 0.25:
            hi = lo + rng.randint(1, 4)
            dash = rng.choice(["-", "\u2013", " - ", "\u2014"])
            parts.append(f"{prefix}{lo}{dash}{hi}")
            numbers.extend(range(lo, hi + 1))
        else:
            parts.append(f"{prefix}{lo}")
            numbers.append(lo)
        if i:
            parts[-2] += rng.choice(_SEPS)
    inner = "".join(parts)
    pad = rng.choice(["", " ", "  "])
    brackets = rng.choice(["[]", "()"]) if word == "" else "()"
    written = f"{brackets[0]}{pad}{inner}{pad}{brackets[1]}"
    for _ in range(rng.randint(0, 3)):
        tag = rng.choice(_TAGS)
        written = f"<{tag}{rng.choice(_ATTRS)}>{written}</{tag}>"
    return written, numbers


def test_generated_marker_spellings_are_read() -> None:
    rng = random.Random(8)
    for _ in range(400):
        written, numbers = _spelling(rng)
        summary = f"The bridge closed for repairs {written}. Ferries run meanwhile [1]."
        doc = parse(report(summary, rows()))
        assert doc.summary is not None
        first = doc.summary.sentences[0]
        assert [m.text.raw for m in first.markers] == [written], written
        (m,) = first.markers
        assert m.readable, written
        assert sorted(set(m.numbers)) == sorted(set(numbers)), written


def test_generated_row_markers_are_read() -> None:
    rng = random.Random(9)
    for _ in range(200):
        written, numbers = _spelling(rng)
        if len(set(numbers)) != 1:
            continue  # a row's own marker holds one number
        n = numbers[0]
        table = [f'|{written} {CLAIMS[0]}<a href="https://example.org/1" target="_blank">Source</a>| {CLAIMS[0]}|']
        (r,) = parse(report(f"The bridge closed [{n}].", table)).rows
        assert (r.number, r.claim.raw) == (n, CLAIMS[0]), written


def test_a_question_about_claims_is_still_the_title() -> None:
    text = report("The bridge closed [1].", rows()[:1], title="Why were these claims about the bridge made?")
    doc = parse(text)
    assert doc.title is not None and doc.title.raw == "Why were these claims about the bridge made?"
    assert [s.title for s in doc.sections] == ["Summary", "Claims"]


@pytest.mark.parametrize(
    "summary",
    [
        "<p>The bridge closed on Monday [1]. Engineers found cracks [2].</p>",
        "<div>\nThe bridge closed on Monday [1]. Engineers found cracks [2].\n</div>",
        '<div class="answer"><p>The bridge closed on Monday [1].</p>\n<p>Engineers found cracks [2].</p></div>',
    ],
)
def test_summary_in_an_html_block(summary: str) -> None:
    doc = parse(report(summary, rows()[:2]))
    assert doc.summary is not None
    assert [s.markers[0].numbers for s in doc.summary.sentences] == [(1,), (2,)]
    assert [s.text.visible for s in doc.summary.sentences] == ["The bridge closed on Monday [1].", "Engineers found cracks [2]."]


def test_a_suppression_comment_in_the_summary_is_not_summary_text() -> None:
    doc = parse(report("<!-- citelint-disable CIT105 -->\nThe bridge closed [1].", rows()[:1]))
    assert doc.summary is not None
    assert [s.text.raw for s in doc.summary.sentences] == ["The bridge closed [1]."]


@pytest.mark.parametrize("written", ["{}", "[{}]", "{}.", "<b>{}</b>", "<font color=#FF3399>[{}]</font>"])
def test_row_numbers_in_a_column_of_their_own(written: str) -> None:
    table = [
        f'| {written.format(n - 1)} | {claim}<a href="https://example.org/{n}" target="_blank">Source</a>| It was said. {claim} More.|'
        for n, claim in enumerate(CLAIMS[:3], 1)
    ]
    text = report("The bridge closed [0]. Cracks were found [1]. Repairs last six weeks [2].", table,
                  header="| # | Claim Sentence | Context |")
    text = text.replace("|---|---|", "|---|---|---|")
    doc = parse(text)
    assert [(r.number, r.claim.raw) for r in doc.rows] == [(0, CLAIMS[0]), (1, CLAIMS[1]), (2, CLAIMS[2])]
    # Zero-based numbering is read as written, and said.
    assert codes(lint_text(text), "CIT104", "CIT101", "CIT102") == ["CIT104"]


def test_markup_alone_is_an_empty_claim_and_context() -> None:
    table = [f'|<b>[1]</b> <i></i><a href="https://example.org/1" target="_blank">Source</a>| <mark> </mark>|']
    found = [f for f in lint_text(report("The bridge closed [1].", table)) if f.code == "CIT002"]
    assert [f.message for f in found] == ["row [1]: the claim sentence is empty; the context is empty"]


def test_tags_are_not_words_of_an_uncited_sentence() -> None:
    # Two visible words: too short to report, however much markup surrounds them.
    text = report("The bridge closed [1]. <span style='color: red'><b>Very</b> sad.</span>", rows()[:1])
    assert codes(lint_text(text), "CIT105") == []


def test_a_row_marker_is_one_marker_and_the_claim_may_start_with_brackets() -> None:
    # The quoted source text keeps its own footnote: "[12] Engineers ..." is claim text.
    table = [f'|<font color=#FF3399>[1]</font> [12] {CLAIMS[0]}<a href="https://example.org/1" target="_blank">Source</a>| It was said. [12] {CLAIMS[0]} More.|',
             f'|<font color=#FF3399>[2]</font> (3) {CLAIMS[1]}<a href="https://example.org/2" target="_blank">Source</a>| It was said. (3) {CLAIMS[1]} More.|']
    doc = parse(report("The bridge closed [1]. Cracks were found [2].", table))
    assert [(r.number, r.claim.raw) for r in doc.rows] == [(1, f"[12] {CLAIMS[0]}"), (2, f"(3) {CLAIMS[1]}")]
