from __future__ import annotations

import pytest

from citelint import lint_text
from citelint.config import Overrides, resolve
from citelint.registry import load_rules
from tests.reports import marker, report, row

M1 = marker(1)
ROW = row(1, "The ferry stopped running in March.")


def codes(text: str) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in lint_text(text)]


def summary(*parts: str) -> str:
    return report(" ".join(parts), [ROW])


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_disable_next_line_in_the_claims_table(newline: str) -> None:
    rows = ["<!-- citelint-disable-next-line CIT401 -- the source spells it so -->", row(1, "The ferry andmore stopped.")]
    text = report(f"The ferry stopped {M1}.", rows).replace("\n", newline)
    assert [c for c in codes(text) if c[1] in ("CIT401", "CIT900", "CIT002")] == []


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_disable_enable_range_and_names(newline: str) -> None:
    text = "\n".join(
        [
            "# Q?",
            "",
            "## Summary",
            "<!-- citelint-disable merged-words -->",
            f"The ferry andmore stopped running in March {M1}.",
            "<!-- citelint-enable -->",
            "",
            "## Claims",
            "| Claim Sentence | Context |",
            "|---|---|",
            row(1, "The ferry andmore stopped running in March."),
        ]
    ).replace("\n", newline)
    assert [c for c in codes(text) if c[1] == "CIT401"] == [(11, "CIT401"), (11, "CIT401")]


def test_disable_file_with_crlf() -> None:
    text = report(f"The ferry andmore stopped {M1}.", [row(1, "The ferry andmore stopped.")])
    text = "<!-- citelint-disable-file CIT4 -->\n" + text
    assert [c for c in codes(text.replace("\n", "\r\n")) if c[1].startswith(("CIT4", "CIT9"))] == []


def test_no_rule_named_means_every_rule() -> None:
    text = report(f"<!-- citelint-disable-next-line -->\nThe ferry andmore stopped {marker(7)}.", [ROW])
    assert [c for c in codes(text) if c[0] == 5] == []


def test_unused_suppression_is_reported() -> None:
    text = report(f"<!-- citelint-disable-next-line CIT401 -->\nThe ferry stopped running in March {M1}.", [ROW])
    ((line, code),) = [c for c in codes(text) if c[1] == "CIT900"]
    assert line == 4


def test_unknown_rule_in_a_suppression_is_reported() -> None:
    text = report(f"<!-- citelint-disable-file CIT999 -->\nThe ferry stopped running in March {M1}.", [ROW])
    found = [f for f in lint_text(text) if f.code == "CIT900"]
    assert [f.message.split(" in ")[0] for f in found] == ["unknown rule 'CIT999'"]


def test_suppression_of_an_unselected_rule_is_not_unused() -> None:
    text = report(f"<!-- citelint-disable-file CIT401 -->\nThe ferry stopped running in March {M1}.", [ROW])
    settings = resolve({"ignore": ["CIT401"]}, None, load_rules(), Overrides())
    assert [f.code for f in lint_text(text, settings=settings)] == []


@pytest.mark.parametrize("comment", ["<!-- citelint-disabled CIT401 -->", "<!-- not citelint -->"])
def test_other_comments_are_not_directives(comment: str) -> None:
    text = report(f"{comment}\nThe ferry andmore stopped running in March {M1}.", [ROW])
    assert "CIT401" in [c[1] for c in codes(text)]
