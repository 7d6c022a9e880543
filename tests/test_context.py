"""The rule context: what a rule may ask of the run, and that nothing leaks between documents."""
from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from citelint import lint_text
from citelint.config import Resolver, resolve
from citelint.context import RuleContext
from citelint.engine import check_document
from citelint.finding import Hit
from citelint.model import Document
from citelint.parser import parse
from citelint.registry import load_rules, rule
from tests.reports import marker, report, row

ROWS = [
    row(1, "The ferry stopped running in March.", "Before. The ferry stopped running in March. After."),
    row(2, "The city will lease a new boat.", "Earlier. The city will lease a new boat. Later."),
]
# The clause restates claim [2] but cites [1]: CIT303's finding, unless CIT303 does not run.
SWAPPED = report(f"The city will lease a new boat {marker(1)}.", ROWS)


def codes(text: str, table: dict[str, object] | None = None, path: str = "report.md") -> list[str]:
    settings = resolve(table or {}, None, load_rules(), root=".")
    return [f.code for f in lint_text(text, path, settings=settings) if f.code in ("CIT302", "CIT303")]


def test_a_misattributed_clause_is_cit303s_finding_alone() -> None:
    assert codes(SWAPPED) == ["CIT303"]


@pytest.mark.parametrize(
    "table",
    [
        {"ignore": ["CIT303"]},
        {"ignore": ["misattributed-citation"]},
        {"per-file-ignores": {"*.md": ["CIT303"]}},
        {"select": ["CIT302"]},
        # Configured so that it no longer judges the clause.
        {"options": {"CIT303": {"min-terms": 50}}},
    ],
    ids=["ignored", "ignored-by-name", "excluded-for-the-file", "not-selected", "reconfigured"],
)
def test_cit302_judges_the_clause_when_cit303_does_not_report_it(table: dict[str, object]) -> None:
    assert codes(SWAPPED, table) == ["CIT302"]


def test_per_file_exclusion_of_cit303_applies_to_that_file_only() -> None:
    table = {"per-file-ignores": {"drafts/*.md": ["CIT303"]}}
    assert codes(SWAPPED, table, "drafts/a.md") == ["CIT302"]
    assert codes(SWAPPED, table, "final/a.md") == ["CIT303"]


def test_cached_values_are_shared_by_rules_of_one_document_only() -> None:
    calls: list[str] = []

    def title_words(doc: Document) -> int:
        calls.append(doc.path)
        return len(doc.title.raw.split()) if doc.title else 0

    @rule("CIT960", "first-reader", "info", "Test rule.")
    def first(ctx: RuleContext) -> Iterator[Hit]:
        ctx.cached(title_words)
        return iter(())

    @rule("CIT961", "second-reader", "info", "Test rule.")
    def second(ctx: RuleContext) -> Iterator[Hit]:
        ctx.cached(title_words)
        return iter(())

    for name in ("a.md", "b.md"):
        check_document(parse(report("A [1].", ROWS), name), [first, second])
    assert calls == ["a.md", "b.md"]


def test_after_rules_see_the_other_rules_findings() -> None:
    @rule("CIT962", "finding-count", "info", "Test rule.", after=True)
    def count(ctx: RuleContext) -> Iterator[Hit]:
        yield Hit(ctx.doc.title.span if ctx.doc.title else ctx.doc.span(0, 0), f"{len(ctx.findings)} findings")

    rules = (*load_rules(), count)
    text = report(f"The ferry stopped running in March {marker(9)}.", ROWS)
    found = check_document(parse(text), rules)
    others = [f for f in found if f.code != "CIT962"]
    assert [f.message for f in found if f.code == "CIT962"] == [f"{len(others)} findings"]
    assert others  # the dangling marker [9] and the uncited rows


def test_threads_linting_at_once_get_the_findings_of_one_at_a_time(tmp_path: Path) -> None:
    texts = [
        report(f"The city will lease a new boat {marker(1)}. We dont know the plan {marker(2)}.", ROWS),
        report(f"The ferry stopped running in March {marker(1)}. Officials said nothingandmore {marker(2)}.", ROWS),
        report(f"Nobody knows whats next {marker(2)}.", ROWS),
    ] * 20
    settings = Resolver(load_rules()).settings_for(str(tmp_path / "r.md"))
    alone = [lint_text(t, f"r{i}.md", settings=settings) for i, t in enumerate(texts)]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda it: lint_text(it[1], f"r{it[0]}.md", settings=settings), enumerate(texts)))
    assert together == alone
    assert any(f.code == "CIT403" for f in alone[0]) and any(f.code == "CIT303" for f in alone[0])
