"""Generated reports whose lint time must grow near-linearly with their size (issue 8).

Each family builds a report of size ``n`` (its unit is the family's own: spaces, repetitions,
words, comments...). ``benchmarks/complexity.py`` times the CLI on every family at n and 4n;
``tests/test_complexity.py`` times the families of the suppression comments and the claim
rules at two small sizes. The text is our own.
"""
from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

from citelint import engine
from citelint.model import Document
from citelint.registry import Rule

from tests.reports import marker, report, row

_VOCAB = (
    "ferry boat harbour council lease engine inspection summer season repairs crews bridge "
    "river town mayor budget vote plan road rail winter pier dock tide"
).split()


def words(n: int, seed: int) -> str:
    """``n`` words drawn from a small vocabulary (a worst case for word alignment)."""
    rng = random.Random(seed)
    return " ".join(rng.choice(_VOCAB) for _ in range(n))


def _summary(text: str) -> str:
    return report(text, [row(1, "The ferry stopped.")])


def title_spaces(n: int) -> str:
    return report(f"The ferry stopped {marker(1)}.", [row(1, "The ferry stopped.")], title="What" + " " * n + "happened?")


def summary_dots(n: int) -> str:
    return _summary("a." * n)


def summary_commas(n: int) -> str:
    return _summary("ab," * n + f" {marker(1)}.")


def claim_commas(n: int) -> str:
    return report(f"The ferry stopped {marker(1)}.", [row(1, "ab," * n, "The ferry stopped.")])


def unclosed_font(n: int) -> str:
    return _summary("The ferry stopped " + "x <font color=#FF3399" * n + f" {marker(1)}.")


def unclosed_suppressions(n: int) -> str:
    return _summary(f"The ferry stopped {marker(1)}. " + "<!-- citelint-disable CIT401 " * n)


def comments_and_findings(n: int) -> str:
    """``n`` open disable ranges (for a rule that finds nothing here) and ``n`` findings
    (summary sentences without a marker, CIT105), interleaved line by line."""
    lines = []
    for _ in range(n):
        lines += ["<!-- citelint-disable CIT203 -- not this one -->", "", "The ferry stopped running.", ""]
    return _summary("\n".join(lines) + f"\nThe ferry stopped {marker(1)}.")


def next_line_comments_and_findings(n: int) -> str:
    """``n`` disable-next-line comments, each silencing one finding."""
    lines = []
    for _ in range(n):
        lines += ["<!-- citelint-disable-next-line CIT105 -->", "The ferry stopped running.", ""]
    return _summary("\n".join(lines) + f"\nThe ferry stopped {marker(1)}.")


def links_in_claim(n: int) -> str:
    return report(
        f"The ferry stopped {marker(1)}.",
        [row(1, "The ferry stopped " + "[x](https://example.org/a) " * n, "The ferry stopped.")],
    )


