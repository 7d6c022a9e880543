"""Lint time grows near-linearly with the input, for the input families that once grew
quadratically or worse in the claim rules and the suppression comments (issue 8).

Each family is linted at size n and 4n; the test fails when the time ratio says the growth
is quadratic (16 for 4x the input; linear work gives about 4). The ratio compares the
median of five runs, so that a run slowed by another process on a busy machine does not
decide it. Only
the rules a family exercises run, after the document is parsed (the reader has its own
families), so that the figure is theirs. Absolute times, for the CLI and every family of
issue 8, are benchmarks/complexity.py's business.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from citelint import parser, readers
from citelint.registry import load_rules
from tests import families
from tests.reports import marker, report, row

# Linear work gives 4; quadratic 16. Between, room for noise and n log n.
MAX_RATIO = 8.0


def shown_comments(n: int) -> str:
    """``n`` suppression comments shown as inline code, each on a line with a finding."""
    lines = [f"Write `<!-- citelint-disable CIT105 -->` to silence it, {i}." for i in range(n)]
    return report("\n\n".join(lines) + f"\n\nThe ferry stopped {marker(1)}.", [row(1, "The ferry stopped.")])


def unclosed_comments(n: int) -> str:
    """``n`` unclosed suppression comments in a paragraph after the claims table."""
    return families.summary_dots(1) + "\n## Notes\n\nSee " + "<!-- citelint-disable CIT401 " * n + "\n"


def duplicate_claims(n: int) -> str:
    """``n`` rows with the same claim, under a one-sentence summary."""
    rows = [row(i, "The ferry stopped running in March.") for i in range(1, n + 1)]
    return report(f"The ferry stopped {marker(1)}.", rows)


def clauses_citing_one_long_row(n: int) -> str:
    """``n`` summary clauses, each citing row 1, whose claim has ``n`` words."""
    summary = " ".join(f"The {word} stopped {marker(1)}." for word in families.words(n, 5).split())
    claim = families.words(n, 4)
    return report(summary, [row(1, claim + ".", claim + "."), row(2, "The pier closed.")])


def enables_and_disables(n: int) -> str:
    """``n`` ranges each disabling two rules and re-enabling one of them, over findings."""
    lines = []
    for _ in range(n):
        lines += ["<!-- citelint-disable CIT105, CIT203 -->", "", "The ferry stopped running.", ""]
        lines += ["<!-- citelint-enable CIT105 -->", "", "The ferry stopped running.", ""]
    return report("\n".join(lines) + f"\nThe ferry stopped {marker(1)}.", [row(1, "The ferry stopped.")])


CASES = [
    # (family, n, the rules it exercises)
    pytest.param(families.long_claim_and_context, 4_000, ("CIT301",), id="claim+context"),
    pytest.param(families.edited_long_claim, 1_500, ("CIT301",), id="edited-long-claim"),
    pytest.param(families.long_word_beside_accents, 4_000, ("CIT404",), id="long-word-beside-accents"),
    pytest.param(families.lost_letter_names, 1_500, ("CIT404",), id="lost-letter-names"),
    pytest.param(families.many_edited_claims, 40, ("CIT301",), id="edited-claims"),
    pytest.param(families.distinct_words, 4_000, ("CIT302",), id="distinct-unbacked-words"),
    pytest.param(clauses_citing_one_long_row, 1_000, ("CIT302", "CIT303"), id="clauses-citing-a-long-row"),
    pytest.param(duplicate_claims, 600, ("CIT202",), id="duplicate-claims"),
    pytest.param(unclosed_comments, 20_000, ("CIT900",), id="unclosed-suppression"),
    pytest.param(families.comments_and_findings, 1_000, ("CIT105", "CIT900"), id="comments+findings"),
    pytest.param(families.next_line_comments_and_findings, 1_000, ("CIT105", "CIT900"), id="next-line+findings"),
    pytest.param(enables_and_disables, 500, ("CIT105", "CIT900"), id="enable-one-of-two"),
    pytest.param(shown_comments, 2_000, ("CIT105", "CIT900"), id="comments-in-code"),
]


def typical_time(text: str, codes: tuple[str, ...]) -> float:
    """The least of five runs of the rules on one parsed document."""
    known = load_rules()
    rules = [r for r in known if r.code in codes]
    return families.best_check_time(parser.parse(text), rules, known)


@pytest.mark.parametrize(("build", "n", "codes"), CASES)
def test_lint_time_grows_linearly(build: Callable[[int], str], n: int, codes: tuple[str, ...]) -> None:
    typical_time(build(max(1, n // 16)), codes)  # imports and per-process caches: not timed
    small, large = typical_time(build(n), codes), typical_time(build(4 * n), codes)
    # Below a few milliseconds the timer and the machine's noise are the figure.
    ratio = large / max(small, 0.005)
    assert ratio < MAX_RATIO, f"{build.__name__}: {small:.3f} s at n={n}, {large:.3f} s at 4n: x{ratio:.1f}"


READER_CASES = [
    # (family, n): shapes the parser and the readers of the other formats once read in
    # super-linear time
    pytest.param(families.endnote_title_separators, 10_000, id="endnote-title-separators"),
    pytest.param(families.footnote_ref_run, 10_000, id="footnote-ref-run"),
    pytest.param(families.many_headings, 4_000, id="many-headings"),
    pytest.param(families.decoded_links, 2_000, id="decoded-links"),
    pytest.param(families.hidden_footnote_refs, 3_000, id="hidden-footnote-refs"),
    pytest.param(families.html_tag_whitespace, 100, id="html-tag-whitespace"),
]


def best_read_time(text: str, runs: int = 5) -> float:
    """The least of five reads of ``text`` by the reader that fits it, the garbage collector
    held off while it reads: its full passes walk the whole heap (pytest's too), which made a
    linear read look x8 under load; the reader's own growth is what is asserted."""
    times = []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            readers.read(text)
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times)


@pytest.mark.parametrize(("build", "n"), READER_CASES)
def test_read_time_grows_linearly(build: Callable[[int], str], n: int) -> None:
    best_read_time(build(max(1, n // 16)))  # imports and per-process caches: not timed
    small, large = best_read_time(build(n)), best_read_time(build(4 * n))
    ratio = large / max(small, 0.005)
    assert ratio < MAX_RATIO, f"{build.__name__}: {small:.3f} s at n={n}, {large:.3f} s at 4n: x{ratio:.1f}"


def _client_positions_time(n: int) -> float:
    """The least of five conversions, in a language server's publication, of the places
    of ``n`` findings spread along one line of ``n`` words that holds an emoji (a summary
    of thousands of sentences is one line)."""
    from citelint import server

    line = "\U0001F600 " + "word " * n
    text = "# Title\n\n" + line + "\n"
    times = []
    for _ in range(5):
        lines = server.Lines(text, "utf-16")
        start = time.perf_counter()
        for k in range(n):
            lines.position(3, 3 + 5 * k)
        times.append(time.perf_counter() - start)
    return min(times)


def test_client_positions_on_one_long_line_grow_linearly() -> None:
    # Each place used to be converted by walking the line up to it: n findings on a line
    # of n words took time in n squared.
    _client_positions_time(100)
    small, large = _client_positions_time(5_000), _client_positions_time(20_000)
    ratio = large / max(small, 0.005)
    assert ratio < MAX_RATIO, f"{small:.3f} s at n=5000, {large:.3f} s at 4n: x{ratio:.1f}"
