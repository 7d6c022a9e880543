"""CIT510: a link label that names another site than its URL's host."""
from __future__ import annotations

from pathlib import Path

import pytest

from citelint.api import lint_text
from citelint.checks.linklabels import mismatch, named_sites, registrable
from tests.conftest import shared

REPORT = """# Which ferry is fastest?

The harbour ferry is the fastest on the coast ([nytimes.com](https://evil.example/x)) [1].
Its record was reported ([Reuters](https://www.bbc.co.uk/news/ferry-1)) and repeated
([BBC News](https://www.bbc.com/news/ferry-2)), says [www.reuters.com/world](https://www.reuters.com/world/ferry),
as an archived copy shows ([reuters.com](https://web.archive.org/web/2024/https://www.reuters.com/ferry)).
A title is no site: [Reuters: ferry breaks record](https://www.bbc.co.uk/news/ferry-3), and
neither is a library: [Node.js](https://github.com/nodejs/node) or [ASP.NET](https://dotnet.microsoft.com/).
Code is left alone: `[nytimes.com](https://evil.example/y)`.

## Sources

1. [Ferry record](https://example.org/ferry)
2. [theguardian.com](https://www.guardian.co.uk/ferry)
[3] apnews.com: https://news.example.net/ferry-ap
[4] [Wikipedia](https://en.m.wikipedia.org/wiki/Ferry)
"""


def cit510(text: str) -> list[tuple[int, int, str]]:
    return [(f.span.line, f.span.col, f.message) for f in lint_text(text, "r.md") if f.code == "CIT510"]


def test_labels_naming_another_site_are_reported_and_titles_are_not() -> None:
    assert cit510(REPORT) == [
        (3, 48, "link label 'nytimes.com' names another site than its URL goes to (evil.example)"),
        (4, 26, "link label 'Reuters' (reuters.com) names another site than its URL goes to (bbc.co.uk)"),
        (15, 1, "the title of source [3] 'apnews.com' names another site than its URL goes to (news.example.net)"),
    ]


def test_the_finding_spans_the_label_and_is_information() -> None:
    (found,) = [f for f in lint_text(REPORT, "r.md") if f.code == "CIT510" and f.span.line == 3]
    line = REPORT.splitlines()[2]
    assert line[found.span.col - 1 : found.span.end_col - 1] == "[nytimes.com]"
    assert str(found.severity) == "info" and found.fix is None


@pytest.mark.parametrize(
    ("label", "url"),
    [
        ("nytimes.com", "https://www.nytimes.com/2024/ferry.html"),
        ("nytimes.com", "https://nytimes.co.uk/ferry"),  # the same name, another top-level domain
        ("bbc.co.uk", "https://news.bbc.co.uk/1/hi/ferry.stm"),  # a subdomain
        ("The Guardian", "https://www.theguardian.com/ferry"),
        ("Reuters", "https://news.yahoo.com/reuters-ferry-record-1.html"),  # syndicated: named in the path
        ("nytimes.com", "https://archive.ph/https://www.nytimes.com/ferry"),
        ("Ferry record", "https://evil.example/"),  # a title
        ("setup.py", "https://github.com/example/ferry"),  # a file, not a site
        ("Reuters reports", "https://www.bbc.co.uk/"),  # not the whole label
        ("nytimes.com", "not a url"),
    ],
)
def test_no_finding(label: str, url: str) -> None:
    assert mismatch(label, url) is None


def test_what_names_a_site() -> None:
    assert named_sites("**nytimes.com**") == ("nytimes.com", ("nytimes.com",))
    assert named_sites("https://www.reuters.com/world/x") == ("reuters.com", ("reuters.com",))
    assert named_sites("guardian.co.uk") == ("guardian.co.uk", ("guardian.co.uk", "theguardian.com"))
    assert named_sites("The New York Times") == ("The New York Times", ("nytimes.com",))
    assert named_sites("NYTimes.COM") is None and named_sites("Chart.js") is None
    assert registrable("a.b.bbc.co.uk") == "bbc.co.uk" and registrable("en.m.wikipedia.org") == "wikipedia.org"


def test_it_runs_on_the_other_formats_not_on_smartbook() -> None:
    smartbook = "# Q\n\n## Summary\nThe ferry is fast [1].\n\n## Claims\n| Claim Sentence | Context |\n|---|---|\n"
    smartbook += '|[1] The ferry is fast.<a href="https://evil.example/" target="_blank">nytimes.com</a>| The ferry is fast. |\n'
    assert cit510(smartbook) == []


def test_shared_reports() -> None:
    corpus = shared("corpus", "open_deep_research")
    found = []
    for path in sorted(corpus.glob("*.md")):
        found += [(path.name, line, col) for line, col, _ in cit510(path.read_text(encoding="utf-8"))]
    # Read by hand: a link labelled "Forbes" goes to the robot maker's own news page.
    assert found == [("gpt-4.1-006.md", 108, 44)]
    examples = shared("examples", "formats")
    for path in sorted(p for p in examples.glob("*/*") if p.suffix in (".md", ".txt")):
        assert cit510(path.read_text(encoding="utf-8")) == [], path.name


def test_a_line_of_links_with_unopened_labels_is_checked_in_linear_time() -> None:
    # Each link's label was searched back to the line's start for its "[": thousands of
    # links whose "]" opens nothing on one line took seconds.
    from citelint import readers
    from citelint.model import Document
    from citelint.registry import load_rules
    from tests.families import best_check_time

    def doc(n: int) -> Document:
        text = "# Ferry\n\nThe ferry " + "x](https://a.example/x) " * n + "[1].\n\n## Sources\n\n[1] A: https://example.org/a\n"
        return readers.read(text)

    known = load_rules()
    rules = [r for r in known if r.code == "CIT510"]
    small, large = best_check_time(doc(1_500), rules, known), best_check_time(doc(6_000), rules, known)
    assert large / max(small, 0.005) < 8