def long_summary(n: int) -> str:
    """A one-line summary of ``n`` bytes of short sentences."""
    return _summary("Ab cd. " * (n // 7) + f"The ferry stopped {marker(1)}.")


def long_word_beside_accents(n: int) -> str:
    """A summary whose one word of ``2n`` ASCII letters stands beside a word with a letter
    outside ASCII (the lost-letters rule reads such words; a pattern asking for the letter
    inside a run of letters backtracked through the whole run from each of its letters)."""
    return _summary("The café " + "Ab" * n + f" stopped {marker(1)}.")


def _letters(k: int) -> str:
    """``k`` written in letters a-z (a name's distinct ending)."""
    out = ""
    while True:
        k, r = divmod(k, 26)
        out += "abcdefghijklmnopqrstuvwxyz"[r]
        if not k:
            return out


def lost_letter_names(n: int) -> str:
    """A summary of ``n`` distinct names each written once right ("Bqzövar") and once with
    its letter lost ("Bqzvar"): ``n`` words the lost-letters rule reports in one field (an
    alternation of every reported word was tried at each place of the field)."""
    names = (f"{_letters(k)}qzövar".capitalize() for k in range(n))
    return _summary(" ".join(f"{name} met {name.replace('ö', '')}." for name in names) + f" {marker(1)}")


def html_tag_whitespace(n: int) -> str:
    """An HTML tag whose attribute is followed by ``n`` tabs, at a line's start and inside a
    sentence (mistune's tag pattern split such a run in every way: cubic)."""
    run = "\t" * n
    return _summary(f"<span style={run}x\n\nThe ferry <span style={run}x stopped {marker(1)}.")



def long_claim_and_context(n: int) -> str:
    """One claim and its context of ``n`` words each, on one line; the claim is not in it."""
    return report(f"The ferry stopped {marker(1)}.", [row(1, words(n, 1) + ".", words(n, 2) + ".")])


def edited_long_claim(n: int) -> str:
    """A claim of ``n`` words quoted from a context four times as long, one word changed."""
    context = words(4 * n, 3).split()
    claim = context[n : 2 * n]
    claim[n // 2] = "lighthouse"
    return report(f"The ferry stopped {marker(1)}.", [row(1, " ".join(claim) + ".", " ".join(context) + ".")])


def many_edited_claims(n: int) -> str:
    """``n`` rows whose claim differs from its context by one word."""
    rows = []
    for i in range(1, n + 1):
        text = words(30, i)
        rows.append(row(i, text.replace(" ", " lighthouse ", 1) + ".", f"Before. {text}. After."))
    return report(" ".join(f"The ferry stopped {marker(i)}." for i in range(1, n + 1)), rows)


def duplicate_claims(n: int) -> str:
    rows = [row(i, "The ferry stopped running in March.") for i in range(1, n + 1)]
    return report(" ".join(f"The ferry stopped {marker(i)}." for i in range(1, n + 1)), rows)


def many_paragraphs(n: int) -> str:
    """A summary of ``n`` one-sentence paragraphs (past the reader's line bound at 4n)."""
    return _summary("Ab cd.\n\n" * n + f"The ferry stopped {marker(1)}.")


def long_bullet_list(n: int) -> str:
    """A summary that is one bullet list of ``n`` cited points (mistune's list parser costs
    ten times its paragraph parser a line)."""
    return _summary("- Ab cd [1].\n" * n)


def marker_run(n: int) -> str:
    """One summary sentence closed by ``n`` markers side by side: one citation group."""
    return _summary("The ferry stopped " + "[1] " * n + ".")


def many_rows(n: int) -> str:
    """A claims table of ``n`` short rows (past the reader's row bound at 4n)."""
    return report(f"The ferry stopped {marker(1)}.", [row(i, f"Ab {i}.") for i in range(1, n + 1)])


def long_context(n: int) -> str:
    """One row whose context is ``n`` words on one line; the claim is not in it, so CIT301
    aligns it and maps the closest passage back into the file."""
    return report(f"The ferry stopped {marker(1)}.", [row(1, "The ferry stopped.", words(n, 6) + ".")])


def best_check_time(doc: Document, rules: Sequence[Rule], known: Sequence[Rule], runs: int = 5) -> float:
    """The least wall time of ``runs`` runs of ``rules`` on one parsed document (growth
    tests compare two of these as a ratio): a loaded machine only adds to a run's time, so
    the least is the figure that noise disturbs least."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        engine.check_document(doc, rules, known=known)
        times.append(time.perf_counter() - start)
    return min(times)


def endnotes_links(n: int) -> str:
    """An endnotes report whose text is one paragraph of ``n`` inline links (each block is
    inline-parsed by mistune several times: readers and rules of the other formats)."""
    return "# Ferry\n\nThe ferry " + "[a](https://a.example/x) " * n + "[1].\n\n## Sources\n\n[1] A: https://example.org/a\n"


def endnote_title_separators(n: int) -> str:
    """An endnotes report whose one source entry has ``n`` " -" separators in its title, then
    a word: a pattern anchored at the title's end rescanned the run from each of its starts."""
    return "# Ferry\n\nThe ferry stopped [1].\n\n## Sources\n\n[1] A" + " -" * n + " x https://example.org/a\n"


def footnote_ref_run(n: int) -> str:
    """A footnotes report whose sentence ends with ``n`` references side by side (one group
    whose keys were copied for each key added)."""
    return "# Ferry\n\nThe ferry stopped." + "[^1]" * n + "\n\n[^1]: https://example.org/a\n"


def hidden_footnote_refs(n: int) -> str:
    """A footnotes report with ``n`` references, each parked in its own hidden span (each
    reference was looked for in every hidden span)."""
    return "# Ferry\n\nThe ferry stopped.[^1] " + '<span style="display:none">[^1]</span> ' * n + "\n\n[^1]: https://example.org/a\n"


def many_headings(n: int) -> str:
    """A report with ``n`` second-level headings after its summary (each heading's section
    end was searched for in all the headings after it)."""
    return report(f"The ferry stopped {marker(1)}.\n\n" + "## Notes\n" * n, [row(1, "The ferry stopped.")])


def quotes_in_summary(n: int) -> str:
    """A summary of ``n`` one-line block quotes, each followed by a paragraph (each quote's
    end was searched for in the rest of the summary's blocks)."""
    return report("> a\n\nb\n\n" * n + f"It stopped {marker(1)}.", [row(1, "The ferry stopped.")])


def decoded_links(n: int) -> str:
    """An endnotes report whose text holds ``n`` links to one URL with a letter outside ASCII
    (mistune gives it percent-encoded, so it is not in the line as written: it was looked
    for again to the line's end for each link)."""
    return "# Ferry\n\nThe ferry " + "[a](https://a.example/caf\u00e9) " * n + "[1].\n\n## Sources\n\n[1] A: https://example.org/a\n"


def distinct_words(n: int) -> str:
    """A one-sentence summary of ``n`` different words, none in its cited claim (the words a
    finding quotes were kept in a list, each looked for in it)."""
    made = ("".join("abcdefghijklmnop"[(i >> (4 * k)) % 16] for k in range(4)) for i in range(n))
    return _summary("The ferry " + " ".join("w" + w for w in made) + f" stopped {marker(1)}.")


class Family(NamedTuple):
    name: str
    build: Callable[[int], str]
    n: int  # the size issue 8 measured (the benchmark's n; it also runs 4n)
    unit: str


FAMILIES = (
    Family("title-spaces", title_spaces, 100_000, "spaces in the title"),
    Family("summary-a.", summary_dots, 200_000, "'a.' in the summary"),
    Family("summary-ab,", summary_commas, 100_000, "'ab,' in the summary"),
    Family("claim-ab,", claim_commas, 100_000, "'ab,' in a claim"),
    Family("unclosed-font", unclosed_font, 40_000, "unclosed '<font' in the summary"),
    Family("unclosed-suppression", unclosed_suppressions, 20_000, "unclosed suppression comments"),
    Family("comments+findings", comments_and_findings, 10_000, "open disable ranges and findings"),
    Family("next-line+findings", next_line_comments_and_findings, 10_000, "disable-next-line comments and findings"),
    Family("links-in-claim", links_in_claim, 80_000, "links in one claim cell"),
    Family("summary-10MB", long_summary, 2_500_000, "bytes of one-line summary (4n = 10 MB)"),
    Family("claim+context", long_claim_and_context, 2_000, "words in a claim and its context"),
    Family("edited-long-claim", edited_long_claim, 2_000, "words in a claim quoted with one change"),
    Family("edited-claims", many_edited_claims, 1_000, "rows whose claim differs from its context"),
    Family("duplicate-claims", duplicate_claims, 5_000, "rows with the same claim"),
    # Files of 10 MB at 4n made of short blocks: each of these took minutes before the
    # reader's bounds (citelint.limits).
    Family("paragraphs-10MB", many_paragraphs, 312_500, "one-sentence paragraphs (4n = 10 MB)"),
    Family("bullets-10MB", long_bullet_list, 192_300, "bullet points in the summary (4n = 10 MB)"),
    Family("marker-run-10MB", marker_run, 625_000, "markers side by side (4n = 10 MB)"),
    Family("rows-10MB", many_rows, 21_000, "short claim rows (4n = 9.6 MB)"),
    Family("context-10MB", long_context, 400_000, "words in one context cell (4n = 10 MB)"),
    Family("endnote-links-10MB", endnotes_links, 100_000, "inline links in an endnotes report (4n = 10 MB)"),
    Family("endnote-title-seps", endnote_title_separators, 20_000, "' -' in one source entry's title"),
    Family("footnote-ref-run", footnote_ref_run, 15_000, "footnote references side by side"),
    Family("many-headings", many_headings, 4_000, "headings (4n: 16,000 of the 20,000 lines read)"),
    Family("quotes-in-summary", quotes_in_summary, 1_200, "quotes and paragraphs in the summary (4n: 19,200 lines)"),
    Family("decoded-links", decoded_links, 2_000, "links to a URL mistune percent-encodes, on one line"),
    Family("distinct-words", distinct_words, 8_000, "different words in one cited sentence"),
    Family("hidden-footnote-refs", hidden_footnote_refs, 1_500, "footnote references in hidden spans"),
    Family("lost-letter-names", lost_letter_names, 2_500, "distinct names written right and with a letter lost"),
    Family("html-tag-whitespace", html_tag_whitespace, 4_000, "tabs after an HTML tag's attribute"),
)
