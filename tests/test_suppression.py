from __future__ import annotations

from typing import Any

import pytest

from citelint import fix_text, lint_text
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


def test_enable_one_rule_keeps_the_others_disabled() -> None:
    # disable CIT401, CIT402 ... enable CIT401: the glued comma (CIT402) below the enable
    # stays silenced, the merged word (CIT401) is reported again.
    text = "\n".join(
        [
            "# Q?",
            "",
            "## Summary",
            "<!-- citelint-disable CIT401, CIT402 -->",
            f"The ferry andmore stopped running,in March {M1}.",
            "<!-- citelint-enable CIT401 -->",
            f"The ferry andmore stopped running,in March {M1}.",
            "<!-- citelint-enable CIT402 -->",
            f"The ferry stopped running,in March {M1}.",
            "",
            "## Claims",
            "| Claim Sentence | Context |",
            "|---|---|",
            row(1, "The ferry stopped running in March."),
        ]
    )
    found = [c for c in codes(text) if c[1] in ("CIT401", "CIT402", "CIT900")]
    assert found == [(7, "CIT401"), (9, "CIT402")]


def test_enable_one_rule_after_disabling_every_rule() -> None:
    text = "\n".join(
        [
            "# Q?",
            "",
            "## Summary",
            "<!-- citelint-disable -->",
            f"The ferry andmore stopped running,in March {M1}.",
            "<!-- citelint-enable merged-words -->",
            f"The ferry andmore stopped running,in March {M1}.",
            "",
            "## Claims",
            "| Claim Sentence | Context |",
            "|---|---|",
            row(1, "The ferry stopped running in March."),
        ]
    )
    found = [c for c in codes(text) if c[1] in ("CIT401", "CIT402", "CIT900")]
    assert found == [(7, "CIT401")]


SHOWN = [
    "`<!-- citelint-disable-file CIT401 -->`",
    "``<!-- citelint-disable-file CIT401 -->``",
    "```\n<!-- citelint-disable-file CIT401 -->\n```",
    "~~~markdown\n<!-- citelint-disable-file CIT401 -->\n~~~",
    "    <!-- citelint-disable-file CIT401 -->",
    "- `<!-- citelint-disable-file CIT401 -->`: the whole file",
]


@pytest.mark.parametrize("shown", SHOWN)
def test_a_comment_shown_as_code_is_not_a_directive(shown: str) -> None:
    # Documentation that shows a suppression comment: no CIT900, and it silences nothing.
    text = report(f"The ferry andmore stopped running in March {M1}.", [ROW]) + "\n## Notes\n\n" + shown + "\n"
    found = [c[1] for c in codes(text)]
    assert "CIT900" not in found
    assert "CIT401" in found


def test_a_real_comment_after_one_shown_as_code_still_works() -> None:
    text = "<!-- citelint-disable-file CIT401 -->\nWrite `<!-- citelint-disable` to start.\n\n" + report(
        f"The ferry andmore stopped running in March {M1}.", [ROW]
    )
    assert [c for c in codes(text) if c[1] in ("CIT401", "CIT900")] == []


def test_our_readme_has_no_false_suppression_findings() -> None:
    from tests.conftest import ROOT

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [f.message for f in lint_text(text, path="README.md") if f.code == "CIT900"] == []


def test_a_comment_that_is_not_a_directive_hides_what_it_holds() -> None:
    # An HTML comment ends at the first '-->': a directive written inside another comment
    # is part of that comment.
    text = report(f"<!-- a note <!-- citelint-disable-next-line CIT401 -->\nThe ferry andmore stopped {M1}.", [ROW])
    assert "CIT401" in [c[1] for c in codes(text)]


def test_disable_next_line_skips_blank_lines_and_ends_at_the_file_end() -> None:
    text = report(f"<!-- citelint-disable-next-line CIT401 -->\n\n\nThe ferry andmore stopped {M1}.", [ROW])
    assert [c for c in codes(text) if c[1] in ("CIT401", "CIT900")] == []
    last = report(f"The ferry stopped {M1}.", [ROW]) + "<!-- citelint-disable-next-line CIT401 -->\n\n"
    assert [c[1] for c in codes(last)].count("CIT900") == 1


def test_a_comment_that_repeats_an_earlier_one_is_reported() -> None:
    text = "<!-- citelint-disable-file CIT401 -->\n" + report(
        f"<!-- citelint-disable-next-line CIT401 -->\nThe ferry andmore stopped {M1}.", [ROW]
    )
    assert [c for c in codes(text) if c[1] in ("CIT401", "CIT900")] == [(5, "CIT900")]


def test_unknown_rules_of_one_comment_are_one_finding_with_one_fix() -> None:
    text = report(f"<!-- citelint-disable-next-line CIT401, CIT998, nope, CIT998 -->\nThe ferry andmore stopped {M1}.", [ROW])
    (found,) = [f for f in lint_text(text) if f.code == "CIT900"]
    assert found.message.startswith("unknown rules 'CIT998', 'nope' in <!-- citelint-disable-next-line")
    fixed = fix_text(text, "report.md", unsafe=False).text
    assert "<!-- citelint-disable-next-line CIT401 -->" in fixed


def test_a_comment_of_thousands_of_unknown_rules_is_read_in_linear_time() -> None:
    # One finding per unknown name, each quoting the comment and rewriting it without that
    # name, was quadratic: 17,000 names took 13 s.
    from tests.families import best_check_time
    from citelint.parser import parse

    def doc(n: int) -> Any:
        return parse(report(f"<!-- citelint-disable-next-line {' '.join(['x<y'] * n)} -->\nThe ferry stopped {M1}.", [ROW]))

    rules = load_rules()
    small, large = best_check_time(doc(4_000), rules, rules), best_check_time(doc(16_000), rules, rules)
    assert large / max(small, 0.005) < 8


def test_the_index_of_directives_answers_as_a_walk_over_them() -> None:
    """Random comments of every kind (blank lines between) and findings of several codes on
    every line: the directive the index says silences each finding (it answers at once
    for a code that no line or range directive names) is the one a walk over all the
    directives' indexes picks, and a disable-next-line silences the next non-blank line."""
    import random

    from citelint import parser, suppression

    rules = load_rules()
    codes_ = ["CIT201", "CIT401", "CIT402", "CIT101"]
    rng = random.Random(13)
    for _ in range(200):
        lines = []
        for _ in range(rng.randrange(1, 30)):
            kind = rng.choice(["disable", "enable", "disable-next-line", "disable-file", None, None, "blank"])
            if kind == "blank":
                lines.append(rng.choice(["", "  "]))
            elif kind is None:
                lines.append("text")
            else:
                named = rng.sample(codes_[:3], rng.randrange(0, 3))
                lines.append(f"<!-- citelint-{kind} {', '.join(named)} -->")
        doc = parser.parse("\n".join(lines) + "\n", "r.md")
        found = suppression.directives(doc, rules)
        index = suppression._Silencers(doc, found, codes_)
        answers = [index.silencer(line, code) for line in range(1, len(lines) + 2) for code in codes_]
        index.named = None  # every question through every index
        assert answers == [index.silencer(line, code) for line in range(1, len(lines) + 2) for code in codes_]
        for i, d in enumerate(found):
            if d.kind == "disable-next-line" and d.codes is not None:
                target = d.span.end_line + 1
                while target <= len(lines) and not lines[target - 1].strip():
                    target += 1
                assert all(index.line.get((target, code), i) <= i for code in d.codes)
